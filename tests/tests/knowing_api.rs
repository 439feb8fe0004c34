//! Knowing the customer openly (issue #18) over real HTTP: who they buy for (stated at
//! sign-up, changed in the preference centre, in the export), the suggestion inferred
//! from quotes (only with consent, applied only when accepted), the survey lifecycle,
//! and `GET /api/me` reading only the profile and addresses (issue #19 item 4).

use aws_sdk_dynamodb::types::{AttributeValue, PutRequest, WriteRequest};
use ecrm_core::app::{App, profile};
use ecrm_core::domain::clock::Clock;
use ecrm_core::store::Store;
use ecrm_core::telemetry::count_dynamodb_calls;
use ecrm_e2e::{TestApp, problem, s, sign_up_body};
use reqwest::Method;
use serde_json::{Value, json};
use std::collections::HashMap;

async fn call(
    app: &TestApp,
    method: Method,
    path: &str,
    cookie: &str,
    body: Option<Value>,
) -> reqwest::Response {
    let mut request = app.site_request(method, path, Some(cookie));
    if let Some(body) = body {
        request = request.body(body.to_string());
    }
    request.send().await.unwrap()
}

async fn json_of(app: &TestApp, path: &str, cookie: &str) -> Value {
    let response = call(app, Method::GET, path, cookie, None).await;
    assert_eq!(response.status().as_u16(), 200, "{path}");
    response.json().await.unwrap()
}

async fn me(app: &TestApp, cookie: &str) -> (String, Value) {
    let response = call(app, Method::GET, "/api/me", cookie, None).await;
    assert_eq!(response.status().as_u16(), 200);
    let etag = response.headers()["etag"].to_str().unwrap().to_string();
    (etag, response.json().await.unwrap())
}

async fn patch_me(app: &TestApp, cookie: &str, body: Value) -> reqwest::Response {
    let (etag, _) = me(app, cookie).await;
    app.site_request(Method::PATCH, "/api/me", Some(cookie))
        .header("content-type", "application/merge-patch+json")
        .header("if-match", etag)
        .body(body.to_string())
        .send()
        .await
        .unwrap()
}

/// A member's quote with these quantities of the first catalog items; its id.
async fn quote(app: &TestApp, cookie: &str, quantities: &[u32]) -> String {
    let catalog = json_of(app, "/api/catalog", cookie).await;
    let items = catalog["items"].as_array().expect("catalog items");
    let lines: Vec<Value> = quantities
        .iter()
        .zip(items)
        .map(|(q, item)| json!({"sku": item["sku"], "quantity": q}))
        .collect();
    let response = call(
        app,
        Method::POST,
        "/api/quotes",
        cookie,
        Some(json!({"lines": lines, "country": "ES"})),
    )
    .await;
    assert_eq!(response.status().as_u16(), 201);
    let body: Value = response.json().await.unwrap();
    body["id"].as_str().unwrap().to_string()
}

async fn accept(app: &TestApp, cookie: &str, id: &str) {
    let path = format!("/api/quotes/{id}/accept");
    let response = call(app, Method::POST, &path, cookie, None).await;
    assert_eq!(response.status().as_u16(), 200);
}

#[tokio::test]
async fn buys_for_is_stated_at_sign_up_changed_and_exported() {
    let app = TestApp::start().await;
    let mut body = sign_up_body("ana@example.com");
    body["buys_for"] = json!("gifts");
    let (_, cookie) = app.sign_up_with(&body).await;
    let (_, shown) = me(&app, &cookie).await;
    assert_eq!(
        (
            shown["buys_for"].as_str(),
            shown["buys_for_source"].as_str()
        ),
        (Some("gifts"), Some("stated"))
    );

    // A value outside the three is refused with its field named; nothing changes.
    let refused = problem(
        patch_me(&app, &cookie, json!({"buys_for": "reseller"})).await,
        422,
    )
    .await;
    assert_eq!(refused["errors"][0]["pointer"], "/buys_for");
    let response = patch_me(&app, &cookie, json!({"buys_for": "business"})).await;
    assert_eq!(response.status().as_u16(), 200);
    let changed: Value = response.json().await.unwrap();
    assert_eq!(changed["buys_for"], "business");
    let export = json_of(&app, "/api/me/export", &cookie).await;
    assert_eq!(export["summary"]["buys_for"], "business");
    let stored = export["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["kind"] == "customer")
        .unwrap();
    assert_eq!(stored["buys_for"]["source"], "stated");

    // null removes it.
    let response = patch_me(&app, &cookie, json!({"buys_for": null})).await;
    assert_eq!(response.status().as_u16(), 200);
    let (_, shown) = me(&app, &cookie).await;
    assert!(shown["buys_for"].is_null());

    // An unknown value at sign-up names the field.
    let mut bad = sign_up_body("bea@example.com");
    bad["buys_for"] = json!("shop");
    let refused = problem(app.post_json("/api/customers", &bad).await, 422).await;
    assert!(
        refused["errors"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["pointer"] == "/buys_for")
    );
    app.shutdown().await;
}

#[tokio::test]
async fn reseller_quotes_suggest_business_only_with_consent_and_only_accepting_changes_it() {
    let app = TestApp::start().await;
    let (_, cookie) = app.sign_up("ana@example.com").await;
    let none = json_of(&app, "/api/me/suggestions", &cookie).await;
    assert_eq!(none["suggestions"], json!([]));
    quote(&app, &cookie, &[60]).await;
    quote(&app, &cookie, &[2]).await;
    assert_eq!(
        json_of(&app, "/api/me/suggestions", &cookie).await["suggestions"],
        json!([]),
        "one big quote is no pattern"
    );
    quote(&app, &cookie, &[50, 50]).await;
    let suggested = json_of(&app, "/api/me/suggestions", &cookie).await;
    assert_eq!(suggested["suggestions"][0]["id"], "buys_for_business");
    assert!(
        suggested["suggestions"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("48")
    );
    // Shown, but nothing changed yet.
    let (_, shown) = me(&app, &cookie).await;
    assert!(shown["buys_for"].is_null());

    // Without personalisation consent, no inference at all.
    let withdraw = call(
        &app,
        Method::PUT,
        "/api/me/consents/personalisation",
        &cookie,
        Some(json!({"granted": false})),
    )
    .await;
    assert_eq!(withdraw.status().as_u16(), 200);
    assert_eq!(
        json_of(&app, "/api/me/suggestions", &cookie).await["suggestions"],
        json!([])
    );
    let grant = call(
        &app,
        Method::PUT,
        "/api/me/consents/personalisation",
        &cookie,
        Some(json!({"granted": true})),
    )
    .await;
    assert_eq!(grant.status().as_u16(), 200);

    problem(
        call(
            &app,
            Method::POST,
            "/api/me/suggestions/buys_for_home/accept",
            &cookie,
            None,
        )
        .await,
        404,
    )
    .await;
    let accepted = call(
        &app,
        Method::POST,
        "/api/me/suggestions/buys_for_business/accept",
        &cookie,
        None,
    )
    .await;
    assert_eq!(accepted.status().as_u16(), 204);
    let (_, shown) = me(&app, &cookie).await;
    assert_eq!(
        (
            shown["buys_for"].as_str(),
            shown["buys_for_source"].as_str()
        ),
        (Some("business"), Some("accepted_suggestion"))
    );
    assert_eq!(
        json_of(&app, "/api/me/suggestions", &cookie).await["suggestions"],
        json!([])
    );

    // Another customer declines: the suggestion is not made again.
    let (_, other) = app.sign_up("bea@example.com").await;
    quote(&app, &other, &[100]).await;
    quote(&app, &other, &[48]).await;
    assert_eq!(
        json_of(&app, "/api/me/suggestions", &other).await["suggestions"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let dismissed = call(
        &app,
        Method::POST,
        "/api/me/suggestions/buys_for_business/dismiss",
        &other,
        None,
    )
    .await;
    assert_eq!(dismissed.status().as_u16(), 204);
    assert_eq!(
        json_of(&app, "/api/me/suggestions", &other).await["suggestions"],
        json!([])
    );
    let (_, shown) = me(&app, &other).await;
    assert!(shown["buys_for"].is_null());
    app.shutdown().await;
}

#[tokio::test]
async fn a_survey_is_offered_after_a_first_order_answered_once_and_erased_with_the_account() {
    let app = TestApp::start().await;
    let (id, cookie) = app.sign_up("ana@example.com").await;
    let next = call(&app, Method::GET, "/api/me/surveys/next", &cookie, None).await;
    assert_eq!(
        next.status().as_u16(),
        204,
        "no survey before a first order"
    );
    let answer = json!({"answers": {"found_us": "friend"}});
    problem(
        call(
            &app,
            Method::POST,
            "/api/me/surveys/first-order/answers",
            &cookie,
            Some(answer.clone()),
        )
        .await,
        409,
    )
    .await;

    let quote_id = quote(&app, &cookie, &[3]).await;
    accept(&app, &cookie, &quote_id).await;
    let survey = json_of(&app, "/api/me/surveys/next", &cookie).await;
    assert_eq!(survey["id"], "first-order");
    // The customer signed up in Spanish: the survey speaks Spanish, and says why.
    assert_eq!(survey["questions"][0]["text"], "¿Cómo nos encontraste?");
    assert!(
        !survey["questions"][0]["purpose"]
            .as_str()
            .unwrap()
            .is_empty()
    );
    assert!(
        !survey["questions"][0]["benefit"]
            .as_str()
            .unwrap()
            .is_empty()
    );
    assert_eq!(survey["retention_days"], 730);
    assert_eq!(survey["lawful_basis"], "consent");

    // Wrong answers are refused with the field named, and nothing is recorded.
    let bad = problem(
        call(
            &app,
            Method::POST,
            "/api/me/surveys/first-order/answers",
            &cookie,
            Some(json!({"answers": {"found_us": "tv"}})),
        )
        .await,
        422,
    )
    .await;
    assert_eq!(bad["errors"][0]["pointer"], "/answers/found_us");
    problem(
        call(
            &app,
            Method::POST,
            "/api/me/surveys/no-such/answers",
            &cookie,
            Some(answer.clone()),
        )
        .await,
        404,
    )
    .await;

    let done = call(
        &app,
        Method::POST,
        "/api/me/surveys/first-order/answers",
        &cookie,
        Some(answer.clone()),
    )
    .await;
    assert_eq!(done.status().as_u16(), 204);
    problem(
        call(
            &app,
            Method::POST,
            "/api/me/surveys/first-order/answers",
            &cookie,
            Some(answer),
        )
        .await,
        409,
    )
    .await;
    let next = call(&app, Method::GET, "/api/me/surveys/next", &cookie, None).await;
    assert_eq!(
        next.status().as_u16(),
        204,
        "one survey at a time, each once"
    );

    // The answer is in the export, with its retention.
    let export = json_of(&app, "/api/me/export", &cookie).await;
    let response = export["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["kind"] == "survey_response")
        .expect("the answer is exported");
    assert_eq!(response["answers"]["found_us"], "friend");
    assert!(
        response["ttl"].as_i64().unwrap()
            > time::OffsetDateTime::now_utc().unix_timestamp() + 700 * 86_400
    );

    // Business buyers get the next survey; they skip it for good.
    let response = patch_me(&app, &cookie, json!({"buys_for": "business"})).await;
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(
        json_of(&app, "/api/me/surveys/next", &cookie).await["id"],
        "business-needs"
    );
    let skipped = call(
        &app,
        Method::POST,
        "/api/me/surveys/business-needs/skip",
        &cookie,
        Some(json!({"dont_ask_again": true})),
    )
    .await;
    assert_eq!(skipped.status().as_u16(), 204);
    assert_eq!(
        call(&app, Method::GET, "/api/me/surveys/next", &cookie, None)
            .await
            .status()
            .as_u16(),
        204
    );

    // The shop's results: totals only.
    let results = ecrm_core::app::surveys::results(&Store::new(
        app.running.client.clone(),
        app.running.table.clone(),
    ))
    .await
    .unwrap();
    assert_eq!(results.len(), 1);
    assert_eq!(
        (results[0].option.as_str(), results[0].count),
        ("friend", 1)
    );

    // Erasure takes the answers with it.
    let erased = call(
        &app,
        Method::DELETE,
        "/api/me",
        &cookie,
        Some(json!({"confirm_email": "ana@example.com"})),
    )
    .await;
    assert_eq!(erased.status().as_u16(), 204);
    let left: Vec<_> = app
        .scan_all()
        .await
        .into_iter()
        .filter(|i| {
            ["survey_response", "timeline_entry", "consent"].contains(&s(i, "kind").unwrap_or(""))
        })
        .collect();
    assert!(left.is_empty(), "{left:?}");
    let pk = format!("#{id}");
    assert!(
        app.scan_all()
            .await
            .iter()
            .all(|i| !s(i, "PK").unwrap_or("").ends_with(&pk)),
        "nothing is left under the customer's partitions"
    );
    app.shutdown().await;
}

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
    let address = call(
        &app,
        Method::POST,
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
        call(
            &app,
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
        call(&app, Method::GET, "/api/me/consents?limit=0", &cookie, None).await,
        400,
    )
    .await;
    // A receipt is read by its key.
    let newest = &json_of(&app, "/api/me/consents?limit=1", &cookie).await["history"][0];
    let receipt = call(
        &app,
        Method::GET,
        newest["receipt_url"].as_str().unwrap(),
        &cookie,
        None,
    )
    .await;
    assert_eq!(receipt.status().as_u16(), 200);
    app.shutdown().await;
}
