//! Catalog and quotes through the local runner over real HTTP, against an in-memory
//! dynoxide: the catalog, a visitor's priced quote with its private link, and every rule
//! violation named by line. The helpers here serve every `quotes_*_api` file.

use ecrm_e2e::{Item, TestApp, pointers, problem, s};
use reqwest::Method;
use serde_json::{Value, json};

pub(crate) fn visitor_body(lines: Value) -> Value {
    json!({
        "lines": lines,
        "country": "GB",
        "contact": {"name": "Vera Visitor", "email": "Vera@Example.com"}
    })
}

/// POST /api/quotes as the site does, with an optional cookie and Idempotency-Key.
pub(crate) async fn post_quote(
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

pub(crate) async fn get(app: &TestApp, path: &str, cookie: Option<&str>) -> reqwest::Response {
    app.site_request(Method::GET, path, cookie)
        .send()
        .await
        .unwrap()
}

pub(crate) fn quote_items(items: &[Item]) -> Vec<&Item> {
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
