//! Customer service in two headless Chromium sessions against the local runner: a
//! customer opens a request on /requests/, a staff member signs in on /staff/ in
//! another browser and answers it, and the customer's open conversation shows the
//! answer. Both pages pass axe; the Spanish pages speak Spanish.

use ecrm_e2e::browser::{Browser, axe_source};
use ecrm_e2e::service::mail_to;
use ecrm_e2e::{STAFF_EMAIL, TestApp, code_in, repo_root};
use fantoccini::Locator;
use std::time::Duration;

async fn text_of(browser: &Browser, css: &str) -> String {
    match browser.client.find(Locator::Css(css)).await {
        Ok(element) => element.text().await.unwrap_or_default(),
        Err(_) => String::new(),
    }
}

/// Wait until the element's text contains `want` (up to `seconds`).
async fn wait_for(browser: &Browser, css: &str, want: &str, seconds: u64) -> String {
    for _ in 0..seconds * 10 {
        let text = text_of(browser, css).await;
        if text.contains(want) {
            return text;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let status = text_of(browser, "#service-status").await;
    let shot = browser.client.screenshot().await.unwrap_or_default();
    let dir = repo_root().join("tests/artifacts");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("service-failure.png"), shot).unwrap();
    panic!("{css} never showed {want:?} (status: {status})");
}

async fn type_into(browser: &Browser, id: &str, text: &str) {
    let input = browser.client.find(Locator::Id(id)).await.unwrap();
    input.clear().await.unwrap();
    input.send_keys(text).await.unwrap();
}

async fn click(browser: &Browser, css: &str) {
    browser
        .client
        .find(Locator::Css(css))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
}

#[tokio::test]
async fn a_customer_asks_staff_answer_in_another_browser_and_the_customer_sees_it() {
    let app = TestApp::start().await;
    app.sign_up("ana@example.com").await;
    let axe = axe_source();

    // The customer opens a request from the page.
    let customer = Browser::start(1280, 1000).await;
    customer.sign_in(&app, "ana@example.com").await;
    // A quote of theirs, named in the request (the page preselects it from ?quote=).
    let quote = customer
        .client
        .execute_async(
            "const done = arguments[0];
             fetch('/api/quotes', { method: 'POST', credentials: 'same-origin',
               headers: { 'Content-Type': 'application/json' },
               body: JSON.stringify({ lines: [{ sku: '22423', quantity: 4 }], country: 'ES' }) })
               .then(r => r.json()).then(q => done(q.id + ' ' + q.number), e => done(String(e)));",
            vec![],
        )
        .await
        .unwrap();
    let (quote_id, quote_number) = quote.as_str().unwrap().split_once(' ').unwrap();
    customer
        .client
        .goto(&app.url(&format!("/requests/?quote={quote_id}")))
        .await
        .unwrap();
    wait_for(&customer, "#rq-quote", quote_number, 10).await;
    type_into(&customer, "rq-subject", "Broken lid").await;
    let selected = customer.client.find(Locator::Id("rq-quote")).await.unwrap();
    assert_eq!(
        selected.prop("value").await.unwrap().as_deref(),
        Some(quote_id)
    );
    type_into(
        &customer,
        "rq-message",
        "The lunch box lid arrived cracked.",
    )
    .await;
    click(&customer, "#new-request button").await;
    let heading = wait_for(&customer, "#thread-heading", "Broken lid", 10).await;
    assert!(heading.starts_with("SR-"), "{heading}");
    wait_for(&customer, "#thread-messages", "arrived cracked", 5).await;
    let meta = text_of(&customer, "#thread-meta").await;
    assert!(
        meta.contains("8 h"),
        "the promised time for quotes and orders: {meta}"
    );
    let violations = customer.axe_violations(&axe).await;
    assert!(
        violations.is_empty(),
        "requests page: axe\n{}",
        violations.join("\n")
    );

    // A staff member, in another browser, signs in with a mailed code and answers.
    let staff = Browser::start(1280, 1000).await;
    staff.client.goto(&app.url("/staff/")).await.unwrap();
    wait_for(&staff, "#signin-heading", "Staff sign-in", 10).await;
    type_into(&staff, "staff-email", STAFF_EMAIL).await;
    click(&staff, "#staff-code-form button").await;
    let mail = mail_to(&app, STAFF_EMAIL, "staff_sign_in_code").await;
    let code = code_in(mail["text"].as_str().unwrap()).unwrap();
    type_into(&staff, "staff-code", &code).await;
    click(&staff, "#staff-verify-form button").await;
    wait_for(&staff, "#inbox", "Broken lid", 10).await;
    click(&staff, "#inbox li button").await;
    wait_for(&staff, "#request-customer", "ana@example.com", 10).await;
    wait_for(&staff, "#request-quote", quote_number, 5).await;
    let violations = staff.axe_violations(&axe).await;
    assert!(
        violations.is_empty(),
        "staff page: axe\n{}",
        violations.join("\n")
    );
    type_into(
        &staff,
        "staff-reply-body",
        "Sorry! A new lid is on its way.",
    )
    .await;
    click(&staff, "#staff-reply button").await;
    wait_for(&staff, "#request-messages", "new lid", 10).await;

    // The customer's open conversation shows the answer (polled, or on return).
    customer.client.goto(&app.url("/requests/")).await.unwrap();
    wait_for(&customer, "#requests", "Waiting for your answer", 10).await;
    click(&customer, "#requests li a").await;
    let thread = wait_for(&customer, "#thread-messages", "new lid", 10).await;
    assert!(thread.contains("The shop"), "{thread}");
    staff.close().await;

    // In Spanish, the page speaks Spanish.
    customer
        .client
        .goto(&app.url("/es/requests/"))
        .await
        .unwrap();
    wait_for(&customer, "#requests", "Esperando tu respuesta", 10).await;
    customer.close().await;
    app.shutdown().await;
}

#[tokio::test]
async fn a_visitor_asks_by_email_and_lands_on_the_private_link() {
    let app = TestApp::start().await;
    let visitor = Browser::start(390, 900).await;
    visitor
        .client
        .goto(&app.url("/es/requests/"))
        .await
        .unwrap();
    wait_for(&visitor, "#rq-visitor", "Guarda el enlace", 10).await;
    type_into(&visitor, "rq-name", "Vera").await;
    type_into(&visitor, "rq-email", "vera@example.com").await;
    type_into(&visitor, "rq-subject", "Envíos a Ceuta").await;
    click(&visitor, "#rq-category option[value='other']").await;
    type_into(&visitor, "rq-message", "¿Enviáis a Ceuta?").await;
    click(&visitor, "#new-request button").await;
    wait_for(&visitor, "#thread-messages", "Enviáis a Ceuta", 10).await;
    let url = visitor.client.current_url().await.unwrap();
    assert!(url.path().starts_with("/es/requests/"), "{url}");
    assert!(
        url.query().unwrap_or("").contains("token="),
        "the private link: {url}"
    );
    let meta = text_of(&visitor, "#thread-meta").await;
    assert!(meta.contains("Abierta"), "in Spanish: {meta}");
    let violations = visitor.axe_violations(&axe_source()).await;
    assert!(
        violations.is_empty(),
        "visitor's thread: axe\n{}",
        violations.join("\n")
    );
    visitor.close().await;
    app.shutdown().await;
}
