//! The `recommendations` function: behaviour events (`POST /api/events`, kept only
//! with the personalisation consent) and recommendations with their reasons
//! (`GET /api/recommendations`). Each handler extracts, calls one use case in
//! `ecrm_core::app`, and maps the answer to HTTP. Its routes are listed once, in
//! [`routes`]: the router and its part of the OpenAPI document.
//!
//! The stream worker that keeps the neighbour lists is the `neighbours` crate.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::{Json as AxumJson, Router};
use ecrm_core::app::AppError;
use ecrm_core::app::recommendations::{self, Lookup, Recommendations};
use ecrm_core::app::views::Health;
use ecrm_core::domain::events::EventBatch;
use ecrm_core::openapi::{BodyErrors, CrossSite, SignedOut, StoreDown};
use ecrm_core::web::{ApiError, AppState, Json, MaybeSignedIn, Problem, SignedIn};
use std::collections::HashMap;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// This function's routes: its router and its part of the OpenAPI document.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(record_events))
        .routes(routes!(recommend))
        .routes(routes!(health))
}

pub fn router(state: AppState) -> Router {
    routes().split_for_parts().0.with_state(state)
}

/// This function's part of the OpenAPI document.
pub fn api() -> utoipa::openapi::OpenApi {
    routes().into_openapi()
}

/// Whether the recommendations function answers.
#[utoipa::path(get, path = "/api/health/recommendations", operation_id = "health_recommendations",
    responses((status = 200, description = "It answers.", body = Health)))]
async fn health() -> AxumJson<Health> {
    AxumJson(Health::of("recommendations"))
}

/// Record what the customer looked at
///
/// Kept only while the customer grants the `personalisation` consent (checked in the
/// same transaction as the write), for 180 days; otherwise nothing is kept. The answer
/// is 204 either way.
#[utoipa::path(post, path = "/api/events", operation_id = "record_events",
    security(("session" = [])),
    request_body = EventBatch,
    responses(
        (status = 204, description = "Recorded, or (without the personalisation consent) not kept."),
        BodyErrors, SignedOut, CrossSite, StoreDown,
    ))]
async fn record_events(
    State(state): State<AppState>,
    session: SignedIn,
    Json(batch): Json<EventBatch>,
) -> Result<StatusCode, ApiError> {
    ecrm_core::app::events::record(&state.app, session.claims(), &batch).await?;
    Ok(StatusCode::NO_CONTENT)
}

type QueryParams = Result<Query<HashMap<String, String>>, QueryRejection>;

/// Items recommended, each with its reason
///
/// Signed in: from the customer's recent activity (only with the personalisation
/// consent), the topics they follow and popularity; without the consent, topics and
/// popularity only, and `personalised` is false. `?topic=` (comma-separated topic ids)
/// picks by topic and `?item=` answers "customers who bought this also bought", for
/// anyone. At most two DynamoDB round trips.
#[utoipa::path(get, path = "/api/recommendations", operation_id = "recommendations",
    security((), ("session" = [])),
    params(
        ("limit" = Option<u32>, Query, minimum = 1, maximum = 20, description = "How many items (default 8)."),
        ("topic" = Option<String>, Query, pattern = "^[a-z_]+(,[a-z_]+)*$", max_length = 200, description = "Topic ids, comma-separated."),
        ("item" = Option<String>, Query, pattern = "^[0-9]{5}[A-Z0-9]{0,27}$", max_length = 32, description = "A SKU: items bought together with it."),
        ("lang" = Option<String>, Query, pattern = "^(en|es)$", description = "Language of names and reasons (default: the customer's, else en)."),
    ),
    responses(
        (status = 200, description = "The items, with reasons.", body = Recommendations),
        (status = 400, description = "A query parameter could not be used.", body = Problem, content_type = "application/problem+json"),
        SignedOut, StoreDown,
    ))]
async fn recommend(
    State(state): State<AppState>,
    MaybeSignedIn(session): MaybeSignedIn,
    query: QueryParams,
) -> Result<Response, ApiError> {
    let Query(params) = query.map_err(|_| AppError::BadQuery {
        field: "query",
        detail: "The query string could not be read.",
    })?;
    let lookup = Lookup {
        limit: params.get("limit").map(String::as_str),
        topic: params.get("topic").map(String::as_str),
        item: params.get("item").map(String::as_str),
        lang: params.get("lang").map(String::as_str),
    };
    let found = recommendations::lookup(&state.app, session.as_ref(), &lookup).await?;
    let mut response = AxumJson(found).into_response();
    // Personal answers must not be kept by any cache.
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}
