//! The customer's timeline (`TIMELINE#<id>` / `ENTRY#<time>#<seq>`): one item per thing
//! the shop holds or did for the customer, in a partition of its own, read newest first
//! one page at a time (`GET /api/me/timeline`), never with the profile.
//!
//! **Adding an entry.** An entry is written in the same `TransactWriteItems` as the
//! change it records, so the timeline never says something happened that did not (or
//! misses something that did):
//!
//! ```text
//! let entry = TimelineEntry::new(customer_id, now, what::SERVICE_REQUEST)
//!     .with("request_id", &request.id)
//!     .with("subject", &request.subject);
//! writes.push(timeline::write(store, &entry)?);
//! ```
//!
//! `what` is one of the names in [`what`] (add yours there, with a label in the
//! account page's `timeline.js`); `detail` holds short strings the page shows (ids,
//! subjects, states), never bodies. A change made with a single `UpdateItem`/`PutItem`
//! becomes a two-item transaction; a read that is itself worth recording (an export)
//! uses [`record`]. Entries are erased and exported with the customer (the partition
//! is in `keys::customer_partitions`).

use super::cursor;
use super::keys::{self, ItemKind};
use super::session::SessionGuard;
use super::transact;
use super::update::Expr;
use super::{Item, Store, StoreError};
use aws_sdk_dynamodb::types::TransactWriteItem;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The names of what an entry records.
pub mod what {
    pub const SIGNED_UP: &str = "signed_up";
    pub const SIGNED_IN: &str = "signed_in";
    pub const CONSENT_CHANGED: &str = "consent_changed";
    pub const PROFILE_CHANGED: &str = "profile_changed";
    pub const ADDRESS_ADDED: &str = "address_added";
    pub const ADDRESS_CHANGED: &str = "address_changed";
    pub const ADDRESS_REMOVED: &str = "address_removed";
    pub const QUOTE_REQUESTED: &str = "quote_requested";
    pub const QUOTE_ACCEPTED: &str = "quote_accepted";
    pub const EMAIL_SENT: &str = "email_sent";
    pub const EXPORTED: &str = "data_exported";
    pub const SURVEY_ANSWERED: &str = "survey_answered";
    pub const SURVEY_SKIPPED: &str = "survey_skipped";
    pub const SUGGESTION_DECLINED: &str = "suggestion_declined";
    pub const SERVICE_REQUEST_OPENED: &str = "service_request_opened";
    pub const STAFF_ACCESS: &str = "staff_access";
    /// Service requests and staff accesses (issue #17) add theirs here.
    pub const ALL: [&str; 16] = [
        SIGNED_UP,
        SIGNED_IN,
        CONSENT_CHANGED,
        PROFILE_CHANGED,
        ADDRESS_ADDED,
        ADDRESS_CHANGED,
        ADDRESS_REMOVED,
        QUOTE_REQUESTED,
        QUOTE_ACCEPTED,
        EMAIL_SENT,
        EXPORTED,
        SURVEY_ANSWERED,
        SURVEY_SKIPPED,
        SUGGESTION_DECLINED,
        SERVICE_REQUEST_OPENED,
        STAFF_ACCESS,
    ];
}

/// Sign-in entries are kept this long (the timeline shows the recent ones; a
/// customer's whole sign-in history is not worth keeping).
pub const SIGN_IN_TTL_SECONDS: i64 = 90 * 24 * 60 * 60;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimelineEntry {
    #[serde(rename = "PK")]
    pub pk: String,
    #[serde(rename = "SK")]
    pub sk: String,
    pub kind: String,
    pub what: String,
    pub at: String,
    #[serde(default)]
    pub detail: BTreeMap<String, String>,
    /// DynamoDB TTL, for entries kept for a while only (sign-ins).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ttl: Option<i64>,
}

impl TimelineEntry {
    /// An entry for `customer_id` at `at` (RFC 3339 from the one clock).
    pub fn new(customer_id: &str, at: &str, what: &str) -> Self {
        Self {
            pk: keys::timeline_pk(customer_id),
            sk: keys::timeline_sk(at, &ulid::Ulid::new().to_string()),
            kind: ItemKind::TimelineEntry.name().into(),
            what: what.into(),
            at: at.into(),
            detail: BTreeMap::new(),
            ttl: None,
        }
    }

    /// A detail the page shows (an id, a subject, a state).
    pub fn with(mut self, name: &str, value: &str) -> Self {
        self.detail.insert(name.into(), value.into());
        self
    }

    pub fn expiring_at(mut self, unix: i64) -> Self {
        self.ttl = Some(unix);
        self
    }
}

/// The `Put` of an entry, for the transaction of the change it records.
pub(crate) fn write(store: &Store, entry: &TimelineEntry) -> Result<TransactWriteItem, StoreError> {
    transact::put_new(store, entry)
}

/// Write one entry on its own, for what is not itself a write (an export), on
/// condition that the customer's session holds (so nothing is written for an erased
/// customer): one transaction. False when the session did not hold.
pub async fn record(
    store: &Store,
    session: &SessionGuard,
    entry: &TimelineEntry,
) -> Result<bool, StoreError> {
    let customer_id = entry
        .pk
        .strip_prefix(ItemKind::TimelineEntry.pk_prefix())
        .unwrap_or_default();
    let mut holds = Expr::new();
    let condition = session.condition(&mut holds);
    holds.condition(condition);
    let writes = vec![
        transact::check(store, &keys::Key::profile(customer_id), &holds)?,
        write(store, entry)?,
    ];
    match transact::transact_with_retry(store, writes).await {
        Ok(()) => Ok(true),
        Err(transact::TransactError::ConditionFailed(_)) => Ok(false),
        Err(transact::TransactError::Store(e)) => Err(e),
    }
}

/// The entry an item put by a transaction makes on its customer's timeline, if any:
/// mail about a customer (`outbox::timeline_entry_of`), a customer's new service
/// request (its reference in their service partition) and a staff read or action on
/// their data (an audit entry: the action and what it concerned, not who).
fn entry_for_put(item: &Item) -> Option<TimelineEntry> {
    let text = |name: &str| super::codec::text(item, name);
    let kind = ItemKind::of(item)?;
    let service_customer = || text(keys::PK)?.strip_prefix(ItemKind::RequestRef.pk_prefix());
    match kind {
        ItemKind::Outbox => super::outbox::timeline_entry_of(item),
        ItemKind::RequestRef => Some(
            TimelineEntry::new(
                service_customer()?,
                text("created_at")?,
                what::SERVICE_REQUEST_OPENED,
            )
            .with("request_id", text("request_id")?),
        ),
        ItemKind::AuditEntry => {
            let mut entry =
                TimelineEntry::new(service_customer()?, text("at")?, what::STAFF_ACCESS)
                    .with("action", text("action")?);
            for name in ["request_id", "quote_id", "detail"] {
                if let Some(value) = text(name) {
                    entry = entry.with(name, value);
                }
            }
            Some(entry)
        }
        _ => None,
    }
}

/// The hook that keeps the timeline complete: every item of a kind the timeline
/// records (see [`entry_for_put`]) that a transaction puts gets its entry in that same
/// transaction, whoever wrote it. Appended after the caller's writes, so the positions
/// cancellation reasons are read by do not move. Called by `transact_with_retry`.
pub(crate) fn with_timeline_entries(
    store: &Store,
    mut writes: Vec<TransactWriteItem>,
) -> Result<Vec<TransactWriteItem>, StoreError> {
    let entries: Vec<TimelineEntry> = writes
        .iter()
        .filter_map(|w| w.put())
        .filter_map(|put| entry_for_put(put.item()))
        .collect();
    for entry in &entries {
        writes.push(write(store, entry)?);
    }
    Ok(writes)
}

/// One page of the timeline, newest first, and the cursor of the next page. One
/// `Query`.
pub async fn page(
    store: &Store,
    customer_id: &str,
    limit: i32,
    cursor: Option<&str>,
) -> Result<(Vec<TimelineEntry>, Option<String>), StoreError> {
    let page = cursor::query_page(
        store,
        &keys::timeline_pk(customer_id),
        None,
        cursor::Order::NewestFirst,
        limit,
        cursor.and_then(|c| start_of(c, customer_id)),
        false,
    )
    .await?;
    Ok((page.items, page.next_cursor))
}

/// The start key of a cursor into this customer's timeline, if it is one.
pub fn start_of(cursor: &str, customer_id: &str) -> Option<Item> {
    cursor::in_partition(
        cursor,
        &keys::timeline_pk(customer_id),
        ItemKind::TimelineEntry.sk(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::codec::{decode_owned, s};

    /// Where each kind of item shows on the timeline. Exhaustive on purpose: a new kind
    /// does not compile until someone says whether (and how) the customer sees it.
    fn shown_as(kind: ItemKind) -> Option<&'static [&'static str]> {
        match kind {
            ItemKind::Profile => Some(&[what::SIGNED_UP, what::PROFILE_CHANGED]),
            ItemKind::Address => Some(&[
                what::ADDRESS_ADDED,
                what::ADDRESS_CHANGED,
                what::ADDRESS_REMOVED,
            ]),
            ItemKind::Consent => Some(&[what::CONSENT_CHANGED]),
            ItemKind::Outbox => Some(&[what::EMAIL_SENT]),
            ItemKind::Quote => Some(&[what::QUOTE_REQUESTED, what::QUOTE_ACCEPTED]),
            ItemKind::SurveyResponse => Some(&[what::SURVEY_ANSWERED, what::SURVEY_SKIPPED]),
            ItemKind::ServiceRequest | ItemKind::RequestRef => {
                Some(&[what::SERVICE_REQUEST_OPENED])
            }
            ItemKind::AuditEntry | ItemKind::OrderIndex => Some(&[what::STAFF_ACCESS]),
            // A sign-in code is what a sign-in uses up: the sign-in is the entry.
            ItemKind::SignIn => Some(&[what::SIGNED_IN]),
            // Messages of a request: the request's own entry and its mail stand for them.
            ItemKind::RequestMessage => Some(&[what::SERVICE_REQUEST_OPENED, what::EMAIL_SENT]),
            // Not the customer's record, or the timeline itself: the email claim (the
            // profile's email), behaviour events (listed in the export, kept 180 days),
            // quote number claims, idempotency records, abuse counters, the catalog and
            // the shop's recommendation lists; the SKUs of accepted quotes (the quotes'
            // own entries stand for them).
            ItemKind::EmailClaim
            | ItemKind::Event
            | ItemKind::OwnedItems
            | ItemKind::CatalogWord
            | ItemKind::CatalogVersion
            | ItemKind::QuoteNumber
            | ItemKind::Idempotency
            | ItemKind::Limit
            | ItemKind::TimelineEntry
            | ItemKind::CatalogItem
            | ItemKind::Neighbours
            | ItemKind::RecsList => None,
        }
    }

    #[test]
    fn every_kind_a_customer_creates_has_its_timeline_entry() {
        for kind in ItemKind::ALL {
            for name in shown_as(kind).unwrap_or_default() {
                assert!(what::ALL.contains(name), "{kind:?}: {name}");
            }
        }
        // Every name is used by some kind, or by an action with no item of its own.
        for name in what::ALL {
            let used = ItemKind::ALL
                .iter()
                .any(|k| shown_as(*k).unwrap_or_default().contains(&name));
            let actions = [what::EXPORTED, what::SUGGESTION_DECLINED];
            assert!(used || actions.contains(&name), "{name} is never written");
        }
    }

    #[test]
    fn service_requests_and_staff_accesses_make_entries_without_the_staff_address() {
        let reference = Item::from([
            ("PK".to_string(), s("SERVICE#C1")),
            ("SK".to_string(), s("REQUEST#R1")),
            ("kind".to_string(), s("request_ref")),
            ("request_id".to_string(), s("R1")),
            ("created_at".to_string(), s("2026-11-29T10:00:00.000000Z")),
        ]);
        let opened = entry_for_put(&reference).unwrap();
        assert_eq!(
            (opened.pk.as_str(), opened.what.as_str()),
            ("TIMELINE#C1", what::SERVICE_REQUEST_OPENED)
        );
        assert_eq!(opened.detail["request_id"], "R1");
        let audit = Item::from([
            ("PK".to_string(), s("SERVICE#C1")),
            ("SK".to_string(), s("AUDIT#T#A1")),
            ("kind".to_string(), s("audit_entry")),
            ("at".to_string(), s("2026-11-29T11:00:00.000000Z")),
            ("staff".to_string(), s("maria@shop.example")),
            ("action".to_string(), s("read_request")),
            ("request_id".to_string(), s("R1")),
        ]);
        let access = entry_for_put(&audit).unwrap();
        assert_eq!(access.what, what::STAFF_ACCESS);
        assert_eq!(access.detail["action"], "read_request");
        assert!(!format!("{access:?}").contains("maria"));
        let other = Item::from([("kind".to_string(), s("quote"))]);
        assert_eq!(entry_for_put(&other), None);
    }

    #[test]
    fn entries_at_one_instant_keep_distinct_keys_in_time_order() {
        let a = TimelineEntry::new("C1", "2026-11-29T10:00:00.000000Z", what::SIGNED_UP);
        let b = TimelineEntry::new("C1", "2026-11-29T10:00:00.000000Z", what::EMAIL_SENT)
            .with("subject", "Welcome");
        let later = TimelineEntry::new("C1", "2026-11-29T10:00:01.000000Z", what::SIGNED_IN);
        assert_eq!(a.pk, "TIMELINE#C1");
        assert_ne!(a.sk, b.sk);
        assert!(a.sk < later.sk && b.sk < later.sk);
        assert_eq!(b.detail["subject"], "Welcome");
        let item = super::super::codec::encode(&b).unwrap();
        assert_eq!(decode_owned::<TimelineEntry>(item).unwrap(), b);
    }
}
