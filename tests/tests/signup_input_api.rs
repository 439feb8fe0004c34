//! Sign-up's bad input over real HTTP: each field at fault named, wrong types, non-JSON
//! and oversized bodies refused, and a store that is down, all with nothing written.

use ecrm_e2e::{TestApp, pointers, sign_up_body};
use serde_json::{Value, json};

/// A problem+json answer, with the RFC 9457 members every problem carries.
pub(crate) async fn problem(response: reqwest::Response, status: u16) -> Value {
    let body = ecrm_e2e::problem(response, status).await;
    assert!(
        body["type"]
            .as_str()
            .is_some_and(|t| t.starts_with("/problems/"))
    );
    assert!(body["title"].as_str().is_some_and(|t| !t.is_empty()));
    body
}

#[tokio::test]
async fn missing_and_invalid_fields_are_each_named_and_nothing_is_written() {
    let app = TestApp::start().await;
    let body = problem(app.post_json("/api/customers", &json!({})).await, 422).await;
    assert_eq!(
        pointers(&body),
        [
            "/email",
            "/display_name",
            "/language",
            "/country",
            "/consents/account"
        ]
    );

    let hostile = json!({
        "email": "ana@@example.com",
        "display_name": "Ana\u{0007}",
        "language": "fr",
        "country": "ZZ",
        "topics": ["gifts", "<script>"],
        "consents": {"account": false, "marketing_email": true}
    });
    let body = problem(app.post_json("/api/customers", &hostile).await, 422).await;
    assert_eq!(
        pointers(&body),
        [
            "/email",
            "/display_name",
            "/language",
            "/country",
            "/topics/1",
            "/consents/account"
        ]
    );
    assert!(app.scan_all().await.is_empty());
    app.shutdown().await;
}

#[tokio::test]
async fn wrong_types_unknown_fields_and_bad_json_are_400() {
    let app = TestApp::start().await;
    let mut wrong_type = sign_up_body("a@example.com");
    wrong_type["consents"]["personalisation"] = json!("yes");
    let body = problem(app.post_json("/api/customers", &wrong_type).await, 400).await;
    assert_eq!(pointers(&body), ["/consents/personalisation"]);

    let mut unknown = sign_up_body("a@example.com");
    unknown["is_admin"] = json!(true);
    let body = problem(app.post_json("/api/customers", &unknown).await, 400).await;
    assert_eq!(pointers(&body), ["/is_admin"]);

    let response = app
        .http
        .post(app.url("/api/customers"))
        .header("content-type", "application/json")
        .body("{\"email\": ")
        .send()
        .await
        .unwrap();
    problem(response, 400).await;
    assert!(app.scan_all().await.is_empty());
    app.shutdown().await;
}

#[tokio::test]
async fn non_json_is_415_and_oversized_is_413() {
    let app = TestApp::start().await;
    let form = app
        .http
        .post(app.url("/api/customers"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("email=a%40example.com")
        .send()
        .await
        .unwrap();
    problem(form, 415).await;
    let none = app
        .http
        .post(app.url("/api/customers"))
        .body("{}")
        .send()
        .await
        .unwrap();
    problem(none, 415).await;

    let mut big = sign_up_body("big@example.com");
    big["display_name"] = json!("x".repeat(ecrm_core::web::json::BODY_LIMIT_BYTES + 1));
    let body = problem(app.post_json("/api/customers", &big).await, 413).await;
    assert!(body["detail"].as_str().unwrap().contains("16384"));
    assert!(app.scan_all().await.is_empty());
    app.shutdown().await;
}

#[tokio::test]
async fn store_down_is_503_with_nothing_written_and_recovers() {
    let mut app = TestApp::start().await;
    app.running.stop_store().await;
    let response = app
        .post_json("/api/customers", &sign_up_body("down@example.com"))
        .await;
    assert_eq!(response.headers()["retry-after"], "5");
    problem(response, 503).await;

    app.running.restart_store().await.unwrap();
    assert!(
        app.scan_all().await.is_empty(),
        "nothing written while the store was down"
    );
    let (id, _) = app.sign_up("down@example.com").await;
    assert_eq!(id.len(), 26, "the same email signs up afterwards");
    app.shutdown().await;
}
