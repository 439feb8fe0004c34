//! Data rights: export everything held about the customer, and erase it.

use super::sessions::email_hash;
use super::views::{ConsentEntryView, MeView};
use super::{App, AppError, live};
use crate::domain::session::SessionClaims;
use crate::store::export::items_as_json;
use crate::store::profile;
use crate::store::session::SessionGuard;
use crate::store::{erasure, keys};
use serde::Serialize;
use serde_json::Value;

/// `GET /api/me/export`: every item held about the customer, as stored, plus a summary.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Export {
    pub format: &'static str,
    pub exported_at: String,
    pub customer_id: String,
    pub summary: MeView,
    pub consent_history: Vec<ConsentEntryView>,
    pub items: Vec<Value>,
    pub related_items: Vec<Value>,
}

pub async fn export(app: &App, session: &SessionClaims) -> Result<Export, AppError> {
    let record = profile::load(&app.store, &session.cid).await?;
    let profile = live(session, record.profile.as_ref())?;
    let held_elsewhere = erasure::items_held_elsewhere(&app.store, profile).await?;
    Ok(Export {
        format: "ecrm-export/1",
        exported_at: app.clock.rfc3339(),
        customer_id: profile.id.clone(),
        summary: MeView::of(profile, &record.addresses),
        consent_history: record.consents.iter().map(ConsentEntryView::of).collect(),
        // An item that cannot be read fails the export (a 500, logged without its
        // value): a data-subject export is complete or not given at all.
        items: items_as_json(&record.raw)?,
        related_items: items_as_json(&held_elsewhere)?,
    })
}

/// Erase everything; `confirm_email` must repeat the account's email. Erasing an
/// account that is already gone changes nothing and succeeds.
pub async fn erase(
    app: &App,
    session: &SessionClaims,
    confirm_email: Option<&str>,
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
    let signin_pk = keys::signin_pk(&email_hash(app, &profile.email));
    erasure::erase(
        &app.store,
        &record,
        &SessionGuard::of(session),
        &signin_pk,
        &app.clock.rfc3339(),
    )
    .await?;
    tracing::info!(customer_id = %profile.id, "customer erased");
    Ok(())
}
