//! Logs carry no personal data: a whole customer journey (sign up, ask for a code, sign
//! in, change the profile, add an address, quote as a member and as a visitor, read and
//! accept by link, consent change, export, erase) runs while every line the process
//! logs is captured with the production subscriber (`telemetry::init_with_writer`,
//! installed once for the whole test binary by `ecrm_e2e::logs`), and no line may
//! contain the email, the names, any part of the address, the phone, the sign-in code,
//! the session cookie or the quote link token.
//!
//! Other tests run in the same process at the same time, so the journey runs on a
//! runtime of its own whose threads the capture enlists: the lines logged on them are
//! the journey's (the request lines counted and checked below). The secrets are looked
//! for in every line the process logged meanwhile, whatever the thread.

use ecrm_e2e::logs::Capture;
use ecrm_e2e::{TestApp, session_cookie};
use reqwest::Method;
use serde_json::{Value, json};

async fn send(
    app: &TestApp,
    method: Method,
    path: &str,
    cookie: Option<&str>,
    body: Option<Value>,
) -> reqwest::Response {
    let mut request = app.site_request(method, path, cookie);
    if let Some(body) = body {
        request = request.body(body.to_string());
    }
    request.send().await.expect("request")
}

/// As `#[tokio::test(flavor = "multi_thread", worker_threads = 2)]`, with the runtime's
/// threads enlisted in the capture.
#[test]
fn a_full_journey_logs_no_personal_data() {
    let capture = Capture::start();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .on_thread_start(capture.enlist())
        .build()
        .expect("a runtime for the journey");
    runtime.block_on(journey(&capture));
}

async fn journey(capture: &Capture) {
    let app = TestApp::start().await;

    let email = "zelda.quartermain@privacy-example.com";
    let name = "Zelda Quartermain";
    let new_name = "Zelda Q. Oberlin";
    let phone = "+34 612 345 678";
    let visitor_email = "visitor.marchetti@privacy-example.com";
    let visitor_name = "Ottavia Marchetti";
    let (line1, city, postal) = ("17 Confidences Lane", "Villefranchette", "ZE9 7QX");

    // Sign up: the form, then the mailed code.
    let (_, first_cookie) = app
        .sign_up_with(&json!({
            "email": email, "display_name": name, "language": "en", "country": "FR",
            "topics": ["gifts"],
            "consents": {"account": true, "marketing_email": true, "personalisation": true}
        }))
        .await;

    // Sign in with a mailed code.
    let code = app.request_code(email).await;
    let verified = send(
        &app,
        Method::POST,
        "/api/sessions/verify",
        None,
        Some(json!({ "email": email, "code": code })),
    )
    .await;
    assert_eq!(verified.status(), 200);
    let cookie = session_cookie(&verified).expect("cookie");

    // Profile change under If-Match.
    let me = send(&app, Method::GET, "/api/me", Some(&cookie), None).await;
    let etag = me.headers()["etag"].to_str().unwrap().to_string();
    let patched = app
        .site_request(Method::PATCH, "/api/me", Some(&cookie))
        .header("if-match", etag)
        .body(json!({ "display_name": new_name, "phone": phone }).to_string())
        .send()
        .await
        .expect("patch");
    assert_eq!(patched.status(), 200, "{}", patched.text().await.unwrap());

    // An address.
    let added = send(
        &app,
        Method::POST,
        "/api/me/addresses",
        Some(&cookie),
        Some(json!({
            "kinds": ["billing", "delivery"], "name": new_name, "line1": line1,
            "city": city, "postal_code": postal, "country": "GB"
        })),
    )
    .await;
    assert_eq!(added.status(), 201, "{}", added.text().await.unwrap());

    // A member's quote, and a visitor's quote read and accepted through its link.
    let catalog: Value = send(&app, Method::GET, "/api/catalog", None, None)
        .await
        .json()
        .await
        .expect("catalog");
    let sku = catalog["items"][0]["sku"]
        .as_str()
        .expect("sku")
        .to_string();
    let member_quote = send(
        &app,
        Method::POST,
        "/api/quotes",
        Some(&cookie),
        Some(json!({ "lines": [{ "sku": sku, "quantity": 2 }], "country": "FR" })),
    )
    .await;
    assert_eq!(member_quote.status(), 201);
    let visitor_quote: Value = send(
        &app,
        Method::POST,
        "/api/quotes",
        None,
        Some(json!({
            "lines": [{ "sku": sku, "quantity": 1 }], "country": "GB",
            "contact": { "name": visitor_name, "email": visitor_email }
        })),
    )
    .await
    .json()
    .await
    .expect("visitor quote");
    let quote_id = visitor_quote["id"].as_str().expect("id").to_string();
    let token = visitor_quote["token"].as_str().expect("token").to_string();
    let read = send(
        &app,
        Method::GET,
        &format!("/api/quotes/{quote_id}?token={token}"),
        None,
        None,
    )
    .await;
    assert_eq!(read.status(), 200);
    let accepted = send(
        &app,
        Method::POST,
        &format!("/api/quotes/{quote_id}/accept?token={token}"),
        None,
        None,
    )
    .await;
    assert_eq!(accepted.status(), 200);
    let history = send(&app, Method::GET, "/api/me/quotes", Some(&cookie), None).await;
    assert_eq!(history.status(), 200);

    // Consent change, export, erase.
    let withdrawn = send(
        &app,
        Method::PUT,
        "/api/me/consents/marketing_email",
        Some(&cookie),
        Some(json!({ "granted": false })),
    )
    .await;
    assert_eq!(withdrawn.status(), 200);
    let export = send(&app, Method::GET, "/api/me/export", Some(&cookie), None).await;
    assert_eq!(export.status(), 200);
    let export_text = export.text().await.expect("export");
    assert!(export_text.contains(line1), "the export holds the address");
    let erased = send(
        &app,
        Method::DELETE,
        "/api/me",
        Some(&cookie),
        Some(json!({ "confirm_email": email })),
    )
    .await;
    assert_eq!(erased.status(), 204);
    // A wrong code and a stale session, so the refusal paths log too.
    let refused = send(
        &app,
        Method::POST,
        "/api/sessions/verify",
        None,
        Some(json!({ "email": email, "code": "ZZZZ-ZZZZ" })),
    )
    .await;
    assert_eq!(refused.status(), 401);
    let gone = send(&app, Method::GET, "/api/me", Some(&first_cookie), None).await;
    assert_eq!(gone.status(), 401);

    app.shutdown().await;

    let text = capture.own_text();
    let lines: Vec<&str> = text.lines().collect();
    let requests: Vec<Value> = lines
        .iter()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter(|v| v["fields"]["message"] == "request")
        .collect();
    assert!(requests.len() >= 17, "{} request lines", requests.len());
    for line in &requests {
        let fields = &line["fields"];
        for member in [
            "request_id",
            "method",
            "route",
            "status",
            "latency_ms",
            "dynamodb_calls",
        ] {
            assert!(fields.get(member).is_some(), "{member} missing in {line}");
        }
    }
    // The route is the template, never the raw path (which carries ids and tokens).
    assert!(
        requests
            .iter()
            .any(|l| l["fields"]["route"] == "/api/quotes/{id}")
    );

    let cookie_token = |c: &str| c.trim_start_matches("ecrm_session=").to_string();
    let mut secrets: Vec<(String, &str)> = vec![
        (email.to_string(), "email"),
        ("zelda.quartermain".to_string(), "email local part"),
        ("privacy-example".to_string(), "email domain"),
        (visitor_email.to_string(), "visitor email"),
        ("Zelda".to_string(), "name"),
        ("Quartermain".to_string(), "surname"),
        ("Oberlin".to_string(), "new surname"),
        ("Ottavia".to_string(), "visitor name"),
        ("Marchetti".to_string(), "visitor surname"),
        (phone.to_string(), "phone"),
        ("612 345".to_string(), "phone digits"),
        ("Confidences".to_string(), "address line"),
        (city.to_string(), "city"),
        (postal.to_string(), "postal code"),
        (code.clone(), "sign-in code"),
        (code.replace('-', ""), "sign-in code without dash"),
        (cookie_token(&cookie), "session token"),
        (cookie_token(&first_cookie), "first session token"),
        (token.clone(), "quote link token"),
    ];
    // The signature half of a session token on its own, too.
    if let Some((_, signature)) = cookie_token(&cookie).rsplit_once('.') {
        secrets.push((signature.to_string(), "session signature"));
    }
    let everything = capture.all_text();
    let all_lines: Vec<&str> = everything.lines().collect();
    let lower = everything.to_lowercase();
    for (secret, what) in &secrets {
        assert!(
            !lower.contains(&secret.to_lowercase()),
            "a log line carries the {what}: {}",
            all_lines
                .iter()
                .find(|l| l.to_lowercase().contains(&secret.to_lowercase()))
                .unwrap_or(&"")
        );
    }
    assert!(lines.len() > requests.len(), "other events are logged too");
}
