//! Consent changes: the profile's current state and an append-only ledger entry, in one
//! transaction. Withdrawing personalisation also deletes stored behaviour events.

use super::batch;
use super::codec::{Item, corrupt, n, s};
use super::customers::ConsentEventItem;
use super::keys::{self, ItemKind, Key};
use super::outbox::OutboxItem;
use super::session::SessionGuard;
use super::timeline::{self, TimelineEntry, what};
use super::transact::{self, TransactError, transact_with_retry};
use super::update::Expr;
use super::{Store, StoreError};
use crate::domain::consent::{ConsentSource, ConsentStep, Purpose};
use aws_sdk_dynamodb::types::AttributeValue;
use std::collections::HashMap;

#[derive(Debug, Clone, PartialEq)]
pub enum ConsentOutcome {
    Changed(ConsentEventItem),
    /// Already in the asked-for state: nothing written, no ledger entry.
    Unchanged,
    SessionRevoked,
    /// A consent change newer than `now` is already recorded: nothing written. Try
    /// again with a later time, so the newest ledger entry is always the current state.
    Outdated,
}

/// Position of the profile's update in the transaction.
const PROFILE_INDEX: usize = 0;

/// The profile attribute with the time of the newest ledger entry. Every change must
/// be later than it, so ledger order and write order are the same under any
/// interleaving of concurrent changes.
pub const CONSENTS_CHANGED_AT: &str = "consents_changed_at";

/// The profile attribute naming a pending marketing opt-in (the time of its ledger
/// entry, which the mailed confirmation link carries).
pub const MARKETING_PENDING_AT: &str = "marketing_pending_at";

/// One consent decision to record: the ledger entry, how the profile follows, and the
/// mail that goes with it (receipt, confirmation link), all in one transaction.
#[derive(Debug, Clone)]
pub struct Change<'a> {
    pub purpose: Purpose,
    /// The state in force afterwards (`false` while marketing is only pending).
    pub granted: bool,
    /// The state in force before (as the caller read it).
    pub previous: bool,
    /// Marketing's opt-in step: `Pending` records the request without granting;
    /// `Confirmed` grants only while the pending entry at `pending_at` is the current one.
    pub step: Option<ConsentStep>,
    pub pending_at: Option<&'a str>,
    pub source: ConsentSource,
    pub policy_version: &'a str,
    pub now: &'a str,
    pub mails: Vec<OutboxItem>,
}

/// Record one consent decision: the profile's state and a ledger entry at `now` (and
/// the change's mail), in one transaction.
pub async fn change(
    store: &Store,
    customer_id: &str,
    session: &SessionGuard,
    change: Change<'_>,
) -> Result<ConsentOutcome, StoreError> {
    let Change {
        purpose,
        granted,
        previous,
        step,
        pending_at,
        source,
        policy_version,
        now,
        mails,
    } = change;
    let entry = ConsentEventItem {
        pk: keys::ledger_pk(customer_id),
        sk: keys::consent_sk(now, purpose.as_str()),
        kind: ItemKind::Consent.name().into(),
        purpose,
        granted,
        previous: Some(previous),
        policy_version: policy_version.into(),
        source,
        at: now.into(),
        step,
    };
    let path = format!("consents.{}", purpose.as_str());
    let mut e = Expr::new();
    e.increment("version", n(1u32))
        .set("updated_at", s(now))
        .set_to(CONSENTS_CHANGED_AT, ":now");
    let state = e.name(&path);
    let changed_at = e.name(CONSENTS_CHANGED_AT);
    let pending = e.name(MARKETING_PENDING_AT);
    let holds = session.condition(&mut e);
    // Unchanged when already so: no write and no ledger entry for a no-op.
    let unless_already = match step {
        // Asked for (again: a new link replaces the old one) unless already granted.
        Some(ConsentStep::Pending) => {
            e.set(MARKETING_PENDING_AT, s(now));
            format!("{state} <> :granted_on")
        }
        // Only the link of the current pending entry confirms, once.
        Some(ConsentStep::Confirmed) => {
            e.set_to(&path, ":granted").remove(MARKETING_PENDING_AT);
            e.bind(":pending_at", s(pending_at.unwrap_or("-")));
            format!("{pending} = :pending_at")
        }
        None if purpose == Purpose::MarketingEmail => {
            e.set_to(&path, ":granted").remove(MARKETING_PENDING_AT);
            format!("({state} <> :granted OR attribute_exists({pending}))")
        }
        None => {
            e.set_to(&path, ":granted");
            format!("{state} <> :granted")
        }
    };
    if step == Some(ConsentStep::Pending) {
        e.bind(":granted_on", AttributeValue::Bool(true));
    } else {
        e.bind(":granted", AttributeValue::Bool(granted));
    }
    e.condition(format!(
        "{holds} AND {unless_already} AND \
         (attribute_not_exists({changed_at}) OR {changed_at} < :now)"
    ))
    .bind(":now", s(now));
    let mut line = TimelineEntry::new(customer_id, now, what::CONSENT_CHANGED)
        .with("purpose", purpose.as_str())
        .with("granted", if granted { "true" } else { "false" });
    if let Some(step) = step {
        // Marketing email's two steps: asked for (waiting for the link), confirmed.
        let step = match step {
            ConsentStep::Pending => "pending",
            ConsentStep::Confirmed => "confirmed",
        };
        line = line.with("step", step);
    }
    let mut writes = vec![
        transact::update(store, &Key::profile(customer_id), &e, true)?,
        transact::put_new(store, &entry)?,
        timeline::write(store, &line)?,
    ];
    for mail in &mails {
        writes.push(transact::put_new(store, mail)?);
    }
    match transact_with_retry(store, writes).await {
        Ok(()) => Ok(ConsentOutcome::Changed(entry)),
        Err(TransactError::ConditionFailed(c)) if c.failed(PROFILE_INDEX) => {
            let old = c.old_item(PROFILE_INDEX);
            let already = match step {
                Some(ConsentStep::Pending) => state_of(old, purpose) == Some(true),
                // The pending entry is gone or newer: this link is used or replaced.
                Some(ConsentStep::Confirmed) => {
                    old.and_then(|o| o.get(MARKETING_PENDING_AT))
                        != Some(&s(pending_at.unwrap_or("-")))
                }
                None => {
                    state_of(old, purpose) == Some(granted)
                        && (purpose != Purpose::MarketingEmail
                            || old.is_none_or(|o| !o.contains_key(MARKETING_PENDING_AT)))
                }
            };
            Ok(if !session.holds_on(old) {
                ConsentOutcome::SessionRevoked
            } else if already {
                ConsentOutcome::Unchanged
            } else {
                ConsentOutcome::Outdated
            })
        }
        // The ledger entry's key (time and purpose) exists: a change at this very
        // time; a later time will do.
        Err(TransactError::ConditionFailed(_)) => Ok(ConsentOutcome::Outdated),
        Err(TransactError::Store(e)) => Err(e),
    }
}

/// One purpose's state on a profile as stored.
fn state_of(profile: Option<&Item>, purpose: Purpose) -> Option<bool> {
    match profile?.get("consents")? {
        AttributeValue::M(states) => states.get(purpose.as_str())?.as_bool().ok().copied(),
        _ => None,
    }
}

/// Delete every behaviour event kept for the customer (they were kept only with
/// personalisation consent, in their own partition). Returns how many were deleted.
pub async fn delete_events(store: &Store, customer_id: &str) -> Result<usize, StoreError> {
    super::events::delete_all(store, customer_id).await
}

/// Delete items by key (any other attributes of the given items are ignored), in
/// `BatchWriteItem` calls.
pub async fn delete_keys(
    store: &Store,
    keys_to_delete: Vec<HashMap<String, AttributeValue>>,
) -> Result<(), StoreError> {
    let keys = keys_to_delete
        .iter()
        .map(|item| Key::of(item).ok_or_else(|| corrupt("an item to delete has no key")))
        .collect::<Result<Vec<_>, _>>()?;
    batch::delete_all(store, keys).await
}

/// One page of the consent ledger, newest first, and the cursor of the next page (one
/// `Query` of the ledger's own partition).
pub async fn ledger_page(
    store: &Store,
    customer_id: &str,
    limit: i32,
    cursor: Option<&str>,
) -> Result<(Vec<ConsentEventItem>, Option<String>), StoreError> {
    let pk = keys::ledger_pk(customer_id);
    let start = cursor.and_then(|c| super::cursor::in_partition(c, &pk, keys::CONSENT_PREFIX));
    let page = super::cursor::query_page(
        store,
        &pk,
        None,
        super::cursor::Order::NewestFirst,
        limit,
        start,
        false,
    )
    .await?;
    Ok((page.items, page.next_cursor))
}

/// Whether a cursor is one into this customer's ledger.
pub fn is_ledger_cursor(cursor: &str, customer_id: &str) -> bool {
    super::cursor::in_partition(cursor, &keys::ledger_pk(customer_id), keys::CONSENT_PREFIX)
        .is_some()
}

/// The ledger entry at `at` for `purpose`, if there is one (one `GetItem`).
pub async fn ledger_entry(
    store: &Store,
    customer_id: &str,
    at: &str,
    purpose: &str,
) -> Result<Option<ConsentEventItem>, StoreError> {
    super::get_item(
        store,
        &Key::new(keys::ledger_pk(customer_id), keys::consent_sk(at, purpose)),
    )
    .await?
    .map(super::codec::decode_owned)
    .transpose()
}
