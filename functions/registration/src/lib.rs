//! The `registration` function: sign-up, passwordless sign-in and sessions.

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use ecrm_core::domain::clock;
use ecrm_core::domain::customer::{CustomerId, NewCustomer, SignUpRequest, validate_sign_up};
use ecrm_core::domain::email::Email;
use ecrm_core::domain::signin::{CODE_TTL_SECONDS, display_code, generate_code, normalise_code};
use ecrm_core::domain::validation::FieldError;
use ecrm_core::mail::sign_in_code_mail;
use ecrm_core::site_config;
use ecrm_core::store::customers::{self, CreateCustomerError, ProfileItem};
use ecrm_core::store::outbox::OutboxItem;
use ecrm_core::store::signin::{self, SignInItem, VerifyOutcome};
use ecrm_core::web::session::{now_unix, unauthorized};
use ecrm_core::web::{AppState, Json, Problem, SignedIn};
use serde::Deserialize;
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

fn with_cookie(mut response: Response, cookie: HeaderValue) -> Response {
    response.headers_mut().append(header::SET_COOKIE, cookie);
    response
}

/// `POST /api/customers`: validate, then write profile, email claim and consent ledger
/// in one transaction; the new customer is signed in.
async fn sign_up(
    State(state): State<AppState>,
    Json(request): Json<SignUpRequest>,
) -> Result<Response, Problem> {
    let customer = validate_sign_up(
        request,
        site_config::facts(),
        CustomerId::generate(),
        clock::rfc3339(clock::now()),
    )
    .map_err(Problem::validation)?;

    customers::create(&state.store, &customer)
        .await
        .map_err(|error| match error {
            CreateCustomerError::EmailTaken => Problem::conflict(
                "/email",
                "An account with this email already exists. Sign in instead.",
            ),
            CreateCustomerError::Store(error) => error.into(),
        })?;
    tracing::info!(customer_id = customer.id.as_str(), "customer signed up");

    let (_, cookie) = state.sessions.issue(customer.id.as_str(), 0);
    let response = (
        StatusCode::CREATED,
        [(header::LOCATION, "/api/me")],
        axum::Json(created_body(&customer)),
    )
        .into_response();
    Ok(with_cookie(response, cookie))
}

fn created_body(customer: &NewCustomer) -> Value {
    json!({
        "id": customer.id.as_str(),
        "email": customer.email.as_str(),
        "display_name": customer.display_name,
        "language": customer.language,
        "country": customer.country,
        "topics": customer.topics,
        "consents": customer.consents,
        "policy_version": customer.policy_version,
        "created_at": customer.created_at,
    })
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
}

fn parse_email(raw: Option<String>) -> Result<Email, Problem> {
    let raw =
        raw.ok_or_else(|| Problem::validation(vec![FieldError::new("/email", "is required")]))?;
    Email::parse(&raw).map_err(|e| Problem::validation(vec![FieldError::new("/email", e)]))
}

/// Keyed hashes: the table never holds an email-derived key or a code in clear.
fn email_hash(state: &AppState, email: &Email) -> String {
    state
        .sessions
        .key
        .keyed_hash("signin-email", email.as_str())
}

fn code_hash(state: &AppState, email_hash: &str, code: &str) -> String {
    state
        .sessions
        .key
        .keyed_hash("signin-code", &format!("{email_hash}:{code}"))
}

/// `POST /api/sessions`: mail a sign-in code. Registered or not, the answer is the same
/// 202 after the same two store round trips.
async fn request_code(
    State(state): State<AppState>,
    Json(request): Json<CodeRequest>,
) -> Result<Response, Problem> {
    let email = parse_email(request.email)?;
    let now = now_unix();
    let code = generate_code().map_err(|_| Problem::internal())?;
    let hashed_email = email_hash(&state, &email);
    let customer_id = signin::customer_for_email(&state.store, email.as_str()).await?;
    let item = SignInItem::new(
        &hashed_email,
        customer_id.as_deref().unwrap_or(""),
        code_hash(&state, &hashed_email, &code),
        now,
    );
    let (subject, text) = sign_in_code_mail(&display_code(&code), CODE_TTL_SECONDS / 60);
    let mail = OutboxItem::new(
        email.as_str(),
        subject,
        text,
        clock::rfc3339(clock::now()),
        now,
    );
    signin::issue(
        &state.store,
        email.as_str(),
        customer_id.as_deref(),
        item,
        mail,
    )
    .await?;
    Ok((
        StatusCode::ACCEPTED,
        axum::Json(json!({
            "status": "accepted",
            "detail": "If an account uses this email, a sign-in code is on its way. It works once, for 10 minutes.",
        })),
    )
        .into_response())
}

fn wrong_code() -> Problem {
    Problem::new(
        StatusCode::UNAUTHORIZED,
        "sign-in-refused",
        "Sign-in refused",
        "That code is wrong, used or expired. Check the latest mail, or ask for a new code.",
    )
}

fn session_body(profile: &ProfileItem) -> Value {
    json!({ "id": profile.id, "display_name": profile.display_name, "language": profile.language })
}

/// `POST /api/sessions/verify`: a right code signs the customer in, once.
async fn verify_code(
    State(state): State<AppState>,
    Json(request): Json<VerifyRequest>,
) -> Result<Response, Problem> {
    let email = parse_email(request.email)?;
    let typed = request
        .code
        .ok_or_else(|| Problem::validation(vec![FieldError::new("/code", "is required")]))?;
    // A malformed code is still checked (and counted) like any wrong one.
    let code = normalise_code(&typed).unwrap_or_else(|| typed.trim().to_ascii_uppercase());
    let hashed_email = email_hash(&state, &email);
    let outcome = signin::verify(
        &state.store,
        &hashed_email,
        &code_hash(&state, &hashed_email, &code),
        now_unix(),
    )
    .await?;
    match outcome {
        VerifyOutcome::SignedIn(profile) => {
            let (claims, cookie) = state.sessions.issue(&profile.id, profile.session_epoch);
            tracing::info!(customer_id = %profile.id, session_id = %claims.sid, "signed in");
            Ok(with_cookie(
                axum::Json(session_body(&profile)).into_response(),
                cookie,
            ))
        }
        VerifyOutcome::Refused => Err(wrong_code()),
    }
}

/// The profile behind a session, if the session has not been revoked.
async fn live_profile(state: &AppState, session: &SignedIn) -> Result<ProfileItem, Response> {
    let refused = |state: &AppState| {
        with_cookie(
            unauthorized().into_response(),
            state.sessions.clearing_cookie(),
        )
    };
    match customers::get_profile(&state.store, session.customer_id()).await {
        Ok(Some(profile)) if profile.session_epoch == session.0.epoch => Ok(profile),
        Ok(_) => Err(refused(state)),
        Err(error) => Err(Problem::from(error).into_response()),
    }
}

/// `GET /api/sessions/current`: who is signed in.
async fn current(State(state): State<AppState>, session: SignedIn) -> Response {
    match live_profile(&state, &session).await {
        Ok(profile) => axum::Json(session_body(&profile)).into_response(),
        Err(response) => response,
    }
}

/// `DELETE /api/sessions/current`: sign out in this browser.
async fn sign_out(State(state): State<AppState>) -> Response {
    with_cookie(
        StatusCode::NO_CONTENT.into_response(),
        state.sessions.clearing_cookie(),
    )
}

/// `POST /api/me/sessions/revoke`: sign out everywhere, this browser included.
async fn revoke_everywhere(
    State(state): State<AppState>,
    session: SignedIn,
) -> Result<Response, Problem> {
    let revoked =
        customers::bump_session_epoch(&state.store, session.customer_id(), session.0.epoch).await?;
    if !revoked {
        return Ok(with_cookie(
            unauthorized().into_response(),
            state.sessions.clearing_cookie(),
        ));
    }
    tracing::info!(customer_id = session.customer_id(), "all sessions revoked");
    Ok(with_cookie(
        StatusCode::NO_CONTENT.into_response(),
        state.sessions.clearing_cookie(),
    ))
}
