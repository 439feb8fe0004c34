//! What recommendations are made from: per item its neighbours (`ITEM#<sku>` /
//! `NEIGHBOURS`, top N co-occurring items with scores) and precomputed lists
//! (`RECS#popular`, `RECS#topic#<id>` / `LIST`). Each entry carries the item's name in
//! both languages, so a lookup answers from these items alone: the customer's events
//! (one `Query`), then the profile, the lists and the neighbours in one `BatchGetItem`.

use super::codec::{Item, decode, encode};
use super::customers::ProfileItem;
use super::keys::{ItemKind, Key};
use super::{Store, StoreError, batch};
use crate::domain::catalog::LocalText;
pub use crate::domain::recommend::Scored;
use serde::{Deserialize, Serialize};

/// An item's neighbours, best first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NeighboursItem {
    #[serde(rename = "PK")]
    pub pk: String,
    #[serde(rename = "SK")]
    pub sk: String,
    pub kind: String,
    pub sku: String,
    /// The item's own name (the reason "because you looked at X" names it).
    pub name: LocalText,
    pub neighbours: Vec<Scored>,
    pub updated_at: String,
}

impl NeighboursItem {
    pub fn new(sku: &str, name: LocalText, neighbours: Vec<Scored>, now: &str) -> Self {
        let key = Key::neighbours(sku);
        Self {
            pk: key.pk,
            sk: key.sk,
            kind: ItemKind::Neighbours.name().into(),
            sku: sku.into(),
            name,
            neighbours,
            updated_at: now.into(),
        }
    }
}

/// The name of the popularity list.
pub const POPULAR: &str = "popular";

/// The name of a topic's list.
pub fn topic_list(topic: &str) -> String {
    format!("topic#{topic}")
}

/// The name of a need's list.
pub fn need_list(need: &str) -> String {
    format!("need#{need}")
}

/// A precomputed list, best first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecsListItem {
    #[serde(rename = "PK")]
    pub pk: String,
    #[serde(rename = "SK")]
    pub sk: String,
    pub kind: String,
    pub list: String,
    pub items: Vec<Scored>,
    pub updated_at: String,
    /// On the popularity list: the score one fresh co-occurrence adds to a neighbour
    /// list (`ecrm_recs_model::Model::fresh_scale`), for the stream worker.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fresh_scale: Option<f32>,
}

impl RecsListItem {
    pub fn new(list: &str, items: Vec<Scored>, now: &str) -> Self {
        let key = Key::recs_list(list);
        Self {
            pk: key.pk,
            sk: key.sk,
            kind: ItemKind::RecsList.name().into(),
            list: list.into(),
            items,
            updated_at: now.into(),
            fresh_scale: None,
        }
    }
}

/// Everything one lookup reads after the events.
#[derive(Debug, Clone, Default)]
pub struct Inputs {
    pub profile: Option<ProfileItem>,
    pub neighbours: Vec<NeighboursItem>,
    pub lists: Vec<RecsListItem>,
}

/// The profile (when `customer_id`), the neighbours of `skus` and the `lists`, in one
/// `BatchGetItem` (at most 100 keys: callers keep `skus` and `lists` short).
pub async fn read(
    store: &Store,
    customer_id: Option<&str>,
    skus: &[String],
    lists: &[String],
) -> Result<Inputs, StoreError> {
    let mut wanted: Vec<Key> = Vec::new();
    wanted.extend(customer_id.map(Key::profile));
    wanted.extend(skus.iter().map(|sku| Key::neighbours(sku)));
    wanted.extend(lists.iter().map(|list| Key::recs_list(list)));
    let mut inputs = Inputs::default();
    for item in batch::get_all(store, wanted).await? {
        match ItemKind::of(&item) {
            Some(ItemKind::Profile) => inputs.profile = Some(decode(&item)?),
            Some(ItemKind::Neighbours) => inputs.neighbours.push(decode(&item)?),
            Some(ItemKind::RecsList) => inputs.lists.push(decode(&item)?),
            _ => {}
        }
    }
    Ok(inputs)
}

/// Write neighbour lists and precomputed lists, overwriting, in `BatchWriteItem` calls.
pub async fn write(
    store: &Store,
    neighbours: &[NeighboursItem],
    lists: &[RecsListItem],
) -> Result<(), StoreError> {
    let mut items: Vec<Item> = Vec::with_capacity(neighbours.len() + lists.len());
    for row in neighbours {
        items.push(encode(row)?);
    }
    for row in lists {
        items.push(encode(row)?);
    }
    batch::put_all(store, items).await
}

/// Whether any neighbour list is stored (the runner fits at start when none is).
pub async fn any_stored(store: &Store) -> Result<bool, StoreError> {
    let popular = super::get_item(store, &Key::recs_list(POPULAR)).await?;
    Ok(popular.is_some())
}
