//! The sign-up page in headless Chromium against the local runner: a visitor fills in
//! the form, sees each field's error, fixes it, signs up; the customer is then in the
//! store.

use ecrm_e2e::browser::Browser;
use ecrm_e2e::{TestApp, repo_root, s};
use fantoccini::Locator;
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
    panic!("{css} never showed any text");
}

async fn screenshot(browser: &Browser, name: &str) {
    let dir = repo_root().join("tests/artifacts");
    std::fs::create_dir_all(&dir).unwrap();
    let png = browser.client.screenshot().await.unwrap();
    std::fs::write(dir.join(name), png).unwrap();
}

#[tokio::test]
async fn visitor_signs_up_through_the_form() {
    let app = TestApp::start().await;
    let browser = Browser::start(1280, 1000).await;
    let c = &browser.client;
    c.goto(&app.url("/signup/")).await.unwrap();

    // Every field explains why it is asked, and the privacy policy is one click away.
    let privacy_links = c
        .find_all(Locator::Css(
            "header a[href='/privacy/'], footer a[href='/privacy/']",
        ))
        .await
        .unwrap();
    assert!(
        privacy_links.len() >= 2,
        "privacy policy linked from header and footer"
    );

    // Submitting with an invalid email and without the required consent shows errors
    // beside the fields and writes nothing.
    c.find(Locator::Id("email"))
        .await
        .unwrap()
        .send_keys("not-an-email")
        .await
        .unwrap();
    c.find(Locator::Id("display_name"))
        .await
        .unwrap()
        .send_keys("Ana García")
        .await
        .unwrap();
    c.find(Locator::Css("#language option[value='es']"))
        .await
        .unwrap()
        .click()
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
    c.find(Locator::Id("signup-submit"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let email_error = wait_for_text(&browser, "#email-error").await;
    assert!(email_error.contains("email"), "{email_error}");
    let consent_error = wait_for_text(&browser, "#consent_account-error").await;
    assert!(!consent_error.is_empty());
    let invalid = c
        .find(Locator::Id("email"))
        .await
        .unwrap()
        .attr("aria-invalid")
        .await
        .unwrap();
    assert_eq!(invalid.as_deref(), Some("true"));
    screenshot(&browser, "signup-errors-1280.png").await;
    assert!(app.scan_all().await.is_empty());

    // Fix both and submit again.
    let email = c.find(Locator::Id("email")).await.unwrap();
    email.clear().await.unwrap();
    email.send_keys("Ana.Garcia@Example.com").await.unwrap();
    c.find(Locator::Id("consent_account"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.find(Locator::Id("consent_personalisation"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let mail_before = app.mailbox().await.len();
    c.find(Locator::Id("signup-submit"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();

    // The form asks for the code mailed to the address; nothing exists until then.
    wait_for_text(&browser, "#signup-code-email").await;
    let shown = c
        .find(Locator::Id("signup-code-email"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(shown, "Ana.Garcia@Example.com");
    let code = app.next_code(mail_before).await;
    assert!(
        !app.scan_all()
            .await
            .iter()
            .any(|i| s(i, "SK") == Some("PROFILE")),
        "no account before the code"
    );
    screenshot(&browser, "signup-code-1280.png").await;
    let input = c.find(Locator::Id("signup-code")).await.unwrap();
    input.send_keys("WRONG-000").await.unwrap();
    c.find(Locator::Id("signup-code-submit"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for_text(&browser, "#signup-code-error").await;
    input.clear().await.unwrap();
    input.send_keys(&code.to_lowercase()).await.unwrap();
    c.find(Locator::Id("signup-code-submit"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for_text(&browser, "#signup-success").await;
    let id = c
        .find(Locator::Id("signup-success"))
        .await
        .unwrap()
        .attr("data-customer-id")
        .await
        .unwrap()
        .expect("the new customer's id on the page");
    screenshot(&browser, "signup-success-1280.png").await;

    // The customer is in the store, exactly as chosen in the form.
    let items = app.scan_all().await;
    let profile = items
        .iter()
        .find(|i| {
            s(i, "PK") == Some(format!("CUSTOMER#{id}").as_str()) && s(i, "SK") == Some("PROFILE")
        })
        .expect("profile stored");
    assert_eq!(s(profile, "email"), Some("ana.garcia@example.com"));
    assert_eq!(s(profile, "display_name"), Some("Ana García"));
    assert_eq!(s(profile, "language"), Some("es"));
    assert_eq!(s(profile, "country"), Some("ES"));
    let consents = profile["consents"].as_m().unwrap();
    assert_eq!(consents["account"].as_bool().unwrap(), &true);
    assert_eq!(consents["personalisation"].as_bool().unwrap(), &true);
    assert_eq!(consents["marketing_email"].as_bool().unwrap(), &false);
    let topics: Vec<_> = profile["topics"]
        .as_l()
        .unwrap()
        .iter()
        .filter_map(|t| t.as_s().ok())
        .collect();
    assert_eq!(topics, ["gifts"]);

    browser.close().await;
    app.shutdown().await;
}
