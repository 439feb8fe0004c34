//! Idempotency records (`IDEMPOTENCY#<hash>` / `IDEMPOTENCY`): the first response to a
//! request with an `Idempotency-Key`, replayed to later requests with the same key.

use crate::store::codec::decode_owned;
use crate::store::keys::{self, IDEMPOTENCY_SK, ItemKind, Key};
use crate::store::{Store, StoreError};
use serde::{Deserialize, Serialize};

/// Idempotency records expire (DynamoDB TTL) a day after the first request.
pub const IDEMPOTENCY_TTL_SECONDS: i64 = 24 * 60 * 60;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IdempotencyItem {
    #[serde(rename = "PK")]
    pub pk: String,
    #[serde(rename = "SK")]
    pub sk: String,
    pub kind: String,
    /// Hash of the request the key was first used with.
    pub request_hash: String,
    pub quote_id: String,
    /// The first response's body (JSON text, without secrets).
    pub response: String,
    /// Expiry, seconds since the Unix epoch.
    pub ttl: i64,
}

impl IdempotencyItem {
    /// Still in force at `now_unix` (TTL deletion can lag by hours).
    pub fn is_live(&self, now_unix: i64) -> bool {
        self.ttl > now_unix
    }
}

/// An idempotency record to write with a new quote.
#[derive(Debug, Clone)]
pub struct NewIdempotency {
    pub key_hash: String,
    pub request_hash: String,
    pub response: String,
    pub now_unix: i64,
}

impl NewIdempotency {
    pub(super) fn record(&self, quote_id: &str) -> IdempotencyItem {
        IdempotencyItem {
            pk: keys::idempotency_pk(&self.key_hash),
            sk: IDEMPOTENCY_SK.into(),
            kind: ItemKind::Idempotency.name().into(),
            request_hash: self.request_hash.clone(),
            quote_id: quote_id.into(),
            response: self.response.clone(),
            ttl: self.now_unix + IDEMPOTENCY_TTL_SECONDS,
        }
    }
}

/// The idempotency record for `key_hash` (strongly consistent).
pub async fn get_idempotency(
    store: &Store,
    key_hash: &str,
) -> Result<Option<IdempotencyItem>, StoreError> {
    crate::store::get_item(store, &Key::idempotency(key_hash))
        .await?
        .map(decode_owned)
        .transpose()
}
