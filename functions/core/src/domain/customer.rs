//! Customers: the sign-up request, its rules, and the validated new customer.

use super::clock::Timestamp;
use super::consent::{ConsentState, Purpose};
use super::email::Email;
use super::validation::{FieldError, Violations};
use crate::site_config::SiteFacts;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub const MAX_DISPLAY_NAME_CHARS: usize = 80;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    En,
    Es,
}

impl Language {
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "en" => Some(Language::En),
            "es" => Some(Language::Es),
            _ => None,
        }
    }
}

/// Customer ids are ULIDs: sortable and not guessable enough to enumerate.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct CustomerId(String);

impl CustomerId {
    pub fn generate() -> Self {
        Self(ulid::Ulid::new().to_string())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// An id as this code stored it earlier.
    pub fn from_stored(id: &str) -> Self {
        Self(id.to_string())
    }
}

/// The body of `POST /api/customers` as sent. Every field is optional here so that a
/// missing one is reported by [`validate_sign_up`] together with all other problems;
/// wrong JSON types and unknown fields are rejected while parsing.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SignUpRequest {
    #[schema(required = true, schema_with = crate::openapi::rules::email)]
    pub email: Option<String>,
    #[schema(required = true, schema_with = crate::openapi::rules::display_name)]
    pub display_name: Option<String>,
    #[schema(required = true, nullable = false, value_type = Language)]
    pub language: Option<String>,
    #[schema(required = true, schema_with = crate::openapi::rules::country)]
    pub country: Option<String>,
    #[schema(schema_with = crate::openapi::rules::topics)]
    pub topics: Option<Vec<String>>,
    #[schema(required = true, nullable = false)]
    pub consents: Option<ConsentChoices>,
    /// Who the customer buys for (optional): it orders the home page's needs, gives
    /// recommendations their reasons, and for `business` shows prices before tax
    /// first with volume tiers highlighted. `null` is the same as absent.
    #[schema(value_type = Option<super::segment::BuysFor>)]
    pub buys_for: Option<String>,
}

/// Consent per purpose at sign-up; `account` must be `true` (it acknowledges the
/// privacy policy), the others default to `false`.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConsentChoices {
    #[schema(required = true, schema_with = crate::openapi::rules::must_be_true)]
    pub account: Option<bool>,
    pub marketing_email: Option<bool>,
    pub personalisation: Option<bool>,
}

/// A sign-up that passed every rule, ready to be stored.
#[derive(Debug, Clone, PartialEq)]
pub struct NewCustomer {
    pub id: CustomerId,
    pub email: Email,
    pub display_name: String,
    pub language: Language,
    pub country: String,
    pub topics: Vec<String>,
    pub consents: ConsentState,
    /// The privacy policy version the customer acknowledged.
    pub policy_version: String,
    /// UTC RFC 3339.
    pub created_at: Timestamp,
    /// Who they buy for, as stated at sign-up.
    pub buys_for: Option<super::segment::BuysFor>,
}

/// At most 80 characters as sent; trimmed, at least one letter or digit, no control
/// or text-direction characters, no stacked accents.
pub fn parse_display_name(raw: &str) -> Result<String, String> {
    let name = raw.trim();
    if name.is_empty() {
        return Err("is required".into());
    }
    // Counted as sent, spaces included: the documented limit is on the field.
    if raw.chars().count() > MAX_DISPLAY_NAME_CHARS {
        return Err(format!(
            "must be at most {MAX_DISPLAY_NAME_CHARS} characters"
        ));
    }
    if name.chars().any(char::is_control) {
        return Err("must not contain control characters".into());
    }
    if name.chars().any(is_bidi_control) {
        return Err("must not contain text-direction control characters".into());
    }
    if !name.chars().any(char::is_alphanumeric) {
        return Err("must contain at least one letter or digit".into());
    }
    if has_stacked_marks(name) {
        return Err("must not stack more than 3 accents on one letter".into());
    }
    Ok(name.to_string())
}

/// Embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069): they can make a
/// name display as something else in mail and on staff screens.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Combining diacritical marks (the common blocks).
fn is_combining_mark(c: char) -> bool {
    matches!(c,
        '\u{0300}'..='\u{036F}'
        | '\u{1AB0}'..='\u{1AFF}'
        | '\u{1DC0}'..='\u{1DFF}'
        | '\u{20D0}'..='\u{20FF}'
        | '\u{FE20}'..='\u{FE2F}')
}

/// More than three combining marks in a row ("Zalgo" text that spills over lines).
fn has_stacked_marks(name: &str) -> bool {
    let mut run = 0;
    for c in name.chars() {
        run = if is_combining_mark(c) { run + 1 } else { 0 };
        if run > 3 {
            return true;
        }
    }
    false
}

/// ISO 3166-1 alpha-2, case-insensitive on input, upper-case when stored.
pub fn parse_country(raw: &str, facts: &SiteFacts) -> Result<String, String> {
    let code = raw.trim().to_ascii_uppercase();
    if facts.is_country(&code) {
        Ok(code)
    } else {
        Err("must be an ISO 3166-1 alpha-2 country code, such as ES or GB".into())
    }
}

/// Known topic ids only; duplicates are dropped, order kept.
pub fn parse_topics(raw: &[String], facts: &SiteFacts, v: &mut Violations) -> Vec<String> {
    let mut topics: Vec<String> = Vec::new();
    for (index, topic) in raw.iter().enumerate() {
        if !facts.is_topic(topic) {
            v.add(
                format!("/topics/{index}"),
                "is not one of the topics offered",
            );
        } else if !topics.contains(topic) {
            topics.push(topic.clone());
        }
    }
    topics
}

/// Apply every sign-up rule; on failure, every field at fault is named.
pub fn validate_sign_up(
    request: SignUpRequest,
    facts: &SiteFacts,
    id: CustomerId,
    created_at: Timestamp,
) -> Result<NewCustomer, Vec<FieldError>> {
    let mut v = Violations::default();

    let email = v
        .required(request.email, "/email")
        .and_then(|raw| Email::parse(&raw).map_err(|e| v.add("/email", e)).ok());
    let display_name = v
        .required(request.display_name, "/display_name")
        .and_then(|raw| {
            parse_display_name(&raw)
                .map_err(|e| v.add("/display_name", e))
                .ok()
        });
    let language = v.required(request.language, "/language").and_then(|raw| {
        let parsed = Language::parse(&raw);
        if parsed.is_none() {
            v.add("/language", "must be \"en\" or \"es\"");
        }
        parsed
    });
    let country = v.required(request.country, "/country").and_then(|raw| {
        parse_country(&raw, facts)
            .map_err(|e| v.add("/country", e))
            .ok()
    });
    let topics = parse_topics(&request.topics.unwrap_or_default(), facts, &mut v);
    let buys_for = request.buys_for.and_then(|raw| {
        let parsed = super::segment::BuysFor::parse(&raw);
        if parsed.is_none() {
            v.add("/buys_for", "must be \"home\", \"gifts\" or \"business\"");
        }
        parsed
    });

    let choices = request.consents.unwrap_or_default();
    let consents = ConsentState {
        account: choices.account.unwrap_or(false),
        marketing_email: choices.marketing_email.unwrap_or(false),
        personalisation: choices.personalisation.unwrap_or(false),
    };
    for purpose in Purpose::ALL {
        if purpose.is_required() && !consents.get(purpose) {
            v.add(
                format!("/consents/{}", purpose.as_str()),
                "must be accepted: an account needs the privacy policy acknowledged",
            );
        }
    }

    match (email, display_name, language, country) {
        (Some(email), Some(display_name), Some(language), Some(country)) if v.is_empty() => {
            Ok(NewCustomer {
                id,
                email,
                display_name,
                language,
                country,
                topics,
                consents,
                policy_version: facts.policy_version.clone(),
                created_at,
                buys_for,
            })
        }
        _ => Err(v.into_vec()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site_config::facts;

    #[test]
    fn names_that_would_display_as_something_else_are_refused() {
        assert_eq!(parse_display_name("  Ana María ").unwrap(), "Ana María");
        assert_eq!(parse_display_name("José").unwrap(), "José");
        assert!(parse_display_name(&format!(" 000{}", " ".repeat(77))).is_err());
        assert!(parse_display_name("evil\u{202E}gnp.exe").is_err());
        assert!(parse_display_name("a\u{2066}b").is_err());
        assert!(parse_display_name("\u{200B}\u{200B}\u{200B}").is_err());
        assert!(parse_display_name("a\u{0301}\u{0301}\u{0301}\u{0301}").is_err());
        assert!(parse_display_name("e\u{0301}").is_ok());
        assert!(parse_display_name("...").is_err());
    }

    fn valid() -> SignUpRequest {
        SignUpRequest {
            email: Some(" Ana@Example.com".into()),
            display_name: Some(" Ana ".into()),
            language: Some("es".into()),
            country: Some("es".into()),
            topics: Some(vec!["gifts".into(), "kitchen".into(), "gifts".into()]),
            consents: Some(ConsentChoices {
                account: Some(true),
                marketing_email: None,
                personalisation: Some(true),
            }),
            buys_for: Some("business".into()),
        }
    }

    fn check(request: SignUpRequest) -> Result<NewCustomer, Vec<FieldError>> {
        validate_sign_up(
            request,
            facts(),
            CustomerId::generate(),
            crate::domain::clock::Timestamp::parse("2026-11-23T00:00:00.000000Z").unwrap(),
        )
    }

    fn pointers(errors: &[FieldError]) -> Vec<&str> {
        errors.iter().map(|e| e.pointer.as_str()).collect()
    }

    #[test]
    fn valid_sign_up_is_normalised() {
        let c = check(valid()).unwrap();
        assert_eq!(c.email.as_str(), "ana@example.com");
        assert_eq!(c.display_name, "Ana");
        assert_eq!(c.language, Language::Es);
        assert_eq!(c.country, "ES");
        assert_eq!(c.topics, ["gifts", "kitchen"]);
        assert_eq!(c.buys_for, Some(super::super::segment::BuysFor::Business));
        assert_eq!(
            c.consents,
            ConsentState {
                account: true,
                marketing_email: false,
                personalisation: true
            }
        );
        assert_eq!(c.policy_version, facts().policy_version);
    }

    #[test]
    fn empty_body_names_every_required_field() {
        let errors = check(SignUpRequest::default()).unwrap_err();
        assert_eq!(
            pointers(&errors),
            [
                "/email",
                "/display_name",
                "/language",
                "/country",
                "/consents/account"
            ]
        );
    }

    #[test]
    fn each_bad_field_is_named() {
        let mut r = valid();
        r.email = Some("not-an-email".into());
        r.display_name = Some("x".repeat(81));
        r.language = Some("fr".into());
        r.country = Some("XX".into());
        r.topics = Some(vec!["gifts".into(), "weapons".into()]);
        r.consents = Some(ConsentChoices {
            account: Some(false),
            ..Default::default()
        });
        let errors = check(r).unwrap_err();
        assert_eq!(
            pointers(&errors),
            [
                "/email",
                "/display_name",
                "/language",
                "/country",
                "/topics/1",
                "/consents/account"
            ]
        );
    }

    #[test]
    fn optional_consents_default_off() {
        let mut r = valid();
        r.consents = Some(ConsentChoices {
            account: Some(true),
            ..Default::default()
        });
        let c = check(r).unwrap();
        assert!(!c.consents.marketing_email && !c.consents.personalisation);
    }

    #[test]
    fn display_name_rules() {
        assert!(parse_display_name("   ").is_err());
        assert!(parse_display_name("a\u{7}b").is_err());
        assert_eq!(
            parse_display_name(&"ñ".repeat(80)).unwrap().chars().count(),
            80
        );
    }
}
