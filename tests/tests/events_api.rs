//! Behaviour events over HTTP: kept only with the personalisation consent (180-day
//! `ttl`, never in `GET /api/me`), gone on withdrawal and erasure, in the export; bad
//! batches refused whole; a member's quote lines counted only with the consent.

use ecrm_e2e::recs::{an_item_of, events_of, get, min_quantity, send_events};
use ecrm_e2e::{TestApp, problem, s, sign_up_body};
use reqwest::Method;
use serde_json::{Value, json};

#[tokio::test]
async fn events_count_only_with_personalisation_and_go_with_it() {
    let app = TestApp::start().await;
    let (id, cookie) = app.sign_up("ana@example.com").await;
    let (sku, _) = an_item_of(&app, "kitchen").await;

    let response = send_events(&app, &cookie, json!([{"type": "item_viewed", "sku": sku}])).await;
    assert_eq!(response.status().as_u16(), 204);
    let stored = events_of(&app, &id).await;
    assert_eq!(stored.len(), 1);
    let ttl: i64 = stored[0]["ttl"].as_n().unwrap().parse().unwrap();
    let days = (ttl - time::OffsetDateTime::now_utc().unix_timestamp()) / 86_400;
    assert!((179..=180).contains(&days), "kept 180 days, not {days}");
    // GET /api/me never reads them.
    let (_, me) = get(&app, "/api/me", Some(&cookie)).await;
    assert!(!me.to_string().contains(&sku));

    // Spanish customer: reasons in Spanish, naming what she looked at.
    let (status, body) = get(&app, "/api/recommendations", Some(&cookie)).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["personalised"], true);
    assert_eq!(body["basis"], "personal");
    assert_eq!(body["language"], "es");
    let items = body["items"].as_array().unwrap();
    assert!(
        !items.iter().any(|i| i["sku"] == sku.as_str()),
        "not the item itself"
    );
    let because: Vec<&Value> = items
        .iter()
        .filter(|i| i["because"] == sku.as_str())
        .collect();
    assert!(!because.is_empty(), "neighbours of the viewed item: {body}");
    assert!(
        because[0]["reason"]
            .as_str()
            .unwrap()
            .starts_with("Porque miraste ")
    );
    // The same list in English on request.
    let (_, en) = get(&app, "/api/recommendations?lang=en", Some(&cookie)).await;
    assert!(
        en["items"][0]["reason"]
            .as_str()
            .unwrap()
            .starts_with("Because you looked at ")
    );

    // Withdrawn: history gone, nothing new kept, the lookup falls back and says so.
    let response = app
        .site_request(
            Method::PUT,
            "/api/me/consents/personalisation",
            Some(&cookie),
        )
        .body(json!({"granted": false}).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    assert!(events_of(&app, &id).await.is_empty());
    let response = send_events(&app, &cookie, json!([{"type": "item_viewed", "sku": sku}])).await;
    assert_eq!(response.status().as_u16(), 204);
    assert!(
        events_of(&app, &id).await.is_empty(),
        "nothing kept without consent"
    );
    let (_, body) = get(&app, "/api/recommendations", Some(&cookie)).await;
    assert_eq!(body["personalised"], false);
    assert_eq!(body["basis"], "topics");
    assert!(
        body["note"]
            .as_str()
            .unwrap()
            .contains("personalización está desactivada")
    );
    for item in body["items"].as_array().unwrap() {
        assert!(item["because"].is_null(), "no reason from history: {item}");
    }
    app.shutdown().await;
}

#[tokio::test]
async fn bad_batches_are_refused_whole_and_visitors_cannot_send() {
    let app = TestApp::start().await;
    let (id, cookie) = app.sign_up("ana@example.com").await;
    let response = send_events(
        &app,
        &cookie,
        json!([{"type": "item_viewed", "sku": "22423"}, {"type": "need_viewed", "need": "yachts"}]),
    )
    .await;
    let body = problem(response, 422).await;
    assert_eq!(ecrm_e2e::pointers(&body), ["/events/1/need"]);
    let many: Vec<Value> = (0..21)
        .map(|_| json!({"type": "item_viewed", "sku": "22423"}))
        .collect();
    problem(send_events(&app, &cookie, json!(many)).await, 422).await;
    problem(
        send_events(&app, &cookie, json!([{"type": "bought", "sku": "22423"}])).await,
        400,
    )
    .await;
    assert!(events_of(&app, &id).await.is_empty());
    let response = app
        .site_request(Method::POST, "/api/events", None)
        .body(json!({"events": [{"type": "item_viewed", "sku": "22423"}]}).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 401);
    app.shutdown().await;
}

#[tokio::test]
async fn quote_lines_count_when_personalisation_is_granted() {
    let app = TestApp::start().await;
    let (id, cookie) = app.sign_up("ana@example.com").await;
    let mut body = sign_up_body("eve@example.com");
    body["consents"]["personalisation"] = json!(false);
    let (eve, eve_cookie) = app.sign_up_with(&body).await;
    let (sku, _) = an_item_of(&app, "home_decor").await;
    for c in [&cookie, &eve_cookie] {
        let response = app
            .site_request(Method::POST, "/api/quotes", Some(c))
            .body(
                json!({"lines": [{"sku": sku, "quantity": min_quantity(&sku)}], "country": "ES"})
                    .to_string(),
            )
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), 201);
    }
    let ana = events_of(&app, &id).await;
    assert_eq!(ana.len(), 1);
    assert_eq!(s(&ana[0], "event"), Some("quote_requested"));
    assert!(events_of(&app, &eve).await.is_empty());
    let (_, recs) = get(&app, "/api/recommendations", Some(&cookie)).await;
    let reason = recs["items"][0]["reason"].as_str().unwrap();
    assert!(reason.starts_with("Porque pediste precio de "), "{reason}");
    app.shutdown().await;
}

#[tokio::test]
async fn the_export_lists_events_and_erasure_removes_them() {
    let app = TestApp::start().await;
    let (id, cookie) = app.sign_up("ana@example.com").await;
    let (sku, _) = an_item_of(&app, "gifts").await;
    send_events(&app, &cookie, json!([{"type": "item_viewed", "sku": sku}])).await;
    let (status, export) = get(&app, "/api/me/export", Some(&cookie)).await;
    assert_eq!(status, 200);
    let pk = format!("EVENTS#{id}");
    assert!(
        export["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["PK"] == pk.as_str() && i["subject"] == sku.as_str()),
        "the event is in the export"
    );
    let response = app
        .site_request(Method::DELETE, "/api/me", Some(&cookie))
        .body(json!({"confirm_email": "ana@example.com"}).to_string())
        .send()
        .await
        .unwrap();
    assert!(response.status().is_success(), "{}", response.status());
    assert!(events_of(&app, &id).await.is_empty());
    app.shutdown().await;
}
