//! Consents: the current state, the append-only ledger, receipts, and changes.

use super::views::{ConsentEntryView, decision};
use super::{App, AppError, live};
use crate::domain::consent::{ConsentReceipt, ConsentState, Purpose, receipt};
use crate::domain::session::SessionClaims;
use crate::site_config;
use crate::store::StoreError;
use crate::store::consents::{self, ConsentOutcome};
use crate::store::profile;
use crate::store::session::SessionGuard;
use serde::Serialize;
use utoipa::ToSchema;

/// Attempts at a consent change while concurrent changes keep landing first.
const MAX_ATTEMPTS: usize = 5;

/// `GET /api/me/consents`: the current state and the whole ledger, oldest first.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct ConsentHistory {
    pub current: ConsentState,
    pub policy_version: String,
    pub history: Vec<ConsentEntryView>,
}

/// What a change came to; `receipt` only when something changed.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct ConsentChange {
    pub purpose: Purpose,
    pub granted: bool,
    pub changed: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub receipt: Option<ConsentReceipt>,
}

/// A receipt as a download.
#[derive(Debug, Clone, PartialEq)]
pub struct Receipt {
    pub body: ConsentReceipt,
    pub filename: String,
}

pub async fn history(app: &App, session: &SessionClaims) -> Result<ConsentHistory, AppError> {
    let record = profile::load(&app.store, &session.cid).await?;
    let profile = live(session, record.profile.as_ref())?;
    Ok(ConsentHistory {
        current: profile.consents,
        policy_version: site_config::facts().policy_version.clone(),
        history: record.consents.iter().map(ConsentEntryView::of).collect(),
    })
}

/// Grant or withdraw a purpose; each change is a ledger entry with a receipt.
/// Withdrawing personalisation also deletes the behaviour events kept for it.
pub async fn change(
    app: &App,
    session: &SessionClaims,
    purpose: &str,
    granted: Option<bool>,
) -> Result<ConsentChange, AppError> {
    let purpose = Purpose::parse(purpose).ok_or(AppError::NotFound)?;
    let granted = granted.ok_or_else(|| AppError::invalid("/granted", "is required"))?;
    if purpose.is_required() && !granted {
        return Err(AppError::invalid(
            "/granted",
            "your account rests on this consent: to withdraw it, erase your account instead",
        ));
    }
    let facts = site_config::facts();
    let guard = SessionGuard::of(session);
    // The ledger entry's time must be later than the newest one: when a concurrent
    // change got there first, take the time again and retry, so the newest entry is
    // always the state the profile ends in.
    let mut outcome = ConsentOutcome::Outdated;
    for _ in 0..MAX_ATTEMPTS {
        outcome = consents::change(
            &app.store,
            &session.cid,
            &guard,
            purpose,
            granted,
            &facts.policy_version,
            &app.clock.rfc3339(),
        )
        .await?;
        if outcome != ConsentOutcome::Outdated {
            break;
        }
    }
    match outcome {
        ConsentOutcome::Changed(entry) => {
            if purpose == Purpose::Personalisation && !granted {
                let deleted = consents::delete_events(&app.store, &session.cid).await?;
                tracing::info!(deleted, "behaviour events deleted after withdrawal");
            }
            Ok(ConsentChange {
                purpose,
                granted,
                changed: true,
                receipt: Some(receipt(
                    &facts.business_name,
                    &session.cid,
                    &decision(&entry),
                )),
            })
        }
        ConsentOutcome::Unchanged => Ok(ConsentChange {
            purpose,
            granted,
            changed: false,
            receipt: None,
        }),
        ConsentOutcome::SessionRevoked => Err(AppError::SignedOut),
        ConsentOutcome::Outdated => {
            Err(StoreError::Unavailable("consent change kept meeting newer changes".into()).into())
        }
    }
}

/// One receipt of the customer's ledger.
pub async fn receipt_of(
    app: &App,
    session: &SessionClaims,
    receipt_id: &str,
) -> Result<Receipt, AppError> {
    let record = profile::load(&app.store, &session.cid).await?;
    live(session, record.profile.as_ref())?;
    let entry = record
        .consents
        .iter()
        .find(|e| decision(e).receipt_id() == receipt_id)
        .ok_or(AppError::NotFound)?;
    Ok(Receipt {
        body: receipt(
            &site_config::facts().business_name,
            &session.cid,
            &decision(entry),
        ),
        filename: format!("consent-receipt-{}.json", entry.purpose.as_str()),
    })
}
