//! The customer's timeline: everything the shop holds and did for them, newest first,
//! one page at a time from its own partition (see `store::timeline`).

use super::{App, AppError, live, paging};
use crate::domain::session::SessionClaims;
use crate::store::customers;
use crate::store::timeline::{self, TimelineEntry};
use serde::Serialize;
use std::collections::BTreeMap;
use utoipa::ToSchema;

/// Entries per page unless asked otherwise, and at most.
pub const TIMELINE_PAGE: u32 = 20;
pub const MAX_TIMELINE_PAGE: u32 = 100;

/// One thing that happened.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[schema(as = TimelineEntry)]
pub struct TimelineEntryView {
    /// What happened: `signed_up`, `signed_in`, `consent_changed`, `profile_changed`,
    /// `address_added`, `address_changed`, `address_removed`, `quote_requested`,
    /// `quote_accepted`, `email_sent`, `data_exported`, `survey_answered`,
    /// `survey_skipped`, and what later features add.
    #[schema(example = "quote_accepted")]
    pub what: String,
    /// When (UTC, RFC 3339).
    pub at: String,
    /// Short facts about it (ids, subjects, states), never a mail's body.
    pub detail: BTreeMap<String, String>,
}

impl TimelineEntryView {
    fn of(entry: TimelineEntry) -> Self {
        Self {
            what: entry.what,
            at: entry.at,
            detail: entry.detail,
        }
    }
}

/// `GET /api/me/timeline`: one page, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct TimelinePage {
    pub entries: Vec<TimelineEntryView>,
    /// Pass as `cursor` for older entries; `null` on the last page.
    pub next_cursor: Option<String>,
}

/// One page of the timeline: `limit` (1..=100, default 20) from `cursor` on. The
/// profile (for the session) and the page are read at once.
pub async fn page(
    app: &App,
    session: &SessionClaims,
    limit: Option<&str>,
    cursor: Option<&str>,
) -> Result<TimelinePage, AppError> {
    let limit = paging::limit(
        limit,
        TIMELINE_PAGE,
        MAX_TIMELINE_PAGE,
        "limit must be a whole number from 1 to 100.",
    )?;
    if cursor.is_some_and(|c| timeline::start_of(c, &session.cid).is_none()) {
        return Err(paging::bad_cursor());
    }
    let (profile, (entries, next_cursor)) = tokio::try_join!(
        customers::get_profile(&app.store, &session.cid),
        timeline::page(&app.store, &session.cid, limit, cursor),
    )?;
    live(session, profile.as_ref())?;
    Ok(TimelinePage {
        entries: entries.into_iter().map(TimelineEntryView::of).collect(),
        next_cursor,
    })
}
