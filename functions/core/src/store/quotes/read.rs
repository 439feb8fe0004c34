//! Reading quotes: what a quote request needs before pricing, one quote with its
//! owner's profile, and a member's quotes page by page behind an opaque cursor.

use super::{IdempotencyItem, QuoteItem};
use crate::domain::catalog::CatalogItem;
use crate::domain::quote::Quote;
use crate::store::batch;
use crate::store::catalog::{CatalogRecord, Item};
use crate::store::codec::{corrupt, decode_owned, s};
use crate::store::customers::ProfileItem;
use crate::store::keys::{self, GSI1, ItemKind, Key, QUOTE_GSI1SK_PREFIX, QUOTE_SK};
use crate::store::{Store, StoreError, unavailable};
use aws_sdk_dynamodb::operation::query::builders::QueryFluentBuilder;
use std::collections::HashMap;

/// What a quote request needs before it can be priced, read in one BatchGetItem: the
/// catalog items, the member's profile (for the session epoch and the name the quote is
/// made out to) and the idempotency record.
#[derive(Debug, Default)]
pub struct Prefetched {
    pub items: HashMap<String, CatalogItem>,
    pub profile: Option<ProfileItem>,
    pub idempotency: Option<IdempotencyItem>,
}

pub async fn prefetch(
    store: &Store,
    skus: &[String],
    customer_id: Option<&str>,
    idempotency_key_hash: Option<&str>,
) -> Result<Prefetched, StoreError> {
    let mut wanted: Vec<Key> = skus.iter().map(|sku| Key::catalog_item(sku)).collect();
    wanted.extend(customer_id.map(Key::profile));
    wanted.extend(idempotency_key_hash.map(Key::idempotency));
    let mut out = Prefetched::default();
    for item in batch::get_all(store, wanted).await? {
        match ItemKind::of(&item) {
            Some(ItemKind::CatalogItem) => {
                let record: CatalogRecord = decode_owned(item)?;
                out.items.insert(record.item.sku.clone(), record.item);
            }
            Some(ItemKind::Profile) => out.profile = Some(decode_owned(item)?),
            Some(ItemKind::Idempotency) => out.idempotency = Some(decode_owned(item)?),
            _ => return Err(corrupt("unexpected item kind in a quote prefetch")),
        }
    }
    Ok(out)
}

/// A quote, and the profile of `customer_id` when given, in one BatchGetItem.
pub async fn get(
    store: &Store,
    quote_id: &str,
    customer_id: Option<&str>,
) -> Result<(Option<QuoteItem>, Option<ProfileItem>), StoreError> {
    let mut wanted = vec![Key::quote(quote_id)];
    wanted.extend(customer_id.map(Key::profile));
    let mut quote = None;
    let mut profile = None;
    for item in batch::get_all(store, wanted).await? {
        match ItemKind::of(&item) {
            Some(ItemKind::Quote) => quote = Some(decode_owned(item)?),
            Some(ItemKind::Profile) => profile = Some(decode_owned(item)?),
            _ => return Err(corrupt("unexpected item kind in a quote read")),
        }
    }
    Ok((quote, profile))
}

/// The Query for a member's quotes on GSI1, oldest first; callers read one page or
/// every page.
pub(crate) fn customer_quotes(store: &Store, customer_id: &str) -> QueryFluentBuilder {
    quotes_under(store, &keys::customer_pk(customer_id))
}

/// The quotes indexed under one GSI1 partition (a customer, or a visitor's contact
/// email key).
pub(crate) fn quotes_under(store: &Store, gsi1pk: &str) -> QueryFluentBuilder {
    store
        .client()
        .query()
        .table_name(store.table())
        .index_name(GSI1)
        .key_condition_expression("GSI1PK = :pk AND begins_with(GSI1SK, :quote)")
        .expression_attribute_values(":pk", s(gsi1pk))
        .expression_attribute_values(":quote", s(QUOTE_GSI1SK_PREFIX))
}

/// One page of a member's quotes, newest first, and the key to continue from. One
/// page only: the route shows a page at a time.
pub async fn list_for_customer(
    store: &Store,
    customer_id: &str,
    limit: i32,
    start: Option<Item>,
) -> Result<(Vec<Quote>, Option<Item>), StoreError> {
    let page = customer_quotes(store, customer_id)
        .scan_index_forward(false)
        .limit(limit)
        .set_exclusive_start_key(start)
        .send()
        .await
        .map_err(|e| unavailable(&e))?;
    let next = page.last_evaluated_key().filter(|k| !k.is_empty()).cloned();
    let quotes = page
        .items
        .unwrap_or_default()
        .into_iter()
        .map(|item| decode_owned::<QuoteItem>(item).map(|q| q.quote))
        .collect::<Result<Vec<_>, _>>()?;
    Ok((quotes, next))
}

/// The opaque cursor for the page after `last_key` (see `store::cursor`).
pub fn encode_cursor(last_key: &Item) -> String {
    crate::store::cursor::encode(last_key)
}

/// The start key a cursor stands for, if it is a well-formed cursor into
/// `customer_id`'s own quote list; `None` for anything else.
pub fn decode_cursor(cursor: &str, customer_id: &str) -> Option<Item> {
    crate::store::cursor::in_index(
        cursor,
        &keys::customer_pk(customer_id),
        QUOTE_GSI1SK_PREFIX,
        ItemKind::Quote.pk_prefix(),
        QUOTE_SK,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_only_for_their_owner() {
        let last: Item = HashMap::from([
            ("PK".into(), s("QUOTE#Q1")),
            ("SK".into(), s("QUOTE")),
            ("GSI1PK".into(), s("CUSTOMER#C1")),
            ("GSI1SK".into(), s("QUOTE#2026")),
        ]);
        let cursor = encode_cursor(&last);
        assert_eq!(decode_cursor(&cursor, "C1"), Some(last));
        assert_eq!(decode_cursor(&cursor, "C2"), None);
        assert_eq!(decode_cursor("not base64!", "C1"), None);
        assert_eq!(decode_cursor("e30", "C1"), None); // {}
    }
}
