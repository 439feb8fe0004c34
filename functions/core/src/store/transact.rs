//! Transactions: the parts of a `TransactWriteItems`, one way to send it, and what a
//! cancellation says (which items' conditions failed, and the items as they were).

use super::codec::{Item, corrupt, encode};
use super::keys::Key;
use super::retry::Backoff;
use super::update::{Expr, WithExpr};
use super::{Store, StoreError, unavailable};
use aws_sdk_dynamodb::error::SdkError;
use aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError;
use aws_sdk_dynamodb::types::{
    CancellationReason, ConditionCheck, Delete, Put, ReturnValuesOnConditionCheckFailure,
    TransactWriteItem, Update,
};
use serde::Serialize;
use std::future::Future;

/// The condition for an item that must not exist yet.
pub(crate) const NEW: &str = "attribute_not_exists(PK)";

/// A `Put` of a row, under `condition` (an empty [`Expr`] for none).
pub(crate) fn put<T: Serialize>(
    store: &Store,
    row: &T,
    condition: &Expr,
) -> Result<TransactWriteItem, StoreError> {
    let put = Put::builder()
        .table_name(store.table())
        .set_item(Some(encode(row)?))
        .expr(condition)
        .build()
        .map_err(corrupt)?;
    Ok(TransactWriteItem::builder().put(put).build())
}

/// A `Put` of a row that must not exist yet.
pub(crate) fn put_new<T: Serialize>(
    store: &Store,
    row: &T,
) -> Result<TransactWriteItem, StoreError> {
    put(store, row, &Expr::when(NEW))
}

/// An `Update` of `key`. With `return_old`, a failed condition hands back the item as
/// it was (to tell a revoked session from a stale version without another read).
pub(crate) fn update(
    store: &Store,
    key: &Key,
    e: &Expr,
    return_old: bool,
) -> Result<TransactWriteItem, StoreError> {
    let update = Update::builder()
        .table_name(store.table())
        .set_key(Some(key.item()))
        .expr(e)
        .set_return_values_on_condition_check_failure(
            return_old.then_some(ReturnValuesOnConditionCheckFailure::AllOld),
        )
        .build()
        .map_err(corrupt)?;
    Ok(TransactWriteItem::builder().update(update).build())
}

/// A `Delete` of `key`, under `condition`.
pub(crate) fn delete(
    store: &Store,
    key: &Key,
    condition: &Expr,
) -> Result<TransactWriteItem, StoreError> {
    let delete = Delete::builder()
        .table_name(store.table())
        .set_key(Some(key.item()))
        .expr(condition)
        .build()
        .map_err(corrupt)?;
    Ok(TransactWriteItem::builder().delete(delete).build())
}

/// A `ConditionCheck` on `key`: the transaction commits only if `condition` holds.
pub(crate) fn check(
    store: &Store,
    key: &Key,
    condition: &Expr,
) -> Result<TransactWriteItem, StoreError> {
    let check = ConditionCheck::builder()
        .table_name(store.table())
        .set_key(Some(key.item()))
        .expr(condition)
        .build()
        .map_err(corrupt)?;
    Ok(TransactWriteItem::builder().condition_check(check).build())
}

/// A [`check`] that hands back the item as it was when its condition fails (to tell
/// which part of the condition did not hold without another read).
pub(crate) fn check_returning_old(
    store: &Store,
    key: &Key,
    condition: &Expr,
) -> Result<TransactWriteItem, StoreError> {
    let check = ConditionCheck::builder()
        .table_name(store.table())
        .set_key(Some(key.item()))
        .expr(condition)
        .return_values_on_condition_check_failure(ReturnValuesOnConditionCheckFailure::AllOld)
        .build()
        .map_err(corrupt)?;
    Ok(TransactWriteItem::builder().condition_check(check).build())
}

/// Why a transaction was cancelled, per item in request order.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Cancellation {
    reasons: Vec<Reason>,
}

#[derive(Debug, Clone, PartialEq)]
struct Reason {
    code: Option<String>,
    old: Option<Item>,
}

const CONDITION_FAILED: &str = "ConditionalCheckFailed";
const CONFLICT: &str = "TransactionConflict";

impl Cancellation {
    /// Whether the condition of the item at `index` did not hold.
    pub fn failed(&self, index: usize) -> bool {
        self.reasons
            .get(index)
            .is_some_and(|r| r.code.as_deref() == Some(CONDITION_FAILED))
    }

    /// The item at `index` as it was, when its condition failed and the request asked
    /// for it.
    pub fn old_item(&self, index: usize) -> Option<&Item> {
        self.reasons.get(index)?.old.as_ref()
    }

    fn any_failed(&self) -> bool {
        (0..self.reasons.len()).any(|i| self.failed(i))
    }
}

/// What a transaction's failure amounts to.
#[derive(Debug, Clone, PartialEq)]
enum Verdict {
    /// Some items' conditions did not hold: final, nothing was written.
    ConditionFailed(Cancellation),
    /// Another transaction held the items: nothing was written, worth another try.
    Conflict,
    /// Anything else: unavailable.
    Other,
}

/// Judge a cancellation from its per-item reasons, or, when the service sent none,
/// from the list DynamoDB puts in the message ("… reasons [ConditionalCheckFailed,
/// None]"). A failed condition decides over a conflict: retrying cannot help it.
fn classify(reasons: &[CancellationReason], message: Option<&str>) -> Verdict {
    let mut cancellation = Cancellation {
        reasons: reasons
            .iter()
            .map(|r| Reason {
                code: r.code().map(str::to_owned),
                old: r.item().cloned(),
            })
            .collect(),
    };
    if cancellation.reasons.is_empty() {
        cancellation.reasons = codes_in_message(message.unwrap_or(""));
    }
    if cancellation.any_failed() {
        Verdict::ConditionFailed(cancellation)
    } else if cancellation
        .reasons
        .iter()
        .any(|r| r.code.as_deref() == Some(CONFLICT))
        || message.is_some_and(|m| m.contains(CONFLICT))
    {
        Verdict::Conflict
    } else {
        Verdict::Other
    }
}

fn codes_in_message(message: &str) -> Vec<Reason> {
    let Some(list) = message
        .rsplit_once('[')
        .and_then(|(_, rest)| rest.split_once(']'))
        .map(|(list, _)| list)
    else {
        return Vec::new();
    };
    list.split(',')
        .map(|code| Reason {
            code: Some(code.trim().to_string()),
            old: None,
        })
        .collect()
}

fn verdict<R>(error: &SdkError<TransactWriteItemsError, R>) -> Verdict {
    match error {
        SdkError::ServiceError(service) => match service.err() {
            TransactWriteItemsError::TransactionCanceledException(cancelled) => {
                classify(cancelled.cancellation_reasons(), cancelled.message())
            }
            _ => Verdict::Other,
        },
        _ => Verdict::Other,
    }
}

/// A transaction that did not commit. Nothing of it was written.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum TransactError {
    /// Some items' conditions did not hold.
    ConditionFailed(Cancellation),
    /// The store failed, or the items stayed in conflict through every retry.
    Store(StoreError),
}

impl From<StoreError> for TransactError {
    fn from(e: StoreError) -> Self {
        TransactError::Store(e)
    }
}

/// Send `writes` as one `TransactWriteItems`, retrying conflicts with other
/// transactions ([`Backoff::TRANSACTION`]); a retry sees the winner's writes, so a
/// condition the winner made false then fails as it should.
pub(crate) async fn transact_with_retry(
    store: &Store,
    writes: Vec<TransactWriteItem>,
) -> Result<(), TransactError> {
    let writes = super::timeline::with_timeline_entries(store, writes)?;
    retry_conflicts(Backoff::TRANSACTION, || {
        let request = store
            .client()
            .transact_write_items()
            .set_transact_items(Some(writes.clone()));
        async move {
            match request.send().await {
                Ok(_) => Ok(()),
                Err(error) => Err(match verdict(&error) {
                    Verdict::ConditionFailed(c) => Attempt::ConditionFailed(c),
                    Verdict::Conflict => Attempt::Conflict,
                    Verdict::Other => Attempt::Failed(unavailable(&error)),
                }),
            }
        }
    })
    .await
}

/// How one call of a transaction failed.
#[derive(Debug)]
enum Attempt {
    ConditionFailed(Cancellation),
    Conflict,
    Failed(StoreError),
}

/// Call `send` until it commits or fails for good; conflicts are retried
/// `policy.attempts` calls in all.
async fn retry_conflicts<F, Fut>(policy: Backoff, mut send: F) -> Result<(), TransactError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<(), Attempt>>,
{
    let mut attempt = 0;
    loop {
        attempt += 1;
        match send().await {
            Ok(()) => return Ok(()),
            Err(Attempt::ConditionFailed(c)) => return Err(TransactError::ConditionFailed(c)),
            Err(Attempt::Failed(e)) => return Err(TransactError::Store(e)),
            Err(Attempt::Conflict) => {
                if !policy.wait(attempt).await {
                    tracing::warn!(attempts = attempt, "transaction still in conflict");
                    return Err(TransactError::Store(StoreError::Unavailable(
                        "transaction conflict persisted".into(),
                    )));
                }
            }
        }
    }
}

#[cfg(test)]
#[path = "transact_tests.rs"]
mod tests;
