//! Typed answers of the use cases: what a customer sees, never a store row.

use crate::domain::address::{Address, MAX_ADDRESSES};
use crate::domain::consent::{ConsentSource, ConsentState, Decision, Purpose};
use crate::domain::customer::Language;
use crate::domain::profile::ContactPreferences;
use crate::store::addresses::AddressItem;
use crate::store::customers::{ConsentEventItem, ProfileItem};
use serde::Serialize;

/// Who a session belongs to (`GET /api/sessions/current`, sign-in).
#[derive(Debug, Clone, PartialEq, Serialize)]
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
#[derive(Debug, Clone, PartialEq, Serialize)]
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
            version: profile.version,
        }
    }
}

/// One address as the customer sees it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AddressView {
    #[serde(flatten)]
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

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Limits {
    pub max_addresses: u32,
}

/// Everything `GET /api/me` shows, with the version its ETag names.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MeView {
    #[serde(flatten)]
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
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConsentEntryView {
    pub receipt_id: String,
    pub purpose: Purpose,
    pub granted: bool,
    pub previous: Option<bool>,
    pub at: String,
    pub policy_version: String,
    pub source: ConsentSource,
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
        }
    }
}
