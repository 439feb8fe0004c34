//! Quotes (`QUOTE#<id>` / `QUOTE`; a member's are on GSI1 under `CUSTOMER#<id>` /
//! `QUOTE#<time>`), their number claims (`QUOTENO#<number>`) and idempotency records
//! (`IDEMPOTENCY#<hash>` / `IDEMPOTENCY`, `ttl` one day).
//!
//! Creating a quote is one `TransactWriteItems`: the quote, its number claim and (with
//! an `Idempotency-Key`) the idempotency record, each `attribute_not_exists`. Of any
//! number of concurrent requests with one key, exactly one transaction commits; the
//! others find the record and replay its stored response.
//!
//! Reads are in `read`, acceptance in `accept`, idempotency records in `idempotency`.

mod accept;
mod idempotency;
mod read;

pub use accept::{Acceptor, accept};
pub use idempotency::{IDEMPOTENCY_TTL_SECONDS, IdempotencyItem, NewIdempotency, get_idempotency};
pub use read::{Prefetched, decode_cursor, encode_cursor, get, list_for_customer, prefetch};
pub(crate) use read::{customer_quotes, quotes_under};

use super::codec::n;
use super::keys::{self, ItemKind, QUOTE_NUMBER_SK, QUOTE_SK};
use super::timeline::{self, TimelineEntry, what};
use super::transact::{self, NEW, TransactError, transact_with_retry};
use super::update::Expr;
use super::{Store, StoreError};
use crate::domain::quote::Quote;
use serde::{Deserialize, Serialize};

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
    /// The idempotency record made with this quote (it holds a copy of the answer, so
    /// erasure removes it with the quote).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub idempotency_pk: Option<String>,
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
            gsi1sk: member.map(|_| keys::quote_gsi1sk(&quote.created_at.to_string())),
            kind: ItemKind::Quote.name().into(),
            token_hash,
            idempotency_pk: None,
            quote: quote.clone(),
            ttl: member
                .is_none()
                .then(|| quote.created_at.unix() + VISITOR_QUOTE_TTL_SECONDS),
        }
    }
}

impl QuoteItem {
    /// A visitor's quote is indexed under their contact email's key (GSI1
    /// `CONTACT#<key>`), so it can be found when that person's data is erased or
    /// exported. Members' quotes are indexed under the customer already.
    pub fn with_contact_key(mut self, email_key: &str) -> Self {
        if self.quote.customer_id.is_none() {
            self.gsi1pk = Some(keys::contact_pk(email_key));
            self.gsi1sk = Some(keys::quote_gsi1sk(&self.quote.created_at.to_string()));
        }
        self
    }

    /// Record the idempotency record written with this quote.
    pub fn with_idempotency(mut self, key_hash: &str) -> Self {
        self.idempotency_pk = Some(keys::idempotency_pk(key_hash));
        self
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

/// Position of the idempotency record in the create transaction.
const IDEMPOTENCY_INDEX: usize = 2;

/// Write the quote, its number claim and (optionally) the idempotency record in one
/// transaction.
pub async fn create(
    store: &Store,
    item: &QuoteItem,
    idempotency: Option<&NewIdempotency>,
) -> Result<(), CreateQuoteError> {
    create_with_events(store, item, idempotency, &[], &[]).await
}

/// [`create`], plus the member's behaviour events for the quote's lines, which go in
/// only while the profile grants personalisation (checked in the same transaction; a
/// withdrawal in between writes the quote without them).
pub async fn create_with_events(
    store: &Store,
    item: &QuoteItem,
    idempotency: Option<&NewIdempotency>,
    events: &[super::events::EventItem],
    mails: &[super::outbox::OutboxItem],
) -> Result<(), CreateQuoteError> {
    let claim = QuoteNumberItem {
        pk: keys::quote_number_pk(&item.quote.number),
        sk: QUOTE_NUMBER_SK.into(),
        kind: ItemKind::QuoteNumber.name().into(),
        quote_id: item.quote.id.clone(),
    };
    let mut writes = vec![
        transact::put_new(store, item)?,
        transact::put_new(store, &claim)?,
    ];
    if let Some(idem) = idempotency {
        let record = idem.record(&item.quote.id);
        // An expired record that TTL has not yet removed may be replaced.
        let mut e = Expr::new();
        let ttl = e.name("ttl");
        e.condition(format!("{NEW} OR {ttl} <= :now"))
            .bind(":now", n(idem.now_unix));
        writes.push(transact::put(store, &record, &e)?);
    }
    // Appended last: the positions above are what cancellation reasons are read by.
    if let Some(customer_id) = &item.quote.customer_id {
        let entry = TimelineEntry::new(
            customer_id,
            &item.quote.created_at.to_string(),
            what::QUOTE_REQUESTED,
        )
        .with("quote_id", &item.quote.id)
        .with("number", &item.quote.number);
        writes.push(timeline::write(store, &entry)?);
    }
    // The quote's mail goes with it.
    for mail in mails {
        writes.push(transact::put_new(store, mail)?);
    }
    let consent_index = writes.len();
    if let Some(customer_id) = item.quote.customer_id.as_deref() {
        writes.extend(super::events::writes_for(store, customer_id, events)?);
    }
    match transact_with_retry(store, writes).await {
        Ok(()) => Ok(()),
        Err(TransactError::ConditionFailed(c)) if c.failed(IDEMPOTENCY_INDEX) => {
            Err(CreateQuoteError::KeyTaken)
        }
        Err(TransactError::ConditionFailed(c)) if !events.is_empty() && c.failed(consent_index) => {
            Box::pin(create_with_events(store, item, idempotency, &[], mails)).await
        }
        Err(TransactError::ConditionFailed(_)) => Err(CreateQuoteError::Clash),
        Err(TransactError::Store(e)) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::pricing;
    use crate::domain::quote::Contact;
    use crate::store::codec::{decode, encode};

    pub(super) fn quote(customer: Option<&str>) -> Quote {
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
    fn members_quotes_are_indexed_visitors_are_not() {
        let member = QuoteItem::new(&quote(Some("C1")), None);
        assert_eq!(member.gsi1pk.as_deref(), Some("CUSTOMER#C1"));
        assert!(member.gsi1sk.as_deref().unwrap().starts_with("QUOTE#20"));
        let visitor = QuoteItem::new(&quote(None), Some("h".into()));
        let item = encode(&visitor).unwrap();
        // No NULL index keys: DynamoDB refuses a non-string GSI key attribute.
        assert!(!item.contains_key("GSI1PK") && !item.contains_key("GSI1SK"));
        assert_eq!(decode::<QuoteItem>(&item).unwrap(), visitor);
    }
}
