//! The floor: the DynamoDB calls each route makes, issued directly through
//! `ecrm_core::store` (real SDK client, same dynoxide, no HTTP server, no axum).

use crate::system::{Fixtures, Who, quote_json, sign_up_json};
use ecrm_core::app::sessions::purpose;
use ecrm_core::domain::catalog::NEEDS;
use ecrm_core::domain::clock;
use ecrm_core::domain::customer::{CustomerId, SignUpRequest, validate_sign_up};
use ecrm_core::domain::events::{Event, EventKind};
use ecrm_core::domain::limits::Limits;
use ecrm_core::domain::quote::{Contact, Quote, QuoteRequest, check_request, price_request};
use ecrm_core::domain::signin::{CODE_TTL_SECONDS, display_code, generate_code};
use ecrm_core::mail::{lifecycle, site_link};
use ecrm_core::site_config;
use ecrm_core::store::events::EventItem;
use ecrm_core::store::limits::{self, Counter};
use ecrm_core::store::outbox::OutboxItem;
use ecrm_core::store::signin::{self, PendingSignUp, SignInItem};
use ecrm_core::store::{catalog, consents, customers, events, profile, quotes, recs};
use std::time::{Duration, Instant};

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Floor {
    /// No store call: the route is pure HTTP and routing.
    None,
    Catalog,
    /// `GET /api/me`: one Query of the profile-and-addresses key range.
    Me(Who),
    /// `GET /api/me/consents?limit=20`: the profile and one ledger page, at once.
    Consents(Who),
    MyQuotes,
    GetQuote,
    SignUp,
    CreateQuote,
    /// A signed-in customer's recommendations: their newest events (Query), then the
    /// profile, every topic and need list, the popularity list and the neighbours of the items
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
        Floor::Me(who) => {
            let id = &f.customer(who).ok_or("no customer")?.id;
            profile::load_profile_and_addresses(store, id)
                .await
                .map_err(e)?;
        }
        Floor::Consents(who) => {
            let id = &f.customer(who).ok_or("no customer")?.id;
            let (profile, page) = tokio::join!(
                customers::get_profile(store, id),
                consents::ledger_page(store, id, 20, None),
            );
            profile.map_err(e)?;
            page.map_err(e)?;
        }
        Floor::MyQuotes => {
            let (page, profile) = tokio::join!(
                quotes::list_for_customer(store, &f.main.id, 20, None),
                customers::get_profile(store, &f.main.id),
            );
            page.map_err(e)?;
            profile.map_err(e)?;
        }
        Floor::GetQuote => {
            quotes::get(store, &f.quote_id, Some(&f.main.id))
                .await
                .map_err(e)?;
        }
        Floor::SignUp => sign_up(f, n).await?,
        Floor::Recommendations => {
            let recent = events::recent(store, &f.main.id, 50).await.map_err(e)?;
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
            // Every need's list too, as the route reads them (one of them stands for
            // who the customer buys for, known only once the profile arrives).
            lists.extend(NEEDS.iter().map(|n| recs::need_list(n)));
            lists.push(recs::POPULAR.to_string());
            recs::read(store, Some(&f.main.id), &skus, &lists)
                .await
                .map_err(e)?;
        }
        Floor::CreateQuote => create_quote(f).await?,
    }
    Ok(())
}

/// What `POST /api/customers` does for a new email (`app::signup::sign_up`): take
/// the two limit counters (one transaction), look up the email claim, then write the
/// pending sign-up's code item and its mail in one transaction; the same items, sizes
/// and conditions, made here without HTTP.
async fn sign_up(f: &Fixtures, n: u64) -> Result<(), String> {
    let store = &f.store;
    let email = format!("floor-{}-{n}@bench.example.com", ulid::Ulid::new());
    let request: SignUpRequest =
        serde_json::from_value(sign_up_json(&email)).map_err(|e| e.to_string())?;
    let now = clock::Timestamp::at(clock::now());
    let customer = validate_sign_up(request, site_config::facts(), CustomerId::generate(), now)
        .map_err(|e| format!("{e:?}"))?;
    let secret = f.secret.clone();
    let hashed_email = secret.keyed_hash(purpose::SIGNIN_EMAIL, &email);
    let limits = Limits::default().scaled(1_000_000);
    let counters = [
        Counter {
            what: "signup-client",
            key: "127.0.0.1".into(),
            limit: limits.signups_per_client,
        },
        Counter {
            what: "code-email",
            key: hashed_email.clone(),
            limit: limits.codes_per_email,
        },
    ];
    let unix = clock::now().unix_timestamp();
    let e = |e: ecrm_core::store::StoreError| e.to_string();
    limits::take(store, &counters, unix)
        .await
        .map_err(e)?
        .map_err(|wait| format!("limited for {wait} s"))?;
    let code = generate_code()?;
    let hashed_code = secret.keyed_hash(purpose::SIGNIN_CODE, &format!("{hashed_email}:{code}"));
    if signin::customer_for_email(store, &email)
        .await
        .map_err(e)?
        .is_some()
    {
        return Err("the floor's email is taken".into());
    }
    let item = SignInItem::for_sign_up(
        &hashed_email,
        PendingSignUp::of(&customer),
        hashed_code,
        unix,
    );
    let mail = ecrm_core::mail::sign_up_code_mail(&display_code(&code), CODE_TTL_SECONDS / 60);
    let mail = OutboxItem::new(&email, None, mail, now.to_string(), unix);
    signin::start_sign_up(store, &email, item, mail)
        .await
        .map_err(e)?;
    Ok(())
}

/// What a member's `POST /api/quotes` does (`app::quotes::create`): one prefetch
/// (`BatchGetItem` of the items and the profile), then one transaction of the quote,
/// its number claim, an interest event per line (the customer grants personalisation)
/// and the "quote issued" mail; the same items and sizes, made here without HTTP.
async fn create_quote(f: &Fixtures) -> Result<(), String> {
    let store = &f.store;
    let e = |e: ecrm_core::store::StoreError| e.to_string();
    let request: QuoteRequest =
        serde_json::from_value(quote_json(&f.sku)).map_err(|e| e.to_string())?;
    let checked =
        check_request(&request, true, site_config::facts()).map_err(|e| format!("{e:?}"))?;
    let skus: Vec<String> = checked.lines.iter().map(|(s, _)| s.clone()).collect();
    let pre = quotes::prefetch(store, &skus, Some(&f.main.id), None)
        .await
        .map_err(e)?;
    let priced = price_request(&checked, &pre.items, true).map_err(|e| format!("{e:?}"))?;
    let profile = pre.profile.ok_or("no profile")?;
    let contact = Contact {
        name: profile.display_name.clone(),
        email: profile.email.clone(),
    };
    let now = clock::now();
    let at = clock::Timestamp::at(now);
    let quote = Quote::issue(
        &ulid::Ulid::new(),
        now,
        Some(f.main.id.clone()),
        contact,
        checked.country.clone(),
        priced,
    );
    let contact_key = f.secret.keyed_hash(purpose::CONTACT_EMAIL, &profile.email);
    let item = quotes::QuoteItem::new(&quote, None).with_contact_key(&contact_key);
    let events: Vec<EventItem> = skus
        .iter()
        .enumerate()
        .map(|(n, sku)| {
            let event = Event {
                kind: EventKind::QuoteRequested,
                subject: sku.clone(),
            };
            EventItem::new(&f.main.id, &event, &at.to_string(), at.unix(), n)
        })
        .collect();
    let link = site_link(profile.language, &format!("/quote/view/?id={}", quote.id));
    // A preference link of the route's length (a signed token in a URL).
    let preferences = site_link(
        profile.language,
        &format!("/preferences/?t={}", "x".repeat(120)),
    );
    let mail = lifecycle::quote_issued(profile.language, &quote, link, Some(preferences));
    let mail = OutboxItem::new(
        &profile.email,
        Some(&f.main.id),
        mail,
        at.to_string(),
        at.unix(),
    );
    quotes::create_with_events(store, &item, None, &events, &[mail])
        .await
        .map_err(|e| format!("{e:?}"))
}

/// Closed loop: `connections` tasks, each issuing the floor calls back to back. Every
/// sample (ms), the errors, and the seconds it ran.
pub async fn run_floor(
    kind: Floor,
    f: &Fixtures,
    connections: u32,
    duration: Duration,
) -> (Vec<f64>, u64, f64) {
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
                    Ok(()) => samples.push(t.elapsed().as_secs_f64() * 1000.0),
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
    (all, errors, started.elapsed().as_secs_f64())
}
