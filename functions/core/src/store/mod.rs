//! DynamoDB access. This module and its children are the only code that builds
//! DynamoDB requests; one child module per aggregate.
//!
//! The toolkit the aggregates share, one way to do each thing: [`keys`] (item kinds and
//! their keys), `codec` (rows to items and back), `update` (update and condition
//! expressions), `transact` (transactions and what a cancellation says), `batch`
//! (batch reads and writes) and `retry` (bounded, jittered backoff). Whole ranges are
//! read with the SDK's paginators; a route that shows one page reads one page.

pub mod addresses;
mod batch;
pub mod catalog;
pub mod catalog_index;
mod codec;
pub mod consents;
pub(crate) mod cursor;
pub mod customers;
pub mod erasure;
pub mod events;
pub mod export;
pub mod keys;
pub mod limits;
pub mod outbox;
pub mod profile;
pub mod quotes;
pub mod recs;
pub mod requests;
mod retry;
pub mod segment;
pub mod session;
pub mod signin;
pub mod surveys;
pub mod timeline;
mod transact;
mod update;

pub use codec::Item;

use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::error::{ProvideErrorMetadata, SdkError};
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

/// One item by key, strongly consistent (`None` if there is none).
pub(crate) async fn get_item(store: &Store, key: &keys::Key) -> Result<Option<Item>, StoreError> {
    store
        .client()
        .get_item()
        .table_name(store.table())
        .set_key(Some(key.item()))
        .consistent_read(true)
        .send()
        .await
        .map(|output| output.item)
        .map_err(|e| unavailable(&e))
}

/// Every item a query matches, page after page (the SDK's paginator). For reads that
/// need a whole range (export, erasure, the catalog); routes that show one page read one.
pub(crate) async fn query_all(
    query: aws_sdk_dynamodb::operation::query::builders::QueryFluentBuilder,
) -> Result<Vec<Item>, StoreError> {
    query
        .into_paginator()
        .items()
        .send()
        .try_collect()
        .await
        .map_err(|e| unavailable(&e))
}

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

/// Whether a single-item call (`UpdateItem`, `DeleteItem`) failed only because its
/// condition did not hold. Transactions say more: see `transact::Cancellation`.
pub(crate) fn is_condition_failure<E: ProvideErrorMetadata, R>(error: &SdkError<E, R>) -> bool {
    matches!(error, SdkError::ServiceError(s) if s.err().code() == Some("ConditionalCheckFailedException"))
}

/// The `session_epoch` of the item a failed condition saw (returned with
/// `ReturnValuesOnConditionCheckFailure::AllOld`), to tell a revoked session from a
/// stale version.
pub(crate) fn epoch_seen(item: Option<&Item>) -> Option<u64> {
    item?.get("session_epoch")?.as_n().ok()?.parse().ok()
}
