//! The keys of a customer's own items: profile, email claim, addresses, the consent
//! ledger, the timeline, survey answers, behaviour events, sign-in codes and mail.

use super::*;

pub fn customer_pk(customer_id: &str) -> String {
    format!("{}{customer_id}", ItemKind::Profile.pk_prefix())
}

pub const PROFILE_SK: &str = ItemKind::Profile.sk();

/// The consent ledger's partition (its own: it only grows, and `GET /api/me` must cost
/// the same after a thousand changes as after one).
pub fn ledger_pk(customer_id: &str) -> String {
    format!("{}{customer_id}", ItemKind::Consent.pk_prefix())
}

/// The timeline's partition.
pub fn timeline_pk(customer_id: &str) -> String {
    format!("{}{customer_id}", ItemKind::TimelineEntry.pk_prefix())
}

/// A timeline entry's sort key: time, then a unique suffix (entries written at the same
/// instant, like a sign-up and its welcome mail, both stay).
pub fn timeline_sk(at: &str, seq: &str) -> String {
    format!("{}{at}#{seq}", ItemKind::TimelineEntry.sk())
}

pub fn survey_sk(survey_id: &str) -> String {
    format!("{}{survey_id}", ItemKind::SurveyResponse.sk())
}

/// Every partition that belongs to one customer (the profile's and those kept apart so
/// profile reads stay small): export reads them all, erasure deletes them all. A new
/// per-customer partition must be listed here.
pub fn customer_partitions(customer_id: &str) -> [String; 5] {
    [
        customer_pk(customer_id),
        ledger_pk(customer_id),
        timeline_pk(customer_id),
        events_pk(customer_id),
        service_pk(customer_id),
    ]
}

/// The sort-key range `GET /api/me` reads: the addresses and the profile, nothing else
/// (`ADDRESS#…` < `CONSENT#…` < `EVENT#…` < `PROFILE` < `SURVEY#…`; the ledger and the
/// events live in partitions of their own).
pub const ME_RANGE: (&str, &str) = (ItemKind::Address.sk(), ItemKind::Profile.sk());

pub fn email_pk(normalised_email: &str) -> String {
    format!("{}{normalised_email}", ItemKind::EmailClaim.pk_prefix())
}

pub const EMAIL_SK: &str = ItemKind::EmailClaim.sk();

pub fn consent_sk(at: &str, purpose: &str) -> String {
    format!("{CONSENT_PREFIX}{at}#{purpose}")
}

/// Sign-in codes are keyed by a keyed hash of the email, never the email itself.
pub fn signin_pk(email_hash: &str) -> String {
    format!("{}{email_hash}", ItemKind::SignIn.pk_prefix())
}

pub const SIGNIN_SK: &str = ItemKind::SignIn.sk();

pub fn outbox_pk(mail_id: &str) -> String {
    format!("{}{mail_id}", ItemKind::Outbox.pk_prefix())
}

pub const OUTBOX_SK: &str = ItemKind::Outbox.sk();
/// Pending mail is listed on GSI1 under this partition, oldest first.
pub const OUTBOX_GSI1PK: &str = "OUTBOX";

pub fn address_sk(address_id: &str) -> String {
    format!("{ADDRESS_PREFIX}{address_id}")
}

pub const ADDRESS_PREFIX: &str = ItemKind::Address.sk();
pub const CONSENT_PREFIX: &str = ItemKind::Consent.sk();

/// Behaviour events expire this long after they happen (the privacy policy says so).
pub const EVENT_TTL_SECONDS: i64 = 180 * 24 * 60 * 60;

/// The partition of a customer's behaviour events.
pub fn events_pk(customer_id: &str) -> String {
    format!("{}{customer_id}", ItemKind::Event.pk_prefix())
}

/// An event's sort key: time first (fixed-width RFC 3339, so newest sorts last), then
/// what happened and its place in its batch (events of one request share the time).
pub fn event_sk(at: &str, kind: &str, n: usize) -> String {
    format!("{at}#{kind}#{n:02}")
}
