//! Helpers for the recommendation tests (`recommendations_api`, `events_api`): the
//! lists come from the runner's small generated seed (`RecsSeed::Fixture`).

use crate::{TestApp, s};
use reqwest::Method;
use serde_json::{Value, json};

/// A GET as the site sends it: the status and the JSON body (null if none).
pub async fn get(app: &TestApp, path: &str, cookie: Option<&str>) -> (u16, Value) {
    let response = app
        .site_request(Method::GET, path, cookie)
        .send()
        .await
        .expect("request");
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// `POST /api/events` with these events.
pub async fn send_events(app: &TestApp, cookie: &str, events: Value) -> reqwest::Response {
    app.site_request(Method::POST, "/api/events", Some(cookie))
        .body(json!({ "events": events }).to_string())
        .send()
        .await
        .expect("events")
}

/// The items kept in the customer's events partition.
pub async fn events_of(app: &TestApp, id: &str) -> Vec<crate::Item> {
    let pk = format!("EVENTS#{id}");
    app.scan_table()
        .await
        .into_iter()
        .filter(|i| s(i, "PK") == Some(pk.as_str()))
        .collect()
}

/// The first item of a topic's list, SKU and name (every fixture item has neighbours).
pub async fn an_item_of(app: &TestApp, topic: &str) -> (String, String) {
    let (status, body) = get(
        app,
        &format!("/api/recommendations?topic={topic}&limit=3"),
        None,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let first = &body["items"][0];
    (
        first["sku"].as_str().expect("sku").to_string(),
        first["name"].as_str().expect("name").to_string(),
    )
}

/// The smallest quantity `sku` may be quoted in.
pub fn min_quantity(sku: &str) -> u32 {
    ecrm_core::domain::catalog::bundled()
        .unwrap_or_default()
        .iter()
        .find(|i| i.sku == sku)
        .map_or(1, |i| i.min_quantity)
}
