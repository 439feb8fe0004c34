//! Sign-in tells nobody whether an email is registered: the same answer, the same time
//! and the same limits for registered and unregistered emails, over real HTTP.

use super::sessions_signin_api::verify;
use ecrm_e2e::{TestApp, s};
use reqwest::Method;
use serde_json::{Value, json};

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
