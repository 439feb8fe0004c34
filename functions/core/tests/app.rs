//! Use cases against the emulator with a clock the test holds: time-dependent rules
//! (timestamps, quote expiry) are checked without sleeping, and a revoked session is
//! refused by the one session check.

use ecrm_core::app::quotes::{self, Reader};
use ecrm_core::app::{App, AppError, profile, sessions, signup};
use ecrm_core::domain::clock::Clock;
use ecrm_core::domain::customer::Language;
use ecrm_core::domain::quote::ShownStatus;
use ecrm_core::domain::session::{ServerSecret, SessionClaims};
use ecrm_core::store::catalog;
use serde_json::json;

mod common;
use time::macros::datetime;

async fn app(clock: Clock) -> App {
    let store = common::store("ecrm-app-test").await;
    let items = ecrm_core::domain::catalog::bundled().expect("bundled catalog");
    catalog::seed(&store, &items).await.expect("catalog seeded");
    App::new(store, ServerSecret::generate().expect("secret"), clock)
}

/// Sign up through the use cases, finishing with the code from the mail in the outbox
/// (where the mail worker would pick it up); the new customer's id.
async fn sign_up(app: &App, request: serde_json::Value) -> String {
    let email = request["email"].as_str().expect("email").to_string();
    let request = serde_json::from_value(request).expect("a sign-up request");
    signup::sign_up(app, request, None)
        .await
        .expect("sign-up accepted");
    let mail = ecrm_core::store::outbox::pending(&app.store, 10)
        .await
        .expect("outbox");
    let text = &mail.iter().find(|m| m.to == email).expect("a mail").text;
    let start = text.find("code is ").expect("a code") + "code is ".len();
    let code = text[start..start + 9].to_string();
    let signed_in = sessions::verify_code(app, Some(email), Some(code), false)
        .await
        .expect("the mailed code finishes sign-up");
    assert!(signed_in.new_account);
    signed_in.view.id
}

fn session(customer_id: &str, epoch: u64) -> SessionClaims {
    SessionClaims {
        cid: customer_id.into(),
        sid: "01JTESTSESSION0000000000000".into(),
        epoch,
        exp: i64::MAX,
    }
}

#[tokio::test]
async fn use_cases_take_their_time_from_the_app_clock() {
    let clock = Clock::fixed(datetime!(2026-11-29 12:00:00 UTC));
    let app = app(clock.clone()).await;
    let id = sign_up(
        &app,
        json!({
            "email": "ana@example.com",
            "display_name": "Ana",
            "language": "es",
            "country": "ES",
            "topics": [],
            "consents": {"account": true, "marketing_email": false, "personalisation": false}
        }),
    )
    .await;
    let me = session(&id, 0);
    let shown = profile::show(&app, &me).await.expect("the new profile");
    assert_eq!(shown.profile.created_at, "2026-11-29T12:00:00.000000Z");

    let request = serde_json::from_value(json!({
        "lines": [{"sku": "22423", "quantity": 1}],
        "country": "ES"
    }))
    .expect("a quote request");
    let quote = quotes::create(&app, Some(&me), None, &request, None, Language::En)
        .await
        .expect("quote issued");
    assert_eq!(quote.body.created_at, "2026-11-29T12:00:00.000000Z");
    assert_eq!(quote.body.valid_until, "2026-12-29T12:00:00.000000Z");

    // A day after it lapsed, the same quote can no longer be accepted.
    clock.advance(time::Duration::days(31));
    let reader = Reader::Member(me.clone());
    assert_eq!(
        quotes::accept(&app, &quote.id, Some(&reader), Language::En).await,
        Err(AppError::QuoteExpired)
    );
    let shown = quotes::get(&app, &quote.id, Some(&reader))
        .await
        .expect("still readable");
    assert_eq!(shown.status, ShownStatus::Expired);
}

#[tokio::test]
async fn a_revoked_session_is_refused_by_every_use_case_that_reads_the_profile() {
    let app = app(Clock::system()).await;
    let id = sign_up(
        &app,
        json!({
            "email": "bea@example.com",
            "display_name": "Bea",
            "language": "en",
            "country": "GB",
            "topics": [],
            "consents": {"account": true, "marketing_email": false, "personalisation": false}
        }),
    )
    .await;
    let old = session(&id, 0);
    assert!(profile::show(&app, &old).await.is_ok());
    sessions::revoke_everywhere(&app, &old)
        .await
        .expect("revoked");
    assert_eq!(
        profile::show(&app, &old).await.map(|_| ()),
        Err(AppError::SignedOut)
    );
    assert_eq!(
        sessions::current(&app, &old).await.map(|_| ()),
        Err(AppError::SignedOut)
    );
    // The new epoch speaks for the customer again.
    assert!(profile::show(&app, &session(&id, 1)).await.is_ok());
}
