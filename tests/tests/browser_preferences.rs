//! The preference centre in headless Chromium: a customer changes their topics and adds
//! an address, downloads the export, and erases the account; the store is checked
//! after each step.

use ecrm_e2e::browser::{Browser, wait_until};
use ecrm_e2e::{TestApp, artifacts_dir, s};
use fantoccini::Locator;
use serde_json::Value;

async fn text_of(browser: &Browser, id: &str) -> String {
    match browser.client.find(Locator::Id(id)).await {
        Ok(element) => element.text().await.unwrap_or_default(),
        Err(_) => String::new(),
    }
}

#[tokio::test]
async fn change_topics_and_an_address_export_and_erase() {
    let app = TestApp::start().await;
    let browser = Browser::start(1280, 1000).await;
    let c = &browser.client;

    // Sign up through the form (signs in).
    c.goto(&app.url("/signup/")).await.unwrap();
    c.find(Locator::Id("email"))
        .await
        .unwrap()
        .send_keys("marta@example.com")
        .await
        .unwrap();
    c.find(Locator::Id("display_name"))
        .await
        .unwrap()
        .send_keys("Marta")
        .await
        .unwrap();
    c.find(Locator::Css("#country option[value='ES']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.find(Locator::Id("topic-gifts"))
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
    wait_until("signed up", || async {
        c.find(Locator::Id("signup-success"))
            .await
            .map(|_| true)
            .unwrap_or(false)
            && app
                .scan_all()
                .await
                .iter()
                .any(|i| s(i, "SK") == Some("PROFILE"))
    })
    .await;
    let profile_of = |items: &[ecrm_e2e::Item]| {
        items
            .iter()
            .find(|i| s(i, "SK") == Some("PROFILE"))
            .cloned()
    };
    let id = s(&profile_of(&app.scan_all().await).unwrap(), "id")
        .unwrap()
        .to_string();

    // The preference centre shows what is held.
    c.goto(&app.url("/account/preferences/")).await.unwrap();
    wait_until("profile loaded", || async {
        c.find(Locator::Id("pref-email"))
            .await
            .unwrap()
            .prop("value")
            .await
            .ok()
            .flatten()
            .as_deref()
            == Some("marta@example.com")
    })
    .await;

    // Topics: add kitchen, drop gifts.
    c.find(Locator::Id("pref-topic-kitchen"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.find(Locator::Id("pref-topic-gifts"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.find(Locator::Id("profile-save"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_until("saved", || async {
        // Beside the button that was pressed, in a live region.
        text_of(&browser, "profile-saved").await == "Saved."
    })
    .await;
    let profile = profile_of(&app.scan_all().await).unwrap();
    let topics: Vec<_> = profile["topics"]
        .as_l()
        .unwrap()
        .iter()
        .filter_map(|t| t.as_s().ok().cloned())
        .collect();
    assert_eq!(topics, ["kitchen"]);

    // An address, with a country rule broken first.
    c.find(Locator::Id("addr-billing"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.find(Locator::Id("addr-delivery"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    for (field, value) in [
        ("name", "Marta Ruiz"),
        ("line1", "Calle Mayor 1"),
        ("city", "Madrid"),
        ("postal_code", "280"),
    ] {
        c.find(Locator::Id(&format!("addr-{field}")))
            .await
            .unwrap()
            .send_keys(value)
            .await
            .unwrap();
    }
    c.find(Locator::Css("#addr-country option[value='ES']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.find(Locator::Id("addr-default_delivery"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.find(Locator::Id("address-save"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_until("postal code error", || async {
        !text_of(&browser, "addr-postal_code-error").await.is_empty()
    })
    .await;
    let postal = c.find(Locator::Id("addr-postal_code")).await.unwrap();
    postal.clear().await.unwrap();
    postal.send_keys("28013").await.unwrap();
    c.find(Locator::Id("address-save"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_until("address listed", || async {
        text_of(&browser, "address-list")
            .await
            .contains("Calle Mayor 1")
    })
    .await;
    let items = app.scan_all().await;
    let address = items
        .iter()
        .find(|i| s(i, "SK").unwrap().starts_with("ADDRESS#"))
        .expect("address stored");
    assert_eq!(
        address["address"].as_m().unwrap()["postal_code"]
            .as_s()
            .unwrap(),
        "28013"
    );
    assert_eq!(
        s(&profile_of(&items).unwrap(), "default_delivery_address"),
        s(address, "id")
    );
    let png = c.screenshot().await.unwrap();
    std::fs::write(artifacts_dir().join("preferences-1280.png"), png).unwrap();

    // The export link: the browser fetches it with the customer's own session and gets
    // a JSON attachment. (Headless Chromium's download manager never issues the request
    // on this closed-network machine, so the test reads the same response in the page.)
    let link = c.find(Locator::Id("export-link")).await.unwrap();
    assert_eq!(
        link.attr("href").await.unwrap().as_deref(),
        Some("/api/me/export")
    );
    assert!(link.attr("download").await.unwrap().is_some());
    let fetched = c
        .execute_async(
            r#"const done = arguments[arguments.length - 1];
               fetch(document.getElementById("export-link").href, { credentials: "same-origin" })
                 .then(async (r) => done({ status: r.status, disposition: r.headers.get("content-disposition"), body: await r.text() }))
                 .catch((e) => done({ error: String(e) }));"#,
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(fetched["status"], 200, "{fetched}");
    assert!(
        fetched["disposition"]
            .as_str()
            .unwrap()
            .starts_with("attachment")
    );
    let body = fetched["body"].as_str().unwrap();
    std::fs::write(artifacts_dir().join("ecrm-export.json"), body).unwrap();
    let export: Value = serde_json::from_str(body).unwrap();
    assert_eq!(export["customer_id"], id.as_str());
    assert_eq!(export["summary"]["addresses"][0]["line1"], "Calle Mayor 1");
    assert_eq!(export["summary"]["topics"], serde_json::json!(["kitchen"]));

    // A new email address: the rest is saved, and the new address is used once the
    // code mailed there is typed in.
    let email = c.find(Locator::Id("pref-email")).await.unwrap();
    email.clear().await.unwrap();
    email.send_keys("marta.new@example.com").await.unwrap();
    let mail_before = app.mailbox().await.len();
    c.find(Locator::Id("profile-save"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_until("asked for the code", || async {
        match c.find(Locator::Id("pref-email-code")).await {
            Ok(input) => input.is_displayed().await.unwrap_or(false),
            Err(_) => false,
        }
    })
    .await;
    let code = app.next_code(mail_before).await;
    assert_eq!(app.mailbox().await[0]["to"], "marta.new@example.com");
    c.find(Locator::Id("pref-email-code"))
        .await
        .unwrap()
        .send_keys(&code)
        .await
        .unwrap();
    c.find(Locator::Id("email-change-submit"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_until("the new address in use", || async {
        c.find(Locator::Id("pref-email"))
            .await
            .unwrap()
            .prop("value")
            .await
            .ok()
            .flatten()
            .as_deref()
            == Some("marta.new@example.com")
    })
    .await;
    let profile = profile_of(&app.scan_all().await).unwrap();
    assert_eq!(s(&profile, "email"), Some("marta.new@example.com"));

    // Erase: the account and everything about it is gone.
    c.find(Locator::Id("erase-confirm"))
        .await
        .unwrap()
        .send_keys("marta.new@example.com")
        .await
        .unwrap();
    c.find(Locator::Id("erase-submit"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_until("the page that says the account is erased", || async {
        c.current_url()
            .await
            .map(|u| u.path() == "/account/erased/")
            .unwrap_or(false)
    })
    .await;
    // The erasure's own receipt is addressed to the erased email until the mail worker
    // sends it (and deletes it): wait for that, then nothing may be left.
    app.wait_outbox_empty().await;
    let left: Vec<_> = app
        .scan_all()
        .await
        .into_iter()
        .filter(|i| {
            format!("{i:?}").contains(&id)
                || format!("{i:?}").contains("marta@example.com")
                || format!("{i:?}").contains("marta.new@example.com")
        })
        .collect();
    assert!(left.is_empty(), "held after erasure: {left:?}");

    browser.close().await;
    app.shutdown().await;
}
