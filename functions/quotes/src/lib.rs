//! The `quotes` function: the catalog, instant quotes, a member's quote history and
//! acceptance. Each handler extracts, calls one use case in `ecrm_core::app::quotes`,
//! and maps the answer to HTTP.
//!
//! Access to one quote: the signed-in owner, or whoever holds the quote's link token
//! (`?token=`, given once to the visitor who asked for it). Everyone else gets 404.
//!
//! Its routes are listed once, in [`routes`]: that list builds the router and, through
//! each handler's `#[utoipa::path]`, its part of the OpenAPI document.

use axum::Router;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use ecrm_core::app::AppError;
use ecrm_core::app::catalog::{self, CatalogPage, CatalogParams};
use ecrm_core::app::quote_preview::{self, PreviewRequest, QuotePreview};
use ecrm_core::app::quotes::{self, Created, QuotePage, Reader};
use ecrm_core::app::views::{Health, QuoteView};
use ecrm_core::domain::quote::QuoteRequest;
use ecrm_core::openapi::{BodyErrors, CrossSite, SignedOut, StoreDown, TooMany};
use ecrm_core::web::{
    ApiError, AppState, ClientAddress, Json, MaybeSignedIn, PageLanguage, Problem, SignedIn,
};
use serde::Serialize;
use std::collections::HashMap;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub use ecrm_core::app::quotes::{DEFAULT_PAGE, MAX_PAGE};
/// Longest `Idempotency-Key` accepted (UUIDs are 36).
pub const MAX_IDEMPOTENCY_KEY: usize = 255;

const IDEMPOTENCY_KEY: HeaderName = HeaderName::from_static("idempotency-key");
const REPLAYED: HeaderName = HeaderName::from_static("idempotent-replayed");

/// This function's routes: its router and its part of the OpenAPI document.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(catalog))
        .routes(routes!(create_quote))
        .routes(routes!(preview_quote))
        .routes(routes!(get_quote))
        .routes(routes!(accept_quote))
        .routes(routes!(my_quotes))
        .routes(routes!(health))
}

pub fn router(state: AppState) -> Router {
    routes().split_for_parts().0.with_state(state)
}

/// This function's part of the OpenAPI document.
pub fn api() -> utoipa::openapi::OpenApi {
    routes().into_openapi()
}

/// Whether the quotes function answers.
#[utoipa::path(get, path = "/api/health/quotes", operation_id = "health_quotes",
    responses((status = 200, description = "It answers.", body = Health)))]
async fn health() -> axum::Json<Health> {
    axum::Json(Health::of("quotes"))
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

/// The catalog, page by page: search by words, filter by topic, need or featured
///
/// A search matches word prefixes in either language; every page is one store round
/// trip. Follow `next_cursor` (with the same other parameters) until it is `null`.
#[utoipa::path(get, path = "/api/catalog", operation_id = "catalog",
    params(CatalogParams),
    responses(
        (status = 200, description = "One page of items.", body = CatalogPage),
        (status = 400, description = "A parameter out of range, or a cursor no earlier page of this search gave.", body = Problem, content_type = "application/problem+json"),
        StoreDown,
    ))]
async fn catalog(State(state): State<AppState>, query: QueryParams) -> Result<Response, ApiError> {
    let page = catalog::browse(&state.app, &params(query)?).await?;
    let mut response = axum::Json(page).into_response();
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

/// Price a request from the stored catalog and keep the quote
///
/// For a visitor, `contact` is required and the answer carries the quote's link; for
/// a signed-in customer the quote is made out to their account, with the members'
/// discount.
#[utoipa::path(post, path = "/api/quotes", operation_id = "create_quote",
    security((), ("session" = [])),
    params(("Idempotency-Key" = Option<String>, Header, min_length = 1, max_length = 255, pattern = "^[!-~]+$",
        description = "Makes retries safe: the same key and body answer the same 201; another body under the key is 422.")),
    request_body = QuoteRequest,
    responses(
        (status = 201, description = "Issued (or, for a retry with the same Idempotency-Key, the same answer again).", body = QuoteView,
            headers(
                ("Location" = String, description = "The quote."),
                ("Idempotent-Replayed" = String, description = "`true` on a replay."),
            ),
            links(
                ("GetQuote" = (operation_id = "get_quote", parameters(("id" = "$response.body#/id"), ("token" = "$response.body#/token")))),
                ("AcceptQuote" = (operation_id = "accept_quote", parameters(("id" = "$response.body#/id"), ("token" = "$response.body#/token")))),
            )),
        (status = 401, description = "The session was revoked.", body = Problem, content_type = "application/problem+json"),
        BodyErrors, TooMany, CrossSite, StoreDown,
    ))]
async fn create_quote(
    State(state): State<AppState>,
    MaybeSignedIn(session): MaybeSignedIn,
    client: ClientAddress,
    PageLanguage(language): PageLanguage,
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
        language,
    )
    .await?;
    Ok(created(made))
}

/// What a quote would cost, keeping nothing
///
/// Priced by the same rules as `POST /api/quotes`, so a page can show a running total
/// before asking for contact details. Without `country`, a signed-in customer's is
/// their default delivery address's, else their profile's; a visitor's lines need one.
#[utoipa::path(post, path = "/api/quotes/preview", operation_id = "preview_quote",
    security((), ("session" = [])),
    request_body = PreviewRequest,
    responses(
        (status = 200, description = "The price; nothing was stored.", body = QuotePreview),
        (status = 401, description = "The session was revoked.", body = Problem, content_type = "application/problem+json"),
        BodyErrors, CrossSite, StoreDown,
    ))]
async fn preview_quote(
    State(state): State<AppState>,
    MaybeSignedIn(session): MaybeSignedIn,
    Json(request): Json<PreviewRequest>,
) -> Result<Response, ApiError> {
    let preview = quote_preview::preview(&state.app, session.as_ref(), &request).await?;
    Ok(private(preview))
}

/// A link's token if given, else the session if any.
fn reader(params: &HashMap<String, String>, session: Option<SignedInClaims>) -> Option<Reader> {
    match params.get("token") {
        Some(token) => Some(Reader::Token(token.clone())),
        None => session.map(Reader::Member),
    }
}

type SignedInClaims = ecrm_core::domain::session::SessionClaims;

/// One quote, for its owner (session) or the holder of its link (token)
#[utoipa::path(get, path = "/api/quotes/{id}", operation_id = "get_quote",
    security((), ("session" = [])),
    params(
        ("id" = String, Path, description = "Quote id (a ULID)."),
        ("token" = Option<String>, Query, description = "The visitor's link token."),
    ),
    responses(
        (status = 200, description = "The quote.", body = QuoteView),
        (status = 400, description = "The query string could not be read.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No quote here that this reader may see (the same answer for both).", body = Problem, content_type = "application/problem+json"),
        StoreDown,
    ))]
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

/// Accept an issued, unexpired quote
///
/// Accepting again answers it unchanged.
#[utoipa::path(post, path = "/api/quotes/{id}/accept", operation_id = "accept_quote",
    security((), ("session" = [])),
    params(
        ("id" = String, Path, description = "Quote id (a ULID)."),
        ("token" = Option<String>, Query, description = "The visitor's link token."),
    ),
    responses(
        (status = 200, description = "The quote.", body = QuoteView),
        (status = 400, description = "The query string could not be read.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No quote here that this reader may see (the same answer for both).", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Expired, or changed meanwhile.", body = Problem, content_type = "application/problem+json"),
        CrossSite, StoreDown,
    ))]
async fn accept_quote(
    State(state): State<AppState>,
    MaybeSignedIn(session): MaybeSignedIn,
    Path(id): Path<String>,
    PageLanguage(language): PageLanguage,
    query: QueryParams,
) -> Result<Response, ApiError> {
    let reader = reader(&params(query)?, session);
    let quote = quotes::accept(&state.app, &id, reader.as_ref(), language).await?;
    Ok(private(quote))
}

/// The signed-in customer's quotes, newest first
#[utoipa::path(get, path = "/api/me/quotes", operation_id = "my_quotes", security(("session" = [])),
    params(
        ("limit" = Option<u32>, Query, minimum = 1, maximum = 50, description = "Quotes per page (default 20)."),
        ("cursor" = Option<String>, Query, description = "`next_cursor` from the previous page."),
    ),
    responses(
        (status = 200, description = "One page.", body = QuotePage),
        (status = 400, description = "Bad limit or cursor.", body = Problem, content_type = "application/problem+json"),
        SignedOut, StoreDown,
    ))]
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
