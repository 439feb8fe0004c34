//! The store stopped in the middle of a run of multi-item writes, then restarted: every
//! request meanwhile is a 503 problem+json with `Retry-After`, the system recovers by
//! itself, and a scan of the whole table shows every multi-item change all or nothing.
//!
//! Workers loop over the multi-item writes a customer makes: sign-up (profile, email
//! claim, one consent entry per purpose: one transaction), add an address (address and
//! profile count: one transaction) and a member's quote with an `Idempotency-Key`
//! (quote, number claim, idempotency record: one transaction). The single-scenario
//! cases (store down before a request, 20 duplicate sign-ups, 50 PATCHes with one ETag,
//! 20 idempotent retries) are in signup_flow_api, signup_input_api,
//! preferences_profile_api and quotes_idempotency_api. The workers are in
//! faults_workload.

use super::faults_workload::{Seen, Site, wait_for_mail, worker};
use ecrm_e2e::{Item, TestApp, code_in, s, sign_up_body};
use reqwest::Method;
use serde_json::{Value, json};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

async fn wait_until(deadline: Duration, condition: impl Fn() -> bool) {
    let start = Instant::now();
    while !condition() && start.elapsed() < deadline {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// Every multi-item change in the table is whole: (problems, customers, quotes).
fn all_or_nothing(items: &[Item]) -> (Vec<String>, HashSet<String>, HashSet<String>) {
    let mut problems = Vec::new();
    let by_kind = |kind: &str| -> Vec<&Item> {
        items
            .iter()
            .filter(|i| s(i, "kind") == Some(kind))
            .collect()
    };
    let mut partition: HashMap<&str, Vec<&Item>> = HashMap::new();
    for item in items {
        if let Some(pk) = s(item, "PK") {
            partition.entry(pk).or_default().push(item);
        }
    }
    let profiles = by_kind("customer");
    let customers: HashSet<String> = profiles
        .iter()
        .filter_map(|p| s(p, "id").map(str::to_string))
        .collect();
    let claims: HashMap<String, String> = by_kind("email_claim")
        .iter()
        .filter_map(|c| Some((s(c, "customer_id")?.to_string(), s(c, "PK")?.to_string())))
        .collect();
    for profile in &profiles {
        let id = s(profile, "id").unwrap_or_default();
        let pk = format!("CUSTOMER#{id}");
        let own = partition.get(pk.as_str()).cloned().unwrap_or_default();
        // The consent ledger has a partition of its own.
        let ledger_pk = format!("LEDGER#{id}");
        let ledger = partition
            .get(ledger_pk.as_str())
            .cloned()
            .unwrap_or_default();
        let consents = ledger
            .iter()
            .filter(|i| s(i, "kind") == Some("consent"))
            .count();
        let addresses = own
            .iter()
            .filter(|i| s(i, "kind") == Some("address"))
            .count();
        let counted: usize = profile
            .get("address_count")
            .and_then(|v| v.as_n().ok())
            .and_then(|n| n.parse().ok())
            .unwrap_or(0);
        if !claims.contains_key(id) {
            problems.push(format!("profile {id} without its email claim"));
        }
        if consents != 3 {
            problems.push(format!("profile {id} with {consents} consent entries"));
        }
        if addresses != counted {
            problems.push(format!(
                "profile {id}: {addresses} addresses, count says {counted}"
            ));
        }
    }
    for (customer, pk) in &claims {
        if !customers.contains(customer) {
            problems.push(format!("email claim {pk} without its profile"));
        }
    }
    for (pk, own) in &partition {
        if pk.starts_with("CUSTOMER#") && !own.iter().any(|i| s(i, "kind") == Some("customer")) {
            problems.push(format!("{pk}: items without a profile"));
        }
        // The ledger and the timeline are written with what they record.
        let owner = pk
            .strip_prefix("LEDGER#")
            .or_else(|| pk.strip_prefix("TIMELINE#"));
        if owner.is_some_and(|id| !customers.contains(id)) {
            problems.push(format!("{pk}: a ledger or timeline without its customer"));
        }
    }
    // Quotes: quote, number claim and idempotency record together.
    let quote_ids: HashSet<String> = by_kind("quote")
        .iter()
        .filter_map(|q| {
            s(q, "PK")
                .and_then(|pk| pk.strip_prefix("QUOTE#"))
                .map(str::to_string)
        })
        .collect();
    let numbered: HashSet<String> = by_kind("quote_number")
        .iter()
        .filter_map(|c| s(c, "quote_id").map(str::to_string))
        .collect();
    let keyed: HashSet<String> = by_kind("idempotency")
        .iter()
        .filter_map(|c| s(c, "quote_id").map(str::to_string))
        .collect();
    for id in &quote_ids {
        if !numbered.contains(id) {
            problems.push(format!("quote {id} without its number claim"));
        }
        if !keyed.contains(id) {
            problems.push(format!("quote {id} without its idempotency record"));
        }
    }
    for id in numbered.iter().chain(keyed.iter()) {
        if !quote_ids.contains(id) {
            problems.push(format!(
                "claim or idempotency record for missing quote {id}"
            ));
        }
    }
    (problems, customers, quote_ids)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn store_stopped_mid_run_leaves_every_change_whole() {
    // The mail worker runs (and polls the stopped store quietly): sign-ups are finished with the code it delivers.
    let mut app = TestApp::start().await;
    let site = Site {
        http: app.http.clone(),
        origin: app.origin(),
    };
    let catalog: Value = app
        .http
        .get(app.url("/api/catalog"))
        .send()
        .await
        .expect("catalog")
        .json()
        .await
        .expect("json");
    let sku = catalog["items"][0]["sku"]
        .as_str()
        .expect("sku")
        .to_string();

    let stop = Arc::new(AtomicBool::new(false));
    let seen = Arc::new(Seen::default());
    let workers: Vec<_> = (0..6)
        .map(|n| {
            tokio::spawn(worker(
                site.clone(),
                n,
                stop.clone(),
                seen.clone(),
                sku.clone(),
            ))
        })
        .collect();

    // Up, then down in the middle of the run, then up again.
    wait_until(Duration::from_secs(30), || {
        seen.created.load(Ordering::SeqCst) >= 30
    })
    .await;
    let before = seen.created.load(Ordering::SeqCst);
    app.running.stop_store().await;
    wait_until(Duration::from_secs(20), || {
        seen.unavailable.load(Ordering::SeqCst) >= 12
    })
    .await;
    let during = seen.unavailable.load(Ordering::SeqCst);
    app.running.restart_store().await.expect("store restarts");
    let at_restart = seen.created.load(Ordering::SeqCst);
    wait_until(Duration::from_secs(30), || {
        seen.created.load(Ordering::SeqCst) >= at_restart + 30
    })
    .await;
    stop.store(true, Ordering::SeqCst);
    for worker in workers {
        worker.await.expect("worker");
    }
    let after = seen.created.load(Ordering::SeqCst);

    eprintln!(
        "faults: {before} changes before the stop, {during} answered 503 while down, {} after the restart",
        after - at_restart
    );
    let wrong = seen.wrong.lock().await.clone();
    assert!(wrong.is_empty(), "answers other than 2xx or 503: {wrong:?}");
    assert!(before >= 30, "{before} changes before the stop");
    assert!(during >= 12, "{during} 503s while the store was down");
    assert!(
        after >= at_restart + 30,
        "recovered: {at_restart} -> {after}"
    );

    // All or nothing, and every 201 is there in full.
    let items = app.scan_all().await;
    let (problems, customers, quotes) = all_or_nothing(&items);
    assert!(problems.is_empty(), "partial writes: {problems:#?}");
    let signed_up = seen.signed_up.lock().await.clone();
    assert!(
        customers.len() >= signed_up.len(),
        "{} profiles for {} sign-ups answered 201",
        customers.len(),
        signed_up.len()
    );
    for id in seen.quotes.lock().await.iter() {
        assert!(
            quotes.contains(id),
            "quote {id} answered 201 but is not stored"
        );
    }

    // Each refused sign-up, sent again now, is either taken whole (a new code that
    // finishes it) or was in fact written whole before the store went away (its
    // owner is told someone tried to sign up): never half.
    let refused = seen.refused.lock().await.clone();
    assert!(!refused.is_empty());
    let site = Site {
        http: app.http.clone(),
        origin: app.origin(),
    };
    for email in &refused {
        let before = app.mailbox().await.len();
        let response = app
            .site_request(Method::POST, "/api/customers", None)
            .body(sign_up_body(email).to_string())
            .send()
            .await
            .expect("retry");
        assert_eq!(response.status().as_u16(), 202, "{email} retried");
        wait_for_mail(&app, before).await;
        // The newest mail to this address (welcome mail to others may arrive between).
        let mut newest = app.mailbox().await;
        for _ in 0..100 {
            if newest[..newest.len() - before]
                .iter()
                .any(|m| m["to"] == email.as_str())
            {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            newest = app.mailbox().await;
        }
        newest.retain(|m| m["to"] == email.as_str());
        let text = newest[0]["text"].as_str().unwrap_or_default().to_string();
        match code_in(&text).filter(|_| text.contains("sign-up code")) {
            Some(code) => {
                let response = site
                    .site_request(Method::POST, "/api/sessions/verify", None)
                    .body(json!({ "email": email, "code": code }).to_string())
                    .send()
                    .await
                    .expect("verify");
                assert_eq!(response.status().as_u16(), 200, "{email} finished");
            }
            None => assert!(text.contains("already has one"), "{email}: {text}"),
        }
    }
    let (problems, customers, _) = all_or_nothing(&app.scan_all().await);
    assert!(problems.is_empty(), "after the retries: {problems:#?}");
    assert_eq!(customers.len(), signed_up.len() + refused.len());

    app.shutdown().await;
}
