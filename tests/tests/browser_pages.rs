//! Issue #16 in headless Chromium, at 390 px (a phone) and 1280 px, in English and
//! Spanish: the quote's lines and totals are visible and add up, with the running
//! total before any contact details; a member's quote starts from their country; the
//! preference centre, a consent receipt and the export read as pages; nothing
//! overflows sideways; axe finds nothing; Spanish pages hold none of the site's
//! English UI strings. Screenshots go to `tests/artifacts/pages-*.png`.

use ecrm_e2e::browser::{Browser, axe_source};
use ecrm_e2e::{TestApp, repo_root, sign_up_body};
use fantoccini::Locator;
use serde_json::{Value, json};
use std::time::Duration;

const WIDTHS: [u32; 2] = [390, 1280];
const LANGS: [&str; 2] = ["en", "es"];

fn prefix(lang: &str) -> &'static str {
    if lang == "es" { "/es" } else { "" }
}

async fn js(browser: &Browser, script: &str) -> Value {
    browser
        .client
        .execute(script, vec![])
        .await
        .unwrap_or_else(|e| panic!("script failed: {e}\n{script}"))
}

async fn wait_js(browser: &Browser, what: &str, script: &str) {
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

async fn text(browser: &Browser, css: &str) -> String {
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

async fn screenshot(browser: &Browser, name: &str) {
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
async fn check_page(browser: &Browser, axe: &str, what: &str) {
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

/// `(key, text)` pairs of one language.
type Texts = Vec<(String, String)>;

/// `key: "value",` pairs of one language's messages (site/static/js/i18n-<lang>.js).
fn messages(source: &str) -> Texts {
    source
        .lines()
        .filter_map(|line| {
            let (key, rest) = line.trim().split_once(": \"")?;
            Some((
                key.to_string(),
                rest.strip_suffix("\",")?.replace("\\\"", "\""),
            ))
        })
        .collect()
}

/// `key = "value"` lines of a content page's `[extra.t]`.
fn front_matter(path: &std::path::Path) -> Vec<(String, String)> {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    text.lines()
        .filter_map(|line| {
            let (key, value) = line.split_once(" = \"")?;
            Some((key.trim().to_string(), value.strip_suffix('"')?.to_string()))
        })
        .collect()
}

/// The site's English UI strings that have a different Spanish text: every message of
/// the scripts (i18n.js) and every `[extra.t]` text of a page with a Spanish version.
/// Only phrases (a space, 12 characters or more between placeholders) are kept, so
/// words both languages share ("Total") are not counted.
fn english_ui_strings() -> Vec<String> {
    let root = repo_root().join("site");
    let mut pairs: Vec<(Texts, Texts)> = Vec::new();
    let read = |lang: &str| {
        std::fs::read_to_string(root.join(format!("static/js/i18n-{lang}.js"))).unwrap()
    };
    pairs.push((messages(&read("en")), messages(&read("es"))));
    for entry in walk(&root.join("content")) {
        let name = entry.to_string_lossy().to_string();
        if name.ends_with(".md") && !name.ends_with(".es.md") {
            let es = std::path::PathBuf::from(name.replace(".md", ".es.md"));
            if es.exists() {
                pairs.push((front_matter(&entry), front_matter(&es)));
            }
        }
    }
    let mut out = Vec::new();
    for (en, es) in pairs {
        for (key, value) in en {
            let spanish = es.iter().find(|(k, _)| *k == key).map(|(_, v)| v.as_str());
            if spanish == Some(value.as_str()) {
                continue;
            }
            for part in value.split(['{', '}']).step_by(2) {
                let part = part.trim();
                if part.len() >= 12 && part.contains(' ') {
                    out.push(part.to_string());
                }
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

fn english_in(text: &str, english: &[String]) -> Vec<String> {
    english
        .iter()
        .filter(|s| text.contains(s.as_str()))
        .cloned()
        .collect()
}

async fn no_english(browser: &Browser, english: &[String], what: &str) {
    let body = js(browser, "return document.body.innerText").await;
    let found = english_in(body.as_str().unwrap_or(""), english);
    assert!(
        found.is_empty(),
        "{what}: English on a Spanish page: {found:?}"
    );
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

async fn open_quote_page(browser: &Browser, app: &TestApp, lang: &str) {
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
async fn totals_add_up(browser: &Browser, table: &str, expected: i64, what: &str) -> String {
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
async fn a_member_starts_from_their_country_and_reads_their_data_as_pages() {
    let app = TestApp::start().await;
    let axe = axe_source();
    let english = english_ui_strings();
    for (n, lang) in LANGS.iter().enumerate() {
        for width in WIDTHS {
            let what = format!("member {lang} {width}px");
            let mut body = sign_up_body(&format!("ana{n}{width}@example.com"));
            body["country"] = json!("DE");
            body["language"] = json!(lang);
            let email = format!("ana{n}{width}@example.com");
            app.sign_up_with(&body).await;
            let browser = Browser::start(width, 900).await;
            browser.sign_in(&app, &email).await;

            // The quote starts from the profile's country (Germany: 19 % VAT).
            open_quote_page(&browser, &app, lang).await;
            wait_js(
                &browser,
                "the member's country",
                "return document.getElementById('country').value === 'DE'",
            )
            .await;
            set_quantity(&browser, "85099B", 10).await;
            // 10 x 1.95 = 19.50, 5 % off = 0.98, 19 % of 18.52 = 3.52: 22.04.
            totals_add_up(&browser, "preview-lines", 2_204, &what).await;
            screenshot(&browser, &format!("pages-quote-member-{lang}-{width}.png")).await;

            // The preference centre in words.
            browser
                .client
                .goto(&app.url(&format!("{}/account/preferences/", prefix(lang))))
                .await
                .unwrap();
            wait_js(&browser, "the preference centre", "return document.getElementById('consent-personalisation-state').textContent !== '' && document.getElementById('pref-country').dataset.named === 'true'").await;
            let (granted, not_given, germany) = if *lang == "es" {
                ("Dado", "No dado", "Alemania")
            } else {
                ("Granted", "Not given", "Germany")
            };
            assert_eq!(
                text(&browser, "#consent-personalisation-state").await,
                granted
            );
            assert_eq!(
                text(&browser, "#consent-marketing_email-state").await,
                not_given
            );
            // No channel without its consent.
            assert_eq!(
                js(&browser, "const b = document.getElementById('pref-channel-email'); return [b.checked, b.disabled]").await,
                json!([false, true])
            );
            assert_eq!(
                text(&browser, "#pref-country option:checked").await,
                germany
            );
            // Local time, with the UTC value in its title.
            let title = js(&browser, "const t = document.querySelector('#consent-history time'); return t ? t.title : ''").await;
            assert!(
                title.as_str().unwrap_or("").ends_with("(UTC)"),
                "{what}: {title}"
            );
            check_page(&browser, &axe, &format!("{what} preferences")).await;
            if *lang == "es" {
                no_english(&browser, &english, &format!("{what} preferences")).await;
            }
            screenshot(&browser, &format!("pages-preferences-{lang}-{width}.png")).await;

            // A receipt is a page; its JSON is the second link.
            let href = js(
                &browser,
                "return document.querySelector('#consent-history tbody a').href",
            )
            .await;
            browser.client.goto(href.as_str().unwrap()).await.unwrap();
            wait_js(
                &browser,
                "the receipt",
                "return !!document.getElementById('receipt-purpose')",
            )
            .await;
            let receipt = js(&browser, "return document.body.innerText").await;
            let receipt = receipt.as_str().unwrap();
            assert!(
                !receipt.contains("/api/"),
                "{what}: no API in a receipt: {receipt}"
            );
            assert!(
                js(
                    &browser,
                    "return document.getElementById('receipt-json').getAttribute('href')"
                )
                .await
                .as_str()
                .unwrap()
                .starts_with("/api/me/consents/receipts/")
            );
            check_page(&browser, &axe, &format!("{what} receipt")).await;
            if *lang == "es" {
                no_english(&browser, &english, &format!("{what} receipt")).await;
            }
            screenshot(&browser, &format!("pages-receipt-{lang}-{width}.png")).await;

            // The export is a page too.
            browser
                .client
                .goto(&app.url(&format!("{}/account/export/", prefix(lang))))
                .await
                .unwrap();
            wait_js(
                &browser,
                "the export",
                "return !!document.getElementById('x-profile')",
            )
            .await;
            assert!(
                text(&browser, "#export")
                    .await
                    .contains(&format!("ana{n}{width}@example.com"))
            );
            check_page(&browser, &axe, &format!("{what} export")).await;
            browser.close().await;
        }
    }
    app.shutdown().await;
}

#[tokio::test]
async fn the_default_delivery_address_sets_the_quotes_country() {
    let app = TestApp::start().await;
    let (_, cookie) = app.sign_up("ana@example.com").await;
    let address = json!({"kinds": ["delivery"], "name": "Ana García", "line1": "Rue de Rivoli 1",
        "city": "Paris", "postal_code": "75001", "country": "FR", "default_delivery": true});
    let response = app
        .site_request(reqwest::Method::POST, "/api/me/addresses", Some(&cookie))
        .body(address.to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 201);
    let browser = Browser::start(390, 900).await;
    browser.sign_in(&app, "ana@example.com").await;
    open_quote_page(&browser, &app, "en").await;
    wait_js(
        &browser,
        "France",
        "return document.getElementById('country').value === 'FR'",
    )
    .await;
    // Signed-in chrome: the name and "Sign out" in the header, no "Sign up / Sign in",
    // and header links that go where their words say.
    let chrome = js(
        &browser,
        "const shown = id => { const e = document.getElementById(id); return !!e && e.offsetParent !== null; };
         return [document.getElementById('nav-account').textContent, shown('nav-account'), shown('nav-signout'),
                 shown('nav-signin'), document.querySelector('a[data-signed-in-href]').getAttribute('href')]",
    )
    .await;
    assert!(chrome[0].as_str().unwrap().contains("Ana"), "{chrome}");
    assert_eq!(chrome[1], json!(true), "{chrome}");
    assert_eq!(chrome[2], json!(true), "{chrome}");
    assert_eq!(chrome[3], json!(false), "{chrome}");
    assert!(
        chrome[4]
            .as_str()
            .unwrap()
            .starts_with("/account/preferences/"),
        "{chrome}"
    );
    // The sign-up page sends a signed-in customer to their account.
    browser.client.goto(&app.url("/signup/")).await.unwrap();
    wait_js(
        &browser,
        "the account page",
        "return location.pathname === '/account/'",
    )
    .await;
    browser.close().await;
    app.shutdown().await;
}

#[tokio::test]
async fn spanish_pages_hold_no_english_ui_strings() {
    let app = TestApp::start().await;
    let english = english_ui_strings();
    let public = repo_root().join("site/public/es");
    let mut checked = 0;
    for path in walk(&public) {
        if path.file_name().and_then(|n| n.to_str()) != Some("index.html") {
            continue;
        }
        let rel = path.strip_prefix(repo_root().join("site/public")).unwrap();
        let url = format!("/{}", rel.to_string_lossy().trim_end_matches("index.html"));
        let html = reqwest::get(app.url(&url))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        // Visible text: no tags, no attribute values, no scripts.
        let mut visible = String::new();
        let mut in_tag = false;
        for ch in html.chars() {
            match ch {
                '<' => in_tag = true,
                '>' => {
                    in_tag = false;
                    visible.push(' ');
                }
                c if !in_tag => visible.push(c),
                _ => {}
            }
        }
        let visible = visible.split_whitespace().collect::<Vec<_>>().join(" ");
        let found = english_in(&visible, &english);
        assert!(
            found.is_empty(),
            "{url}: English on a Spanish page: {found:?}"
        );
        checked += 1;
    }
    assert!(checked >= 8, "Spanish pages checked: {checked}");
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
