//! Catalog and quotes through the local runner over real HTTP, against an in-memory
//! dynoxide: pricing from the stored catalog, access by owner or link token, history
//! with pagination, acceptance and expiry, idempotent retries.

use aws_sdk_dynamodb::types::AttributeValue;
use ecrm_e2e::{Item, TestApp, pointers, problem, s};
use reqwest::Method;
use serde_json::{Value, json};

fn visitor_body(lines: Value) -> Value {
    json!({
        "lines": lines,
        "country": "GB",
        "contact": {"name": "Vera Visitor", "email": "Vera@Example.com"}
    })
}

/// POST /api/quotes as the site does, with an optional cookie and Idempotency-Key.
async fn post_quote(
    app: &TestApp,
    body: &Value,
    cookie: Option<&str>,
    key: Option<&str>,
) -> reqwest::Response {
    let mut request = app
        .site_request(Method::POST, "/api/quotes", cookie)
        .body(body.to_string());
    if let Some(key) = key {
        request = request.header("idempotency-key", key);
    }
    request.send().await.unwrap()
}

async fn get(app: &TestApp, path: &str, cookie: Option<&str>) -> reqwest::Response {
    app.site_request(Method::GET, path, cookie)
        .send()
        .await
        .unwrap()
}

fn quote_items(items: &[Item]) -> Vec<&Item> {
    items
        .iter()
        .filter(|i| s(i, "PK").is_some_and(|pk| pk.starts_with("QUOTE#")))
        .collect()
}

#[tokio::test]
async fn catalog_lists_every_seeded_item() {
    let app = TestApp::start().await;
    let response = get(&app, "/api/catalog", None).await;
    assert_eq!(response.status().as_u16(), 200);
    let body: Value = response.json().await.unwrap();
    let items = body["items"].as_array().unwrap();
    let bundled = ecrm_core::domain::catalog::bundled().unwrap();
    assert_eq!(items.len(), bundled.len());
    assert!(items.len() >= 30);
    let bag = items.iter().find(|i| i["sku"] == "85099B").unwrap();
    assert_eq!(bag["name"]["es"], "Bolsa grande roja de lunares");
    assert_eq!(bag["unit_price_minor"], 208);
    assert_eq!(bag["currency"], "GBP");
    assert_eq!(
        bag["tiers"][0],
        json!({"min_quantity": 10, "unit_price_minor": 195})
    );
    assert_eq!(bag["tax_class"], "standard");
    app.shutdown().await;
}

#[tokio::test]
async fn visitor_gets_a_priced_quote_and_a_private_link() {
    let app = TestApp::start().await;
    let response = post_quote(
        &app,
        &visitor_body(json!([
            {"sku": "85099B", "quantity": 10},
            {"sku": "TEA-01", "quantity": 12},
            {"sku": "BOOK-01", "quantity": 1}
        ])),
        None,
        None,
    )
    .await;
    assert_eq!(response.status().as_u16(), 201);
    assert_eq!(response.headers()["cache-control"], "no-store");
    let location = response.headers()["location"].to_str().unwrap().to_string();
    let quote: Value = response.json().await.unwrap();
    let id = quote["id"].as_str().unwrap().to_string();
    assert_eq!(location, format!("/api/quotes/{id}"));
    assert_eq!(id.len(), 26);
    let number = quote["number"].as_str().unwrap();
    assert!(number.starts_with("Q-20") && number.len() == 16, "{number}");
    assert_eq!(quote["status"], "issued");
    assert_eq!(quote["currency"], "GBP");
    assert_eq!(quote["customer"]["email"], "vera@example.com");
    assert!(quote.get("customer_id").is_none());
    // A visitor's quote expires from the table 12 months after issue (privacy policy).
    let items = app.scan_all().await;
    let stored = quote_items(&items)
        .into_iter()
        .find(|i| s(i, "PK") == Some(format!("QUOTE#{id}").as_str()))
        .unwrap();
    let ttl: i64 = stored["ttl"].as_n().unwrap().parse().unwrap();
    let year_ahead = time::OffsetDateTime::now_utc().unix_timestamp() + 365 * 24 * 3600;
    assert!((ttl - year_ahead).abs() < 120, "ttl {ttl} vs {year_ahead}");
    // Bag: tier 195 x 10 = 1950, 20 % = 390. Tea (reduced, 5 %): 395 x 12 = 4740, 237.
    // Book (zero): 1299.
    let lines = quote["lines"].as_array().unwrap();
    assert_eq!(lines[0]["unit_price_minor"], 195);
    assert_eq!(lines[0]["total_minor"], 2_340);
    assert_eq!(lines[1]["unit_price_minor"], 395);
    assert_eq!(lines[1]["tax_minor"], 237);
    assert_eq!(lines[2]["tax_minor"], 0);
    assert_eq!(quote["subtotal_minor"], 1_950 + 4_740 + 1_299);
    assert_eq!(quote["discount_minor"], 0);
    assert_eq!(quote["tax_minor"], 390 + 237);
    assert_eq!(quote["total_minor"], 1_950 + 4_740 + 1_299 + 390 + 237);
    // Valid for 30 days from issue.
    let parse = |v: &Value| {
        time::OffsetDateTime::parse(
            v.as_str().unwrap(),
            &time::format_description::well_known::Rfc3339,
        )
        .unwrap()
    };
    assert_eq!(
        parse(&quote["valid_until"]) - parse(&quote["created_at"]),
        time::Duration::days(30)
    );
    let token = quote["token"].as_str().unwrap().to_string();
    assert_eq!(
        quote["link"],
        format!("/quote/view/?id={id}&token={token}").as_str()
    );

    // Stored: the quote with the token's hash, never the token (the mail with the
    // link holds it only until it is sent).
    app.mail_from_template("vera@example.com", "quote_issued")
        .await;
    app.wait_outbox_empty().await;
    let items = app.scan_all().await;
    let stored = quote_items(&items);
    assert_eq!(stored.len(), 1);
    assert!(s(stored[0], "token_hash").is_some_and(|h| h != token));
    // Visitors have no history: their quotes are indexed only under a keyed hash of the
    // contact email (for erasure and export), never under a customer or in clear.
    assert!(
        s(stored[0], "GSI1PK").is_some_and(|pk| pk.starts_with("CONTACT#") && !pk.contains('@')),
        "visitors have no history"
    );
    assert!(!format!("{items:?}").contains(&token));

    // The link works; without it, or with another one, there is nothing to see.
    let response = get(&app, &format!("/api/quotes/{id}?token={token}"), None).await;
    assert_eq!(response.status().as_u16(), 200);
    let seen: Value = response.json().await.unwrap();
    assert_eq!(seen["total_minor"], quote["total_minor"]);
    assert!(seen.get("token").is_none());
    let not_found = problem(get(&app, &format!("/api/quotes/{id}"), None).await, 404).await;
    assert_eq!(not_found["type"], "/problems/quote-not-found");
    problem(
        get(&app, &format!("/api/quotes/{id}?token=guess"), None).await,
        404,
    )
    .await;
    let other: Value = post_quote(
        &app,
        &visitor_body(json!([{"sku": "22423", "quantity": 1}])),
        None,
        None,
    )
    .await
    .json()
    .await
    .unwrap();
    let other_token = other["token"].as_str().unwrap();
    problem(
        get(&app, &format!("/api/quotes/{id}?token={other_token}"), None).await,
        404,
    )
    .await;
    problem(get(&app, "/api/quotes/not-a-ulid?token=x", None).await, 404).await;
    app.shutdown().await;
}

#[tokio::test]
async fn members_get_the_discount_their_own_quotes_and_nobody_elses() {
    let app = TestApp::start().await;
    let (customer_id, cookie) = app.sign_up("ana@example.com").await;
    let (_, other_cookie) = app.sign_up("bea@example.com").await;
    let body = json!({"lines": [{"sku": "22423", "quantity": 4}], "country": "ES"});
    let response = post_quote(&app, &body, Some(&cookie), None).await;
    assert_eq!(response.status().as_u16(), 201);
    let quote: Value = response.json().await.unwrap();
    // 4 x 1175 = 4700; 5 % = 235; taxable 4465; ES 21 % = 937.65 -> 938.
    assert_eq!(quote["customer_id"], customer_id.as_str());
    assert_eq!(quote["customer"]["name"], "Ana");
    assert_eq!(quote["discount_rate_bp"], 500);
    assert_eq!(quote["lines"][0]["unit_price_minor"], 1_175);
    assert_eq!(quote["discount_minor"], 235);
    assert_eq!(quote["tax_minor"], 938);
    assert_eq!(quote["total_minor"], 4_465 + 938);
    assert!(quote.get("token").is_none() && quote.get("link").is_none());
    let id = quote["id"].as_str().unwrap();

    let response = get(&app, &format!("/api/quotes/{id}"), Some(&cookie)).await;
    assert_eq!(response.status().as_u16(), 200);
    problem(
        get(&app, &format!("/api/quotes/{id}"), Some(&other_cookie)).await,
        404,
    )
    .await;
    problem(get(&app, &format!("/api/quotes/{id}"), None).await, 404).await;
    problem(
        get(&app, &format!("/api/quotes/{id}?token=x"), Some(&cookie)).await,
        404,
    )
    .await;
    // A forged cookie signed with another key is no session.
    let forged = ecrm_core::domain::session::ServerSecret::generate().unwrap();
    let (_, forged_cookie) = ecrm_core::web::SessionConfig {
        key: forged,
        secure_cookies: false,
        public_origin: None,
    }
    .issue(&customer_id, 0);
    let forged_cookie = forged_cookie
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    problem(
        get(&app, &format!("/api/quotes/{id}"), Some(&forged_cookie)).await,
        404,
    )
    .await;

    // The history lists it; the other member's is empty.
    let mine: Value = get(&app, "/api/me/quotes", Some(&cookie))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(mine["quotes"][0]["id"], id);
    let theirs: Value = get(&app, "/api/me/quotes", Some(&other_cookie))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(theirs["quotes"], json!([]));
    assert_eq!(theirs["next_cursor"], Value::Null);
    problem(get(&app, "/api/me/quotes", None).await, 401).await;

    // Revoking every session (epoch bump) locks the old cookie out at once.
    let store = ecrm_core::store::Store::new(app.running.client.clone(), &app.running.table);
    assert!(
        ecrm_core::store::customers::bump_session_epoch(
            &store,
            &customer_id,
            &ecrm_core::store::session::SessionGuard {
                epoch: 0,
                entry: "0:none".into(),
            }
        )
        .await
        .unwrap()
    );
    problem(
        get(&app, &format!("/api/quotes/{id}"), Some(&cookie)).await,
        404,
    )
    .await;
    problem(get(&app, "/api/me/quotes", Some(&cookie)).await, 401).await;
    problem(post_quote(&app, &body, Some(&cookie), None).await, 401).await;
    app.shutdown().await;
}

/// A contact a member sends is held to the schema's rules (the schema cannot say "only
/// for visitors"), then ignored: the quote is made out to the account.
#[tokio::test]
async fn a_members_contact_is_checked_then_ignored() {
    let app = TestApp::start().await;
    let (customer_id, cookie) = app.sign_up("ana@example.com").await;
    let mut body = json!({"lines": [{"sku": "22423", "quantity": 4}], "country": "ES"});
    body["contact"] = json!({"name": "Ana María"});
    let refused = problem(post_quote(&app, &body, Some(&cookie), None).await, 422).await;
    assert_eq!(pointers(&refused), ["/contact/email"]);
    body["contact"] = json!({"name": "Other", "email": "other@example.com"});
    let response = post_quote(&app, &body, Some(&cookie), None).await;
    assert_eq!(response.status().as_u16(), 201);
    let quote: Value = response.json().await.unwrap();
    assert_eq!(quote["customer_id"], customer_id.as_str());
    assert_eq!(quote["customer"]["name"], "Ana");
    assert_eq!(quote["customer"]["email"], "ana@example.com");
    app.shutdown().await;
}

#[tokio::test]
async fn every_rule_violation_names_its_line() {
    let app = TestApp::start().await;
    let response = post_quote(
        &app,
        &json!({
            "lines": [
                {"sku": "NOPE-1", "quantity": 1},
                {"sku": "CORP-BOX", "quantity": 4},
                {"sku": "22423", "quantity": 201},
                {"sku": "85123A", "quantity": 1}
            ],
            "country": "GB",
            "contact": {"name": "V", "email": "v@example.com"}
        }),
        None,
        None,
    )
    .await;
    let body = problem(response, 422).await;
    assert_eq!(
        pointers(&body),
        ["/lines/0/sku", "/lines/1/quantity", "/lines/2/quantity"]
    );
    assert!(
        body["errors"][1]["detail"]
            .as_str()
            .unwrap()
            .contains("between 5 and 500")
    );

    let body = problem(
        post_quote(
            &app,
            &json!({
                "lines": [
                    {"sku": "85123A", "quantity": 0},
                    {"sku": "85123A", "quantity": 2},
                    {"sku": "<script>", "quantity": 1}
                ],
                "country": "Narnia"
            }),
            None,
            None,
        )
        .await,
        422,
    )
    .await;
    assert_eq!(
        pointers(&body),
        [
            "/lines/0/quantity",
            "/lines/1/sku",
            "/lines/2/sku",
            "/country",
            "/contact"
        ]
    );

    let many: Vec<Value> = (0..51)
        .map(|_| json!({"sku": "85123A", "quantity": 1}))
        .collect();
    let body = problem(
        post_quote(&app, &visitor_body(json!(many)), None, None).await,
        422,
    )
    .await;
    assert_eq!(pointers(&body), ["/lines"]);

    // Wrong JSON types and unknown fields are 400, other media types 415.
    let body = problem(
        post_quote(
            &app,
            &visitor_body(json!([{"sku": "85123A", "quantity": "3"}])),
            None,
            None,
        )
        .await,
        400,
    )
    .await;
    assert_eq!(pointers(&body), ["/lines/0/quantity"]);
    let body = problem(
        post_quote(
            &app,
            &visitor_body(json!([{"sku": "85123A", "quantity": 1, "price": 1}])),
            None,
            None,
        )
        .await,
        400,
    )
    .await;
    assert_eq!(pointers(&body), ["/lines/0/price"]);
    let response = app
        .http
        .post(app.url("/api/quotes"))
        .header("content-type", "text/plain")
        .body("x")
        .send()
        .await
        .unwrap();
    problem(response, 415).await;
    // A request from another site is refused before anything else.
    let response = app
        .http
        .post(app.url("/api/quotes"))
        .header("content-type", "application/json")
        .header("origin", "https://evil.example")
        .body(visitor_body(json!([{"sku": "85123A", "quantity": 1}])).to_string())
        .send()
        .await
        .unwrap();
    problem(response, 403).await;
    assert!(quote_items(&app.scan_all().await).is_empty());
    app.shutdown().await;
}

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

#[tokio::test]
async fn history_is_newest_first_in_pages() {
    let app = TestApp::start().await;
    let (_, cookie) = app.sign_up("ana@example.com").await;
    let (_, other_cookie) = app.sign_up("bea@example.com").await;
    let mut ids = Vec::new();
    for quantity in 1..=5 {
        let body = json!({"lines": [{"sku": "85123A", "quantity": quantity}], "country": "GB"});
        let quote: Value = post_quote(&app, &body, Some(&cookie), None)
            .await
            .json()
            .await
            .unwrap();
        ids.push(quote["id"].as_str().unwrap().to_string());
    }
    ids.reverse();

    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    let mut pages = 0;
    loop {
        let path = match &cursor {
            Some(c) => format!("/api/me/quotes?limit=2&cursor={c}"),
            None => "/api/me/quotes?limit=2".into(),
        };
        let response = get(&app, &path, Some(&cookie)).await;
        assert_eq!(response.status().as_u16(), 200);
        let page: Value = response.json().await.unwrap();
        let quotes = page["quotes"].as_array().unwrap();
        assert!(quotes.len() <= 2);
        seen.extend(quotes.iter().map(|q| q["id"].as_str().unwrap().to_string()));
        pages += 1;
        match page["next_cursor"].as_str() {
            Some(next) => {
                // Someone else's cursor is refused.
                if pages == 1 {
                    problem(
                        get(
                            &app,
                            &format!("/api/me/quotes?cursor={next}"),
                            Some(&other_cookie),
                        )
                        .await,
                        400,
                    )
                    .await;
                }
                cursor = Some(next.to_string());
            }
            None => break,
        }
        assert!(pages < 10);
    }
    assert_eq!(seen, ids, "all five, newest first, none twice");
    assert_eq!(pages, 3);

    let all: Value = get(&app, "/api/me/quotes", Some(&cookie))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(all["quotes"].as_array().unwrap().len(), 5);
    for bad in ["limit=0", "limit=51", "limit=x", "cursor=bogus"] {
        problem(
            get(&app, &format!("/api/me/quotes?{bad}"), Some(&cookie)).await,
            400,
        )
        .await;
    }
    app.shutdown().await;
}

#[tokio::test]
async fn quotes_are_accepted_once_and_never_after_expiry() {
    let app = TestApp::start().await;
    // A visitor accepts with the link token.
    let quote: Value = post_quote(
        &app,
        &visitor_body(json!([{"sku": "22469", "quantity": 12}])),
        None,
        None,
    )
    .await
    .json()
    .await
    .unwrap();
    let id = quote["id"].as_str().unwrap();
    let token = quote["token"].as_str().unwrap();
    let accept = |path: String, cookie: Option<String>| {
        let app = &app;
        async move {
            app.site_request(Method::POST, &path, cookie.as_deref())
                .send()
                .await
                .unwrap()
        }
    };
    problem(accept(format!("/api/quotes/{id}/accept"), None).await, 404).await;
    problem(
        accept(format!("/api/quotes/{id}/accept?token=nope"), None).await,
        404,
    )
    .await;
    let response = accept(format!("/api/quotes/{id}/accept?token={token}"), None).await;
    assert_eq!(response.status().as_u16(), 200);
    let accepted: Value = response.json().await.unwrap();
    assert_eq!(accepted["status"], "accepted");
    assert!(accepted["accepted_at"].is_string());
    // Again: the same answer, nothing changes.
    let again: Value = accept(format!("/api/quotes/{id}/accept?token={token}"), None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(again["accepted_at"], accepted["accepted_at"]);

    // A member accepts their own; another member cannot.
    let (_, cookie) = app.sign_up("ana@example.com").await;
    let (_, other_cookie) = app.sign_up("bea@example.com").await;
    let body = json!({"lines": [{"sku": "22423", "quantity": 1}], "country": "GB"});
    let mine: Value = post_quote(&app, &body, Some(&cookie), None)
        .await
        .json()
        .await
        .unwrap();
    let mine_id = mine["id"].as_str().unwrap();
    problem(
        accept(
            format!("/api/quotes/{mine_id}/accept"),
            Some(other_cookie.clone()),
        )
        .await,
        404,
    )
    .await;
    let response = accept(
        format!("/api/quotes/{mine_id}/accept"),
        Some(cookie.clone()),
    )
    .await;
    assert_eq!(response.status().as_u16(), 200);

    // An expired quote cannot be accepted, and reads as expired.
    let old: Value = post_quote(&app, &body, Some(&cookie), None)
        .await
        .json()
        .await
        .unwrap();
    let old_id = old["id"].as_str().unwrap();
    app.running
        .client
        .update_item()
        .table_name(&app.running.table)
        .key("PK", AttributeValue::S(format!("QUOTE#{old_id}")))
        .key("SK", AttributeValue::S("QUOTE".into()))
        .update_expression("SET #q.valid_until = :past")
        .expression_attribute_names("#q", "quote")
        .expression_attribute_values(
            ":past",
            AttributeValue::S("2020-01-01T00:00:00.000000Z".into()),
        )
        .send()
        .await
        .unwrap();
    let body = problem(
        accept(format!("/api/quotes/{old_id}/accept"), Some(cookie.clone())).await,
        409,
    )
    .await;
    assert_eq!(body["type"], "/problems/quote-expired");
    let seen: Value = get(&app, &format!("/api/quotes/{old_id}"), Some(&cookie))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(seen["status"], "expired");
    app.shutdown().await;
}
