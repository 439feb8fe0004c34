//! Helpers for the customer-service tests: a staff session, opening a request, and
//! waiting for a mail of one template to one address.

use crate::{STAFF_EMAIL, TestApp, code_in};
use reqwest::Method;
use serde_json::{Value, json};

/// `ecrm_staff=…` from a response's `Set-Cookie`.
pub fn staff_cookie_of(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("ecrm_staff=") && !v.starts_with("ecrm_staff=;"))
        .and_then(|v| v.split(';').next())
        .map(str::to_string)
}

/// The first mail (newest first) to `to` made by `template`, waiting up to 5 s.
pub async fn mail_to(app: &TestApp, to: &str, template: &str) -> Value {
    for _ in 0..100 {
        let found = app
            .mailbox()
            .await
            .into_iter()
            .find(|m| m["to"] == to && m["template"] == template);
        if let Some(mail) = found {
            return mail;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("no {template} mail arrived");
}

/// Sign in as the test system's staff member; returns the staff cookie.
pub async fn staff_sign_in(app: &TestApp) -> String {
    let response = app
        .site_request(Method::POST, "/api/staff/sessions", None)
        .body(json!({ "email": STAFF_EMAIL }).to_string())
        .send()
        .await
        .expect("staff code request");
    assert_eq!(response.status().as_u16(), 202);
    let mail = mail_to(app, STAFF_EMAIL, "staff_sign_in_code").await;
    let code = code_in(mail["text"].as_str().expect("text")).expect("a code");
    let response = app
        .site_request(Method::POST, "/api/staff/sessions/verify", None)
        .body(json!({ "email": STAFF_EMAIL, "code": code }).to_string())
        .send()
        .await
        .expect("staff verify");
    assert_eq!(response.status().as_u16(), 200, "the staff code signs in");
    staff_cookie_of(&response).expect("a staff cookie")
}

/// Open a request as a signed-in customer; returns the answer's body (201 asserted).
pub async fn open_request(app: &TestApp, cookie: &str, body: &Value) -> Value {
    let response = app
        .site_request(Method::POST, "/api/requests", Some(cookie))
        .body(body.to_string())
        .send()
        .await
        .expect("open a request");
    assert_eq!(response.status().as_u16(), 201, "request opened");
    response.json().await.expect("json")
}

/// The start of a staff-side test: `email` signed up with one open request of
/// `category`, and a staff session. Returns (customer cookie, request id, staff cookie).
pub async fn request_for_staff(
    app: &TestApp,
    email: &str,
    category: &str,
) -> (String, String, String) {
    let (_, customer) = app.sign_up(email).await;
    let opened = open_request(app, &customer, &request_body(category)).await;
    let id = opened["request"]["id"]
        .as_str()
        .expect("the request's id")
        .to_string();
    let staff = staff_sign_in(app).await;
    (customer, id, staff)
}

/// A request body of `category`.
pub fn request_body(category: &str) -> Value {
    json!({
        "subject": "Where is my order?",
        "category": category,
        "message": "I accepted a quote last week and heard nothing since."
    })
}
