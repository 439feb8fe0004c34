//! The service layer: one module per use case. Each public function takes typed input
//! and the [`App`] (store, server secret, clock), holds the rules and decides which
//! store calls to make, and returns typed output or one [`AppError`]. HTTP stays in the
//! function crates; DynamoDB stays in [`crate::store`].

pub mod addresses;
pub mod consents;
pub mod data_rights;
mod error;
pub mod profile;
pub mod quotes;
pub mod sessions;
pub mod signup;
pub mod views;

pub use error::AppError;

use crate::domain::clock::Clock;
use crate::domain::session::{ServerSecret, SessionClaims};
use crate::store::Store;
use crate::store::customers::ProfileItem;
use crate::store::session::SessionGuard;

/// What every use case works with. Cheap to clone (the SDK client is shared).
#[derive(Debug, Clone)]
pub struct App {
    pub store: Store,
    /// The server's one secret; each use derives its own key under a named purpose.
    pub secret: ServerSecret,
    pub clock: Clock,
}

impl App {
    pub fn new(store: Store, secret: ServerSecret, clock: Clock) -> Self {
        Self {
            store,
            secret,
            clock,
        }
    }
}

/// The one place that decides whether a signed session still speaks for its customer:
/// the customer exists, the session's epoch is the profile's ("sign out everywhere"
/// bumps it) and the session was not signed out on its own (`revoked_sessions`).
/// Every use case that reads the profile passes it through here, so the check costs no
/// extra round trip.
pub fn live<'a>(
    session: &SessionClaims,
    profile: Option<&'a ProfileItem>,
) -> Result<&'a ProfileItem, AppError> {
    match profile {
        Some(profile)
            if profile.id == session.cid && SessionGuard::of(session).holds_for(profile) =>
        {
            Ok(profile)
        }
        _ => Err(AppError::SignedOut),
    }
}
