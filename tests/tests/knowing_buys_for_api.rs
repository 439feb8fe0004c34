//! Knowing the customer openly (issue #18) over real HTTP: who they buy for (stated at
//! sign-up, changed in the preference centre, in the export), and the suggestion inferred
//! from quotes (only with consent, applied only when accepted). The helpers here serve
//! every `knowing_*_api` file.

use ecrm_e2e::{TestApp, problem, sign_up_body};
use reqwest::Method;
use serde_json::{Value, json};

pub(crate) async fn json_of(app: &TestApp, path: &str, cookie: &str) -> Value {
    let response = app.member_call(Method::GET, path, cookie, None).await;
    assert_eq!(response.status().as_u16(), 200, "{path}");
    response.json().await.unwrap()
}

async fn me(app: &TestApp, cookie: &str) -> (String, Value) {
    let response = app.member_call(Method::GET, "/api/me", cookie, None).await;
    assert_eq!(response.status().as_u16(), 200);
    let etag = response.headers()["etag"].to_str().unwrap().to_string();
    (etag, response.json().await.unwrap())
}

pub(crate) async fn patch_me(app: &TestApp, cookie: &str, body: Value) -> reqwest::Response {
    let (etag, _) = me(app, cookie).await;
    app.site_request(Method::PATCH, "/api/me", Some(cookie))
        .header("content-type", "application/merge-patch+json")
        .header("if-match", etag)
        .body(body.to_string())
        .send()
        .await
        .unwrap()
}

/// A member's quote with these quantities of the first catalog items; its id.
pub(crate) async fn quote(app: &TestApp, cookie: &str, quantities: &[u32]) -> String {
    let catalog = json_of(app, "/api/catalog", cookie).await;
    let items = catalog["items"].as_array().expect("catalog items");
    let lines: Vec<Value> = quantities
        .iter()
        .zip(items)
        .map(|(q, item)| json!({"sku": item["sku"], "quantity": q}))
        .collect();
    let response = app
        .member_call(
            Method::POST,
            "/api/quotes",
            cookie,
            Some(json!({"lines": lines, "country": "ES"})),
        )
        .await;
    assert_eq!(response.status().as_u16(), 201);
    let body: Value = response.json().await.unwrap();
    body["id"].as_str().unwrap().to_string()
}

pub(crate) async fn accept(app: &TestApp, cookie: &str, id: &str) {
    let path = format!("/api/quotes/{id}/accept");
    let response = app.member_call(Method::POST, &path, cookie, None).await;
    assert_eq!(response.status().as_u16(), 200);
}

#[tokio::test]
async fn buys_for_is_stated_at_sign_up_changed_and_exported() {
    let app = TestApp::start().await;
    let mut body = sign_up_body("ana@example.com");
    body["buys_for"] = json!("gifts");
    let (_, cookie) = app.sign_up_with(&body).await;
    let (_, shown) = me(&app, &cookie).await;
    assert_eq!(
        (
            shown["buys_for"].as_str(),
            shown["buys_for_source"].as_str()
        ),
        (Some("gifts"), Some("stated"))
    );

    // A value outside the three is refused with its field named; nothing changes.
    let refused = problem(
        patch_me(&app, &cookie, json!({"buys_for": "reseller"})).await,
        422,
    )
    .await;
    assert_eq!(refused["errors"][0]["pointer"], "/buys_for");
    let response = patch_me(&app, &cookie, json!({"buys_for": "business"})).await;
    assert_eq!(response.status().as_u16(), 200);
    let changed: Value = response.json().await.unwrap();
    assert_eq!(changed["buys_for"], "business");
    let export = json_of(&app, "/api/me/export", &cookie).await;
    assert_eq!(export["summary"]["buys_for"], "business");
    let stored = export["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["kind"] == "customer")
        .unwrap();
    assert_eq!(stored["buys_for"]["source"], "stated");

    // null removes it.
    let response = patch_me(&app, &cookie, json!({"buys_for": null})).await;
    assert_eq!(response.status().as_u16(), 200);
    let (_, shown) = me(&app, &cookie).await;
    assert!(shown["buys_for"].is_null());

    // An unknown value at sign-up names the field.
    let mut bad = sign_up_body("bea@example.com");
    bad["buys_for"] = json!("shop");
    let refused = problem(app.post_json("/api/customers", &bad).await, 422).await;
    assert!(
        refused["errors"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["pointer"] == "/buys_for")
    );
    app.shutdown().await;
}

#[tokio::test]
async fn reseller_quotes_suggest_business_only_with_consent_and_only_accepting_changes_it() {
    let app = TestApp::start().await;
    let (_, cookie) = app.sign_up("ana@example.com").await;
    let none = json_of(&app, "/api/me/suggestions", &cookie).await;
    assert_eq!(none["suggestions"], json!([]));
    quote(&app, &cookie, &[60]).await;
    quote(&app, &cookie, &[2]).await;
    assert_eq!(
        json_of(&app, "/api/me/suggestions", &cookie).await["suggestions"],
        json!([]),
        "one big quote is no pattern"
    );
    quote(&app, &cookie, &[50, 50]).await;
    let suggested = json_of(&app, "/api/me/suggestions", &cookie).await;
    assert_eq!(suggested["suggestions"][0]["id"], "buys_for_business");
    assert!(
        suggested["suggestions"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("48")
    );
    // Shown, but nothing changed yet.
    let (_, shown) = me(&app, &cookie).await;
    assert!(shown["buys_for"].is_null());

    // Without personalisation consent, no inference at all.
    let withdraw = app
        .member_call(
            Method::PUT,
            "/api/me/consents/personalisation",
            &cookie,
            Some(json!({"granted": false})),
        )
        .await;
    assert_eq!(withdraw.status().as_u16(), 200);
    assert_eq!(
        json_of(&app, "/api/me/suggestions", &cookie).await["suggestions"],
        json!([])
    );
    let grant = app
        .member_call(
            Method::PUT,
            "/api/me/consents/personalisation",
            &cookie,
            Some(json!({"granted": true})),
        )
        .await;
    assert_eq!(grant.status().as_u16(), 200);

    problem(
        app.member_call(
            Method::POST,
            "/api/me/suggestions/buys_for_home/accept",
            &cookie,
            None,
        )
        .await,
        404,
    )
    .await;
    let accepted = app
        .member_call(
            Method::POST,
            "/api/me/suggestions/buys_for_business/accept",
            &cookie,
            None,
        )
        .await;
    assert_eq!(accepted.status().as_u16(), 204);
    let (_, shown) = me(&app, &cookie).await;
    assert_eq!(
        (
            shown["buys_for"].as_str(),
            shown["buys_for_source"].as_str()
        ),
        (Some("business"), Some("accepted_suggestion"))
    );
    assert_eq!(
        json_of(&app, "/api/me/suggestions", &cookie).await["suggestions"],
        json!([])
    );

    // Another customer declines: the suggestion is not made again.
    let (_, other) = app.sign_up("bea@example.com").await;
    quote(&app, &other, &[100]).await;
    quote(&app, &other, &[48]).await;
    assert_eq!(
        json_of(&app, "/api/me/suggestions", &other).await["suggestions"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let dismissed = app
        .member_call(
            Method::POST,
            "/api/me/suggestions/buys_for_business/dismiss",
            &other,
            None,
        )
        .await;
    assert_eq!(dismissed.status().as_u16(), 204);
    assert_eq!(
        json_of(&app, "/api/me/suggestions", &other).await["suggestions"],
        json!([])
    );
    let (_, shown) = me(&app, &other).await;
    assert!(shown["buys_for"].is_null());
    app.shutdown().await;
}
