//! The `quotes` function: the catalog, instant quotes, a member's quote history and
//! acceptance.
//!
//! Access to one quote: the signed-in owner (session cookie; the profile's session
//! epoch is read in the same BatchGetItem and must match), or whoever holds the quote's
//! link token (`?token=`, given once to the visitor who asked for it; only its hash is
//! stored). Everyone else gets 404, so a quote's existence is not revealed.
//!
//! A visitor's token is `HMAC(session key, "quote-link", quote id)`: an idempotent
//! replay can hand it out again without it ever being stored in clear.

use axum::Router;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ecrm_core::domain::clock;
use ecrm_core::domain::quote::{Contact, Quote, QuoteRequest, check_request, price_request};
use ecrm_core::domain::session::SessionClaims;
use ecrm_core::site_config;
use ecrm_core::store::customers::{self, ProfileItem};
use ecrm_core::store::quotes::{
    self as quote_store, Acceptor, CreateQuoteError, IdempotencyItem, NewIdempotency, QuoteItem,
};
use ecrm_core::store::{StoreError, catalog as catalog_store};
use ecrm_core::web::session::{now_unix, session_token, unauthorized};
use ecrm_core::web::{AppState, Json, Problem, SignedIn};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use std::collections::HashMap;

pub const DEFAULT_PAGE: u32 = 20;
pub const MAX_PAGE: u32 = 50;
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

fn sha256(parts: &[&[u8]]) -> String {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update(part);
        hasher.update([0u8]);
    }
    URL_SAFE_NO_PAD.encode(hasher.finalize())
}

/// Compare two hashes without an early exit.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

fn link_token(state: &AppState, quote_id: &str) -> String {
    state.sessions.key.keyed_hash("quote-link", quote_id)
}

fn token_hash(token: &str) -> String {
    sha256(&[b"quote-link", token.as_bytes()])
}

/// The session, when the request carries a valid one (signature and expiry; the epoch
/// is checked against the profile by the caller).
fn session(headers: &HeaderMap, state: &AppState) -> Option<SessionClaims> {
    let token = session_token(headers)?;
    state.sessions.key.verify(token, now_unix()).ok()
}

fn epoch_current(claims: &SessionClaims, profile: Option<&ProfileItem>) -> bool {
    profile.is_some_and(|p| p.session_epoch == claims.epoch)
}

fn private(mut response: Response) -> Response {
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// The `{id}` path parameter. Read by name: the local runner's outer `/api/{*rest}`
/// route adds a parameter of its own, so a single-value `Path<String>` would not do.
fn quote_id(path: &HashMap<String, String>) -> String {
    path.get("id").cloned().unwrap_or_default()
}

fn is_quote_id(id: &str) -> bool {
    ulid::Ulid::from_string(id).is_ok()
}

fn bad_request(slug: &str, title: &str, detail: &str) -> Problem {
    Problem::new(StatusCode::BAD_REQUEST, slug, title, detail)
}

fn params(
    query: Result<Query<HashMap<String, String>>, QueryRejection>,
) -> Result<HashMap<String, String>, Problem> {
    query.map(|Query(map)| map).map_err(|_| {
        bad_request(
            "invalid-query",
            "Invalid query string",
            "The query string could not be read.",
        )
    })
}

/// `GET /api/catalog`: every item, by SKU.
async fn catalog(State(state): State<AppState>) -> Result<Response, Problem> {
    let items = catalog_store::list(&state.store).await?;
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
        return Err(bad_request(
            "invalid-idempotency-key",
            "Invalid Idempotency-Key",
            "Idempotency-Key must be 1 to 255 visible ASCII characters, such as a UUID.",
        ));
    }
    Ok(Some(key.to_string()))
}

fn key_reused() -> Problem {
    Problem::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        "idempotency-key-reused",
        "Idempotency-Key already used",
        "This Idempotency-Key was already used with a different request. Use a new key for a new quote.",
    )
}

/// The body a create answers: the quote, plus a visitor's token and link.
fn created_body(state: &AppState, mut body: Value) -> Value {
    let visitor = body.get("customer_id").is_none();
    let id = body["id"].as_str().unwrap_or_default().to_string();
    if visitor && let Some(map) = body.as_object_mut() {
        let token = link_token(state, &id);
        map.insert(
            "link".into(),
            format!("/quote/view/?id={id}&token={token}").into(),
        );
        map.insert("token".into(), token.into());
    }
    body
}

fn created(state: &AppState, body: Value, replayed: bool) -> Response {
    let location = body["id"]
        .as_str()
        .and_then(|id| HeaderValue::from_str(&format!("/api/quotes/{id}")).ok());
    let mut response = (StatusCode::CREATED, axum::Json(created_body(state, body))).into_response();
    if let Some(location) = location {
        response.headers_mut().insert(header::LOCATION, location);
    }
    if replayed {
        response
            .headers_mut()
            .insert(REPLAYED, HeaderValue::from_static("true"));
    }
    private(response)
}

/// Answer a retry from its idempotency record: the same response, or 422 for a
/// different request under the same key.
fn replay(
    state: &AppState,
    record: &IdempotencyItem,
    request_hash: &str,
) -> Result<Response, Problem> {
    if !same(&record.request_hash, request_hash) {
        return Err(key_reused());
    }
    let body: Value = serde_json::from_str(&record.response)
        .map_err(|e| Problem::from(StoreError::Corrupt(format!("idempotency response: {e}"))))?;
    Ok(created(state, body, true))
}

/// `POST /api/quotes`: price the request from the stored catalog and store the quote.
/// Round trips: one BatchGetItem (items, profile, idempotency record), one
/// TransactWriteItems (quote, number claim, idempotency record).
async fn create_quote(
    State(state): State<AppState>,
    headers: HeaderMap,
    Json(request): Json<QuoteRequest>,
) -> Result<Response, Problem> {
    let claims = session(&headers, &state);
    let member = claims.is_some();
    let key = idempotency_key(&headers)?;
    let checked =
        check_request(&request, member, site_config::facts()).map_err(Problem::validation)?;

    let scope = claims.as_ref().map_or("visitor", |c| c.cid.as_str());
    let key_hash = key
        .as_deref()
        .map(|k| sha256(&[b"quote-idempotency", scope.as_bytes(), k.as_bytes()]));
    let request_hash = sha256(&[
        b"quote-request",
        scope.as_bytes(),
        &serde_json::to_vec(&request).unwrap_or_default(),
    ]);

    let skus: Vec<String> = checked.lines.iter().map(|(sku, _)| sku.clone()).collect();
    let prefetched = quote_store::prefetch(
        &state.store,
        &skus,
        claims.as_ref().map(|c| c.cid.as_str()),
        key_hash.as_deref(),
    )
    .await?;
    let contact = match (&claims, &prefetched.profile, checked.contact.clone()) {
        (Some(claims), Some(profile), _) if epoch_current(claims, Some(profile)) => Contact {
            name: profile.display_name.clone(),
            email: profile.email.clone(),
        },
        // A signed session whose epoch was revoked, or whose customer is gone.
        (Some(_), _, _) => return Err(unauthorized()),
        (None, _, Some(contact)) => contact,
        (None, _, None) => return Err(Problem::internal()),
    };
    let now_unix = now_unix();
    if let Some(record) = prefetched
        .idempotency
        .as_ref()
        .filter(|r| r.is_live(now_unix))
    {
        return replay(&state, record, &request_hash);
    }
    let priced = price_request(&checked, &prefetched.items, member).map_err(Problem::validation)?;

    // A new id on the (astronomically rare) clash of quote numbers.
    for _ in 0..3 {
        let id = ulid::Ulid::new();
        let at = clock::now();
        let quote = Quote::issue(
            &id,
            at,
            claims.as_ref().map(|c| c.cid.clone()),
            contact.clone(),
            checked.country.clone(),
            priced.clone(),
        );
        let body = quote.view(&clock::rfc3339(at));
        let token_hash = (!member).then(|| token_hash(&link_token(&state, &quote.id)));
        let idempotency = key_hash.as_ref().map(|key_hash| NewIdempotency {
            key_hash: key_hash.clone(),
            request_hash: request_hash.clone(),
            response: body.to_string(),
            now_unix,
        });
        let item = QuoteItem::new(&quote, token_hash);
        match quote_store::create(&state.store, &item, idempotency.as_ref()).await {
            Ok(()) => {
                tracing::info!(quote_id = %quote.id, member, lines = quote.lines.len(), "quote issued");
                return Ok(created(&state, body, false));
            }
            Err(CreateQuoteError::KeyTaken) => {
                // Another request with this key won the race: answer as it did.
                let hash = key_hash.as_deref().unwrap_or_default();
                return match quote_store::get_idempotency(&state.store, hash).await? {
                    Some(record) => replay(&state, &record, &request_hash),
                    None => Err(Problem::unavailable()),
                };
            }
            Err(CreateQuoteError::Clash) => continue,
            Err(CreateQuoteError::Store(error)) => return Err(error.into()),
        }
    }
    Err(Problem::unavailable())
}

/// How a reader may see a quote.
enum Reader {
    Token(String),
    Member(SessionClaims),
}

fn reader(
    params: &HashMap<String, String>,
    headers: &HeaderMap,
    state: &AppState,
) -> Option<Reader> {
    match params.get("token") {
        Some(token) => Some(Reader::Token(token.clone())),
        None => session(headers, state).map(Reader::Member),
    }
}

/// The quote if `reader` may see it; `None` otherwise (answered 404).
async fn readable(
    state: &AppState,
    id: &str,
    reader: &Reader,
) -> Result<Option<QuoteItem>, Problem> {
    if !is_quote_id(id) {
        return Ok(None);
    }
    Ok(match reader {
        Reader::Token(token) => {
            let (quote, _) = quote_store::get(&state.store, id, None).await?;
            quote.filter(|q| {
                q.token_hash
                    .as_deref()
                    .is_some_and(|h| same(h, &token_hash(token)))
            })
        }
        Reader::Member(claims) => {
            let (quote, profile) = quote_store::get(&state.store, id, Some(&claims.cid)).await?;
            quote.filter(|q| {
                q.quote.customer_id.as_deref() == Some(claims.cid.as_str())
                    && epoch_current(claims, profile.as_ref())
            })
        }
    })
}

/// `GET /api/quotes/{id}`: for the owner or the link's holder.
async fn get_quote(
    State(state): State<AppState>,
    Path(path): Path<HashMap<String, String>>,
    headers: HeaderMap,
    query: Result<Query<HashMap<String, String>>, QueryRejection>,
) -> Result<Response, Problem> {
    let id = quote_id(&path);
    let params = params(query)?;
    let Some(reader) = reader(&params, &headers, &state) else {
        return Err(quote_not_found());
    };
    let quote = readable(&state, &id, &reader)
        .await?
        .ok_or_else(quote_not_found)?;
    let now = clock::rfc3339(clock::now());
    Ok(private(axum::Json(quote.quote.view(&now)).into_response()))
}

/// 404 for a quote that does not exist or that this reader may not see (the same
/// answer for both). Its own type, so it is not mistaken for an unmounted route.
fn quote_not_found() -> Problem {
    Problem::new(
        StatusCode::NOT_FOUND,
        "quote-not-found",
        "Quote not found",
        "There is no quote here that you can see. Sign in, or use the link you were given.",
    )
}

fn expired() -> Problem {
    Problem::new(
        StatusCode::CONFLICT,
        "quote-expired",
        "Quote expired",
        "This quote is past its valid-until date and can no longer be accepted. Ask for a new quote.",
    )
}

/// `POST /api/quotes/{id}/accept`: an issued, unexpired quote becomes `accepted` (one
/// conditional write). Accepting an accepted quote again answers it unchanged.
async fn accept_quote(
    State(state): State<AppState>,
    Path(path): Path<HashMap<String, String>>,
    headers: HeaderMap,
    query: Result<Query<HashMap<String, String>>, QueryRejection>,
) -> Result<Response, Problem> {
    let id = quote_id(&path);
    let params = params(query)?;
    let Some(reader) = reader(&params, &headers, &state) else {
        return Err(quote_not_found());
    };
    if !is_quote_id(&id) {
        return Err(quote_not_found());
    }
    let now = clock::rfc3339(clock::now());
    let hash;
    let by = match &reader {
        Reader::Token(token) => {
            hash = token_hash(token);
            Acceptor::TokenHolder { token_hash: &hash }
        }
        Reader::Member(claims) => Acceptor::Owner {
            customer_id: &claims.cid,
            epoch: claims.epoch,
        },
    };
    let accepted = quote_store::accept(&state.store, &id, &now, by).await?;
    // Read it back: to answer it, or to say why it could not be accepted.
    let quote = readable(&state, &id, &reader)
        .await?
        .ok_or_else(quote_not_found)?;
    if !accepted {
        match quote.quote.shown_status(&now) {
            "accepted" => {}
            "expired" => return Err(expired()),
            _ => {
                return Err(Problem::new(
                    StatusCode::CONFLICT,
                    "conflict",
                    "Quote changed",
                    "The quote changed while it was being accepted. Please try again.",
                ));
            }
        }
    } else {
        tracing::info!(quote_id = %id, "quote accepted");
    }
    Ok(private(axum::Json(quote.quote.view(&now)).into_response()))
}

/// `GET /api/me/quotes?limit=&cursor=`: the signed-in customer's quotes, newest first.
async fn my_quotes(
    State(state): State<AppState>,
    signed_in: SignedIn,
    query: Result<Query<HashMap<String, String>>, QueryRejection>,
) -> Result<Response, Problem> {
    let params = params(query)?;
    let limit = match params.get("limit") {
        None => DEFAULT_PAGE,
        Some(raw) => raw
            .parse::<u32>()
            .ok()
            .filter(|n| (1..=MAX_PAGE).contains(n))
            .ok_or_else(|| {
                bad_request(
                    "invalid-query",
                    "Invalid limit",
                    "limit must be a whole number from 1 to 50.",
                )
            })?,
    };
    let customer_id = signed_in.customer_id();
    let start = match params.get("cursor") {
        None => None,
        Some(cursor) => Some(
            quote_store::decode_cursor(cursor, customer_id).ok_or_else(|| {
                bad_request(
                    "invalid-cursor",
                    "Invalid cursor",
                    "cursor must be a next_cursor value from a previous page.",
                )
            })?,
        ),
    };
    let (page, profile) = tokio::join!(
        quote_store::list_for_customer(&state.store, customer_id, limit as i32, start),
        customers::get_profile(&state.store, customer_id),
    );
    if !epoch_current(&signed_in.0, profile?.as_ref()) {
        return Err(unauthorized());
    }
    let (quotes, next) = page?;
    let now = clock::rfc3339(clock::now());
    let body = json!({
        "quotes": quotes.iter().map(|q| q.view(&now)).collect::<Vec<_>>(),
        "next_cursor": next.as_ref().map(quote_store::encode_cursor),
    });
    Ok(private(axum::Json(body).into_response()))
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

    #[test]
    fn hashes_separate_their_parts() {
        assert_ne!(sha256(&[b"ab", b"c"]), sha256(&[b"a", b"bc"]));
        assert!(same("abc", "abc") && !same("abc", "abd") && !same("abc", "ab"));
    }
}
