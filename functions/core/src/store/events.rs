//! Behaviour events (`EVENTS#<customer id>` / `<time>#<kind>#<n>`, `ttl`): their own
//! partition, so `GET /api/me` and every other read of the customer's partition never
//! touch them. Written only on condition that the profile grants `personalisation`, in
//! the same transaction; deleted on withdrawal and erasure; listed in the export.

use super::codec::{Item, decode, s};
use super::keys::{self, EVENT_TTL_SECONDS, ItemKind, Key};
use super::session::SessionGuard;
use super::transact::{self, TransactError, transact_with_retry};
use super::update::Expr;
use super::{Store, StoreError, batch, unavailable};
use crate::domain::events::{Event, EventKind};
use aws_sdk_dynamodb::types::{AttributeValue, TransactWriteItem};
use serde::{Deserialize, Serialize};

/// One stored event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventItem {
    #[serde(rename = "PK")]
    pub pk: String,
    #[serde(rename = "SK")]
    pub sk: String,
    pub kind: String,
    pub event: EventKind,
    /// The SKU, or the need of a `need_viewed` event.
    pub subject: String,
    pub at: String,
    /// When DynamoDB removes it (unix seconds).
    pub ttl: i64,
}

impl EventItem {
    pub fn new(customer_id: &str, event: &Event, at: &str, at_unix: i64, n: usize) -> Self {
        Self {
            pk: keys::events_pk(customer_id),
            sk: keys::event_sk(at, event.kind.as_str(), n),
            kind: ItemKind::Event.name().into(),
            event: event.kind,
            subject: event.subject.clone(),
            at: at.into(),
            ttl: at_unix + EVENT_TTL_SECONDS,
        }
    }

    /// The customer whose event this is.
    pub fn customer_id(&self) -> Option<&str> {
        self.pk.strip_prefix(ItemKind::Event.pk_prefix())
    }
}

/// The condition that the profile grants personalisation (and, with a session, that
/// the session still holds).
fn personalisation_granted(session: Option<&SessionGuard>) -> Expr {
    let mut e = Expr::new();
    let granted = e.name("consents.personalisation");
    let mut text = format!("{granted} = :granted");
    if let Some(session) = session {
        let holds = session.condition(&mut e);
        text = format!("{holds} AND {text}");
    }
    e.condition(text)
        .bind(":granted", AttributeValue::Bool(true));
    e
}

/// What recording a batch came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recorded {
    Recorded,
    /// The customer does not grant personalisation: nothing was written.
    NotConsented,
    SessionRevoked,
}

/// The update that adds `skus` to the customer's owned items (and keeps them as long
/// as a new event).
fn add_owned(skus: &[String], ttl: i64) -> Expr {
    let mut e = Expr::new();
    e.set("kind", s(ItemKind::OwnedItems.name()))
        .set("ttl", AttributeValue::N(ttl.to_string()))
        .add("skus", AttributeValue::Ss(skus.to_vec()));
    e
}

/// Record events in one transaction with a check that the profile grants
/// personalisation and the session holds: nothing is written otherwise. `owned`: SKUs
/// the customer now has (an accepted quote's), added to their owned items.
pub async fn record(
    store: &Store,
    customer_id: &str,
    session: &SessionGuard,
    events: &[EventItem],
    owned: &[String],
) -> Result<Recorded, StoreError> {
    let mut writes = vec![transact::check_returning_old(
        store,
        &Key::profile(customer_id),
        &personalisation_granted(Some(session)),
    )?];
    for event in events {
        writes.push(transact::put(store, event, &Expr::new())?);
    }
    if let (false, Some(first)) = (owned.is_empty(), events.first()) {
        let key = Key::new(keys::events_pk(customer_id), keys::OWNED_SK);
        writes.push(transact::update(
            store,
            &key,
            &add_owned(owned, first.ttl),
            false,
        )?);
    }
    match transact_with_retry(store, writes).await {
        Ok(()) => Ok(Recorded::Recorded),
        Err(TransactError::ConditionFailed(c)) if c.failed(0) => {
            Ok(if session.holds_on(c.old_item(0)) {
                Recorded::NotConsented
            } else {
                Recorded::SessionRevoked
            })
        }
        Err(TransactError::ConditionFailed(_)) => {
            Err(StoreError::Unavailable("event write refused".into()))
        }
        Err(TransactError::Store(e)) => Err(e),
    }
}

/// The writes that add `events` to a transaction that already checks the customer's
/// session: each `Put` goes through only if the profile grants personalisation. Used by
/// the quote transactions when the profile they read says it is granted; the check
/// makes a withdrawal in between cancel the whole transaction (which is then retried
/// by the caller without events).
pub(crate) fn writes_for(
    store: &Store,
    customer_id: &str,
    events: &[EventItem],
) -> Result<Vec<TransactWriteItem>, StoreError> {
    if events.is_empty() {
        return Ok(Vec::new());
    }
    let mut writes = vec![transact::check(
        store,
        &Key::profile(customer_id),
        &personalisation_granted(None),
    )?];
    for event in events {
        writes.push(transact::put(store, event, &Expr::new())?);
    }
    Ok(writes)
}

/// What a customer did lately, and what they have.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Recent {
    /// The newest events, newest first.
    pub events: Vec<EventItem>,
    /// The SKUs of the customer's accepted quotes, however old.
    pub owned: Vec<String>,
}

/// The customer's newest `limit` events, newest first, and their owned items: one
/// `Query` (the owned items sort after every event, so they come first).
pub async fn recent(store: &Store, customer_id: &str, limit: i32) -> Result<Recent, StoreError> {
    let output = store
        .client()
        .query()
        .table_name(store.table())
        .key_condition_expression("PK = :pk")
        .expression_attribute_values(":pk", s(&keys::events_pk(customer_id)))
        .scan_index_forward(false)
        .limit(limit + 1)
        .send()
        .await
        .map_err(|e| unavailable(&e))?;
    let mut recent = Recent::default();
    for item in output.items() {
        if super::codec::text(item, keys::SK) == Some(keys::OWNED_SK) {
            if let Some(AttributeValue::Ss(skus)) = item.get("skus") {
                recent.owned = skus.clone();
            }
        } else {
            recent.events.push(decode(item)?);
        }
    }
    recent.events.truncate(usize::try_from(limit).unwrap_or(0));
    Ok(recent)
}

/// Every event kept for the customer, as stored (for the export and deletion).
pub async fn all(store: &Store, customer_id: &str) -> Result<Vec<Item>, StoreError> {
    super::query_all(
        store
            .client()
            .query()
            .table_name(store.table())
            .key_condition_expression("PK = :pk")
            .expression_attribute_values(":pk", s(&keys::events_pk(customer_id)))
            .consistent_read(true),
    )
    .await
}

/// Delete every event kept for the customer; how many there were.
pub async fn delete_all(store: &Store, customer_id: &str) -> Result<usize, StoreError> {
    let events = all(store, customer_id).await?;
    let count = events.len();
    batch::delete_all(store, events.iter().filter_map(Key::of).collect()).await?;
    Ok(count)
}

/// Every event in the table (for the model's rebuild, a batch job): a `Scan` filtered
/// to events, page after page.
pub async fn scan_all(store: &Store) -> Result<Vec<EventItem>, StoreError> {
    let items: Vec<Item> = store
        .client()
        .scan()
        .table_name(store.table())
        .filter_expression("#kind = :event")
        .expression_attribute_names("#kind", "kind")
        .expression_attribute_values(":event", s(ItemKind::Event.name()))
        .into_paginator()
        .items()
        .send()
        .try_collect()
        .await
        .map_err(|e| unavailable(&e))?;
    items.iter().map(decode).collect()
}
