//! Data rights: export everything held about the customer, and erase it.

use super::sessions::{self, contact_key, email_hash};
use super::views::{ConsentEntryView, MeView};
use super::{App, AppError, live};
use crate::domain::session::SessionClaims;
use crate::mail;
use crate::store::export;
use crate::store::outbox::OutboxItem;
use crate::store::profile;
use crate::store::session::SessionGuard;
use crate::store::timeline::{self, TimelineEntry, what};
use crate::store::{erasure, keys};
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

/// `GET /api/me/export`: every item held about the customer, as stored, plus a summary.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Export {
    /// `ecrm-export/1`.
    #[schema(example = "ecrm-export/1")]
    pub format: &'static str,
    pub exported_at: String,
    pub customer_id: String,
    pub summary: MeView,
    pub consent_history: Vec<ConsentEntryView>,
    /// Every item held about the customer, as stored.
    #[schema(value_type = Vec<Object>)]
    pub items: Vec<Value>,
    /// Items kept under other keys that name the customer (sign-in codes, quotes).
    #[schema(value_type = Vec<Object>)]
    pub related_items: Vec<Value>,
}

pub async fn export(app: &App, session: &SessionClaims) -> Result<Export, AppError> {
    // Everything held, wherever it is kept; an item that cannot be read fails the
    // export (a 500, logged without its value): a data-subject export is complete or
    // not given at all.
    // The export goes on the timeline first, so the export holds its own entry; not
    // for a session that no longer holds (nothing is written for it).
    let exported_at = app.clock.rfc3339();
    let entry = TimelineEntry::new(&session.cid, &exported_at, what::EXPORTED);
    if !timeline::record(&app.store, &SessionGuard::of(session), &entry).await? {
        return Err(AppError::SignedOut);
    }
    let held = export::export(
        &app.store,
        &session.cid,
        &SessionGuard::of(session),
        &|email: &str| contact_key(app, email),
    )
    .await?
    .ok_or(AppError::SignedOut)?;
    live(session, Some(&held.profile))?;
    Ok(Export {
        format: "ecrm-export/1",
        exported_at,
        customer_id: held.profile.id.clone(),
        summary: MeView::of(&held.profile, &held.record.addresses),
        consent_history: held
            .record
            .consents
            .iter()
            .map(ConsentEntryView::of)
            .collect(),
        items: held.items,
        related_items: held.related_items,
    })
}

/// Erase everything; `confirm_email` must repeat the account's email, and `code` must be
/// a fresh sign-in code unless the session is under [`sessions::FRESH_SECONDS`] old. Erasing an
/// account that is already gone changes nothing and succeeds.
pub async fn erase(
    app: &App,
    session: &SessionClaims,
    confirm_email: Option<&str>,
    code: Option<&str>,
) -> Result<(), AppError> {
    let record = profile::load(&app.store, &session.cid).await?;
    if record.profile.is_none() {
        return Ok(());
    }
    let profile = live(session, record.profile.as_ref())?;
    let confirmed = confirm_email
        .map(|e| e.trim().to_lowercase())
        .is_some_and(|e| e == profile.email);
    if !confirmed {
        return Err(AppError::invalid(
            "/confirm_email",
            "type the email address of this account to confirm erasing it",
        ));
    }
    // A fresh proof: a session under 10 minutes old, or a code mailed just now. Someone
    // who finds a signed-in device left open cannot erase the account.
    if !sessions::is_fresh(app, session) {
        let code = code.ok_or_else(|| {
            AppError::invalid(
                "/code",
                "you signed in more than 10 minutes ago: ask for a code (POST /api/sessions) and send it with this request",
            )
        })?;
        if !sessions::proves(app, &profile.email, &profile.id, code).await? {
            return Err(AppError::invalid(
                "/code",
                "that code is wrong, used or expired: ask for a new one",
            ));
        }
    }
    let signin_pk = keys::signin_pk(&email_hash(app, &profile.email));
    erasure::erase(
        &app.store,
        &record,
        &SessionGuard::of(session),
        &signin_pk,
        &contact_key(app, &profile.email),
        &app.clock.rfc3339(),
        // No customer id: nothing about the erased customer may be kept, and the item
        // goes once sent.
        &OutboxItem::new(
            &profile.email,
            None,
            mail::lifecycle::erasure_done(profile.language),
            app.clock.rfc3339(),
            app.clock.unix(),
        ),
    )
    .await?;
    tracing::info!(customer_id = %profile.id, "customer erased");
    Ok(())
}
