//! "Get a price" in headless Chromium against the local runner: a visitor browses by
//! need, asks for a quote, opens the printable page from the private link and accepts
//! it; a member asks for one with the members' discount and finds it in their history.
//! Screenshots and PDFs of the printable page go to `tests/artifacts/`.

use ecrm_e2e::browser::Browser;
use ecrm_e2e::{TestApp, repo_root, s};
use fantoccini::Locator;
use fantoccini::wd::PrintConfiguration;
use std::time::Duration;

async fn wait_for_text(browser: &Browser, css: &str) -> String {
    for _ in 0..100 {
        if let Ok(element) = browser.client.find(Locator::Css(css)).await
            && let Ok(text) = element.text().await
            && !text.trim().is_empty()
        {
            return text;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let status = match browser.client.find(Locator::Id("quote-status")).await {
        Ok(element) => element.text().await.unwrap_or_default(),
        Err(_) => String::new(),
    };
    screenshot(browser, "quote-failure.png").await;
    panic!("{css} never showed any text (status: {status})");
}

async fn displayed(browser: &Browser, css: &str) -> bool {
    match browser.client.find(Locator::Css(css)).await {
        Ok(element) => element.is_displayed().await.unwrap_or(false),
        Err(_) => false,
    }
}

async fn wait_until_displayed(browser: &Browser, css: &str, shown: bool) {
    for _ in 0..100 {
        if displayed(browser, css).await == shown {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!(
        "{css} never became {}",
        if shown { "visible" } else { "hidden" }
    );
}

fn artifact(name: &str, bytes: &[u8]) {
    let dir = repo_root().join("tests/artifacts");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(name), bytes).unwrap();
}

async fn screenshot(browser: &Browser, name: &str) {
    artifact(name, &browser.client.screenshot().await.unwrap());
}

async fn print_pdf(browser: &Browser, name: &str) -> usize {
    let pdf = browser
        .client
        .print(PrintConfiguration::builder().build().unwrap())
        .await
        .unwrap();
    assert!(pdf.starts_with(b"%PDF"), "a PDF");
    artifact(name, &pdf);
    // Page objects in the PDF (Chromium writes them uncompressed).
    let text = String::from_utf8_lossy(&pdf);
    text.matches("/Type /Page").count() - text.matches("/Type /Pages").count()
}

async fn set_quantity(browser: &Browser, sku: &str, quantity: u32) {
    let input = browser
        .client
        .find(Locator::Id(&format!("qty-{sku}")))
        .await
        .unwrap();
    input.clear().await.unwrap();
    input.send_keys(&quantity.to_string()).await.unwrap();
}

async fn type_into(browser: &Browser, id: &str, text: &str) {
    let input = browser.client.find(Locator::Id(id)).await.unwrap();
    input.clear().await.unwrap();
    input.send_keys(text).await.unwrap();
}

#[tokio::test]
async fn visitor_and_member_get_quotes_and_print_them() {
    let app = TestApp::start().await;
    let browser = Browser::start(1280, 1000).await;
    let c = &browser.client;

    // The home page's "Get a price" card leads to the page.
    c.goto(&app.url("/")).await.unwrap();
    c.find(Locator::Css("#get-a-price a"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for_text(&browser, "#name-85099B").await;
    assert!(c.current_url().await.unwrap().path().ends_with("/quote/"));

    // Browse by need: events show bunting, not the (gift-only) lunch box.
    c.find(Locator::Css("label[for='need-event']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_until_displayed(&browser, "li[data-sku='22629']", false).await;
    assert!(displayed(&browser, "li[data-sku='47566']").await);
    set_quantity(&browser, "47566", 4).await;
    c.find(Locator::Css("label[for='need-all']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_until_displayed(&browser, "li[data-sku='22629']", true).await;

    // No country is chosen for a visitor: they pick one (tax depends on it).
    let country = c.find(Locator::Id("country")).await.unwrap();
    assert_eq!(country.prop("value").await.unwrap().as_deref(), Some(""));
    c.find(Locator::Css("#country option[value='GB']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    // A quantity below the item's minimum is named beside the item.
    set_quantity(&browser, "CORP-BOX", 2).await;
    type_into(&browser, "contact_name", "Vera Visitor").await;
    type_into(&browser, "contact_email", "vera@example.com").await;
    c.find(Locator::Id("quote-submit"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let error = wait_for_text(&browser, "#qty-CORP-BOX-error").await;
    assert!(error.contains("between 5 and 500"), "{error}");

    set_quantity(&browser, "CORP-BOX", 0).await;
    set_quantity(&browser, "85099B", 10).await;
    c.find(Locator::Id("quote-submit"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let number = wait_for_text(&browser, "#quote-number").await;
    assert!(number.starts_with("Q-"), "{number}");
    // Bunting 4 x 4.65 = 18.60, bag 10 x 1.95 = 19.50; with 20 % VAT: 45.72.
    assert_eq!(
        wait_for_text(&browser, "#quote-lines-total").await,
        "£45.72"
    );
    assert!(displayed(&browser, "#quote-keep").await);
    screenshot(&browser, "quote-visitor-1280.png").await;

    // The private link opens the printable quote.
    let link = c
        .find(Locator::Id("quote-view-link"))
        .await
        .unwrap()
        .attr("href")
        .await
        .unwrap()
        .unwrap();
    assert!(link.contains("token="));
    c.goto(&app.url(&link)).await.unwrap();
    assert_eq!(wait_for_text(&browser, "#q-number").await, number);
    assert_eq!(
        wait_for_text(&browser, "#q-customer-name").await,
        "Vera Visitor"
    );
    assert_eq!(wait_for_text(&browser, "#q-lines-total").await, "£45.72");
    screenshot(&browser, "quote-view-visitor-1280.png").await;
    let pages = print_pdf(&browser, "quote-view-visitor.pdf").await;
    assert!(pages <= 1, "the printable quote fits one page ({pages})");
    c.find(Locator::Id("q-accept"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    for _ in 0..50 {
        if wait_for_text(&browser, "#q-status").await == "Accepted" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(wait_for_text(&browser, "#q-status").await, "Accepted");

    // Without an account, the history page offers to sign in.
    c.goto(&app.url("/account/quotes/")).await.unwrap();
    wait_for_text(&browser, "#history-signin").await;

    // A member: signing up through the form signs the browser in.
    c.goto(&app.url("/signup/")).await.unwrap();
    type_into(&browser, "email", "ana@example.com").await;
    type_into(&browser, "display_name", "Ana").await;
    c.find(Locator::Css("#country option[value='GB']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.find(Locator::Id("consent_account"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    browser.submit_sign_up(&app).await;
    wait_until_displayed(&browser, "#signup-success", true).await;
    c.goto(&app.url("/quote/")).await.unwrap();
    wait_for_text(&browser, "#name-22423").await;
    wait_until_displayed(&browser, "#member-note", true).await;
    assert!(!displayed(&browser, "#contact").await);
    set_quantity(&browser, "22423", 4).await;
    c.find(Locator::Id("quote-submit"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let member_number = wait_for_text(&browser, "#quote-number").await;
    // 4 x 11.75 = 47.00, 5 % off = 44.65, 20 % VAT = 8.93: 53.58.
    assert_eq!(
        wait_for_text(&browser, "#quote-lines-total").await,
        "£53.58"
    );
    assert!(!displayed(&browser, "#quote-keep").await);
    screenshot(&browser, "quote-member-1280.png").await;

    c.goto(&app.url("/account/quotes/")).await.unwrap();
    let first = wait_for_text(&browser, "#history-rows tr:first-child a").await;
    assert_eq!(first, member_number);
    c.find(Locator::Css("#history-rows tr:first-child a"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    assert_eq!(wait_for_text(&browser, "#q-number").await, member_number);
    assert_eq!(wait_for_text(&browser, "#q-customer-name").await, "Ana");
    assert_eq!(wait_for_text(&browser, "#q-lines-discount").await, "−£2.35");
    screenshot(&browser, "quote-view-member-1280.png").await;
    print_pdf(&browser, "quote-view-member.pdf").await;

    let items = app.scan_all().await;
    let quotes = items
        .iter()
        .filter(|i| {
            s(i, "PK").is_some_and(|pk| pk.starts_with("QUOTE#")) && s(i, "SK") == Some("QUOTE")
        })
        .count();
    assert_eq!(quotes, 2);

    browser.close().await;
    app.shutdown().await;
}
