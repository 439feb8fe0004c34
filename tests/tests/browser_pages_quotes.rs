//! Issue #16 in headless Chromium, at 390 px (a phone) and 1280 px, in English and
//! Spanish: the quote's lines and totals are visible and add up, with the running total
//! before any contact details; a twenty-line quote prints on one A4 page; nothing
//! overflows sideways; axe finds nothing. Screenshots go to `tests/artifacts/pages-*.png`.
//! The page helpers here serve every `browser_pages_*` file.

use super::browser_pages_spanish::{english_ui_strings, no_english};
use ecrm_e2e::browser::{Browser, axe_source};
use ecrm_e2e::{TestApp, repo_root};
use fantoccini::Locator;
use serde_json::{Value, json};
use std::time::Duration;

pub(crate) const WIDTHS: [u32; 2] = [390, 1280];

pub(crate) const LANGS: [&str; 2] = ["en", "es"];

pub(crate) fn prefix(lang: &str) -> &'static str {
    if lang == "es" { "/es" } else { "" }
}

pub(crate) async fn js(browser: &Browser, script: &str) -> Value {
    browser
        .client
        .execute(script, vec![])
        .await
        .unwrap_or_else(|e| panic!("script failed: {e}\n{script}"))
}

pub(crate) async fn wait_js(browser: &Browser, what: &str, script: &str) {
    // 30 s: the whole suite shares two cores with several browsers at once.
    for _ in 0..300 {
        if js(browser, script).await == Value::Bool(true) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    screenshot(browser, "pages-failure.png").await;
    panic!("timed out waiting for {what}");
}

pub(crate) async fn text(browser: &Browser, css: &str) -> String {
    let script = format!(
        "const e = document.querySelector({}); return e ? e.textContent.trim() : '';",
        serde_json::to_string(css).unwrap()
    );
    js(browser, &script)
        .await
        .as_str()
        .unwrap_or("")
        .to_string()
}

pub(crate) async fn screenshot(browser: &Browser, name: &str) {
    let dir = repo_root().join("tests/artifacts");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(name), browser.client.screenshot().await.unwrap()).unwrap();
}

/// Minor units of a formatted amount: "£1,234.56", "1234,56 £", "−£2.35".
fn minor(amount: &str) -> i64 {
    let digits: String = amount.chars().filter(char::is_ascii_digit).collect();
    let value: i64 = digits
        .parse()
        .unwrap_or_else(|_| panic!("an amount: {amount:?}"));
    if amount.contains('-') || amount.contains('−') {
        -value
    } else {
        value
    }
}

/// The page as it is now passes axe and does not scroll sideways.
pub(crate) async fn check_page(browser: &Browser, axe: &str, what: &str) {
    let sizes = js(
        browser,
        "return [document.documentElement.scrollWidth, window.innerWidth]",
    )
    .await;
    let (scroll, inner) = (sizes[0].as_i64().unwrap(), sizes[1].as_i64().unwrap());
    assert!(
        scroll <= inner,
        "{what}: horizontal overflow ({scroll} > {inner})"
    );
    let violations = browser.axe_violations(axe).await;
    assert!(
        violations.is_empty(),
        "{what}: axe\n{}",
        violations.join("\n")
    );
}

pub(crate) async fn set_quantity(browser: &Browser, sku: &str, quantity: u32) {
    let input = browser
        .client
        .find(Locator::Id(&format!("qty-{sku}")))
        .await
        .unwrap();
    input.clear().await.unwrap();
    input.send_keys(&quantity.to_string()).await.unwrap();
}

pub(crate) async fn open_quote_page(browser: &Browser, app: &TestApp, lang: &str) {
    browser
        .client
        .goto(&app.url(&format!("{}/quote/", prefix(lang))))
        .await
        .unwrap();
    wait_js(
        browser,
        "the quote page",
        "return document.getElementById('quote-form').dataset.ready === 'true' && !!document.getElementById('qty-85099B')",
    )
    .await;
}

/// The lines shown add up to the total shown, every amount is inside the viewport,
/// and the total is `expected` minor units.
pub(crate) async fn totals_add_up(
    browser: &Browser,
    table: &str,
    expected: i64,
    what: &str,
) -> String {
    let total_css = format!("#{table}-total");
    // The running total follows the last change (debounced): wait for the figure.
    let mut total = String::new();
    for _ in 0..300 {
        total = text(browser, &total_css).await;
        if total.chars().any(|c| c.is_ascii_digit()) && minor(&total) == expected {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(minor(&total), expected, "{what}: total {total}");
    let lines = js(
        browser,
        &format!("return [...document.querySelectorAll('#{table} tbody .line-total')].map(e => e.textContent)"),
    )
    .await;
    let sum: i64 = lines
        .as_array()
        .unwrap()
        .iter()
        .map(|v| minor(v.as_str().unwrap()))
        .sum();
    assert_eq!(sum, expected, "{what}: lines {lines} add up to the total");
    let net = minor(&text(browser, &format!("#{table}-net")).await);
    let tax = minor(&text(browser, &format!("#{table}-tax")).await);
    let discount = match text(browser, &format!("#{table}-discount")).await.as_str() {
        "" => 0,
        d => minor(d),
    };
    assert_eq!(
        net + discount + tax,
        expected,
        "{what}: net, discount and tax add up"
    );
    let outside = js(
        browser,
        &format!(
            "return [...document.querySelectorAll('#{table} tbody td, #{table} tfoot td, #{table} tfoot th')].filter(e => {{
               const r = e.getBoundingClientRect();
               return r.width === 0 || r.right > window.innerWidth + 0.5 || r.left < -0.5; }}).length"
        ),
    )
    .await;
    assert_eq!(outside, json!(0), "{what}: every cell visible");
    total
}

#[tokio::test]
async fn quote_totals_add_up_at_phone_and_desktop_in_both_languages() {
    let app = TestApp::start().await;
    let axe = axe_source();
    let english = english_ui_strings();
    assert!(
        english.len() > 50,
        "the English UI strings: {}",
        english.len()
    );
    for lang in LANGS {
        for width in WIDTHS {
            let what = format!("quote {lang} {width}px");
            let browser = Browser::start(width, 900).await;
            open_quote_page(&browser, &app, lang).await;
            // A visitor chooses the country: nothing is chosen for them.
            assert_eq!(
                js(&browser, "return document.getElementById('country').value").await,
                json!("")
            );
            browser
                .client
                .find(Locator::Css("#country option[value='GB']"))
                .await
                .unwrap()
                .click()
                .await
                .unwrap();
            // Bag 10 x 1.95 + 20 % = 23.40; bunting 4 x 4.65 + 20 % = 22.32; tea
            // (reduced, 5 %) 12 x 3.95 + 2.37 = 49.77. No name or email asked yet.
            set_quantity(&browser, "85099B", 10).await;
            set_quantity(&browser, "47566", 4).await;
            set_quantity(&browser, "TEA-01", 12).await;
            let total = totals_add_up(&browser, "preview-lines", 9_549, &what).await;
            let expected = if lang == "es" {
                "95,49\u{a0}£"
            } else {
                "£95.49"
            };
            assert_eq!(total, expected, "{what}: money in the page's language");
            let body = text(&browser, "#preview-lines tbody").await;
            let (twenty, five) = if lang == "es" {
                ("20\u{a0}%", "5\u{a0}%")
            } else {
                ("20%", "5%")
            };
            assert!(
                body.contains(twenty) && body.contains(five),
                "{what}: tax rates shown: {body}"
            );
            let height = js(&browser, "return document.documentElement.scrollHeight").await;
            println!("{what}: page height {height} px");
            if width < 500 {
                let bar = text(&browser, "#running-total-text").await;
                assert!(bar.contains(expected), "{what}: running total {bar}");
            }
            check_page(&browser, &axe, &what).await;
            if lang == "es" {
                no_english(&browser, &english, &what).await;
            }
            js(
                &browser,
                "document.getElementById('quote-preview').scrollIntoView(); return true",
            )
            .await;
            screenshot(&browser, &format!("pages-quote-{lang}-{width}.png")).await;
            browser.close().await;
        }
    }
    app.shutdown().await;
}

#[tokio::test]
async fn a_twenty_line_quote_prints_on_one_a4_page() {
    use fantoccini::wd::{PrintConfiguration, PrintSize};
    let app = TestApp::start().await;
    let catalog: Value = reqwest::get(app.url("/api/catalog"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let lines: Vec<Value> = catalog["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["currency"] == "GBP")
        .take(20)
        .map(|i| json!({"sku": i["sku"], "quantity": i["min_quantity"]}))
        .collect();
    assert_eq!(lines.len(), 20);
    let body = json!({"lines": lines, "country": "ES",
        "contact": {"name": "Vera Visitor", "email": "vera@example.com"}});
    let response = app
        .site_request(reqwest::Method::POST, "/api/quotes", None)
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 201);
    let quote: Value = response.json().await.unwrap();
    let browser = Browser::start(1280, 900).await;
    browser
        .client
        .goto(&app.url(quote["link"].as_str().unwrap()))
        .await
        .unwrap();
    totals_add_up(
        &browser,
        "q-lines",
        quote["total_minor"].as_i64().unwrap(),
        "printable quote",
    )
    .await;
    let pdf = browser
        .client
        .print(
            PrintConfiguration::builder()
                .size(PrintSize::A4)
                .shrink_to_fit(false)
                .build()
                .unwrap(),
        )
        .await
        .unwrap();
    let dir = repo_root().join("tests/artifacts");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("pages-quote-20-lines.pdf"), &pdf).unwrap();
    let raw = String::from_utf8_lossy(&pdf);
    let pages = raw.matches("/Type /Page").count() - raw.matches("/Type /Pages").count();
    assert_eq!(pages, 1, "20 lines on one A4 page");

    // A bad link says so, with a way on, instead of an empty quote.
    browser
        .client
        .goto(&app.url(&format!(
            "/es/quote/view/?id={}&token=wrong",
            quote["id"].as_str().unwrap()
        )))
        .await
        .unwrap();
    wait_js(
        &browser,
        "the not-found message",
        "return document.querySelector('#q-message a') !== null",
    )
    .await;
    assert!(
        text(&browser, "#q-message")
            .await
            .contains("No hemos encontrado")
    );
    assert_eq!(
        js(&browser, "return document.getElementById('q-body').hidden").await,
        json!(true)
    );
    browser.close().await;
    app.shutdown().await;
}
