//! Sales tax (VAT) rates: the one table, in basis points (1 bp = 0.01 %), by the
//! customer's country and the item's tax class.
//!
//! The shop sells from the United Kingdom. Countries in the table are charged their
//! rate; every other country is charged **0** (an export: zero-rated here, any import
//! tax is due on delivery), which is [`DEFAULT_RATE_BP`].

use super::catalog::TaxClass;

/// Rate for a country not in [`RATES`]: exports are zero-rated.
pub const DEFAULT_RATE_BP: u32 = 0;

/// `(country, standard, reduced, zero)` in basis points.
pub const RATES: &[(&str, u32, u32, u32)] = &[
    ("GB", 2000, 500, 0),
    ("IE", 2300, 1350, 0),
    ("ES", 2100, 1000, 0),
    ("FR", 2000, 550, 0),
    ("DE", 1900, 700, 0),
    ("IT", 2200, 1000, 0),
    ("PT", 2300, 600, 0),
    ("NL", 2100, 900, 0),
    ("BE", 2100, 600, 0),
];

/// The rate, in basis points, for `country` (ISO 3166-1 alpha-2, upper case).
pub fn rate_bp(country: &str, class: TaxClass) -> u32 {
    RATES.iter().find(|(code, ..)| *code == country).map_or(
        DEFAULT_RATE_BP,
        |&(_, standard, reduced, zero)| match class {
            TaxClass::Standard => standard,
            TaxClass::Reduced => reduced,
            TaxClass::Zero => zero,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listed_countries_and_the_default() {
        assert_eq!(rate_bp("GB", TaxClass::Standard), 2000);
        assert_eq!(rate_bp("ES", TaxClass::Reduced), 1000);
        assert_eq!(rate_bp("ES", TaxClass::Zero), 0);
        assert_eq!(rate_bp("US", TaxClass::Standard), DEFAULT_RATE_BP);
    }

    #[test]
    fn table_is_well_formed() {
        let facts = crate::site_config::facts();
        for (i, (code, standard, reduced, zero)) in RATES.iter().enumerate() {
            assert!(facts.is_country(code), "{code}");
            assert!(standard >= reduced && reduced >= zero && *standard < 10_000);
            assert!(!RATES[..i].iter().any(|r| r.0 == *code), "{code} twice");
        }
    }
}
