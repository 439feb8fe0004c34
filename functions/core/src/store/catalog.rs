//! Catalog items (`ITEM#<sku>` / `ITEM`), listed on GSI1 under `CATALOG` featured
//! first, then by SKU (`<rank>#<sku>`), and the seed that writes them with their
//! search index ([`super::catalog_index`]) and a version marker
//! (`CATALOG#VERSION` / `VERSION`).

use super::batch;
use super::catalog_index;
use super::codec::{Item as RawItem, decode, decode_owned, encode, s};
use super::keys::{self, CATALOG_GSI1PK, GSI1, ITEM_SK, ItemKind, Key};
use super::{Store, StoreError};
use crate::domain::catalog::CatalogItem;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// One item as DynamoDB sends it (kept under this name for callers).
pub type Item = RawItem;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CatalogRecord {
    #[serde(rename = "PK")]
    pub pk: String,
    #[serde(rename = "SK")]
    pub sk: String,
    #[serde(rename = "GSI1PK")]
    pub gsi1pk: String,
    #[serde(rename = "GSI1SK")]
    pub gsi1sk: String,
    pub kind: String,
    /// One of the hand-made items of `infra/catalog.json` (listed first).
    #[serde(default)]
    pub featured: bool,
    pub item: CatalogItem,
}

impl CatalogRecord {
    /// A featured item's record.
    pub fn new(item: &CatalogItem) -> Self {
        Self::ranked(item, true)
    }

    pub fn ranked(item: &CatalogItem, featured: bool) -> Self {
        Self {
            pk: keys::item_pk(&item.sku),
            sk: ITEM_SK.into(),
            gsi1pk: CATALOG_GSI1PK.into(),
            gsi1sk: keys::catalog_rank_sk(featured, &item.sku),
            kind: ItemKind::CatalogItem.name().into(),
            featured,
            item: item.clone(),
        }
    }
}

/// Write every item with its index rows, all as featured (overwriting what is there,
/// so seeding twice is harmless) with `BatchWriteItem`. No version marker: see
/// [`load`].
pub async fn seed(store: &Store, items: &[CatalogItem]) -> Result<usize, StoreError> {
    write_items(store, items, &[]).await?;
    Ok(items.len())
}

/// A whole catalog to load: the featured items (rank first in every list), the
/// imported rest, and a version naming exactly this content.
#[derive(Debug, Clone, Copy)]
pub struct CatalogSeed<'a> {
    pub featured: &'a [CatalogItem],
    pub imported: &'a [CatalogItem],
    pub version: &'a str,
}

/// What [`load`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seeded {
    pub items: usize,
    /// Items written: the items, their index rows and the marker (0 when skipped).
    pub written: usize,
    /// The table already held this version: nothing was written.
    pub skipped: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct VersionRecord {
    #[serde(rename = "PK")]
    pk: String,
    #[serde(rename = "SK")]
    sk: String,
    kind: String,
    version: String,
    items: usize,
}

/// The version the table holds and its item count, if a seed finished there.
pub async fn loaded(store: &Store) -> Result<Option<(String, usize)>, StoreError> {
    let Some(item) = super::get_item(store, &Key::catalog_version()).await? else {
        return Ok(None);
    };
    let record = decode_owned::<VersionRecord>(item)?;
    Ok(Some((record.version, record.items)))
}

/// Load a catalog unless the table already holds its version: every item and index
/// row in batches of 25 (unprocessed items sent again), then the version marker, last,
/// so an interrupted load is redone whole next time. Loading adds and overwrites; it
/// never deletes (an item dropped from a later catalog stays quotable).
pub async fn load(store: &Store, seed: CatalogSeed<'_>) -> Result<Seeded, StoreError> {
    let items = seed.featured.len() + seed.imported.len();
    if let Some((version, items)) = loaded(store).await?
        && version == seed.version
    {
        return Ok(Seeded {
            items,
            written: 0,
            skipped: true,
        });
    }
    let written = write_items(store, seed.featured, seed.imported).await?;
    let marker = VersionRecord {
        pk: Key::catalog_version().pk,
        sk: Key::catalog_version().sk,
        kind: ItemKind::CatalogVersion.name().into(),
        version: seed.version.into(),
        items,
    };
    batch::put_all(store, vec![encode(&marker)?]).await?;
    Ok(Seeded {
        items,
        written: written + 1,
        skipped: false,
    })
}

/// Concurrent batch writers: two halve the load's time on the emulator without its
/// calls queueing past their timeout on a busy 2-core machine.
const WRITERS: usize = 2;

async fn write_items(
    store: &Store,
    featured: &[CatalogItem],
    imported: &[CatalogItem],
) -> Result<usize, StoreError> {
    let ranked = || {
        let featured = featured.iter().map(|i| (i, true));
        featured.chain(imported.iter().map(|i| (i, false)))
    };
    let mut records = ranked()
        .map(|(item, featured)| encode(&CatalogRecord::ranked(item, featured)))
        .collect::<Result<Vec<_>, _>>()?;
    for row in catalog_index::word_rows(ranked()) {
        records.push(encode(&row)?);
    }
    let written = records.len();
    let share = written.div_ceil(WRITERS).max(1);
    let mut writers = tokio::task::JoinSet::new();
    while !records.is_empty() {
        let rest = records.split_off(share.min(records.len()));
        let lane = std::mem::replace(&mut records, rest);
        let store = store.clone();
        writers.spawn(async move { batch::put_all(&store, lane).await });
    }
    while let Some(done) = writers.join_next().await {
        done.map_err(|e| StoreError::Unavailable(format!("seed writer: {e}")))??;
    }
    Ok(written)
}

/// The whole catalog, featured items first, then by SKU (Query on GSI1, every page).
pub async fn list(store: &Store) -> Result<Vec<CatalogItem>, StoreError> {
    let items: Vec<Item> = super::query_all(
        store
            .client()
            .query()
            .table_name(store.table())
            .index_name(GSI1)
            .key_condition_expression("GSI1PK = :pk")
            .expression_attribute_values(":pk", s(CATALOG_GSI1PK)),
    )
    .await?;
    items
        .iter()
        .map(|item| decode::<CatalogRecord>(item).map(|r| r.item))
        .collect()
}

/// One Query on GSI1: up to `limit` items of the listing after the one whose GSI1
/// sort key is `after` (featured ones only when asked), in order, and whether
/// DynamoDB stopped before the end.
pub async fn list_page(
    store: &Store,
    featured_only: bool,
    after: Option<&str>,
    limit: i32,
) -> Result<(Vec<CatalogRecord>, bool), StoreError> {
    let mut query = store
        .client()
        .query()
        .table_name(store.table())
        .index_name(GSI1)
        .expression_attribute_values(":pk", s(CATALOG_GSI1PK))
        .limit(limit);
    query = if featured_only {
        query
            .key_condition_expression("GSI1PK = :pk AND begins_with(GSI1SK, :featured)")
            .expression_attribute_values(":featured", s(&keys::catalog_rank_sk(true, "")))
    } else {
        query.key_condition_expression("GSI1PK = :pk")
    };
    if let Some(after) = after {
        query = query.set_exclusive_start_key(Some(list_start(after)?));
    }
    let page = query.send().await.map_err(|e| super::unavailable(&e))?;
    let more = page.last_evaluated_key().is_some_and(|k| !k.is_empty());
    let records = page
        .items
        .unwrap_or_default()
        .into_iter()
        .map(decode_owned::<CatalogRecord>)
        .collect::<Result<Vec<_>, _>>()?;
    Ok((records, more))
}

/// The listing's cursor: the GSI1 sort key of the last item looked at.
pub fn list_cursor(gsi1sk: &str) -> String {
    super::cursor::encode(&Item::from([
        (keys::GSI1PK.to_string(), s(CATALOG_GSI1PK)),
        (keys::GSI1SK.to_string(), s(gsi1sk)),
    ]))
}

/// The listing position a cursor stands for, if it is one (of the featured items
/// only, when `featured_only`).
pub fn list_position(cursor: &str, featured_only: bool) -> Option<String> {
    let map = super::cursor::decode(cursor)?;
    let at = map.get(keys::GSI1SK)?;
    let shaped = at.split_once('#').is_some_and(|(rank, sku)| {
        (rank == "0" || (rank == "1" && !featured_only)) && crate::domain::catalog::is_sku(sku)
    });
    let valid = map.len() == 2 && map.get(keys::GSI1PK)? == CATALOG_GSI1PK && shaped;
    valid.then(|| at.clone())
}

/// The start key after the item listed under `gsi1sk` (`<rank>#<sku>`).
fn list_start(gsi1sk: &str) -> Result<Item, StoreError> {
    let sku = gsi1sk
        .split_once('#')
        .map(|(_, sku)| sku)
        .ok_or_else(|| super::codec::corrupt("a listing position without a SKU"))?;
    let key = Key::catalog_item(sku);
    Ok(Item::from([
        (keys::PK.to_string(), s(&key.pk)),
        (keys::SK.to_string(), s(&key.sk)),
        (keys::GSI1PK.to_string(), s(CATALOG_GSI1PK)),
        (keys::GSI1SK.to_string(), s(gsi1sk)),
    ]))
}

/// The items for `skus` that exist, by SKU (one BatchGetItem per 100 SKUs).
pub async fn get_many(
    store: &Store,
    skus: &[String],
) -> Result<HashMap<String, CatalogItem>, StoreError> {
    let keys = skus.iter().map(|sku| Key::catalog_item(sku)).collect();
    batch::get_all(store, keys)
        .await?
        .into_iter()
        .map(|item| decode_owned::<CatalogRecord>(item).map(|r| (r.item.sku.clone(), r.item)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_are_keyed_by_sku_and_listed_under_catalog() {
        let items = crate::domain::catalog::bundled().unwrap();
        let record = CatalogRecord::new(&items[0]);
        assert_eq!(record.pk, format!("ITEM#{}", items[0].sku));
        assert_eq!(
            (record.sk.as_str(), record.gsi1pk.as_str()),
            ("ITEM", "CATALOG")
        );
        let item = encode(&record).unwrap();
        assert_eq!(item["kind"], s("catalog_item"));
        let back: CatalogRecord = decode(&item).unwrap();
        assert_eq!(back, record);
    }
}
