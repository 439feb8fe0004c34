//! Issue #16 in headless Chromium, in English and Spanish: a member's quote starts from
//! their country (and from their default delivery address's), and the preference centre,
//! a consent receipt and the export read as pages that do not overflow and in which axe
//! finds nothing.

use super::browser_pages_quotes::{
    LANGS, WIDTHS, check_page, js, open_quote_page, prefix, screenshot, set_quantity, text,
    totals_add_up, wait_js,
};
use super::browser_pages_spanish::{english_ui_strings, no_english};
use ecrm_e2e::browser::{Browser, axe_source};
use ecrm_e2e::{TestApp, sign_up_body};
use serde_json::json;

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
