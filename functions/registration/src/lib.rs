//! The `registration` function: sign-up, passwordless sign-in and sessions.
//! Each handler extracts, calls one use case in `ecrm_core::app`, and maps the answer.

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use ecrm_core::app::views::SessionView;
use ecrm_core::app::{sessions, signup};
use ecrm_core::domain::customer::SignUpRequest;
use ecrm_core::web::{
    ApiError, AppState, ClientAddress, Json, MaybeSignedIn, SignedIn, clear_session,
};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/api/customers", post(sign_up))
        .route("/api/sessions", post(request_code))
        .route("/api/sessions/verify", post(verify_code))
        .route("/api/sessions/current", get(current).delete(sign_out))
        .route("/api/me/sessions/revoke", post(revoke_everywhere))
        .route("/api/health/registration", get(health))
        .route(ecrm_core::openapi::PATH, get(openapi))
        .with_state(state)
}

async fn health() -> axum::Json<Value> {
    axum::Json(json!({ "status": "ok", "function": "registration" }))
}

/// `GET /api/openapi.json`: the OpenAPI 3.1 document of the whole API.
async fn openapi() -> Response {
    let mut response = axum::Json(ecrm_core::openapi::document()).into_response();
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=300"),
    );
    response
}

/// A response that also starts a session for `customer_id` in this browser.
fn signing_in(state: &AppState, customer_id: &str, epoch: u64, response: Response) -> Response {
    let (claims, cookie) = state
        .sessions
        .issue_at(customer_id, epoch, state.clock().unix());
    tracing::info!(customer_id, session_id = %claims.sid, "session started");
    let mut response = response;
    response.headers_mut().append(header::SET_COOKIE, cookie);
    response
}

/// `POST /api/customers`: validate and mail a code; the account exists once the code
/// comes back to `POST /api/sessions/verify`. The same 202 for every valid request.
async fn sign_up(
    State(state): State<AppState>,
    client: ClientAddress,
    Json(request): Json<SignUpRequest>,
) -> Result<Response, ApiError> {
    signup::sign_up(&state.app, request, client.key()).await?;
    let body = Accepted {
        status: "accepted",
        detail: "Check your email: we sent a code to finish creating your account. It works once, for 10 minutes.",
    };
    Ok((StatusCode::ACCEPTED, axum::Json(body)).into_response())
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CodeRequest {
    email: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct VerifyRequest {
    email: Option<String>,
    code: Option<String>,
    /// Keep the customer's sessions on other devices (default: end them).
    keep_other_sessions: Option<bool>,
}

#[derive(Debug, Serialize)]
struct Accepted {
    status: &'static str,
    detail: &'static str,
}

/// `POST /api/sessions`: mail a sign-in code; the same 202 whether registered or not.
async fn request_code(
    State(state): State<AppState>,
    client: ClientAddress,
    Json(request): Json<CodeRequest>,
) -> Result<Response, ApiError> {
    sessions::request_code(&state.app, request.email, client.key()).await?;
    let body = Accepted {
        status: "accepted",
        detail: "If an account uses this email, a sign-in code is on its way. It works once, for 10 minutes.",
    };
    Ok((StatusCode::ACCEPTED, axum::Json(body)).into_response())
}

/// `POST /api/sessions/verify`: a right code signs the customer in, once.
async fn verify_code(
    State(state): State<AppState>,
    Json(request): Json<VerifyRequest>,
) -> Result<Response, ApiError> {
    let customer = sessions::verify_code(
        &state.app,
        request.email,
        request.code,
        request.keep_other_sessions.unwrap_or(false),
    )
    .await?;
    let response = axum::Json(&customer.view).into_response();
    Ok(signing_in(
        &state,
        &customer.view.id,
        customer.epoch,
        response,
    ))
}

/// `GET /api/sessions/current`: who is signed in.
async fn current(
    State(state): State<AppState>,
    session: SignedIn,
) -> Result<axum::Json<SessionView>, ApiError> {
    Ok(axum::Json(
        sessions::current(&state.app, session.claims()).await?,
    ))
}

/// `DELETE /api/sessions/current`: sign out. The session is revoked on the server too,
/// so a copy of the cookie is refused everywhere; this browser forgets it.
async fn sign_out(
    State(state): State<AppState>,
    MaybeSignedIn(session): MaybeSignedIn,
) -> Result<Response, ApiError> {
    if let Some(session) = session {
        sessions::sign_out(&state.app, &session).await?;
    }
    Ok(clear_session(StatusCode::NO_CONTENT.into_response()))
}

/// `POST /api/me/sessions/revoke`: sign out everywhere, this browser included.
async fn revoke_everywhere(
    State(state): State<AppState>,
    session: SignedIn,
) -> Result<Response, ApiError> {
    sessions::revoke_everywhere(&state.app, session.claims()).await?;
    Ok(clear_session(StatusCode::NO_CONTENT.into_response()))
}
