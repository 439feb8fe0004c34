//! Unit tests of `store::keys` (kept apart so each file stays under 400 lines).

use crate::store::codec::s;
use std::collections::HashMap;

use super::*;

#[test]
fn keys_have_the_designed_shape() {
    assert_eq!(Key::profile("C1"), Key::new("CUSTOMER#C1", "PROFILE"));
    assert_eq!(Key::email_claim("a@b.c"), Key::new("EMAIL#a@b.c", "EMAIL"));
    assert_eq!(
        Key::address("C1", "A1"),
        Key::new("CUSTOMER#C1", "ADDRESS#A1")
    );
    assert_eq!(consent_sk("T", "account"), "CONSENT#T#account");
    assert_eq!(Key::signin("h"), Key::new("SIGNIN#h", "SIGNIN"));
    assert_eq!(Key::catalog_item("S1"), Key::new("ITEM#S1", "ITEM"));
    assert_eq!(
        Key::catalog_version(),
        Key::new("CATALOG#VERSION", "VERSION")
    );
    assert_eq!(catalog_word_pk("heart"), "CATWORD#h");
    assert_eq!(catalog_word_sk("heart", 2), "heart#002");
    assert_eq!(catalog_rank_sk(false, "22423"), "1#22423");
    assert_eq!(Key::quote("Q1"), Key::new("QUOTE#Q1", "QUOTE"));
    assert_eq!(quote_gsi1sk("T"), "QUOTE#T");
    assert_eq!(Key::quote_number("N"), Key::new("QUOTENO#N", "QUOTENO"));
    assert_eq!(
        Key::idempotency("h"),
        Key::new("IDEMPOTENCY#h", "IDEMPOTENCY")
    );
    assert_eq!(outbox_pk("M"), "OUTBOX#M");
    assert_eq!(OUTBOX_SK, "OUTBOX");
    assert_eq!(events_pk("C1"), "EVENTS#C1");
    assert_eq!(event_sk("T", "item_viewed", 3), "T#item_viewed#03");
    assert_eq!(Key::neighbours("S1"), Key::new("ITEM#S1", "NEIGHBOURS"));
    assert_eq!(Key::recs_list("popular"), Key::new("RECS#popular", "LIST"));
    assert_eq!(ledger_pk("C1"), "LEDGER#C1");
    assert_eq!(
        Key::new(timeline_pk("C1"), timeline_sk("T", "S")),
        Key::new("TIMELINE#C1", "ENTRY#T#S")
    );
    assert_eq!(survey_sk("s1"), "SURVEY#s1");
}

#[test]
fn the_profile_range_holds_only_addresses_and_the_profile() {
    let (from, to) = ME_RANGE;
    let inside = |sk: &str| from <= sk && sk <= to;
    assert!(inside("ADDRESS#01J") && inside("PROFILE"));
    assert!(!inside("SURVEY#s1"));
    // Kinds kept in the customer's partition besides these sort outside the range
    // or live elsewhere.
    for kind in ItemKind::ALL {
        if kind.pk_prefix() == "CUSTOMER#" && !matches!(kind, ItemKind::Profile | ItemKind::Address)
        {
            assert!(!inside(kind.sk()), "{kind:?}");
        }
    }
}

#[test]
fn kinds_round_trip_through_their_names_and_sort_keys() {
    for kind in ItemKind::ALL {
        let item = HashMap::from([("kind".to_string(), s(kind.name()))]);
        assert_eq!(ItemKind::of(&item), Some(kind));
    }
    let sk = |k: &str| ItemKind::in_customer_partition(k);
    assert_eq!(sk("PROFILE"), Some(ItemKind::Profile));
    assert_eq!(sk("ADDRESS#A1"), Some(ItemKind::Address));
    assert_eq!(sk("CONSENT#T#account"), Some(ItemKind::Consent));
    assert_eq!(sk("EVENT#T"), None);
    assert_eq!(sk("PROFILEX"), None);
    assert_eq!(sk("SOMETHING#else"), None);
}

#[test]
fn service_keys_have_the_designed_shape() {
    assert_eq!(service_pk("C1"), "SERVICE#C1");
    assert_eq!(request_pk("R1"), "REQUEST#R1");
    assert_eq!(REQUEST_SK, "REQUEST");
    assert_eq!(message_sk("T", "M1"), "MESSAGE#T#M1");
    assert_eq!(request_ref_sk("R1"), "REQUEST#R1");
    assert_eq!(audit_sk("T", "A1"), "AUDIT#T#A1");
    assert_eq!(due_gsi1pk("open"), "DUE#open");
    assert_eq!(due_gsi1sk("T", "R1"), "T#R1");
    assert_eq!(orders_gsi1pk("received"), "ORDERS#received");
    assert_eq!(ORDER_SK, "ORDER");
    // The service partition is one of the customer's: export reads it, erasure
    // deletes it.
    assert!(customer_partitions("C1").contains(&"SERVICE#C1".to_string()));
}

#[test]
fn a_key_reads_back_from_its_item() {
    let key = Key::quote("Q1");
    let mut item = key.item();
    item.insert("kind".into(), s("quote"));
    assert_eq!(Key::of(&item), Some(key));
    assert_eq!(Key::of(&HashMap::new()), None);
}
