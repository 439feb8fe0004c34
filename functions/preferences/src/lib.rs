//! The `preferences` function: everything under `/api/me` that is the customer's own
//! data: see it, change it, export it, erase it. Each handler extracts, calls one use
//! case in `ecrm_core::app`, and maps the answer to HTTP.

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use ecrm_core::app::consents::{ConsentChange, ConsentHistory};
use ecrm_core::app::views::{AddressView, ProfileView};
use ecrm_core::app::{addresses, consents, data_rights, profile};
use ecrm_core::domain::address::AddressInput;
use ecrm_core::web::{ApiError, AppState, Json, Problem, SignedIn, clear_session};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/api/me", get(show).patch(change).delete(erase))
        .route("/api/me/addresses", post(add_address))
        .route(
            "/api/me/addresses/{id}",
            put(replace_address).delete(delete_address),
        )
        .route("/api/me/consents", get(consent_history))
        .route("/api/me/consents/{purpose}", put(change_consent))
        .route(
            "/api/me/consents/receipts/{receipt_id}",
            get(download_receipt),
        )
        .route("/api/me/export", get(export))
        .route("/api/health/preferences", get(health))
        .with_state(state)
}

async fn health() -> axum::Json<Value> {
    axum::Json(json!({ "status": "ok", "function": "preferences" }))
}

/// A JSON answer with the ETag of the version it shows.
fn with_etag(body: impl Serialize, version: u64) -> Response {
    let mut response = axum::Json(body).into_response();
    if let Ok(etag) = HeaderValue::from_str(&format!("\"{version}\"")) {
        response.headers_mut().insert(header::ETAG, etag);
    }
    response
}

/// A JSON answer offered as a file download.
fn attachment(body: impl Serialize, filename: &str) -> Response {
    let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{filename}\""))
        .unwrap_or_else(|_| HeaderValue::from_static("attachment"));
    let mut response = axum::Json(body).into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_DISPOSITION, disposition);
    response
}

/// `GET /api/me`: profile, preferences, addresses and consents, from one Query.
async fn show(State(state): State<AppState>, session: SignedIn) -> Result<Response, ApiError> {
    let me = profile::show(&state.app, session.claims()).await?;
    let version = me.version();
    Ok(with_etag(me, version))
}

/// The version an `If-Match` names (`"3"` or `W/"3"`).
fn if_match(headers: &HeaderMap) -> Result<u64, ApiError> {
    let raw = headers.get(header::IF_MATCH).and_then(|v| v.to_str().ok()).ok_or_else(|| {
        Problem::new(
            StatusCode::PRECONDITION_REQUIRED,
            "precondition-required",
            "If-Match required",
            "Send the ETag from GET /api/me in If-Match, so a change never overwrites one you have not seen.",
        )
    })?;
    raw.trim()
        .trim_start_matches("W/")
        .trim_matches('"')
        .parse::<u64>()
        .map_err(|_| ecrm_core::app::AppError::Stale.into())
}

/// `PATCH /api/me`: JSON Merge Patch under `If-Match`; one conditional write. A new
/// email answers 202: it is used once the code mailed to it comes back.
async fn change(
    State(state): State<AppState>,
    session: SignedIn,
    headers: HeaderMap,
    Json(patch): Json<Value>,
) -> Result<Response, ApiError> {
    let version = if_match(&headers)?;
    let changed = profile::change(&state.app, session.claims(), version, &patch).await?;
    let version = changed.profile.version;
    if !changed.email_change_pending {
        return Ok(with_etag(changed.profile, version));
    }
    // The rest is saved; the new address is used once the code mailed there comes back.
    let body = EmailChangePending {
        status: "accepted",
        detail: "Saved. To use the new email address, type the code we sent there (it works once, for 10 minutes). Until then we keep writing to the current one.",
        profile: changed.profile,
    };
    let mut response = with_etag(body, version);
    *response.status_mut() = StatusCode::ACCEPTED;
    Ok(response)
}

#[derive(Debug, Serialize)]
struct EmailChangePending {
    status: &'static str,
    detail: &'static str,
    profile: ProfileView,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct EraseRequest {
    confirm_email: Option<String>,
    /// A sign-in code asked for within the last 10 minutes; needed when the session
    /// itself is older than that.
    code: Option<String>,
}

/// `DELETE /api/me`: erase everything; the body repeats the account's email to confirm,
/// and carries a fresh code unless the session is under 10 minutes old.
async fn erase(
    State(state): State<AppState>,
    session: SignedIn,
    Json(request): Json<EraseRequest>,
) -> Result<Response, ApiError> {
    data_rights::erase(
        &state.app,
        session.claims(),
        request.confirm_email.as_deref(),
        request.code.as_deref(),
    )
    .await?;
    Ok(clear_session(StatusCode::NO_CONTENT.into_response()))
}

/// `POST /api/me/addresses`.
async fn add_address(
    State(state): State<AppState>,
    session: SignedIn,
    Json(input): Json<AddressInput>,
) -> Result<Response, ApiError> {
    let added: AddressView = addresses::add(&state.app, session.claims(), input).await?;
    let location = HeaderValue::from_str(&format!("/api/me/addresses/{}", added.id))
        .unwrap_or_else(|_| HeaderValue::from_static("/api/me"));
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        axum::Json(added),
    )
        .into_response())
}

/// `PUT /api/me/addresses/{id}`: replace one address.
async fn replace_address(
    State(state): State<AppState>,
    session: SignedIn,
    Path(id): Path<String>,
    Json(input): Json<AddressInput>,
) -> Result<axum::Json<AddressView>, ApiError> {
    let replaced = addresses::replace(&state.app, session.claims(), &id, input).await?;
    Ok(axum::Json(replaced))
}

/// `DELETE /api/me/addresses/{id}`.
async fn delete_address(
    State(state): State<AppState>,
    session: SignedIn,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    addresses::delete(&state.app, session.claims(), &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `GET /api/me/consents`: current state and the whole ledger, oldest first.
async fn consent_history(
    State(state): State<AppState>,
    session: SignedIn,
) -> Result<axum::Json<ConsentHistory>, ApiError> {
    Ok(axum::Json(
        consents::history(&state.app, session.claims()).await?,
    ))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConsentRequest {
    granted: Option<bool>,
}

/// `PUT /api/me/consents/{purpose}`: grant or withdraw; each change is a ledger entry
/// with a receipt.
async fn change_consent(
    State(state): State<AppState>,
    session: SignedIn,
    Path(purpose): Path<String>,
    Json(request): Json<ConsentRequest>,
) -> Result<axum::Json<ConsentChange>, ApiError> {
    let changed = consents::change(&state.app, session.claims(), &purpose, request.granted).await?;
    Ok(axum::Json(changed))
}

/// `GET /api/me/consents/receipts/{receipt_id}`: one receipt, as a download.
async fn download_receipt(
    State(state): State<AppState>,
    session: SignedIn,
    Path(receipt_id): Path<String>,
) -> Result<Response, ApiError> {
    let receipt = consents::receipt_of(&state.app, session.claims(), &receipt_id).await?;
    Ok(attachment(receipt.body, &receipt.filename))
}

/// `GET /api/me/export`: every item held about the customer, as a JSON download.
async fn export(State(state): State<AppState>, session: SignedIn) -> Result<Response, ApiError> {
    let export = data_rights::export(&state.app, session.claims()).await?;
    Ok(attachment(export, "ecrm-export.json"))
}
