//! The customer's profile and preferences: see them, change them under `If-Match`.

use super::views::{MeView, ProfileView};
use super::{App, AppError, live};
use crate::domain::profile::parse_profile_patch;
use crate::domain::session::SessionClaims;
use crate::site_config;
use crate::store::customers;
use crate::store::profile::{self, ChangeOutcome};
use crate::store::session::SessionGuard;
use serde_json::Value;

/// Profile, preferences, addresses and consents, from one Query.
pub async fn show(app: &App, session: &SessionClaims) -> Result<MeView, AppError> {
    let record = profile::load(&app.store, &session.cid).await?;
    let profile = live(session, record.profile.as_ref())?;
    Ok(MeView::of(profile, &record.addresses))
}

/// Apply a JSON Merge Patch to the profile if `version` is still current: one
/// conditional write (a transaction when the email, and so its claim, moves).
pub async fn change(
    app: &App,
    session: &SessionClaims,
    version: u64,
    patch: &Value,
) -> Result<ProfileView, AppError> {
    let now = app.clock.now();
    let mut changes =
        parse_profile_patch(patch, site_config::facts(), now.date()).map_err(AppError::Invalid)?;
    let now = crate::domain::clock::rfc3339(now);
    let store = &app.store;
    let outcome = if changes.email.is_some() {
        // Moving the email claim needs the old address: one read first.
        let current = customers::get_profile(store, &session.cid).await?;
        let current = live(session, current.as_ref())?;
        if changes
            .email
            .as_ref()
            .is_some_and(|e| e.as_str() == current.email)
        {
            changes.email = None;
        }
        if changes.is_empty() {
            return unchanged(current.version, version, ProfileView::of(current));
        }
        profile::change_with_email(
            store,
            &session.cid,
            &current.email,
            &SessionGuard::of(session),
            version,
            &changes,
            &now,
        )
        .await?
    } else if changes.is_empty() {
        let record = profile::load(store, &session.cid).await?;
        let current = live(session, record.profile.as_ref())?;
        return unchanged(current.version, version, ProfileView::of(current));
    } else {
        profile::change(
            store,
            &session.cid,
            &SessionGuard::of(session),
            version,
            &changes,
            &now,
        )
        .await?
    };
    match outcome {
        ChangeOutcome::Changed(profile) => Ok(ProfileView::of(&profile)),
        ChangeOutcome::StaleVersion => Err(AppError::Stale),
        ChangeOutcome::SessionRevoked => Err(AppError::SignedOut),
        ChangeOutcome::EmailTaken => Err(AppError::EmailTaken {
            detail: "Another account already uses this email.",
        }),
    }
}

/// An empty patch changes nothing: it answers the profile if `version` is current.
fn unchanged(current: u64, expected: u64, view: ProfileView) -> Result<ProfileView, AppError> {
    if current == expected {
        Ok(view)
    } else {
        Err(AppError::Stale)
    }
}
