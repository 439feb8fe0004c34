//! The service layer: one module per use case. Each public function takes typed input
//! and the [`App`] (store, server secret, clock), holds the rules and decides which
//! store calls to make, and returns typed output or one [`AppError`]. HTTP stays in the
//! function crates; DynamoDB stays in [`crate::store`].

pub mod addresses;
pub mod catalog;
pub mod consents;
pub mod data_rights;
pub mod email_links;
mod error;
pub mod events;
pub mod paging;
pub mod profile;
mod quote_history;
mod quote_mail;
pub mod quote_preview;
pub mod quotes;
pub mod recommendations;
pub mod recs_upkeep;
pub mod service;
pub mod service_views;
pub mod service_worker;
pub mod sessions;
pub mod signup;
pub mod staff;
pub mod staff_orders;
pub mod suggestions;
pub mod surveys;
pub mod timeline;
pub mod views;

pub use error::AppError;

use crate::domain::clock::Clock;
use crate::domain::limits::{Limit, Limits};
use crate::domain::service_config::ServiceConfig;
use crate::domain::session::{ServerSecret, SessionClaims};
use crate::store::Store;
use crate::store::customers::ProfileItem;
use crate::store::limits::{self, Counter};
use crate::store::session::SessionGuard;

/// What every use case works with. Cheap to clone (the SDK client is shared).
#[derive(Debug, Clone)]
pub struct App {
    pub store: Store,
    /// The server's one secret; each use derives its own key under a named purpose.
    pub secret: ServerSecret,
    pub clock: Clock,
    /// Abuse limits (counted in the table).
    pub limits: Limits,
    /// Customer service: staff, the shop's addresses, first-response targets.
    pub service: ServiceConfig,
}

impl App {
    pub fn new(store: Store, secret: ServerSecret, clock: Clock) -> Self {
        Self {
            store,
            secret,
            clock,
            limits: Limits::default(),
            service: ServiceConfig::default(),
        }
    }

    pub fn with_service(mut self, service: ServiceConfig) -> Self {
        self.service = service;
        self
    }

    pub fn with_limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// Count one more of each, or refuse (429) when one is at its limit. Counters with
    /// no key (an unknown client address) are skipped.
    pub(crate) async fn limit(
        &self,
        counters: Vec<(&'static str, Option<String>, Limit)>,
    ) -> Result<(), AppError> {
        let counters: Vec<Counter> = counters
            .into_iter()
            .filter_map(|(what, key, limit)| key.map(|key| Counter { what, key, limit }))
            .collect();
        if counters.is_empty() {
            return Ok(());
        }
        match limits::take(&self.store, &counters, self.clock.unix()).await? {
            Ok(()) => Ok(()),
            Err(retry_after) => Err(AppError::TooMany { retry_after }),
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
