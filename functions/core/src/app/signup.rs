//! Sign-up: validate, then write profile, email claim and consent ledger in one
//! transaction.

use super::views::CustomerCreated;
use super::{App, AppError};
use crate::domain::customer::{CustomerId, SignUpRequest, validate_sign_up};
use crate::site_config;
use crate::store::customers::{self, CreateCustomerError};

pub async fn sign_up(app: &App, request: SignUpRequest) -> Result<CustomerCreated, AppError> {
    let customer = validate_sign_up(
        request,
        site_config::facts(),
        CustomerId::generate(),
        app.clock.rfc3339(),
    )
    .map_err(AppError::Invalid)?;
    customers::create(&app.store, &customer)
        .await
        .map_err(|error| match error {
            CreateCustomerError::EmailTaken => AppError::EmailTaken {
                detail: "An account with this email already exists. Sign in instead.",
            },
            CreateCustomerError::Store(error) => error.into(),
        })?;
    tracing::info!(customer_id = customer.id.as_str(), "customer signed up");
    Ok(CustomerCreated::of(&customer))
}
