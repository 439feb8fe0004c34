//! Quotes (`QUOTE#<id>` / `QUOTE`; a member's are on GSI1 under `CUSTOMER#<id>` /
//! `QUOTE#<time>`), their number claims (`QUOTENO#<number>`) and idempotency records
//! (`IDEMPOTENCY#<hash>` / `IDEMPOTENCY`, `ttl` one day).
//!
//! Creating a quote is one `TransactWriteItems`: the quote, its number claim and (with
//! an `Idempotency-Key`) the idempotency record, each `attribute_not_exists`. Of any
//! number of concurrent requests with one key, exactly one transaction commits; the
//! others find the record and replay its stored response.

use super::catalog::{CatalogRecord, Item, batch_get, decode, item_key, key};
use super::customers::ProfileItem;
use super::keys::{self, IDEMPOTENCY_SK, PROFILE_SK, QUOTE_NUMBER_SK, QUOTE_SK};
use super::{Cancelled, Store, StoreError, cancellation, unavailable};
use crate::domain::catalog::CatalogItem;
use crate::domain::quote::Quote;
use aws_sdk_dynamodb::types::{
    AttributeValue, ConditionCheck, Put, ReturnValue, TransactWriteItem, Update,
};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::time::Duration;

/// Idempotency records expire (DynamoDB TTL) a day after the first request.
pub const IDEMPOTENCY_TTL_SECONDS: i64 = 24 * 60 * 60;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuoteItem {
    #[serde(rename = "PK")]
    pub pk: String,
    #[serde(rename = "SK")]
    pub sk: String,
    #[serde(rename = "GSI1PK", default, skip_serializing_if = "Option::is_none")]
    pub gsi1pk: Option<String>,
    #[serde(rename = "GSI1SK", default, skip_serializing_if = "Option::is_none")]
    pub gsi1sk: Option<String>,
    pub kind: String,
    /// Hash of a visitor's link token; the token itself is never stored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_hash: Option<String>,
    pub quote: Quote,
    /// DynamoDB TTL for a visitor's quote: kept 12 months (as the privacy policy says)
    /// unless accepted, which removes it. Members' quotes live as long as the account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ttl: Option<i64>,
}

/// A visitor's quote is kept this long after it is issued.
pub const VISITOR_QUOTE_TTL_SECONDS: i64 = 365 * 24 * 60 * 60;

impl QuoteItem {
    pub fn new(quote: &Quote, token_hash: Option<String>) -> Self {
        let member = quote.customer_id.as_deref();
        Self {
            pk: keys::quote_pk(&quote.id),
            sk: QUOTE_SK.into(),
            gsi1pk: member.map(keys::customer_pk),
            gsi1sk: member.map(|_| keys::quote_gsi1sk(&quote.created_at)),
            kind: "quote".into(),
            token_hash,
            quote: quote.clone(),
            ttl: member.is_none().then(|| {
                time::OffsetDateTime::parse(
                    &quote.created_at,
                    &time::format_description::well_known::Rfc3339,
                )
                .map(|at| at.unix_timestamp())
                .unwrap_or_else(|_| time::OffsetDateTime::now_utc().unix_timestamp())
                    + VISITOR_QUOTE_TTL_SECONDS
            }),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct QuoteNumberItem {
    #[serde(rename = "PK")]
    pk: String,
    #[serde(rename = "SK")]
    sk: String,
    kind: String,
    quote_id: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IdempotencyItem {
    #[serde(rename = "PK")]
    pub pk: String,
    #[serde(rename = "SK")]
    pub sk: String,
    pub kind: String,
    /// Hash of the request the key was first used with.
    pub request_hash: String,
    pub quote_id: String,
    /// The first response's body (JSON text, without secrets).
    pub response: String,
    /// Expiry, seconds since the Unix epoch.
    pub ttl: i64,
}

impl IdempotencyItem {
    /// Still in force at `now_unix` (TTL deletion can lag by hours).
    pub fn is_live(&self, now_unix: i64) -> bool {
        self.ttl > now_unix
    }
}

/// An idempotency record to write with a new quote.
#[derive(Debug, Clone)]
pub struct NewIdempotency {
    pub key_hash: String,
    pub request_hash: String,
    pub response: String,
    pub now_unix: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CreateQuoteError {
    /// The idempotency key was used first by another request: read its record.
    KeyTaken,
    /// The quote id or number is already taken: retry with a new id.
    Clash,
    Store(StoreError),
}

impl From<StoreError> for CreateQuoteError {
    fn from(e: StoreError) -> Self {
        CreateQuoteError::Store(e)
    }
}

fn corrupt(e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(e.to_string())
}

fn put<T: Serialize>(
    store: &Store,
    item: &T,
    condition: &str,
    names: HashMap<String, String>,
    values: HashMap<String, AttributeValue>,
) -> Result<TransactWriteItem, StoreError> {
    let put = Put::builder()
        .table_name(store.table())
        .set_item(Some(serde_dynamo::to_item(item).map_err(corrupt)?))
        .condition_expression(condition)
        .set_expression_attribute_names((!names.is_empty()).then_some(names))
        .set_expression_attribute_values((!values.is_empty()).then_some(values))
        .build()
        .map_err(corrupt)?;
    Ok(TransactWriteItem::builder().put(put).build())
}

/// Position of the idempotency record in the create transaction.
const IDEMPOTENCY_INDEX: usize = 2;

/// Write the quote, its number claim and (optionally) the idempotency record in one
/// transaction.
pub async fn create(
    store: &Store,
    item: &QuoteItem,
    idempotency: Option<&NewIdempotency>,
) -> Result<(), CreateQuoteError> {
    const NEW: &str = "attribute_not_exists(PK)";
    let claim = QuoteNumberItem {
        pk: keys::quote_number_pk(&item.quote.number),
        sk: QUOTE_NUMBER_SK.into(),
        kind: "quote_number".into(),
        quote_id: item.quote.id.clone(),
    };
    let mut writes = vec![
        put(store, item, NEW, HashMap::new(), HashMap::new())?,
        put(store, &claim, NEW, HashMap::new(), HashMap::new())?,
    ];
    if let Some(idem) = idempotency {
        let record = IdempotencyItem {
            pk: keys::idempotency_pk(&idem.key_hash),
            sk: IDEMPOTENCY_SK.into(),
            kind: "idempotency".into(),
            request_hash: idem.request_hash.clone(),
            quote_id: item.quote.id.clone(),
            response: idem.response.clone(),
            ttl: idem.now_unix + IDEMPOTENCY_TTL_SECONDS,
        };
        // An expired record that TTL has not yet removed may be replaced.
        writes.push(put(
            store,
            &record,
            "attribute_not_exists(PK) OR #ttl <= :now",
            HashMap::from([("#ttl".into(), "ttl".into())]),
            HashMap::from([(":now".into(), AttributeValue::N(idem.now_unix.to_string()))]),
        )?);
    }

    let mut attempt = 0u64;
    loop {
        attempt += 1;
        let result = store
            .client()
            .transact_write_items()
            .set_transact_items(Some(writes.clone()))
            .send()
            .await;
        let error = match result {
            Ok(_) => return Ok(()),
            Err(error) => error,
        };
        match cancellation(&error) {
            Some(Cancelled::ConditionFailed(failed)) if failed.contains(&IDEMPOTENCY_INDEX) => {
                return Err(CreateQuoteError::KeyTaken);
            }
            Some(Cancelled::ConditionFailed(_)) => return Err(CreateQuoteError::Clash),
            Some(Cancelled::Conflict) if attempt < 6 => {
                tokio::time::sleep(Duration::from_millis(10 * attempt)).await;
            }
            _ => return Err(unavailable(&error).into()),
        }
    }
}

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
    let mut wanted: Vec<Item> = skus.iter().map(|s| item_key(s)).collect();
    if let Some(id) = customer_id {
        wanted.push(key(keys::customer_pk(id), PROFILE_SK));
    }
    if let Some(hash) = idempotency_key_hash {
        wanted.push(key(keys::idempotency_pk(hash), IDEMPOTENCY_SK));
    }
    let mut out = Prefetched::default();
    for item in batch_get(store, wanted).await? {
        match item
            .get("kind")
            .and_then(|k| k.as_s().ok())
            .map(String::as_str)
        {
            Some("catalog_item") => {
                let record: CatalogRecord = decode(item)?;
                out.items.insert(record.item.sku.clone(), record.item);
            }
            Some("customer") => out.profile = Some(decode(item)?),
            Some("idempotency") => out.idempotency = Some(decode(item)?),
            _ => return Err(corrupt("unexpected item kind in a quote prefetch")),
        }
    }
    Ok(out)
}

/// The idempotency record for `key_hash` (strongly consistent).
pub async fn get_idempotency(
    store: &Store,
    key_hash: &str,
) -> Result<Option<IdempotencyItem>, StoreError> {
    let output = store
        .client()
        .get_item()
        .table_name(store.table())
        .set_key(Some(key(keys::idempotency_pk(key_hash), IDEMPOTENCY_SK)))
        .consistent_read(true)
        .send()
        .await
        .map_err(|e| unavailable(&e))?;
    output.item.map(decode).transpose()
}

/// A quote, and the profile of `customer_id` when given, in one BatchGetItem.
pub async fn get(
    store: &Store,
    quote_id: &str,
    customer_id: Option<&str>,
) -> Result<(Option<QuoteItem>, Option<ProfileItem>), StoreError> {
    let mut wanted = vec![key(keys::quote_pk(quote_id), QUOTE_SK)];
    if let Some(id) = customer_id {
        wanted.push(key(keys::customer_pk(id), PROFILE_SK));
    }
    let mut quote = None;
    let mut profile = None;
    for item in batch_get(store, wanted).await? {
        match item
            .get("kind")
            .and_then(|k| k.as_s().ok())
            .map(String::as_str)
        {
            Some("quote") => quote = Some(decode(item)?),
            Some("customer") => profile = Some(decode(item)?),
            _ => return Err(corrupt("unexpected item kind in a quote read")),
        }
    }
    Ok((quote, profile))
}

/// One page of a member's quotes, newest first (Query on GSI1), and the key to
/// continue from.
pub async fn list_for_customer(
    store: &Store,
    customer_id: &str,
    limit: i32,
    start: Option<Item>,
) -> Result<(Vec<Quote>, Option<Item>), StoreError> {
    let page = store
        .client()
        .query()
        .table_name(store.table())
        .index_name("GSI1")
        .key_condition_expression("GSI1PK = :pk AND begins_with(GSI1SK, :quote)")
        .expression_attribute_values(":pk", AttributeValue::S(keys::customer_pk(customer_id)))
        .expression_attribute_values(":quote", AttributeValue::S("QUOTE#".into()))
        .scan_index_forward(false)
        .limit(limit)
        .set_exclusive_start_key(start)
        .send()
        .await
        .map_err(|e| unavailable(&e))?;
    let quotes = page
        .items()
        .iter()
        .map(|item| decode::<QuoteItem>(item.clone()).map(|q| q.quote))
        .collect::<Result<Vec<_>, _>>()?;
    let next = page.last_evaluated_key().filter(|k| !k.is_empty()).cloned();
    Ok((quotes, next))
}

/// The opaque cursor for the page after `last_key`: base64url of its key attributes.
pub fn encode_cursor(last_key: &Item) -> String {
    use base64::Engine;
    let map: std::collections::BTreeMap<&str, &str> = last_key
        .iter()
        .filter_map(|(name, value)| Some((name.as_str(), value.as_s().ok()?.as_str())))
        .collect();
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(serde_json::to_vec(&map).unwrap_or_default())
}

/// The start key a cursor stands for, if it is a well-formed cursor into
/// `customer_id`'s own quote list; `None` for anything else.
pub fn decode_cursor(cursor: &str, customer_id: &str) -> Option<Item> {
    use base64::Engine;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(cursor)
        .ok()?;
    let map: HashMap<String, String> = serde_json::from_slice(&bytes).ok()?;
    let valid = map.len() == 4
        && map.get("GSI1PK")? == &keys::customer_pk(customer_id)
        && map.get("GSI1SK")?.starts_with("QUOTE#")
        && map.get("PK")?.starts_with("QUOTE#")
        && map.get("SK")? == QUOTE_SK;
    valid.then(|| {
        map.into_iter()
            .map(|(name, value)| (name, AttributeValue::S(value)))
            .collect()
    })
}

/// Who accepts a quote.
#[derive(Debug, Clone)]
pub enum Acceptor<'a> {
    /// The signed-in owner, whose session epoch must still be current.
    Owner { customer_id: &'a str, epoch: u64 },
    /// A visitor holding the link token (by its hash).
    TokenHolder { token_hash: &'a str },
}

/// Turn an issued, unexpired quote into `accepted`, on condition that `by` may and that
/// it is still issued and valid at `now`. `Ok(false)` when a condition did not hold
/// (the caller reads the quote to say which).
pub async fn accept(
    store: &Store,
    quote_id: &str,
    now: &str,
    by: Acceptor<'_>,
) -> Result<bool, StoreError> {
    let names = HashMap::from([
        ("#q".to_string(), "quote".to_string()),
        ("#status".to_string(), "status".to_string()),
        ("#accepted_at".to_string(), "accepted_at".to_string()),
        ("#valid_until".to_string(), "valid_until".to_string()),
        // TTL is a reserved word.
        ("#ttl".to_string(), "ttl".to_string()),
    ]);
    let mut values = HashMap::from([
        (":issued".to_string(), AttributeValue::S("issued".into())),
        (
            ":accepted".to_string(),
            AttributeValue::S("accepted".into()),
        ),
        (":now".to_string(), AttributeValue::S(now.into())),
    ]);
    // An accepted quote is an order request the business keeps: no more expiry.
    const UPDATE: &str = "SET #q.#status = :accepted, #q.#accepted_at = :now REMOVE #ttl";
    const STILL_OPEN: &str =
        "attribute_exists(PK) AND #q.#status = :issued AND #q.#valid_until > :now";
    let quote_key = key(keys::quote_pk(quote_id), QUOTE_SK);
    match by {
        Acceptor::TokenHolder { token_hash } => {
            values.insert(":token".into(), AttributeValue::S(token_hash.into()));
            let result = store
                .client()
                .update_item()
                .table_name(store.table())
                .set_key(Some(quote_key))
                .update_expression(UPDATE)
                .condition_expression(format!("{STILL_OPEN} AND token_hash = :token"))
                .set_expression_attribute_names(Some(names))
                .set_expression_attribute_values(Some(values))
                .return_values(ReturnValue::None)
                .send()
                .await;
            match result {
                Ok(_) => Ok(true),
                Err(error) if super::is_condition_failure(&error) => Ok(false),
                Err(error) => Err(unavailable(&error)),
            }
        }
        Acceptor::Owner { customer_id, epoch } => {
            values.insert(":cid".into(), AttributeValue::S(customer_id.into()));
            let update = Update::builder()
                .table_name(store.table())
                .set_key(Some(quote_key))
                .update_expression(UPDATE)
                .condition_expression(format!("{STILL_OPEN} AND #q.customer_id = :cid"))
                .set_expression_attribute_names(Some(names))
                .set_expression_attribute_values(Some(values))
                .build()
                .map_err(corrupt)?;
            let check = ConditionCheck::builder()
                .table_name(store.table())
                .set_key(Some(key(keys::customer_pk(customer_id), PROFILE_SK)))
                .condition_expression("session_epoch = :epoch")
                .expression_attribute_values(":epoch", AttributeValue::N(epoch.to_string()))
                .build()
                .map_err(corrupt)?;
            let result = store
                .client()
                .transact_write_items()
                .transact_items(TransactWriteItem::builder().condition_check(check).build())
                .transact_items(TransactWriteItem::builder().update(update).build())
                .send()
                .await;
            match result {
                Ok(_) => Ok(true),
                Err(error) if super::is_condition_failure(&error) => Ok(false),
                Err(error) => Err(unavailable(&error)),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::pricing;
    use crate::domain::quote::Contact;

    fn quote(customer: Option<&str>) -> Quote {
        let items = crate::domain::catalog::bundled().unwrap();
        let priced = pricing::price(&[(&items[0], 2)], "GB", customer.is_some()).unwrap();
        Quote::issue(
            &ulid::Ulid::new(),
            time::OffsetDateTime::now_utc(),
            customer.map(String::from),
            Contact {
                name: "Ana".into(),
                email: "ana@example.com".into(),
            },
            "GB".into(),
            priced,
        )
    }

    #[test]
    fn cursors_round_trip_only_for_their_owner() {
        let last: Item = HashMap::from([
            ("PK".into(), AttributeValue::S("QUOTE#Q1".into())),
            ("SK".into(), AttributeValue::S("QUOTE".into())),
            ("GSI1PK".into(), AttributeValue::S("CUSTOMER#C1".into())),
            ("GSI1SK".into(), AttributeValue::S("QUOTE#2026".into())),
        ]);
        let cursor = encode_cursor(&last);
        assert_eq!(decode_cursor(&cursor, "C1"), Some(last));
        assert_eq!(decode_cursor(&cursor, "C2"), None);
        assert_eq!(decode_cursor("not base64!", "C1"), None);
        assert_eq!(decode_cursor("e30", "C1"), None); // {}
    }

    #[test]
    fn members_quotes_are_indexed_visitors_are_not() {
        let member = QuoteItem::new(&quote(Some("C1")), None);
        assert_eq!(member.gsi1pk.as_deref(), Some("CUSTOMER#C1"));
        assert!(member.gsi1sk.as_deref().unwrap().starts_with("QUOTE#20"));
        let visitor = QuoteItem::new(&quote(None), Some("h".into()));
        let item: Item = serde_dynamo::to_item(&visitor).unwrap();
        // No NULL index keys: DynamoDB refuses a non-string GSI key attribute.
        assert!(!item.contains_key("GSI1PK") && !item.contains_key("GSI1SK"));
        assert_eq!(decode::<QuoteItem>(item).unwrap(), visitor);
    }
}
