//! HTTP concerns shared by every function: JSON extraction, problem+json errors,
//! request logging, security headers, and the state handlers receive.

pub mod client;
mod error;
pub mod json;
pub mod language;
mod localize;
pub mod problem;
mod problem_es;
pub mod session;
pub mod staff;
pub mod strict;

pub use client::ClientAddress;
pub use error::{ApiError, ClearSession, clear_session};
pub use json::Json;
pub use language::PageLanguage;
pub use problem::Problem;
pub use session::{MaybeSignedIn, SessionConfig, SignedIn};

use crate::app::App;
use crate::domain::clock::Clock;
use crate::store::Store;
use axum::Router;
use axum::extract::State;
use axum::extract::{MatchedPath, Request};
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use std::time::Instant;

/// What every handler may use. Cheap to clone (the SDK client is reference counted).
#[derive(Debug, Clone)]
pub struct AppState {
    /// The service layer's dependencies: store, server secret, clock.
    pub app: App,
    pub sessions: SessionConfig,
}

impl AppState {
    pub fn new(store: Store, sessions: SessionConfig) -> Self {
        Self::with_clock(store, sessions, Clock::system())
    }

    /// State whose time comes from `clock` (tests pass a fixed one).
    pub fn with_clock(store: Store, sessions: SessionConfig, clock: Clock) -> Self {
        let app = App::new(store, sessions.key.clone(), clock);
        Self { app, sessions }
    }

    pub fn store(&self) -> &Store {
        &self.app.store
    }

    pub fn clock(&self) -> &Clock {
        &self.app.clock
    }

    /// State for a deployed `function`, built once at cold start and kept for the
    /// container's life: config from the environment, one DynamoDB client, and the
    /// server secret where the function uses it (`access::SECRETS`), read from Secrets
    /// Manager by the ARN in `ECRM_SECRET_ARN` (or, outside AWS, from `ECRM_SESSION_KEY`);
    /// see `config::server_secret`.
    pub async fn from_env(function: &str) -> Result<Self, String> {
        let config = crate::config::Config::from_env();
        let (key, client) = tokio::join!(
            crate::config::server_secret(function),
            crate::config::dynamodb_client(&config)
        );
        let sessions = SessionConfig {
            key: key?,
            secure_cookies: true,
            public_origin: std::env::var("ECRM_PUBLIC_ORIGIN")
                .ok()
                .filter(|o| !o.is_empty()),
        };
        let mut state = Self::new(Store::new(client, config.table), sessions);
        state.app = state
            .app
            .with_service(crate::domain::service_config::ServiceConfig::from_env());
        Ok(state)
    }
}

/// A deployed function's whole API, built once at cold start: tracing, the state
/// (config, one DynamoDB client, the secrets `function` reads from Secrets Manager),
/// the function's routes with what every API response needs (`api`), and the check
/// that requests came through CloudFront. Each function's `main` hands it to
/// `lambda_http::run`.
pub async fn lambda_api(function: &str, routes: fn(AppState) -> Router) -> Result<Router, String> {
    crate::telemetry::init();
    let (state, origin) = tokio::try_join!(
        AppState::from_env(function),
        crate::config::OriginCheck::from_env(),
    )?;
    Ok(origin.require(api(state.clone(), routes(state))))
}

/// Wrap the merged routes of one or more functions with what every API response needs:
/// problem+json for unknown routes and methods, a request id, and one log line per
/// request, and the cross-site check. Applied once, by each function's `main` or by the
/// local runner.
pub fn api(state: AppState, routes: Router) -> Router {
    routes
        .fallback(|| async { Problem::not_found() })
        .method_not_allowed_fallback(|| async { Problem::method_not_allowed() })
        .layer(middleware::from_fn_with_state(
            state.clone(),
            refuse_cross_site,
        ))
        .layer(middleware::from_fn_with_state(state, sign_out_when_asked))
        .layer(middleware::from_fn(private_by_default))
        .layer(middleware::from_fn(localize::localize_problems))
        .layer(middleware::from_fn(log_request))
}

/// API answers carry personal data unless a route says otherwise (the catalog and the
/// OpenAPI document set their own `Cache-Control`): no cache may keep them.
async fn private_by_default(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    if !response.headers().contains_key(header::CACHE_CONTROL) {
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

/// Responses marked [`ClearSession`] (signed out, revoked, erased) also remove the
/// session cookie, sent with the same attributes it was set with, but only when the
/// request carried one: a cookie-less call answered late (a visitor's page asking who
/// is signed in while the same browser signs in) must not delete the new session.
async fn sign_out_when_asked(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let carried_session = session::session_token(request.headers()).is_some();
    let mut response = next.run(request).await;
    if response.extensions_mut().remove::<ClearSession>().is_some() && carried_session {
        response
            .headers_mut()
            .append(header::SET_COOKIE, state.sessions.clearing_cookie());
    }
    response
}

fn cross_site() -> Problem {
    Problem::new(
        StatusCode::FORBIDDEN,
        "cross-site",
        "Cross-site request refused",
        "Requests that change data must come from this site.",
    )
}

/// The origin a request should come from: the configured public origin, or else the
/// host it was addressed to (CloudFront passes the viewer's host in X-Forwarded-Host,
/// since API Gateway needs its own Host; a cross-site page cannot set either header).
fn expected_origin(state: &AppState, headers: &HeaderMap, secure: bool) -> Option<String> {
    if let Some(origin) = &state.sessions.public_origin {
        return Some(origin.trim_end_matches('/').to_string());
    }
    let host = headers
        .get("x-forwarded-host")
        .or_else(|| headers.get(header::HOST))?
        .to_str()
        .ok()?;
    Some(format!(
        "{}://{host}",
        if secure { "https" } else { "http" }
    ))
}

/// State-changing requests must come from the site itself: a browser's `Origin` must
/// be ours, `Sec-Fetch-Site` must not say cross-site, and a request that carries a
/// session cookie must say where it comes from. (SameSite=Strict and the JSON
/// content-type requirement are the other two locks.)
async fn refuse_cross_site(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let safe = matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    if !safe {
        let headers = request.headers();
        if headers
            .get("sec-fetch-site")
            .is_some_and(|v| v == "cross-site")
        {
            return cross_site().into_response();
        }
        let origin = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok());
        match origin {
            Some(origin) => {
                let expected = expected_origin(&state, headers, state.sessions.secure_cookies);
                if expected.as_deref() != Some(origin.trim_end_matches('/')) {
                    return cross_site().into_response();
                }
            }
            None if session::session_token(headers).is_some()
                || staff::staff_token(headers).is_some() =>
            {
                return cross_site().into_response();
            }
            None => {}
        }
    }
    next.run(request).await
}

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// One JSON log line per request: method, route template (never the raw path, which
/// may carry ids or tokens), status, latency, request id and the DynamoDB round trips
/// the request made. No personal data.
async fn log_request(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_else(|| "unmatched".to_owned());
    let request_id = ulid::Ulid::new().to_string();
    let (response, dynamodb_calls) =
        crate::telemetry::count_dynamodb_calls(next.run(request)).await;
    let mut response = response.into_response();
    if let Ok(value) = HeaderValue::from_str(&request_id) {
        response.headers_mut().insert(REQUEST_ID, value);
    }
    tracing::info!(
        request_id = %request_id,
        method = %method,
        route = %route,
        status = response.status().as_u16(),
        latency_ms = started.elapsed().as_secs_f64() * 1000.0,
        dynamodb_calls,
        "request"
    );
    response
}

/// The security headers every response carries, from `infra/security-headers.json`
/// (the same list the CloudFront response-headers policy is checked against). Parsed
/// once: the runner adds them to every response.
pub fn security_headers() -> &'static [(HeaderName, HeaderValue)] {
    static HEADERS: std::sync::LazyLock<Vec<(HeaderName, HeaderValue)>> =
        std::sync::LazyLock::new(|| {
            const LIST: &str = include_str!("../../../../infra/security-headers.json");
            let map: serde_json::Map<String, serde_json::Value> =
                serde_json::from_str(LIST).unwrap_or_default();
            map.into_iter()
                .filter(|(name, _)| !name.starts_with('_'))
                .filter_map(|(name, value)| {
                    let name = HeaderName::from_bytes(name.to_ascii_lowercase().as_bytes()).ok()?;
                    let value = HeaderValue::from_str(value.as_str()?).ok()?;
                    Some((name, value))
                })
                .collect()
        });
    &HEADERS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn security_headers_include_a_strict_csp() {
        let headers = security_headers();
        assert!(headers.len() >= 6);
        let csp = headers
            .iter()
            .find(|(n, _)| n == "content-security-policy")
            .map(|(_, v)| v.to_str().unwrap().to_string())
            .unwrap();
        assert!(csp.contains("script-src 'self'"));
        assert!(!csp.contains("unsafe-inline"));
    }
}
