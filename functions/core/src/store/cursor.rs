//! Opaque page cursors: base64url of the last evaluated key's string attributes. The
//! reader of a cursor checks that the key it stands for is one of the caller's own.

use super::codec::{Item, decode_owned, s};
use super::{Store, StoreError, unavailable};
use aws_sdk_dynamodb::operation::query::QueryOutput;
use aws_sdk_dynamodb::types::AttributeValue;
use base64::Engine;
use serde::de::DeserializeOwned;
use std::collections::{BTreeMap, HashMap};

/// One page and the key to continue from (as an opaque cursor).
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
}

impl<T> Page<T> {
    /// The page for `items`, continuing after `last` (none when DynamoDB gave no key).
    pub(crate) fn after(items: Vec<T>, last: Option<&Item>) -> Self {
        Page {
            items,
            next_cursor: last.filter(|k| !k.is_empty()).map(encode),
        }
    }
}

impl<T: DeserializeOwned> Page<T> {
    /// The page a Query answered: its items decoded, continuing after its last key.
    pub(crate) fn decoded(output: &QueryOutput) -> Result<Self, StoreError> {
        let items = output
            .items()
            .iter()
            .cloned()
            .map(decode_owned)
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Page::after(items, output.last_evaluated_key()))
    }
}

/// Which end of a partition a page starts from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Order {
    OldestFirst,
    NewestFirst,
}

/// One page of a partition (`PK` = `pk`, and `SK` beginning with `sk_prefix` when
/// given), decoded, from `start` (a key the caller has checked is its own): ONE
/// `Query`. The one paging read for every history shown a page at a time.
pub(crate) async fn query_page<T: DeserializeOwned>(
    store: &Store,
    pk: &str,
    sk_prefix: Option<&str>,
    order: Order,
    limit: i32,
    start: Option<Item>,
    consistent: bool,
) -> Result<Page<T>, StoreError> {
    let query = store
        .client()
        .query()
        .table_name(store.table())
        .expression_attribute_values(":pk", s(pk));
    let query = match sk_prefix {
        None => query.key_condition_expression("PK = :pk"),
        Some(prefix) => query
            .key_condition_expression("PK = :pk AND begins_with(SK, :prefix)")
            .expression_attribute_values(":prefix", s(prefix)),
    };
    let page = query
        .set_scan_index_forward((order == Order::NewestFirst).then_some(false))
        .set_consistent_read(consistent.then_some(true))
        .limit(limit)
        .set_exclusive_start_key(start)
        .send()
        .await
        .map_err(|e| unavailable(&e))?;
    Page::decoded(&page)
}

/// The cursor for the page after `last_key`.
pub fn encode(last_key: &Item) -> String {
    let map: BTreeMap<&str, &str> = last_key
        .iter()
        .filter_map(|(name, value)| Some((name.as_str(), value.as_s().ok()?.as_str())))
        .collect();
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(serde_json::to_vec(&map).unwrap_or_default())
}

/// The key attributes a cursor names, if it is well formed (the caller still checks
/// whose key it is).
pub fn decode(cursor: &str) -> Option<HashMap<String, String>> {
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(cursor)
        .ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// A checked key map back as a start key.
pub fn start_key(map: HashMap<String, String>) -> Item {
    map.into_iter()
        .map(|(name, value)| (name, AttributeValue::S(value)))
        .collect()
}

/// The start key of a cursor into one partition (`PK` = `pk`, `SK` beginning with
/// `sk_prefix`), or `None` for anything else: a cursor cannot reach another
/// customer's items.
pub fn in_partition(cursor: &str, pk: &str, sk_prefix: &str) -> Option<Item> {
    let map = decode(cursor)?;
    let valid = map.len() == 2
        && map.get(super::keys::PK)? == pk
        && map.get(super::keys::SK)?.starts_with(sk_prefix);
    valid.then(|| start_key(map))
}

/// The start key of a cursor into one GSI1 partition (`GSI1PK` = `gsi1pk`, `GSI1SK`
/// beginning with `gsi1sk_prefix`) over items whose `PK` begins with `pk_prefix` and
/// whose `SK` is `sk`; `None` for anything else.
pub fn in_index(
    cursor: &str,
    gsi1pk: &str,
    gsi1sk_prefix: &str,
    pk_prefix: &str,
    sk: &str,
) -> Option<Item> {
    use super::keys::{GSI1PK, GSI1SK, PK, SK};
    let map = decode(cursor)?;
    let valid = map.len() == 4
        && map.get(GSI1PK)? == gsi1pk
        && map.get(GSI1SK)?.starts_with(gsi1sk_prefix)
        && map.get(PK)?.starts_with(pk_prefix)
        && map.get(SK)? == sk;
    valid.then(|| start_key(map))
}

/// The start key for an optional cursor text, checked by `check`: `Some(None)` for
/// the first page, `None` for a cursor that is not one of the caller's (the caller
/// answers "no such page").
pub fn checked(
    cursor_text: Option<&str>,
    check: impl FnOnce(&str) -> Option<Item>,
) -> Option<Option<Item>> {
    match cursor_text {
        None => Some(None),
        Some(text) => check(text).map(Some),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::codec::s;

    #[test]
    fn a_partition_cursor_reads_back_only_in_its_partition() {
        let last: Item = HashMap::from([
            ("PK".into(), s("TIMELINE#C1")),
            ("SK".into(), s("ENTRY#2026#x")),
        ]);
        let cursor = encode(&last);
        assert_eq!(in_partition(&cursor, "TIMELINE#C1", "ENTRY#"), Some(last));
        assert_eq!(in_partition(&cursor, "TIMELINE#C2", "ENTRY#"), None);
        assert_eq!(in_partition(&cursor, "TIMELINE#C1", "CONSENT#"), None);
        assert_eq!(in_partition("%%", "TIMELINE#C1", "ENTRY#"), None);
    }

    #[test]
    fn an_index_cursor_reads_back_only_for_its_index_partition_and_items() {
        let last: Item = HashMap::from([
            ("GSI1PK".into(), s("DUE#open")),
            ("GSI1SK".into(), s("2026-11-29T10:00:00Z#R1")),
            ("PK".into(), s("REQUEST#R1")),
            ("SK".into(), s("REQUEST")),
        ]);
        let cursor = encode(&last);
        let read = |gsi1pk, pk_prefix, sk| in_index(&cursor, gsi1pk, "2026", pk_prefix, sk);
        assert_eq!(read("DUE#open", "REQUEST#", "REQUEST"), Some(last.clone()));
        assert_eq!(read("DUE#closed", "REQUEST#", "REQUEST"), None);
        assert_eq!(read("DUE#open", "QUOTE#", "REQUEST"), None);
        assert_eq!(read("DUE#open", "REQUEST#", "ORDER"), None);
        assert_eq!(in_index(&cursor, "DUE#open", "2027", "", "REQUEST"), None);
        // A partition cursor (two attributes) is not an index cursor.
        let two: Item =
            HashMap::from([("PK".into(), s("REQUEST#R1")), ("SK".into(), s("REQUEST"))]);
        assert_eq!(in_index(&encode(&two), "DUE#open", "", "", "REQUEST"), None);
        assert_eq!(checked(None, |_| None), Some(None));
        assert_eq!(checked(Some("x"), |_| None), None);
        assert_eq!(checked(Some("x"), |_| Some(last.clone())), Some(Some(last)));
    }
}
