//! Mail to send, written in the same transaction as the change that causes it. A
//! worker (stream-triggered in AWS, a polling task in the local runner) sends it and
//! deletes the item.

use super::codec::{decode_owned, s};
use super::keys::{self, GSI1, ItemKind, Key, OUTBOX_GSI1PK, OUTBOX_SK};
use super::timeline::{TimelineEntry, what};
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

/// The timeline entry for a queued mail about a customer (subject, template and time,
/// never the body), from the outbox item as it goes into a transaction. Mail that
/// carries a code (`*_code` templates) has the code in its subject: the entry names
/// the template only, so no code is ever kept. See `timeline::with_timeline_entries`.
pub(crate) fn timeline_entry_of(item: &super::Item) -> Option<TimelineEntry> {
    let text = |name: &str| super::codec::text(item, name);
    if text("kind")? != ItemKind::Outbox.name() {
        return None;
    }
    let template = text("template").unwrap_or("");
    let entry = TimelineEntry::new(text("customer_id")?, text("created_at")?, what::EMAIL_SENT)
        .with("template", template);
    Some(if template.ends_with("code") {
        entry
    } else {
        entry.with("subject", text("subject")?)
    })
}

#[cfg(test)]
mod timeline_tests {
    use super::*;
    use crate::store::codec::encode;

    #[test]
    fn mail_about_a_customer_makes_a_timeline_entry_without_its_body() {
        let mut item = encode(&OutboxItem::new(
            "ana@example.com",
            Some("C1"),
            crate::mail::Mail {
                template: "welcome".into(),
                language: crate::domain::customer::Language::En,
                subject: "Welcome".into(),
                text: "secret body".into(),
                html: String::new(),
                list_unsubscribe: None,
            },
            "2026-11-29T10:00:00.000000Z".into(),
            0,
        ))
        .unwrap();
        let entry = timeline_entry_of(&item).unwrap();
        assert_eq!(entry.pk, "TIMELINE#C1");
        assert_eq!(entry.what, what::EMAIL_SENT);
        assert_eq!(entry.detail["subject"], "Welcome");
        assert!(!format!("{entry:?}").contains("secret body"));
        item.insert("template".into(), s("sign_in_code"));
        item.insert("subject".into(), s("Your sign-in code: ABCD-EFGH"));
        let coded = timeline_entry_of(&item).unwrap();
        assert!(!format!("{coded:?}").contains("ABCD"), "no code kept");
        assert_eq!(coded.detail["template"], "sign_in_code");
        item.remove("customer_id");
        assert_eq!(timeline_entry_of(&item), None);
    }
}
