//! Behaviour events: what a signed-in customer looked at or asked a price for, kept only
//! while they grant the `personalisation` consent, and only to recommend items to them.
//!
//! `POST /api/events` takes a batch of [`EventInput`]; quotes add [`EventKind::QuoteRequested`]
//! and [`EventKind::QuoteAccepted`] events themselves.

use super::catalog::{MAX_SKU_CHARS, NEEDS};
use super::validation::FieldError;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Most events one request may carry (a page sends what it saw since the last send).
pub const MAX_EVENTS_PER_REQUEST: usize = 20;

/// A SKU as events carry it: five digits, then up to 27 upper-case letters or digits
/// (the retailer's stock codes, e.g. `85123A`). Unknown SKUs are kept but never
/// recommended (no item has neighbours for them).
pub const SKU_PATTERN: &str = "^[0-9]{5}[A-Z0-9]{0,27}$";

/// What happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// The customer opened an item (sent by the site).
    ItemViewed,
    /// The customer browsed a need ("gift", "home", …) (sent by the site).
    NeedViewed,
    /// The customer put an item on a quote they are preparing (sent by the site).
    QuoteDraftAdded,
    /// A line of a quote the customer asked for (written with the quote).
    QuoteRequested,
    /// A line of a quote the customer accepted (written with the acceptance).
    QuoteAccepted,
}

impl EventKind {
    pub const fn as_str(self) -> &'static str {
        match self {
            EventKind::ItemViewed => "item_viewed",
            EventKind::NeedViewed => "need_viewed",
            EventKind::QuoteDraftAdded => "quote_draft_added",
            EventKind::QuoteRequested => "quote_requested",
            EventKind::QuoteAccepted => "quote_accepted",
        }
    }

    /// How much one event of this kind says about what the customer wants: an accepted
    /// quote more than a price asked for, more than a look.
    pub const fn weight(self) -> f32 {
        match self {
            EventKind::ItemViewed | EventKind::NeedViewed => 1.0,
            EventKind::QuoteDraftAdded => 2.0,
            EventKind::QuoteRequested => 3.0,
            EventKind::QuoteAccepted => 4.0,
        }
    }

    /// Whether the customer already has the item (never recommend it again).
    pub const fn owns(self) -> bool {
        matches!(self, EventKind::QuoteAccepted)
    }
}

/// The kinds a client may send (quotes record their own).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SentKind {
    ItemViewed,
    NeedViewed,
    QuoteDraftAdded,
}

/// One event as sent: `sku` with `item_viewed` and `quote_draft_added`, `need` with
/// `need_viewed` (`null` is as absent).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EventInput {
    #[serde(rename = "type")]
    pub kind: SentKind,
    #[schema(pattern = "^[0-9]{5}[A-Z0-9]{0,27}$", max_length = 32)]
    pub sku: Option<String>,
    #[schema(schema_with = crate::openapi::rules::need_or_null)]
    pub need: Option<String>,
}

/// The body of `POST /api/events`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EventBatch {
    #[schema(min_items = 1, max_items = 20)]
    pub events: Vec<EventInput>,
}

/// An event that passed the rules: what happened and to which item or need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub kind: EventKind,
    /// A SKU, or a need for `NeedViewed`.
    pub subject: String,
}

/// Whether `sku` has the shape of a SKU ([`SKU_PATTERN`]).
pub fn is_sku(sku: &str) -> bool {
    let bytes = sku.as_bytes();
    bytes.len() >= 5
        && sku.len() <= MAX_SKU_CHARS
        && bytes[..5].iter().all(u8::is_ascii_digit)
        && bytes[5..]
            .iter()
            .all(|b| b.is_ascii_digit() || b.is_ascii_uppercase())
}

/// Check a batch: every field at fault is named.
pub fn check(batch: &EventBatch) -> Result<Vec<Event>, Vec<FieldError>> {
    let mut errors = Vec::new();
    if batch.events.is_empty() || batch.events.len() > MAX_EVENTS_PER_REQUEST {
        errors.push(FieldError::new(
            "/events",
            format!("send 1 to {MAX_EVENTS_PER_REQUEST} events"),
        ));
    }
    let mut events = Vec::new();
    for (i, input) in batch.events.iter().enumerate() {
        let at = |field: &str| format!("/events/{i}/{field}");
        match input.kind {
            SentKind::ItemViewed | SentKind::QuoteDraftAdded => {
                if input.need.is_some() {
                    errors.push(FieldError::new(at("need"), "only need_viewed has a need"));
                }
                match input.sku.as_deref() {
                    Some(sku) if is_sku(sku) => events.push(Event {
                        kind: if input.kind == SentKind::ItemViewed {
                            EventKind::ItemViewed
                        } else {
                            EventKind::QuoteDraftAdded
                        },
                        subject: sku.to_string(),
                    }),
                    Some(_) => errors.push(FieldError::new(
                        at("sku"),
                        "must be a SKU: five digits, then capital letters or digits",
                    )),
                    None => errors.push(FieldError::new(at("sku"), "is required")),
                }
            }
            SentKind::NeedViewed => {
                if input.sku.is_some() {
                    errors.push(FieldError::new(at("sku"), "need_viewed has no sku"));
                }
                match input.need.as_deref() {
                    Some(need) if NEEDS.contains(&need) => events.push(Event {
                        kind: EventKind::NeedViewed,
                        subject: need.to_string(),
                    }),
                    Some(_) => errors.push(FieldError::new(
                        at("need"),
                        format!("must be one of {}", NEEDS.join(", ")),
                    )),
                    None => errors.push(FieldError::new(at("need"), "is required")),
                }
            }
        }
    }
    if errors.is_empty() {
        Ok(events)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn batch(json: serde_json::Value) -> EventBatch {
        serde_json::from_value(json).unwrap()
    }

    #[test]
    fn a_good_batch_passes() {
        let events = check(&batch(serde_json::json!({"events": [
            {"type": "item_viewed", "sku": "85123A"},
            {"type": "need_viewed", "need": "gift"},
            {"type": "quote_draft_added", "sku": "22423"},
        ]})))
        .unwrap();
        assert_eq!(events.len(), 3);
        assert_eq!(events[1].kind, EventKind::NeedViewed);
        assert_eq!(events[2].subject, "22423");
    }

    #[test]
    fn every_fault_is_named() {
        let errors = check(&batch(serde_json::json!({"events": [
            {"type": "item_viewed"},
            {"type": "need_viewed", "need": "yachts", "sku": "22423"},
            {"type": "item_viewed", "sku": "abc"},
        ]})))
        .unwrap_err();
        let pointers: Vec<_> = errors.iter().map(|e| e.pointer.as_str()).collect();
        assert_eq!(
            pointers,
            [
                "/events/0/sku",
                "/events/1/sku",
                "/events/1/need",
                "/events/2/sku"
            ]
        );
        let many = (0..21)
            .map(|_| serde_json::json!({"type": "item_viewed", "sku": "22423"}))
            .collect::<Vec<_>>();
        let errors = check(&batch(serde_json::json!({ "events": many }))).unwrap_err();
        assert_eq!(errors[0].pointer, "/events");
        assert!(
            serde_json::from_value::<EventBatch>(
                serde_json::json!({"events": [{"type": "bought", "sku": "22423"}]})
            )
            .is_err()
        );
    }
}
