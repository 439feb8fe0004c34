//! The `registration` function: sign-up, passwordless sign-in and sessions.
//! Each handler extracts, calls one use case in `ecrm_core::app`, and maps the answer.
//!
//! Its routes are listed once, in [`routes`]: that list builds the router and, through
//! each handler's `#[utoipa::path]`, its part of the OpenAPI document. This function
//! also serves the whole API's document ([`openapi::document`]).

pub mod openapi;

use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use ecrm_core::app::views::{Health, SessionView};
use ecrm_core::app::{sessions, signup};
use ecrm_core::domain::customer::SignUpRequest;
use ecrm_core::openapi::{BodyErrors, CrossSite, SignedOut, StoreDown, TooMany};
use ecrm_core::web::{
    ApiError, AppState, ClientAddress, Json, MaybeSignedIn, Problem, SignedIn, clear_session,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// This function's routes: its router and its part of the OpenAPI document.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(sign_up))
        .routes(routes!(request_code))
        .routes(routes!(verify_code))
        .routes(routes!(current, sign_out))
        .routes(routes!(revoke_everywhere))
        .routes(routes!(health))
        .routes(routes!(openapi::serve))
}

pub fn router(state: AppState) -> Router {
    routes().split_for_parts().0.with_state(state)
}

/// This function's part of the OpenAPI document.
pub fn api() -> utoipa::openapi::OpenApi {
    routes().into_openapi()
}

/// Whether the registration function answers.
#[utoipa::path(get, path = "/api/health/registration", operation_id = "health_registration",
    responses((status = 200, description = "It answers.", body = Health)))]
async fn health() -> axum::Json<Health> {
    axum::Json(Health::of("registration"))
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

/// Sign up, with consent per purpose
///
/// A code is mailed to the address; the account exists once that code comes back to
/// `POST /api/sessions/verify`. The same 202 for every valid request, whether or not
/// the email is registered (the owner of a registered one is told by mail).
#[utoipa::path(post, path = "/api/customers", operation_id = "sign_up", request_body = SignUpRequest,
    responses(
        (status = 202, description = "Accepted: check your email for the code.", body = Accepted),
        BodyErrors, TooMany, CrossSite, StoreDown,
    ))]
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
    /// Keep the customer's sessions on other devices (default: end them).
    keep_other_sessions: Option<bool>,
}

#[derive(Debug, Serialize, ToSchema)]
struct Accepted {
    status: &'static str,
    detail: &'static str,
}

/// Mail a single-use sign-in code
///
/// The same answer whether or not the email is registered.
#[utoipa::path(post, path = "/api/sessions", operation_id = "request_code", request_body = CodeRequest,
    responses(
        (status = 202, description = "Accepted.", body = Accepted),
        BodyErrors, TooMany, CrossSite, StoreDown,
    ))]
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

/// Sign in, or finish signing up, with the mailed code
///
/// A right code signs the customer in, once. The code mailed by `POST /api/customers`
/// creates the account; the one mailed by `PATCH /api/me` with a new email moves the
/// account to that address. Signing in ends the customer's other sessions unless
/// `keep_other_sessions` is true.
#[utoipa::path(post, path = "/api/sessions/verify", operation_id = "verify_code", request_body = VerifyRequest,
    responses(
        (status = 200, description = "Signed in.", body = SessionView, headers(("Set-Cookie" = String, description = "The session cookie (`ecrm_session`, HttpOnly, SameSite=Strict, Path=/api)."))),
        (status = 401, description = "The code is wrong, used or expired.", body = Problem, content_type = "application/problem+json"),
        BodyErrors, TooMany, CrossSite, StoreDown,
    ))]
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

/// Who is signed in
#[utoipa::path(get, path = "/api/sessions/current", operation_id = "current_session",
    security(("session" = [])),
    responses(
        (status = 200, description = "The signed-in customer.", body = SessionView),
        SignedOut, StoreDown,
    ))]
async fn current(
    State(state): State<AppState>,
    session: SignedIn,
) -> Result<axum::Json<SessionView>, ApiError> {
    Ok(axum::Json(
        sessions::current(&state.app, session.claims()).await?,
    ))
}

/// Sign out in this browser
///
/// The session is revoked on the server too, so a copy of the cookie is refused
/// everywhere; this browser forgets it. Without a valid session, it only clears the
/// cookie.
#[utoipa::path(delete, path = "/api/sessions/current", operation_id = "sign_out",
    security((), ("session" = [])),
    responses(
        (status = 204, description = "Signed out.", headers(("Set-Cookie" = String, description = "Clears the session cookie."))),
        CrossSite, StoreDown,
    ))]
async fn sign_out(
    State(state): State<AppState>,
    MaybeSignedIn(session): MaybeSignedIn,
) -> Result<Response, ApiError> {
    if let Some(session) = session {
        sessions::sign_out(&state.app, &session).await?;
    }
    Ok(clear_session(StatusCode::NO_CONTENT.into_response()))
}

/// Sign out everywhere, this browser included
#[utoipa::path(post, path = "/api/me/sessions/revoke", operation_id = "revoke_sessions",
    security(("session" = [])),
    responses(
        (status = 204, description = "Every session is revoked.", headers(("Set-Cookie" = String, description = "Clears the session cookie."))),
        SignedOut, CrossSite, StoreDown,
    ))]
async fn revoke_everywhere(
    State(state): State<AppState>,
    session: SignedIn,
) -> Result<Response, ApiError> {
    sessions::revoke_everywhere(&state.app, session.claims()).await?;
    Ok(clear_session(StatusCode::NO_CONTENT.into_response()))
}
