//! Billing and delivery addresses: what a valid address is, country by country.

use super::customer::parse_country;
use super::validation::{FieldError, Violations};
use crate::site_config::SiteFacts;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A customer keeps at most this many addresses: enough for home, work, family and a
/// few gift recipients, small enough to show on one page.
pub const MAX_ADDRESSES: u32 = 10;
pub const MAX_LINE_CHARS: usize = 100;

/// Countries whose addresses have no postal code.
pub const NO_POSTAL_CODE: &[&str] = &[
    "AE", "AG", "AO", "AW", "BF", "BI", "BJ", "BO", "BS", "BW", "BZ", "CD", "CF", "CG", "CI", "CK",
    "CM", "CW", "DJ", "DM", "ER", "FJ", "GA", "GD", "GH", "GM", "GQ", "GY", "HK", "JM", "KI", "KM",
    "KN", "KP", "LY", "ML", "MO", "MR", "MW", "NR", "NU", "QA", "RW", "SB", "SC", "SL", "SR", "ST",
    "SY", "TD", "TG", "TK", "TL", "TO", "TV", "UG", "VU", "YE", "ZW",
];

/// Countries where post needs a state, province or region.
pub const REGION_REQUIRED: &[&str] = &["AR", "AU", "BR", "CA", "CN", "IN", "MX", "MY", "US"];

/// [`postal_code_ok`] as patterns for the OpenAPI document (`openapi::rules`), on the
/// code as sent (before trimming and upper-casing; spaces only, as tabs and line
/// breaks are control characters, refused). Kept beside the code they describe:
/// change both together.
pub const POSTAL_CODE_PATTERNS: &[(&[&str], &str)] = &[
    (&["ES", "DE", "FR", "IT"], "^ *[0-9]{5} *$"),
    (&["US"], "^ *[0-9]{5}(?:-[0-9]{4})? *$"),
    (&["PT"], "^ *[0-9]{4}-[0-9]{3} *$"),
    (
        &["GB"],
        "^ *[A-Za-z] *(?:[A-Za-z0-9] *){2,4}[A-Za-z] *[A-Za-z] *$",
    ),
];
/// Every other country's postal codes: up to 12 letters, digits, spaces and dashes
/// (blank where the country has none).
pub const OTHER_POSTAL_CODE_PATTERN: &str =
    "^ *(?:[A-Za-z0-9-](?:[A-Za-z0-9 -]{0,10}[A-Za-z0-9-])?)? *$";
/// The same where a postal code is needed: not blank.
pub const OTHER_POSTAL_CODE_REQUIRED: &str =
    "^ *[A-Za-z0-9-](?:[A-Za-z0-9 -]{0,10}[A-Za-z0-9-])? *$";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AddressKind {
    Billing,
    Delivery,
}

/// The body of `POST /api/me/addresses` and `PUT /api/me/addresses/{id}`.
/// Whether a region and a postal code are needed, and the postal code's shape, depend
/// on the country (the `allOf` rules).
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AddressInput {
    #[schema(required = true, nullable = false, min_items = 1)]
    pub kinds: Option<Vec<AddressKind>>,
    #[schema(required = true, schema_with = crate::openapi::rules::address_line)]
    pub name: Option<String>,
    #[schema(required = true, schema_with = crate::openapi::rules::address_line)]
    pub line1: Option<String>,
    #[schema(schema_with = crate::openapi::rules::optional_address_line)]
    pub line2: Option<String>,
    #[schema(required = true, schema_with = crate::openapi::rules::address_line)]
    pub city: Option<String>,
    #[schema(schema_with = crate::openapi::rules::optional_address_line)]
    pub region: Option<String>,
    #[schema(schema_with = crate::openapi::rules::postal_code)]
    pub postal_code: Option<String>,
    #[schema(required = true, schema_with = crate::openapi::rules::country)]
    pub country: Option<String>,
    pub default_billing: Option<bool>,
    pub default_delivery: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Address {
    pub kinds: Vec<AddressKind>,
    pub name: String,
    pub line1: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line2: Option<String>,
    pub city: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postal_code: Option<String>,
    pub country: String,
}

/// A valid address and whether it should become the default of each kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidAddress {
    pub address: Address,
    pub default_billing: bool,
    pub default_delivery: bool,
}

fn text(raw: Option<String>, pointer: &str, required: bool, v: &mut Violations) -> Option<String> {
    let value = raw.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    match &value {
        None if required => v.add(pointer, "is required"),
        Some(s) if s.chars().count() > MAX_LINE_CHARS => v.add(
            pointer,
            format!("must be at most {MAX_LINE_CHARS} characters"),
        ),
        Some(s) if s.chars().any(char::is_control) => {
            v.add(pointer, "must not contain control characters")
        }
        _ => {}
    }
    value
}

fn postal_code_ok(country: &str, code: &str) -> bool {
    let digits = |n: usize| code.len() == n && code.chars().all(|c| c.is_ascii_digit());
    match country {
        "ES" | "DE" | "FR" | "IT" => digits(5),
        "US" => {
            digits(5)
                || (code.len() == 10
                    && digits_at(code, &[0, 1, 2, 3, 4, 6, 7, 8, 9])
                    && code.as_bytes()[5] == b'-')
        }
        "PT" => {
            code.len() == 8 && code.as_bytes()[4] == b'-' && digits_at(code, &[0, 1, 2, 3, 5, 6, 7])
        }
        "GB" => {
            let compact: String = code.chars().filter(|c| !c.is_whitespace()).collect();
            (5..=7).contains(&compact.len())
                && compact.chars().all(|c| c.is_ascii_alphanumeric())
                && compact
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_alphabetic())
                && compact
                    .chars()
                    .rev()
                    .take(2)
                    .all(|c| c.is_ascii_alphabetic())
        }
        _ => {
            code.len() <= 12
                && code
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == ' ' || c == '-')
        }
    }
}

fn digits_at(code: &str, positions: &[usize]) -> bool {
    positions
        .iter()
        .all(|&i| code.as_bytes().get(i).is_some_and(u8::is_ascii_digit))
}

/// Apply the address rules, country by country; every field at fault is named.
pub fn validate_address(
    input: AddressInput,
    facts: &SiteFacts,
) -> Result<ValidAddress, Vec<FieldError>> {
    let mut v = Violations::default();
    let mut kinds = input.kinds.unwrap_or_default();
    kinds.dedup();
    kinds.sort_by_key(|k| *k == AddressKind::Delivery);
    kinds.dedup();
    if kinds.is_empty() {
        v.add("/kinds", "must include billing, delivery or both");
    }
    let name = text(input.name, "/name", true, &mut v);
    let line1 = text(input.line1, "/line1", true, &mut v);
    let line2 = text(input.line2, "/line2", false, &mut v);
    let city = text(input.city, "/city", true, &mut v);
    let country = match input.country {
        None => {
            v.add("/country", "is required");
            None
        }
        Some(raw) => parse_country(&raw, facts)
            .map_err(|e| v.add("/country", e))
            .ok(),
    };
    let region_required = country
        .as_deref()
        .is_some_and(|c| REGION_REQUIRED.contains(&c));
    let region = text(input.region, "/region", region_required, &mut v);
    let postal_required = country
        .as_deref()
        .is_some_and(|c| !NO_POSTAL_CODE.contains(&c));
    let postal_code =
        text(input.postal_code, "/postal_code", postal_required, &mut v).map(|p| p.to_uppercase());
    if let (Some(country), Some(code)) = (&country, &postal_code)
        && !postal_code_ok(country, code)
    {
        v.add(
            "/postal_code",
            format!("is not a postal code used in {country}"),
        );
    }
    let default_billing = input.default_billing.unwrap_or(false);
    let default_delivery = input.default_delivery.unwrap_or(false);
    if default_billing && !kinds.contains(&AddressKind::Billing) {
        v.add(
            "/default_billing",
            "only a billing address can be the default billing address",
        );
    }
    if default_delivery && !kinds.contains(&AddressKind::Delivery) {
        v.add(
            "/default_delivery",
            "only a delivery address can be the default delivery address",
        );
    }
    match (name, line1, city, country) {
        (Some(name), Some(line1), Some(city), Some(country)) if v.is_empty() => Ok(ValidAddress {
            address: Address {
                kinds,
                name,
                line1,
                line2,
                city,
                region,
                postal_code,
                country,
            },
            default_billing,
            default_delivery,
        }),
        _ => Err(v.into_vec()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site_config::facts;

    fn input(country: &str, postal_code: Option<&str>) -> AddressInput {
        AddressInput {
            kinds: Some(vec![
                AddressKind::Delivery,
                AddressKind::Billing,
                AddressKind::Delivery,
            ]),
            name: Some("Ana García".into()),
            line1: Some("Calle Mayor 1".into()),
            city: Some("Madrid".into()),
            postal_code: postal_code.map(String::from),
            country: Some(country.into()),
            default_delivery: Some(true),
            ..Default::default()
        }
    }

    fn pointers(r: Result<ValidAddress, Vec<FieldError>>) -> Vec<String> {
        r.unwrap_err().into_iter().map(|e| e.pointer).collect()
    }

    #[test]
    fn a_spanish_address() {
        let a = validate_address(input("es", Some("28013")), facts()).unwrap();
        assert_eq!(a.address.country, "ES");
        assert_eq!(
            a.address.kinds,
            [AddressKind::Billing, AddressKind::Delivery]
        );
        assert!(a.default_delivery && !a.default_billing);
    }

    #[test]
    fn country_rules() {
        assert_eq!(
            pointers(validate_address(input("ES", None), facts())),
            ["/postal_code"]
        );
        assert_eq!(
            pointers(validate_address(input("ES", Some("2801")), facts())),
            ["/postal_code"]
        );
        assert!(
            validate_address(input("HK", None), facts()).is_ok(),
            "Hong Kong has no postal codes"
        );
        assert_eq!(
            pointers(validate_address(input("US", Some("94105")), facts())),
            ["/region"]
        );
        assert!(validate_address(input("GB", Some("sw1a 1aa")), facts()).is_ok());
        assert_eq!(
            pointers(validate_address(input("GB", Some("12345")), facts())),
            ["/postal_code"]
        );
    }

    #[test]
    fn empty_and_inconsistent_input_names_every_field() {
        let errors = pointers(validate_address(
            AddressInput {
                default_billing: Some(true),
                ..Default::default()
            },
            facts(),
        ));
        assert_eq!(
            errors,
            [
                "/kinds",
                "/name",
                "/line1",
                "/city",
                "/country",
                "/default_billing"
            ]
        );
    }
}
