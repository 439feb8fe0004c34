//! The preference centre's API over real HTTP: addresses, with one default of each
//! kind and a limit, checked against full scans of the table.

use super::preferences_profile_api::{address, get_me, send};
use ecrm_e2e::{TestApp, s};
use reqwest::Method;
use serde_json::{Value, json};

#[tokio::test]
async fn addresses_with_one_default_of_each_kind_and_a_limit() {
    let app = TestApp::start().await;
    let (_, cookie) = app.sign_up("ana@example.com").await;
    let (_, other) = app.sign_up("eve@example.com").await;

    let mut first = address("ES", "28013");
    first["default_delivery"] = json!(true);
    first["default_billing"] = json!(true);
    let response = send(&app, Method::POST, "/api/me/addresses", &cookie, first).await;
    assert_eq!(response.status().as_u16(), 201);
    let first_id = response.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();

    let mut second = address("GB", "SW1A 1AA");
    second["default_delivery"] = json!(true);
    let response = send(&app, Method::POST, "/api/me/addresses", &cookie, second).await;
    assert_eq!(response.status().as_u16(), 201);
    let second_id = response.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();

    let (_, etag, me) = get_me(&app, &cookie).await;
    assert_eq!(
        etag.as_deref(),
        Some("\"3\""),
        "address changes move the ETag"
    );
    let by_id = |id: &str| {
        me["addresses"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["id"] == id)
            .unwrap()
            .clone()
    };
    assert_eq!(by_id(&first_id)["default_billing"], true);
    assert_eq!(
        by_id(&first_id)["default_delivery"],
        false,
        "the newer default replaced it"
    );
    assert_eq!(by_id(&second_id)["default_delivery"], true);

    // Country rules, and another customer's address is not found.
    let response = send(
        &app,
        Method::POST,
        "/api/me/addresses",
        &cookie,
        address("US", "94105"),
    )
    .await;
    assert_eq!(response.status().as_u16(), 422);
    assert_eq!(
        response.json::<Value>().await.unwrap()["errors"][0]["pointer"],
        "/region"
    );
    let response = send(
        &app,
        Method::PUT,
        &format!("/api/me/addresses/{first_id}"),
        &other,
        address("ES", "28001"),
    )
    .await;
    assert_eq!(response.status().as_u16(), 404);
    let response = send(
        &app,
        Method::DELETE,
        &format!("/api/me/addresses/{first_id}"),
        &other,
        json!({}),
    )
    .await;
    assert_eq!(response.status().as_u16(), 404);

    // Replace, then delete the default billing address: the pointer goes with it.
    let mut changed = address("ES", "28001");
    changed["city"] = json!("Alcalá");
    let response = send(
        &app,
        Method::PUT,
        &format!("/api/me/addresses/{first_id}"),
        &cookie,
        changed,
    )
    .await;
    assert_eq!(response.status().as_u16(), 200);
    let me = get_me(&app, &cookie).await.2;
    let first = me["addresses"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == first_id.as_str())
        .unwrap()
        .clone();
    assert_eq!(first["city"], "Alcalá");
    assert_eq!(
        first["default_billing"], false,
        "PUT without default_billing gives it up"
    );
    let response = send(
        &app,
        Method::DELETE,
        &format!("/api/me/addresses/{second_id}"),
        &cookie,
        json!({}),
    )
    .await;
    assert_eq!(response.status().as_u16(), 204);
    let me = get_me(&app, &cookie).await.2;
    assert_eq!(me["addresses"].as_array().unwrap().len(), 1);
    assert!(
        !app.scan_all()
            .await
            .iter()
            .any(|i| s(i, "default_delivery_address") == Some(second_id.as_str()))
    );

    // The limit: ten in all.
    for _ in 0..9 {
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
            201
        );
    }
    let response = send(
        &app,
        Method::POST,
        "/api/me/addresses",
        &cookie,
        address("ES", "28013"),
    )
    .await;
    assert_eq!(response.status().as_u16(), 422);
    assert_eq!(
        get_me(&app, &cookie).await.2["addresses"]
            .as_array()
            .unwrap()
            .len(),
        10
    );
    app.shutdown().await;
}
