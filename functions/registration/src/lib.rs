//! The `registration` function: sign-up (and, later, sign-in and sessions).

use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use ecrm_core::domain::clock;
use ecrm_core::domain::customer::{CustomerId, NewCustomer, SignUpRequest, validate_sign_up};
use ecrm_core::site_config;
use ecrm_core::store::customers::{self, CreateCustomerError};
use ecrm_core::web::{AppState, Json, Problem};
use serde_json::{Value, json};

pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/api/customers", post(sign_up))
        .route("/api/health/registration", get(health))
        .with_state(state)
}

async fn health() -> axum::Json<Value> {
    axum::Json(json!({ "status": "ok", "function": "registration" }))
}

/// `POST /api/customers`: validate, then write profile, email claim and consent ledger
/// in one transaction.
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

    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, "/api/me")],
        axum::Json(created_body(&customer)),
    )
        .into_response())
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
