//! What the customer's, the staff's and the schedule's service use cases share: page
//! parameters, the 409 for a refused change, mail to the shop and to a request's owner,
//! who may read a request (its customer, or a visitor's secret link), and the one
//! read-modify-write every change of a request goes through.

use super::{DEFAULT_PAGE, MAX_PAGE};
use crate::app::{App, AppError, live};
use crate::domain::clock::Timestamp;
use crate::domain::service::Refusal;
use crate::domain::session::SessionClaims;
use crate::store::outbox::OutboxItem;
use crate::store::requests::{self as store, Along, Changed, RequestItem};
use crate::store::session::SessionGuard;

/// `limit` (1..=50, default 20) from a query string.
pub(crate) fn page_limit(limit: Option<&str>) -> Result<i32, AppError> {
    match limit {
        None => Ok(DEFAULT_PAGE as i32),
        Some(raw) => raw
            .parse::<u32>()
            .ok()
            .filter(|n| (1..=MAX_PAGE).contains(n))
            .map(|n| n as i32)
            .ok_or(AppError::BadQuery {
                field: "limit",
                detail: "limit must be a whole number from 1 to 50.",
            }),
    }
}

pub(crate) fn bad_cursor() -> AppError {
    AppError::BadQuery {
        field: "cursor",
        detail: "cursor must be a next_cursor value from a previous page.",
    }
}

pub(crate) fn is_id(id: &str) -> bool {
    ulid::Ulid::from_string(id).is_ok()
}

/// The 409 for a refused change.
pub(crate) fn refused(refusal: Refusal) -> AppError {
    let (slug, title, detail) = match refusal {
        Refusal::Transition { .. } => (
            "invalid-transition",
            "Not possible in this status",
            "The request's status does not allow this change. Reload it to see where it stands.",
        ),
        Refusal::TooLateToReopen => (
            "too-late-to-reopen",
            "Too late to reopen",
            "This request was closed, or resolved more than 14 days ago. Open a new request.",
        ),
        Refusal::CannotEscalate => (
            "cannot-escalate",
            "Cannot escalate now",
            "A request can be escalated once per level, while the shop owes an answer and it is overdue.",
        ),
    };
    AppError::Conflict {
        slug,
        title,
        detail,
    }
}

/// Mail to one of the shop's addresses.
pub(crate) fn shop_mail(app: &App, to: &str, mail: crate::mail::Mail) -> OutboxItem {
    OutboxItem::new(to, None, mail, app.clock.rfc3339(), app.clock.unix())
}

/// Who is reading or changing a request: its signed-in customer, or the holder of a
/// visitor's secret link (the token).
#[derive(Debug, Clone)]
pub enum Reader {
    Customer(SessionClaims),
    Link(String),
}

/// Secret-link purposes: the token is `HMAC(secret, "request-link", id)` (so a staff
/// reply can mail it again without it being stored); only its keyed hash is stored.
pub(super) fn link_token(app: &App, request_id: &str) -> String {
    app.secret.keyed_hash("request-link", request_id)
}

pub(super) fn token_hash(app: &App, token: &str) -> String {
    app.secret.keyed_hash("request-link-hash", token)
}

/// The query of a request's page for its owner: `id=…`, and a visitor's `&token=…`.
pub(crate) fn thread_query(app: &App, request: &RequestItem) -> String {
    if request.is_visitor() {
        format!("id={}&token={}", request.id, link_token(app, &request.id))
    } else {
        format!("id={}", request.id)
    }
}

/// Whether `reader` may see `request` (a visitor's token compared in constant time).
pub(super) fn may_read(app: &App, reader: &Reader, request: &RequestItem) -> bool {
    match reader {
        Reader::Customer(session) => !request.is_visitor() && request.customer_id == session.cid,
        Reader::Link(token) => request.token_hash.as_deref().is_some_and(|stored| {
            bool::from(subtle::ConstantTimeEq::ct_eq(
                stored.as_bytes(),
                token_hash(app, token).as_bytes(),
            ))
        }),
    }
}

/// Mail to the customer behind a request.
pub(crate) fn customer_mail(
    app: &App,
    request: &RequestItem,
    mail: crate::mail::Mail,
) -> OutboxItem {
    OutboxItem::new(
        &request.email,
        (!request.is_visitor()).then_some(request.customer_id.as_str()),
        mail,
        app.clock.rfc3339(),
        app.clock.unix(),
    )
}

/// Minutes from now to the answer the shop owes for `request`'s category.
pub(crate) fn due_from(app: &App, request: &RequestItem, now: Timestamp) -> Timestamp {
    now + time::Duration::minutes(i64::from(app.service.target_minutes(request.category)))
}

/// Apply `step` to the request read fresh, and store it with what goes along, under
/// its version; retried on a lost race. With a customer's `session`, the request must
/// be theirs and the session must hold (checked again in the transaction); staff and
/// the schedule pass `None`.
pub(crate) async fn mutate<F>(
    app: &App,
    id: &str,
    reader: Option<&Reader>,
    mut step: F,
) -> Result<RequestItem, AppError>
where
    F: FnMut(&mut RequestItem, Timestamp) -> Result<Along, AppError>,
{
    if !is_id(id) {
        return Err(AppError::NotFound);
    }
    let session = match reader {
        Some(Reader::Customer(session)) => Some(session),
        _ => None,
    };
    for _ in 0..3 {
        let (found, profile) = store::get(&app.store, id, session.map(|s| s.cid.as_str())).await?;
        let mut request = found.ok_or(AppError::NotFound)?;
        if let Some(session) = session {
            live(session, profile.as_ref())?;
        }
        if let Some(reader) = reader
            && !may_read(app, reader, &request)
        {
            return Err(AppError::NotFound);
        }
        let before = request.version;
        let now = app.clock.timestamp();
        let mut along = step(&mut request, now)?;
        request.version = before + 1;
        request.updated_at = now;
        request.reindex();
        if let Some(session) = session {
            along.session = Some((session.cid.clone(), SessionGuard::of(session)));
        }
        if store::change(&app.store, &request, before, &along).await? == Changed::Done {
            return Ok(request);
        }
    }
    Err(AppError::Conflict {
        slug: "conflict",
        title: "Changed meanwhile",
        detail: "The request changed while this was being saved. Reload it and try again.",
    })
}
