//! A member's quotes over real HTTP: the member discount, access by owner only, history
//! with pagination, acceptance and expiry.

use super::quotes_visitor_api::{get, post_quote, visitor_body};
use aws_sdk_dynamodb::types::AttributeValue;
use ecrm_e2e::{TestApp, pointers, problem};
use reqwest::Method;
use serde_json::{Value, json};

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
