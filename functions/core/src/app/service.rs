//! Customer service for signed-in customers: open a request, list theirs, read one
//! with its conversation, reply (which reopens a resolved one within 14 days) and
//! escalate an overdue one. Staff use cases are in `staff`; the scheduled escalation in
//! `service_worker`.
//!
//! Every change is read-modify-write of the request under its `version`, in one
//! transaction with what goes with it (message, mail, the session check); a lost race
//! is retried from a fresh read.

use super::service_views::{MessageView, RequestPage, RequestThread, RequestView};
use super::{App, AppError, live};
use crate::domain::clock::Timestamp;
use crate::domain::service::{
    EscalationRequest, MAX_MESSAGE, MAX_REASON, MAX_SUBJECT, NewMessage, NewRequest, Party,
    Refusal, after_customer_message, next_level, text,
};
use crate::domain::session::SessionClaims;
use crate::domain::validation::Violations;
use crate::mail::service as mails;
use crate::store::customers;
use crate::store::outbox::OutboxItem;
use crate::store::quotes as quote_store;
use crate::store::requests::{
    self as store, Along, Changed, MessageItem, NewRequestItem, RequestItem,
};
use crate::store::session::SessionGuard;

pub const DEFAULT_PAGE: u32 = 20;
pub const MAX_PAGE: u32 = 50;
/// Messages shown per page of a thread.
pub const THREAD_PAGE: i32 = 50;

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

/// Mail to the customer behind a request.
pub(crate) fn customer_mail(
    app: &App,
    request: &RequestItem,
    mail: crate::mail::Mail,
) -> OutboxItem {
    OutboxItem::new(
        &request.email,
        Some(&request.customer_id),
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
    session: Option<&SessionClaims>,
    mut step: F,
) -> Result<RequestItem, AppError>
where
    F: FnMut(&mut RequestItem, Timestamp) -> Result<Along, AppError>,
{
    if !is_id(id) {
        return Err(AppError::NotFound);
    }
    for _ in 0..3 {
        let (found, profile) = store::get(&app.store, id, session.map(|s| s.cid.as_str())).await?;
        let mut request = found.ok_or(AppError::NotFound)?;
        if let Some(session) = session {
            live(session, profile.as_ref())?;
            if request.customer_id != session.cid {
                return Err(AppError::NotFound);
            }
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

/// Open a request: the request, its first message and the customer's reference to it,
/// and a notice to the shop's service address, in one transaction.
pub async fn open(
    app: &App,
    session: &SessionClaims,
    input: &NewRequest,
) -> Result<RequestThread, AppError> {
    let mut v = Violations::default();
    let subject = text(&mut v, "/subject", &input.subject, MAX_SUBJECT);
    let body = text(&mut v, "/message", &input.message, MAX_MESSAGE);
    if let Some(quote_id) = &input.quote_id
        && !is_id(quote_id)
    {
        v.add("/quote_id", "must be the id of one of your quotes");
    }
    if !v.is_empty() {
        return Err(AppError::Invalid(v.into_vec()));
    }
    // With a quote: the quote and the profile in one read; the quote must be theirs.
    let profile = match &input.quote_id {
        Some(quote_id) => {
            let (quote, profile) =
                quote_store::get(&app.store, quote_id, Some(&session.cid)).await?;
            if quote.is_none_or(|q| q.quote.customer_id.as_deref() != Some(&session.cid)) {
                return Err(AppError::invalid(
                    "/quote_id",
                    "must be the id of one of your quotes",
                ));
            }
            profile
        }
        None => customers::get_profile(&app.store, &session.cid).await?,
    };
    let profile = live(session, profile.as_ref())?;
    let now = app.clock.timestamp();
    let id = ulid::Ulid::new().to_string();
    let minutes = app.service.target_minutes(input.category);
    let request = RequestItem::new(NewRequestItem {
        id: id.clone(),
        customer_id: session.cid.clone(),
        name: profile.display_name.clone(),
        email: profile.email.clone(),
        language: profile.language,
        subject,
        category: input.category,
        quote_id: input.quote_id.clone(),
        now,
        due_at: now + time::Duration::minutes(i64::from(minutes)),
    });
    let message = MessageItem::new(&id, Party::Customer, body, now);
    let along = Along {
        mail: vec![shop_mail(
            app,
            &app.service.service_address,
            mails::shop_notice(&request.reference, true),
        )],
        session: Some((session.cid.clone(), SessionGuard::of(session))),
        ..Along::default()
    };
    let created = store::create(
        &app.store,
        &request,
        &Along {
            message: Some(message.clone()),
            ..along
        },
    )
    .await?;
    if created == Changed::Refused {
        // The session was revoked meanwhile (ids are fresh ULIDs).
        return Err(AppError::SignedOut);
    }
    tracing::info!(request_id = %id, category = input.category.name(), "service request opened");
    Ok(RequestThread {
        request: RequestView::of(&request, &app.service, now),
        messages: vec![MessageView::of(&message)],
        next_cursor: None,
    })
}

/// One page of the customer's requests, newest first.
pub async fn mine(
    app: &App,
    session: &SessionClaims,
    limit: Option<&str>,
    cursor: Option<&str>,
) -> Result<RequestPage, AppError> {
    let limit = page_limit(limit)?;
    let (page, profile) = tokio::join!(
        store::list_for_customer(&app.store, &session.cid, limit, cursor),
        customers::get_profile(&app.store, &session.cid),
    );
    live(session, profile?.as_ref())?;
    let page = page?.ok_or_else(bad_cursor)?;
    let now = app.clock.timestamp();
    Ok(RequestPage {
        requests: page
            .items
            .iter()
            .map(|r| RequestView::of(r, &app.service, now))
            .collect(),
        next_cursor: page.next_cursor,
    })
}

/// One of the customer's requests with a page of its conversation.
pub async fn thread(
    app: &App,
    session: &SessionClaims,
    id: &str,
    cursor: Option<&str>,
) -> Result<RequestThread, AppError> {
    if !is_id(id) {
        return Err(AppError::NotFound);
    }
    let ((found, profile), page) = tokio::try_join!(
        store::get(&app.store, id, Some(&session.cid)),
        store::messages(&app.store, id, THREAD_PAGE, cursor),
    )?;
    live(session, profile.as_ref())?;
    let request = found
        .filter(|r| r.customer_id == session.cid)
        .ok_or(AppError::NotFound)?;
    let page = page.ok_or_else(bad_cursor)?;
    Ok(RequestThread {
        request: RequestView::of(&request, &app.service, app.clock.timestamp()),
        messages: page.items.iter().map(MessageView::of).collect(),
        next_cursor: page.next_cursor,
    })
}

/// The customer writes in their request; the shop owes an answer again (a resolved
/// request reopens within 14 days), and the service address is told.
pub async fn reply(
    app: &App,
    session: &SessionClaims,
    id: &str,
    input: &NewMessage,
) -> Result<RequestView, AppError> {
    let mut v = Violations::default();
    let body = text(&mut v, "/body", &input.body, MAX_MESSAGE);
    if !v.is_empty() {
        return Err(AppError::Invalid(v.into_vec()));
    }
    let request = mutate(app, id, Some(session), |request, now| {
        let status =
            after_customer_message(request.status, request.resolved_at, now).map_err(refused)?;
        if !request.status.shop_owes() {
            request.waiting_since = now;
            request.due_at = due_from(app, request, now);
            request.resolved_at = None;
        }
        request.status = status;
        request.message_count += 1;
        Ok(Along {
            message: Some(MessageItem::new(
                &request.id,
                Party::Customer,
                body.clone(),
                now,
            )),
            mail: vec![shop_mail(
                app,
                &app.service.service_address,
                mails::shop_notice(&request.reference, false),
            )],
            ..Along::default()
        })
    })
    .await?;
    Ok(RequestView::of(
        &request,
        &app.service,
        app.clock.timestamp(),
    ))
}

/// Raise `request` one level (customer or schedule): the history grows, the shop gets
/// a new deadline, and the escalation address is told.
pub(crate) fn escalate_step(
    app: &App,
    request: &mut RequestItem,
    now: Timestamp,
    by: Party,
    reason: String,
) -> Result<Along, AppError> {
    let level = next_level(request.status, request.level, request.due_at, now).map_err(refused)?;
    request.level = level;
    request
        .escalations
        .push(crate::domain::service::Escalation {
            level,
            at: now,
            by,
            reason,
        });
    request.due_at = due_from(app, request, now);
    Ok(Along {
        mail: vec![shop_mail(
            app,
            &app.service.escalation_address,
            mails::escalation_notice(&request.reference, level, by == Party::Customer),
        )],
        ..Along::default()
    })
}

/// The customer escalates an overdue request, with a reason (once per level).
pub async fn escalate(
    app: &App,
    session: &SessionClaims,
    id: &str,
    input: &EscalationRequest,
) -> Result<RequestView, AppError> {
    let mut v = Violations::default();
    let reason = text(&mut v, "/reason", &input.reason, MAX_REASON);
    if !v.is_empty() {
        return Err(AppError::Invalid(v.into_vec()));
    }
    let request = mutate(app, id, Some(session), |request, now| {
        escalate_step(app, request, now, Party::Customer, reason.clone())
    })
    .await?;
    tracing::info!(request_id = %request.id, level = request.level, "request escalated by the customer");
    Ok(RequestView::of(
        &request,
        &app.service,
        app.clock.timestamp(),
    ))
}
