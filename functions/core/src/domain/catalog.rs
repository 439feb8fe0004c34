//! The catalog: what can be quoted, at what price. One source, `infra/catalog.json`,
//! feeds the DynamoDB seed (and through `GET /api/catalog` the site).
//!
//! Prices are integer minor units of `currency` (pence for GBP). A line's unit price is
//! the price of the highest tier whose `min_quantity` the quantity reaches, else the
//! item's `unit_price_minor`.

use crate::site_config::SiteFacts;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The catalog file, compiled in so the runner can seed without reading the disk.
pub const CATALOG_JSON: &str = include_str!("../../../../infra/catalog.json");

/// Customer needs the catalog is organised by (the "browse by need" groups).
pub const NEEDS: [&str; 4] = ["gift", "home", "event", "business"];

pub const MAX_SKU_CHARS: usize = 32;

/// A text in each of the site's languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LocalText {
    pub en: String,
    pub es: String,
}

/// The language an untranslated `es` text is really in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Untranslated {
    En,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum TaxClass {
    Standard,
    Reduced,
    Zero,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PriceTier {
    pub min_quantity: u32,
    pub unit_price_minor: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CatalogItem {
    pub sku: String,
    pub name: LocalText,
    pub description: LocalText,
    pub needs: Vec<String>,
    pub topics: Vec<String>,
    pub unit_price_minor: u64,
    /// ISO 4217 code, e.g. `GBP`.
    pub currency: String,
    /// Volume prices, by ascending `min_quantity`, each cheaper than the one before.
    pub tiers: Vec<PriceTier>,
    pub min_quantity: u32,
    pub max_quantity: u32,
    pub tax_class: TaxClass,
    /// `en` when `name.es` repeats the English name because there is no honest Spanish
    /// one yet (the imported items); absent for a real Spanish name. Pages mark such a
    /// name `lang="en"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_es_lang: Option<Untranslated>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CatalogFile {
    /// Provenance note; not used.
    #[serde(rename = "_source", default)]
    _source: Option<String>,
    items: Vec<CatalogItem>,
}

impl CatalogItem {
    /// The unit price for `quantity`: the last tier reached, else the list price.
    pub fn unit_price_for(&self, quantity: u32) -> u64 {
        self.tiers
            .iter()
            .rev()
            .find(|t| quantity >= t.min_quantity)
            .map_or(self.unit_price_minor, |t| t.unit_price_minor)
    }
}

/// A SKU as the catalog writes them: 1..=32 of `A-Z`, `0-9` and `-`.
pub fn is_sku(sku: &str) -> bool {
    !sku.is_empty()
        && sku.len() <= MAX_SKU_CHARS
        && sku
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-')
}

fn is_currency(code: &str) -> bool {
    code.len() == 3 && code.bytes().all(|b| b.is_ascii_uppercase())
}

fn check_item(item: &CatalogItem, facts: &SiteFacts) -> Vec<String> {
    let mut problems = Vec::new();
    let mut bad = |why: String| problems.push(format!("{}: {why}", item.sku));
    if !is_sku(&item.sku) {
        bad("SKU must be 1-32 of A-Z, 0-9, -".into());
    }
    for text in [
        &item.name.en,
        &item.name.es,
        &item.description.en,
        &item.description.es,
    ] {
        if text.trim().is_empty() {
            bad("names and descriptions need English and Spanish text".into());
        }
    }
    if item.name_es_lang.is_some() && item.name.es != item.name.en {
        bad("an untranslated Spanish name must repeat the English one".into());
    }
    if item.needs.is_empty() || item.needs.iter().any(|n| !NEEDS.contains(&n.as_str())) {
        bad(format!("needs must be one or more of {NEEDS:?}"));
    }
    if item.topics.is_empty() || item.topics.iter().any(|t| !facts.is_topic(t)) {
        bad("topics must be one or more topic ids from site/config.toml".into());
    }
    if !is_currency(&item.currency) {
        bad("currency must be an ISO 4217 code".into());
    }
    if item.unit_price_minor == 0 {
        bad("unit_price_minor must be positive".into());
    }
    if item.min_quantity == 0 || item.max_quantity < item.min_quantity {
        bad("need 1 <= min_quantity <= max_quantity".into());
    }
    let mut previous = (item.min_quantity, item.unit_price_minor);
    for tier in &item.tiers {
        if tier.min_quantity <= previous.0 || tier.min_quantity > item.max_quantity {
            bad("tiers must start above min_quantity, ascend, and stay within max_quantity".into());
        }
        if tier.unit_price_minor == 0 || tier.unit_price_minor >= previous.1 {
            bad("each tier must be cheaper than the price before it".into());
        }
        previous = (tier.min_quantity, tier.unit_price_minor);
    }
    problems
}

/// Parse and check a catalog file: every item valid, SKUs unique. All problems at once.
pub fn parse_catalog(json: &str, facts: &SiteFacts) -> Result<Vec<CatalogItem>, Vec<String>> {
    let file: CatalogFile =
        serde_json::from_str(json).map_err(|e| vec![format!("catalog JSON: {e}")])?;
    check_all(file.items, facts)
}

/// Check a whole catalog (a file's, or one built by the import): every item valid,
/// SKUs unique, at least one item. All problems at once.
pub fn check_all(
    items: Vec<CatalogItem>,
    facts: &SiteFacts,
) -> Result<Vec<CatalogItem>, Vec<String>> {
    let mut problems = Vec::new();
    if items.is_empty() {
        problems.push("the catalog has no items".to_string());
    }
    let mut seen = std::collections::HashSet::new();
    for item in &items {
        problems.extend(check_item(item, facts));
        if !seen.insert(item.sku.as_str()) {
            problems.push(format!("{}: SKU appears twice", item.sku));
        }
    }
    if problems.is_empty() {
        Ok(items)
    } else {
        Err(problems)
    }
}

/// The bundled catalog (`infra/catalog.json`), checked.
pub fn bundled() -> Result<Vec<CatalogItem>, String> {
    parse_catalog(CATALOG_JSON, crate::site_config::facts())
        .map_err(|problems| format!("infra/catalog.json: {}", problems.join("; ")))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::site_config::facts;

    pub(crate) fn item(sku: &str, price: u64, tiers: &[(u32, u64)]) -> CatalogItem {
        CatalogItem {
            sku: sku.into(),
            name: LocalText {
                en: "Thing".into(),
                es: "Cosa".into(),
            },
            description: LocalText {
                en: "A thing".into(),
                es: "Una cosa".into(),
            },
            needs: vec!["gift".into()],
            topics: vec!["gifts".into()],
            unit_price_minor: price,
            currency: "GBP".into(),
            tiers: tiers
                .iter()
                .map(|&(min_quantity, unit_price_minor)| PriceTier {
                    min_quantity,
                    unit_price_minor,
                })
                .collect(),
            min_quantity: 1,
            max_quantity: 1000,
            tax_class: TaxClass::Standard,
            name_es_lang: None,
        }
    }

    #[test]
    fn the_bundled_catalog_is_valid_and_large_enough() {
        let items = bundled().unwrap();
        assert!(items.len() >= 30);
        for need in NEEDS {
            assert!(
                items.iter().any(|i| i.needs.iter().any(|n| n == need)),
                "{need}"
            );
        }
        let topics: std::collections::HashSet<_> =
            items.iter().flat_map(|i| i.topics.iter()).collect();
        assert!(topics.len() >= 6);
    }

    #[test]
    fn tier_prices_apply_from_their_minimum() {
        let i = item("A", 295, &[(12, 265), (64, 255)]);
        assert_eq!(i.unit_price_for(1), 295);
        assert_eq!(i.unit_price_for(11), 295);
        assert_eq!(i.unit_price_for(12), 265);
        assert_eq!(i.unit_price_for(63), 265);
        assert_eq!(i.unit_price_for(64), 255);
        assert_eq!(i.unit_price_for(1000), 255);
    }

    #[test]
    fn bad_items_are_all_reported() {
        let mut a = item("A", 100, &[(10, 120)]);
        a.needs = vec!["world-peace".into()];
        let mut b = item("b?", 0, &[]);
        b.max_quantity = 0;
        let json = serde_json::json!({ "items": [a, b, item("A", 1, &[])] }).to_string();
        let problems = parse_catalog(&json, facts()).unwrap_err();
        let text = problems.join("\n");
        for expected in [
            "needs must",
            "cheaper",
            "SKU must",
            "unit_price_minor",
            "min_quantity <=",
            "appears twice",
        ] {
            assert!(text.contains(expected), "{expected} in {text}");
        }
        assert!(parse_catalog(r#"{"items": []}"#, facts()).is_err());
        assert!(parse_catalog(r#"{"items": [], "extra": 1}"#, facts()).is_err());
    }

    #[test]
    fn sku_shape() {
        assert!(is_sku("85123A") && is_sku("CORP-BOX"));
        assert!(!is_sku("") && !is_sku("abc") && !is_sku(&"A".repeat(33)));
    }
}
