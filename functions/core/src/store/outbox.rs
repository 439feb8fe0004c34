//! Mail to send, written in the same transaction as the change that causes it. A
//! worker (stream-triggered in AWS, a polling task in the local runner) sends it and
//! deletes the item.

use super::keys::{self, OUTBOX_GSI1PK, OUTBOX_SK};
use super::{Store, StoreError, unavailable};
use aws_sdk_dynamodb::types::AttributeValue;
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
            kind: "outbox".into(),
            id,
            to: to.into(),
            subject,
            text,
            created_at,
            ttl: now_unix + OUTBOX_TTL_SECONDS,
        }
    }
}

/// Pending mail, oldest first (one Query on GSI1).
pub async fn pending(store: &Store, limit: i32) -> Result<Vec<OutboxItem>, StoreError> {
    let page = store
        .client()
        .query()
        .table_name(store.table())
        .index_name("GSI1")
        .key_condition_expression("GSI1PK = :pk")
        .expression_attribute_values(":pk", AttributeValue::S(OUTBOX_GSI1PK.into()))
        .limit(limit)
        .send()
        .await
        .map_err(|e| unavailable(&e))?;
    page.items()
        .iter()
        .map(|item| {
            serde_dynamo::from_item(item.clone()).map_err(|e| StoreError::Corrupt(e.to_string()))
        })
        .collect()
}

/// Remove a sent mail.
pub async fn delete(store: &Store, mail: &OutboxItem) -> Result<(), StoreError> {
    store
        .client()
        .delete_item()
        .table_name(store.table())
        .key(keys::PK, AttributeValue::S(mail.pk.clone()))
        .key(keys::SK, AttributeValue::S(mail.sk.clone()))
        .send()
        .await
        .map_err(|e| unavailable(&e))?;
    Ok(())
}
