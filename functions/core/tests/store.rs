//! The store against the emulator: dynoxide in memory behind its HTTP server, reached
//! with the real SDK client, the table created from `infra/table.json` (as the runner
//! does). Each test gets its own emulator.

use aws_sdk_dynamodb::primitives::Blob;
use aws_sdk_dynamodb::types::AttributeValue;
use ecrm_core::domain::consent::{ConsentSource, ConsentState, Purpose};
use ecrm_core::domain::customer::{CustomerId, Language, NewCustomer};
use ecrm_core::domain::email::Email;
use ecrm_core::store::consents::{self, ConsentOutcome};
use ecrm_core::store::customers::{self, CreateCustomerError};
use ecrm_core::store::keys::ItemKind;
use ecrm_core::store::session::SessionGuard;
use ecrm_core::store::{Store, StoreError, catalog, erasure, export, keys, profile};

fn guard(epoch: u64) -> SessionGuard {
    SessionGuard {
        epoch,
        entry: "9:S".into(),
    }
}
mod common;

async fn store() -> Store {
    common::store("ecrm-store-test").await
}

fn customer(email: &str) -> NewCustomer {
    NewCustomer {
        id: CustomerId::generate(),
        email: Email::parse(email).expect("valid email"),
        display_name: "Ana".into(),
        language: Language::Es,
        country: "ES".into(),
        topics: vec![],
        consents: ConsentState {
            account: true,
            marketing_email: false,
            personalisation: true,
        },
        policy_version: "1.0".into(),
        created_at: ecrm_core::domain::clock::Timestamp::parse("2026-11-23T00:00:00.000000Z")
            .expect("a time"),
        buys_for: None,
    }
}

/// Put a raw item into the customer's partition, as something other than this code
/// might have.
/// An item written raw (kind `event`) under `pk`.
async fn put_raw(store: &Store, pk: &str, sk: &str, extra: (&str, AttributeValue)) {
    store
        .client()
        .put_item()
        .table_name(store.table())
        .item(keys::PK, AttributeValue::S(pk.into()))
        .item(keys::SK, AttributeValue::S(sk.into()))
        .item("kind", AttributeValue::S("event".into()))
        .item(extra.0, extra.1)
        .send()
        .await
        .expect("raw put");
}

#[tokio::test]
async fn export_fails_loudly_on_an_item_it_cannot_decode() {
    let store = store().await;
    let ana = customer("ana@example.com");
    let id = ana.id.as_str().to_string();
    customers::create(&store, &ana).await.expect("sign-up");

    let whole = export::export(&store, &id, &guard(0), &|_: &str| "k".to_string())
        .await
        .expect("export")
        .expect("live session");
    // Profile, three consent entries and the sign-up's timeline entry; the email claim.
    assert_eq!(whole.items.len(), 5);
    assert_eq!(whole.related_items.len(), 1);
    assert_eq!(whole.profile.id, id);
    assert!(
        export::export(&store, &id, &guard(1), &|_: &str| "k".to_string())
            .await
            .unwrap()
            .is_none()
    );

    put_raw(
        &store,
        &keys::events_pk(&id),
        "2026-11-23T00:00:01.000000Z#item_viewed#00",
        ("payload", AttributeValue::B(Blob::new(vec![0xde, 0xad]))),
    )
    .await;
    let result = export::export(&store, &id, &guard(0), &|_: &str| "k".to_string()).await;
    assert!(
        matches!(result, Err(StoreError::Corrupt(_))),
        "an undecodable item must fail the export, not be skipped: {result:?}"
    );
}

#[tokio::test]
async fn a_malformed_item_of_a_known_kind_is_corrupt_and_says_so_without_its_value() {
    let store = store().await;
    let ana = customer("ana@example.com");
    let id = ana.id.as_str().to_string();
    customers::create(&store, &ana).await.expect("sign-up");
    put_raw(
        &store,
        &keys::customer_pk(&id),
        &keys::address_sk("A1"),
        ("address", AttributeValue::S("secret street 1".into())),
    )
    .await;
    let Err(StoreError::Corrupt(why)) = profile::load(&store, &id).await else {
        panic!("a malformed address is Corrupt");
    };
    assert!(!why.contains("secret"), "{why}");
}

#[tokio::test]
async fn failed_conditions_in_transactions_are_told_by_position() {
    let store = store().await;
    let ana = customer("ana@example.com");
    customers::create(&store, &ana).await.expect("sign-up");
    // Same email, new id: only the claim's condition fails.
    let again = customers::create(&store, &customer("ana@example.com")).await;
    assert_eq!(again, Err(CreateCustomerError::EmailTaken));

    let id = ana.id.as_str();
    let guards = [0u64, 7].map(|epoch| SessionGuard {
        epoch,
        entry: "9:S".into(),
    });
    let change = |granted, epoch: u64, now| {
        let guard = &guards[usize::from(epoch != 0)];
        consents::change(
            &store,
            id,
            guard,
            consents::Change {
                purpose: Purpose::MarketingEmail,
                granted,
                previous: !granted,
                step: None,
                pending_at: None,
                source: ConsentSource::PreferenceCentre,
                policy_version: "1.0",
                now,
                mails: Vec::new(),
            },
        )
    };
    assert!(matches!(
        change(true, 0, "t1").await,
        Ok(ConsentOutcome::Changed(_))
    ));
    // Already granted: the profile's condition fails, and the old item it returns
    // shows the session is current.
    assert_eq!(change(true, 0, "t2").await, Ok(ConsentOutcome::Unchanged));
    assert_eq!(
        change(false, 7, "t3").await,
        Ok(ConsentOutcome::SessionRevoked)
    );
    // A change timed before the newest ledger entry is refused: the newest entry is
    // always the profile's state.
    assert_eq!(
        change(false, 0, "2026-11-23T00:00:00.000001Z").await,
        Ok(ConsentOutcome::Outdated)
    );
    assert!(matches!(
        change(false, 0, "t4").await,
        Ok(ConsentOutcome::Changed(_))
    ));
}

#[tokio::test]
async fn batches_write_and_delete_more_than_one_call_holds() {
    let store = store().await;
    let catalog_items = ecrm_core::domain::catalog::bundled().expect("bundled catalog");
    assert_eq!(
        catalog::seed(&store, &catalog_items).await,
        Ok(catalog_items.len())
    );
    assert_eq!(
        catalog::list(&store).await.expect("list").len(),
        catalog_items.len()
    );

    let ana = customer("ana@example.com");
    let id = ana.id.as_str().to_string();
    customers::create(&store, &ana).await.expect("sign-up");
    // More events than one BatchWriteItem takes (25).
    for i in 0..30 {
        put_raw(
            &store,
            &keys::events_pk(&id),
            &keys::event_sk(
                &format!("2026-11-23T00:00:{i:02}.000000Z"),
                "item_viewed",
                0,
            ),
            ("n", AttributeValue::N(i.to_string())),
        )
        .await;
    }
    assert_eq!(consents::delete_events(&store, &id).await, Ok(30));
    let record = profile::load(&store, &id).await.expect("load");
    // No event is left; what remains beside the profile is the sign-up's timeline entry.
    assert!(
        record
            .others
            .iter()
            .all(|item| ItemKind::of(item) == Some(ItemKind::TimelineEntry)),
        "{:?}",
        record.others
    );
    assert_eq!(record.consents.len(), 3);

    let profile = record.profile.clone().expect("profile");
    let farewell = ecrm_core::store::outbox::OutboxItem::new(
        &profile.email,
        None,
        ecrm_core::mail::lifecycle::erasure_done(Language::En),
        "t".into(),
        0,
    );
    erasure::erase(
        &store,
        &record,
        &guard(0),
        &keys::signin_pk("h"),
        "k",
        "t",
        &farewell,
    )
    .await
    .expect("erased");
    let after = profile::load(&store, &profile.id).await.expect("load");
    assert!(after.raw.is_empty());
    assert_eq!(customers::get_profile(&store, &profile.id).await, Ok(None));
}
