//! Billing and delivery addresses: at most `MAX_ADDRESSES`, one default of each kind.

use super::views::AddressView;
use super::{App, AppError, live};
use crate::domain::address::{AddressInput, MAX_ADDRESSES, ValidAddress, validate_address};
use crate::domain::session::SessionClaims;
use crate::site_config;
use crate::store::addresses::{self, AddressOutcome};
use crate::store::profile;
use crate::store::session::SessionGuard;

fn validate(input: AddressInput) -> Result<ValidAddress, AppError> {
    validate_address(input, site_config::facts()).map_err(AppError::Invalid)
}

fn view(id: String, valid: ValidAddress) -> AddressView {
    AddressView {
        address: valid.address,
        id,
        default_billing: valid.default_billing,
        default_delivery: valid.default_delivery,
        created_at: None,
        updated_at: None,
    }
}

fn done(outcome: AddressOutcome) -> Result<(), AppError> {
    match outcome {
        AddressOutcome::Done => Ok(()),
        AddressOutcome::NotFound => Err(AppError::NotFound),
        AddressOutcome::LimitReached => Err(AppError::invalid(
            "",
            format!("you can keep at most {MAX_ADDRESSES} addresses: delete one first"),
        )),
        AddressOutcome::SessionRevoked => Err(AppError::SignedOut),
        AddressOutcome::Conflict => Err(AppError::Stale),
    }
}

/// Add an address; answers it with its new id.
pub async fn add(
    app: &App,
    session: &SessionClaims,
    input: AddressInput,
) -> Result<AddressView, AppError> {
    let valid = validate(input)?;
    let id = ulid::Ulid::new().to_string();
    let outcome = addresses::create(
        &app.store,
        &session.cid,
        &SessionGuard::of(session),
        &id,
        &valid,
        &app.clock.rfc3339(),
    )
    .await?;
    done(outcome)?;
    Ok(view(id, valid))
}

/// Replace one of the customer's addresses.
pub async fn replace(
    app: &App,
    session: &SessionClaims,
    id: &str,
    input: AddressInput,
) -> Result<AddressView, AppError> {
    let valid = validate(input)?;
    let record = profile::load_profile_and_addresses(&app.store, &session.cid).await?;
    let profile = live(session, record.profile.as_ref())?;
    let existing = record
        .addresses
        .iter()
        .find(|a| a.id == id)
        .ok_or(AppError::NotFound)?;
    let outcome = addresses::replace(
        &app.store,
        profile,
        &SessionGuard::of(session),
        id,
        &valid,
        &existing.created_at,
        &app.clock.rfc3339(),
    )
    .await?;
    done(outcome)?;
    Ok(view(id.to_string(), valid))
}

/// Delete one of the customer's addresses.
pub async fn delete(app: &App, session: &SessionClaims, id: &str) -> Result<(), AppError> {
    let record = profile::load_profile_and_addresses(&app.store, &session.cid).await?;
    let profile = live(session, record.profile.as_ref())?;
    if !record.addresses.iter().any(|a| a.id == id) {
        return Err(AppError::NotFound);
    }
    let outcome = addresses::delete(
        &app.store,
        profile,
        &SessionGuard::of(session),
        id,
        &app.clock.rfc3339(),
    )
    .await?;
    done(outcome)
}
