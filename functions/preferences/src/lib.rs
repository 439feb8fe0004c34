//! The `preferences` function: everything under `/api/me` that is the customer's own
//! data: see it, change it, export it, erase it. Each handler extracts, calls one use
//! case in `ecrm_core::app`, and maps the answer to HTTP.
//!
//! Its routes are listed once, in [`routes`]: that list builds the router and, through
//! each handler's `#[utoipa::path]`, its part of the OpenAPI document.

mod email_links;
mod knowing;
mod requests;

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use ecrm_core::app::consents::{ConsentChange, ConsentHistory};
use ecrm_core::app::data_rights::Export;
use ecrm_core::app::views::{AddressView, Health, MeView, ProfileView};
use ecrm_core::app::{addresses, consents, data_rights, profile};
use ecrm_core::domain::address::AddressInput;
use ecrm_core::domain::consent::{ConsentReceipt, Purpose};
use ecrm_core::domain::profile_patch::ProfilePatch;
use ecrm_core::openapi::{BodyErrors, CrossSite, SignedOut, StoreDown, TooMany};
use ecrm_core::web::{ApiError, AppState, Json, Problem, SignedIn, clear_session};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use knowing::{QueryParams, params};

/// This function's routes: its router and its part of the OpenAPI document.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(show, change, erase))
        .routes(routes!(add_address))
        .routes(routes!(replace_address, delete_address))
        .routes(routes!(consent_history))
        .merge(knowing::routes())
        .routes(routes!(change_consent))
        .routes(routes!(download_receipt))
        .routes(routes!(export))
        .routes(routes!(requests::open_request, requests::my_requests))
        .routes(routes!(requests::get_request))
        .routes(routes!(requests::write_in_request))
        .routes(routes!(requests::escalate_request))
        .merge(email_links::routes())
        .routes(routes!(health))
}

pub fn router(state: AppState) -> Router {
    routes().split_for_parts().0.with_state(state)
}

/// This function's part of the OpenAPI document.
pub fn api() -> utoipa::openapi::OpenApi {
    routes().into_openapi()
}

/// Whether the preferences function answers.
#[utoipa::path(get, path = "/api/health/preferences", operation_id = "health_preferences",
    responses((status = 200, description = "It answers.", body = Health)))]
async fn health() -> axum::Json<Health> {
    axum::Json(Health::of("preferences"))
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

/// Profile, preferences, addresses and consents (one Query)
#[utoipa::path(get, path = "/api/me", operation_id = "show_me", security(("session" = [])),
    responses(
        (status = 200, description = "The customer's data.", body = MeView,
            headers(("ETag" = String, description = "The profile version, for If-Match.")),
            links(("ChangeMe" = (operation_id = "change_me", parameters(("If-Match" = "$response.header.ETag")))))),
        SignedOut, StoreDown,
    ))]
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

/// Change the profile with a JSON Merge Patch under If-Match
///
/// One conditional write. A new email answers 202: the rest is saved, and a code is
/// mailed to the new address; `POST /api/sessions/verify` with that address and code
/// moves the account there (the same answer whether or not another account uses it).
#[utoipa::path(patch, path = "/api/me", operation_id = "change_me", security(("session" = [])),
    params(("If-Match" = String, Header, description = "The ETag from GET /api/me.", pattern = r#"^\s*(W/)?"[0-9]+"\s*$"#, example = r#""1""#)),
    request_body = ProfilePatch,
    responses(
        (status = 200, description = "Changed.", body = ProfileView, headers(("ETag" = String, description = "The new version."))),
        (status = 202, description = "Saved, and a code was mailed to the new email address: POST /api/sessions/verify with that address and code moves the account there.", body = EmailChangePending, headers(("ETag" = String, description = "The new version."))),
        (status = 412, description = "The profile changed since that ETag.", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match is missing.", body = Problem, content_type = "application/problem+json"),
        BodyErrors, TooMany, SignedOut, CrossSite, StoreDown,
    ))]
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

/// A profile change that waits for the new email address's code.
#[derive(Debug, Serialize, ToSchema)]
struct EmailChangePending {
    status: &'static str,
    detail: &'static str,
    profile: ProfileView,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct EraseRequest {
    /// The account's email, to confirm.
    #[schema(required = true, schema_with = ecrm_core::openapi::rules::email)]
    confirm_email: Option<String>,
    /// A sign-in code asked for within the last 10 minutes (`POST /api/sessions`);
    /// needed when the session itself is older than that.
    code: Option<String>,
}

/// Erase the account and everything held about the customer
///
/// The body repeats the account's email to confirm, and carries a fresh sign-in code
/// (`POST /api/sessions`) unless the session is under 10 minutes old; a missing or
/// wrong code is a 422 naming `/code`.
#[utoipa::path(delete, path = "/api/me", operation_id = "erase_me", security(("session" = [])),
    request_body = EraseRequest,
    responses(
        (status = 204, description = "Erased (also when already erased).", headers(("Set-Cookie" = String, description = "Clears the session cookie."))),
        BodyErrors, TooMany, SignedOut, CrossSite, StoreDown,
    ))]
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

/// Add an address
#[utoipa::path(post, path = "/api/me/addresses", operation_id = "add_address", security(("session" = [])),
    request_body = AddressInput,
    responses(
        (status = 201, description = "Added.", body = AddressView,
            headers(("Location" = String, description = "The new address.")),
            links(
                ("ReplaceAddress" = (operation_id = "replace_address", parameters(("id" = "$response.body#/id")))),
                ("DeleteAddress" = (operation_id = "delete_address", parameters(("id" = "$response.body#/id")))),
            )),
        BodyErrors, SignedOut, CrossSite, StoreDown,
    ))]
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

/// Replace one address
#[utoipa::path(put, path = "/api/me/addresses/{id}", operation_id = "replace_address", security(("session" = [])),
    params(("id" = String, Path, description = "Address id (a ULID).")),
    request_body = AddressInput,
    responses(
        (status = 200, description = "Replaced.", body = AddressView),
        (status = 404, description = "No such address.", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "The address changed meanwhile.", body = Problem, content_type = "application/problem+json"),
        BodyErrors, SignedOut, CrossSite, StoreDown,
    ))]
async fn replace_address(
    State(state): State<AppState>,
    session: SignedIn,
    Path(id): Path<String>,
    Json(input): Json<AddressInput>,
) -> Result<axum::Json<AddressView>, ApiError> {
    let replaced = addresses::replace(&state.app, session.claims(), &id, input).await?;
    Ok(axum::Json(replaced))
}

/// Delete one address
#[utoipa::path(delete, path = "/api/me/addresses/{id}", operation_id = "delete_address", security(("session" = [])),
    params(("id" = String, Path, description = "Address id (a ULID).")),
    responses(
        (status = 204, description = "Deleted."),
        (status = 404, description = "No such address.", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "The address changed meanwhile.", body = Problem, content_type = "application/problem+json"),
        SignedOut, CrossSite, StoreDown,
    ))]
async fn delete_address(
    State(state): State<AppState>,
    session: SignedIn,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    addresses::delete(&state.app, session.claims(), &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Current consents and one page of the ledger, newest first
#[utoipa::path(get, path = "/api/me/consents", operation_id = "consent_history", security(("session" = [])),
    params(
        ("limit" = Option<u32>, Query, minimum = 1, maximum = 100, description = "Entries per page (default 50)."),
        ("cursor" = Option<String>, Query, description = "`next_cursor` from the previous page."),
    ),
    responses(
        (status = 200, description = "The ledger.", body = ConsentHistory,
            links(("FirstReceipt" = (operation_id = "consent_receipt", parameters(("receipt_id" = "$response.body#/history/0/receipt_id")))))),
        (status = 400, description = "Bad limit or cursor.", body = Problem, content_type = "application/problem+json"),
        SignedOut, StoreDown,
    ))]
async fn consent_history(
    State(state): State<AppState>,
    session: SignedIn,
    query: QueryParams,
) -> Result<axum::Json<ConsentHistory>, ApiError> {
    let params = params(query)?;
    Ok(axum::Json(
        consents::history(
            &state.app,
            session.claims(),
            params.get("limit").map(String::as_str),
            params.get("cursor").map(String::as_str),
        )
        .await?,
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct ConsentRequest {
    /// Withdrawing `account` is refused (422): erase the account instead.
    #[schema(required = true, nullable = false)]
    granted: Option<bool>,
}

/// Grant or withdraw one consent
///
/// Each change is a ledger entry with a receipt.
#[utoipa::path(put, path = "/api/me/consents/{purpose}", operation_id = "change_consent", security(("session" = [])),
    params(("purpose" = Purpose, Path, description = "The purpose.")),
    request_body = ConsentRequest,
    responses(
        (status = 200, description = "Changed, or already so.", body = ConsentChange),
        (status = 404, description = "No such purpose.", body = Problem, content_type = "application/problem+json"),
        BodyErrors, SignedOut, CrossSite, StoreDown,
    ))]
async fn change_consent(
    State(state): State<AppState>,
    session: SignedIn,
    Path(purpose): Path<String>,
    Json(request): Json<ConsentRequest>,
) -> Result<axum::Json<ConsentChange>, ApiError> {
    let changed = consents::change(&state.app, session.claims(), &purpose, request.granted).await?;
    Ok(axum::Json(changed))
}

/// One consent receipt, as a JSON download
#[utoipa::path(get, path = "/api/me/consents/receipts/{receipt_id}", operation_id = "consent_receipt", security(("session" = [])),
    params(("receipt_id" = String, Path, description = "`<time>_<purpose>`, from the ledger.")),
    responses(
        (status = 200, description = "The receipt.", body = ConsentReceipt, headers(("Content-Disposition" = String, description = "attachment"))),
        (status = 404, description = "No such receipt.", body = Problem, content_type = "application/problem+json"),
        SignedOut, StoreDown,
    ))]
async fn download_receipt(
    State(state): State<AppState>,
    session: SignedIn,
    Path(receipt_id): Path<String>,
) -> Result<Response, ApiError> {
    let receipt = consents::receipt_of(&state.app, session.claims(), &receipt_id).await?;
    Ok(attachment(receipt.body, &receipt.filename))
}

/// Everything held about the customer, as a JSON download
#[utoipa::path(get, path = "/api/me/export", operation_id = "export", security(("session" = [])),
    responses(
        (status = 200, description = "The export.", body = Export, headers(("Content-Disposition" = String, description = "attachment"))),
        SignedOut, StoreDown,
    ))]
async fn export(State(state): State<AppState>, session: SignedIn) -> Result<Response, ApiError> {
    let export = data_rights::export(&state.app, session.claims()).await?;
    Ok(attachment(export, "ecrm-export.json"))
}
