//! `POST /api/quotes/preview`: the running total of "Get a price". Priced by the same
//! rules as an issued quote, nothing stored; a member's country starts from their
//! default delivery address, else their profile; a visitor must choose one.

use ecrm_e2e::{TestApp, pointers, problem, sign_up_body};
use reqwest::Method;
use serde_json::{Value, json};

async fn preview(app: &TestApp, body: Value, cookie: Option<&str>) -> reqwest::Response {
    app.site_request(Method::POST, "/api/quotes/preview", cookie)
        .body(body.to_string())
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_visitor_sees_the_price_a_quote_would_have_and_nothing_is_stored() {
    let app = TestApp::start().await;
    let before = app.scan_all().await.len();
    let lines = json!([{"sku": "85099B", "quantity": 10}, {"sku": "TEA-01", "quantity": 12}]);
    let response = preview(&app, json!({"lines": lines, "country": "GB"}), None).await;
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(response.headers()["cache-control"], "no-store");
    let body: Value = response.json().await.unwrap();
    // The same figures as the issued quote in quotes_visitor_api: bag 1950 + 390 tax, tea 4740
    // + 237 (reduced 5 %).
    assert_eq!(body["country"], "GB");
    assert_eq!(body["currency"], "GBP");
    assert_eq!(body["lines"][0]["subtotal_minor"], 1_950);
    assert_eq!(body["lines"][0]["tax_rate_bp"], 2_000);
    assert_eq!(body["lines"][1]["tax_minor"], 237);
    assert_eq!(body["subtotal_minor"], 1_950 + 4_740);
    assert_eq!(body["discount_minor"], 0);
    assert_eq!(body["total_minor"], 1_950 + 4_740 + 390 + 237);
    // Lines add up to the totals.
    let sum: u64 = body["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["total_minor"].as_u64().unwrap())
        .sum();
    assert_eq!(body["total_minor"].as_u64().unwrap(), sum);
    assert_eq!(
        app.scan_all().await.len(),
        before,
        "a preview stores nothing"
    );

    // Spanish VAT for Spain: 21 % standard.
    let body: Value = preview(
        &app,
        json!({"lines": [{"sku": "85099B", "quantity": 10}], "country": "ES"}),
        None,
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(body["lines"][0]["tax_rate_bp"], 2_100);

    // No lines: nothing to price, and no country is made up for a visitor.
    let body: Value = preview(&app, json!({"lines": []}), None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(body["country"], Value::Null);
    assert_eq!(body["total_minor"], 0);

    // Lines without a country: the country is asked for; rules are a quote's rules.
    let response = preview(
        &app,
        json!({"lines": [{"sku": "85099B", "quantity": 1}]}),
        None,
    )
    .await;
    assert_eq!(pointers(&problem(response, 422).await), ["/country"]);
    let response = preview(
        &app,
        json!({"lines": [{"sku": "CORP-BOX", "quantity": 2}, {"sku": "NOPE-1", "quantity": 1}], "country": "GB"}),
        None,
    )
    .await;
    assert_eq!(
        pointers(&problem(response, 422).await),
        ["/lines/0/quantity", "/lines/1/sku"]
    );
    let response = preview(
        &app,
        json!({"lines": [], "country": "GB", "contact": {}}),
        None,
    )
    .await;
    problem(response, 400).await;
    app.shutdown().await;
}

#[tokio::test]
async fn a_members_country_is_their_default_delivery_address_else_their_profile() {
    let app = TestApp::start().await;
    let mut body = sign_up_body("ana@example.com");
    body["country"] = json!("DE");
    let (_, cookie) = app.sign_up_with(&body).await;
    let answer: Value = preview(&app, json!({"lines": []}), Some(&cookie))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(answer["country"], "DE", "the profile's country");

    let address = json!({"kinds": ["delivery"], "name": "Ana García", "line1": "Calle Mayor 1",
        "city": "Madrid", "postal_code": "28013", "country": "ES", "default_delivery": true});
    let response = app
        .site_request(Method::POST, "/api/me/addresses", Some(&cookie))
        .body(address.to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 201);
    let answer: Value = preview(
        &app,
        json!({"lines": [{"sku": "85099B", "quantity": 10}]}),
        Some(&cookie),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(
        answer["country"], "ES",
        "the default delivery address's country"
    );
    assert_eq!(answer["lines"][0]["tax_rate_bp"], 2_100);
    // Members' discount, 5 % of 1950.
    assert_eq!(answer["discount_rate_bp"], 500);
    assert_eq!(answer["discount_minor"], 98);
    app.shutdown().await;
}

#[tokio::test]
async fn problems_speak_the_readers_language() {
    let app = TestApp::start().await;
    let body = json!({"lines": [{"sku": "CORP-BOX", "quantity": 2}], "country": "GB"});
    let spanish = app
        .site_request(Method::POST, "/api/quotes/preview", None)
        .header("accept-language", "es-ES,es;q=0.9,en;q=0.5")
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(spanish.headers()["content-language"], "es");
    let answer = problem(spanish, 422).await;
    assert_eq!(answer["title"], "Solicitud no válida");
    assert_eq!(
        answer["errors"][0]["detail"],
        "debe estar entre 5 y 500 para este artículo"
    );
    let english = problem_of(&app, &body, "en-GB").await;
    assert_eq!(
        english["errors"][0]["detail"],
        "must be between 5 and 500 for this item"
    );
    // A signed-out answer too.
    let response = app
        .site_request(Method::GET, "/api/me", None)
        .header("accept-language", "es")
        .send()
        .await
        .unwrap();
    assert_eq!(
        problem(response, 401).await["detail"],
        "Inicia sesión para ver o cambiar esto."
    );
    app.shutdown().await;
}

async fn problem_of(app: &TestApp, body: &Value, language: &str) -> Value {
    let response = app
        .site_request(Method::POST, "/api/quotes/preview", None)
        .header("accept-language", language)
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    problem(response, 422).await
}
