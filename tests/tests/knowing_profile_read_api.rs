//! `GET /api/me` reads only the profile and addresses (issue #19 item 4): one round trip
//! however long the consent ledger, which comes in pages.

use super::knowing_buys_for_api::json_of;
use aws_sdk_dynamodb::types::{AttributeValue, PutRequest, WriteRequest};
use ecrm_core::app::{App, profile};
use ecrm_core::domain::clock::Clock;
use ecrm_core::store::Store;
use ecrm_core::telemetry::count_dynamodb_calls;
use ecrm_e2e::{TestApp, problem};
use reqwest::Method;
use serde_json::json;
use std::collections::HashMap;

/// Write `n` ledger entries straight into the table (as 300 consent changes would).
async fn fill_ledger(app: &TestApp, customer_id: &str, n: usize) {
    let requests: Vec<WriteRequest> = (0..n)
        .map(|i| {
            let at = format!("2026-01-01T00:00:00.{i:06}Z");
            let item = HashMap::from([
                (
                    "PK".to_string(),
                    AttributeValue::S(format!("LEDGER#{customer_id}")),
                ),
                (
                    "SK".to_string(),
                    AttributeValue::S(format!("CONSENT#{at}#marketing_email")),
                ),
                ("kind".to_string(), AttributeValue::S("consent".into())),
                (
                    "purpose".to_string(),
                    AttributeValue::S("marketing_email".into()),
                ),
                ("granted".to_string(), AttributeValue::Bool(i % 2 == 0)),
                ("previous".to_string(), AttributeValue::Bool(i % 2 == 1)),
                (
                    "policy_version".to_string(),
                    AttributeValue::S("1.1".into()),
                ),
                (
                    "source".to_string(),
                    AttributeValue::S("preference_centre".into()),
                ),
                ("at".to_string(), AttributeValue::S(at)),
            ]);
            WriteRequest::builder()
                .put_request(PutRequest::builder().set_item(Some(item)).build().unwrap())
                .build()
        })
        .collect();
    for chunk in requests.chunks(25) {
        app.running
            .client
            .batch_write_item()
            .request_items(app.running.table.clone(), chunk.to_vec())
            .send()
            .await
            .unwrap();
    }
}

#[tokio::test]
async fn the_profile_read_is_one_round_trip_however_long_the_ledger_and_the_ledger_comes_in_pages()
{
    let app = TestApp::start().await;
    let (id, cookie) = app.sign_up("ana@example.com").await;
    let address = app.member_call(Method::POST,
        "/api/me/addresses",
        &cookie,
        Some(json!({"kinds": ["delivery"], "name": "Ana", "line1": "Calle Mayor 1", "city": "Madrid", "postal_code": "28013", "country": "ES"})),
    )
    .await;
    assert_eq!(address.status().as_u16(), 201);
    fill_ledger(&app, &id, 300).await;

    let token = cookie.trim_start_matches("ecrm_session=");
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let claims = app.session_key.verify(token, now).expect("our own cookie");
    let core = App::new(
        Store::new(app.running.client.clone(), app.running.table.clone()),
        app.session_key.clone(),
        Clock::system(),
    );
    let (shown, calls) = count_dynamodb_calls(profile::show(&core, &claims)).await;
    let shown = serde_json::to_value(shown.expect("profile")).unwrap();
    assert_eq!(calls, 1, "one Query");
    assert_eq!(shown["addresses"].as_array().unwrap().len(), 1);
    assert!(shown.get("history").is_none());

    // The ledger: pages of at most 100, newest first, each entry once.
    let first = json_of(&app, "/api/me/consents?limit=100", &cookie).await;
    let mut seen: Vec<String> = Vec::new();
    let mut page = first;
    loop {
        let entries = page["history"].as_array().unwrap();
        assert!(entries.len() <= 100);
        seen.extend(
            entries
                .iter()
                .map(|e| e["at"].as_str().unwrap().to_string()),
        );
        match page["next_cursor"].as_str() {
            Some(cursor) => {
                page = json_of(
                    &app,
                    &format!("/api/me/consents?limit=100&cursor={cursor}"),
                    &cookie,
                )
                .await
            }
            None => break,
        }
    }
    assert_eq!(seen.len(), 303, "300 changes and three at sign-up");
    assert!(seen.windows(2).all(|w| w[0] >= w[1]), "newest first");
    // A cursor is only good for its own ledger.
    let (_, other) = app.sign_up("bea@example.com").await;
    let cursor = json_of(&app, "/api/me/consents?limit=1", &cookie).await["next_cursor"]
        .as_str()
        .unwrap()
        .to_string();
    problem(
        app.member_call(
            Method::GET,
            &format!("/api/me/consents?cursor={cursor}"),
            &other,
            None,
        )
        .await,
        400,
    )
    .await;
    problem(
        app.member_call(Method::GET, "/api/me/consents?limit=0", &cookie, None)
            .await,
        400,
    )
    .await;
    // A receipt is read by its key.
    let newest = &json_of(&app, "/api/me/consents?limit=1", &cookie).await["history"][0];
    let receipt = app
        .member_call(
            Method::GET,
            newest["receipt_url"].as_str().unwrap(),
            &cookie,
            None,
        )
        .await;
    assert_eq!(receipt.status().as_u16(), 200);
    app.shutdown().await;
}
