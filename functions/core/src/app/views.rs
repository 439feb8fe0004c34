//! Typed answers of the use cases: what a customer sees, never a store row.

use crate::domain::address::{Address, MAX_ADDRESSES};
use crate::domain::clock::Timestamp;
use crate::domain::consent::{ConsentSource, ConsentState, ConsentStep, Decision, Purpose};
use crate::domain::customer::Language;
use crate::domain::pricing::PricedLine;
use crate::domain::profile::ContactPreferences;
use crate::domain::quote::{Contact, Quote, ShownStatus};
use crate::domain::segment::{BuysFor, SegmentSource};
use crate::store::addresses::AddressItem;
use crate::store::customers::{ConsentEventItem, ProfileItem};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A function's health answer (`GET /api/health/<function>`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, ToSchema)]
pub struct Health {
    #[schema(value_type = String, pattern = "^ok$", example = "ok")]
    pub status: &'static str,
    /// The function that answered.
    pub function: &'static str,
}

impl Health {
    pub fn of(function: &'static str) -> Self {
        Self {
            status: "ok",
            function,
        }
    }
}

/// Who a session belongs to (`GET /api/sessions/current`, sign-in).
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[schema(as = Session)]
pub struct SessionView {
    pub id: String,
    pub display_name: String,
    pub language: Language,
}

impl SessionView {
    pub(crate) fn of(profile: &ProfileItem) -> Self {
        Self {
            id: profile.id.clone(),
            display_name: profile.display_name.clone(),
            language: profile.language,
        }
    }
}

/// A signed-in customer and the epoch a new session must carry.
#[derive(Debug, Clone, PartialEq)]
pub struct SignedInCustomer {
    pub view: SessionView,
    pub epoch: u64,
    /// The code finished a sign-up: the account was created just now.
    pub new_account: bool,
}

/// The profile and preferences (`PATCH /api/me`), with the version its ETag names.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[schema(as = Profile)]
pub struct ProfileView {
    pub id: String,
    pub email: String,
    pub display_name: String,
    pub language: Language,
    pub country: String,
    pub phone: Option<String>,
    pub topics: Vec<String>,
    pub contact: ContactPreferences,
    pub consents: ConsentState,
    pub policy_version: String,
    pub created_at: String,
    pub updated_at: String,
    /// Who the customer buys for (`null` when not said), and where that came from.
    pub buys_for: Option<BuysFor>,
    pub buys_for_source: Option<SegmentSource>,
    #[serde(skip)]
    pub version: u64,
}

impl ProfileView {
    pub(crate) fn of(profile: &ProfileItem) -> Self {
        Self {
            id: profile.id.clone(),
            email: profile.email.clone(),
            display_name: profile.display_name.clone(),
            language: profile.language,
            country: profile.country.clone(),
            phone: profile.phone.clone(),
            topics: profile.topics.clone(),
            contact: profile.contact.clone(),
            consents: profile.consents,
            policy_version: profile.policy_version.clone(),
            created_at: profile.created_at.clone(),
            updated_at: profile.updated_at.clone(),
            buys_for: profile.buys_for.as_ref().map(|s| s.value),
            buys_for_source: profile.buys_for.as_ref().map(|s| s.source),
            version: profile.version,
        }
    }
}

/// One address as the customer sees it.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[schema(as = Address)]
pub struct AddressView {
    #[serde(flatten)]
    #[schema(inline)]
    pub address: Address,
    pub id: String,
    pub default_billing: bool,
    pub default_delivery: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<String>,
}

impl AddressView {
    pub(crate) fn of(item: &AddressItem, profile: &ProfileItem) -> Self {
        Self {
            address: item.address.clone(),
            id: item.id.clone(),
            default_billing: profile.default_billing_address.as_deref() == Some(&item.id),
            default_delivery: profile.default_delivery_address.as_deref() == Some(&item.id),
            created_at: Some(item.created_at.clone()),
            updated_at: Some(item.updated_at.clone()),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, ToSchema)]
pub struct Limits {
    /// How many addresses a customer can keep.
    #[schema(minimum = 10, maximum = 10)]
    pub max_addresses: u32,
}

/// Everything `GET /api/me` shows, with the version its ETag names.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[schema(as = Me)]
pub struct MeView {
    #[serde(flatten)]
    #[schema(inline)]
    pub profile: ProfileView,
    pub addresses: Vec<AddressView>,
    pub limits: Limits,
}

impl MeView {
    pub(crate) fn of(profile: &ProfileItem, addresses: &[AddressItem]) -> Self {
        Self {
            profile: ProfileView::of(profile),
            addresses: addresses
                .iter()
                .map(|a| AddressView::of(a, profile))
                .collect(),
            limits: Limits {
                max_addresses: MAX_ADDRESSES,
            },
        }
    }

    pub fn version(&self) -> u64 {
        self.profile.version
    }
}

/// One consent ledger entry, with the address of its receipt.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[schema(as = LedgerEntry)]
pub struct ConsentEntryView {
    pub receipt_id: String,
    pub purpose: Purpose,
    pub granted: bool,
    pub previous: Option<bool>,
    pub at: String,
    pub policy_version: String,
    pub source: ConsentSource,
    /// Marketing email's two steps (`pending`, `confirmed`); absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub step: Option<ConsentStep>,
    pub receipt_url: String,
}

pub(crate) fn decision(entry: &ConsentEventItem) -> Decision<'_> {
    Decision {
        purpose: entry.purpose,
        granted: entry.granted,
        previous: entry.previous,
        at: &entry.at,
        policy_version: &entry.policy_version,
        source: entry.source,
        step: entry.step,
    }
}

impl ConsentEntryView {
    pub(crate) fn of(entry: &ConsentEventItem) -> Self {
        let receipt_id = decision(entry).receipt_id();
        Self {
            receipt_url: format!("/api/me/consents/receipts/{receipt_id}"),
            receipt_id,
            purpose: entry.purpose,
            granted: entry.granted,
            previous: entry.previous,
            at: entry.at.clone(),
            policy_version: entry.policy_version.clone(),
            source: entry.source,
            step: entry.step,
        }
    }
}

/// A quote as answered: the stored quote with the status a reader sees at the time,
/// and, on creation for a visitor, the link that opens it. Also kept as the answer an
/// idempotent retry replays, hence `Deserialize`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[schema(as = Quote)]
pub struct QuoteView {
    pub id: String,
    /// `Q-<year>-<XXXX>-<XXXX>`.
    pub number: String,
    pub status: ShownStatus,
    /// Members' quotes only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub customer_id: Option<String>,
    pub customer: Contact,
    pub country: String,
    pub currency: String,
    pub lines: Vec<PricedLine>,
    pub subtotal_minor: u64,
    pub discount_rate_bp: u32,
    pub discount_minor: u64,
    pub tax_minor: u64,
    pub total_minor: u64,
    pub created_at: String,
    pub valid_until: String,
    #[schema(required = true)]
    pub accepted_at: Option<String>,
    /// The order request an accepted quote became, with its status and history;
    /// `null` until accepted.
    #[serde(default)]
    #[schema(required = true)]
    pub order: Option<crate::domain::order::OrderState>,
    /// A visitor's link token (on creation only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub token: Option<String>,
    /// A visitor's link (on creation only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub link: Option<String>,
}

impl QuoteView {
    /// `quote` as a reader sees it at `now`.
    pub fn of(quote: &Quote, now: Timestamp) -> Self {
        Self {
            id: quote.id.clone(),
            number: quote.number.clone(),
            status: quote.shown_status(now),
            customer_id: quote.customer_id.clone(),
            customer: quote.customer.clone(),
            country: quote.country.clone(),
            currency: quote.currency.clone(),
            lines: quote.lines.clone(),
            subtotal_minor: quote.subtotal_minor,
            discount_rate_bp: quote.discount_rate_bp,
            discount_minor: quote.discount_minor,
            tax_minor: quote.tax_minor,
            total_minor: quote.total_minor,
            created_at: quote.created_at.to_string(),
            valid_until: quote.valid_until.to_string(),
            accepted_at: quote.accepted_at.map(|at| at.to_string()),
            order: quote.order.clone(),
            token: None,
            link: None,
        }
    }
}
