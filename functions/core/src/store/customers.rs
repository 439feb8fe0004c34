//! The customer aggregate: profile, email claim and consent ledger, all in the
//! customer's partition except the email claim that makes emails unique.

use super::codec::{decode, decode_owned, n};
use super::keys::{self, EMAIL_SK, ItemKind, Key, PROFILE_SK};
use super::session::{REVOKED_SESSIONS, SessionGuard};
use super::timeline::{self, TimelineEntry, what};
use super::transact::{self, TransactError, transact_with_retry};
use super::update::{Expr, WithExpr};
use super::{Store, StoreError, unavailable};
use crate::domain::consent::{ConsentSource, ConsentState, ConsentStep, Purpose};
use crate::domain::customer::{Language, NewCustomer};
use crate::domain::profile::ContactPreferences;
use crate::domain::segment::{Segment, SegmentSource};
use aws_sdk_dynamodb::types::{AttributeValue, TransactWriteItem};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// The profile item (`CUSTOMER#<id>` / `PROFILE`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProfileItem {
    #[serde(rename = "PK")]
    pub pk: String,
    #[serde(rename = "SK")]
    pub sk: String,
    pub kind: String,
    pub id: String,
    pub email: String,
    pub display_name: String,
    pub language: Language,
    pub country: String,
    pub topics: Vec<String>,
    pub consents: ConsentState,
    pub policy_version: String,
    pub created_at: String,
    pub updated_at: String,
    /// Optimistic concurrency: every change increments it; the ETag derives from it.
    pub version: u64,
    /// Bumped to revoke every session at once.
    pub session_epoch: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(default)]
    pub contact: ContactPreferences,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_billing_address: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_delivery_address: Option<String>,
    /// How many addresses the customer has (the limit is checked against it).
    #[serde(default)]
    pub address_count: u32,
    /// Time of the newest consent ledger entry (see `consents::CONSENTS_CHANGED_AT`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consents_changed_at: Option<String>,
    /// The epoch mailed links (preferences, opt-in confirmation) are signed with: bumped
    /// by "sign out everywhere" and an email change, not by an ordinary sign-in, so a
    /// link in an older mail keeps working until then.
    #[serde(default)]
    pub link_epoch: u64,
    /// Marketing email asked for and not yet confirmed: the time of the pending ledger
    /// entry, which the mailed confirmation link names (see `store::optin`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub marketing_pending_at: Option<String>,
    /// Sessions signed out on their own (`<expiry>:<session id>`, a string set written
    /// only by update expressions; see `store::session`).
    #[serde(default, skip_serializing)]
    pub revoked_sessions: BTreeSet<String>,
    /// Who the customer buys for, with its source (see `domain::segment`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub buys_for: Option<Segment>,
    /// How many quotes the customer accepted (surveys can be offered after one).
    #[serde(default)]
    pub accepted_quotes: u32,
    /// When the customer declined the suggestion to buy as a business.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suggestion_dismissed_at: Option<String>,
    /// The customer asked never to be offered a survey again.
    #[serde(default)]
    pub surveys_off: bool,
}

/// The profile attribute mailed links are bound to (see [`ProfileItem::link_epoch`]).
pub const LINK_EPOCH: &str = "link_epoch";

/// The email claim item (`EMAIL#<normalised email>` / `EMAIL`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EmailClaimItem {
    #[serde(rename = "PK")]
    pub pk: String,
    #[serde(rename = "SK")]
    pub sk: String,
    pub kind: String,
    pub customer_id: String,
}

impl EmailClaimItem {
    pub fn new(email: &str, customer_id: &str) -> Self {
        Self {
            pk: keys::email_pk(email),
            sk: EMAIL_SK.into(),
            kind: ItemKind::EmailClaim.name().into(),
            customer_id: customer_id.into(),
        }
    }
}

/// One append-only consent ledger entry (`LEDGER#<id>` / `CONSENT#<time>#<purpose>`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConsentEventItem {
    #[serde(rename = "PK")]
    pub pk: String,
    #[serde(rename = "SK")]
    pub sk: String,
    pub kind: String,
    pub purpose: Purpose,
    pub granted: bool,
    /// `None` for the first decision (at sign-up).
    pub previous: Option<bool>,
    pub policy_version: String,
    pub source: ConsentSource,
    pub at: String,
    /// Marketing email's opt-in step (see [`ConsentStep`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub step: Option<ConsentStep>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CreateCustomerError {
    EmailTaken,
    Store(StoreError),
}

impl From<StoreError> for CreateCustomerError {
    fn from(e: StoreError) -> Self {
        CreateCustomerError::Store(e)
    }
}

/// Position of the email claim in the sign-up transaction.
pub(crate) const EMAIL_CLAIM_INDEX: usize = 1;

fn items_for(customer: &NewCustomer) -> (ProfileItem, EmailClaimItem, Vec<ConsentEventItem>) {
    let created_at = customer.created_at.to_string();
    let id = customer.id.as_str();
    let profile = ProfileItem {
        pk: keys::customer_pk(id),
        sk: PROFILE_SK.into(),
        kind: ItemKind::Profile.name().into(),
        id: id.into(),
        email: customer.email.as_str().into(),
        display_name: customer.display_name.clone(),
        language: customer.language,
        country: customer.country.clone(),
        topics: customer.topics.clone(),
        // Marketing email asked for at sign-up is pending until the mailed link
        // confirms it.
        consents: ConsentState {
            marketing_email: false,
            ..customer.consents
        },
        policy_version: customer.policy_version.clone(),
        created_at: created_at.clone(),
        updated_at: created_at.clone(),
        version: 1,
        session_epoch: 0,
        phone: None,
        contact: ContactPreferences::default(),
        default_billing_address: None,
        default_delivery_address: None,
        address_count: 0,
        consents_changed_at: Some(created_at.clone()),
        link_epoch: 0,
        marketing_pending_at: customer
            .consents
            .marketing_email
            .then(|| created_at.clone()),
        revoked_sessions: BTreeSet::new(),
        buys_for: customer.buys_for.map(|value| Segment {
            value,
            source: SegmentSource::Stated,
            at: created_at.clone(),
        }),
        accepted_quotes: 0,
        suggestion_dismissed_at: None,
        surveys_off: false,
    };
    let claim = EmailClaimItem::new(customer.email.as_str(), id);
    let consents = Purpose::ALL
        .iter()
        .map(|&purpose| ConsentEventItem {
            pk: keys::ledger_pk(id),
            sk: keys::consent_sk(&created_at, purpose.as_str()),
            kind: ItemKind::Consent.name().into(),
            purpose,
            granted: profile.consents.get(purpose),
            previous: None,
            policy_version: customer.policy_version.clone(),
            source: ConsentSource::SignUp,
            at: created_at.clone(),
            step: (purpose == Purpose::MarketingEmail && customer.consents.marketing_email)
                .then_some(ConsentStep::Pending),
        })
        .collect();
    (profile, claim, consents)
}

/// The writes that create a customer: profile, email claim (at
/// [`EMAIL_CLAIM_INDEX`]) and one consent entry per purpose, each only if new.
pub(crate) fn writes_for(
    store: &Store,
    customer: &NewCustomer,
) -> Result<Vec<TransactWriteItem>, StoreError> {
    let (profile, claim, consents) = items_for(customer);
    let mut writes = vec![
        transact::put_new(store, &profile)?,
        transact::put_new(store, &claim)?,
    ];
    for entry in &consents {
        writes.push(transact::put_new(store, entry)?);
    }
    let signed_up = TimelineEntry::new(&profile.id, &profile.created_at, what::SIGNED_UP);
    writes.push(timeline::write(store, &signed_up)?);
    Ok(writes)
}

/// Write the profile, the email claim and one consent entry per purpose in a single
/// `TransactWriteItems`: either all of them exist afterwards or none do.
pub async fn create(store: &Store, customer: &NewCustomer) -> Result<(), CreateCustomerError> {
    let writes = writes_for(store, customer)?;
    // A conflict with a concurrent sign-up is retried; the retry then sees the winner's
    // claim and answers EmailTaken.
    match transact_with_retry(store, writes).await {
        Ok(()) => Ok(()),
        Err(TransactError::ConditionFailed(c)) if c.failed(EMAIL_CLAIM_INDEX) => {
            Err(CreateCustomerError::EmailTaken)
        }
        Err(TransactError::ConditionFailed(_)) => Err(StoreError::Unavailable(
            "sign-up: a new customer's item already exists".into(),
        )
        .into()),
        Err(TransactError::Store(e)) => Err(e.into()),
    }
}

/// The profile item, if the customer exists (strongly consistent).
pub async fn get_profile(
    store: &Store,
    customer_id: &str,
) -> Result<Option<ProfileItem>, StoreError> {
    super::get_item(store, &Key::profile(customer_id))
        .await?
        .as_ref()
        .map(decode)
        .transpose()
}

/// Revoke every session: bump `session_epoch` (and forget single sign-outs, which the
/// new epoch covers), on condition that the caller's session still holds. Returns
/// false when it did not.
pub async fn bump_session_epoch(
    store: &Store,
    customer_id: &str,
    session: &SessionGuard,
) -> Result<bool, StoreError> {
    let mut e = Expr::new();
    e.increment("session_epoch", n(1u32))
        .add(LINK_EPOCH, n(1u32))
        .remove(REVOKED_SESSIONS);
    let holds = session.condition(&mut e);
    e.condition(holds);
    update_profile(store, customer_id, &e).await
}

/// Start a new session epoch (ending every session issued before), answering the
/// profile as it is now; `None` if the customer does not exist.
pub async fn start_new_epoch(
    store: &Store,
    customer_id: &str,
) -> Result<Option<ProfileItem>, StoreError> {
    let mut e = Expr::new();
    e.increment("session_epoch", n(1u32))
        .remove(REVOKED_SESSIONS);
    e.condition("attribute_exists(PK)");
    let result = store
        .client()
        .update_item()
        .table_name(store.table())
        .set_key(Some(Key::profile(customer_id).item()))
        .expr(&e)
        .return_values(aws_sdk_dynamodb::types::ReturnValue::AllNew)
        .send()
        .await;
    match result {
        Ok(output) => output.attributes.map(decode_owned).transpose(),
        Err(error) if super::is_condition_failure(&error) => Ok(None),
        Err(error) => Err(unavailable(&error)),
    }
}

/// Sign one session out: add it to `revoked_sessions`, and drop entries of sessions
/// that have expired anyway (`expired`, as read from the profile), so the set stays as
/// small as the customer's live sessions. Returns false when the session did not hold.
pub async fn revoke_session(
    store: &Store,
    customer_id: &str,
    session: &SessionGuard,
    expired: Vec<String>,
) -> Result<bool, StoreError> {
    let mut e = Expr::new();
    e.add(
        REVOKED_SESSIONS,
        AttributeValue::Ss(vec![session.entry.clone()]),
    );
    let holds = session.condition(&mut e);
    e.condition(holds);
    if !update_profile(store, customer_id, &e).await? {
        return Ok(false);
    }
    if !expired.is_empty() {
        // A separate call: one expression cannot both ADD to and DELETE from a set.
        let mut prune = Expr::new();
        prune.delete(REVOKED_SESSIONS, AttributeValue::Ss(expired));
        prune.condition("attribute_exists(PK)");
        update_profile(store, customer_id, &prune).await?;
    }
    Ok(true)
}

/// A conditional update of the profile; false when the condition did not hold.
async fn update_profile(store: &Store, customer_id: &str, e: &Expr) -> Result<bool, StoreError> {
    let result = store
        .client()
        .update_item()
        .table_name(store.table())
        .set_key(Some(Key::profile(customer_id).item()))
        .expr(e)
        .send()
        .await;
    match result {
        Ok(_) => Ok(true),
        Err(error) if super::is_condition_failure(&error) => Ok(false),
        Err(error) => Err(unavailable(&error)),
    }
}

#[cfg(test)]
#[path = "customers_tests.rs"]
mod tests;
