//! What a mailed link may do without a session: confirm a pending marketing opt-in,
//! and see or change contact preferences (topics, channels, frequency, pause, marketing
//! email) on the no-login preference page, or unsubscribe from everything in one click
//! (RFC 8058). Each link is a signed token for one customer and one purpose
//! ([`crate::domain::link`]): it reads nothing else (no profile, addresses or quotes),
//! expires, and dies with "sign out everywhere" (the epoch) or a new server secret.

use super::consents::{self, ConsentChange, Request};
use super::{App, AppError};
use crate::domain::consent::{ConsentSource, ConsentStep, Purpose};
use crate::domain::customer::Language;
use crate::domain::link::{self, LinkClaims, LinkPurpose};
use crate::domain::profile::{ContactPreferences, parse_profile_patch};
use crate::mail::site_link;
use crate::site_config;
use crate::store::customers::{self, ProfileItem};
use crate::store::profile::{self, ChangeOutcome};
use crate::store::session::SessionGuard;
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

/// Who a link is for: the customer, their session epoch and language.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Holder<'a> {
    pub id: &'a str,
    pub epoch: u64,
    pub language: Language,
}

impl<'a> Holder<'a> {
    pub(crate) fn of(profile: &'a ProfileItem) -> Self {
        Self {
            id: &profile.id,
            epoch: profile.link_epoch,
            language: profile.language,
        }
    }
}

fn token(app: &App, purpose: LinkPurpose, holder: Holder<'_>, at: Option<&str>) -> String {
    link::sign(
        &app.secret,
        purpose,
        holder.id,
        holder.epoch,
        app.clock.unix(),
        at,
    )
}

/// The no-login preference page for this customer, in their language (the token in
/// the fragment, so it never reaches a server log or a `Referer`).
pub(crate) fn preference_link(app: &App, holder: Holder<'_>) -> String {
    let token = token(app, LinkPurpose::Preferences, holder, None);
    site_link(
        holder.language,
        &format!("/email-preferences/#token={token}"),
    )
}

/// The one-click unsubscribe URL for marketing mail's `List-Unsubscribe` header.
pub fn unsubscribe_link(app: &App, profile: &ProfileItem) -> String {
    let token = token(app, LinkPurpose::Preferences, Holder::of(profile), None);
    format!(
        "{}/api/unsubscribe?token={token}",
        site_config::facts().site_url
    )
}

/// The confirmation link of the pending opt-in recorded at `pending_at`: a page that
/// asks for one click (a mail scanner's visit confirms nothing).
pub(crate) fn confirm_link(app: &App, holder: Holder<'_>, pending_at: &str) -> String {
    let token = token(app, LinkPurpose::ConfirmMarketing, holder, Some(pending_at));
    site_link(
        holder.language,
        &format!("/email-preferences/#confirm={token}"),
    )
}

/// The guard a link's writes carry: the session epoch as read with the link's check
/// (a link has no session of its own; "sign out everywhere" between the read and the
/// write bumps it, and the write is refused).
fn guard(profile: &ProfileItem) -> SessionGuard {
    SessionGuard {
        epoch: profile.session_epoch,
        entry: "0:link".to_string(),
    }
}

/// The customer a link speaks for, if the link holds: signature, expiry, and the
/// customer's current link epoch. Every refusal is the same 401.
async fn holder(
    app: &App,
    purpose: LinkPurpose,
    token: Option<&str>,
) -> Result<(LinkClaims, ProfileItem), AppError> {
    let token = token.ok_or_else(|| AppError::invalid("/token", "is required"))?;
    let claims = link::verify(&app.secret, purpose, token, app.clock.unix())
        .map_err(|_| AppError::SignedOut)?;
    match customers::get_profile(&app.store, &claims.cid).await? {
        Some(profile) if profile.link_epoch == claims.epoch => Ok((claims, profile)),
        _ => Err(AppError::SignedOut),
    }
}

/// Confirm a pending marketing opt-in from its mailed link: granted, with a second
/// ledger entry (`confirmed`) and a receipt mail. A used or replaced link is a 409.
pub async fn confirm_marketing(app: &App, token: Option<&str>) -> Result<ConsentChange, AppError> {
    let (claims, profile) = holder(app, LinkPurpose::ConfirmMarketing, token).await?;
    consents::record(
        app,
        &profile,
        &guard(&profile),
        Request {
            purpose: Purpose::MarketingEmail,
            granted: true,
            step: Some(ConsentStep::Confirmed),
            pending_at: claims.at.as_deref(),
            source: ConsentSource::EmailLink,
        },
    )
    .await
}

/// What the no-login preference page shows: preferences only.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct LinkPreferences {
    pub topics: Vec<String>,
    pub contact: ContactPreferences,
    /// Marketing email in force (confirmed).
    pub marketing_email: bool,
    /// Asked for, waiting for the mailed confirmation.
    pub marketing_email_pending: bool,
}

impl LinkPreferences {
    fn of(profile: &ProfileItem) -> Self {
        Self {
            topics: profile.topics.clone(),
            contact: profile.contact.clone(),
            marketing_email: profile.consents.marketing_email,
            marketing_email_pending: profile.marketing_pending_at.is_some(),
        }
    }
}

pub async fn preferences(app: &App, token: Option<&str>) -> Result<LinkPreferences, AppError> {
    let (_, profile) = holder(app, LinkPurpose::Preferences, token).await?;
    Ok(LinkPreferences::of(&profile))
}

/// Change preferences from the page: `topics` and `contact` as in a merge patch of
/// the profile (nothing else may be named), and `marketing_email` (granting it asks
/// for confirmation by mail, as everywhere).
pub async fn change_preferences(
    app: &App,
    token: Option<&str>,
    patch: Value,
    marketing_email: Option<bool>,
) -> Result<LinkPreferences, AppError> {
    let Value::Object(fields) = &patch else {
        return Err(AppError::invalid("", "must be a JSON object"));
    };
    if let Some(other) = fields
        .keys()
        .find(|k| !matches!(k.as_str(), "topics" | "contact"))
    {
        return Err(AppError::invalid(
            &format!("/{other}"),
            "cannot be changed from a mailed link",
        ));
    }
    let now = app.clock.now();
    let changes =
        parse_profile_patch(&patch, site_config::facts(), now.date()).map_err(AppError::Invalid)?;
    let (_, mut profile) = holder(app, LinkPurpose::Preferences, token).await?;
    let guard = guard(&profile);
    if !changes.is_empty() {
        let at = crate::domain::clock::rfc3339(now);
        profile = match profile::change(
            &app.store,
            &profile.id,
            &guard,
            profile.version,
            &changes,
            &at,
        )
        .await?
        {
            ChangeOutcome::Changed(profile) => *profile,
            ChangeOutcome::StaleVersion => return Err(AppError::Stale),
            ChangeOutcome::SessionRevoked => return Err(AppError::SignedOut),
        };
    }
    if let Some(wanted) = marketing_email {
        let current = profile.consents.marketing_email || profile.marketing_pending_at.is_some();
        if wanted != current {
            set_marketing(app, &profile, &guard, wanted).await?;
            profile = customers::get_profile(&app.store, &profile.id)
                .await?
                .ok_or(AppError::SignedOut)?;
        }
    }
    Ok(LinkPreferences::of(&profile))
}

async fn set_marketing(
    app: &App,
    profile: &ProfileItem,
    guard: &SessionGuard,
    granted: bool,
) -> Result<ConsentChange, AppError> {
    consents::record(
        app,
        profile,
        guard,
        Request {
            purpose: Purpose::MarketingEmail,
            granted,
            step: granted.then_some(ConsentStep::Pending),
            pending_at: None,
            source: ConsentSource::EmailLink,
        },
    )
    .await
}

/// Unsubscribe from everything (the page's button and RFC 8058 one-click): marketing
/// email withdrawn (a ledger entry and its receipt) and every contact channel off.
/// Mail about the account itself (codes, quotes, receipts) still comes. Doing it twice
/// changes nothing more.
pub async fn unsubscribe_all(app: &App, token: Option<&str>) -> Result<LinkPreferences, AppError> {
    let (_, profile) = holder(app, LinkPurpose::Preferences, token).await?;
    let guard = guard(&profile);
    let off = serde_json::json!({"contact": {"channels": {"email": false, "sms": false, "phone": false, "post": false}}});
    let changes = parse_profile_patch(&off, site_config::facts(), app.clock.now().date())
        .map_err(AppError::Invalid)?;
    let profile = match profile::change(
        &app.store,
        &profile.id,
        &guard,
        profile.version,
        &changes,
        &app.clock.rfc3339(),
    )
    .await?
    {
        ChangeOutcome::Changed(profile) => *profile,
        ChangeOutcome::StaleVersion => return Err(AppError::Stale),
        ChangeOutcome::SessionRevoked => return Err(AppError::SignedOut),
    };
    if profile.consents.marketing_email || profile.marketing_pending_at.is_some() {
        set_marketing(app, &profile, &guard, false).await?;
    }
    tracing::info!(customer_id = %profile.id, "unsubscribed from everything by link");
    let profile = customers::get_profile(&app.store, &profile.id)
        .await?
        .ok_or(AppError::SignedOut)?;
    Ok(LinkPreferences::of(&profile))
}
