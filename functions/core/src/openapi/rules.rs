//! Field schemas for the rules the server enforces that a Rust type alone does not say:
//! lengths, patterns, and enumerations taken from the same facts the API validates
//! against (`site_config::facts()` for countries and topics, the bundled catalog for
//! SKUs). Used as `#[schema(schema_with = ...)]` on the request types, and by
//! [`refine`] for the rules that join fields (an address's country decides whether a
//! region and a postal code are needed, and their shape).
//!
//! The patterns are written for both ECMA-262 (JSON Schema) and Python's `re`
//! (schemathesis): no look-arounds, no `\p{..}`.

use crate::domain::address::{
    MAX_LINE_CHARS, NO_POSTAL_CODE, OTHER_POSTAL_CODE_PATTERN, OTHER_POSTAL_CODE_REQUIRED,
    POSTAL_CODE_PATTERNS, REGION_REQUIRED,
};
use crate::domain::catalog::{self, MAX_SKU_CHARS};
use crate::domain::customer::MAX_DISPLAY_NAME_CHARS;
use crate::domain::email::MAX_EMAIL_LEN;
use crate::site_config::facts;
use serde_json::{Value, json};
use utoipa::openapi::extensions::Extensions;
use utoipa::openapi::schema::{ArrayBuilder, Object, ObjectBuilder, SchemaType, Type};
use utoipa::openapi::{Array, OpenApi, RefOr, Schema};

/// No control characters (Rust's `char::is_control`: C0, DEL, C1).
const NO_CONTROLS: &str = r"[^\u0000-\u001F\u007F-\u009F]";
/// ... nor text-direction controls (see `domain::customer::parse_display_name`).
const NO_CONTROLS_NOR_BIDI: &str = r"[^\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]";

fn string() -> ObjectBuilder {
    ObjectBuilder::new().schema_type(Type::String)
}

/// `Email::parse`: a dot-atom local part (ASCII, 64 at most), a dotted domain, 254 at most;
/// spaces around it are trimmed. Said with a pattern rather than `format: email`,
/// which refuses the surrounding spaces the server trims (by design: the site and
/// its tests send ` Ana@Example.com `). The pattern's domain is ASCII; the server
/// also takes internationalised domains.
pub fn email() -> Object {
    const ATEXT: &str = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]";
    const LABEL: &str = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?";
    string()
        .min_length(Some(3))
        .max_length(Some(MAX_EMAIL_LEN))
        .pattern(Some(format!(
            r"^\s*(?=[^@\s]{{1,64}}@){ATEXT}+(?:\.{ATEXT}+)*@{LABEL}(?:\.{LABEL})+\s*$"
        )))
        .examples([json!("ana@example.com")])
        .build()
}

/// `parse_display_name`: 1 to 80 characters, at least one letter or digit, no control
/// or text-direction characters (surrounding white space, tabs and line ends
/// included, is trimmed).
pub fn display_name() -> Object {
    string()
        .min_length(Some(1))
        .max_length(Some(MAX_DISPLAY_NAME_CHARS))
        .pattern(Some(format!(
            r"^\s*{NO_CONTROLS_NOR_BIDI}*[^\W_]{NO_CONTROLS_NOR_BIDI}*\s*$"
        )))
        .examples([json!("Ana María")])
        .build()
}

/// An address line that must be there: 1 to 100 characters, not only spaces.
pub fn address_line() -> Object {
    string()
        .min_length(Some(1))
        .max_length(Some(MAX_LINE_CHARS))
        .pattern(Some(format!(
            r"^{NO_CONTROLS}*[^\s\u0000-\u001F\u007F-\u009F]{NO_CONTROLS}*$"
        )))
        .build()
}

/// An address line that may be left out, empty or null.
pub fn optional_address_line() -> Object {
    ObjectBuilder::new()
        .schema_type(SchemaType::from_iter([Type::String, Type::Null]))
        .max_length(Some(MAX_LINE_CHARS))
        .pattern(Some(format!("^{NO_CONTROLS}*$")))
        .build()
}

/// A postal code; whether it is needed and its shape depend on the country (see
/// [`refine`]).
pub fn postal_code() -> Object {
    ObjectBuilder::new()
        .schema_type(SchemaType::from_iter([Type::String, Type::Null]))
        .examples([json!("28001")])
        .build()
}

fn countries() -> Vec<String> {
    facts().countries.clone()
}

/// ISO 3166-1 alpha-2, one of the site's countries.
pub fn country() -> Object {
    string()
        .enum_values(Some(countries()))
        .description(Some("ISO 3166-1 alpha-2 country code."))
        .build()
}

/// A country as [`country`], or `null` (as absent: the signed-in customer's own).
pub fn country_or_null() -> Object {
    ObjectBuilder::new()
        .schema_type(SchemaType::from_iter([Type::String, Type::Null]))
        .enum_values(Some(
            countries()
                .into_iter()
                .map(|c| json!(c))
                .chain([Value::Null]),
        ))
        .description(Some("ISO 3166-1 alpha-2 country code, or null."))
        .build()
}

/// A topic id from the site's list.
pub fn topic() -> Object {
    string()
        .enum_values(Some(facts().topics.iter().map(|t| t.id.clone())))
        .build()
}

/// A customer need from the catalog's list (`domain::catalog::NEEDS`).
pub fn need() -> Object {
    string().enum_values(Some(catalog::NEEDS)).build()
}

/// A customer need from the catalog's list (`domain::catalog::NEEDS`), or `null` (as
/// absent).
pub fn need_or_null() -> Object {
    ObjectBuilder::new()
        .schema_type(SchemaType::from_iter([Type::String, Type::Null]))
        .enum_values(Some(
            catalog::NEEDS.iter().map(|n| json!(n)).chain([Value::Null]),
        ))
        .build()
}

/// Topics of interest (duplicates are dropped); may be null or left out.
pub fn topics() -> Array {
    ArrayBuilder::new()
        .schema_type(SchemaType::from_iter([Type::Array, Type::Null]))
        .items(topic())
        .build()
}

/// The SKUs of the bundled catalog (the one the runner seeds).
pub fn skus() -> Vec<String> {
    catalog::bundled()
        .map(|items| items.into_iter().map(|i| i.sku).collect())
        .unwrap_or_default()
}

/// A catalog SKU.
pub fn sku() -> Object {
    string()
        .enum_values(Some(skus()))
        .max_length(Some(MAX_SKU_CHARS))
        .build()
}

/// A quantity: at least 1, at most the largest `max_quantity` in the catalog (each
/// item's own limits are the line's `anyOf`).
pub fn quantity() -> Object {
    let most = catalog::bundled()
        .ok()
        .and_then(|items| items.iter().map(|i| i.max_quantity).max())
        .unwrap_or(u32::MAX);
    ObjectBuilder::new()
        .schema_type(Type::Integer)
        .minimum(Some(1))
        .maximum(Some(most))
        .build()
}

/// `true`, and nothing else (the `account` consent at sign-up).
pub fn must_be_true() -> Object {
    ObjectBuilder::new()
        .schema_type(Type::Boolean)
        .enum_values(Some([true]))
        .description(Some("Required: acknowledges the privacy policy."))
        .build()
}

/// Rules that join fields, added to the generated component schemas. JSON Schema's
/// `if`/`then`/`const`/`contains` are not modelled by utoipa 5's builders, so they are
/// written as schema keywords next to the generated ones.
pub fn refine(api: &mut OpenApi) {
    let Some(components) = api.components.as_mut() else {
        return;
    };
    if let Some(RefOr::T(Schema::Object(address))) = components.schemas.get_mut("AddressInput") {
        extend(address, [("allOf", address_rules())]);
    }
    if let Some(RefOr::T(Schema::Object(line))) = components.schemas.get_mut("LineRequest") {
        extend(line, [("anyOf", quantity_rules())]);
    }
}

fn extend<const N: usize>(object: &mut Object, keywords: [(&str, Value); N]) {
    object
        .extensions
        .get_or_insert_with(Extensions::default)
        .merge(keywords.into_iter().collect());
}

/// `domain::address::validate_address`: regions where post needs them, postal codes
/// where the country has them and in its shape (one `anyOf` entry per kind of
/// country), and a default only of the address's own kinds. Written with `anyOf` and
/// `contains` rather than `if`/`then`, which schemathesis cannot generate from.
fn address_rules() -> Value {
    let countries = countries();
    let mut shaped: Vec<&str> = Vec::new();
    let mut kinds: Vec<(Vec<&str>, &str, bool)> = Vec::new();
    for (group, pattern) in POSTAL_CODE_PATTERNS {
        shaped.extend_from_slice(group);
        kinds.push((group.to_vec(), pattern, true));
    }
    let rest: Vec<&str> = countries
        .iter()
        .map(String::as_str)
        .filter(|c| !shaped.contains(c))
        .collect();
    for needs_code in [true, false] {
        let group = rest
            .iter()
            .copied()
            .filter(|c| NO_POSTAL_CODE.contains(c) != needs_code)
            .collect();
        let pattern = if needs_code {
            OTHER_POSTAL_CODE_REQUIRED
        } else {
            OTHER_POSTAL_CODE_PATTERN
        };
        kinds.push((group, pattern, needs_code));
    }
    let mut classes = Vec::new();
    for (group, pattern, needs_code) in kinds {
        for needs_region in [true, false] {
            let members: Vec<&str> = group
                .iter()
                .copied()
                .filter(|c| REGION_REQUIRED.contains(c) == needs_region)
                .collect();
            if members.is_empty() {
                continue;
            }
            let mut required = vec!["country"];
            let code = if needs_code {
                required.push("postal_code");
                json!({ "type": "string", "pattern": pattern })
            } else {
                json!({ "type": ["string", "null"], "pattern": pattern })
            };
            let mut class =
                json!({ "properties": { "country": { "enum": members }, "postal_code": code } });
            if needs_region {
                required.push("region");
                class["properties"]["region"] =
                    serde_json::to_value(address_line()).unwrap_or_default();
            }
            class["required"] = json!(required);
            classes.push(class);
        }
    }
    let mut rules = vec![json!({ "anyOf": classes })];
    for (flag, kind) in [
        ("default_billing", "billing"),
        ("default_delivery", "delivery"),
    ] {
        rules.push(json!({ "anyOf": [
            { "properties": { flag: { "enum": [false, null] } } },
            { "required": ["kinds"], "properties": { "kinds": { "contains": { "const": kind } } } },
        ]}));
    }
    Value::Array(rules)
}

/// `domain::quote::price_request`: each item's own `min_quantity..=max_quantity`.
fn quantity_rules() -> Value {
    let items = catalog::bundled().unwrap_or_default();
    items
        .iter()
        .map(|item| {
            json!({ "properties": {
                "sku": { "const": item.sku },
                "quantity": { "minimum": item.min_quantity, "maximum": item.max_quantity },
            }})
        })
        .collect()
}

/// `POST /api/me/surveys/{id}/answers` `answers`: question id → option id, for the
/// questions of `site/data/surveys.toml` (which of them belong to the survey in the
/// path is checked by the server: 422 otherwise).
pub fn survey_answers() -> Object {
    let mut object = ObjectBuilder::new()
        .schema_type(Type::Object)
        .min_properties(Some(1))
        .max_properties(Some(3))
        .additional_properties(Some(
            utoipa::openapi::schema::AdditionalProperties::FreeForm(false),
        ));
    for survey in crate::domain::survey::all() {
        for question in &survey.questions {
            let options: Vec<String> = question.options.iter().map(|o| o.id.clone()).collect();
            object = object.property(&question.id, string().enum_values(Some(options)));
        }
    }
    object.build()
}
