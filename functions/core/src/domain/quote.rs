//! Quotes: the request, its rules, and the issued quote.
//!
//! Rules (every violation is reported at once, each naming its field by JSON pointer):
//! - 1 to [`MAX_LINES`] lines; each line a catalog SKU and a quantity within that
//!   item's `min_quantity..=max_quantity`.
//! - **Duplicate SKUs are rejected** (`/lines/3/sku`), not merged: merging would change
//!   the tier a customer sees on the line they typed, so they put the total on one line.
//! - One currency per quote: a line priced in another currency than the first is
//!   rejected (`/lines/N/sku`).
//! - `country` is required (tax depends on it). Visitors must give `contact.name` and
//!   `contact.email`. A signed-in customer need not send `contact` (the site does not);
//!   one that is sent is held to the same rules (422 otherwise), then ignored: the
//!   quote is made out to their account.
//!
//! **Quote numbers** are `Q-<year>-<XXXX>-<XXXX>`: the year it was issued and the first
//! eight characters (40 random bits) of the ULID's random part, in Crockford base 32
//! (no I, L, O, U: easy to read out on the phone). There is no counter to become a hot
//! spot; uniqueness is still guaranteed because a `QUOTENO#<number>` claim item is
//! written with `attribute_not_exists` in the quote's own transaction (a clash, about
//! one in a trillion per pair in a year, is retried with a new id).

use super::catalog::{self, CatalogItem};
use super::clock::Timestamp;
use super::customer::parse_display_name;
use super::email::Email;
use super::pricing::{self, PricedLine, PricedQuote, PricingError};
use super::validation::{FieldError, Violations};
use crate::site_config::SiteFacts;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use time::OffsetDateTime;
use utoipa::ToSchema;

pub const MAX_LINES: usize = 50;
/// A quote can be accepted for 30 days from issue.
pub const VALIDITY_DAYS: i64 = 30;

/// The body of `POST /api/quotes` as sent. Fields are optional so that missing ones are
/// reported together with every other problem.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QuoteRequest {
    #[schema(required = true, nullable = false, min_items = 1, max_items = 50)]
    pub lines: Option<Vec<LineRequest>>,
    #[schema(required = true, schema_with = crate::openapi::rules::country)]
    pub country: Option<String>,
    /// Required for visitors (no session): who the quote is for. Optional for a
    /// signed-in customer, whose account the quote is made out to: if sent, it must
    /// still be a valid contact (name and email), and is then ignored. `null` is as
    /// absent.
    pub contact: Option<ContactRequest>,
}

/// One line: a catalog SKU (once per quote) and a quantity within that item's
/// `min_quantity..=max_quantity` (the `anyOf`, one entry per item).
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LineRequest {
    #[schema(required = true, schema_with = crate::openapi::rules::sku)]
    pub sku: Option<String>,
    /// Signed, so that 0 or -3 is a rule violation (422) rather than a type error.
    #[serde(default, deserialize_with = "super::validation::whole_number")]
    #[schema(required = true, schema_with = crate::openapi::rules::quantity)]
    pub quantity: Option<i64>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ContactRequest {
    #[schema(required = true, schema_with = crate::openapi::rules::display_name)]
    pub name: Option<String>,
    #[schema(required = true, schema_with = crate::openapi::rules::email)]
    pub email: Option<String>,
}

/// Who a quote is made out to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Contact {
    pub name: String,
    pub email: String,
}

/// A request that passed the rules that need no catalog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedRequest {
    /// `(sku, quantity)` in request order, SKUs unique.
    pub lines: Vec<(String, u32)>,
    pub country: String,
    /// `Some` for visitors.
    pub contact: Option<Contact>,
}

/// The first pass: shape, limits, country, contact. `member` is whether the request is
/// signed in.
pub fn check_request(
    request: &QuoteRequest,
    member: bool,
    facts: &SiteFacts,
) -> Result<CheckedRequest, Vec<FieldError>> {
    let mut v = Violations::default();
    let mut lines: Vec<(String, u32)> = Vec::new();
    match &request.lines {
        None => v.add("/lines", "is required"),
        Some(list) if list.is_empty() => v.add("/lines", "needs at least one line"),
        Some(list) if list.len() > MAX_LINES => v.add(
            "/lines",
            format!(
                "has {} lines; a quote can have at most {MAX_LINES}",
                list.len()
            ),
        ),
        Some(list) => {
            let mut seen: HashMap<&str, usize> = HashMap::new();
            for (index, line) in list.iter().enumerate() {
                let sku = match line.sku.as_deref().map(str::trim) {
                    None | Some("") => {
                        v.add(format!("/lines/{index}/sku"), "is required");
                        None
                    }
                    Some(sku) if !catalog::is_sku(sku) => {
                        v.add(format!("/lines/{index}/sku"), "is not in the catalog");
                        None
                    }
                    Some(sku) => match seen.insert(sku, index) {
                        Some(first) => {
                            v.add(
                                format!("/lines/{index}/sku"),
                                format!(
                                    "is already on line {first}; put the whole quantity on one line"
                                ),
                            );
                            None
                        }
                        None => Some(sku),
                    },
                };
                let quantity = match line.quantity {
                    None => {
                        v.add(format!("/lines/{index}/quantity"), "is required");
                        None
                    }
                    Some(q) => match u32::try_from(q) {
                        Ok(q) if q >= 1 => Some(q),
                        _ => {
                            v.add(
                                format!("/lines/{index}/quantity"),
                                "must be a whole number of at least 1",
                            );
                            None
                        }
                    },
                };
                if let (Some(sku), Some(quantity)) = (sku, quantity) {
                    lines.push((sku.to_string(), quantity));
                }
            }
        }
    }
    let country = v
        .required(request.country.as_deref(), "/country")
        .and_then(|raw| {
            super::customer::parse_country(raw, facts)
                .map_err(|e| v.add("/country", e))
                .ok()
        });
    // A contact is checked whenever it is sent, by members too (the schema cannot say
    // "only for visitors", so it holds for everyone); a member's is then ignored.
    let contact = match &request.contact {
        None if member => None,
        None => {
            v.add(
                "/contact",
                "is required without an account: a name and an email to send the quote to",
            );
            None
        }
        Some(contact) => {
            let name = v
                .required(contact.name.as_deref(), "/contact/name")
                .and_then(|raw| {
                    parse_display_name(raw)
                        .map_err(|e| v.add("/contact/name", e))
                        .ok()
                });
            let email = v
                .required(contact.email.as_deref(), "/contact/email")
                .and_then(|raw| {
                    Email::parse(raw)
                        .map_err(|e| v.add("/contact/email", e))
                        .ok()
                });
            match (name, email) {
                (Some(name), Some(email)) if !member => Some(Contact {
                    name,
                    email: email.as_str().to_string(),
                }),
                _ => None,
            }
        }
    };
    match country {
        Some(country) if v.is_empty() => Ok(CheckedRequest {
            lines,
            country,
            contact,
        }),
        _ => Err(v.into_vec()),
    }
}

/// The second pass, with the stored catalog items for the request's SKUs: every SKU
/// known, every quantity within its item's limits, one currency; then price it.
pub fn price_request(
    request: &CheckedRequest,
    items: &HashMap<String, CatalogItem>,
    member: bool,
) -> Result<PricedQuote, Vec<FieldError>> {
    let mut v = Violations::default();
    let mut lines = Vec::with_capacity(request.lines.len());
    for (index, (sku, quantity)) in request.lines.iter().enumerate() {
        let Some(item) = items.get(sku) else {
            v.add(format!("/lines/{index}/sku"), "is not in the catalog");
            continue;
        };
        if *quantity < item.min_quantity || *quantity > item.max_quantity {
            v.add(
                format!("/lines/{index}/quantity"),
                format!(
                    "must be between {} and {} for this item",
                    item.min_quantity, item.max_quantity
                ),
            );
            continue;
        }
        lines.push((item, *quantity));
    }
    if !v.is_empty() {
        return Err(v.into_vec());
    }
    pricing::price(&lines, &request.country, member).map_err(|error| match error {
        PricingError::CurrencyMix {
            index,
            expected,
            found,
        } => vec![FieldError::new(
            format!("/lines/{index}/sku"),
            format!(
                "is priced in {found}; this quote is in {expected}, and a quote has one currency"
            ),
        )],
        PricingError::Overflow { index } => vec![FieldError::new(
            index.map_or("/lines".to_string(), |i| format!("/lines/{i}/quantity")),
            "makes the amount too large to quote",
        )],
        PricingError::NoLines => vec![FieldError::new("/lines", "needs at least one line")],
    })
}

/// The quote number for a quote id issued at `at` (see the module notes).
pub fn quote_number(id: &ulid::Ulid, at: OffsetDateTime) -> String {
    let text = id.to_string();
    // A ULID's text is 26 Crockford base-32 characters: 10 of time, 16 of randomness.
    let random = text.get(10..18).unwrap_or("00000000");
    let (a, b) = random.split_at(4);
    format!("Q-{}-{a}-{b}", at.year())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum QuoteStatus {
    Issued,
    Accepted,
}

/// The status a reader sees (see [`Quote::shown_status`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ShownStatus {
    Issued,
    Accepted,
    Expired,
}

/// An issued quote, as stored and (through [`Quote::view`]) as answered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quote {
    pub id: String,
    pub number: String,
    pub status: QuoteStatus,
    /// The signed-in customer's id; `None` for a visitor's quote.
    pub customer_id: Option<String>,
    pub customer: Contact,
    pub country: String,
    pub currency: String,
    pub lines: Vec<PricedLine>,
    pub subtotal_minor: u64,
    pub discount_rate_bp: u32,
    pub discount_minor: u64,
    pub tax_minor: u64,
    pub total_minor: u64,
    pub created_at: Timestamp,
    pub valid_until: Timestamp,
    pub accepted_at: Option<Timestamp>,
    /// The order request an accepted quote became (set in the acceptance).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order: Option<super::order::OrderState>,
}

impl Quote {
    pub fn issue(
        id: &ulid::Ulid,
        at: OffsetDateTime,
        customer_id: Option<String>,
        customer: Contact,
        country: String,
        priced: PricedQuote,
    ) -> Self {
        Quote {
            id: id.to_string(),
            number: quote_number(id, at),
            status: QuoteStatus::Issued,
            customer_id,
            customer,
            country,
            currency: priced.currency,
            lines: priced.lines,
            subtotal_minor: priced.subtotal_minor,
            discount_rate_bp: priced.discount_rate_bp,
            discount_minor: priced.discount_minor,
            tax_minor: priced.tax_minor,
            total_minor: priced.total_minor,
            created_at: Timestamp::at(at),
            valid_until: Timestamp::at(at) + time::Duration::days(VALIDITY_DAYS),
            accepted_at: None,
            order: None,
        }
    }

    /// Past its `valid_until` at `now`.
    pub fn is_expired(&self, now: Timestamp) -> bool {
        self.valid_until <= now
    }

    /// The status a reader sees: an issued quote past its date reads `expired`.
    pub fn shown_status(&self, now: Timestamp) -> ShownStatus {
        match self.status {
            QuoteStatus::Accepted => ShownStatus::Accepted,
            QuoteStatus::Issued if self.is_expired(now) => ShownStatus::Expired,
            QuoteStatus::Issued => ShownStatus::Issued,
        }
    }
}

#[cfg(test)]
#[path = "quote_tests.rs"]
mod tests;
