//! The schema of `PATCH /api/me`'s body, for the OpenAPI document. The handler reads
//! the body as JSON and [`super::profile::parse_profile_patch`] applies the rules (a
//! merge patch must tell "absent" from "null"); these types say the same rules for
//! clients and fuzzers. Change both together.

use serde::Deserialize;
use utoipa::ToSchema;

/// JSON Merge Patch (RFC 7396) of the profile: present keys change, `null` removes an
/// optional value (`phone`, `topics`, `contact.paused_until`).
#[derive(Deserialize, ToSchema)]
#[schema(as = ProfilePatch)]
#[allow(dead_code)] // A schema only, see the module notes.
#[serde(deny_unknown_fields)]
pub struct ProfilePatch {
    #[schema(schema_with = crate::openapi::rules::email)]
    email: Option<String>,
    #[schema(schema_with = crate::openapi::rules::display_name)]
    display_name: Option<String>,
    #[schema(nullable = false)]
    language: Option<super::customer::Language>,
    #[schema(schema_with = crate::openapi::rules::country)]
    country: Option<String>,
    /// International form: `+` and 8 to 15 digits (spaces, dots, dashes and brackets
    /// are dropped); `null` removes it.
    #[schema(
        pattern = r"^\s*\+[ .()-]*(?:[0-9][ .()-]*){8,15}\s*$",
        example = "+34 600 123 456"
    )]
    phone: Option<String>,
    #[schema(schema_with = crate::openapi::rules::topics)]
    topics: Option<Vec<String>>,
    #[schema(nullable = false)]
    contact: Option<ContactPatch>,
    /// Who the customer buys for; `null` removes it.
    buys_for: Option<super::segment::BuysFor>,
}

/// The contact settings to change.
#[derive(Deserialize, ToSchema)]
#[allow(dead_code)]
#[serde(deny_unknown_fields)]
pub struct ContactPatch {
    #[schema(nullable = false)]
    channels: Option<ChannelsPatch>,
    #[schema(nullable = false)]
    frequency: Option<super::profile::Frequency>,
    /// No contact until this date (inclusive), from today up to two years ahead;
    /// `null` resumes contact.
    #[schema(format = Date)]
    paused_until: Option<String>,
}

/// The channels to switch on (`true`) or off.
#[derive(Deserialize, ToSchema)]
#[allow(dead_code)]
#[serde(deny_unknown_fields)]
pub struct ChannelsPatch {
    #[schema(nullable = false)]
    email: Option<bool>,
    #[schema(nullable = false)]
    sms: Option<bool>,
    #[schema(nullable = false)]
    phone: Option<bool>,
    #[schema(nullable = false)]
    post: Option<bool>,
}
