//! Behaviour events: recorded only while the customer grants `personalisation`.

use super::{App, AppError};
use crate::domain::events::{self, Event, EventBatch};
use crate::domain::session::SessionClaims;
use crate::store::events::{self as event_store, EventItem, Recorded};
use crate::store::session::SessionGuard;

/// The stored form of `events`, as of now.
pub(crate) fn items(app: &App, customer_id: &str, events: &[Event]) -> Vec<EventItem> {
    let at = app.clock.timestamp();
    let text = at.to_string();
    events
        .iter()
        .enumerate()
        .map(|(n, event)| EventItem::new(customer_id, event, &text, at.unix(), n))
        .collect()
}

/// `POST /api/events`: check the batch (every fault named), then write it in one
/// transaction that also checks the consent and the session. `Ok(false)` when the
/// customer does not grant personalisation: nothing was kept, and the answer is the
/// same 204.
pub async fn record(
    app: &App,
    session: &SessionClaims,
    batch: &EventBatch,
) -> Result<bool, AppError> {
    let events = events::check(batch).map_err(AppError::Invalid)?;
    let items = items(app, &session.cid, &events);
    match event_store::record(
        &app.store,
        &session.cid,
        &SessionGuard::of(session),
        &items,
        &[],
    )
    .await?
    {
        Recorded::Recorded => Ok(true),
        Recorded::NotConsented => Ok(false),
        Recorded::SessionRevoked => Err(AppError::SignedOut),
    }
}
