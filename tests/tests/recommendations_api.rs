//! Recommendations over HTTP, against the lists the runner fits at start from its
//! small generated seed (`RecsSeed::Fixture`): reasons in both languages, visitors'
//! topic and item picks, the two-round-trip bound (counted with the telemetry
//! counter), accepted items never suggested again, and the stream worker keeping lists
//! fresh.

use ecrm_core::app::App;
use ecrm_core::app::recommendations::{self, Lookup};
use ecrm_core::domain::clock::Clock;
use ecrm_core::store::Store;
use ecrm_core::telemetry::count_dynamodb_calls;
use ecrm_e2e::recs::{an_item_of, events_of, get, min_quantity, send_events};
use ecrm_e2e::{TestApp, problem, s};
use reqwest::Method;
use serde_json::{Value, json};
use std::time::Duration;

#[tokio::test]
async fn visitors_pick_topics_or_an_item() {
    let app = TestApp::start().await;
    let (status, body) = get(
        &app,
        "/api/recommendations?topic=gifts,kitchen&limit=6",
        None,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(body["basis"], "topics");
    assert_eq!(body["personalised"], false);
    let items = body["items"].as_array().unwrap();
    assert_eq!(items.len(), 6);
    assert!(
        items
            .iter()
            .all(|i| matches!(i["topic"].as_str(), Some("gifts" | "kitchen")))
    );
    assert!(
        items[0]["reason"]
            .as_str()
            .unwrap()
            .starts_with("Popular with people who follow ")
    );
    let (_, es) = get(&app, "/api/recommendations?topic=gifts&lang=es", None).await;
    assert!(
        es["items"][0]["reason"]
            .as_str()
            .unwrap()
            .starts_with("Popular entre quienes siguen ")
    );

    let (sku, name) = an_item_of(&app, "gifts").await;
    let (status, body) = get(&app, &format!("/api/recommendations?item={sku}"), None).await;
    assert_eq!(status, 200);
    assert_eq!(body["basis"], "item");
    let items = body["items"].as_array().unwrap();
    assert!(!items.is_empty());
    assert_eq!(
        items[0]["reason"],
        format!("Customers who bought {name} also bought this")
    );
    for (query, field) in [
        ("topic=yachts", "topic"),
        ("limit=0", "limit"),
        ("lang=fr", "lang"),
    ] {
        let response = app
            .site_request(Method::GET, &format!("/api/recommendations?{query}"), None)
            .send()
            .await
            .unwrap();
        let body = problem(response, 400).await;
        assert!(body.to_string().contains(field), "{query}: {body}");
    }
    app.shutdown().await;
}

#[tokio::test]
async fn a_lookup_makes_at_most_two_round_trips() {
    let app = TestApp::start().await;
    let (_, cookie) = app.sign_up("ana@example.com").await;
    let (sku, _) = an_item_of(&app, "gifts").await;
    send_events(
        &app,
        &cookie,
        json!([{"type": "item_viewed", "sku": sku}, {"type": "need_viewed", "need": "gift"}]),
    )
    .await;
    let token = cookie.trim_start_matches("ecrm_session=");
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let claims = app.session_key.verify(token, now).expect("our own cookie");
    let core = App::new(
        Store::new(app.running.client.clone(), app.running.table.clone()),
        app.session_key.clone(),
        Clock::system(),
    );
    let (found, calls) = count_dynamodb_calls(recommendations::lookup(
        &core,
        Some(&claims),
        &Lookup::default(),
    ))
    .await;
    let found = found.expect("lookup");
    assert!(found.personalised && !found.items.is_empty());
    assert_eq!(calls, 2, "events, then profile + lists + neighbours");
    let topic = Lookup {
        topic: Some("gifts"),
        ..Lookup::default()
    };
    let (_, calls) = count_dynamodb_calls(recommendations::lookup(&core, None, &topic)).await;
    assert_eq!(calls, 1);
    app.shutdown().await;
}

#[tokio::test]
async fn the_stream_worker_pairs_new_events_with_recent_ones() {
    let app = TestApp::start().await;
    let (_, cookie) = app.sign_up("ana@example.com").await;
    // Two items the fixture never pairs: one of a topic's and one of another's that is
    // not among the first's neighbours.
    let (a, _) = an_item_of(&app, "garden").await;
    let (_, before) = get(
        &app,
        &format!("/api/recommendations?item={a}&limit=20"),
        None,
    )
    .await;
    let paired_before: Vec<&str> = before["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|i| i["sku"].as_str())
        .collect();
    let (_, kids) = get(&app, "/api/recommendations?topic=kids&limit=20", None).await;
    let b = kids["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|i| i["sku"].as_str())
        .find(|sku| *sku != a && !paired_before.contains(sku))
        .expect("an item not yet paired with the first")
        .to_string();
    send_events(&app, &cookie, json!([{"type": "item_viewed", "sku": a}])).await;
    // A later request: its event pairs with the one before.
    tokio::time::sleep(Duration::from_millis(20)).await;
    send_events(
        &app,
        &cookie,
        json!([{"type": "quote_draft_added", "sku": b}]),
    )
    .await;
    let mut paired = false;
    for _ in 0..50 {
        let (_, after) = get(
            &app,
            &format!("/api/recommendations?item={a}&limit=20"),
            None,
        )
        .await;
        if after["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["sku"] == b.as_str())
        {
            paired = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(paired, "the worker added {b} to {a}'s neighbours");
    app.shutdown().await;
}

#[tokio::test]
async fn an_accepted_item_is_never_suggested_however_much_happens_after() {
    let app = TestApp::start().await;
    let (id, cookie) = app.sign_up("ana@example.com").await;
    let (a, _) = an_item_of(&app, "home_decor").await;
    let (_, together) = get(
        &app,
        &format!("/api/recommendations?item={a}&limit=1"),
        None,
    )
    .await;
    let b = together["items"][0]["sku"]
        .as_str()
        .expect("a neighbour")
        .to_string();
    let (_, back) = get(
        &app,
        &format!("/api/recommendations?item={b}&limit=20"),
        None,
    )
    .await;
    assert!(
        back["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["sku"] == a.as_str()),
        "{a} is among {b}'s neighbours, so only its ownership keeps it out"
    );

    let quote: Value = app
        .site_request(Method::POST, "/api/quotes", Some(&cookie))
        .body(
            json!({"lines": [{"sku": a, "quantity": min_quantity(&a)}], "country": "ES"})
                .to_string(),
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let quote_id = quote["id"].as_str().unwrap();
    let response = app
        .site_request(
            Method::POST,
            &format!("/api/quotes/{quote_id}/accept"),
            Some(&cookie),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let owned = events_of(&app, &id).await;
    assert!(owned.iter().any(|i| s(i, "SK") == Some("~OWNED")));
    assert!(
        owned
            .iter()
            .any(|i| s(i, "event") == Some("quote_accepted"))
    );

    // Sixty newer events push the acceptance out of the window a lookup reads.
    let views: Vec<Value> = (0..20)
        .map(|_| json!({"type": "item_viewed", "sku": b}))
        .collect();
    for _ in 0..3 {
        let response = send_events(&app, &cookie, json!(views)).await;
        assert_eq!(response.status().as_u16(), 204);
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let (_, recs) = get(&app, "/api/recommendations?limit=20", Some(&cookie)).await;
    let items = recs["items"].as_array().unwrap();
    assert!(!items.is_empty());
    assert!(!items.iter().any(|i| i["sku"] == a.as_str()), "{recs}");
    app.shutdown().await;
}

#[tokio::test]
async fn who_a_customer_buys_for_shapes_the_reasons() {
    let app = TestApp::start().await;
    let mut body = ecrm_e2e::sign_up_body("gift.buyer@example.com");
    body["buys_for"] = json!("gifts");
    let (_, cookie) = app.sign_up_with(&body).await;
    let (status, found) = get(&app, "/api/recommendations?limit=20&lang=en", Some(&cookie)).await;
    assert_eq!(status, 200);
    let reasons: Vec<&str> = found["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|i| i["reason"].as_str())
        .collect();
    assert!(
        reasons.contains(&"Popular in our gift range"),
        "{reasons:?}"
    );
    assert!(found["note"].as_str().unwrap().contains("who you buy for"));
    let (_, es) = get(&app, "/api/recommendations?limit=20&lang=es", Some(&cookie)).await;
    assert!(
        es["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["reason"] == "Popular en nuestra gama de regalos"),
        "{es}"
    );
    // Without a stated segment, no such reason.
    let (_, other) = app.sign_up("no.segment@example.com").await;
    let (_, plain) = get(&app, "/api/recommendations?limit=20&lang=en", Some(&other)).await;
    assert!(!plain.to_string().contains("gift range"), "{plain}");
    app.shutdown().await;
}
