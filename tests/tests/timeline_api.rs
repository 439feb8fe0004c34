//! The customer's timeline (`GET /api/me/timeline`) over real HTTP: every kind of thing
//! a customer can create or the shop does for them appears, newest first, in pages
//! that together hold each entry exactly once.

use ecrm_e2e::{TestApp, problem};
use reqwest::Method;
use serde_json::{Value, json};
use std::collections::BTreeSet;

async fn ok_json(response: reqwest::Response, status: u16) -> Value {
    assert_eq!(response.status().as_u16(), status);
    response.json().await.unwrap_or(Value::Null)
}

/// Every entry, page by page with `limit`, checking the pages on the way.
async fn whole_timeline(app: &TestApp, cookie: &str, limit: usize) -> Vec<Value> {
    let mut entries = Vec::new();
    let mut path = format!("/api/me/timeline?limit={limit}");
    loop {
        let page = ok_json(app.member_call(Method::GET, &path, cookie, None).await, 200).await;
        let got = page["entries"].as_array().unwrap();
        assert!(got.len() <= limit);
        entries.extend(got.iter().cloned());
        match page["next_cursor"].as_str() {
            Some(cursor) => path = format!("/api/me/timeline?limit={limit}&cursor={cursor}"),
            None => return entries,
        }
    }
}

#[tokio::test]
async fn everything_a_customer_does_is_on_the_timeline_newest_first_in_pages() {
    let app = TestApp::start().await;
    let (_, cookie) = app.sign_up("ana@example.com").await;
    // A second sign-in (its code mail is sent too).
    let code = app.request_code("ana@example.com").await;
    let response = app
        .site_request(Method::POST, "/api/sessions/verify", None)
        .body(
            json!({"email": "ana@example.com", "code": code, "keep_other_sessions": true})
                .to_string(),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let consent = app
        .member_call(
            Method::PUT,
            "/api/me/consents/marketing_email",
            &cookie,
            Some(json!({"granted": true})),
        )
        .await;
    assert_eq!(consent.status().as_u16(), 200);
    let address = json!({"kinds": ["delivery"], "name": "Ana", "line1": "Calle Mayor 1", "city": "Madrid", "postal_code": "28013", "country": "ES"});
    let added = ok_json(
        app.member_call(
            Method::POST,
            "/api/me/addresses",
            &cookie,
            Some(address.clone()),
        )
        .await,
        201,
    )
    .await;
    let path = format!("/api/me/addresses/{}", added["id"].as_str().unwrap());
    ok_json(
        app.member_call(Method::PUT, &path, &cookie, Some(address))
            .await,
        200,
    )
    .await;
    assert_eq!(
        app.member_call(Method::DELETE, &path, &cookie, None)
            .await
            .status()
            .as_u16(),
        204
    );
    let catalog = ok_json(
        app.member_call(Method::GET, "/api/catalog", &cookie, None)
            .await,
        200,
    )
    .await;
    let sku = catalog["items"][0]["sku"].clone();
    let quote = ok_json(
        app.member_call(
            Method::POST,
            "/api/quotes",
            &cookie,
            Some(json!({"lines": [{"sku": sku, "quantity": 2}], "country": "ES"})),
        )
        .await,
        201,
    )
    .await;
    let quote_id = quote["id"].as_str().unwrap();
    ok_json(
        app.member_call(
            Method::POST,
            &format!("/api/quotes/{quote_id}/accept"),
            &cookie,
            None,
        )
        .await,
        200,
    )
    .await;
    let answered = app
        .member_call(
            Method::POST,
            "/api/me/surveys/first-order/answers",
            &cookie,
            Some(json!({"answers": {"occasion": "gift"}})),
        )
        .await;
    assert_eq!(answered.status().as_u16(), 204);
    let request = app.member_call(Method::POST,
        "/api/requests",
        &cookie,
        Some(json!({"subject": "Delivery date", "category": "product", "message": "When does it ship?"})),
    )
    .await;
    assert_eq!(request.status().as_u16(), 201);
    ok_json(
        app.member_call(Method::GET, "/api/me/export", &cookie, None)
            .await,
        200,
    )
    .await;

    let entries = whole_timeline(&app, &cookie, 3).await;
    let times: Vec<&str> = entries.iter().map(|e| e["at"].as_str().unwrap()).collect();
    assert!(
        times.windows(2).all(|w| w[0] >= w[1]),
        "newest first: {times:?}"
    );
    let whats: BTreeSet<&str> = entries
        .iter()
        .map(|e| e["what"].as_str().unwrap())
        .collect();
    for expected in [
        "signed_up",
        "signed_in",
        "consent_changed",
        "address_added",
        "address_changed",
        "address_removed",
        "quote_requested",
        "quote_accepted",
        "survey_answered",
        "data_exported",
        "email_sent",
        "service_request_opened",
    ] {
        assert!(
            whats.contains(expected),
            "{expected} missing from {whats:?}"
        );
    }
    assert_eq!(
        entries[0]["what"], "data_exported",
        "the newest is the export"
    );
    let survey = entries
        .iter()
        .find(|e| e["what"] == "survey_answered")
        .unwrap();
    assert_eq!(survey["detail"]["answer.occasion"], "gift");
    let accepted = entries
        .iter()
        .find(|e| e["what"] == "quote_accepted")
        .unwrap();
    assert_eq!(accepted["detail"]["quote_id"], quote_id);
    // Mail: subject and time, never the body (the code in it stays out).
    let mail = entries.iter().find(|e| e["what"] == "email_sent").unwrap();
    assert!(
        mail["detail"]["subject"]
            .as_str()
            .is_some_and(|s| !s.is_empty())
    );
    assert!(
        !entries.iter().any(|e| e.to_string().contains(&code)),
        "no mail body or code"
    );

    // Paging changes nothing: pages of 3 and one page of 100 hold the same entries.
    let all_at_once = whole_timeline(&app, &cookie, 100).await;
    assert_eq!(all_at_once, entries);

    // Another customer's cursor, or a bad limit, is a 400; their timeline is their own.
    let (_, other) = app.sign_up("bea@example.com").await;
    let first = ok_json(
        app.member_call(Method::GET, "/api/me/timeline?limit=1", &cookie, None)
            .await,
        200,
    )
    .await;
    let cursor = first["next_cursor"].as_str().unwrap();
    problem(
        app.member_call(
            Method::GET,
            &format!("/api/me/timeline?cursor={cursor}"),
            &other,
            None,
        )
        .await,
        400,
    )
    .await;
    problem(
        app.member_call(Method::GET, "/api/me/timeline?limit=101", &other, None)
            .await,
        400,
    )
    .await;
    let theirs = whole_timeline(&app, &other, 50).await;
    assert!(theirs.iter().all(|e| e["what"] != "quote_accepted"));
    // Signed out: 401.
    let anonymous = app
        .site_request(Method::GET, "/api/me/timeline", None)
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status().as_u16(), 401);
    app.shutdown().await;
}

#[tokio::test]
async fn staff_reads_and_replies_are_on_the_customers_timeline_without_who() {
    use ecrm_e2e::service::request_for_staff;
    let app = TestApp::start().await;
    let (customer, id, staff) = request_for_staff(&app, "ana@example.com", "my_data").await;
    let read = app
        .member_call(
            Method::GET,
            &format!("/api/staff/requests/{id}"),
            &staff,
            None,
        )
        .await;
    assert_eq!(read.status().as_u16(), 200);
    let reply = app
        .member_call(
            Method::POST,
            &format!("/api/staff/requests/{id}/messages"),
            &staff,
            Some(json!({"body": "Done."})),
        )
        .await;
    assert!(reply.status().is_success());

    let entries = whole_timeline(&app, &customer, 50).await;
    let opened: Vec<&Value> = entries
        .iter()
        .filter(|e| e["what"] == "service_request_opened")
        .collect();
    assert_eq!(opened.len(), 1);
    assert_eq!(opened[0]["detail"]["request_id"], id.as_str());
    let accesses: Vec<&str> = entries
        .iter()
        .filter(|e| e["what"] == "staff_access")
        .map(|e| e["detail"]["action"].as_str().unwrap())
        .collect();
    assert!(accesses.contains(&"read_request"), "{accesses:?}");
    assert!(accesses.len() >= 2, "the read and the reply: {accesses:?}");
    let text = serde_json::to_string(&entries).unwrap();
    assert!(
        !text.contains(ecrm_e2e::STAFF_EMAIL),
        "which staff member is not shown"
    );
    app.shutdown().await;
}
