//! Catalog items (`ITEM#<sku>` / `ITEM`), listed on GSI1 under `CATALOG` by SKU.

use super::keys::{self, CATALOG_GSI1PK, ITEM_SK};
use super::{Store, StoreError, unavailable};
use crate::domain::catalog::CatalogItem;
use aws_sdk_dynamodb::types::{AttributeValue, KeysAndAttributes, PutRequest, WriteRequest};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::time::Duration;

pub type Item = HashMap<String, AttributeValue>;

/// BatchWriteItem takes at most 25 requests, BatchGetItem at most 100 keys.
const WRITE_BATCH: usize = 25;
const GET_BATCH: usize = 100;
const BATCH_ATTEMPTS: u32 = 8;

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
            kind: "catalog_item".into(),
            item: item.clone(),
        }
    }
}

pub(crate) fn key(pk: String, sk: &str) -> Item {
    HashMap::from([
        (keys::PK.to_string(), AttributeValue::S(pk)),
        (keys::SK.to_string(), AttributeValue::S(sk.to_string())),
    ])
}

pub(crate) fn item_key(sku: &str) -> Item {
    key(keys::item_pk(sku), ITEM_SK)
}

pub(crate) fn decode<T: serde::de::DeserializeOwned>(item: Item) -> Result<T, StoreError> {
    serde_dynamo::from_item(item).map_err(|e| StoreError::Corrupt(e.to_string()))
}

/// Write every item (overwriting what is there, so seeding twice is harmless) with
/// BatchWriteItem, 25 at a time, retrying unprocessed items.
pub async fn seed(store: &Store, items: &[CatalogItem]) -> Result<usize, StoreError> {
    for chunk in items.chunks(WRITE_BATCH) {
        let mut requests = Vec::with_capacity(chunk.len());
        for item in chunk {
            let record = serde_dynamo::to_item(CatalogRecord::new(item))
                .map_err(|e| StoreError::Corrupt(e.to_string()))?;
            let put = PutRequest::builder()
                .set_item(Some(record))
                .build()
                .map_err(|e| StoreError::Corrupt(e.to_string()))?;
            requests.push(WriteRequest::builder().put_request(put).build());
        }
        let mut attempt = 0;
        while !requests.is_empty() {
            attempt += 1;
            if attempt > BATCH_ATTEMPTS {
                return Err(StoreError::Unavailable(
                    "catalog seed: items left unprocessed".into(),
                ));
            }
            let output = store
                .client()
                .batch_write_item()
                .request_items(store.table(), requests)
                .send()
                .await
                .map_err(|e| unavailable(&e))?;
            requests = output
                .unprocessed_items()
                .and_then(|m| m.get(store.table()))
                .cloned()
                .unwrap_or_default();
            if !requests.is_empty() {
                tokio::time::sleep(Duration::from_millis(20 << attempt.min(6))).await;
            }
        }
    }
    Ok(items.len())
}

/// The whole catalog, by SKU (Query on GSI1, every page).
pub async fn list(store: &Store) -> Result<Vec<CatalogItem>, StoreError> {
    let mut items = Vec::new();
    let mut start: Option<Item> = None;
    loop {
        let page = store
            .client()
            .query()
            .table_name(store.table())
            .index_name("GSI1")
            .key_condition_expression("GSI1PK = :pk")
            .expression_attribute_values(":pk", AttributeValue::S(CATALOG_GSI1PK.into()))
            .set_exclusive_start_key(start.take())
            .send()
            .await
            .map_err(|e| unavailable(&e))?;
        for item in page.items() {
            items.push(decode::<CatalogRecord>(item.clone())?.item);
        }
        match page.last_evaluated_key() {
            Some(key) if !key.is_empty() => start = Some(key.clone()),
            _ => return Ok(items),
        }
    }
}

/// Read `keys` (any items of the table) with strongly consistent BatchGetItem calls,
/// retrying unprocessed keys. Missing items are simply absent from the answer.
pub(crate) async fn batch_get(store: &Store, keys: Vec<Item>) -> Result<Vec<Item>, StoreError> {
    let mut found = Vec::new();
    for chunk in keys.chunks(GET_BATCH) {
        let mut pending = Some(
            KeysAndAttributes::builder()
                .set_keys(Some(chunk.to_vec()))
                .consistent_read(true)
                .build()
                .map_err(|e| StoreError::Corrupt(e.to_string()))?,
        );
        let mut attempt = 0;
        while let Some(request) = pending.take() {
            attempt += 1;
            if attempt > BATCH_ATTEMPTS {
                return Err(StoreError::Unavailable(
                    "batch get: keys left unprocessed".into(),
                ));
            }
            let output = store
                .client()
                .batch_get_item()
                .request_items(store.table(), request)
                .send()
                .await
                .map_err(|e| unavailable(&e))?;
            if let Some(items) = output.responses().and_then(|r| r.get(store.table())) {
                found.extend(items.iter().cloned());
            }
            pending = output
                .unprocessed_keys()
                .and_then(|m| m.get(store.table()))
                .filter(|k| !k.keys().is_empty())
                .cloned();
            if pending.is_some() {
                tokio::time::sleep(Duration::from_millis(20 << attempt.min(6))).await;
            }
        }
    }
    Ok(found)
}

/// The items for `skus` that exist, by SKU (one BatchGetItem per 100 SKUs).
pub async fn get_many(
    store: &Store,
    skus: &[String],
) -> Result<HashMap<String, CatalogItem>, StoreError> {
    let keys = skus.iter().map(|s| item_key(s)).collect();
    batch_get(store, keys)
        .await?
        .into_iter()
        .map(|item| decode::<CatalogRecord>(item).map(|r| (r.item.sku.clone(), r.item)))
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
        let item = serde_dynamo::to_item::<_, Item>(&record).unwrap();
        let back: CatalogRecord = decode(item).unwrap();
        assert_eq!(back, record);
    }
}
