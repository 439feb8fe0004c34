//! A survey answered in Spanish in headless Chromium: after a first accepted quote the
//! Spanish account page offers the survey, each question saying what it is for and
//! what the customer gets; the answer is stored and shows on the Spanish timeline.

use ecrm_e2e::browser::{Browser, wait_until};
use ecrm_e2e::{TestApp, s};
use fantoccini::Locator;
use reqwest::Method;
use serde_json::{Value, json};

async fn script(browser: &Browser, js: &str) -> Value {
    browser
        .client
        .execute(js, vec![])
        .await
        .unwrap_or(Value::Null)
}

#[tokio::test]
async fn a_spanish_customer_answers_a_survey_and_sees_it_on_the_timeline() {
    let app = TestApp::start().await;
    // Spanish sign-up (the harness's body says `language: es`), a first accepted quote.
    let (_, cookie) = app.sign_up("lucia@example.com").await;
    let catalog: Value = app
        .site_request(Method::GET, "/api/catalog", None)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let sku = catalog["items"][0]["sku"].clone();
    let quote: Value = app
        .site_request(Method::POST, "/api/quotes", Some(&cookie))
        .body(json!({"lines": [{"sku": sku, "quantity": 2}], "country": "ES"}).to_string())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let accept = format!("/api/quotes/{}/accept", quote["id"].as_str().unwrap());
    let accepted = app
        .site_request(Method::POST, &accept, Some(&cookie))
        .send()
        .await
        .unwrap();
    assert_eq!(accepted.status().as_u16(), 200);

    let browser = Browser::start(1280, 1000).await;
    let code = app.request_code("lucia@example.com").await;
    browser.client.goto(&app.url("/es/")).await.unwrap();
    let status = browser
        .client
        .execute_async(
            "const [email, code, done] = arguments;
             fetch('/api/sessions/verify', { method: 'POST', credentials: 'same-origin',
               headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email, code }) })
               .then(r => done(r.status), e => done(String(e)));",
            vec![json!("lucia@example.com"), json!(code)],
        )
        .await
        .unwrap();
    assert_eq!(status, json!(200), "signed in");

    browser.client.goto(&app.url("/es/account/")).await.unwrap();
    wait_until("the survey is offered", || async {
        script(&browser, "return !document.getElementById('survey').hidden").await == json!(true)
    })
    .await;
    let legend = script(
        &browser,
        "return document.querySelector('#survey legend').textContent",
    )
    .await;
    assert_eq!(legend, json!("¿Cómo nos encontraste?"));
    let hints = script(&browser, "return [...document.querySelectorAll('#survey .form-hint')].map(p => p.textContent).join(' | ')").await;
    let hints = hints.as_str().unwrap_or_default();
    assert!(
        hints.contains("Para qué sirve:") && hints.contains("Qué obtienes:"),
        "{hints}"
    );
    assert!(hints.contains("730 días"), "retention said: {hints}");

    browser
        .client
        .find(Locator::Id("survey-found_us-friend"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    browser
        .client
        .find(Locator::Id("survey-occasion-gift"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    browser
        .client
        .find(Locator::Id("survey-send"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_until("the answer is saved", || async {
        app.scan_all()
            .await
            .iter()
            .any(|i| s(i, "kind") == Some("survey_response"))
    })
    .await;
    let items = app.scan_all().await;
    let response = items
        .iter()
        .find(|i| s(i, "kind") == Some("survey_response"))
        .unwrap();
    let answers = response["answers"].as_m().unwrap();
    assert_eq!(answers["found_us"].as_s().unwrap(), "friend");
    assert_eq!(answers["occasion"].as_s().unwrap(), "gift");
    wait_until("thanks in Spanish", || async {
        script(
            &browser,
            "return document.getElementById('survey-status').textContent",
        )
        .await
        .as_str()
        .is_some_and(|t| t.starts_with("Gracias"))
    })
    .await;

    // The Spanish timeline lists it, labelled in Spanish.
    browser
        .client
        .goto(&app.url("/es/account/timeline/"))
        .await
        .unwrap();
    wait_until("the timeline shows the answer", || async {
        script(&browser, "const r = document.querySelector('tr[data-what=survey_answered]'); return r ? r.children[1].textContent : null").await
            == json!("Respondiste una encuesta")
    })
    .await;
    browser.close().await;
    app.shutdown().await;
}

async fn first_card(browser: &Browser) -> Value {
    script(
        browser,
        "return document.querySelector('#need-cards > li').id",
    )
    .await
}

#[tokio::test]
async fn who_you_buy_for_orders_the_home_page_and_marks_business_prices() {
    let app = TestApp::start().await;
    let mut business = ecrm_e2e::sign_up_body("shop@example.com");
    business["buys_for"] = json!("business");
    app.sign_up_with(&business).await;
    let mut gifts = ecrm_e2e::sign_up_body("gifts@example.com");
    gifts["buys_for"] = json!("gifts");
    app.sign_up_with(&gifts).await;
    let browser = Browser::start(1280, 1000).await;

    // A visitor sees the page's own order.
    browser.client.goto(&app.url("/")).await.unwrap();
    assert_eq!(first_card(&browser).await, json!("get-a-price"));
    assert_eq!(
        script(
            &browser,
            "return document.documentElement.dataset.buysFor || null"
        )
        .await,
        Value::Null
    );

    browser.sign_in(&app, "gifts@example.com").await;
    browser.client.goto(&app.url("/")).await.unwrap();
    wait_until("gift buyers see what fits first", || async {
        first_card(&browser).await == json!("find-what-fits")
    })
    .await;

    browser.sign_in(&app, "shop@example.com").await;
    browser.client.goto(&app.url("/")).await.unwrap();
    wait_until("business buyers see prices first", || async {
        script(
            &browser,
            "return document.documentElement.dataset.buysFor || null",
        )
        .await
            == json!("business")
    })
    .await;
    assert_eq!(first_card(&browser).await, json!("get-a-price"));
    let order = script(
        &browser,
        "return [...document.querySelectorAll('#need-cards > li')].map(li => li.id).join(',')",
    )
    .await;
    assert_eq!(
        order,
        json!("get-a-price,manage-my-data,find-what-fits,stay-informed")
    );
    // On the quote page the volume prices stand out for a business buyer.
    browser.client.goto(&app.url("/quote/")).await.unwrap();
    wait_until("volume prices highlighted", || async {
        script(
            &browser,
            "const p = document.querySelector('.catalog-item [id^=price-]'); return p ? getComputedStyle(p).fontWeight : null",
        )
        .await
            == json!("700")
    })
    .await;
    browser.close().await;
    app.shutdown().await;
}
