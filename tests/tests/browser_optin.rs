//! Confirmed opt-in in headless Chromium (issue #15): the confirmation mail is opened
//! on the development mailbox page, its link followed, and the page's one button
//! confirms (opening the link alone confirms nothing).

use ecrm_e2e::browser::{Browser, wait_until};
use ecrm_e2e::{TestApp, sign_up_body};
use fantoccini::Locator;
use reqwest::Method;
use serde_json::{Value, json};

async fn marketing(app: &TestApp, cookie: &str) -> (Value, Value) {
    let history: Value = app
        .site_request(Method::GET, "/api/me/consents", Some(cookie))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    (
        history["current"]["marketing_email"].clone(),
        history["marketing_email_pending"].clone(),
    )
}

#[tokio::test]
async fn the_confirmation_link_from_the_mailbox_confirms_with_one_click() {
    let app = TestApp::start().await;
    let mut body = sign_up_body("ana@example.com");
    body["consents"]["marketing_email"] = json!(true);
    let (_, cookie) = app.sign_up_with(&body).await;
    app.mail_from_template("ana@example.com", "marketing_confirm")
        .await;

    let browser = Browser::start(1280, 1000).await;
    let c = &browser.client;
    c.goto(&app.url("/dev/mailbox")).await.unwrap();
    let link = c
        .find(Locator::Css("a[href*='#confirm=']"))
        .await
        .expect("the confirmation link on the mailbox page");
    link.click().await.unwrap();
    wait_until("the confirmation page", || async {
        match c.find(Locator::Id("ep-confirm-button")).await {
            Ok(button) => button.is_displayed().await.unwrap_or(false),
            Err(_) => false,
        }
    })
    .await;
    // The token left the address bar at once; opening the page confirmed nothing.
    let url = c.current_url().await.unwrap();
    assert!(url.path().ends_with("/es/email-preferences/"), "{url}");
    assert!(url.fragment().is_none(), "{url}");
    assert_eq!(marketing(&app, &cookie).await, (json!(false), json!(true)));

    c.find(Locator::Id("ep-confirm-button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let status = c.find(Locator::Id("ep-status")).await.unwrap();
    wait_until("confirmed", || async {
        status
            .text()
            .await
            .unwrap_or_default()
            .starts_with("Confirmado")
    })
    .await;
    assert_eq!(marketing(&app, &cookie).await, (json!(true), json!(false)));
    browser.close().await;
    app.shutdown().await;
}

#[tokio::test]
async fn the_preference_page_from_a_mail_saves_and_unsubscribes_without_signing_in() {
    let app = TestApp::start().await;
    let mut body = sign_up_body("ben@example.com");
    body["language"] = json!("en");
    let (_, cookie) = app.sign_up_with(&body).await;
    let welcome = app.mail_from_template("ben@example.com", "welcome").await;
    let text = welcome["text"].as_str().unwrap();
    let start = text.find(&app.url("/email-preferences/#token=")).unwrap();
    let link = text[start..].split_whitespace().next().unwrap().to_string();

    // A browser with no session at all.
    let browser = Browser::start(1280, 1000).await;
    let c = &browser.client;
    c.goto(&link).await.unwrap();
    wait_until("the preferences", || async {
        match c.find(Locator::Id("ep-prefs")).await {
            Ok(section) => section.is_displayed().await.unwrap_or(false),
            Err(_) => false,
        }
    })
    .await;
    let gifts = c.find(Locator::Id("ep-topic-gifts")).await.unwrap();
    assert_eq!(
        gifts.prop("checked").await.unwrap().as_deref(),
        Some("true")
    );
    gifts.click().await.unwrap();
    c.find(Locator::Id("ep-topic-kitchen"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.find(Locator::Id("ep-save"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let status = c.find(Locator::Id("ep-status")).await.unwrap();
    wait_until("saved", || async {
        status.text().await.unwrap_or_default() == "Saved."
    })
    .await;
    let me: Value = app
        .site_request(Method::GET, "/api/me", Some(&cookie))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["topics"], json!(["kitchen"]));

    c.find(Locator::Id("ep-unsubscribe"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_until("unsubscribed", || async {
        status
            .text()
            .await
            .unwrap_or_default()
            .starts_with("Done: you are unsubscribed")
    })
    .await;
    let email_box = c.find(Locator::Id("ep-channel-email")).await.unwrap();
    assert_eq!(
        email_box.prop("checked").await.unwrap().as_deref(),
        Some("false")
    );
    browser.close().await;
    app.shutdown().await;
}
