//! Pricing a quote. Integer minor units throughout, never floats; every sum and product
//! is overflow-checked and an overflow is an error, never a wrapped number.
//!
//! Per line, in this order:
//! 1. **Unit price**: the item's volume tier for the quantity ([`CatalogItem::unit_price_for`]).
//! 2. **Subtotal** = unit price × quantity.
//! 3. **Members' discount**: signed-in customers get [`MEMBER_DISCOUNT_BP`] (5 %) off
//!    every line's subtotal; visitors get none.
//! 4. **Tax** on (subtotal − discount) at the rate for the customer's country and the
//!    item's tax class ([`super::tax`]).
//! 5. **Line total** = subtotal − discount + tax.
//!
//! **Rounding, stated once**: a percentage of an amount (discount, tax) is computed per
//! line and rounded half up to the minor unit: `(amount × bp + 5000) / 10000`. Quote
//! totals are the sums of the line figures, so lines always add up to the totals.

use super::catalog::{CatalogItem, LocalText};
use super::tax;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Members' discount: 5 % (500 basis points) off every line for signed-in customers.
pub const MEMBER_DISCOUNT_BP: u32 = 500;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct PricedLine {
    pub sku: String,
    pub name: LocalText,
    pub quantity: u32,
    pub unit_price_minor: u64,
    /// Unit price × quantity.
    pub subtotal_minor: u64,
    pub discount_minor: u64,
    pub tax_rate_bp: u32,
    pub tax_minor: u64,
    /// Subtotal − discount + tax.
    pub total_minor: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PricedQuote {
    pub currency: String,
    pub lines: Vec<PricedLine>,
    pub subtotal_minor: u64,
    /// The discount rate applied (0 for visitors).
    pub discount_rate_bp: u32,
    pub discount_minor: u64,
    pub tax_minor: u64,
    pub total_minor: u64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PricingError {
    /// Line `index` (0-based) is priced in another currency than the first line.
    CurrencyMix {
        index: usize,
        expected: String,
        found: String,
    },
    /// An amount on line `index` (or the totals, `None`) does not fit in 64 bits.
    Overflow {
        index: Option<usize>,
    },
    NoLines,
}

/// `bp` basis points of `amount`, rounded half up to the minor unit; `None` on overflow.
pub fn percent_of(amount: u64, bp: u32) -> Option<u64> {
    amount
        .checked_mul(u64::from(bp))?
        .checked_add(5_000)
        .map(|n| n / 10_000)
}

fn price_line(
    item: &CatalogItem,
    quantity: u32,
    country: &str,
    discount_bp: u32,
) -> Option<PricedLine> {
    let unit = item.unit_price_for(quantity);
    let subtotal = unit.checked_mul(u64::from(quantity))?;
    let discount = percent_of(subtotal, discount_bp)?;
    let taxable = subtotal.checked_sub(discount)?;
    let tax_rate_bp = tax::rate_bp(country, item.tax_class);
    let tax = percent_of(taxable, tax_rate_bp)?;
    Some(PricedLine {
        sku: item.sku.clone(),
        name: item.name.clone(),
        quantity,
        unit_price_minor: unit,
        subtotal_minor: subtotal,
        discount_minor: discount,
        tax_rate_bp,
        tax_minor: tax,
        total_minor: taxable.checked_add(tax)?,
    })
}

/// Price `lines` (item, quantity) for a customer in `country`; `member` grants the
/// members' discount. Quantities are assumed already checked against the item limits.
pub fn price(
    lines: &[(&CatalogItem, u32)],
    country: &str,
    member: bool,
) -> Result<PricedQuote, PricingError> {
    let Some((first, _)) = lines.first() else {
        return Err(PricingError::NoLines);
    };
    let currency = first.currency.clone();
    let discount_rate_bp = if member { MEMBER_DISCOUNT_BP } else { 0 };
    let mut priced = Vec::with_capacity(lines.len());
    for (index, &(item, quantity)) in lines.iter().enumerate() {
        if item.currency != currency {
            return Err(PricingError::CurrencyMix {
                index,
                expected: currency,
                found: item.currency.clone(),
            });
        }
        let line = price_line(item, quantity, country, discount_rate_bp)
            .ok_or(PricingError::Overflow { index: Some(index) })?;
        priced.push(line);
    }
    let sum = |f: fn(&PricedLine) -> u64| {
        priced
            .iter()
            .try_fold(0u64, |acc, line| acc.checked_add(f(line)))
            .ok_or(PricingError::Overflow { index: None })
    };
    Ok(PricedQuote {
        subtotal_minor: sum(|l| l.subtotal_minor)?,
        discount_minor: sum(|l| l.discount_minor)?,
        tax_minor: sum(|l| l.tax_minor)?,
        total_minor: sum(|l| l.total_minor)?,
        discount_rate_bp,
        currency,
        lines: priced,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::catalog::TaxClass;
    use crate::domain::catalog::tests::item;

    #[test]
    fn rounding_is_half_up_on_the_minor_unit() {
        assert_eq!(percent_of(10, 500), Some(1)); // 0.5 -> 1
        assert_eq!(percent_of(9, 500), Some(0)); // 0.45 -> 0
        assert_eq!(percent_of(30, 500), Some(2)); // 1.5 -> 2
        assert_eq!(percent_of(1_999, 2_000), Some(400)); // 399.8 -> 400
        assert_eq!(percent_of(1_997, 2_000), Some(399)); // 399.4 -> 399
        assert_eq!(percent_of(1_234, 0), Some(0));
        assert_eq!(percent_of(u64::MAX, 2), None);
    }

    #[test]
    fn visitor_line_uses_the_tier_price_and_country_tax() {
        let bag = item("BAG", 208, &[(10, 195), (100, 165)]);
        let q = price(&[(&bag, 10)], "GB", false).unwrap();
        let line = &q.lines[0];
        assert_eq!(line.unit_price_minor, 195);
        assert_eq!(line.subtotal_minor, 1_950);
        assert_eq!(line.discount_minor, 0);
        assert_eq!(line.tax_rate_bp, 2_000);
        assert_eq!(line.tax_minor, 390);
        assert_eq!(line.total_minor, 2_340);
        assert_eq!(q.total_minor, 2_340);
        assert_eq!(q.currency, "GBP");
        // Below the first tier: the list price.
        assert_eq!(
            price(&[(&bag, 9)], "GB", false).unwrap().lines[0].unit_price_minor,
            208
        );
    }

    #[test]
    fn members_get_five_percent_off_each_line_before_tax() {
        let tin = item("TIN", 495, &[]);
        let mut tea = item("TEA", 450, &[(12, 395)]);
        tea.tax_class = TaxClass::Reduced;
        let q = price(&[(&tin, 3), (&tea, 12)], "ES", true).unwrap();
        // TIN: 1485, discount 74.25 -> 74, taxable 1411, tax 21 % = 296.31 -> 296.
        assert_eq!(
            (
                q.lines[0].discount_minor,
                q.lines[0].tax_minor,
                q.lines[0].total_minor
            ),
            (74, 296, 1_707)
        );
        // TEA: 12 x 395 = 4740, discount 237, taxable 4503, tax 10 % = 450.3 -> 450.
        assert_eq!(
            (
                q.lines[1].discount_minor,
                q.lines[1].tax_minor,
                q.lines[1].total_minor
            ),
            (237, 450, 4_953)
        );
        assert_eq!(q.subtotal_minor, 1_485 + 4_740);
        assert_eq!(q.discount_minor, 74 + 237);
        assert_eq!(q.tax_minor, 296 + 450);
        assert_eq!(q.total_minor, 1_707 + 4_953);
        assert_eq!(
            q.total_minor,
            q.subtotal_minor - q.discount_minor + q.tax_minor
        );
        assert_eq!(q.discount_rate_bp, MEMBER_DISCOUNT_BP);
    }

    #[test]
    fn half_a_penny_rounds_up_per_line() {
        // 1 x 10p, member: discount 0.5p -> 1p; taxable 9p, GB 20 % = 1.8p -> 2p.
        let p = item("P", 10, &[]);
        let q = price(&[(&p, 1)], "GB", true).unwrap();
        assert_eq!(
            (
                q.lines[0].discount_minor,
                q.lines[0].tax_minor,
                q.total_minor
            ),
            (1, 2, 11)
        );
        // Rounding per line, not on the total: two lines of 0.5p tax each round up.
        let mut z = item("Z", 10, &[]);
        z.tax_class = TaxClass::Reduced; // GB 5 %: 0.5p -> 1p
        let q = price(&[(&z, 1), (&item("Y", 10, &[]), 1)], "GB", false).unwrap();
        assert_eq!(q.lines[0].tax_minor, 1);
        assert_eq!(q.tax_minor, 1 + 2);
    }

    #[test]
    fn unlisted_countries_pay_no_tax_and_zero_rated_items_none_anywhere() {
        let book = {
            let mut b = item("BOOK", 1_299, &[]);
            b.tax_class = TaxClass::Zero;
            b
        };
        assert_eq!(price(&[(&book, 2)], "GB", false).unwrap().tax_minor, 0);
        let vase = item("VASE", 1_000, &[]);
        let q = price(&[(&vase, 1)], "US", false).unwrap();
        assert_eq!((q.tax_minor, q.total_minor), (0, 1_000));
    }

    #[test]
    fn a_currency_mix_names_the_line() {
        let gbp = item("A", 100, &[]);
        let mut eur = item("B", 100, &[]);
        eur.currency = "EUR".into();
        assert_eq!(
            price(&[(&gbp, 1), (&gbp, 2), (&eur, 1)], "GB", false),
            Err(PricingError::CurrencyMix {
                index: 2,
                expected: "GBP".into(),
                found: "EUR".into()
            })
        );
        assert_eq!(price(&[], "GB", false), Err(PricingError::NoLines));
    }

    #[test]
    fn overflow_is_an_error_not_a_wrap() {
        let huge = item("H", u64::MAX / 2, &[]);
        assert_eq!(
            price(&[(&huge, 3)], "GB", false),
            Err(PricingError::Overflow { index: Some(0) })
        );
        // Each line fits, the sum does not.
        let big = item("B", u64::MAX / 4, &[]);
        let mut big2 = big.clone();
        big2.sku = "C".into();
        let lines = [(&big, 2), (&big2, 2), (&big, 2)];
        assert!(matches!(
            price(&lines, "US", false),
            Err(PricingError::Overflow { .. })
        ));
        // Tax on a line near the limit overflows in the multiplication.
        assert_eq!(
            price(&[(&item("T", u64::MAX / 1_000, &[]), 1)], "GB", false),
            Err(PricingError::Overflow { index: Some(0) })
        );
    }

    #[test]
    fn largest_real_quote_is_far_from_the_limits() {
        let catalog = crate::domain::catalog::bundled().unwrap();
        let lines: Vec<_> = catalog
            .iter()
            .take(50)
            .map(|i| (i, i.max_quantity))
            .collect();
        let q = price(&lines, "IE", true).unwrap();
        assert!(q.total_minor < 100_000_000);
    }
}
