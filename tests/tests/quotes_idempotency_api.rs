//! Idempotent quote requests over real HTTP: a retried `Idempotency-Key` returns the same
//! quote, a changed body is refused, and concurrent retries make exactly one quote.

use super::quotes_visitor_api::{post_quote, quote_items, visitor_body};
use ecrm_e2e::{TestApp, problem, s};
use serde_json::{Value, json};

#[tokio::test]
async fn a_retried_key_returns_the_same_quote_and_a_changed_body_is_refused() {
    let app = TestApp::start().await;
    let body = visitor_body(json!([{"sku": "47566", "quantity": 4}]));
    let first = post_quote(&app, &body, None, Some("key-1")).await;
    assert_eq!(first.status().as_u16(), 201);
    let first: Value = first.json().await.unwrap();
    let again = post_quote(&app, &body, None, Some("key-1")).await;
    assert_eq!(again.status().as_u16(), 201);
    assert_eq!(again.headers()["idempotent-replayed"], "true");
    let again: Value = again.json().await.unwrap();
    assert_eq!(again, first, "the same response, token included");

    let changed = visitor_body(json!([{"sku": "47566", "quantity": 5}]));
    let refused = problem(post_quote(&app, &changed, None, Some("key-1")).await, 422).await;
    assert_eq!(refused["type"], "/problems/idempotency-key-reused");
    problem(post_quote(&app, &body, None, Some("")).await, 400).await;

    // A member's key is their own: the same key from a member is a new quote.
    let (_, cookie) = app.sign_up("ana@example.com").await;
    let member = post_quote(&app, &body, Some(&cookie), Some("key-1")).await;
    assert_eq!(member.status().as_u16(), 201);
    let member: Value = member.json().await.unwrap();
    assert_ne!(member["id"], first["id"]);

    let items = app.scan_all().await;
    assert_eq!(quote_items(&items).len(), 2);
    let records: Vec<_> = items
        .iter()
        .filter(|i| s(i, "PK").is_some_and(|pk| pk.starts_with("IDEMPOTENCY#")))
        .collect();
    assert_eq!(records.len(), 2);
    let ttl: i64 = records[0]["ttl"].as_n().unwrap().parse().unwrap();
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    assert!((now + 86_000..=now + 86_400).contains(&ttl));
    app.shutdown().await;
}

#[tokio::test]
async fn twenty_concurrent_retries_with_one_key_make_exactly_one_quote() {
    let app = TestApp::start().await;
    let body = visitor_body(json!([{"sku": "22423", "quantity": 2}]));
    let attempts = (0..20).map(|_| post_quote(&app, &body, None, Some("same-key")));
    let responses = futures::future::join_all(attempts).await;
    let mut ids = Vec::new();
    for response in responses {
        assert_eq!(response.status().as_u16(), 201);
        let quote: Value = response.json().await.unwrap();
        ids.push(quote["id"].as_str().unwrap().to_string());
    }
    ids.dedup();
    assert_eq!(ids.len(), 1, "every retry answered with the one quote");
    let items = app.scan_all().await;
    let quotes = quote_items(&items);
    assert_eq!(quotes.len(), 1);
    assert_eq!(
        s(quotes[0], "PK"),
        Some(format!("QUOTE#{}", ids[0]).as_str())
    );
    app.shutdown().await;
}
