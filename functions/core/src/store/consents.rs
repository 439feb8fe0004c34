//! Consent changes: the profile's current state and an append-only ledger entry, in one
//! transaction. Withdrawing personalisation also deletes stored behaviour events.

use super::batch;
use super::codec::{Item, corrupt, n, s};
use super::customers::ConsentEventItem;
use super::keys::{self, ItemKind, Key};
use super::session::SessionGuard;
use super::timeline::{self, TimelineEntry, what};
use super::transact::{self, TransactError, transact_with_retry};
use super::update::Expr;
use super::{Store, StoreError};
use crate::domain::consent::{ConsentSource, Purpose};
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

/// Grant or withdraw one purpose: the profile's state and a ledger entry at `now`, in
/// one transaction.
pub async fn change(
    store: &Store,
    customer_id: &str,
    session: &SessionGuard,
    purpose: Purpose,
    granted: bool,
    policy_version: &str,
    now: &str,
) -> Result<ConsentOutcome, StoreError> {
    let entry = ConsentEventItem {
        pk: keys::ledger_pk(customer_id),
        sk: keys::consent_sk(now, purpose.as_str()),
        kind: ItemKind::Consent.name().into(),
        purpose,
        granted,
        previous: Some(!granted),
        policy_version: policy_version.into(),
        source: ConsentSource::PreferenceCentre,
        at: now.into(),
    };
    let path = format!("consents.{}", purpose.as_str());
    let mut e = Expr::new();
    e.set_to(&path, ":granted")
        .increment("version", n(1u32))
        .set("updated_at", s(now))
        .set_to(CONSENTS_CHANGED_AT, ":now");
    let state = e.name(&path);
    let changed_at = e.name(CONSENTS_CHANGED_AT);
    let holds = session.condition(&mut e);
    // Unchanged when already so: no write and no ledger entry for a no-op.
    e.condition(format!(
        "{holds} AND {state} <> :granted AND \
         (attribute_not_exists({changed_at}) OR {changed_at} < :now)"
    ))
    .bind(":granted", AttributeValue::Bool(granted))
    .bind(":now", s(now));
    let writes = vec![
        transact::update(store, &Key::profile(customer_id), &e, true)?,
        transact::put_new(store, &entry)?,
        timeline::write(
            store,
            &TimelineEntry::new(customer_id, now, what::CONSENT_CHANGED)
                .with("purpose", purpose.as_str())
                .with("granted", if granted { "true" } else { "false" }),
        )?,
    ];
    match transact_with_retry(store, writes).await {
        Ok(()) => Ok(ConsentOutcome::Changed(entry)),
        Err(TransactError::ConditionFailed(c)) if c.failed(PROFILE_INDEX) => {
            let old = c.old_item(PROFILE_INDEX);
            Ok(if !session.holds_on(old) {
                ConsentOutcome::SessionRevoked
            } else if state_of(old, purpose) == Some(granted) {
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
