//! The preference centre's API (`/api/me`) through the local runner over real HTTP:
//! see, change (merge patch under If-Match), addresses, consents with receipts,
//! export and erasure, checked against full scans of the table.

use aws_sdk_dynamodb::types::AttributeValue;
use ecrm_e2e::{Item, TestApp, s};
use reqwest::Method;
use serde_json::{Value, json};
use std::collections::BTreeSet;

async fn get_me(app: &TestApp, cookie: &str) -> (u16, Option<String>, Value) {
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

async fn patch(app: &TestApp, cookie: &str, etag: Option<&str>, body: Value) -> reqwest::Response {
    let mut request = app
        .site_request(Method::PATCH, "/api/me", Some(cookie))
        .header("content-type", "application/merge-patch+json")
        .body(body.to_string());
    if let Some(etag) = etag {
        request = request.header("if-match", etag);
    }
    request.send().await.unwrap()
}

async fn send(
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

fn address(country: &str, postal: &str) -> Value {
    json!({"kinds": ["billing", "delivery"], "name": "Ana García", "line1": "Calle Mayor 1",
           "city": "Madrid", "postal_code": postal, "country": country})
}

/// Every string anywhere in an item.
fn strings(value: &AttributeValue, out: &mut Vec<String>) {
    match value {
        AttributeValue::S(v) => out.push(v.clone()),
        AttributeValue::L(list) => list.iter().for_each(|v| strings(v, out)),
        AttributeValue::M(map) => map.values().for_each(|v| strings(v, out)),
        AttributeValue::Ss(set) => out.extend(set.iter().cloned()),
        _ => {}
    }
}

fn mentions(item: &Item, needles: &[&str]) -> bool {
    let mut all = Vec::new();
    item.values().for_each(|v| strings(v, &mut all));
    all.iter()
        .any(|text| needles.iter().any(|n| text.contains(n)))
}

fn key_of(item: &Item) -> (String, String) {
    (
        s(item, "PK").unwrap().to_string(),
        s(item, "SK").unwrap().to_string(),
    )
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
async fn a_new_email_is_used_only_once_the_code_mailed_there_comes_back() {
    let app = TestApp::start().await;
    let (id, cookie) = app.sign_up("ana@example.com").await;
    let (_, bea) = app.sign_up("taken@example.com").await;
    let claims = |items: &[Item]| -> Vec<String> {
        let mut claims: Vec<String> = items
            .iter()
            .filter(|i| s(i, "SK") == Some("EMAIL"))
            .map(|i| s(i, "PK").unwrap().to_string())
            .collect();
        claims.sort();
        claims
    };
    let before = claims(&app.scan_all().await);

    // An address another account uses: the same answer as a free one, and nothing
    // is mailed there or changed.
    let mail_before = app.mailbox().await.len();
    let taken = patch(
        &app,
        &cookie,
        Some("\"1\""),
        json!({"email": "taken@example.com"}),
    )
    .await;
    assert_eq!(taken.status().as_u16(), 202);
    let taken_body: Value = taken.json().await.unwrap();
    assert_eq!(taken_body["profile"]["email"], "ana@example.com");

    // A free address, with another change in the same patch: that one is saved now.
    let response = patch(
        &app,
        &cookie,
        Some("\"1\""),
        json!({"email": " Ana.New@Example.com", "display_name": "Ana N."}),
    )
    .await;
    assert_eq!(response.status().as_u16(), 202);
    assert_eq!(response.headers()["etag"], "\"2\"");
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["status"], taken_body["status"]);
    assert_eq!(body["profile"]["display_name"], "Ana N.");
    assert_eq!(body["profile"]["email"], "ana@example.com", "not moved yet");
    assert_eq!(claims(&app.scan_all().await), before, "no claim moved yet");

    let code = app.next_code(mail_before).await;
    let mail = app.mailbox().await;
    let new_mail = &mail[..mail.len() - mail_before];
    assert!(
        new_mail
            .iter()
            .any(|m| m["to"] == "ana.new@example.com" && m["template"] == "email_change_code")
    );
    // (Its own welcome may arrive late; nothing else goes there.)
    assert!(
        !new_mail
            .iter()
            .any(|m| m["to"] == "taken@example.com" && m["template"] != "welcome"),
        "nothing mailed to an address another account uses"
    );
    // A sign-in code for the old address, still unused when the move completes.
    let old_code = app.request_code("ana@example.com").await;

    // The code moves the account; this browser is signed in again at the new epoch.
    let notices_before = app.mailbox().await.len();
    let verified = app
        .site_request(Method::POST, "/api/sessions/verify", None)
        .body(json!({"email": "ana.new@example.com", "code": code}).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(verified.status().as_u16(), 200);
    let new_cookie = ecrm_e2e::session_cookie(&verified).unwrap();
    let (status, _, me) = get_me(&app, &new_cookie).await;
    assert_eq!(status, 200);
    assert_eq!(me["id"], id.as_str());
    assert_eq!(me["email"], "ana.new@example.com");
    assert_eq!(get_me(&app, &cookie).await.0, 401, "earlier sessions ended");
    assert_eq!(get_me(&app, &bea).await.0, 200, "other customers untouched");

    let items = app.scan_all().await;
    let after = claims(&items);
    assert!(after.contains(&"EMAIL#ana.new@example.com".to_string()));
    assert!(
        !after.contains(&"EMAIL#ana@example.com".to_string()),
        "old claim released"
    );
    // The old address is told, and its code no longer signs anyone in.
    for _ in 0..100 {
        if app.mailbox().await.len() > notices_before {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let mail = app.mailbox().await;
    let notice = mail
        .iter()
        .find(|m| m["to"] == "ana@example.com" && m["template"] == "email_changed")
        .expect("the old address is told");
    assert!(
        notice["text"]
            .as_str()
            .unwrap()
            .contains("a***@example.com")
    );
    let stale = app
        .site_request(Method::POST, "/api/sessions/verify", None)
        .body(json!({"email": "ana@example.com", "code": old_code}).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(stale.status().as_u16(), 401);
    // The code works once; the released address can sign up again.
    let again = app
        .site_request(Method::POST, "/api/sessions/verify", None)
        .body(json!({"email": "ana.new@example.com", "code": code}).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(again.status().as_u16(), 401);
    app.sign_up("ana@example.com").await;
    app.shutdown().await;
}

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

#[tokio::test]
async fn export_holds_every_item_about_the_customer() {
    let app = TestApp::start().await;
    let (id, cookie) = app.sign_up("ana@example.com").await;
    app.sign_up("eve@example.com").await;
    send(
        &app,
        Method::POST,
        "/api/me/addresses",
        &cookie,
        address("ES", "28013"),
    )
    .await;
    send(
        &app,
        Method::PUT,
        "/api/me/consents/marketing_email",
        &cookie,
        json!({"granted": true}),
    )
    .await;

    let response = app
        .site_request(Method::GET, "/api/me/export", Some(&cookie))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    assert!(
        response.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("ecrm-export.json")
    );
    let export: Value = response.json().await.unwrap();
    let exported: BTreeSet<(String, String)> = export["items"]
        .as_array()
        .unwrap()
        .iter()
        .chain(export["related_items"].as_array().unwrap())
        .map(|i| {
            (
                i["PK"].as_str().unwrap().to_string(),
                i["SK"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let about: BTreeSet<(String, String)> = app
        .scan_all()
        .await
        .iter()
        .filter(|i| mentions(i, &[id.as_str(), "ana@example.com"]))
        .map(key_of)
        .collect();
    assert!(!about.is_empty());
    let missing: Vec<_> = about.difference(&exported).collect();
    assert!(missing.is_empty(), "held but not exported: {missing:?}");
    assert!(
        !export.to_string().contains("eve@example.com"),
        "nobody else's data"
    );
    app.shutdown().await;
}

#[tokio::test]
async fn erasure_leaves_nothing_and_revokes_sessions() {
    let app = TestApp::start().await;
    let (id, cookie) = app.sign_up("ana@example.com").await;
    app.sign_up("eve@example.com").await;
    send(
        &app,
        Method::POST,
        "/api/me/addresses",
        &cookie,
        address("ES", "28013"),
    )
    .await;
    send(
        &app,
        Method::PUT,
        "/api/me/consents/marketing_email",
        &cookie,
        json!({"granted": true}),
    )
    .await;
    app.request_code("ana@example.com").await;

    let before = app.scan_all().await.len();
    let response = send(
        &app,
        Method::DELETE,
        "/api/me",
        &cookie,
        json!({"confirm_email": "someone@example.com"}),
    )
    .await;
    assert_eq!(response.status().as_u16(), 422);
    assert_eq!(
        app.scan_all().await.len(),
        before,
        "a wrong confirmation erases nothing"
    );

    let response = send(
        &app,
        Method::DELETE,
        "/api/me",
        &cookie,
        json!({"confirm_email": "ANA@example.com"}),
    )
    .await;
    assert_eq!(response.status().as_u16(), 204);
    assert!(
        response.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .contains("Max-Age=0")
    );
    // The "erasure done" mail is the last thing sent to the address; once sent,
    // nothing of it is kept.
    app.mail_from_template("ana@example.com", "erasure_done")
        .await;
    app.wait_outbox_empty().await;

    let left: Vec<_> = app
        .scan_all()
        .await
        .into_iter()
        .filter(|i| mentions(i, &[id.as_str(), "ana@example.com"]))
        .map(|i| key_of(&i))
        .collect();
    assert!(left.is_empty(), "still held after erasure: {left:?}");
    assert!(
        app.scan_all()
            .await
            .iter()
            .any(|i| mentions(i, &["eve@example.com"])),
        "others untouched"
    );

    assert_eq!(
        get_me(&app, &cookie).await.0,
        401,
        "the session died with the account"
    );
    let again = send(
        &app,
        Method::DELETE,
        "/api/me",
        &cookie,
        json!({"confirm_email": "ana@example.com"}),
    )
    .await;
    assert_eq!(again.status().as_u16(), 204, "erasing again is harmless");
    app.sign_up("ana@example.com").await;
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

/// Erasure is total: besides the partition and the email claim, it removes the quotes
/// the person asked for as a visitor with the same email (the accepted one is kept
/// anonymised), the idempotency records that hold copies of quote answers, a live
/// sign-in code and mail still waiting to be sent. The export lists each of those
/// kinds first. Run without the mail worker, so mail stays pending.
#[tokio::test]
async fn erasure_is_total_wherever_the_data_is_kept() {
    let app = TestApp::start_with(false).await;
    let email = "zoe.erasable@example.com";
    let visitor_name = "Zoe Visitante";
    let phone = "+34 600 111 222";
    let visitor_quote = |accept: bool| {
        let app = &app;
        async move {
            let response = app
                .site_request(Method::POST, "/api/quotes", None)
                .body(
                    json!({"lines": [{"sku": "22423", "quantity": 2}], "country": "ES",
                           "contact": {"name": visitor_name, "email": email}})
                    .to_string(),
                )
                .send()
                .await
                .unwrap();
            assert_eq!(response.status().as_u16(), 201);
            let quote: Value = response.json().await.unwrap();
            if accept {
                let path = format!(
                    "/api/quotes/{}/accept?token={}",
                    quote["id"].as_str().unwrap(),
                    quote["token"].as_str().unwrap()
                );
                let accepted = app
                    .site_request(Method::POST, &path, None)
                    .send()
                    .await
                    .unwrap();
                assert_eq!(accepted.status().as_u16(), 200);
            }
        }
    };
    // Before the account existed, the same person asked for two prices as a visitor.
    visitor_quote(false).await;
    visitor_quote(true).await;

    // Sign up, finishing with the code from the mail waiting in the outbox.
    let accepted = app
        .post_json("/api/customers", &ecrm_e2e::sign_up_body(email))
        .await;
    assert_eq!(accepted.status().as_u16(), 202);
    let code = app
        .scan_all()
        .await
        .iter()
        .filter(|i| s(i, "kind") == Some("outbox") && s(i, "to") == Some(email))
        .find_map(|i| s(i, "text").and_then(ecrm_e2e::code_in))
        .expect("the sign-up mail is waiting");
    let verified = app
        .site_request(Method::POST, "/api/sessions/verify", None)
        .body(json!({"email": email, "code": code}).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(verified.status().as_u16(), 200);
    let cookie = ecrm_e2e::session_cookie(&verified).unwrap();
    let id = verified.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let (_, etag, _) = get_me(&app, &cookie).await;
    let patched = app
        .site_request(Method::PATCH, "/api/me", Some(&cookie))
        .header("if-match", etag.unwrap())
        .body(json!({"phone": phone}).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(patched.status().as_u16(), 200);
    // A member's quote with an Idempotency-Key, and a sign-in code still unused.
    let member_quote = app
        .site_request(Method::POST, "/api/quotes", Some(&cookie))
        .header("idempotency-key", "erase-me-1")
        .body(json!({"lines": [{"sku": "22423", "quantity": 1}], "country": "ES"}).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(member_quote.status().as_u16(), 201);
    let code_request = app
        .site_request(Method::POST, "/api/sessions", None)
        .body(json!({"email": email}).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(code_request.status().as_u16(), 202);

    // The export names every kind of item erasure will remove.
    let export: Value = app
        .site_request(Method::GET, "/api/me/export", Some(&cookie))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let related: BTreeSet<&str> = export["related_items"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|i| i["kind"].as_str())
        .collect();
    for kind in ["quote", "idempotency", "outbox", "email_claim"] {
        assert!(related.contains(kind), "export lacks {kind}: {related:?}");
    }
    let visitor_quotes = export["related_items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["kind"] == "quote" && i["quote"]["customer"]["name"] == visitor_name)
        .count();
    assert_eq!(visitor_quotes, 2, "both quotes asked for as a visitor");

    let erased = send(
        &app,
        Method::DELETE,
        "/api/me",
        &cookie,
        json!({"confirm_email": email}),
    )
    .await;
    assert_eq!(erased.status().as_u16(), 204);

    let items = app.scan_all().await;
    // The mail worker is off here: the "erasure done" mail waits to be sent (the only
    // item naming the address, deleted once sent).
    let left: Vec<_> = items
        .iter()
        .filter(|i| s(i, "template") != Some("erasure_done"))
        .filter(|i| mentions(i, &[id.as_str(), email, visitor_name, phone, "Ana"]))
        .map(key_of)
        .collect();
    assert!(left.is_empty(), "still held after erasure: {left:?}");
    // The accepted order request is kept for the accounts, with nobody in it.
    let kept: Vec<_> = items
        .iter()
        .filter(|i| s(i, "kind") == Some("quote"))
        .collect();
    assert_eq!(kept.len(), 1, "only the accepted quote stays");
    assert!(s(kept[0], "anonymised_at").is_some());
    app.shutdown().await;
}

/// Erasure needs a fresh proof: a session under 10 minutes old, or a code mailed just
/// now. Someone who finds a signed-in device left open cannot erase the account.
#[tokio::test]
async fn erasing_with_an_older_session_needs_a_fresh_code() {
    let app = TestApp::start().await;
    let (id, _) = app.sign_up("ana@example.com").await;
    // A session started 11 minutes ago (signed with the runner's key, as sign-in does).
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let claims = ecrm_core::domain::session::SessionClaims {
        cid: id.clone(),
        sid: "01JOLDSESSION00000000000000".into(),
        epoch: 0,
        exp: now - 11 * 60 + ecrm_core::domain::session::SESSION_TTL_SECONDS,
    };
    let old = format!("ecrm_session={}", app.session_key.sign(&claims));
    assert_eq!(
        get_me(&app, &old).await.0,
        200,
        "the older session is valid"
    );

    let erase = |code: Option<String>| {
        let (app, old) = (&app, &old);
        async move {
            let mut body = json!({"confirm_email": "ana@example.com"});
            if let Some(code) = code {
                body["code"] = json!(code);
            }
            send(app, Method::DELETE, "/api/me", old, body).await
        }
    };
    let refused = ecrm_e2e::problem(erase(None).await, 422).await;
    assert_eq!(ecrm_e2e::pointers(&refused), ["/code"]);
    let refused = ecrm_e2e::problem(erase(Some("AAAA-AAAA".into())).await, 422).await;
    assert_eq!(ecrm_e2e::pointers(&refused), ["/code"]);
    assert_eq!(get_me(&app, &old).await.0, 200, "nothing erased");

    let code = app.request_code("ana@example.com").await;
    assert_eq!(erase(Some(code)).await.status().as_u16(), 204);
    assert_eq!(get_me(&app, &old).await.0, 401, "erased");
    app.shutdown().await;
}
