//! Sign-in in headless Chromium: a visitor signs up, signs out, signs in again with the
//! code read from the local development mailbox, and lands signed in on their account.

use ecrm_e2e::browser::{Browser, wait_until};
use ecrm_e2e::{TestApp, code_in};
use fantoccini::Locator;
use std::time::Duration;

async fn session_state(browser: &Browser) -> Option<String> {
    browser
        .client
        .execute(
            "return document.documentElement.dataset.session || null",
            vec![],
        )
        .await
        .ok()
        .and_then(|v| v.as_str().map(String::from))
}

async fn visible(browser: &Browser, id: &str) -> bool {
    match browser.client.find(Locator::Id(id)).await {
        Ok(element) => element.is_displayed().await.unwrap_or(false),
        Err(_) => false,
    }
}

#[tokio::test]
async fn sign_up_sign_out_sign_in_with_the_mailed_code() {
    let app = TestApp::start().await;
    let browser = Browser::start(1280, 1000).await;
    let c = &browser.client;

    // Sign up through the form: the new customer is signed in.
    c.goto(&app.url("/signup/")).await.unwrap();
    c.find(Locator::Id("email"))
        .await
        .unwrap()
        .send_keys("lucia@example.com")
        .await
        .unwrap();
    c.find(Locator::Id("display_name"))
        .await
        .unwrap()
        .send_keys("Lucía")
        .await
        .unwrap();
    c.find(Locator::Css("#language option[value='en']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
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
    wait_until("sign-up success", || visible(&browser, "signup-success")).await;

    // The account page needs a customer and greets this one.
    c.goto(&app.url("/account/")).await.unwrap();
    wait_until("signed-in header", || async {
        session_state(&browser).await.as_deref() == Some("signed-in")
    })
    .await;
    assert!(visible(&browser, "nav-signout").await);
    assert!(!visible(&browser, "nav-signin").await);
    let greeting = c.find(Locator::Id("account-name")).await.unwrap();
    wait_until("greeting", || async {
        greeting.text().await.unwrap_or_default() == "Lucía"
    })
    .await;

    // Sign out from the header.
    c.find(Locator::Id("nav-signout"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_until("signed out", || async {
        session_state(&browser).await.as_deref() == Some("signed-out")
    })
    .await;
    assert!(visible(&browser, "nav-signin").await);

    // The account page now sends the visitor to sign in, and back afterwards.
    c.goto(&app.url("/account/")).await.unwrap();
    wait_until("redirect to sign-in", || async {
        c.current_url()
            .await
            .map(|u| u.path() == "/signin/")
            .unwrap_or(false)
    })
    .await;
    let url = c.current_url().await.unwrap();
    assert_eq!(url.query(), Some("next=%2Faccount%2F"));

    // The URL changes as the navigation starts: wait for the sign-in page's form.
    c.wait()
        .for_element(Locator::Id("signin-email"))
        .await
        .unwrap()
        .send_keys("Lucia@Example.com")
        .await
        .unwrap();
    let mail_before = app.mailbox().await.len();
    c.find(Locator::Id("signin-email-submit"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_until("code form", || visible(&browser, "signin-code-form")).await;

    // Read the code as a person would: from the development mailbox page.
    let mut code = None;
    for _ in 0..50 {
        let mail = app.mailbox().await;
        if mail.len() > mail_before {
            code = code_in(mail[0]["text"].as_str().unwrap());
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let code = code.expect("the sign-in mail");
    let mailbox_page = app
        .http
        .get(app.url("/dev/mailbox"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        mailbox_page.contains(&code),
        "the development mailbox page shows the mail"
    );

    // A wrong code first: the error shows beside the field.
    c.find(Locator::Id("signin-code"))
        .await
        .unwrap()
        .send_keys("AAAA-AAAA")
        .await
        .unwrap();
    c.find(Locator::Id("signin-code-submit"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_until("code error", || async {
        match c.find(Locator::Id("signin-code-error")).await {
            Ok(e) => !e.text().await.unwrap_or_default().is_empty(),
            Err(_) => false,
        }
    })
    .await;
    let input = c.find(Locator::Id("signin-code")).await.unwrap();
    assert_eq!(
        input.attr("aria-invalid").await.unwrap().as_deref(),
        Some("true")
    );
    input.clear().await.unwrap();
    input.send_keys(&code.to_lowercase()).await.unwrap();
    c.find(Locator::Id("signin-code-submit"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();

    // Back on the account page, signed in.
    wait_until("account page", || async {
        c.current_url()
            .await
            .map(|u| u.path() == "/account/")
            .unwrap_or(false)
    })
    .await;
    wait_until("signed in again", || async {
        session_state(&browser).await.as_deref() == Some("signed-in")
    })
    .await;
    let name = c
        .find(Locator::Id("nav-account"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(name.contains("Lucía"), "{name}");
    let png = c.screenshot().await.unwrap();
    let dir = ecrm_e2e::repo_root().join("tests/artifacts");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("signed-in-account-1280.png"), png).unwrap();

    browser.close().await;
    app.shutdown().await;
}

/// `?next=` after sign-in is parsed with the browser's own URL parser against the
/// site's origin: tab, newline, CR/LF and backslash tricks that a prefix check let
/// through land on the account page, never on another site.
#[tokio::test]
async fn next_after_sign_in_never_leaves_the_site() {
    let app = TestApp::start().await;
    let browser = Browser::start(1280, 900).await;
    let c = &browser.client;
    c.goto(&app.url("/signin/")).await.unwrap();
    let cases = [
        ("/\t/evil.example/phish", "/account/"),
        ("/\n/evil.example/phish", "/account/"),
        ("/\r\n/evil.example", "/account/"),
        ("/\\evil.example/phish", "/account/"),
        ("/\\/evil.example", "/account/"),
        ("//evil.example", "/account/"),
        ("https://evil.example/", "/account/"),
        ("javascript:alert(1)", "/account/"),
        (
            "/account/quotes/?page=2#list",
            "/account/quotes/?page=2#list",
        ),
        ("/es/account/", "/es/account/"),
    ];
    let inputs: Vec<&str> = cases.iter().map(|(raw, _)| *raw).collect();
    let results = c
        .execute_async(
            r#"const [inputs, done] = arguments;
               import("/js/signin.js")
                 .then((m) => done(inputs.map((raw) => m.safeNext(raw))))
                 .catch((e) => done("import failed: " + e));"#,
            vec![serde_json::json!(inputs)],
        )
        .await
        .unwrap();
    let results = results.as_array().expect("an array of paths").clone();
    for ((raw, expected), got) in cases.iter().zip(results) {
        assert_eq!(got.as_str(), Some(*expected), "next={raw:?}");
    }
    browser.close().await;
    app.shutdown().await;
}
