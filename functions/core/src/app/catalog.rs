//! `GET /api/catalog`: the catalog page by page, searched by word prefix in either
//! language and filtered by topic, need and featured. Every page is ONE Query: the
//! items on GSI1 (featured first, then by SKU), or for a search the word rows of the
//! catalog index ([`crate::store::catalog_index`]).
//!
//! A plain listing reads `limit + 1` items, so `next_cursor` is given exactly when
//! more remain. A filtered listing or a search reads more than it shows (rows that do
//! not match are dropped) and continues from the first item it did not show; when what
//! it read runs out first, the page may be shorter than `limit` and still carry a
//! `next_cursor`.

use super::{App, AppError};
use crate::domain::catalog::{CatalogItem, NEEDS};
use crate::domain::catalog_words::Query;
use crate::site_config;
use crate::store::catalog::{self as catalog_store, CatalogRecord};
use crate::store::catalog_index::{self, Entry, Position};
use serde::Serialize;
use std::collections::HashMap;
use utoipa::ToSchema;

pub const DEFAULT_CATALOG_PAGE: u32 = 50;
pub const MAX_CATALOG_PAGE: u32 = 100;
pub const MAX_QUERY_CHARS: usize = 100;
/// Items a filtered listing reads in one Query (about 1 KB each: well under 1 MB).
const FILTERED_READ: i32 = 400;
/// Word rows a search reads in one Query (at most `CHUNK` items each): twice the
/// page's worth, at least 3 (rows of short words can hold few matches).
fn word_rows_to_read(limit: u32) -> i32 {
    let rows = (2 * limit as usize).div_ceil(catalog_index::CHUNK) + 1;
    i32::try_from(rows.max(3)).unwrap_or(3)
}

/// One page of the catalog.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[schema(as = Catalog)]
pub struct CatalogPage {
    /// Featured items first, then by SKU; for a search, by the matching word.
    pub items: Vec<CatalogItem>,
    /// Pass as `cursor` (with the same other parameters) for the next page; `null`
    /// when nothing more remains.
    pub next_cursor: Option<String>,
}

/// The query parameters, as the OpenAPI document lists them (the use case reads them
/// from the query string itself, to name the field at fault).
#[derive(Debug, Clone, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct CatalogParams {
    /// Words to find, in English or Spanish: each must begin a word of the item's name
    /// (`hea` finds "heart"); accents and case do not matter.
    #[param(max_length = 100)]
    q: Option<String>,
    /// Only items for this topic.
    #[param(schema_with = crate::openapi::rules::topic, required = false)]
    topic: Option<String>,
    /// Only items serving this need.
    #[param(schema_with = crate::openapi::rules::need, required = false)]
    need: Option<String>,
    /// Only the featured items (those with a hand-written description and Spanish name).
    featured: Option<bool>,
    /// Items per page (default 50).
    #[param(minimum = 1, maximum = 100)]
    limit: Option<u32>,
    /// `next_cursor` from the previous page of the same search.
    #[param(max_length = 1000)]
    cursor: Option<String>,
}

/// What a request asks for, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Ask {
    query: Option<Query>,
    topic: Option<String>,
    need: Option<String>,
    featured: bool,
    limit: u32,
}

fn bad(field: &'static str, detail: &'static str) -> AppError {
    AppError::BadQuery { field, detail }
}

fn ask(params: &HashMap<String, String>) -> Result<Ask, AppError> {
    let get = |name: &str| params.get(name).map(|v| v.trim()).filter(|v| !v.is_empty());
    let query = match get("q") {
        Some(q) if q.chars().count() > MAX_QUERY_CHARS => {
            return Err(bad("q", "q must be at most 100 characters."));
        }
        // A query without a letter or digit is no query: the listing.
        Some(q) => Query::parse(q),
        None => None,
    };
    let topic = get("topic")
        .map(|t| {
            site_config::facts()
                .is_topic(t)
                .then(|| t.to_string())
                .ok_or(bad("topic", "topic must be one of the site's topic ids."))
        })
        .transpose()?;
    let need = get("need")
        .map(|n| {
            NEEDS
                .contains(&n)
                .then(|| n.to_string())
                .ok_or(bad("need", "need must be gift, home, event or business."))
        })
        .transpose()?;
    let featured = match get("featured") {
        None | Some("false") => false,
        Some("true") => true,
        Some(_) => return Err(bad("featured", "featured must be true or false.")),
    };
    let limit = super::paging::limit(
        get("limit"),
        DEFAULT_CATALOG_PAGE,
        MAX_CATALOG_PAGE,
        "limit must be a whole number from 1 to 100.",
    )?
    .unsigned_abs();
    Ok(Ask {
        query,
        topic,
        need,
        featured,
        limit,
    })
}

impl Ask {
    /// Whether an item answers the topic, need and featured filters.
    fn fits(&self, item: &CatalogItem, featured: bool) -> bool {
        let has = |list: &[String], wanted: &Option<String>| {
            wanted.as_ref().is_none_or(|w| list.contains(w))
        };
        (!self.featured || featured)
            && has(&item.topics, &self.topic)
            && has(&item.needs, &self.need)
    }

    /// Whether a search keeps an entry of the row for `word`: every query word
    /// matches, and it is the item's one entry (under its first word the key begins).
    fn keeps(&self, query: &Query, word: &str, entry: &Entry) -> bool {
        let first = entry
            .words
            .iter()
            .find(|w| w.starts_with(query.key.as_str()));
        first.is_some_and(|w| w == word)
            && query.matches(&entry.words)
            && self.fits(&entry.item, entry.featured)
    }
}

fn bad_cursor() -> AppError {
    bad(
        "cursor",
        "cursor must be a next_cursor value from a previous page of the same search.",
    )
}

/// One page of the catalog for these query parameters (`q`, `topic`, `need`,
/// `featured`, `limit`, `cursor`).
pub async fn browse(app: &App, params: &HashMap<String, String>) -> Result<CatalogPage, AppError> {
    let ask = ask(params)?;
    let cursor = params
        .get("cursor")
        .map(String::as_str)
        .filter(|c| !c.is_empty());
    match &ask.query {
        Some(query) => search(app, &ask, query, cursor).await,
        None => listing(app, &ask, cursor).await,
    }
}

async fn listing(app: &App, ask: &Ask, cursor: Option<&str>) -> Result<CatalogPage, AppError> {
    let after = match cursor {
        None => None,
        Some(c) => Some(catalog_store::list_position(c, ask.featured).ok_or_else(bad_cursor)?),
    };
    let filtered = ask.topic.is_some() || ask.need.is_some();
    let read = if filtered {
        FILTERED_READ
    } else {
        ask.limit as i32 + 1
    };
    let (records, more) =
        catalog_store::list_page(&app.store, ask.featured, after.as_deref(), read).await?;
    let mut shown: Vec<&CatalogRecord> = Vec::new();
    let mut full = false;
    for record in records.iter().filter(|r| ask.fits(&r.item, r.featured)) {
        if shown.len() == ask.limit as usize {
            full = true;
            break;
        }
        shown.push(record);
    }
    let next_cursor = if full {
        shown.last().map(|r| catalog_store::list_cursor(&r.gsi1sk))
    } else if more {
        records
            .last()
            .map(|r| catalog_store::list_cursor(&r.gsi1sk))
    } else {
        None
    };
    Ok(CatalogPage {
        items: shown.into_iter().map(|r| r.item.clone()).collect(),
        next_cursor,
    })
}

async fn search(
    app: &App,
    ask: &Ask,
    query: &Query,
    cursor: Option<&str>,
) -> Result<CatalogPage, AppError> {
    let from = match cursor {
        None => None,
        Some(c) => Some(Position::from_cursor(c, &query.key).ok_or_else(bad_cursor)?),
    };
    let (rows, more) = catalog_index::read_words(
        &app.store,
        &query.key,
        from.as_ref(),
        word_rows_to_read(ask.limit),
    )
    .await?;
    let mut items = Vec::new();
    let mut next = None;
    'rows: for row in &rows {
        let skip = from
            .as_ref()
            .filter(|p| p.sk == row.sk)
            .map_or(0, |p| p.skip);
        for (i, entry) in row.entries.iter().enumerate().skip(skip) {
            if !ask.keeps(query, &row.word, entry) {
                continue;
            }
            if items.len() == ask.limit as usize {
                next = Some(Position {
                    sk: row.sk.clone(),
                    skip: i,
                });
                break 'rows;
            }
            items.push(entry.item.clone());
        }
    }
    if next.is_none() && more {
        // Go on after the last row read: it is read again, every entry skipped.
        next = rows.last().map(|row| Position {
            sk: row.sk.clone(),
            skip: row.entries.len(),
        });
    }
    Ok(CatalogPage {
        items,
        next_cursor: next.map(|p| p.cursor(&query.key)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn field(result: Result<Ask, AppError>) -> &'static str {
        match result {
            Err(AppError::BadQuery { field, .. }) => field,
            other => panic!("expected a bad query, got {other:?}"),
        }
    }

    #[test]
    fn parameters_are_checked_one_by_one() {
        let plain = ask(&params(&[])).unwrap();
        assert_eq!(
            (plain.limit, plain.featured, plain.query),
            (DEFAULT_CATALOG_PAGE, false, None)
        );
        assert_eq!(field(ask(&params(&[("limit", "0")]))), "limit");
        assert_eq!(field(ask(&params(&[("limit", "101")]))), "limit");
        assert_eq!(field(ask(&params(&[("limit", "ten")]))), "limit");
        assert_eq!(field(ask(&params(&[("topic", "weapons")]))), "topic");
        assert_eq!(field(ask(&params(&[("need", "world-peace")]))), "need");
        assert_eq!(field(ask(&params(&[("featured", "yes")]))), "featured");
        assert_eq!(field(ask(&params(&[("q", &"a".repeat(101))]))), "q");
        let searched = ask(&params(&[
            ("q", " Corazón "),
            ("topic", "home_decor"),
            ("need", "home"),
            ("featured", "true"),
        ]))
        .unwrap();
        assert_eq!(searched.query.unwrap().key, "corazon");
        assert_eq!(
            ask(&params(&[("q", " -- ")])).unwrap().query,
            None,
            "no word: the listing"
        );
    }

    #[test]
    fn a_search_keeps_one_entry_per_item_and_needs_every_word() {
        let items = crate::domain::catalog::bundled().unwrap();
        let rows = catalog_index::word_rows(items.iter().map(|i| (i, true)));
        let kept = |q: &str| {
            let ask = ask(&params(&[("q", q)])).unwrap();
            let query = ask.query.clone().unwrap();
            rows.iter()
                .flat_map(|r| r.entries.iter().map(move |e| (r, e)))
                .filter(|(r, e)| e.item.sku == "85123A" && ask.keeps(&query, &r.word, e))
                .map(|(r, _)| r.word.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(
            kept("h"),
            vec!["hanging".to_string()],
            "hanging, heart, holder: one entry"
        );
        assert_eq!(kept("heart"), vec!["heart".to_string()]);
        assert_eq!(kept("corazón blanco"), vec!["corazon".to_string()]);
        assert!(kept("heart lantern").is_empty());
        let kitchen = ask(&params(&[("q", "heart"), ("topic", "kitchen")])).unwrap();
        let holder = items.iter().find(|i| i.sku == "85123A").unwrap();
        assert!(
            !kitchen.fits(holder, true),
            "a home decoration, not kitchen"
        );
        let featured = ask(&params(&[("featured", "true")])).unwrap();
        assert!(featured.fits(holder, true) && !featured.fits(holder, false));
    }
}
