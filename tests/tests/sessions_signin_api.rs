//! Passwordless sign-in through the local runner over real HTTP: codes mailed, used once,
//! wrong or expired. Codes are read from the development mailbox, as a person would. The
//! helpers here serve every `sessions_*_api` file.

use aws_sdk_dynamodb::types::AttributeValue;
use ecrm_e2e::{TestApp, s, session_cookie};
use reqwest::Method;
use serde_json::{Value, json};

pub(crate) async fn verify(app: &TestApp, email: &str, code: &str) -> reqwest::Response {
    app.site_request(Method::POST, "/api/sessions/verify", None)
        .body(json!({ "email": email, "code": code }).to_string())
        .send()
        .await
        .unwrap()
}

/// Sign in, keeping the customer's other sessions alive.
pub(crate) async fn verify_keeping(app: &TestApp, email: &str, code: &str) -> reqwest::Response {
    app.site_request(Method::POST, "/api/sessions/verify", None)
        .body(json!({ "email": email, "code": code, "keep_other_sessions": true }).to_string())
        .send()
        .await
        .unwrap()
}

pub(crate) async fn current(app: &TestApp, cookie: &str) -> reqwest::Response {
    app.site_request(Method::GET, "/api/sessions/current", Some(cookie))
        .send()
        .await
        .unwrap()
}

fn wrong(code: &str) -> String {
    let first = if code.starts_with('Z') { 'Y' } else { 'Z' };
    format!("{first}{}", &code[1..])
}

#[tokio::test]
async fn finishing_sign_up_signs_in_with_a_strict_cookie() {
    let app = TestApp::start().await;
    let before = app.mailbox().await.len();
    let accepted = app
        .post_json("/api/customers", &ecrm_e2e::sign_up_body("ana@example.com"))
        .await;
    assert_eq!(accepted.status().as_u16(), 202);
    let code = app.next_code(before).await;
    let response = verify(&app, "ana@example.com", &code).await;
    assert_eq!(response.status().as_u16(), 200);
    let set_cookie = response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_string();
    for attribute in ["HttpOnly", "SameSite=Strict", "Path=/api", "Max-Age=604800"] {
        assert!(
            set_cookie.contains(attribute),
            "{attribute} in {set_cookie}"
        );
    }
    assert!(
        !set_cookie.contains("Secure"),
        "plain-http loopback runner: no Secure"
    );
    let cookie = session_cookie(&response).unwrap();
    let id = response.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let me: Value = current(&app, &cookie).await.json().await.unwrap();
    assert_eq!(me["id"], id.as_str());
    assert_eq!(me["display_name"], "Ana");
    app.shutdown().await;
}

#[tokio::test]
async fn sign_in_with_the_mailed_code_once() {
    let app = TestApp::start().await;
    let (id, _) = app.sign_up("ana@example.com").await;
    let code = app.request_code(" ANA@example.com").await;
    let mail = &app.mailbox().await[0];
    assert_eq!(mail["to"], "ana@example.com");

    let response = verify(&app, "ana@example.com", &code.to_lowercase()).await;
    assert_eq!(response.status().as_u16(), 200);
    let cookie = session_cookie(&response).unwrap();
    assert_eq!(response.json::<Value>().await.unwrap()["id"], id.as_str());
    assert_eq!(current(&app, &cookie).await.status().as_u16(), 200);

    // Single use: the same code again is refused, and nothing is left in the table.
    assert_eq!(
        verify(&app, "ana@example.com", &code)
            .await
            .status()
            .as_u16(),
        401
    );
    assert!(
        !app.scan_all()
            .await
            .iter()
            .any(|i| s(i, "PK").unwrap().starts_with("SIGNIN#"))
    );
    app.shutdown().await;
}

#[tokio::test]
async fn five_wrong_codes_kill_the_code() {
    let app = TestApp::start().await;
    app.sign_up("ana@example.com").await;
    let code = app.request_code("ana@example.com").await;
    for attempt in 1..=5 {
        let response = verify(&app, "ana@example.com", &wrong(&code)).await;
        assert_eq!(response.status().as_u16(), 401, "attempt {attempt}");
        assert_eq!(
            response.headers()["content-type"],
            "application/problem+json"
        );
    }
    let item = app
        .scan_all()
        .await
        .into_iter()
        .find(|i| s(i, "PK").unwrap().starts_with("SIGNIN#"))
        .unwrap();
    assert_eq!(item["attempts"].as_n().unwrap(), "5");
    assert_eq!(
        verify(&app, "ana@example.com", &code)
            .await
            .status()
            .as_u16(),
        401,
        "dead after five failures"
    );
    // A new code works again.
    let fresh = app.request_code("ana@example.com").await;
    assert_eq!(
        verify(&app, "ana@example.com", &fresh)
            .await
            .status()
            .as_u16(),
        200
    );
    app.shutdown().await;
}

#[tokio::test]
async fn expired_codes_are_refused() {
    let app = TestApp::start().await;
    app.sign_up("ana@example.com").await;
    let code = app.request_code("ana@example.com").await;
    let item = app
        .scan_all()
        .await
        .into_iter()
        .find(|i| s(i, "PK").unwrap().starts_with("SIGNIN#"))
        .unwrap();
    // Move the expiry into the past, as ten minutes passing would.
    app.running
        .client
        .update_item()
        .table_name(&app.running.table)
        .key("PK", item["PK"].clone())
        .key("SK", item["SK"].clone())
        .update_expression("SET expires_at = :past")
        .expression_attribute_values(":past", AttributeValue::N("1".into()))
        .send()
        .await
        .unwrap();
    assert_eq!(
        verify(&app, "ana@example.com", &code)
            .await
            .status()
            .as_u16(),
        401
    );
    app.shutdown().await;
}

#[tokio::test]
async fn bad_sign_in_input_is_a_problem() {
    let app = TestApp::start().await;
    let response = app
        .site_request(Method::POST, "/api/sessions", None)
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 422);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["errors"][0]["pointer"], "/email");
    let response = app
        .site_request(Method::POST, "/api/sessions/verify", None)
        .body(json!({"email": "a@example.com"}).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 422);
    app.shutdown().await;
}

/// Asking for a new code never kills the one a person is about to type: a stranger
/// asking for codes in someone's name cannot lock them out. Each code still works once.
#[tokio::test]
async fn a_new_code_does_not_kill_the_previous_one() {
    let app = TestApp::start().await;
    app.sign_up("ana@example.com").await;
    let first = app.request_code("ana@example.com").await;
    let second = app.request_code("ana@example.com").await;
    assert_ne!(first, second);
    let response = verify(&app, "ana@example.com", &first).await;
    assert_eq!(
        response.status().as_u16(),
        200,
        "the earlier code still works"
    );
    // Used: neither code works again (the sign-in consumed the item).
    assert_eq!(
        verify(&app, "ana@example.com", &first)
            .await
            .status()
            .as_u16(),
        401
    );
    assert_eq!(
        verify(&app, "ana@example.com", &second)
            .await
            .status()
            .as_u16(),
        401
    );
    // Only the newest two are live: a third request retires the first.
    let one = app.request_code("ana@example.com").await;
    let _two = app.request_code("ana@example.com").await;
    let three = app.request_code("ana@example.com").await;
    assert_eq!(
        verify(&app, "ana@example.com", &one)
            .await
            .status()
            .as_u16(),
        401
    );
    assert_eq!(
        verify(&app, "ana@example.com", &three)
            .await
            .status()
            .as_u16(),
        200
    );
    app.shutdown().await;
}
