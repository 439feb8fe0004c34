//! The `quotes` function: the catalog, instant quotes, a member's quote history and
//! acceptance. Each handler extracts, calls one use case in `ecrm_core::app::quotes`,
//! and maps the answer to HTTP.
//!
//! Access to one quote: the signed-in owner, or whoever holds the quote's link token
//! (`?token=`, given once to the visitor who asked for it). Everyone else gets 404.

use axum::Router;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use ecrm_core::app::AppError;
use ecrm_core::app::quotes::{self, Created, Reader};
use ecrm_core::domain::quote::QuoteRequest;
use ecrm_core::web::{ApiError, AppState, ClientAddress, Json, MaybeSignedIn, Problem, SignedIn};
use serde::Serialize;
use serde_json::{Value, json};
use std::collections::HashMap;

pub use ecrm_core::app::quotes::{DEFAULT_PAGE, MAX_PAGE};
/// Longest `Idempotency-Key` accepted (UUIDs are 36).
pub const MAX_IDEMPOTENCY_KEY: usize = 255;

const IDEMPOTENCY_KEY: HeaderName = HeaderName::from_static("idempotency-key");
const REPLAYED: HeaderName = HeaderName::from_static("idempotent-replayed");

pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/api/catalog", get(catalog))
        .route("/api/quotes", post(create_quote))
        .route("/api/quotes/{id}", get(get_quote))
        .route("/api/quotes/{id}/accept", post(accept_quote))
        .route("/api/me/quotes", get(my_quotes))
        .route("/api/health/quotes", get(health))
        .with_state(state)
}

async fn health() -> axum::Json<Value> {
    axum::Json(json!({ "status": "ok", "function": "quotes" }))
}

/// A JSON answer that no cache may keep (quotes carry names, emails and links).
fn private(body: impl Serialize) -> Response {
    let mut response = axum::Json(body).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

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

/// `GET /api/catalog`: every item, by SKU.
async fn catalog(State(state): State<AppState>) -> Result<Response, ApiError> {
    let items = quotes::catalog(&state.app).await?;
    let mut response = axum::Json(json!({ "items": items })).into_response();
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=60"),
    );
    Ok(response)
}

/// The `Idempotency-Key` header: absent, or 1..=255 visible ASCII characters.
fn idempotency_key(headers: &HeaderMap) -> Result<Option<String>, Problem> {
    let Some(value) = headers.get(IDEMPOTENCY_KEY) else {
        return Ok(None);
    };
    let key = value.to_str().unwrap_or("").trim();
    if key.is_empty()
        || key.len() > MAX_IDEMPOTENCY_KEY
        || !key.bytes().all(|b| b.is_ascii_graphic())
    {
        return Err(Problem::new(
            StatusCode::BAD_REQUEST,
            "invalid-idempotency-key",
            "Invalid Idempotency-Key",
            "Idempotency-Key must be 1 to 255 visible ASCII characters, such as a UUID.",
        ));
    }
    Ok(Some(key.to_string()))
}

fn created(created: Created) -> Response {
    let location = HeaderValue::from_str(&format!("/api/quotes/{}", created.id)).ok();
    let mut response = private(created.body);
    *response.status_mut() = StatusCode::CREATED;
    if let Some(location) = location {
        response.headers_mut().insert(header::LOCATION, location);
    }
    if created.replayed {
        response
            .headers_mut()
            .insert(REPLAYED, HeaderValue::from_static("true"));
    }
    response
}

/// `POST /api/quotes`: price the request from the stored catalog and store the quote.
async fn create_quote(
    State(state): State<AppState>,
    MaybeSignedIn(session): MaybeSignedIn,
    client: ClientAddress,
    headers: HeaderMap,
    Json(request): Json<QuoteRequest>,
) -> Result<Response, ApiError> {
    let key = idempotency_key(&headers)?;
    let made = quotes::create(
        &state.app,
        session.as_ref(),
        key.as_deref(),
        &request,
        client.key(),
    )
    .await?;
    Ok(created(made))
}

/// A link's token if given, else the session if any.
fn reader(params: &HashMap<String, String>, session: Option<SignedInClaims>) -> Option<Reader> {
    match params.get("token") {
        Some(token) => Some(Reader::Token(token.clone())),
        None => session.map(Reader::Member),
    }
}

type SignedInClaims = ecrm_core::domain::session::SessionClaims;

/// `GET /api/quotes/{id}`: for the owner or the link's holder.
async fn get_quote(
    State(state): State<AppState>,
    MaybeSignedIn(session): MaybeSignedIn,
    Path(id): Path<String>,
    query: QueryParams,
) -> Result<Response, ApiError> {
    let reader = reader(&params(query)?, session);
    let quote = quotes::get(&state.app, &id, reader.as_ref()).await?;
    Ok(private(quote))
}

/// `POST /api/quotes/{id}/accept`: an issued, unexpired quote becomes `accepted`.
async fn accept_quote(
    State(state): State<AppState>,
    MaybeSignedIn(session): MaybeSignedIn,
    Path(id): Path<String>,
    query: QueryParams,
) -> Result<Response, ApiError> {
    let reader = reader(&params(query)?, session);
    let quote = quotes::accept(&state.app, &id, reader.as_ref()).await?;
    Ok(private(quote))
}

/// `GET /api/me/quotes?limit=&cursor=`: the signed-in customer's quotes, newest first.
async fn my_quotes(
    State(state): State<AppState>,
    session: SignedIn,
    query: QueryParams,
) -> Result<Response, ApiError> {
    let params = params(query)?;
    let page = quotes::mine(
        &state.app,
        session.claims(),
        params.get("limit").map(String::as_str),
        params.get("cursor").map(String::as_str),
    )
    .await?;
    Ok(private(page))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn idempotency_keys() {
        let mut headers = HeaderMap::new();
        assert_eq!(idempotency_key(&headers).unwrap(), None);
        headers.insert(IDEMPOTENCY_KEY, HeaderValue::from_static("abc-123"));
        assert_eq!(
            idempotency_key(&headers).unwrap().as_deref(),
            Some("abc-123")
        );
        for bad in ["", "a b", &"k".repeat(256)] {
            headers.insert(IDEMPOTENCY_KEY, HeaderValue::from_str(bad).unwrap());
            assert_eq!(
                idempotency_key(&headers).unwrap_err().status,
                400,
                "{bad:?}"
            );
        }
    }
}
