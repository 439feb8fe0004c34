//! The `staff` function: the small staff inbox under `/api/staff/`. Staff are the
//! addresses in configuration (`ECRM_STAFF`); they sign in with a mailed code and get a
//! staff session cookie (`ecrm_staff`, Path=/api/staff). A customer session on these
//! routes is 403. Each handler extracts, calls one use case in `ecrm_core::app::staff`
//! and maps the answer; every read of customer data and every action is audited there.

mod orders;

use axum::Router;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use ecrm_core::app::AppError;
use ecrm_core::app::service_views::{RequestPage, RequestView, StaffRequestView};
use ecrm_core::app::staff;
use ecrm_core::app::views::Health;
use ecrm_core::domain::service::{NewMessage, StatusChange};
use ecrm_core::openapi::{BodyErrors, CrossSite, StoreDown, TooMany};
use ecrm_core::web::staff::{Staff, staff_cookie};
use ecrm_core::web::{ApiError, AppState, ClientAddress, Json, Problem};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// This function's routes: its router and its part of the OpenAPI document.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(request_code))
        .routes(routes!(verify_code))
        .routes(routes!(current, sign_out))
        .routes(routes!(inbox))
        .routes(routes!(open_request))
        .routes(routes!(reply))
        .routes(routes!(set_status))
        .routes(routes!(orders::order_inbox))
        .routes(routes!(orders::set_order_status))
        .routes(routes!(health))
}

pub fn router(state: AppState) -> Router {
    routes().split_for_parts().0.with_state(state)
}

/// This function's part of the OpenAPI document.
pub fn api() -> utoipa::openapi::OpenApi {
    routes().into_openapi()
}

/// Whether the staff function answers.
#[utoipa::path(get, path = "/api/health/staff", operation_id = "health_staff",
    responses((status = 200, description = "It answers.", body = Health)))]
async fn health() -> axum::Json<Health> {
    axum::Json(Health::of("staff"))
}

pub(crate) type QueryParams = Result<Query<HashMap<String, String>>, QueryRejection>;

pub(crate) fn params(query: QueryParams) -> Result<HashMap<String, String>, ApiError> {
    query.map(|Query(map)| map).map_err(|_| {
        AppError::BadQuery {
            field: "query",
            detail: "The query string could not be read.",
        }
        .into()
    })
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct CodeRequest {
    #[schema(required = true, schema_with = ecrm_core::openapi::rules::email)]
    email: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct VerifyRequest {
    #[schema(required = true, schema_with = ecrm_core::openapi::rules::email)]
    email: Option<String>,
    /// `XXXX-XXXX` as mailed.
    #[schema(required = true, nullable = false)]
    code: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
struct StaffAccepted {
    status: &'static str,
    detail: &'static str,
}

/// Who is signed in on the staff side.
#[derive(Debug, Serialize, ToSchema)]
struct StaffView {
    staff: String,
    role: String,
}

/// Mail a staff sign-in code
///
/// Only a configured staff address gets one; the answer is the same for any address.
#[utoipa::path(post, path = "/api/staff/sessions", operation_id = "staff_request_code", request_body = CodeRequest,
    responses(
        (status = 202, description = "Accepted.", body = StaffAccepted),
        BodyErrors, TooMany, CrossSite, StoreDown,
    ))]
async fn request_code(
    State(state): State<AppState>,
    client: ClientAddress,
    Json(request): Json<CodeRequest>,
) -> Result<Response, ApiError> {
    staff::request_code(&state.app, request.email, client.key()).await?;
    let body = StaffAccepted {
        status: "accepted",
        detail: "If this is a staff address, a sign-in code is on its way. It works once, for 10 minutes.",
    };
    Ok((StatusCode::ACCEPTED, axum::Json(body)).into_response())
}

/// Sign in as staff with the mailed code
#[utoipa::path(post, path = "/api/staff/sessions/verify", operation_id = "staff_verify_code", request_body = VerifyRequest,
    responses(
        (status = 200, description = "Signed in.", body = StaffView, headers(("Set-Cookie" = String, description = "The staff session cookie (`ecrm_staff`, HttpOnly, SameSite=Strict, Path=/api/staff)."))),
        (status = 401, description = "The code is wrong, used or expired.", body = Problem, content_type = "application/problem+json"),
        BodyErrors, TooMany, CrossSite, StoreDown,
    ))]
async fn verify_code(
    State(state): State<AppState>,
    Json(request): Json<VerifyRequest>,
) -> Result<Response, ApiError> {
    let claims = staff::verify_code(&state.app, request.email, request.code).await?;
    let cookie = staff_cookie(&state, Some(&claims));
    let body = StaffView {
        staff: claims.staff,
        role: claims.role,
    };
    Ok(([(header::SET_COOKIE, cookie)], axum::Json(body)).into_response())
}

/// Who is signed in as staff
#[utoipa::path(get, path = "/api/staff/sessions/current", operation_id = "staff_current",
    security(("staff_session" = [])),
    responses(
        (status = 200, description = "The signed-in staff member.", body = StaffView),
        (status = 401, description = "No staff session.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "A customer session, not a staff one.", body = Problem, content_type = "application/problem+json"),
    ))]
async fn current(Staff(claims): Staff) -> axum::Json<StaffView> {
    axum::Json(StaffView {
        staff: claims.staff,
        role: claims.role,
    })
}

/// Sign out of the staff side (this browser)
#[utoipa::path(delete, path = "/api/staff/sessions/current", operation_id = "staff_sign_out",
    responses(
        (status = 204, description = "Signed out.", headers(("Set-Cookie" = String, description = "Clears the staff cookie."))),
        CrossSite,
    ))]
async fn sign_out(State(state): State<AppState>) -> Response {
    (
        StatusCode::NO_CONTENT,
        [(header::SET_COOKIE, staff_cookie(&state, None))],
    )
        .into_response()
}

/// Requests by status, the soonest due first
///
/// Shows reference, subject and timing only (no customer data), so listing is not an
/// audited read.
#[utoipa::path(get, path = "/api/staff/requests", operation_id = "staff_inbox",
    security(("staff_session" = [])),
    params(
        ("status" = Option<String>, Query, description = "open (default), waiting_on_shop, waiting_on_customer, resolved or closed."),
        ("limit" = Option<u32>, Query, minimum = 1, maximum = 50, description = "Page size (default 20)."),
        ("cursor" = Option<String>, Query, description = "`next_cursor` of the previous page."),
    ),
    responses(
        (status = 200, description = "One page.", body = RequestPage),
        (status = 400, description = "A bad status, limit or cursor.", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No staff session.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "A customer session, not a staff one.", body = Problem, content_type = "application/problem+json"),
        StoreDown,
    ))]
async fn inbox(
    State(state): State<AppState>,
    _staff: Staff,
    query: QueryParams,
) -> Result<axum::Json<RequestPage>, ApiError> {
    let p = params(query)?;
    let get = |name: &str| p.get(name).map(String::as_str);
    let page = staff::inbox(&state.app, get("status"), get("limit"), get("cursor")).await?;
    Ok(axum::Json(page))
}

/// Open a request (an audited read)
///
/// The request, the name and email it was made with, the linked quote and a page of
/// the conversation; the read is added to the customer's audit trail.
#[utoipa::path(get, path = "/api/staff/requests/{id}", operation_id = "staff_open_request",
    security(("staff_session" = [])),
    params(
        ("id" = String, Path, pattern = "^[0-9A-HJKMNP-TV-Z]{26}$", description = "Request id (a ULID)."),
        ("cursor" = Option<String>, Query, description = "`next_cursor` of the previous page of messages."),
    ),
    responses(
        (status = 200, description = "The request.", body = StaffRequestView),
        (status = 400, description = "A bad cursor.", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No staff session.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "A customer session, not a staff one.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such request.", body = Problem, content_type = "application/problem+json"),
        StoreDown,
    ))]
async fn open_request(
    State(state): State<AppState>,
    Staff(claims): Staff,
    Path(id): Path<String>,
    query: QueryParams,
) -> Result<axum::Json<StaffRequestView>, ApiError> {
    let p = params(query)?;
    let view = staff::open(
        &state.app,
        &claims,
        &id,
        p.get("cursor").map(String::as_str),
    )
    .await?;
    Ok(axum::Json(view))
}

/// Answer a request
///
/// The customer's turn next; they get a mail with a link to the conversation.
#[utoipa::path(post, path = "/api/staff/requests/{id}/messages", operation_id = "staff_reply",
    security(("staff_session" = [])),
    params(("id" = String, Path, pattern = "^[0-9A-HJKMNP-TV-Z]{26}$", description = "Request id (a ULID).")),
    request_body = NewMessage,
    responses(
        (status = 201, description = "Sent; the request as it is now.", body = RequestView),
        (status = 401, description = "No staff session.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "A customer session, not a staff one.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such request.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Resolved or closed: change its status first.", body = Problem, content_type = "application/problem+json"),
        BodyErrors, CrossSite, StoreDown,
    ))]
async fn reply(
    State(state): State<AppState>,
    Staff(claims): Staff,
    Path(id): Path<String>,
    Json(input): Json<NewMessage>,
) -> Result<Response, ApiError> {
    let view = staff::reply(&state.app, &claims, &id, &input).await?;
    Ok((StatusCode::CREATED, axum::Json(view)).into_response())
}

/// Change a request's status
///
/// Along the status machine only (`open` → `waiting_on_shop` / `waiting_on_customer`
/// → `resolved` → `closed`; a resolved request may go back to `waiting_on_shop`);
/// anything else is 409. The customer is told by mail.
#[utoipa::path(put, path = "/api/staff/requests/{id}/status", operation_id = "staff_set_status",
    security(("staff_session" = [])),
    params(("id" = String, Path, pattern = "^[0-9A-HJKMNP-TV-Z]{26}$", description = "Request id (a ULID).")),
    request_body = StatusChange,
    responses(
        (status = 200, description = "Changed; the request as it is now.", body = RequestView),
        (status = 401, description = "No staff session.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "A customer session, not a staff one.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such request.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not a move the status machine allows.", body = Problem, content_type = "application/problem+json"),
        BodyErrors, CrossSite, StoreDown,
    ))]
async fn set_status(
    State(state): State<AppState>,
    Staff(claims): Staff,
    Path(id): Path<String>,
    Json(input): Json<StatusChange>,
) -> Result<axum::Json<RequestView>, ApiError> {
    let view = staff::set_status(&state.app, &claims, &id, &input).await?;
    Ok(axum::Json(view))
}
