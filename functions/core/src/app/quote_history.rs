//! A member's quote history, page by page (split from `quotes.rs`, which re-exports
//! it): cost does not grow with the history, each page is one Query.

use super::views::QuoteView;
use super::{App, AppError, live};
use crate::domain::session::SessionClaims;
use crate::store::customers;
use crate::store::quotes as quote_store;
use serde::Serialize;
use utoipa::ToSchema;

pub const DEFAULT_PAGE: u32 = 20;
pub const MAX_PAGE: u32 = 50;

/// One page of a member's quotes, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct QuotePage {
    pub quotes: Vec<QuoteView>,
    /// Pass as `cursor` for the next page; `null` on the last one.
    pub next_cursor: Option<String>,
}

/// The signed-in customer's quotes: `limit` (1..=50, default 20) from `cursor` on.
pub async fn mine(
    app: &App,
    session: &SessionClaims,
    limit: Option<&str>,
    cursor: Option<&str>,
) -> Result<QuotePage, AppError> {
    let limit = match limit {
        None => DEFAULT_PAGE,
        Some(raw) => raw
            .parse::<u32>()
            .ok()
            .filter(|n| (1..=MAX_PAGE).contains(n))
            .ok_or(AppError::BadQuery {
                field: "limit",
                detail: "limit must be a whole number from 1 to 50.",
            })?,
    };
    let start = match cursor {
        None => None,
        Some(cursor) => Some(quote_store::decode_cursor(cursor, &session.cid).ok_or(
            AppError::BadQuery {
                field: "cursor",
                detail: "cursor must be a next_cursor value from a previous page.",
            },
        )?),
    };
    let (page, profile) = tokio::join!(
        quote_store::list_for_customer(&app.store, &session.cid, limit as i32, start),
        customers::get_profile(&app.store, &session.cid),
    );
    live(session, profile?.as_ref())?;
    let (quotes, next) = page?;
    let now = app.clock.timestamp();
    Ok(QuotePage {
        quotes: quotes.iter().map(|q| QuoteView::of(q, now)).collect(),
        next_cursor: next.as_ref().map(quote_store::encode_cursor),
    })
}
