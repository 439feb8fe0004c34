//! The scheduled escalation: every run (an EventBridge schedule in AWS, a timer in the
//! local runner) finds requests whose answer is overdue through GSI1 (`DUE#open` and
//! `DUE#waiting_on_shop` up to now: a Query, never a scan), raises each one level and
//! mails the shop's escalation address, in one transaction per request.

use super::service::{escalate_step, mutate};
use super::{App, AppError};
use crate::domain::service::{Party, RequestStatus};

/// At most this many overdue requests are read per status and run; the next run
/// takes the rest.
pub const BATCH: i32 = 50;

/// What one run did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Escalated {
    /// Requests raised a level.
    pub escalated: usize,
    /// Overdue requests that changed meanwhile and were left for the next run.
    pub skipped: usize,
}

/// Escalate every overdue request (up to [`BATCH`] per status) at the app's clock.
pub async fn escalate_overdue(app: &App) -> Result<Escalated, AppError> {
    let now = app.clock.timestamp();
    let mut done = Escalated::default();
    for status in [RequestStatus::Open, RequestStatus::WaitingOnShop] {
        let due = crate::store::requests::overdue(&app.store, status, now, BATCH).await?;
        for request in due {
            let raised = mutate(app, &request.id, None, |request, now| {
                escalate_step(
                    app,
                    request,
                    now,
                    Party::Schedule,
                    "No answer within the promised response time.".into(),
                )
            })
            .await;
            match raised {
                Ok(_) => done.escalated += 1,
                // Answered or escalated meanwhile: nothing to do for it now.
                Err(AppError::Conflict { .. } | AppError::NotFound) => done.skipped += 1,
                Err(other) => return Err(other),
            }
        }
    }
    if done.escalated > 0 {
        tracing::info!(escalated = done.escalated, "overdue requests escalated");
    }
    Ok(done)
}
