//! What a mailed link may do without signing in (issue #15): the no-login preference
//! page, one-click unsubscribe (RFC 8058) and the marketing opt-in confirmation. The
//! token is the only credential; it speaks for one customer and one purpose and reads
//! nothing but preferences. Same shape as the rest of the function.

use crate::knowing::{QueryParams, params};
use axum::extract::State;
use ecrm_core::app::consents::ConsentChange;
use ecrm_core::app::email_links::{self, LinkPreferences};
use ecrm_core::domain::profile_patch::ContactPatch;
use ecrm_core::openapi::{BodyErrors, CrossSite, StoreDown};
use ecrm_core::web::{ApiError, AppState, Json, Problem};
use serde::Deserialize;
use serde_json::Value;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub(crate) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(show_by_link, change_by_link))
        .routes(routes!(unsubscribe))
        .routes(routes!(confirm_marketing))
}

fn token_of(query: QueryParams) -> Result<Option<String>, ApiError> {
    Ok(params(query)?.remove("token"))
}

/// The preferences a mailed link may see
///
/// Topics, contact channels, frequency, pause and marketing email: nothing else of the
/// customer's (no profile, addresses or quotes). 401 for a link that is not ours, has
/// expired, or was revoked (sign out everywhere).
#[utoipa::path(get, path = "/api/preferences/by-link", operation_id = "preferences_by_link",
    params(("token" = String, Query, description = "The token from the mailed link.", pattern = r"^[A-Za-z0-9_-]{1,400}\.[A-Za-z0-9_-]{43}$", max_length = 512)),
    responses(
        (status = 200, description = "The preferences.", body = LinkPreferences),
        (status = 401, description = "The link does not work (any more).", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No token.", body = Problem, content_type = "application/problem+json"),
        StoreDown,
    ))]
async fn show_by_link(
    State(state): State<AppState>,
    query: QueryParams,
) -> Result<axum::Json<LinkPreferences>, ApiError> {
    let token = token_of(query)?;
    Ok(axum::Json(
        email_links::preferences(&state.app, token.as_deref()).await?,
    ))
}

/// The body of `PUT /api/preferences/by-link`: `topics` and `contact` as in
/// `PATCH /api/me` (merge patch rules), and `marketing_email` (granting it mails a
/// confirmation link first).
#[derive(Deserialize, ToSchema)]
#[allow(dead_code)] // A schema only: the handler reads the body as JSON.
#[serde(deny_unknown_fields)]
struct LinkPreferencesPatch {
    #[schema(
        required = true,
        pattern = r"^[A-Za-z0-9_-]{1,400}\.[A-Za-z0-9_-]{43}$",
        max_length = 512
    )]
    token: String,
    #[schema(schema_with = ecrm_core::openapi::rules::topics)]
    topics: Option<Vec<String>>,
    #[schema(nullable = false)]
    contact: Option<ContactPatch>,
    #[schema(nullable = false)]
    marketing_email: Option<bool>,
}

/// Change preferences from a mailed link
#[utoipa::path(put, path = "/api/preferences/by-link", operation_id = "change_preferences_by_link",
    request_body = LinkPreferencesPatch,
    responses(
        (status = 200, description = "Changed.", body = LinkPreferences),
        (status = 401, description = "The link does not work (any more).", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "The preferences changed meanwhile: read them again.", body = Problem, content_type = "application/problem+json"),
        BodyErrors, CrossSite, StoreDown,
    ))]
async fn change_by_link(
    State(state): State<AppState>,
    Json(body): Json<Value>,
) -> Result<axum::Json<LinkPreferences>, ApiError> {
    let mut body = body;
    let (token, marketing) = match body.as_object_mut() {
        Some(fields) => (fields.remove("token"), fields.remove("marketing_email")),
        None => (None, None),
    };
    let token = match token {
        Some(Value::String(token)) => Some(token),
        Some(_) => {
            return Err(ecrm_core::app::AppError::invalid("/token", "must be a string").into());
        }
        None => None,
    };
    let marketing = match marketing {
        Some(Value::Bool(on)) => Some(on),
        Some(_) => {
            return Err(ecrm_core::app::AppError::invalid(
                "/marketing_email",
                "must be true or false",
            )
            .into());
        }
        None => None,
    };
    Ok(axum::Json(
        email_links::change_preferences(&state.app, token.as_deref(), body, marketing).await?,
    ))
}

/// Unsubscribe from everything, in one click (RFC 8058)
///
/// The URL of marketing mail's `List-Unsubscribe` header, posted by mail clients with
/// `List-Unsubscribe=One-Click` (the body is not read), and by the preference page's
/// button. Marketing email is withdrawn (a ledger entry and its receipt) and every
/// contact channel is switched off; mail about the account itself still comes.
#[utoipa::path(post, path = "/api/unsubscribe", operation_id = "unsubscribe",
    params(("token" = String, Query, description = "The token from the mailed link.", pattern = r"^[A-Za-z0-9_-]{1,400}\.[A-Za-z0-9_-]{43}$", max_length = 512)),
    responses(
        (status = 200, description = "Unsubscribed (also when already so).", body = LinkPreferences),
        (status = 401, description = "The link does not work (any more).", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No token.", body = Problem, content_type = "application/problem+json"),
        CrossSite, StoreDown,
    ))]
async fn unsubscribe(
    State(state): State<AppState>,
    query: QueryParams,
) -> Result<axum::Json<LinkPreferences>, ApiError> {
    let token = token_of(query)?;
    Ok(axum::Json(
        email_links::unsubscribe_all(&state.app, token.as_deref()).await?,
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct ConfirmRequest {
    /// The token from the confirmation mail's link.
    #[schema(
        required = true,
        nullable = false,
        pattern = r"^[A-Za-z0-9_-]{1,400}\.[A-Za-z0-9_-]{43}$",
        max_length = 512
    )]
    token: Option<String>,
}

/// Confirm marketing email from the mailed link
///
/// Makes a pending marketing-email consent granted: a second ledger entry
/// (`step: confirmed`) and a receipt by mail. The link works once, for 7 days, and only
/// for the newest request.
#[utoipa::path(post, path = "/api/consents/confirm", operation_id = "confirm_marketing",
    request_body = ConfirmRequest,
    responses(
        (status = 200, description = "Confirmed.", body = ConsentChange),
        (status = 401, description = "The link does not work (any more).", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already used, or replaced by a newer request.", body = Problem, content_type = "application/problem+json"),
        BodyErrors, CrossSite, StoreDown,
    ))]
async fn confirm_marketing(
    State(state): State<AppState>,
    Json(request): Json<ConfirmRequest>,
) -> Result<axum::Json<ConsentChange>, ApiError> {
    Ok(axum::Json(
        email_links::confirm_marketing(&state.app, request.token.as_deref()).await?,
    ))
}
