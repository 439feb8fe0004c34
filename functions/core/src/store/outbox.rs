//! Mail to send, written in the same transaction as the change that causes it. A
//! worker (stream-triggered in AWS, a polling task in the local runner) sends it and
//! deletes the item.

use super::codec::{decode_owned, s};
use super::keys::{self, GSI1, ItemKind, Key, OUTBOX_GSI1PK, OUTBOX_SK};
use super::{Store, StoreError, unavailable};
use crate::domain::customer::Language;
use crate::mail::Mail;
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
    /// The customer the mail is about, when there is one (timelines list mail sent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_id: Option<String>,
    /// The template that made it (`welcome`, `sign_in_code`…).
    #[serde(default)]
    pub template: String,
    #[serde(default)]
    pub language: Option<Language>,
    pub subject: String,
    pub text: String,
    #[serde(default)]
    pub html: String,
    /// Marketing mail only: the RFC 8058 one-click unsubscribe URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub list_unsubscribe: Option<String>,
    pub created_at: String,
    pub ttl: i64,
}

impl OutboxItem {
    /// A mail to `to`, about `customer_id` when there is one.
    pub fn new(
        to: &str,
        customer_id: Option<&str>,
        mail: Mail,
        created_at: String,
        now_unix: i64,
    ) -> Self {
        let id = ulid::Ulid::new().to_string();
        Self {
            pk: keys::outbox_pk(&id),
            sk: OUTBOX_SK.into(),
            gsi1pk: OUTBOX_GSI1PK.into(),
            gsi1sk: id.clone(),
            kind: ItemKind::Outbox.name().into(),
            id,
            to: to.into(),
            customer_id: customer_id.map(str::to_owned),
            template: mail.template,
            language: Some(mail.language),
            subject: mail.subject,
            text: mail.text,
            html: mail.html,
            list_unsubscribe: mail.list_unsubscribe,
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
