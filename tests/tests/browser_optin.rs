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
