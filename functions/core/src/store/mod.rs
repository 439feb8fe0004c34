//! DynamoDB access. This module and its children are the only code that builds
//! DynamoDB requests; one child module per aggregate.

pub mod addresses;
pub mod catalog;
pub mod consents;
pub mod customers;
pub mod erasure;
pub mod keys;
pub mod outbox;
pub mod profile;
pub mod quotes;
pub mod signin;

use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError;
use aws_sdk_dynamodb::types::{CancellationReason, Put, TransactWriteItem};
use serde::Serialize;
use std::fmt;

/// A handle on the table: the client and the table's name.
#[derive(Debug, Clone)]
pub struct Store {
    client: Client,
    table: String,
}

impl Store {
    pub fn new(client: Client, table: impl Into<String>) -> Self {
        Self {
            client,
            table: table.into(),
        }
    }

    pub fn client(&self) -> &Client {
        &self.client
    }

    pub fn table(&self) -> &str {
        &self.table
    }
}

/// Failures a caller can act on. Details stay in logs (without personal data); callers
/// map `Unavailable` to 503.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreError {
    /// The store could not be reached or refused the request for capacity or internal
    /// reasons; nothing was written (DynamoDB writes are atomic per request).
    Unavailable(String),
    /// An item the store returned does not have the shape this code writes.
    Corrupt(String),
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreError::Unavailable(why) => write!(f, "store unavailable: {why}"),
            StoreError::Corrupt(why) => write!(f, "unexpected item shape: {why}"),
        }
    }
}

impl std::error::Error for StoreError {}

/// Describe an SDK failure by kind and error code only: messages may echo item
/// contents, which can hold personal data.
pub(crate) fn describe<E: ProvideErrorMetadata, R>(error: &SdkError<E, R>) -> String {
    match error {
        SdkError::ConstructionFailure(_) => "request construction failed".into(),
        SdkError::TimeoutError(_) => "timeout".into(),
        SdkError::DispatchFailure(_) => "dispatch failure (store unreachable)".into(),
        SdkError::ResponseError(_) => "unreadable response".into(),
        SdkError::ServiceError(e) => {
            format!("service error {}", e.err().code().unwrap_or("unknown"))
        }
        _ => "unknown SDK error".into(),
    }
}

pub(crate) fn unavailable<E: ProvideErrorMetadata, R>(error: &SdkError<E, R>) -> StoreError {
    let why = describe(error);
    tracing::warn!(store_error = %why, "DynamoDB call failed");
    StoreError::Unavailable(why)
}

/// A `Put` inside a transaction, optionally conditional.
pub(crate) fn put_item<T: Serialize>(
    store: &Store,
    item: &T,
    condition: Option<&str>,
) -> Result<TransactWriteItem, StoreError> {
    let item = serde_dynamo::to_item(item).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    let put = Put::builder()
        .table_name(store.table())
        .set_item(Some(item))
        .set_condition_expression(condition.map(str::to_owned))
        .build()
        .map_err(|e| StoreError::Corrupt(e.to_string()))?;
    Ok(TransactWriteItem::builder().put(put).build())
}

/// Whether a call failed only because a condition expression did not hold (alone or
/// inside a transaction).
pub(crate) fn is_condition_failure<E: ProvideErrorMetadata, R>(error: &SdkError<E, R>) -> bool {
    let SdkError::ServiceError(service) = error else {
        return false;
    };
    let err = service.err();
    match err.code() {
        Some("ConditionalCheckFailedException") => true,
        Some("TransactionCanceledException") => err
            .message()
            .is_some_and(|m| m.contains("ConditionalCheckFailed")),
        _ => false,
    }
}

/// The per-item reasons of a cancelled `TransactWriteItems`, in request order; `None`
/// when the call failed for another reason.
pub(crate) fn cancellation_reasons<R>(
    error: &SdkError<TransactWriteItemsError, R>,
) -> Option<&[CancellationReason]> {
    let SdkError::ServiceError(service) = error else {
        return None;
    };
    match service.err() {
        TransactWriteItemsError::TransactionCanceledException(cancelled) => {
            Some(cancelled.cancellation_reasons())
        }
        _ => None,
    }
}

/// What a cancelled transaction tells us.
pub(crate) enum Cancelled {
    /// These items' conditions failed (by position in the request).
    ConditionFailed(Vec<usize>),
    /// Another transaction touched the same items; worth a retry.
    Conflict,
}

pub(crate) fn cancellation<R>(error: &SdkError<TransactWriteItemsError, R>) -> Option<Cancelled> {
    let reasons = cancellation_reasons(error)?;
    let failed: Vec<usize> = reasons
        .iter()
        .enumerate()
        .filter(|(_, r)| r.code() == Some("ConditionalCheckFailed"))
        .map(|(i, _)| i)
        .collect();
    if !failed.is_empty() {
        Some(Cancelled::ConditionFailed(failed))
    } else if reasons
        .iter()
        .any(|r| r.code() == Some("TransactionConflict"))
        || matches!(error, SdkError::ServiceError(s) if s.err().message().is_some_and(|m| m.contains("TransactionConflict")))
    {
        Some(Cancelled::Conflict)
    } else {
        None
    }
}

/// The `session_epoch` of the item a failed condition saw (returned with
/// `ReturnValuesOnConditionCheckFailure::AllOld`), to tell a revoked session from a
/// stale version.
pub(crate) fn epoch_seen(
    item: Option<&std::collections::HashMap<String, aws_sdk_dynamodb::types::AttributeValue>>,
) -> Option<u64> {
    item?.get("session_epoch")?.as_n().ok()?.parse().ok()
}
