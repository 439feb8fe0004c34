//! Sign-up through the local runner over real HTTP, against an in-memory dynoxide:
//! nothing is created until the mailed code comes back, a registered email gets the same
//! answer, and simultaneous sign-ups with one email make one customer.

use ecrm_e2e::{Item, TestApp, s, sign_up_body};
use serde_json::{Value, json};

fn items_with_prefix<'a>(items: &'a [Item], pk_prefix: &str) -> Vec<&'a Item> {
    items
        .iter()
        .filter(|i| s(i, "PK").is_some_and(|pk| pk.starts_with(pk_prefix)))
        .collect()
}

/// A mail's own line on the customer's timeline (written with the mail).
fn mail_record(item: &Item) -> bool {
    s(item, "kind") == Some("timeline_entry") && s(item, "what") == Some("email_sent")
}

fn kinds(items: &[Item]) -> Vec<&str> {
    let mut kinds: Vec<&str> = items.iter().filter_map(|i| s(i, "kind")).collect();
    kinds.sort_unstable();
    kinds
}

#[tokio::test]
async fn sign_up_creates_nothing_until_the_mailed_code_comes_back() {
    let app = TestApp::start().await;
    let before = app.mailbox().await.len();
    let response = app
        .post_json("/api/customers", &sign_up_body("  Ana@Example.COM "))
        .await;
    assert_eq!(response.status().as_u16(), 202);
    assert!(
        ecrm_e2e::session_cookie(&response).is_none(),
        "no session before the address is proven"
    );
    let accepted: Value = response.json().await.unwrap();
    assert_eq!(accepted["status"], "accepted");

    // Until the code comes back: no profile, no email claim, no consent in the ledger.
    let waiting = app.scan_all().await;
    assert!(
        !kinds(&waiting)
            .iter()
            .any(|k| ["customer", "email_claim", "consent"].contains(k)),
        "{:?}",
        kinds(&waiting)
    );
    let code = app.next_code(before).await;
    assert_eq!(app.mailbox().await[0]["to"], "ana@example.com");

    let response = app
        .site_request(reqwest::Method::POST, "/api/sessions/verify", None)
        .body(json!({"email": "ana@example.com", "code": code}).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    assert!(ecrm_e2e::session_cookie(&response).is_some());
    let body: Value = response.json().await.unwrap();
    let id = body["id"].as_str().unwrap().to_string();
    assert_eq!(id.len(), 26, "a ULID");

    let items = app.scan_all().await;
    let partition = items_with_prefix(&items, &format!("CUSTOMER#{id}"));
    let ledger_partition = items_with_prefix(&items, &format!("LEDGER#{id}"));
    assert_eq!(
        (partition.len(), ledger_partition.len()),
        (1, 3),
        "the profile, and three consent entries in the ledger's own partition"
    );
    let timeline = items_with_prefix(&items, &format!("TIMELINE#{id}"));
    assert!(timeline.iter().any(|i| s(i, "what") == Some("signed_up")));
    let profile = partition
        .iter()
        .find(|i| s(i, "SK") == Some("PROFILE"))
        .unwrap();
    assert_eq!(s(profile, "email"), Some("ana@example.com"));
    assert_eq!(s(profile, "country"), Some("ES"));
    assert_eq!(profile["version"].as_n().unwrap(), "1");
    let claim = items
        .iter()
        .find(|i| s(i, "PK") == Some("EMAIL#ana@example.com"))
        .unwrap();
    assert_eq!(s(claim, "customer_id"), Some(id.as_str()));
    let ledger: Vec<_> = ledger_partition
        .iter()
        .filter(|i| s(i, "SK").unwrap().starts_with("CONSENT#"))
        .collect();
    assert_eq!(ledger.len(), 3);
    let policy = &ecrm_core::site_config::facts().policy_version;
    assert!(
        ledger
            .iter()
            .all(|i| s(i, "policy_version") == Some(policy.as_str()))
    );
    assert!(ledger.iter().all(|i| s(i, "source") == Some("sign_up")));
    // The code works once.
    let again = app
        .site_request(reqwest::Method::POST, "/api/sessions/verify", None)
        .body(json!({"email": "ana@example.com", "code": code}).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(again.status().as_u16(), 401);
    app.shutdown().await;
}

#[tokio::test]
async fn a_registered_email_gets_the_same_answer_and_its_owner_a_warning() {
    let app = TestApp::start().await;
    let (id, cookie) = app.sign_up("ana@example.com").await;
    let fresh = app
        .post_json("/api/customers", &sign_up_body("bea@example.com"))
        .await;
    let fresh_status = fresh.status().as_u16();
    let fresh_body: Value = fresh.json().await.unwrap();

    let before_items: Vec<Item> = app
        .scan_all()
        .await
        .into_iter()
        .filter(|i| !matches!(s(i, "kind"), Some("outbox" | "limit")) && !mail_record(i))
        .collect();
    let before_mail = app.mailbox().await.len();
    let response = app
        .post_json("/api/customers", &sign_up_body(" ANA@example.com"))
        .await;
    // The same answer as for an address nobody uses.
    assert_eq!(response.status().as_u16(), fresh_status);
    assert!(ecrm_e2e::session_cookie(&response).is_none());
    assert_eq!(response.json::<Value>().await.unwrap(), fresh_body);

    // The owner is told; nothing of theirs changed and their session still works.
    // (Other accounts' welcome mail may arrive meanwhile: find the owner's notice.)
    assert!(before_mail > 0);
    let notice = app
        .mail_from_template("ana@example.com", "sign_up_attempt")
        .await;
    let text = notice["text"].as_str().unwrap();
    assert!(text.contains("already has one"), "{text}");
    assert!(
        ecrm_e2e::code_in(text).is_none(),
        "no code that would sign anyone in"
    );
    let after_items: Vec<Item> = app
        .scan_all()
        .await
        .into_iter()
        .filter(|i| !matches!(s(i, "kind"), Some("outbox" | "limit")) && !mail_record(i))
        .collect();
    assert_eq!(after_items, before_items);
    let me = app
        .site_request(reqwest::Method::GET, "/api/me", Some(&cookie))
        .send()
        .await
        .unwrap();
    assert_eq!(me.status().as_u16(), 200);
    assert_eq!(me.json::<Value>().await.unwrap()["id"], id.as_str());
    app.shutdown().await;
}

#[tokio::test]
async fn twenty_simultaneous_sign_ups_with_one_email_make_one_customer() {
    let app = TestApp::start().await;
    let bodies: Vec<_> = (0..20)
        .map(|i| {
            sign_up_body(if i % 2 == 0 {
                "race@example.com"
            } else {
                " RACE@example.com "
            })
        })
        .collect();
    let attempts = bodies
        .iter()
        .map(|body| app.post_json("/api/customers", body));
    let statuses: Vec<u16> = futures::future::join_all(attempts)
        .await
        .iter()
        .map(|r| r.status().as_u16())
        .collect();
    assert!(statuses.iter().all(|&s| s == 202), "{statuses:?}");

    for _ in 0..100 {
        if app.mailbox().await.len() == 20 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(app.mailbox().await.len(), 20, "one code per sign-up");
    // Each sign-up replaced the one before: one unfinished sign-up, no account yet.
    let items = app.scan_all().await;
    assert_eq!(
        items
            .iter()
            .filter(|i| s(i, "kind") == Some("signin"))
            .count(),
        1,
        "one pending sign-up"
    );
    assert!(!items.iter().any(|i| s(i, "SK") == Some("PROFILE")));

    // One more sign-up replaces it again; its code (the newest mail) finishes it.
    let (id, _) = app.sign_up("race@example.com").await;
    assert_eq!(id.len(), 26);
    // Every earlier code is dead.
    // (The newest code finished it; the welcome mail may arrive in between.)
    let codes: Vec<String> = app
        .mailbox()
        .await
        .iter()
        .filter_map(|m| m["text"].as_str().and_then(ecrm_e2e::code_in))
        .skip(1)
        .collect();
    assert_eq!(codes.len(), 20);
    let verifies = codes.iter().map(|code| {
        app.site_request(reqwest::Method::POST, "/api/sessions/verify", None)
            .body(json!({"email": "race@example.com", "code": code}).to_string())
            .send()
    });
    let statuses: Vec<u16> = futures::future::join_all(verifies)
        .await
        .into_iter()
        .map(|r| r.unwrap().status().as_u16())
        .collect();
    assert!(statuses.iter().all(|&s| s == 401), "{statuses:?}");
    let items = app.scan_all().await;
    let profiles = items
        .iter()
        .filter(|i| s(i, "SK") == Some("PROFILE"))
        .count();
    assert_eq!(profiles, 1);
    let consents = items
        .iter()
        .filter(|i| s(i, "kind") == Some("consent"))
        .count();
    assert_eq!(consents, 3, "no stray consent entries from the losers");
    app.shutdown().await;
}
