//! Who a customer buys for (`home`, `gifts`, `business`): stated by the customer at
//! sign-up or in the preference centre, or suggested from their quotes and taken only
//! when they agree. The suggestion rule is here, in plain code, and the privacy policy
//! describes it in the same words.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Who the customer buys for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum BuysFor {
    Home,
    Gifts,
    Business,
}

impl BuysFor {
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "home" => Some(BuysFor::Home),
            "gifts" => Some(BuysFor::Gifts),
            "business" => Some(BuysFor::Business),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            BuysFor::Home => "home",
            BuysFor::Gifts => "gifts",
            BuysFor::Business => "business",
        }
    }
}

/// Where the value came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SegmentSource {
    /// The customer chose it (sign-up or preference centre).
    Stated,
    /// The shop suggested it from the customer's quotes and the customer agreed.
    AcceptedSuggestion,
}

/// The stored value: what, from where, since when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Segment {
    pub value: BuysFor,
    pub source: SegmentSource,
    pub at: String,
}

/// A line quantity at or above this is a reseller's quantity (the catalog's volume
/// tiers start at 2 to 100; a household rarely asks for four dozen of one thing).
pub const RESELLER_LINE_QUANTITY: u32 = 48;
/// A quote with this many units in all is a reseller's quote too.
pub const RESELLER_QUOTE_UNITS: u32 = 100;
/// How many of the recent quotes must look like a reseller's.
pub const RESELLER_QUOTES_NEEDED: usize = 2;
/// How many recent quotes the rule looks at (one page, newest first).
pub const RECENT_QUOTES: usize = 10;

/// Whether one quote's quantities look like a reseller's.
pub fn looks_like_reseller(quantities: &[u32]) -> bool {
    let units: u32 = quantities.iter().copied().fold(0, u32::saturating_add);
    quantities.iter().any(|&q| q >= RESELLER_LINE_QUANTITY) || units >= RESELLER_QUOTE_UNITS
}

/// What the shop may suggest, given what it knows. Only with the personalisation
/// consent; never to a customer who already buys for a business or dismissed the
/// suggestion; and only when at least [`RESELLER_QUOTES_NEEDED`] of the last
/// [`RECENT_QUOTES`] quotes look like a reseller's. A suggestion changes nothing until
/// the customer accepts it.
pub fn suggestion(
    personalisation: bool,
    current: Option<BuysFor>,
    dismissed: bool,
    recent_quotes: &[Vec<u32>],
) -> Option<BuysFor> {
    if !personalisation || dismissed || current == Some(BuysFor::Business) {
        return None;
    }
    let resellers = recent_quotes
        .iter()
        .take(RECENT_QUOTES)
        .filter(|q| looks_like_reseller(q))
        .count();
    (resellers >= RESELLER_QUOTES_NEEDED).then_some(BuysFor::Business)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reseller_quantities_are_big_lines_or_many_units() {
        assert!(looks_like_reseller(&[48]));
        assert!(looks_like_reseller(&[40, 40, 20]));
        assert!(!looks_like_reseller(&[47, 52 - 48]));
        assert!(!looks_like_reseller(&[1, 2, 12]));
        assert!(!looks_like_reseller(&[]));
        assert!(looks_like_reseller(&[u32::MAX, u32::MAX]));
    }

    #[test]
    fn business_is_suggested_only_with_consent_and_enough_evidence() {
        let big = vec![vec![64], vec![1], vec![50, 50]];
        assert_eq!(suggestion(true, None, false, &big), Some(BuysFor::Business));
        assert_eq!(
            suggestion(true, Some(BuysFor::Home), false, &big),
            Some(BuysFor::Business)
        );
        // No personalisation consent: no inference at all.
        assert_eq!(suggestion(false, None, false, &big), None);
        // Already business, or the customer said no.
        assert_eq!(suggestion(true, Some(BuysFor::Business), false, &big), None);
        assert_eq!(suggestion(true, None, true, &big), None);
        // One big quote is not a pattern.
        assert_eq!(suggestion(true, None, false, &big[..2]), None);
        // Only the recent quotes count.
        let mut old = vec![vec![1]; RECENT_QUOTES];
        old.extend(big);
        assert_eq!(suggestion(true, None, false, &old), None);
    }

    #[test]
    fn values_parse_from_their_names() {
        for v in [BuysFor::Home, BuysFor::Gifts, BuysFor::Business] {
            assert_eq!(BuysFor::parse(v.as_str()), Some(v));
        }
        assert_eq!(BuysFor::parse("reseller"), None);
    }
}
