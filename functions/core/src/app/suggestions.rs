//! Suggestions about who the customer buys for, inferred from their quotes by the rule
//! in `domain::segment` (only with the personalisation consent), shown openly and
//! applied only when the customer accepts.

use super::{App, AppError, live};
use crate::domain::customer::Language;
use crate::domain::segment::{self, BuysFor};
use crate::domain::session::SessionClaims;
use crate::store::customers;
use crate::store::quotes as quote_store;
use crate::store::segment as segment_store;
use crate::store::session::SessionGuard;
use serde::Serialize;
use utoipa::ToSchema;

/// The one suggestion the rule can make today.
pub const BUSINESS: &str = "buys_for_business";

/// A suggestion and why it is made.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Suggestion {
    /// Pass to `/api/me/suggestions/{id}/accept` or `/dismiss`.
    #[schema(example = "buys_for_business")]
    pub id: String,
    /// What `buys_for` becomes if accepted.
    pub buys_for: BuysFor,
    /// Why, in the customer's language.
    pub reason: String,
}

/// `GET /api/me/suggestions`: empty unless the rule holds.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Suggestions {
    pub suggestions: Vec<Suggestion>,
}

fn reason(language: Language) -> String {
    match language {
        Language::Es => format!(
            "Tus presupuestos parecen los de un negocio (al menos {} de los últimos {} con {} unidades de un artículo o {} en total): ¿ver precios de empresa, sin impuestos primero?",
            segment::RESELLER_QUOTES_NEEDED,
            segment::RECENT_QUOTES,
            segment::RESELLER_LINE_QUANTITY,
            segment::RESELLER_QUOTE_UNITS
        ),
        Language::En => format!(
            "Your quotes look like a business's (at least {} of your last {} with {} of one item or {} units in all): show business prices, before tax first?",
            segment::RESELLER_QUOTES_NEEDED,
            segment::RECENT_QUOTES,
            segment::RESELLER_LINE_QUANTITY,
            segment::RESELLER_QUOTE_UNITS
        ),
    }
}

/// What the rule suggests now: the profile and one page of recent quotes, read at once.
pub async fn list(app: &App, session: &SessionClaims) -> Result<Suggestions, AppError> {
    let limit = i32::try_from(segment::RECENT_QUOTES).unwrap_or(10);
    let (profile, (quotes, _)) = tokio::try_join!(
        customers::get_profile(&app.store, &session.cid),
        quote_store::list_for_customer(&app.store, &session.cid, limit, None),
    )?;
    let profile = live(session, profile.as_ref())?;
    let quantities: Vec<Vec<u32>> = quotes
        .iter()
        .map(|q| q.lines.iter().map(|l| l.quantity).collect())
        .collect();
    let suggested = segment::suggestion(
        profile.consents.personalisation,
        profile.buys_for.as_ref().map(|s| s.value),
        profile.suggestion_dismissed_at.is_some(),
        &quantities,
    );
    Ok(Suggestions {
        suggestions: suggested
            .map(|buys_for| Suggestion {
                id: BUSINESS.into(),
                buys_for,
                reason: reason(profile.language),
            })
            .into_iter()
            .collect(),
    })
}

/// Accept suggestion `id`: `buys_for` becomes its value (source `accepted_suggestion`).
pub async fn accept(app: &App, session: &SessionClaims, id: &str) -> Result<(), AppError> {
    if id != BUSINESS {
        return Err(AppError::NotFound);
    }
    let guard = SessionGuard::of(session);
    let done = segment_store::accept(
        &app.store,
        &session.cid,
        &guard,
        BuysFor::Business,
        &app.clock.rfc3339(),
    )
    .await?;
    done.then_some(()).ok_or(AppError::SignedOut)
}

/// Decline suggestion `id`: it is not made again.
pub async fn dismiss(app: &App, session: &SessionClaims, id: &str) -> Result<(), AppError> {
    if id != BUSINESS {
        return Err(AppError::NotFound);
    }
    let guard = SessionGuard::of(session);
    let done =
        segment_store::dismiss(&app.store, &session.cid, &guard, &app.clock.rfc3339()).await?;
    done.then_some(()).ok_or(AppError::SignedOut)
}
