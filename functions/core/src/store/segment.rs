//! The customer's answer to a suggestion about who they buy for: taking it sets
//! `buys_for` (source `accepted_suggestion`), declining it is remembered so it is not
//! made again. Either is one transaction with its timeline entry, under the session.

use super::codec::{encode_value, n, s};
use super::keys::Key;
use super::session::SessionGuard;
use super::timeline::{self, TimelineEntry, what};
use super::transact::{self, TransactError, transact_with_retry};
use super::update::Expr;
use super::{Store, StoreError};
use crate::domain::segment::{BuysFor, Segment, SegmentSource};

/// Take the suggestion: `buys_for` becomes `value`. False when the session no longer
/// holds.
pub async fn accept(
    store: &Store,
    customer_id: &str,
    session: &SessionGuard,
    value: BuysFor,
    now: &str,
) -> Result<bool, StoreError> {
    let mut e = Expr::new();
    e.set(
        "buys_for",
        encode_value(&Segment {
            value,
            source: SegmentSource::AcceptedSuggestion,
            at: now.into(),
        })?,
    )
    .set("updated_at", s(now))
    .increment("version", n(1u32));
    let entry = TimelineEntry::new(customer_id, now, what::PROFILE_CHANGED)
        .with("buys_for", value.as_str())
        .with("source", "accepted_suggestion");
    commit(store, customer_id, session, e, entry).await
}

/// Decline the suggestion; it is not made again.
pub async fn dismiss(
    store: &Store,
    customer_id: &str,
    session: &SessionGuard,
    now: &str,
) -> Result<bool, StoreError> {
    let mut e = Expr::new();
    e.set("suggestion_dismissed_at", s(now));
    let entry = TimelineEntry::new(customer_id, now, what::SUGGESTION_DECLINED);
    commit(store, customer_id, session, e, entry).await
}

async fn commit(
    store: &Store,
    customer_id: &str,
    session: &SessionGuard,
    mut e: Expr,
    entry: TimelineEntry,
) -> Result<bool, StoreError> {
    let holds = session.condition(&mut e);
    e.condition(holds);
    let writes = vec![
        transact::update(store, &Key::profile(customer_id), &e, false)?,
        timeline::write(store, &entry)?,
    ];
    match transact_with_retry(store, writes).await {
        Ok(()) => Ok(true),
        Err(TransactError::ConditionFailed(_)) => Ok(false),
        Err(TransactError::Store(e)) => Err(e),
    }
}
