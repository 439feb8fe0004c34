//! The catalog's search index, written by the seed beside the items, so a page of
//! `GET /api/catalog?q=` is ONE Query:
//!
//! `CATWORD#<first character>` / `<word>#<chunk>`: for each distinct word of the
//! items' names ([`index_words`]), the items holding it, in chunks of at most
//! [`CHUNK`], featured items first, then by SKU. A word prefix `p` is the key range
//! from `p` to `p` followed by the highest character, in the partition of its first
//! character. Each entry carries the whole item (what a result shows and a quote line
//! needs) and its index words (the caller requires every query word and keeps one
//! entry per item).
//!
//! Rows hold many items each because the local emulator's writes slow down with every
//! row already written (its stream numbering scans the stream): one row per word
//! keeps the full catalog's load to seconds. Only the seed writes these rows, and it
//! rewrites the items with them, so copies never drift from the items.

use super::codec::{Item, decode_owned, s};
use super::keys::{self, ItemKind, PK, SK};
use super::{Store, StoreError, cursor, unavailable};
use crate::domain::catalog::CatalogItem;
use crate::domain::catalog_words::index_words;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Entries per word row (about 1 KB each): small enough that a page reads little
/// more than it shows, large enough that the load stays quick.
pub const CHUNK: usize = 25;
/// Sorts after every character a folded word holds.
const HIGHEST: char = '\u{10FFFF}';

/// One item under one word.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    /// Every index word of the item, sorted.
    pub words: Vec<String>,
    pub featured: bool,
    pub item: CatalogItem,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WordRow {
    #[serde(rename = "PK")]
    pub pk: String,
    #[serde(rename = "SK")]
    pub sk: String,
    pub kind: String,
    pub word: String,
    pub entries: Vec<Entry>,
}

/// The words an item is found by: its English name, and its Spanish one when real.
pub fn words_of(item: &CatalogItem) -> Vec<String> {
    let mut names = vec![item.name.en.as_str()];
    if item.name_es_lang.is_none() {
        names.push(item.name.es.as_str());
    }
    index_words(&names)
}

/// The word rows of a whole catalog (`featured`: whether each item is).
pub fn word_rows<'a>(items: impl IntoIterator<Item = (&'a CatalogItem, bool)>) -> Vec<WordRow> {
    let mut by_word: BTreeMap<String, Vec<Entry>> = BTreeMap::new();
    for (item, featured) in items {
        let words = words_of(item);
        for word in &words {
            by_word.entry(word.clone()).or_default().push(Entry {
                words: words.clone(),
                featured,
                item: item.clone(),
            });
        }
    }
    let mut rows = Vec::new();
    for (word, mut entries) in by_word {
        entries.sort_by(|a, b| (!a.featured, &a.item.sku).cmp(&(!b.featured, &b.item.sku)));
        for (n, chunk) in entries.chunks(CHUNK).enumerate() {
            rows.push(WordRow {
                pk: keys::catalog_word_pk(&word),
                sk: keys::catalog_word_sk(&word, n),
                kind: ItemKind::CatalogWord.name().into(),
                word: word.clone(),
                entries: chunk.to_vec(),
            });
        }
    }
    rows
}

/// Where a search goes on: a row (by its sort key) and how many of its entries were
/// already looked at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Position {
    pub sk: String,
    pub skip: usize,
}

impl Position {
    /// The cursor for this position of the search for `prefix`.
    pub fn cursor(&self, prefix: &str) -> String {
        let map = Item::from([
            (PK.to_string(), s(&keys::catalog_word_pk(prefix))),
            (SK.to_string(), s(&self.sk)),
            ("skip".to_string(), s(&self.skip.to_string())),
        ]);
        cursor::encode(&map)
    }

    /// The position a cursor stands for, if it is one of the search for `prefix`.
    pub fn from_cursor(cursor: &str, prefix: &str) -> Option<Position> {
        let map = cursor::decode(cursor)?;
        let sk = map.get(SK)?;
        let valid = map.len() == 3
            && map.get(PK)? == &keys::catalog_word_pk(prefix)
            && sk.starts_with(prefix);
        let skip = map.get("skip")?.parse().ok().filter(|&n| n <= CHUNK)?;
        valid.then(|| Position {
            sk: sk.clone(),
            skip,
        })
    }
}

/// One Query: up to `rows` word rows for words beginning with `prefix`, from `from`
/// on (inclusive), and whether DynamoDB stopped before the end of the range.
pub async fn read_words(
    store: &Store,
    prefix: &str,
    from: Option<&Position>,
    rows: i32,
) -> Result<(Vec<WordRow>, bool), StoreError> {
    let low = from.map_or_else(|| prefix.to_string(), |p| p.sk.clone());
    let page = store
        .client()
        .query()
        .table_name(store.table())
        .key_condition_expression("#pk = :pk AND #sk BETWEEN :low AND :high")
        .expression_attribute_names("#pk", PK)
        .expression_attribute_names("#sk", SK)
        .expression_attribute_values(":pk", s(&keys::catalog_word_pk(prefix)))
        .expression_attribute_values(":low", s(&low))
        .expression_attribute_values(":high", s(&format!("{prefix}{HIGHEST}")))
        .limit(rows)
        .send()
        .await
        .map_err(|e| unavailable(&e))?;
    let more = page.last_evaluated_key().is_some_and(|k| !k.is_empty());
    let rows = page
        .items
        .unwrap_or_default()
        .into_iter()
        .map(decode_owned::<WordRow>)
        .collect::<Result<Vec<_>, _>>()?;
    Ok((rows, more))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::catalog::bundled;

    #[test]
    fn each_word_lists_its_items_featured_first() {
        let items = bundled().unwrap();
        let mut extra = items.iter().find(|i| i.sku == "22469").unwrap().clone();
        extra.sku = "00001".into();
        let all: Vec<(&CatalogItem, bool)> = items
            .iter()
            .map(|i| (i, true))
            .chain([(&extra, false)])
            .collect();
        let rows = word_rows(all);
        let heart = rows.iter().find(|r| r.word == "heart").unwrap();
        assert_eq!(
            (heart.pk.as_str(), heart.sk.as_str()),
            ("CATWORD#h", "heart#000")
        );
        let skus: Vec<&str> = heart.entries.iter().map(|e| e.item.sku.as_str()).collect();
        assert!(skus.contains(&"85123A"));
        assert_eq!(
            skus.last(),
            Some(&"00001"),
            "not featured: after the featured"
        );
        assert!(
            rows.iter().any(|r| r.word == "corazon"),
            "real Spanish names count"
        );
        let words: Vec<&str> = rows.iter().map(|r| r.word.as_str()).collect();
        let mut sorted = words.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(words, sorted, "one row per word when under a chunk");
    }

    #[test]
    fn cursors_stay_in_their_search() {
        let at = Position {
            sk: "heart#000".into(),
            skip: 3,
        };
        let cursor = at.cursor("hea");
        assert_eq!(Position::from_cursor(&cursor, "hea"), Some(at.clone()));
        assert_eq!(Position::from_cursor(&cursor, "heart"), Some(at));
        assert_eq!(
            Position::from_cursor(&cursor, "lantern"),
            None,
            "another word"
        );
        assert_eq!(Position::from_cursor(&cursor, "hearty"), None);
        assert_eq!(Position::from_cursor("garbage", "hea"), None);
    }
}
