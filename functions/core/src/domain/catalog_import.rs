//! The whole product list of the retailer behind the demo shop, built from its
//! purchase log (the UCI "Online Retail" data set: Chen, D. 2015, doi:10.24432/C5BW33,
//! CC BY 4.0). Pure: the caller reads the CSV and hands over its rows.
//!
//! The rules (also in README, "Catalog"):
//! - **Items**: the rows whose `StockCode`, upper-cased, starts with five digits
//!   (`^[0-9]{5}`; suffix letters kept, so `85123A` is its own item). Other codes
//!   (`POST`, `DOT`, `M`, bank charges…) are not products.
//! - **Name**: the code's most frequent `Description` among those written as a
//!   product name (at least one letter and no lower-case letter: the log's lower-case
//!   descriptions are stock notes such as "damaged" or "?"); ties go to the
//!   alphabetically first. Cleaned by [`clean_name`].
//! - **Price** (GBP, pence, from the text, half up to the penny): over the code's
//!   *sale rows* (`InvoiceNo` not starting `C` or `A`, `Quantity` > 0, `UnitPrice` > 0)
//!   the list price is the lower median of their unit prices (an observed price, never
//!   an average); a volume tier at 12 and at 100 is the lower median of the sale rows
//!   with at least that quantity (when there are 3 or more) if it is cheaper than the
//!   price before it.
//! - Codes without a name or without a sale row are left out: they cannot be shown or
//!   priced.
//! - Quantities 1 to 1,000, tax class standard, currency GBP for every imported item.
//! - **Topics and needs** from the words of the name ([`super::catalog_words`]).
//! - **Spanish**: the featured items (`infra/catalog.json`) keep their hand-written
//!   Spanish and win over an imported item with the same code; every other name stays
//!   English, marked `name_es_lang: "en"` (a word-for-word glossary would not be honest
//!   Spanish). The description is one fixed sentence written in both languages.

use super::catalog::{CatalogItem, LocalText, PriceTier, TaxClass, Untranslated};
use super::catalog_words::{needs_for, topics_for};
use std::collections::{BTreeMap, HashMap};

/// Tier thresholds tried, in order.
pub const TIER_QUANTITIES: [u32; 2] = [12, 100];
/// Sale rows needed at or above a threshold before it becomes a tier.
const TIER_MIN_ROWS: usize = 3;
pub const MAX_QUANTITY: u32 = 1000;

/// Names the import rules: bump it when a rule changes, so tables load again.
pub const RULES_VERSION: &str = "catalog-import-1";

/// The version of a catalog built from this featured file and log (`None`: featured
/// items only): a hash of the rules, the file and the log's bytes.
pub fn version(featured_json: &str, log: Option<&[u8]>) -> String {
    use sha2::{Digest, Sha256};
    let mut hash = Sha256::new();
    hash.update(RULES_VERSION.as_bytes());
    hash.update([0]);
    hash.update(featured_json.as_bytes());
    hash.update([0]);
    hash.update(log.unwrap_or(b"featured only"));
    let digest = hash.finalize();
    digest.iter().take(16).map(|b| format!("{b:02x}")).collect()
}

/// One row of the log, as text (the caller's CSV reader hands fields over unparsed).
#[derive(Debug, Clone, Copy)]
pub struct LogRow<'a> {
    pub invoice: &'a str,
    pub stock_code: &'a str,
    pub description: &'a str,
    pub quantity: &'a str,
    pub unit_price: &'a str,
}

#[derive(Debug, Default)]
struct CodeSeen {
    names: HashMap<String, u32>,
    /// (quantity, unit price in pence) of each sale row.
    sales: Vec<(u32, u64)>,
}

/// Gathers the log row by row (the log is large: nothing but counts is kept).
#[derive(Debug, Default)]
pub struct Import {
    codes: BTreeMap<String, CodeSeen>,
    rows: usize,
}

/// A product code: upper-cased, starting with five digits, else `None`.
pub fn product_code(stock_code: &str) -> Option<String> {
    let code = stock_code.trim().to_ascii_uppercase();
    let five_digits = code.len() >= 5 && code.as_bytes()[..5].iter().all(u8::is_ascii_digit);
    (five_digits && super::catalog::is_sku(&code)).then_some(code)
}

/// A price written in pounds (`2.55`, `8.405`, `1`) in pence, half up; `None` for
/// anything else or for zero and negative prices.
pub fn pence(text: &str) -> Option<u64> {
    let text = text.trim();
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    if whole.is_empty() && fraction.is_empty()
        || !whole.bytes().all(|b| b.is_ascii_digit())
        || !fraction.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let pounds: u64 = if whole.is_empty() {
        0
    } else {
        whole.parse().ok()?
    };
    let digit = |i: usize| u64::from(fraction.as_bytes().get(i).map_or(0, |b| b - b'0'));
    let mut value = pounds.checked_mul(100)? + digit(0) * 10 + digit(1);
    if digit(2) >= 5 {
        value += 1;
    }
    (value > 0).then_some(value)
}

/// A description written as a product name: a letter, and no lower-case letter.
fn is_product_name(description: &str) -> bool {
    description.chars().any(char::is_alphabetic) && !description.chars().any(char::is_lowercase)
}

/// Acronyms kept in capitals by [`clean_name`].
const ACRONYMS: [&str; 7] = ["LED", "UK", "USB", "DVD", "XL", "DIY", "ABC"];

/// A product name as people write it: spaces collapsed, no space before a comma,
/// sentence case, acronyms kept, and a single letter before a hyphen kept capital
/// (`WHITE HANGING HEART T-LIGHT HOLDER` → `White hanging heart T-light holder`).
pub fn clean_name(description: &str) -> String {
    let collapsed = description
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace(" ,", ",");
    let mut out = String::with_capacity(collapsed.len());
    for (i, word) in collapsed.split(' ').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let bare = word.trim_matches(|c: char| !c.is_alphanumeric());
        if ACRONYMS.contains(&bare) {
            out.push_str(word);
            continue;
        }
        let lower = word.to_lowercase();
        let mut chars: Vec<char> = lower.chars().collect();
        // T-LIGHT, not t-light: a lone letter before a hyphen is a symbol.
        if chars.len() >= 2 && chars[1] == '-' && chars[0].is_alphabetic() {
            chars[0] = chars[0].to_ascii_uppercase();
        }
        if i == 0
            && let Some(first) = chars.iter_mut().find(|c| c.is_alphabetic())
        {
            *first = first.to_uppercase().next().unwrap_or(*first);
        }
        out.extend(chars);
    }
    out
}

/// The lower median: the middle value, or the lower of the two middle ones.
fn lower_median(mut values: Vec<u64>) -> Option<u64> {
    if values.is_empty() {
        return None;
    }
    values.sort_unstable();
    Some(values[(values.len() - 1) / 2])
}

/// List price and volume tiers from sale rows (quantity, pence), by the module's rule.
pub fn price_rule(sales: &[(u32, u64)]) -> Option<(u64, Vec<PriceTier>)> {
    let list = lower_median(sales.iter().map(|&(_, p)| p).collect())?;
    let mut tiers = Vec::new();
    let mut previous = list;
    for threshold in TIER_QUANTITIES {
        let at_least: Vec<u64> = sales
            .iter()
            .filter(|&&(q, _)| q >= threshold)
            .map(|&(_, p)| p)
            .collect();
        if at_least.len() < TIER_MIN_ROWS {
            continue;
        }
        if let Some(price) = lower_median(at_least).filter(|&p| p < previous) {
            tiers.push(PriceTier {
                min_quantity: threshold,
                unit_price_minor: price,
            });
            previous = price;
        }
    }
    Some((list, tiers))
}

impl Import {
    pub fn new() -> Self {
        Self::default()
    }

    /// Rows read so far (every row, products or not).
    pub fn rows(&self) -> usize {
        self.rows
    }

    pub fn add(&mut self, row: LogRow<'_>) {
        self.rows += 1;
        let Some(code) = product_code(row.stock_code) else {
            return;
        };
        let seen = self.codes.entry(code).or_default();
        let description = row.description.trim();
        if is_product_name(description) {
            *seen.names.entry(description.to_string()).or_default() += 1;
        }
        let invoice = row.invoice.trim();
        let sale = !invoice.starts_with(['C', 'c', 'A', 'a']);
        let quantity = row.quantity.trim().parse::<i64>().ok().filter(|&q| q > 0);
        if let (true, Some(quantity), Some(price)) = (sale, quantity, pence(row.unit_price)) {
            let quantity = u32::try_from(quantity).unwrap_or(u32::MAX);
            seen.sales.push((quantity, price));
        }
    }

    /// The catalog: every featured item, then every imported code that is not one of
    /// them, by SKU.
    pub fn finish(self, featured: &[CatalogItem]) -> Vec<CatalogItem> {
        let mut items: Vec<CatalogItem> = featured.to_vec();
        for (code, seen) in self.codes {
            if featured.iter().any(|f| f.sku == code) {
                continue;
            }
            if let Some(item) = imported_item(&code, &seen) {
                items.push(item);
            }
        }
        items
    }
}

fn imported_item(code: &str, seen: &CodeSeen) -> Option<CatalogItem> {
    let description = seen
        .names
        .iter()
        .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
        .map(|(text, _)| text)?;
    let (unit_price_minor, tiers) = price_rule(&seen.sales)?;
    let name = clean_name(description);
    let topics = topics_for(&name);
    let needs = needs_for(&name, &topics);
    Some(CatalogItem {
        sku: code.to_string(),
        description: LocalText {
            en: format!("From the shop's full range, stock code {code}."),
            es: format!("Del surtido completo de la tienda, código {code}."),
        },
        name: LocalText {
            es: name.clone(),
            en: name,
        },
        needs,
        topics,
        unit_price_minor,
        currency: "GBP".into(),
        tiers,
        min_quantity: 1,
        max_quantity: MAX_QUANTITY,
        tax_class: TaxClass::Standard,
        name_es_lang: Some(Untranslated::En),
    })
}

#[cfg(test)]
#[path = "catalog_import_tests.rs"]
mod tests;
