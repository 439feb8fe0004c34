//! Catalog items (`ITEM#<sku>` / `ITEM`), listed on GSI1 under `CATALOG` by SKU.

use super::batch;
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
    pub item: CatalogItem,
}

impl CatalogRecord {
    pub fn new(item: &CatalogItem) -> Self {
        Self {
            pk: keys::item_pk(&item.sku),
            sk: ITEM_SK.into(),
            gsi1pk: CATALOG_GSI1PK.into(),
            gsi1sk: item.sku.clone(),
            kind: ItemKind::CatalogItem.name().into(),
            item: item.clone(),
        }
    }
}

/// Write every item (overwriting what is there, so seeding twice is harmless) with
/// `BatchWriteItem`.
pub async fn seed(store: &Store, items: &[CatalogItem]) -> Result<usize, StoreError> {
    let records = items
        .iter()
        .map(|item| encode(&CatalogRecord::new(item)))
        .collect::<Result<Vec<_>, _>>()?;
    batch::put_all(store, records).await?;
    Ok(items.len())
}

/// The whole catalog, by SKU (Query on GSI1, every page).
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
