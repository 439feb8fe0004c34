//! The floor: the DynamoDB calls each route makes, issued directly through
//! `ecrm_core::store` (real SDK client, same dynoxide, no HTTP server, no axum).

use crate::latency::Latency;
use crate::system::{Fixtures, quote_json, sign_up_json};
use ecrm_core::domain::clock;
use ecrm_core::domain::customer::{CustomerId, SignUpRequest, validate_sign_up};
use ecrm_core::domain::quote::{Contact, Quote, QuoteRequest, check_request, price_request};
use ecrm_core::site_config;
use ecrm_core::store::{catalog, customers, events, profile, quotes, recs};
use std::time::{Duration, Instant};

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Floor {
    /// No store call: the route is pure HTTP and routing.
    None,
    Catalog,
    Me,
    MyQuotes,
    GetQuote,
    SignUp,
    CreateQuote,
    /// A signed-in customer's recommendations: their newest events (Query), then the
    /// profile, every topic list, the popularity list and the neighbours of the items
    /// in those events (one BatchGetItem).
    Recommendations,
}

/// The store calls a route makes, issued directly.
pub async fn floor_once(kind: Floor, f: &Fixtures, n: u64) -> Result<(), String> {
    let store = &f.store;
    let e = |e: ecrm_core::store::StoreError| e.to_string();
    match kind {
        Floor::None => {}
        Floor::Catalog => {
            // The route's one Query: a first page of the default size (50) and one more.
            catalog::list_page(store, false, None, 51)
                .await
                .map_err(e)?;
        }
        Floor::Me => {
            profile::load(store, &f.customer_id).await.map_err(e)?;
        }
        Floor::MyQuotes => {
            let (page, profile) = tokio::join!(
                quotes::list_for_customer(store, &f.customer_id, 20, None),
                customers::get_profile(store, &f.customer_id),
            );
            page.map_err(e)?;
            profile.map_err(e)?;
        }
        Floor::GetQuote => {
            quotes::get(store, &f.quote_id, Some(&f.customer_id))
                .await
                .map_err(e)?;
        }
        Floor::SignUp => {
            let request: SignUpRequest = serde_json::from_value(sign_up_json(&format!(
                "floor-{}-{n}@bench.example.com",
                ulid::Ulid::new()
            )))
            .map_err(|e| e.to_string())?;
            let customer = validate_sign_up(
                request,
                site_config::facts(),
                CustomerId::generate(),
                clock::Timestamp::at(clock::now()),
            )
            .map_err(|e| format!("{e:?}"))?;
            customers::create(store, &customer)
                .await
                .map_err(|e| format!("{e:?}"))?;
        }
        Floor::Recommendations => {
            let recent = events::recent(store, &f.customer_id, 50).await.map_err(e)?;
            let mut skus: Vec<String> = Vec::new();
            for event in recent.events {
                if !skus.contains(&event.subject) {
                    skus.push(event.subject);
                }
            }
            skus.truncate(20);
            let mut lists: Vec<String> = site_config::facts()
                .topics
                .iter()
                .map(|t| recs::topic_list(&t.id))
                .collect();
            lists.push(recs::POPULAR.to_string());
            recs::read(store, Some(&f.customer_id), &skus, &lists)
                .await
                .map_err(e)?;
        }
        Floor::CreateQuote => {
            let request: QuoteRequest =
                serde_json::from_value(quote_json(&f.sku)).map_err(|e| e.to_string())?;
            let checked = check_request(&request, true, site_config::facts())
                .map_err(|e| format!("{e:?}"))?;
            let skus: Vec<String> = checked.lines.iter().map(|(s, _)| s.clone()).collect();
            let pre = quotes::prefetch(store, &skus, Some(&f.customer_id), None)
                .await
                .map_err(e)?;
            let priced = price_request(&checked, &pre.items, true).map_err(|e| format!("{e:?}"))?;
            let profile = pre.profile.ok_or("no profile")?;
            let contact = Contact {
                name: profile.display_name,
                email: profile.email,
            };
            let id = ulid::Ulid::new();
            let quote = Quote::issue(
                &id,
                clock::now(),
                Some(f.customer_id.clone()),
                contact,
                checked.country.clone(),
                priced,
            );
            quotes::create(store, &quotes::QuoteItem::new(&quote, None), None)
                .await
                .map_err(|e| format!("{e:?}"))?;
        }
    }
    Ok(())
}

/// Closed loop: `connections` tasks, each issuing the floor calls back to back.
pub async fn run_floor(kind: Floor, f: &Fixtures, connections: u32, duration: Duration) -> Latency {
    let started = Instant::now();
    let mut tasks = Vec::new();
    for c in 0..connections {
        let f = f.clone();
        tasks.push(tokio::spawn(async move {
            let mut samples = Vec::new();
            let mut errors = 0u64;
            let mut n = u64::from(c) << 40;
            while started.elapsed() < duration {
                n += 1;
                let t = Instant::now();
                match floor_once(kind, &f, n).await {
                    Ok(()) => samples.push(t.elapsed()),
                    Err(_) => errors += 1,
                }
            }
            (samples, errors)
        }));
    }
    let mut all = Vec::new();
    let mut errors = 0;
    for task in tasks {
        if let Ok((samples, e)) = task.await {
            all.extend(samples);
            errors += e;
        }
    }
    let elapsed = started.elapsed().as_secs_f64();
    all.sort();
    let pct = |p: f64| {
        all.get(((all.len() as f64 * p).ceil() as usize).saturating_sub(1))
            .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
    };
    Latency {
        requests: all.len() as u64,
        rps: all.len() as f64 / elapsed,
        p50_ms: pct(0.50),
        p99_ms: pct(0.99),
        errors,
    }
}
