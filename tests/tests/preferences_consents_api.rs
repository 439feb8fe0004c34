//! The preference centre's API over real HTTP: consents with receipts, ledgered, and
//! what withdrawing one removes, checked against full scans of the table.

use super::preferences_profile_api::send;
use aws_sdk_dynamodb::types::AttributeValue;
use ecrm_e2e::{TestApp, s};
use reqwest::Method;
use serde_json::{Value, json};

#[tokio::test]
async fn consent_changes_are_ledgered_with_receipts() {
    let app = TestApp::start().await;
    let (id, cookie) = app.sign_up("ana@example.com").await;

    let response = send(
        &app,
        Method::PUT,
        "/api/me/consents/marketing_email",
        &cookie,
        json!({"granted": true}),
    )
    .await;
    assert_eq!(response.status().as_u16(), 200);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["changed"], true);
    let receipt = &body["receipt"];
    assert_eq!(receipt["customer_id"], id.as_str());
    assert_eq!(receipt["purpose"], "marketing_email");
    // Marketing email is only asked for: in force once the mailed link confirms it.
    assert_eq!(receipt["granted"], false);
    assert_eq!(receipt["step"], "pending");
    assert_eq!(receipt["previous"], false);
    assert_eq!(
        receipt["policy_version"],
        ecrm_core::site_config::facts().policy_version.as_str()
    );
    assert!(
        receipt["how_to_withdraw"]
            .as_str()
            .unwrap()
            .contains("PUT /api/me/consents")
    );

    // Asking for the state it is already in changes nothing.
    let body: Value = send(
        &app,
        Method::PUT,
        "/api/me/consents/personalisation",
        &cookie,
        json!({"granted": true}),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(body["changed"], false, "{body}");
    let response = send(
        &app,
        Method::PUT,
        "/api/me/consents/marketing_email",
        &cookie,
        json!({"granted": false}),
    )
    .await;
    assert_eq!(response.status().as_u16(), 200);

    let history: Value = app
        .site_request(Method::GET, "/api/me/consents", Some(&cookie))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(history["current"]["marketing_email"], false);
    let entries = history["history"].as_array().unwrap();
    assert_eq!(
        entries.len(),
        5,
        "three at sign-up, then asked for (pending), then withdrawn"
    );
    // Newest first: the withdrawal leads.
    let last = entries.first().unwrap();
    assert_eq!(
        (
            last["purpose"].as_str(),
            last["granted"].as_bool(),
            last["previous"].as_bool()
        ),
        (Some("marketing_email"), Some(false), Some(false))
    );
    assert_eq!(last["source"], "preference_centre");

    let download = app
        .site_request(
            Method::GET,
            last["receipt_url"].as_str().unwrap(),
            Some(&cookie),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(download.status().as_u16(), 200);
    assert!(
        download.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment")
    );
    assert_eq!(download.json::<Value>().await.unwrap()["granted"], false);

    assert_eq!(
        send(
            &app,
            Method::PUT,
            "/api/me/consents/account",
            &cookie,
            json!({"granted": false})
        )
        .await
        .status()
        .as_u16(),
        422
    );
    assert_eq!(
        send(
            &app,
            Method::PUT,
            "/api/me/consents/selling",
            &cookie,
            json!({"granted": true})
        )
        .await
        .status()
        .as_u16(),
        404
    );
    app.shutdown().await;
}

#[tokio::test]
async fn withdrawing_personalisation_deletes_behaviour_events() {
    let app = TestApp::start().await;
    let (id, cookie) = app.sign_up("ana@example.com").await;
    for n in 0..3 {
        app.running
            .client
            .put_item()
            .table_name(&app.running.table)
            .item("PK", AttributeValue::S(format!("EVENTS#{id}")))
            .item(
                "SK",
                AttributeValue::S(format!("2026-11-23T00:00:0{n}.000000Z#item_viewed#00")),
            )
            .item("kind", AttributeValue::S("event".into()))
            .send()
            .await
            .unwrap();
    }
    let response = send(
        &app,
        Method::PUT,
        "/api/me/consents/personalisation",
        &cookie,
        json!({"granted": false}),
    )
    .await;
    assert_eq!(response.status().as_u16(), 200);
    assert!(
        !app.scan_all()
            .await
            .iter()
            .any(|i| s(i, "PK").unwrap().starts_with("EVENTS#"))
    );
    app.shutdown().await;
}

/// The ledger is the truth: under any interleaving of concurrent changes, the newest
/// ledger entry for a purpose is the state the profile shows (5 trials of 20 alternating
/// writes at once).
#[tokio::test]
async fn the_newest_ledger_entry_always_matches_the_current_state() {
    let app = TestApp::start().await;
    let (_, cookie) = app.sign_up("ana@example.com").await;
    for trial in 0..5 {
        let writes = (0..20).map(|i| {
            let (app, cookie) = (&app, &cookie);
            async move {
                send(
                    app,
                    Method::PUT,
                    "/api/me/consents/personalisation",
                    cookie,
                    json!({"granted": (i + trial) % 2 == 0}),
                )
                .await
                .status()
                .as_u16()
            }
        });
        let statuses = futures::future::join_all(writes).await;
        assert!(
            statuses.iter().all(|s| *s == 200),
            "trial {trial}: {statuses:?}"
        );
        let history: Value = send(&app, Method::GET, "/api/me/consents", &cookie, Value::Null)
            .await
            .json()
            .await
            .unwrap();
        let newest = history["history"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["purpose"] == "personalisation")
            .max_by(|a, b| a["at"].as_str().cmp(&b["at"].as_str()))
            .unwrap();
        assert_eq!(
            newest["granted"], history["current"]["personalisation"],
            "trial {trial}: newest entry {newest} vs current {}",
            history["current"]
        );
        // Consecutive entries alternate: no "granted, previously withdrawn" twice.
        let states: Vec<bool> = {
            let mut entries: Vec<&Value> = history["history"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|e| e["purpose"] == "personalisation")
                .collect();
            entries.sort_by(|a, b| a["at"].as_str().cmp(&b["at"].as_str()));
            entries.iter().map(|e| e["granted"] == true).collect()
        };
        assert!(
            states.windows(2).all(|w| w[0] != w[1]),
            "trial {trial}: {states:?}"
        );
    }
    app.shutdown().await;
}
