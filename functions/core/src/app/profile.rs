//! The customer's profile and preferences: see them, change them under `If-Match`.

use super::sessions::{code_hash, email_hash};
use super::views::{MeView, ProfileView};
use super::{App, AppError, live};
use crate::domain::customer::Language;
use crate::domain::profile::parse_profile_patch;
use crate::domain::session::SessionClaims;
use crate::domain::signin::{CODE_TTL_SECONDS, display_code, generate_code};
use crate::mail::{email_change_code_mail, email_changed_notice, mask_email};
use crate::site_config;
use crate::store::customers;
use crate::store::keys;
use crate::store::outbox::OutboxItem;
use crate::store::profile::{self, ChangeOutcome};
use crate::store::session::SessionGuard;
use crate::store::signin::{self, PendingEmailChange, SignInItem};
use serde_json::Value;

/// Profile, preferences, addresses and consents: one Query of a key range that holds
/// only the profile and the addresses (history is read by its own routes).
pub async fn show(app: &App, session: &SessionClaims) -> Result<MeView, AppError> {
    let record = profile::load_profile_and_addresses(&app.store, &session.cid).await?;
    let profile = live(session, record.profile.as_ref())?;
    Ok(MeView::of(profile, &record.addresses))
}

/// What a change came to: the profile as it is now, and whether a move to a new email
/// address is waiting for the code mailed there.
#[derive(Debug, Clone, PartialEq)]
pub struct Changed {
    pub profile: ProfileView,
    pub email_change_pending: bool,
}

/// Apply a JSON Merge Patch to the profile if `version` is still current: one
/// conditional write. A new email is not applied: a code goes to the new address, and
/// only that code (at `POST /api/sessions/verify`) moves the account there.
pub async fn change(
    app: &App,
    session: &SessionClaims,
    version: u64,
    patch: &Value,
) -> Result<Changed, AppError> {
    let now = app.clock.now();
    let mut changes =
        parse_profile_patch(patch, site_config::facts(), now.date()).map_err(AppError::Invalid)?;
    let now = crate::domain::clock::rfc3339(now);
    let store = &app.store;
    let guard = SessionGuard::of(session);
    let mut new_email = changes.email.take();
    let view = if new_email.is_some() {
        // Comparing with the current address needs the profile: one read first.
        let current = customers::get_profile(store, &session.cid).await?;
        let current = live(session, current.as_ref())?;
        if new_email
            .as_ref()
            .is_some_and(|e| e.as_str() == current.email)
        {
            new_email = None;
        }
        if changes.is_empty() {
            if current.version != version {
                return Err(AppError::Stale);
            }
            ProfileView::of(current)
        } else {
            applied(profile::change(store, &session.cid, &guard, version, &changes, &now).await?)?
        }
    } else if changes.is_empty() {
        let record = profile::load_profile_and_addresses(store, &session.cid).await?;
        let current = live(session, record.profile.as_ref())?;
        unchanged(current.version, version, ProfileView::of(current))?
    } else {
        applied(profile::change(store, &session.cid, &guard, version, &changes, &now).await?)?
    };
    let email_change_pending = match new_email {
        Some(new_email) => {
            start_email_change(app, session, &view.email, new_email.as_str(), view.language)
                .await?;
            true
        }
        None => false,
    };
    Ok(Changed {
        profile: view,
        email_change_pending,
    })
}

fn applied(outcome: ChangeOutcome) -> Result<ProfileView, AppError> {
    match outcome {
        ChangeOutcome::Changed(profile) => Ok(ProfileView::of(&profile)),
        ChangeOutcome::StaleVersion => Err(AppError::Stale),
        ChangeOutcome::SessionRevoked => Err(AppError::SignedOut),
    }
}

/// Mail a code to `new_email` that moves the account there. If another account has
/// that address nothing is sent, and the answer is the same (no enumeration).
async fn start_email_change(
    app: &App,
    session: &SessionClaims,
    old_email: &str,
    new_email: &str,
    language: Language,
) -> Result<(), AppError> {
    let new_hash = email_hash(app, new_email);
    app.limit(vec![(
        "code-email",
        Some(new_hash.clone()),
        app.limits.codes_per_email,
    )])
    .await?;
    let now = app.clock.unix();
    let code = generate_code().map_err(|_| AppError::Internal("no randomness for a code"))?;
    let notice = email_changed_notice(language, &mask_email(new_email));
    let change = PendingEmailChange {
        customer_id: session.cid.clone(),
        old_email: old_email.to_string(),
        new_email: new_email.to_string(),
        epoch: session.epoch,
        old_signin_pk: keys::signin_pk(&email_hash(app, old_email)),
        notice,
    };
    let item =
        SignInItem::for_email_change(&new_hash, change, code_hash(app, &new_hash, &code), now);
    let mail = email_change_code_mail(&display_code(&code), CODE_TTL_SECONDS / 60);
    let mail = OutboxItem::new(
        new_email,
        Some(&session.cid),
        mail,
        app.clock.rfc3339(),
        now,
    );
    signin::start_email_change(&app.store, new_email, item, mail).await?;
    tracing::info!(customer_id = %session.cid, "email change asked for");
    Ok(())
}

/// An empty patch changes nothing: it answers the profile if `version` is current.
fn unchanged(current: u64, expected: u64, view: ProfileView) -> Result<ProfileView, AppError> {
    if current == expected {
        Ok(view)
    } else {
        Err(AppError::Stale)
    }
}
