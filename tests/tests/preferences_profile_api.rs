//! The preference centre's API (`/api/me`) through the local runner over real HTTP:
//! seeing and changing the profile (merge patch under If-Match), and what a revoked
//! session may do. The helpers here serve every `preferences_*_api` file.

use ecrm_e2e::TestApp;
use reqwest::Method;
use serde_json::{Value, json};

pub(crate) async fn get_me(app: &TestApp, cookie: &str) -> (u16, Option<String>, Value) {
    let response = app
        .site_request(Method::GET, "/api/me", Some(cookie))
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let etag = response
        .headers()
        .get("etag")
        .map(|v| v.to_str().unwrap().to_string());
    (status, etag, response.json().await.unwrap_or(Value::Null))
}

pub(crate) async fn patch(
    app: &TestApp,
    cookie: &str,
    etag: Option<&str>,
    body: Value,
) -> reqwest::Response {
    let mut request = app
        .site_request(Method::PATCH, "/api/me", Some(cookie))
        .header("content-type", "application/merge-patch+json")
        .body(body.to_string());
    if let Some(etag) = etag {
        request = request.header("if-match", etag);
    }
    request.send().await.unwrap()
}

pub(crate) async fn send(
    app: &TestApp,
    method: Method,
    path: &str,
    cookie: &str,
    body: Value,
) -> reqwest::Response {
    app.site_request(method, path, Some(cookie))
        .body(body.to_string())
        .send()
        .await
        .unwrap()
}

pub(crate) fn address(country: &str, postal: &str) -> Value {
    json!({"kinds": ["billing", "delivery"], "name": "Ana García", "line1": "Calle Mayor 1",
           "city": "Madrid", "postal_code": postal, "country": country})
}

#[tokio::test]
async fn the_customer_sees_everything_in_one_document_with_an_etag() {
    let app = TestApp::start().await;
    let (id, cookie) = app.sign_up("ana@example.com").await;
    let (status, etag, me) = get_me(&app, &cookie).await;
    assert_eq!(status, 200);
    assert_eq!(etag.as_deref(), Some("\"1\""));
    assert_eq!(me["id"], id.as_str());
    assert_eq!(me["email"], "ana@example.com");
    assert_eq!(me["topics"], json!(["gifts"]));
    assert_eq!(me["consents"]["personalisation"], true);
    assert_eq!(
        me["contact"]["channels"],
        json!({"email": true, "sms": false, "phone": false, "post": false})
    );
    assert_eq!(me["addresses"], json!([]));
    assert_eq!(
        app.http
            .get(app.url("/api/me"))
            .send()
            .await
            .unwrap()
            .status()
            .as_u16(),
        401
    );
    app.shutdown().await;
}

#[tokio::test]
async fn merge_patch_under_if_match() {
    let app = TestApp::start().await;
    let (_, cookie) = app.sign_up("ana@example.com").await;

    let response = patch(&app, &cookie, None, json!({"display_name": "Ana M"})).await;
    assert_eq!(response.status().as_u16(), 428);

    let response = patch(
        &app,
        &cookie,
        Some("\"1\""),
        json!({"display_name": "Ana M", "phone": "+34 600 123 456", "topics": ["kitchen", "garden"],
               "contact": {"channels": {"sms": true}, "frequency": "monthly_digest", "paused_until": "2099-01-01"}}),
    )
    .await;
    assert_eq!(
        response.status().as_u16(),
        422,
        "a pause more than two years ahead"
    );
    assert_eq!(
        response.json::<Value>().await.unwrap()["errors"][0]["pointer"],
        "/contact/paused_until"
    );

    let response = patch(
        &app,
        &cookie,
        Some("\"1\""),
        json!({"display_name": "Ana M", "phone": "+34 600 123 456", "topics": ["kitchen", "garden"],
               "contact": {"channels": {"sms": true}, "frequency": "monthly_digest"}}),
    )
    .await;
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(response.headers()["etag"], "\"2\"");
    let (_, etag, me) = get_me(&app, &cookie).await;
    assert_eq!(etag.as_deref(), Some("\"2\""));
    assert_eq!(me["display_name"], "Ana M");
    assert_eq!(me["phone"], "+34600123456");
    assert_eq!(me["topics"], json!(["kitchen", "garden"]));
    assert_eq!(
        me["contact"]["channels"],
        json!({"email": true, "sms": true, "phone": false, "post": false})
    );
    assert_eq!(me["contact"]["frequency"], "monthly_digest");
    assert_eq!(me["language"], "es", "untouched");

    // A stale ETag changes nothing.
    let response = patch(
        &app,
        &cookie,
        Some("\"1\""),
        json!({"display_name": "Lost"}),
    )
    .await;
    assert_eq!(response.status().as_u16(), 412);
    assert_eq!(get_me(&app, &cookie).await.2["display_name"], "Ana M");

    // null removes an optional value.
    let response = patch(&app, &cookie, Some("\"2\""), json!({"phone": null})).await;
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(get_me(&app, &cookie).await.2["phone"], Value::Null);
    app.shutdown().await;
}

#[tokio::test]
async fn fifty_concurrent_writers_with_one_etag_make_one_change() {
    let app = TestApp::start().await;
    let (_, cookie) = app.sign_up("ana@example.com").await;
    let writers = (0..50).map(|i| {
        let cookie = cookie.clone();
        let app = &app;
        async move {
            patch(
                app,
                &cookie,
                Some("\"1\""),
                json!({"display_name": format!("Writer {i}")}),
            )
            .await
            .status()
            .as_u16()
        }
    });
    let statuses = futures::future::join_all(writers).await;
    assert_eq!(
        statuses.iter().filter(|&&s| s == 200).count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|&&s| s == 412).count(),
        49,
        "{statuses:?}"
    );
    let (_, etag, me) = get_me(&app, &cookie).await;
    assert_eq!(etag.as_deref(), Some("\"2\""), "exactly one version step");
    assert!(me["display_name"].as_str().unwrap().starts_with("Writer "));
    app.shutdown().await;
}

#[tokio::test]
async fn a_revoked_session_cannot_read_or_write() {
    let app = TestApp::start().await;
    let (_, cookie) = app.sign_up("ana@example.com").await;
    let code = app.request_code("ana@example.com").await;
    let verify = app
        .site_request(Method::POST, "/api/sessions/verify", None)
        .body(
            json!({"email": "ana@example.com", "code": code, "keep_other_sessions": true})
                .to_string(),
        )
        .send()
        .await
        .unwrap();
    let second = ecrm_e2e::session_cookie(&verify).unwrap();
    assert_eq!(
        app.site_request(Method::POST, "/api/me/sessions/revoke", Some(&second))
            .send()
            .await
            .unwrap()
            .status()
            .as_u16(),
        204
    );
    assert_eq!(get_me(&app, &cookie).await.0, 401);
    assert_eq!(
        patch(&app, &cookie, Some("\"1\""), json!({"display_name": "X"}))
            .await
            .status()
            .as_u16(),
        401
    );
    assert_eq!(
        send(
            &app,
            Method::POST,
            "/api/me/addresses",
            &cookie,
            address("ES", "28013")
        )
        .await
        .status()
        .as_u16(),
        401
    );
    assert_eq!(
        send(
            &app,
            Method::PUT,
            "/api/me/consents/marketing_email",
            &cookie,
            json!({"granted": true})
        )
        .await
        .status()
        .as_u16(),
        401
    );
    app.shutdown().await;
}
