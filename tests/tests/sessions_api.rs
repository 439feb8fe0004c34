//! Passwordless sign-in, sessions and the cross-site check, through the local runner
//! over real HTTP. Codes are read from the development mailbox, as a person would.

use aws_sdk_dynamodb::types::AttributeValue;
use ecrm_core::domain::session::SessionClaims;
use ecrm_e2e::{TestApp, s, session_cookie};
use reqwest::Method;
use serde_json::{Value, json};

async fn verify(app: &TestApp, email: &str, code: &str) -> reqwest::Response {
    app.site_request(Method::POST, "/api/sessions/verify", None)
        .body(json!({ "email": email, "code": code }).to_string())
        .send()
        .await
        .unwrap()
}

/// Sign in, keeping the customer's other sessions alive.
async fn verify_keeping(app: &TestApp, email: &str, code: &str) -> reqwest::Response {
    app.site_request(Method::POST, "/api/sessions/verify", None)
        .body(json!({ "email": email, "code": code, "keep_other_sessions": true }).to_string())
        .send()
        .await
        .unwrap()
}

async fn current(app: &TestApp, cookie: &str) -> reqwest::Response {
    app.site_request(Method::GET, "/api/sessions/current", Some(cookie))
        .send()
        .await
        .unwrap()
}

fn wrong(code: &str) -> String {
    let first = if code.starts_with('Z') { 'Y' } else { 'Z' };
    format!("{first}{}", &code[1..])
}

#[tokio::test]
async fn finishing_sign_up_signs_in_with_a_strict_cookie() {
    let app = TestApp::start().await;
    let before = app.mailbox().await.len();
    let accepted = app
        .post_json("/api/customers", &ecrm_e2e::sign_up_body("ana@example.com"))
        .await;
    assert_eq!(accepted.status().as_u16(), 202);
    let code = app.next_code(before).await;
    let response = verify(&app, "ana@example.com", &code).await;
    assert_eq!(response.status().as_u16(), 200);
    let set_cookie = response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_string();
    for attribute in ["HttpOnly", "SameSite=Strict", "Path=/api", "Max-Age=604800"] {
        assert!(
            set_cookie.contains(attribute),
            "{attribute} in {set_cookie}"
        );
    }
    assert!(
        !set_cookie.contains("Secure"),
        "plain-http loopback runner: no Secure"
    );
    let cookie = session_cookie(&response).unwrap();
    let id = response.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let me: Value = current(&app, &cookie).await.json().await.unwrap();
    assert_eq!(me["id"], id.as_str());
    assert_eq!(me["display_name"], "Ana");
    app.shutdown().await;
}

#[tokio::test]
async fn sign_in_with_the_mailed_code_once() {
    let app = TestApp::start().await;
    let (id, _) = app.sign_up("ana@example.com").await;
    let code = app.request_code(" ANA@example.com").await;
    let mail = &app.mailbox().await[0];
    assert_eq!(mail["to"], "ana@example.com");

    let response = verify(&app, "ana@example.com", &code.to_lowercase()).await;
    assert_eq!(response.status().as_u16(), 200);
    let cookie = session_cookie(&response).unwrap();
    assert_eq!(response.json::<Value>().await.unwrap()["id"], id.as_str());
    assert_eq!(current(&app, &cookie).await.status().as_u16(), 200);

    // Single use: the same code again is refused, and nothing is left in the table.
    assert_eq!(
        verify(&app, "ana@example.com", &code)
            .await
            .status()
            .as_u16(),
        401
    );
    assert!(
        !app.scan_all()
            .await
            .iter()
            .any(|i| s(i, "PK").unwrap().starts_with("SIGNIN#"))
    );
    app.shutdown().await;
}

#[tokio::test]
async fn registered_and_unregistered_emails_answer_identically() {
    let app = TestApp::start().await;
    app.sign_up("known@example.com").await;
    app.mail_from_template("known@example.com", "welcome").await;
    let mail_before = app.mailbox().await.len();
    let mut answers = Vec::new();
    for email in ["known@example.com", "unknown@example.com"] {
        let response = app
            .site_request(Method::POST, "/api/sessions", None)
            .body(json!({ "email": email }).to_string())
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        let mut headers: Vec<String> = response
            .headers()
            .iter()
            .filter(|(name, _)| !matches!(name.as_str(), "x-request-id" | "date"))
            .map(|(name, value)| format!("{name}: {}", value.to_str().unwrap()))
            .collect();
        headers.sort();
        answers.push((status, headers, response.text().await.unwrap()));
    }
    assert_eq!(answers[0], answers[1]);
    assert_eq!(answers[0].0, 202);

    // Only the registered email got mail, and only its code is stored.
    tokio::time::sleep(std::time::Duration::from_millis(600)).await;
    let mail = app.mailbox().await;
    assert_eq!(mail.len(), mail_before + 1);
    assert_eq!(mail[0]["to"], "known@example.com");
    let codes = app
        .scan_all()
        .await
        .into_iter()
        .filter(|i| s(i, "PK").unwrap().starts_with("SIGNIN#"))
        .count();
    assert_eq!(codes, 1);
    // The stored code is a keyed hash: neither the email nor the code appear in it.
    let item = app
        .scan_all()
        .await
        .into_iter()
        .find(|i| s(i, "PK").unwrap().starts_with("SIGNIN#"))
        .unwrap();
    let text = format!("{item:?}");
    assert!(!text.contains("known@example.com"));
    assert!(!text.contains(&ecrm_e2e::code_in(mail[0]["text"].as_str().unwrap()).unwrap()));
    app.shutdown().await;
}

#[tokio::test]
async fn five_wrong_codes_kill_the_code() {
    let app = TestApp::start().await;
    app.sign_up("ana@example.com").await;
    let code = app.request_code("ana@example.com").await;
    for attempt in 1..=5 {
        let response = verify(&app, "ana@example.com", &wrong(&code)).await;
        assert_eq!(response.status().as_u16(), 401, "attempt {attempt}");
        assert_eq!(
            response.headers()["content-type"],
            "application/problem+json"
        );
    }
    let item = app
        .scan_all()
        .await
        .into_iter()
        .find(|i| s(i, "PK").unwrap().starts_with("SIGNIN#"))
        .unwrap();
    assert_eq!(item["attempts"].as_n().unwrap(), "5");
    assert_eq!(
        verify(&app, "ana@example.com", &code)
            .await
            .status()
            .as_u16(),
        401,
        "dead after five failures"
    );
    // A new code works again.
    let fresh = app.request_code("ana@example.com").await;
    assert_eq!(
        verify(&app, "ana@example.com", &fresh)
            .await
            .status()
            .as_u16(),
        200
    );
    app.shutdown().await;
}

#[tokio::test]
async fn expired_codes_are_refused() {
    let app = TestApp::start().await;
    app.sign_up("ana@example.com").await;
    let code = app.request_code("ana@example.com").await;
    let item = app
        .scan_all()
        .await
        .into_iter()
        .find(|i| s(i, "PK").unwrap().starts_with("SIGNIN#"))
        .unwrap();
    // Move the expiry into the past, as ten minutes passing would.
    app.running
        .client
        .update_item()
        .table_name(&app.running.table)
        .key("PK", item["PK"].clone())
        .key("SK", item["SK"].clone())
        .update_expression("SET expires_at = :past")
        .expression_attribute_values(":past", AttributeValue::N("1".into()))
        .send()
        .await
        .unwrap();
    assert_eq!(
        verify(&app, "ana@example.com", &code)
            .await
            .status()
            .as_u16(),
        401
    );
    app.shutdown().await;
}

#[tokio::test]
async fn tampered_forged_and_expired_cookies_are_refused() {
    let app = TestApp::start().await;
    let (id, cookie) = app.sign_up("ana@example.com").await;
    let (other_id, _) = app.sign_up("eve@example.com").await;

    let token = cookie.trim_start_matches("ecrm_session=");
    let (payload, signature) = token.split_once('.').unwrap();
    let tampered = format!(
        "ecrm_session={payload}.{}",
        signature.chars().rev().collect::<String>()
    );
    assert_eq!(current(&app, &tampered).await.status().as_u16(), 401);

    // Claims naming another customer, signed with a key that is not the server's.
    let forger = ecrm_core::domain::session::ServerSecret::generate().unwrap();
    let claims = SessionClaims {
        cid: other_id.clone(),
        sid: "x".into(),
        epoch: 0,
        exp: i64::MAX / 2,
    };
    assert_eq!(
        current(&app, &format!("ecrm_session={}", forger.sign(&claims)))
            .await
            .status()
            .as_u16(),
        401
    );

    // A genuine signature on expired claims.
    let expired = SessionClaims {
        cid: id.clone(),
        sid: "x".into(),
        epoch: 0,
        exp: 1,
    };
    let response = current(
        &app,
        &format!("ecrm_session={}", app.session_key.sign(&expired)),
    )
    .await;
    assert_eq!(response.status().as_u16(), 401);
    assert_eq!(
        response.headers()["content-type"],
        "application/problem+json"
    );

    assert_eq!(
        app.http
            .get(app.url("/api/sessions/current"))
            .send()
            .await
            .unwrap()
            .status()
            .as_u16(),
        401
    );
    app.shutdown().await;
}

#[tokio::test]
async fn revoking_signs_out_everywhere() {
    let app = TestApp::start().await;
    let (_, first) = app.sign_up("ana@example.com").await;
    let code = app.request_code("ana@example.com").await;
    let second = session_cookie(&verify_keeping(&app, "ana@example.com", &code).await).unwrap();
    assert_eq!(current(&app, &first).await.status().as_u16(), 200);
    assert_eq!(current(&app, &second).await.status().as_u16(), 200);

    let response = app
        .site_request(Method::POST, "/api/me/sessions/revoke", Some(&second))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 204);
    assert!(
        response.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .contains("Max-Age=0")
    );
    assert_eq!(
        current(&app, &first).await.status().as_u16(),
        401,
        "revoked epoch"
    );
    assert_eq!(
        current(&app, &second).await.status().as_u16(),
        401,
        "revoked epoch"
    );

    // A new sign-in works at the new epoch.
    let code = app.request_code("ana@example.com").await;
    let third = session_cookie(&verify(&app, "ana@example.com", &code).await).unwrap();
    assert_eq!(current(&app, &third).await.status().as_u16(), 200);
    app.shutdown().await;
}

#[tokio::test]
async fn sign_out_clears_the_cookie() {
    let app = TestApp::start().await;
    let (_, cookie) = app.sign_up("ana@example.com").await;
    let response = app
        .site_request(Method::DELETE, "/api/sessions/current", Some(&cookie))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 204);
    let set_cookie = response.headers()["set-cookie"].to_str().unwrap();
    assert!(set_cookie.starts_with("ecrm_session=;") && set_cookie.contains("Max-Age=0"));
    app.shutdown().await;
}

#[tokio::test]
async fn a_signed_out_cookie_replayed_is_refused_everywhere() {
    let app = TestApp::start().await;
    let (_, copied) = app.sign_up("ana@example.com").await;
    let code = app.request_code("ana@example.com").await;
    let other_device =
        session_cookie(&verify_keeping(&app, "ana@example.com", &code).await).unwrap();
    let me = app
        .site_request(Method::GET, "/api/me", Some(&copied))
        .send()
        .await
        .unwrap();
    assert_eq!(me.status().as_u16(), 200);
    let etag = me.headers()["etag"].to_str().unwrap().to_string();

    let response = app
        .site_request(Method::DELETE, "/api/sessions/current", Some(&copied))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 204);

    // The same cookie, replayed from anywhere: refused on every customer route, reads
    // and writes, and nothing changes.
    let address = json!({"kinds": ["delivery"], "name": "Ana", "line1": "Calle 1",
                         "city": "Madrid", "postal_code": "28001", "country": "ES"});
    let attempts = [
        (Method::GET, "/api/sessions/current", None),
        (Method::GET, "/api/me", None),
        (Method::GET, "/api/me/export", None),
        (Method::GET, "/api/me/consents", None),
        (Method::GET, "/api/me/quotes", None),
        (
            Method::PATCH,
            "/api/me",
            Some(json!({"display_name": "Mallory"})),
        ),
        (Method::POST, "/api/me/addresses", Some(address)),
        (
            Method::PUT,
            "/api/me/consents/marketing_email",
            Some(json!({"granted": true})),
        ),
        (Method::POST, "/api/me/sessions/revoke", None),
        (
            Method::DELETE,
            "/api/me",
            Some(json!({"confirm_email": "ana@example.com"})),
        ),
    ];
    for (method, path, body) in attempts {
        let mut request = app
            .site_request(method.clone(), path, Some(&copied))
            .header("if-match", &etag);
        if let Some(body) = body {
            request = request.body(body.to_string());
        }
        let response = request.send().await.unwrap();
        assert_eq!(response.status().as_u16(), 401, "{method} {path}");
    }

    // The customer's other session is untouched, and so is their data.
    let me: Value = app
        .site_request(Method::GET, "/api/me", Some(&other_device))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["display_name"], "Ana");
    assert_eq!(me["addresses"], json!([]));
    assert_eq!(me["consents"]["marketing_email"], false);
    app.shutdown().await;
}

#[tokio::test]
async fn signing_in_ends_other_sessions_unless_the_customer_keeps_them() {
    let app = TestApp::start().await;
    let (_, first) = app.sign_up("ana@example.com").await;
    // "Keep my other devices signed in": the first session lives on.
    let code = app.request_code("ana@example.com").await;
    let second = session_cookie(&verify_keeping(&app, "ana@example.com", &code).await).unwrap();
    assert_eq!(current(&app, &first).await.status().as_u16(), 200);
    assert_eq!(current(&app, &second).await.status().as_u16(), 200);
    // By default a sign-in ends every earlier session: one someone else may hold dies
    // when the owner signs in.
    let code = app.request_code("ana@example.com").await;
    let third = session_cookie(&verify(&app, "ana@example.com", &code).await).unwrap();
    assert_eq!(current(&app, &first).await.status().as_u16(), 401);
    assert_eq!(current(&app, &second).await.status().as_u16(), 401);
    assert_eq!(current(&app, &third).await.status().as_u16(), 200);
    app.shutdown().await;
}

#[tokio::test]
async fn cross_site_requests_are_refused() {
    let app = TestApp::start().await;
    let (_, cookie) = app.sign_up("ana@example.com").await;
    let revoke = || {
        app.http
            .post(app.url("/api/me/sessions/revoke"))
            .header("content-type", "application/json")
    };

    let missing_origin = revoke().header("cookie", &cookie).send().await.unwrap();
    assert_eq!(missing_origin.status().as_u16(), 403);
    let foreign = revoke()
        .header("cookie", &cookie)
        .header("origin", "https://evil.example")
        .send()
        .await
        .unwrap();
    assert_eq!(foreign.status().as_u16(), 403);
    assert_eq!(
        foreign.headers()["content-type"],
        "application/problem+json"
    );
    let fetch_metadata = revoke()
        .header("cookie", &cookie)
        .header("origin", app.origin())
        .header("sec-fetch-site", "cross-site")
        .send()
        .await
        .unwrap();
    assert_eq!(fetch_metadata.status().as_u16(), 403);
    let foreign_sign_up = app
        .http
        .post(app.url("/api/customers"))
        .header("content-type", "application/json")
        .header("origin", "https://evil.example")
        .body(ecrm_e2e::sign_up_body("x@example.com").to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(foreign_sign_up.status().as_u16(), 403);

    // Still signed in: none of those did anything.
    assert_eq!(current(&app, &cookie).await.status().as_u16(), 200);
    let same_site = app
        .site_request(Method::POST, "/api/me/sessions/revoke", Some(&cookie))
        .send()
        .await
        .unwrap();
    assert_eq!(same_site.status().as_u16(), 204);
    app.shutdown().await;
}

#[tokio::test]
async fn bad_sign_in_input_is_a_problem() {
    let app = TestApp::start().await;
    let response = app
        .site_request(Method::POST, "/api/sessions", None)
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 422);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["errors"][0]["pointer"], "/email");
    let response = app
        .site_request(Method::POST, "/api/sessions/verify", None)
        .body(json!({"email": "a@example.com"}).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 422);
    app.shutdown().await;
}

/// A request body for an email.
type BodyFor = fn(&str) -> Value;

/// Medians (µs) of `pairs` timings of the same request for two emails, taken in
/// alternation so that load from other tests falls on both alike; and every status.
async fn paired_medians(
    app: &TestApp,
    path: &str,
    body: BodyFor,
    emails: [&str; 2],
    pairs: usize,
) -> ([u128; 2], [Vec<u16>; 2]) {
    let mut times: [Vec<u128>; 2] = [Vec::new(), Vec::new()];
    let mut statuses: [Vec<u16>; 2] = [Vec::new(), Vec::new()];
    for i in 0..pairs {
        // Alternate which goes first, too.
        for side in [i % 2, 1 - i % 2] {
            let started = std::time::Instant::now();
            let response = app
                .site_request(Method::POST, path, None)
                .body(body(emails[side]).to_string())
                .send()
                .await
                .unwrap();
            times[side].push(started.elapsed().as_micros());
            statuses[side].push(response.status().as_u16());
        }
    }
    let median = |mut t: Vec<u128>| {
        t.sort_unstable();
        t[t.len() / 2]
    };
    let [a, b] = times;
    ([median(a), median(b)], statuses)
}

/// No enumeration by time: on every route that takes an email, a registered and an
/// unregistered one answer alike and, within noise, as fast (medians of 50 requests
/// each, interleaved).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn registered_and_unregistered_emails_take_the_same_time() {
    let app = TestApp::start().await;
    app.sign_up("known@example.com").await;
    let cases: [(&str, BodyFor); 3] = [
        ("/api/sessions", |email| json!({ "email": email })),
        (
            "/api/sessions/verify",
            |email| json!({ "email": email, "code": "ZZZZ-ZZZZ" }),
        ),
        ("/api/customers", |email| ecrm_e2e::sign_up_body(email)),
    ];
    for (path, body) in cases {
        let emails = ["known@example.com", "nobody@example.com"];
        // Warm up both paths.
        paired_medians(&app, path, body, emails, 3).await;
        let ([k, u], [ks, us]) = paired_medians(&app, path, body, emails, 50).await;
        let dedup = |mut s: Vec<u16>| {
            s.sort_unstable();
            s.dedup();
            s
        };
        assert_eq!(dedup(ks), dedup(us), "{path}: same statuses");
        let (fast, slow) = (k.min(u), k.max(u));
        eprintln!("timing {path}: registered {k} µs, unregistered {u} µs (medians of 50)");
        assert!(
            slow - fast <= 750.max(fast * 35 / 100),
            "{path}: registered {k} µs vs unregistered {u} µs"
        );
    }
    app.shutdown().await;
}

/// Abuse limits: codes per email and per client address, sign-ups per client address,
/// and code checks per email per day answer 429 with `Retry-After` and a problem,
/// the same whether the email is registered or not; other addresses are unaffected.
#[tokio::test]
async fn limits_answer_429_alike_for_registered_and_unregistered_emails() {
    use ecrm_core::domain::limits::{Limit, Limits};
    let hourly = |max| Limit {
        max,
        window_seconds: 3600,
    };
    let limits = Limits {
        codes_per_email: hourly(3),
        codes_per_client: hourly(50),
        guesses_per_email: Limit {
            max: 4,
            window_seconds: 86_400,
        },
        signups_per_client: hourly(3),
        visitor_quotes_per_client: hourly(50),
    };
    let app = TestApp::start_with_limits(limits).await;
    app.sign_up("known@example.com").await; // 1 sign-up, 1 code for known@, 1 guess
    let ask = |email: &'static str| {
        let app = &app;
        async move {
            app.site_request(Method::POST, "/api/sessions", None)
                .body(json!({ "email": email }).to_string())
                .send()
                .await
                .unwrap()
        }
    };
    // known@ has had one code (at sign-up): two more, then 429. unknown@: three, then 429.
    for _ in 0..2 {
        assert_eq!(ask("known@example.com").await.status().as_u16(), 202);
    }
    for _ in 0..3 {
        assert_eq!(ask("unknown@example.com").await.status().as_u16(), 202);
    }
    let mut refusals = Vec::new();
    for email in ["known@example.com", "unknown@example.com"] {
        let response = ask(email).await;
        assert_eq!(response.status().as_u16(), 429, "{email}");
        let retry_after: u64 = response.headers()["retry-after"]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!((1..=3600).contains(&retry_after));
        let body = ecrm_e2e::problem(response, 429).await;
        refusals.push((body["type"].clone(), body["detail"].clone()));
    }
    assert_eq!(refusals[0], refusals[1], "the same refusal for both");
    assert_eq!(ask("other@example.com").await.status().as_u16(), 202);

    // Code checks per email per day, right or wrong, across codes: four, then 429.
    for _ in 0..4 {
        assert_eq!(
            verify(&app, "other@example.com", "ZZZZ-ZZZZ")
                .await
                .status()
                .as_u16(),
            401
        );
    }
    let capped = verify(&app, "other@example.com", "ZZZZ-ZZZZ").await;
    assert_eq!(capped.status().as_u16(), 429);
    assert!(capped.headers().contains_key("retry-after"));

    // Sign-ups per client address: this test's one address has made one; two more.
    for i in 0..2 {
        let response = app
            .post_json(
                "/api/customers",
                &ecrm_e2e::sign_up_body(&format!("new{i}@example.com")),
            )
            .await;
        assert_eq!(response.status().as_u16(), 202);
    }
    let refused = app
        .post_json(
            "/api/customers",
            &ecrm_e2e::sign_up_body("new9@example.com"),
        )
        .await;
    assert_eq!(refused.status().as_u16(), 429);
    // Nothing was done for the refused one: no code mailed, no pending sign-up.
    tokio::time::sleep(std::time::Duration::from_millis(400)).await;
    assert!(
        !app.mailbox()
            .await
            .iter()
            .any(|m| m["to"] == "new9@example.com")
    );
    app.shutdown().await;
}

/// Asking for a new code never kills the one a person is about to type: a stranger
/// asking for codes in someone's name cannot lock them out. Each code still works once.
#[tokio::test]
async fn a_new_code_does_not_kill_the_previous_one() {
    let app = TestApp::start().await;
    app.sign_up("ana@example.com").await;
    let first = app.request_code("ana@example.com").await;
    let second = app.request_code("ana@example.com").await;
    assert_ne!(first, second);
    let response = verify(&app, "ana@example.com", &first).await;
    assert_eq!(
        response.status().as_u16(),
        200,
        "the earlier code still works"
    );
    // Used: neither code works again (the sign-in consumed the item).
    assert_eq!(
        verify(&app, "ana@example.com", &first)
            .await
            .status()
            .as_u16(),
        401
    );
    assert_eq!(
        verify(&app, "ana@example.com", &second)
            .await
            .status()
            .as_u16(),
        401
    );
    // Only the newest two are live: a third request retires the first.
    let one = app.request_code("ana@example.com").await;
    let _two = app.request_code("ana@example.com").await;
    let three = app.request_code("ana@example.com").await;
    assert_eq!(
        verify(&app, "ana@example.com", &one)
            .await
            .status()
            .as_u16(),
        401
    );
    assert_eq!(
        verify(&app, "ana@example.com", &three)
            .await
            .status()
            .as_u16(),
        200
    );
    app.shutdown().await;
}
