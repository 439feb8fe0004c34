//! Customer service for the signed-in customer (`/api/requests`): open a request,
//! list theirs, read one with its conversation, write in it, escalate it. These routes
//! live in `preferences` because they are the customer's own data under their own
//! session, and this function's policy already holds every operation they make (no new
//! IAM surface). Each handler calls one use case in `ecrm_core::app::service`.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use ecrm_core::app::AppError;
use ecrm_core::app::service;
use ecrm_core::app::service::Reader;
use ecrm_core::app::service_views::{RequestPage, RequestThread, RequestView};
use ecrm_core::domain::service::{EscalationRequest, NewMessage, NewRequest};
use ecrm_core::openapi::{BodyErrors, CrossSite, SignedOut, StoreDown, TooMany};
use ecrm_core::web::{ApiError, AppState, ClientAddress, Json, MaybeSignedIn, Problem};
use std::collections::HashMap;

type QueryParams = Result<Query<HashMap<String, String>>, QueryRejection>;

fn params(query: QueryParams) -> Result<HashMap<String, String>, ApiError> {
    query.map(|Query(map)| map).map_err(|_| {
        AppError::BadQuery {
            field: "query",
            detail: "The query string could not be read.",
        }
        .into()
    })
}

/// A link's token if given, else the session; neither is 401.
fn reader(
    params: &HashMap<String, String>,
    session: Option<SessionClaims>,
) -> Result<Reader, ApiError> {
    match (params.get("token"), session) {
        (Some(token), _) => Ok(Reader::Link(token.clone())),
        (None, Some(session)) => Ok(Reader::Customer(session)),
        (None, None) => Err(AppError::SignedOut.into()),
    }
}

type SessionClaims = ecrm_core::domain::session::SessionClaims;

const TOKEN_PARAM_DOC: &str = "A visitor's secret link token (instead of a session).";

/// Open a service request
///
/// The first message goes with it; the shop's service address is told. The answer
/// carries the promised first-response target and when the answer is due. Without an
/// account, `contact` (name and email) is required and the answer carries the secret
/// link (`token`, `link`) that opens the request; it is given only here and in the
/// mails that answer it.
#[utoipa::path(post, path = "/api/requests", operation_id = "open_request", security((), ("session" = [])),
    request_body = NewRequest,
    responses(
        (status = 201, description = "Opened.", body = RequestThread,
            headers(("Location" = String, description = "The request.")),
            links(("GetRequest" = (operation_id = "get_request", parameters(("id" = "$response.body#/request/id"), ("token" = "$response.body#/token")))))),
        BodyErrors, TooMany, SignedOut, CrossSite, StoreDown,
    ))]
pub(crate) async fn open_request(
    State(state): State<AppState>,
    MaybeSignedIn(session): MaybeSignedIn,
    client: ClientAddress,
    Json(input): Json<NewRequest>,
) -> Result<Response, ApiError> {
    let thread = service::open(&state.app, session.as_ref(), &input, client.key()).await?;
    let location = HeaderValue::from_str(&format!("/api/requests/{}", thread.request.id)).ok();
    let mut response = (StatusCode::CREATED, axum::Json(thread)).into_response();
    if let Some(location) = location {
        response.headers_mut().insert(header::LOCATION, location);
    }
    Ok(response)
}

/// The customer's requests, newest first, a page at a time
#[utoipa::path(get, path = "/api/requests", operation_id = "my_requests", security(("session" = [])),
    params(
        ("limit" = Option<u32>, Query, minimum = 1, maximum = 50, description = "Page size (default 20)."),
        ("cursor" = Option<String>, Query, description = "`next_cursor` of the previous page."),
    ),
    responses(
        (status = 200, description = "One page.", body = RequestPage),
        (status = 400, description = "A bad limit or cursor.", body = Problem, content_type = "application/problem+json"),
        SignedOut, StoreDown,
    ))]
pub(crate) async fn my_requests(
    State(state): State<AppState>,
    session: ecrm_core::web::SignedIn,
    query: QueryParams,
) -> Result<axum::Json<RequestPage>, ApiError> {
    let params = params(query)?;
    let page = service::mine(
        &state.app,
        session.claims(),
        params.get("limit").map(String::as_str),
        params.get("cursor").map(String::as_str),
    )
    .await?;
    Ok(axum::Json(page))
}

/// One of the customer's requests with a page of its conversation
#[utoipa::path(get, path = "/api/requests/{id}", operation_id = "get_request", security((), ("session" = [])),
    params(
        ("token" = Option<String>, Query, description = TOKEN_PARAM_DOC),
        ("id" = String, Path, pattern = "^[0-9A-HJKMNP-TV-Z]{26}$", description = "Request id (a ULID)."),
        ("cursor" = Option<String>, Query, description = "`next_cursor` of the previous page of messages."),
    ),
    responses(
        (status = 200, description = "The request and its messages, oldest first.", body = RequestThread),
        (status = 400, description = "A bad cursor.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No request of this customer here.", body = Problem, content_type = "application/problem+json"),
        SignedOut, StoreDown,
    ))]
pub(crate) async fn get_request(
    State(state): State<AppState>,
    MaybeSignedIn(session): MaybeSignedIn,
    Path(id): Path<String>,
    query: QueryParams,
) -> Result<axum::Json<RequestThread>, ApiError> {
    let params = params(query)?;
    let reader = reader(&params, session)?;
    let thread = service::thread(
        &state.app,
        &reader,
        &id,
        params.get("cursor").map(String::as_str),
    )
    .await?;
    Ok(axum::Json(thread))
}

/// Write in a request
///
/// The shop owes an answer again; a resolved request reopens if it was resolved within
/// the last 14 days (later, or closed: 409).
#[utoipa::path(post, path = "/api/requests/{id}/messages", operation_id = "write_in_request", security((), ("session" = [])),
    params(
        ("id" = String, Path, pattern = "^[0-9A-HJKMNP-TV-Z]{26}$", description = "Request id (a ULID)."),
        ("token" = Option<String>, Query, description = TOKEN_PARAM_DOC),
    ),
    request_body = NewMessage,
    responses(
        (status = 201, description = "Added; the request as it is now.", body = RequestView),
        (status = 404, description = "No request of this customer here.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Closed, or resolved too long ago to reopen.", body = Problem, content_type = "application/problem+json"),
        BodyErrors, SignedOut, CrossSite, StoreDown,
    ))]
pub(crate) async fn write_in_request(
    State(state): State<AppState>,
    MaybeSignedIn(session): MaybeSignedIn,
    Path(id): Path<String>,
    query: QueryParams,
    Json(input): Json<NewMessage>,
) -> Result<Response, ApiError> {
    let reader = reader(&params(query)?, session)?;
    let view = service::reply(&state.app, &reader, &id, &input).await?;
    Ok((StatusCode::CREATED, axum::Json(view)).into_response())
}

/// Escalate an overdue request, with a reason
///
/// Once per level (at most two), while the shop owes an answer past its due time;
/// otherwise 409. The shop's escalation address is told.
#[utoipa::path(post, path = "/api/requests/{id}/escalate", operation_id = "escalate_request", security((), ("session" = [])),
    params(
        ("id" = String, Path, pattern = "^[0-9A-HJKMNP-TV-Z]{26}$", description = "Request id (a ULID)."),
        ("token" = Option<String>, Query, description = TOKEN_PARAM_DOC),
    ),
    request_body = EscalationRequest,
    responses(
        (status = 200, description = "Escalated; the request as it is now.", body = RequestView),
        (status = 404, description = "No request of this customer here.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not overdue, not waiting on the shop, or at the top level.", body = Problem, content_type = "application/problem+json"),
        BodyErrors, SignedOut, CrossSite, StoreDown,
    ))]
pub(crate) async fn escalate_request(
    State(state): State<AppState>,
    MaybeSignedIn(session): MaybeSignedIn,
    Path(id): Path<String>,
    query: QueryParams,
    Json(input): Json<EscalationRequest>,
) -> Result<axum::Json<RequestView>, ApiError> {
    let reader = reader(&params(query)?, session)?;
    let view = service::escalate(&state.app, &reader, &id, &input).await?;
    Ok(axum::Json(view))
}
