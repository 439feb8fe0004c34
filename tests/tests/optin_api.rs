//! Confirmed opt-in and the no-login preference link (issue #15): ticking marketing
//! email records it as pending and mails a confirmation link; only that link (once)
//! makes it granted, with both steps in the ledger. The preference link reads and
//! changes preferences only, and dies with "sign out everywhere".

use ecrm_e2e::{TestApp, sign_up_body};
use reqwest::Method;
use serde_json::{Value, json};

async fn call(
    app: &TestApp,
    method: Method,
    path: &str,
    cookie: Option<&str>,
    body: Value,
) -> reqwest::Response {
    // Null is "no body" here, so the many calls read as one line.
    let body = (!body.is_null()).then_some(body);
    app.site_call(method, path, cookie, body).await
}

fn token_after(text: &str, marker: &str) -> String {
    let at = text
        .find(marker)
        .unwrap_or_else(|| panic!("no {marker} in {text}"))
        + marker.len();
    text[at..].split_whitespace().next().unwrap().to_string()
}

async fn marketing_entries(app: &TestApp, cookie: &str) -> (Value, Vec<Value>) {
    let history: Value = call(
        app,
        Method::GET,
        "/api/me/consents",
        Some(cookie),
        Value::Null,
    )
    .await
    .json()
    .await
    .unwrap();
    let mut entries: Vec<Value> = history["history"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["purpose"] == "marketing_email")
        .cloned()
        .collect();
    entries.sort_by(|a, b| a["at"].as_str().cmp(&b["at"].as_str()));
    (history, entries)
}

#[tokio::test]
async fn marketing_at_sign_up_is_pending_until_the_mailed_link_confirms_it() {
    let app = TestApp::start().await;
    let mut body = sign_up_body("ana@example.com");
    body["consents"]["marketing_email"] = json!(true);
    let (id, cookie) = app.sign_up_with(&body).await;

    let (history, entries) = marketing_entries(&app, &cookie).await;
    assert_eq!(
        history["current"]["marketing_email"], false,
        "not in force yet"
    );
    assert_eq!(history["marketing_email_pending"], true);
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0]["step"], "pending");
    assert_eq!(entries[0]["granted"], false);

    let mail = app
        .mail_from_template("ana@example.com", "marketing_confirm")
        .await;
    assert_eq!(mail["language"], "es");
    let token = token_after(mail["text"].as_str().unwrap(), "#confirm=");
    // The link is a page: nothing is confirmed by opening it.
    let page = app
        .http
        .get(app.url("/es/email-preferences/"))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    assert_eq!(marketing_entries(&app, &cookie).await.1.len(), 1);

    let confirmed = call(
        &app,
        Method::POST,
        "/api/consents/confirm",
        None,
        json!({"token": token}),
    )
    .await;
    assert_eq!(confirmed.status(), 200);
    let confirmed: Value = confirmed.json().await.unwrap();
    assert_eq!(confirmed["granted"], true);
    assert_eq!(confirmed["receipt"]["step"], "confirmed");
    assert_eq!(confirmed["receipt"]["source"], "email_link");
    assert_eq!(confirmed["receipt"]["customer_id"], id.as_str());

    let (history, entries) = marketing_entries(&app, &cookie).await;
    assert_eq!(history["current"]["marketing_email"], true);
    assert_eq!(history["marketing_email_pending"], false);
    let steps: Vec<&str> = entries
        .iter()
        .map(|e| e["step"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(steps, ["pending", "confirmed"]);
    assert!(entries.iter().all(|e| e["policy_version"] == ecrm_core::site_config::facts().policy_version.as_str()));

    // Single use.
    let again = call(
        &app,
        Method::POST,
        "/api/consents/confirm",
        None,
        json!({"token": token}),
    )
    .await;
    assert_eq!(again.status(), 409);
    // A receipt, readable, in Spanish.
    let receipt = app
        .mail_from_template("ana@example.com", "consent_changed")
        .await;
    assert!(
        receipt["text"]
            .as_str()
            .unwrap()
            .contains("confirmado desde el enlace")
    );
    app.shutdown().await;
}

#[tokio::test]
async fn ticking_marketing_in_the_preference_centre_asks_first_and_a_newer_link_replaces_the_old() {
    let app = TestApp::start().await;
    let (_, cookie) = app.sign_up("ana@example.com").await;
    let put = |granted| {
        let (app, cookie) = (&app, &cookie);
        async move {
            call(
                app,
                Method::PUT,
                "/api/me/consents/marketing_email",
                Some(cookie),
                json!({"granted": granted}),
            )
            .await
            .json::<Value>()
            .await
            .unwrap()
        }
    };
    let first = put(true).await;
    assert_eq!(first["granted"], false);
    assert_eq!(first["receipt"]["step"], "pending");
    let old = token_after(
        app.mail_from_template("ana@example.com", "marketing_confirm")
            .await["text"]
            .as_str()
            .unwrap(),
        "#confirm=",
    );
    // Asking again mails a new link; the old one no longer confirms.
    let before = app.mailbox().await.len();
    put(true).await;
    let mut new = old.clone();
    for _ in 0..100 {
        let mail = app.mailbox().await;
        if mail.len() > before {
            new = token_after(mail[0]["text"].as_str().unwrap(), "#confirm=");
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_ne!(new, old);
    let stale = call(
        &app,
        Method::POST,
        "/api/consents/confirm",
        None,
        json!({"token": old}),
    )
    .await;
    assert_eq!(stale.status(), 409);
    // Withdrawing while pending cancels it: the newer link no longer works either.
    let withdrawn = put(false).await;
    assert_eq!(withdrawn["changed"], true);
    let cancelled = call(
        &app,
        Method::POST,
        "/api/consents/confirm",
        None,
        json!({"token": new}),
    )
    .await;
    assert_eq!(cancelled.status(), 409);
    let (history, _) = marketing_entries(&app, &cookie).await;
    assert_eq!(history["current"]["marketing_email"], false);
    assert_eq!(history["marketing_email_pending"], false);
    app.shutdown().await;
}

#[tokio::test]
async fn the_preference_link_reads_and_changes_preferences_only() {
    let app = TestApp::start().await;
    let (_, cookie) = app.sign_up("ana@example.com").await;
    let welcome = app.mail_from_template("ana@example.com", "welcome").await;
    let token = token_after(welcome["text"].as_str().unwrap(), "#token=");

    let prefs: Value = call(
        &app,
        Method::GET,
        &format!("/api/preferences/by-link?token={token}"),
        None,
        Value::Null,
    )
    .await
    .json()
    .await
    .unwrap();
    let keys: Vec<&str> = prefs
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "contact",
            "marketing_email",
            "marketing_email_pending",
            "topics"
        ]
    );
    assert!(!prefs.to_string().contains("ana@example.com") && !prefs.to_string().contains("Ana"));

    // The token is no session: the profile and quotes stay closed to it.
    for path in ["/api/me", "/api/me/quotes", "/api/me/consents"] {
        let as_cookie = format!("ecrm_session={token}");
        let status = call(&app, Method::GET, path, Some(&as_cookie), Value::Null)
            .await
            .status();
        assert_eq!(status, 401, "{path}");
    }
    // It is not a confirmation link either, and a tampered one is refused.
    let wrong = call(
        &app,
        Method::POST,
        "/api/consents/confirm",
        None,
        json!({"token": token}),
    )
    .await;
    assert_eq!(wrong.status(), 401);
    let tampered = format!("{}x", &token[..token.len() - 1]);
    let status = call(
        &app,
        Method::GET,
        &format!("/api/preferences/by-link?token={tampered}"),
        None,
        Value::Null,
    )
    .await
    .status();
    assert_eq!(status, 401);

    // Change topics and frequency; trying anything else is refused and changes nothing.
    let changed = call(
        &app,
        Method::PUT,
        "/api/preferences/by-link",
        None,
        json!({"token": token, "topics": ["kitchen"], "contact": {"frequency": "monthly_digest"}}),
    )
    .await;
    assert_eq!(changed.status(), 200);
    let refused = call(
        &app,
        Method::PUT,
        "/api/preferences/by-link",
        None,
        json!({"token": token, "display_name": "Mallory"}),
    )
    .await;
    assert_eq!(refused.status(), 422);
    let me: Value = call(&app, Method::GET, "/api/me", Some(&cookie), Value::Null)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["topics"], json!(["kitchen"]));
    assert_eq!(me["contact"]["frequency"], "monthly_digest");
    assert_eq!(me["display_name"], "Ana");

    // One-click unsubscribe, as a mail client posts it (RFC 8058): no Origin, a form body.
    let response = app
        .http
        .post(app.url(&format!("/api/unsubscribe?token={token}")))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("List-Unsubscribe=One-Click")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let after: Value = response.json().await.unwrap();
    assert_eq!(
        after["contact"]["channels"],
        json!({"email": false, "sms": false, "phone": false, "post": false})
    );
    assert_eq!(after["marketing_email"], false);

    // An ordinary sign-in elsewhere (which ends other sessions) leaves mailed links
    // working; signing out everywhere ends them.
    let code = app.request_code("ana@example.com").await;
    let signed_in = call(
        &app,
        Method::POST,
        "/api/sessions/verify",
        None,
        json!({"email": "ana@example.com", "code": code}),
    )
    .await;
    assert_eq!(signed_in.status(), 200);
    let cookie = ecrm_e2e::session_cookie(&signed_in).unwrap();
    let status = call(
        &app,
        Method::GET,
        &format!("/api/preferences/by-link?token={token}"),
        None,
        Value::Null,
    )
    .await
    .status();
    assert_eq!(status, 200);
    // Sign out everywhere: the link dies too.
    let revoked = call(
        &app,
        Method::POST,
        "/api/me/sessions/revoke",
        Some(&cookie),
        Value::Null,
    )
    .await;
    assert!(revoked.status().is_success());
    let status = call(
        &app,
        Method::GET,
        &format!("/api/preferences/by-link?token={token}"),
        None,
        Value::Null,
    )
    .await
    .status();
    assert_eq!(status, 401);
    app.shutdown().await;
}
