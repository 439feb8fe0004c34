//! Unit tests of `store::customers` (kept apart so each file stays under 400 lines).

use super::*;
use crate::domain::customer::CustomerId;
use crate::domain::email::Email;
use crate::domain::segment::BuysFor;

fn customer(marketing_email: bool, buys_for: Option<BuysFor>) -> NewCustomer {
    NewCustomer {
        id: CustomerId::generate(),
        email: Email::parse("ana@example.com").unwrap(),
        display_name: "Ana".into(),
        language: Language::Es,
        country: "ES".into(),
        topics: vec![],
        consents: ConsentState {
            account: true,
            marketing_email,
            personalisation: true,
        },
        policy_version: "1.0".into(),
        created_at: crate::domain::clock::Timestamp::parse("2026-11-23T00:00:00.000000Z").unwrap(),
        buys_for,
    }
}

#[test]
fn sign_up_items_are_the_profile_the_claim_and_the_ledger() {
    let customer = customer(false, Some(BuysFor::Gifts));
    let (profile, claim, consents) = items_for(&customer);
    assert_eq!(profile.pk, format!("CUSTOMER#{}", customer.id.as_str()));
    assert_eq!(claim.pk, "EMAIL#ana@example.com");
    assert_eq!(consents.len(), 3);
    assert!(
        consents
            .iter()
            .all(|c| c.pk == format!("LEDGER#{}", customer.id.as_str())
                && c.sk.starts_with("CONSENT#2026-11-23T"))
    );
    assert_eq!(consents.iter().filter(|c| c.granted).count(), 2);
    let segment = profile.buys_for.unwrap();
    assert_eq!(
        (segment.value, segment.source),
        (BuysFor::Gifts, SegmentSource::Stated)
    );
}

#[test]
fn marketing_asked_for_at_sign_up_is_pending_not_granted() {
    let (profile, _, consents) = items_for(&customer(true, None));
    assert!(!profile.consents.marketing_email);
    assert_eq!(
        profile.marketing_pending_at.as_deref(),
        Some("2026-11-23T00:00:00.000000Z")
    );
    let marketing = &consents[1]; // Purpose::ALL's order: account, marketing, ...
    assert_eq!(
        (marketing.granted, marketing.step),
        (false, Some(ConsentStep::Pending))
    );
}
