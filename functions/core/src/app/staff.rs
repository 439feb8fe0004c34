//! The staff inbox: sign in with a mailed code (configured staff addresses only), list
//! requests by status and due time, open one, reply, change its status. Staff see only
//! what a request needs (the name and email it was made with, the request, the linked
//! quote), never the profile; every read of customer data and every action appends an
//! entry to the customer's audit trail, which their export includes.

use super::service::{
    THREAD_PAGE, bad_cursor, customer_mail, due_from, is_id, mutate, page_limit, refused,
    thread_query,
};
use super::service_views::{
    MessageView, RequestCustomer, RequestPage, RequestView, StaffRequestView,
};
use super::views::QuoteView;
use super::{App, AppError};
use crate::domain::email::Email;
use crate::domain::service::{
    MAX_MESSAGE, NewMessage, Party, RequestStatus, StatusChange, after_staff_message, staff_may,
    text,
};
use crate::domain::signin::{CODE_TTL_SECONDS, display_code, generate_code, normalise_code};
use crate::domain::staff::StaffClaims;
use crate::domain::validation::Violations;
use crate::mail::service as mails;
use crate::store::outbox::OutboxItem;
use crate::store::quotes as quote_store;
use crate::store::requests::{self as store, Along, AuditItem, MessageItem, StaffCode};

/// Purposes of the server secret for staff sign-in (their own keys: a staff code is
/// never a customer code).
const STAFF_EMAIL: &str = "staff-email";
const STAFF_CODE: &str = "staff-code";

fn parse_email(raw: Option<String>) -> Result<Email, AppError> {
    let raw = raw.ok_or_else(|| AppError::invalid("/email", "is required"))?;
    Email::parse(&raw).map_err(|e| AppError::invalid("/email", e))
}

/// Mail a staff sign-in code to a configured staff address. Anyone may ask; the answer
/// is the same whether or not the address is staff.
pub async fn request_code(
    app: &App,
    email: Option<String>,
    client: Option<String>,
) -> Result<(), AppError> {
    let email = parse_email(email)?;
    let key = app.secret.keyed_hash(STAFF_EMAIL, email.as_str());
    app.limit(vec![
        (
            "staff-code-email",
            Some(key.clone()),
            app.limits.codes_per_email,
        ),
        ("code-client", client, app.limits.codes_per_client),
    ])
    .await?;
    if !app.service.is_staff(email.as_str()) {
        return Ok(());
    }
    let code = generate_code().map_err(|_| AppError::Internal("no randomness for a code"))?;
    let now = app.clock.unix();
    let hash = app.secret.keyed_hash(STAFF_CODE, &format!("{key}:{code}"));
    let mail = OutboxItem::new(
        email.as_str(),
        None,
        mails::staff_code_mail(&display_code(&code), CODE_TTL_SECONDS / 60),
        app.clock.rfc3339(),
        now,
    );
    store::issue_staff_code(&app.store, &StaffCode::new(&key, hash, now), &mail).await?;
    Ok(())
}

/// A right code for a staff address starts a staff session.
pub async fn verify_code(
    app: &App,
    email: Option<String>,
    code: Option<String>,
) -> Result<StaffClaims, AppError> {
    let email = parse_email(email)?;
    let typed = code.ok_or_else(|| AppError::invalid("/code", "is required"))?;
    let key = app.secret.keyed_hash(STAFF_EMAIL, email.as_str());
    app.limit(vec![(
        "staff-guess-email",
        Some(key.clone()),
        app.limits.guesses_per_email,
    )])
    .await?;
    let code = normalise_code(&typed).unwrap_or_else(|| typed.trim().to_ascii_uppercase());
    let hash = app.secret.keyed_hash(STAFF_CODE, &format!("{key}:{code}"));
    let right = store::consume_staff_code(&app.store, &key, &hash, app.clock.unix()).await?;
    if !right || !app.service.is_staff(email.as_str()) {
        return Err(AppError::SignInRefused);
    }
    tracing::info!("staff signed in");
    Ok(StaffClaims::new(email.as_str(), app.clock.unix()))
}

/// The claims if the session is still staff (the address is still configured).
pub fn authorise(app: &App, claims: Option<StaffClaims>) -> Option<StaffClaims> {
    claims.filter(|c| app.service.is_staff(&c.staff))
}

/// One page of requests in `status` (default `open`), the soonest due first. Shows no
/// customer data (subject and reference only), so it is not an audited read.
pub async fn inbox(
    app: &App,
    status: Option<&str>,
    limit: Option<&str>,
    cursor: Option<&str>,
) -> Result<RequestPage, AppError> {
    let status = match status {
        None => RequestStatus::Open,
        Some(name) => RequestStatus::parse(name).ok_or(AppError::BadQuery {
            field: "status",
            detail: "status must be open, waiting_on_shop, waiting_on_customer, resolved or closed.",
        })?,
    };
    let limit = page_limit(limit)?;
    let page = store::inbox(&app.store, status, limit, cursor)
        .await?
        .ok_or_else(bad_cursor)?;
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

/// Open a request: it, the name and email it was made with, the linked quote and a
/// page of the conversation. The read goes into the customer's audit trail first.
pub async fn open(
    app: &App,
    staff: &StaffClaims,
    id: &str,
    cursor: Option<&str>,
) -> Result<StaffRequestView, AppError> {
    if !is_id(id) {
        return Err(AppError::NotFound);
    }
    let ((found, _), page) = tokio::try_join!(
        store::get(&app.store, id, None),
        store::messages(&app.store, id, THREAD_PAGE, cursor),
    )?;
    let request = found.ok_or(AppError::NotFound)?;
    let page = page.ok_or_else(bad_cursor)?;
    let now = app.clock.timestamp();
    let mut entry = AuditItem::new(&request.customer_id, &staff.staff, "read_request", now);
    entry.request_id = Some(request.id.clone());
    entry.quote_id = request.quote_id.clone();
    entry.ttl = request.ttl;
    store::append_audit(&app.store, &entry).await?;
    let quote = match &request.quote_id {
        Some(quote_id) => quote_store::get(&app.store, quote_id, None)
            .await?
            .0
            .filter(|q| q.quote.customer_id.as_deref() == Some(request.customer_id.as_str()))
            .map(|q| QuoteView::of(&q.quote, now)),
        None => None,
    };
    Ok(StaffRequestView {
        request: RequestView::of(&request, &app.service, now),
        customer: RequestCustomer {
            name: request.name.clone(),
            email: request.email.clone(),
        },
        quote,
        messages: page.items.iter().map(MessageView::of).collect(),
        next_cursor: page.next_cursor,
    })
}

fn audit(
    request: &store::RequestItem,
    staff: &StaffClaims,
    action: &str,
    now: crate::domain::clock::Timestamp,
) -> AuditItem {
    let mut entry = AuditItem::new(&request.customer_id, &staff.staff, action, now);
    entry.request_id = Some(request.id.clone());
    entry
}

/// A staff reply: the customer's turn now; they get a mail with a link to the thread.
pub async fn reply(
    app: &App,
    staff: &StaffClaims,
    id: &str,
    input: &NewMessage,
) -> Result<RequestView, AppError> {
    let mut v = Violations::default();
    let body = text(&mut v, "/body", &input.body, MAX_MESSAGE);
    if !v.is_empty() {
        return Err(AppError::Invalid(v.into_vec()));
    }
    let request = mutate(app, id, None, |request, now| {
        request.status = after_staff_message(request.status).map_err(refused)?;
        request.first_response_at.get_or_insert(now);
        request.message_count += 1;
        Ok(Along {
            message: Some(MessageItem::new(
                &request.id,
                Party::Staff,
                body.clone(),
                now,
            )),
            audit: Some(audit(request, staff, "reply", now)),
            mail: vec![customer_mail(
                app,
                request,
                mails::reply_notice(
                    request.language,
                    &request.reference,
                    &thread_query(app, request),
                ),
            )],
            session: None,
        })
    })
    .await?;
    Ok(RequestView::of(
        &request,
        &app.service,
        app.clock.timestamp(),
    ))
}

/// Staff move a request along the status machine (invalid moves: 409); the customer is
/// told by mail.
pub async fn set_status(
    app: &App,
    staff: &StaffClaims,
    id: &str,
    input: &StatusChange,
) -> Result<RequestView, AppError> {
    let request = mutate(app, id, None, |request, now| {
        staff_may(request.status, input.status).map_err(refused)?;
        if !request.status.shop_owes() && input.status.shop_owes() {
            request.waiting_since = now;
            request.due_at = due_from(app, request, now);
        }
        match input.status {
            RequestStatus::Resolved => request.resolved_at = Some(now),
            RequestStatus::Closed => {}
            _ => request.resolved_at = None,
        }
        request.status = input.status;
        let mut entry = audit(request, staff, "status", now);
        entry.detail = Some(format!("status: {}", input.status.name()));
        Ok(Along {
            audit: Some(entry),
            mail: vec![customer_mail(
                app,
                request,
                mails::request_status_notice(
                    request.language,
                    &request.reference,
                    &thread_query(app, request),
                    input.status.name(),
                ),
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
