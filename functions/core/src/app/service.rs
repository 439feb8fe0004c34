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
    after_customer_message, next_level, text,
};
use crate::domain::session::SessionClaims;
use crate::domain::validation::Violations;
use crate::mail::service as mails;
use crate::store::customers;
use crate::store::quotes as quote_store;
use crate::store::requests::{
    self as store, Along, Changed, MessageItem, NewRequestItem, RequestItem,
};
use crate::store::session::SessionGuard;

mod shared;

pub use shared::Reader;
pub(crate) use shared::{
    bad_cursor, customer_mail, due_from, is_id, mutate, page_limit, refused, shop_mail,
    thread_query,
};
use shared::{link_token, may_read, token_hash};

pub const DEFAULT_PAGE: u32 = 20;
pub const MAX_PAGE: u32 = 50;
/// Messages shown per page of a thread.
pub const THREAD_PAGE: i32 = 50;

/// Who opens a request: a signed-in customer's profile, or a visitor's checked contact.
struct Opener {
    owner: String,
    name: String,
    email: String,
    language: crate::domain::customer::Language,
    session: Option<(String, SessionGuard)>,
}

/// A visitor's contact, checked (name and email, both required without an account).
fn visitor_contact(v: &mut Violations, input: &NewRequest) -> Option<(String, String)> {
    let Some(contact) = &input.contact else {
        v.add(
            "/contact",
            "is required without an account: a name and an email to answer",
        );
        return None;
    };
    let name = v
        .required(contact.name.as_deref(), "/contact/name")
        .and_then(|raw| {
            crate::domain::customer::parse_display_name(raw)
                .map_err(|e| v.add("/contact/name", e))
                .ok()
        });
    let email = v
        .required(contact.email.as_deref(), "/contact/email")
        .and_then(|raw| {
            crate::domain::email::Email::parse(raw)
                .map_err(|e| v.add("/contact/email", e))
                .ok()
        });
    Some((name?, email?.as_str().to_string()))
}

/// Open a request: the request, its first message and the owner's reference to it, and
/// a notice to the shop's service address, in one transaction. A signed-in customer's
/// request is theirs; a visitor's (with `contact`) is answered through a secret link,
/// returned once here and mailed with every reply.
pub async fn open(
    app: &App,
    session: Option<&SessionClaims>,
    input: &NewRequest,
    client: Option<String>,
) -> Result<RequestThread, AppError> {
    if session.is_none() {
        app.limit(vec![(
            "request-client",
            client,
            app.limits.visitor_quotes_per_client,
        )])
        .await?;
    }
    let mut v = Violations::default();
    let subject = text(&mut v, "/subject", &input.subject, MAX_SUBJECT);
    let body = text(&mut v, "/message", &input.message, MAX_MESSAGE);
    if let Some(quote_id) = &input.quote_id
        && (!is_id(quote_id) || session.is_none())
    {
        v.add("/quote_id", "must be the id of one of your quotes");
    }
    // A contact is checked whenever it is sent, by customers too (the schema cannot
    // say "only for visitors"); a signed-in customer's is then ignored.
    let contact = match (session, &input.contact) {
        (None, _) => visitor_contact(&mut v, input),
        (Some(_), Some(_)) => {
            visitor_contact(&mut v, input);
            None
        }
        (Some(_), None) => None,
    };
    if !v.is_empty() {
        return Err(AppError::Invalid(v.into_vec()));
    }
    let opener = match (session, contact) {
        (Some(session), _) => {
            // With a quote: the quote and the profile in one read; it must be theirs.
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
            Opener {
                owner: session.cid.clone(),
                name: profile.display_name.clone(),
                email: profile.email.clone(),
                language: profile.language,
                session: Some((session.cid.clone(), SessionGuard::of(session))),
            }
        }
        (None, Some((name, email))) => Opener {
            owner: store::visitor_owner(&super::sessions::contact_key(app, &email)),
            name,
            email,
            language: input
                .language
                .unwrap_or(crate::domain::customer::Language::En),
            session: None,
        },
        (None, None) => return Err(AppError::Internal("visitor request without a contact")),
    };
    let now = app.clock.timestamp();
    let id = ulid::Ulid::new().to_string();
    let minutes = app.service.target_minutes(input.category);
    let mut request = RequestItem::new(NewRequestItem {
        id: id.clone(),
        customer_id: opener.owner,
        name: opener.name,
        email: opener.email,
        language: opener.language,
        subject,
        category: input.category,
        quote_id: input.quote_id.clone(),
        now,
        due_at: now + time::Duration::minutes(i64::from(minutes)),
    });
    let token = session.is_none().then(|| link_token(app, &id));
    request.token_hash = token.as_deref().map(|t| token_hash(app, t));
    request.ttl = token
        .is_some()
        .then(|| now.unix() + store::VISITOR_REQUEST_TTL_SECONDS);
    let message = MessageItem::new(&id, Party::Customer, body, now);
    let along = Along {
        message: Some(message.clone()),
        mail: vec![shop_mail(
            app,
            &app.service.service_address,
            mails::shop_notice(&request.reference, true),
        )],
        session: opener.session,
        ..Along::default()
    };
    if store::create(&app.store, &request, &along).await? == Changed::Refused {
        // The session was revoked meanwhile (ids are fresh ULIDs).
        return Err(AppError::SignedOut);
    }
    tracing::info!(request_id = %id, category = input.category.name(), visitor = token.is_some(), "service request opened");
    Ok(RequestThread {
        request: RequestView::of(&request, &app.service, now),
        messages: vec![MessageView::of(&message)],
        next_cursor: None,
        link: token
            .as_ref()
            .map(|t| format!("/requests/?id={id}&token={t}")),
        token,
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

/// One request with a page of its conversation, for its customer or link holder.
pub async fn thread(
    app: &App,
    reader: &Reader,
    id: &str,
    cursor: Option<&str>,
) -> Result<RequestThread, AppError> {
    if !is_id(id) {
        return Err(AppError::NotFound);
    }
    let session = match reader {
        Reader::Customer(session) => Some(session),
        Reader::Link(_) => None,
    };
    let ((found, profile), page) = tokio::try_join!(
        store::get(&app.store, id, session.map(|s| s.cid.as_str())),
        store::messages(&app.store, id, THREAD_PAGE, cursor),
    )?;
    if let Some(session) = session {
        live(session, profile.as_ref())?;
    }
    let request = found
        .filter(|r| may_read(app, reader, r))
        .ok_or(AppError::NotFound)?;
    let page = page.ok_or_else(bad_cursor)?;
    Ok(RequestThread {
        request: RequestView::of(&request, &app.service, app.clock.timestamp()),
        messages: page.items.iter().map(MessageView::of).collect(),
        next_cursor: page.next_cursor,
        token: None,
        link: None,
    })
}

/// The customer writes in their request; the shop owes an answer again (a resolved
/// request reopens within 14 days), and the service address is told.
pub async fn reply(
    app: &App,
    reader: &Reader,
    id: &str,
    input: &NewMessage,
) -> Result<RequestView, AppError> {
    let mut v = Violations::default();
    let body = text(&mut v, "/body", &input.body, MAX_MESSAGE);
    if !v.is_empty() {
        return Err(AppError::Invalid(v.into_vec()));
    }
    let request = mutate(app, id, Some(reader), |request, now| {
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
    reader: &Reader,
    id: &str,
    input: &EscalationRequest,
) -> Result<RequestView, AppError> {
    let mut v = Violations::default();
    let reason = text(&mut v, "/reason", &input.reason, MAX_REASON);
    if !v.is_empty() {
        return Err(AppError::Invalid(v.into_vec()));
    }
    let request = mutate(app, id, Some(reader), |request, now| {
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
