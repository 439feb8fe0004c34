//! The customer's own settings and the rules for changing them with a JSON Merge Patch
//! (RFC 7396): present keys change, `null` removes an optional value, absent keys stay.

use super::customer::{Language, parse_country, parse_display_name, parse_topics};
use super::email::Email;
use super::validation::{FieldError, Violations};
use crate::site_config::SiteFacts;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use time::Date;
use time::macros::format_description;
use utoipa::ToSchema;

/// How the customer agrees to be contacted, channel by channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ContactChannels {
    pub email: bool,
    pub sms: bool,
    pub phone: bool,
    pub post: bool,
}

impl Default for ContactChannels {
    /// Email only: the one channel every customer has given us.
    fn default() -> Self {
        Self {
            email: true,
            sms: false,
            phone: false,
            post: false,
        }
    }
}

pub const CHANNELS: [&str; 4] = ["email", "sms", "phone", "post"];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Frequency {
    Immediately,
    #[default]
    WeeklyDigest,
    MonthlyDigest,
}

impl Frequency {
    fn parse(raw: &str) -> Option<Self> {
        match raw {
            "immediately" => Some(Self::Immediately),
            "weekly_digest" => Some(Self::WeeklyDigest),
            "monthly_digest" => Some(Self::MonthlyDigest),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
pub struct ContactPreferences {
    #[serde(default)]
    #[schema(required = true)]
    pub channels: ContactChannels,
    #[serde(default)]
    #[schema(required = true)]
    pub frequency: Frequency,
    /// No contact at all until this date (inclusive), `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, format = Date)]
    pub paused_until: Option<String>,
}

/// A validated merge patch of the profile. `Some(None)` removes an optional value.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ProfileChanges {
    pub email: Option<Email>,
    pub display_name: Option<String>,
    pub language: Option<Language>,
    pub country: Option<String>,
    pub phone: Option<Option<String>>,
    pub topics: Option<Vec<String>>,
    pub channels: Vec<(&'static str, bool)>,
    pub frequency: Option<Frequency>,
    pub paused_until: Option<Option<String>>,
    /// Who the customer buys for, as they state it; `Some(None)` removes it.
    pub buys_for: Option<Option<super::segment::BuysFor>>,
}

impl ProfileChanges {
    pub fn is_empty(&self) -> bool {
        *self == ProfileChanges::default()
    }
}

/// Phone numbers in international form: `+`, then 8 to 15 digits (spaces, dots,
/// dashes and brackets are ignored and dropped).
pub fn parse_phone(raw: &str) -> Result<String, &'static str> {
    let trimmed = raw.trim();
    let digits: String = trimmed.chars().filter(|c| c.is_ascii_digit()).collect();
    let only_allowed = trimmed
        .chars()
        .all(|c| c.is_ascii_digit() || " .-()+".contains(c));
    if !trimmed.starts_with('+')
        || !only_allowed
        || trimmed.matches('+').count() != 1
        || !(8..=15).contains(&digits.len())
    {
        return Err("must be an international number such as +34 600 123 456");
    }
    Ok(format!("+{digits}"))
}

/// A pause date: `YYYY-MM-DD`, from today up to two years ahead.
pub fn parse_pause_date(raw: &str, today: Date) -> Result<String, &'static str> {
    let date = Date::parse(raw, format_description!("[year]-[month]-[day]"))
        .map_err(|_| "must be a date like 2027-01-31")?;
    if date < today {
        return Err("must be today or later");
    }
    if date > today.saturating_add(time::Duration::days(731)) {
        return Err("must be within two years");
    }
    Ok(raw.to_string())
}

fn string_at<'a>(value: &'a Value, pointer: &str, v: &mut Violations) -> Option<&'a str> {
    match value {
        Value::String(s) => Some(s),
        Value::Null => {
            v.add(pointer, "cannot be removed");
            None
        }
        _ => {
            v.add(pointer, "must be a string");
            None
        }
    }
}

/// Read a merge patch document into changes, naming every field at fault.
pub fn parse_profile_patch(
    patch: &Value,
    facts: &SiteFacts,
    today: Date,
) -> Result<ProfileChanges, Vec<FieldError>> {
    let mut v = Violations::default();
    let mut changes = ProfileChanges::default();
    let Value::Object(fields) = patch else {
        return Err(vec![FieldError::new(
            "",
            "must be a JSON object (a merge patch)",
        )]);
    };
    for (key, value) in fields {
        let pointer = format!("/{key}");
        match key.as_str() {
            "email" => {
                if let Some(raw) = string_at(value, &pointer, &mut v) {
                    match Email::parse(raw) {
                        Ok(email) => changes.email = Some(email),
                        Err(e) => v.add(&pointer, e),
                    }
                }
            }
            "display_name" => {
                if let Some(raw) = string_at(value, &pointer, &mut v) {
                    match parse_display_name(raw) {
                        Ok(name) => changes.display_name = Some(name),
                        Err(e) => v.add(&pointer, e),
                    }
                }
            }
            "language" => {
                if let Some(raw) = string_at(value, &pointer, &mut v) {
                    match Language::parse(raw) {
                        Some(language) => changes.language = Some(language),
                        None => v.add(&pointer, "must be \"en\" or \"es\""),
                    }
                }
            }
            "country" => {
                if let Some(raw) = string_at(value, &pointer, &mut v) {
                    match parse_country(raw, facts) {
                        Ok(country) => changes.country = Some(country),
                        Err(e) => v.add(&pointer, e),
                    }
                }
            }
            "phone" => match value {
                Value::Null => changes.phone = Some(None),
                Value::String(raw) => match parse_phone(raw) {
                    Ok(phone) => changes.phone = Some(Some(phone)),
                    Err(e) => v.add(&pointer, e),
                },
                _ => v.add(&pointer, "must be a string or null"),
            },
            "topics" => match value {
                Value::Array(items) => {
                    // Non-strings are named here; strings go through the sign-up rule,
                    // keeping their positions so pointers stay right.
                    let raw: Vec<String> = items
                        .iter()
                        .map(|i| i.as_str().unwrap_or("").to_string())
                        .collect();
                    let mut topic_errors = Violations::default();
                    let topics = parse_topics(&raw, facts, &mut topic_errors);
                    for (i, item) in items.iter().enumerate() {
                        if !item.is_string() {
                            v.add(format!("/topics/{i}"), "must be a string");
                        }
                    }
                    for error in topic_errors.into_vec() {
                        let index: Option<usize> = error
                            .pointer
                            .rsplit('/')
                            .next()
                            .and_then(|i| i.parse().ok());
                        if index.is_some_and(|i| items[i].is_string()) {
                            v.add(error.pointer, error.detail);
                        }
                    }
                    changes.topics = Some(topics);
                }
                Value::Null => changes.topics = Some(Vec::new()),
                _ => v.add(&pointer, "must be a list of topic ids"),
            },
            "buys_for" => match value {
                Value::Null => changes.buys_for = Some(None),
                Value::String(raw) => match super::segment::BuysFor::parse(raw) {
                    Some(b) => changes.buys_for = Some(Some(b)),
                    None => v.add(
                        &pointer,
                        "must be \"home\", \"gifts\", \"business\" or null",
                    ),
                },
                _ => v.add(&pointer, "must be a string or null"),
            },
            "contact" => match value {
                Value::Object(contact) => parse_contact(contact, &mut changes, &mut v, today),
                _ => v.add(&pointer, "must be an object"),
            },
            _ => v.add(&pointer, "is not a field that can be changed"),
        }
    }
    if v.is_empty() {
        Ok(changes)
    } else {
        Err(v.into_vec())
    }
}

fn parse_contact(
    contact: &Map<String, Value>,
    changes: &mut ProfileChanges,
    v: &mut Violations,
    today: Date,
) {
    for (key, value) in contact {
        let pointer = format!("/contact/{key}");
        match key.as_str() {
            "channels" => match value {
                Value::Object(channels) => {
                    for (name, on) in channels {
                        let at = format!("/contact/channels/{name}");
                        match (CHANNELS.iter().find(|c| *c == name), on) {
                            (Some(channel), Value::Bool(on)) => {
                                changes.channels.push((channel, *on))
                            }
                            (Some(_), _) => v.add(at, "must be true or false"),
                            (None, _) => {
                                v.add(at, "is not a contact channel (email, sms, phone, post)")
                            }
                        }
                    }
                }
                _ => v.add(&pointer, "must be an object of channel: true/false"),
            },
            "frequency" => match value.as_str().and_then(Frequency::parse) {
                Some(frequency) => changes.frequency = Some(frequency),
                None => v.add(
                    &pointer,
                    "must be immediately, weekly_digest or monthly_digest",
                ),
            },
            "paused_until" => match value {
                Value::Null => changes.paused_until = Some(None),
                Value::String(raw) => match parse_pause_date(raw, today) {
                    Ok(date) => changes.paused_until = Some(Some(date)),
                    Err(e) => v.add(&pointer, e),
                },
                _ => v.add(&pointer, "must be a date or null"),
            },
            _ => v.add(&pointer, "is not a contact setting"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site_config::facts;
    use serde_json::json;
    use time::macros::date;

    const TODAY: Date = date!(2026 - 11 - 23);

    fn parse(patch: Value) -> Result<ProfileChanges, Vec<String>> {
        parse_profile_patch(&patch, facts(), TODAY)
            .map_err(|e| e.into_iter().map(|f| f.pointer).collect())
    }

    #[test]
    fn a_patch_changes_only_what_it_names() {
        let c = parse(json!({"display_name": " Ana M ", "contact": {"channels": {"sms": true}, "paused_until": "2027-01-31"}})).unwrap();
        assert_eq!(c.display_name.as_deref(), Some("Ana M"));
        assert_eq!(c.channels, [("sms", true)]);
        assert_eq!(c.paused_until, Some(Some("2027-01-31".into())));
        assert!(c.language.is_none() && c.topics.is_none() && c.email.is_none());
    }

    #[test]
    fn null_removes_optional_values_only() {
        let c = parse(json!({"phone": null, "contact": {"paused_until": null}})).unwrap();
        assert_eq!(c.phone, Some(None));
        assert_eq!(c.paused_until, Some(None));
        assert_eq!(
            parse(json!({"display_name": null, "email": null})).unwrap_err(),
            ["/display_name", "/email"]
        );
    }

    #[test]
    fn every_bad_field_is_named() {
        let errors = parse(json!({
            "language": "fr", "country": "XX", "phone": "600", "topics": ["gifts", 3, "nope"],
            "contact": {"channels": {"fax": true, "sms": "yes"}, "frequency": "hourly", "paused_until": "2020-01-01"},
            "id": "other", "email": "bad"
        }))
        .unwrap_err();
        for pointer in [
            "/language",
            "/country",
            "/phone",
            "/topics/1",
            "/topics/2",
            "/contact/channels/fax",
            "/contact/channels/sms",
            "/contact/frequency",
            "/contact/paused_until",
            "/id",
            "/email",
        ] {
            assert!(
                errors.contains(&pointer.to_string()),
                "{pointer} in {errors:?}"
            );
        }
        assert_eq!(parse(json!([1])).unwrap_err(), [""]);
    }

    #[test]
    fn phones_and_dates() {
        assert_eq!(parse_phone("+34 600-123 456").unwrap(), "+34600123456");
        assert!(parse_phone("600123456").is_err());
        assert!(parse_phone("+34 600 12a 456").is_err());
        assert!(parse_pause_date("2026-11-23", TODAY).is_ok());
        assert!(parse_pause_date("2026-11-22", TODAY).is_err());
        assert!(parse_pause_date("2029-01-01", TODAY).is_err());
        assert!(parse_pause_date("23/11/2026", TODAY).is_err());
    }

    #[test]
    fn empty_patch_is_no_change() {
        assert!(parse(json!({})).unwrap().is_empty());
    }
}
