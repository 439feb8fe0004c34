//! Mail to send, written in the same transaction as the change that causes it. A
//! worker (stream-triggered in AWS, a polling task in the local runner) sends it and
//! deletes the item.

use super::codec::{decode_owned, s};
use super::keys::{self, GSI1, ItemKind, Key, OUTBOX_GSI1PK, OUTBOX_SK};
use super::{Store, StoreError, unavailable};
use serde::{Deserialize, Serialize};

/// Unsent mail is dropped by TTL after a day, so a stuck worker cannot keep codes
/// around for long.
pub const OUTBOX_TTL_SECONDS: i64 = 24 * 60 * 60;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutboxItem {
    #[serde(rename = "PK")]
    pub pk: String,
    #[serde(rename = "SK")]
    pub sk: String,
    #[serde(rename = "GSI1PK")]
    pub gsi1pk: String,
    #[serde(rename = "GSI1SK")]
    pub gsi1sk: String,
    pub kind: String,
    pub id: String,
    pub to: String,
    pub subject: String,
    pub text: String,
    pub created_at: String,
    pub ttl: i64,
}

impl OutboxItem {
    pub fn new(to: &str, subject: String, text: String, created_at: String, now_unix: i64) -> Self {
        let id = ulid::Ulid::new().to_string();
        Self {
            pk: keys::outbox_pk(&id),
            sk: OUTBOX_SK.into(),
            gsi1pk: OUTBOX_GSI1PK.into(),
            gsi1sk: id.clone(),
            kind: ItemKind::Outbox.name().into(),
            id,
            to: to.into(),
            subject,
            text,
            created_at,
            ttl: now_unix + OUTBOX_TTL_SECONDS,
        }
    }
}

/// Pending mail, oldest first: one page (one Query on GSI1); the worker comes back for
/// the rest.
pub async fn pending(store: &Store, limit: i32) -> Result<Vec<OutboxItem>, StoreError> {
    let page = store
        .client()
        .query()
        .table_name(store.table())
        .index_name(GSI1)
        .key_condition_expression("GSI1PK = :pk")
        .expression_attribute_values(":pk", s(OUTBOX_GSI1PK))
        .limit(limit)
        .send()
        .await
        .map_err(|e| unavailable(&e))?;
    page.items
        .unwrap_or_default()
        .into_iter()
        .map(decode_owned)
        .collect()
}

/// Remove a sent mail.
pub async fn delete(store: &Store, mail: &OutboxItem) -> Result<(), StoreError> {
    store
        .client()
        .delete_item()
        .table_name(store.table())
        .set_key(Some(Key::new(&mail.pk, &mail.sk).item()))
        .send()
        .await
        .map_err(|e| unavailable(&e))?;
    Ok(())
}
