//! Order requests in the staff inbox: accepted quotes by order status (longest waiting
//! first), and moving one along (received → confirmed → shipped, or cancelled with a
//! reason). Each move is audited in the customer's trail (members' orders) and mailed
//! to the address the quote was made out to.

use super::service::{bad_cursor, is_id, page_limit};
use super::views::QuoteView;
use super::{App, AppError};
use crate::domain::customer::Language;
use crate::domain::order::{MAX_REASON, OrderStatus, OrderStatusChange, order_may};
use crate::domain::service::text;
use crate::domain::staff::StaffClaims;
use crate::domain::validation::Violations;
use crate::mail::service as mails;
use crate::store::customers;
use crate::store::outbox::OutboxItem;
use crate::store::quotes as quote_store;
use crate::store::requests::{self as store, AuditItem};
use serde::Serialize;
use utoipa::ToSchema;

/// An order request in the staff list: no customer data (open the quote for that).
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct OrderSummary {
    pub quote_id: String,
    pub number: String,
    pub status: OrderStatus,
    pub since: String,
    pub currency: String,
    pub total_minor: u64,
    pub lines: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct OrderPage {
    pub orders: Vec<OrderSummary>,
    pub next_cursor: Option<String>,
}

/// One page of order requests in `status` (default `received`).
pub async fn order_inbox(
    app: &App,
    status: Option<&str>,
    limit: Option<&str>,
    cursor: Option<&str>,
) -> Result<OrderPage, AppError> {
    let status = match status {
        None => OrderStatus::Received,
        Some(name) => OrderStatus::parse(name).ok_or(AppError::BadQuery {
            field: "status",
            detail: "status must be received, confirmed, shipped or cancelled.",
        })?,
    };
    let page = store::orders(&app.store, status, page_limit(limit)?, cursor)
        .await?
        .ok_or_else(bad_cursor)?;
    Ok(OrderPage {
        orders: page
            .items
            .iter()
            .filter_map(|q| {
                let order = q.quote.order.as_ref()?;
                Some(OrderSummary {
                    quote_id: q.quote.id.clone(),
                    number: q.quote.number.clone(),
                    status: order.status,
                    since: order.updated_at.to_string(),
                    currency: q.quote.currency.clone(),
                    total_minor: q.quote.total_minor,
                    lines: q.quote.lines.len(),
                })
            })
            .collect(),
        next_cursor: page.next_cursor,
    })
}

fn invalid_move() -> AppError {
    AppError::Conflict {
        slug: "invalid-transition",
        title: "Not possible in this status",
        detail: "Orders go received → confirmed → shipped, or are cancelled before shipping.",
    }
}

/// Move an order request along; the customer is mailed, the move audited.
pub async fn set_order_status(
    app: &App,
    staff: &StaffClaims,
    quote_id: &str,
    change: &OrderStatusChange,
) -> Result<QuoteView, AppError> {
    let mut v = Violations::default();
    let reason = match (&change.reason, change.status) {
        (Some(raw), _) => Some(text(&mut v, "/reason", raw, MAX_REASON)),
        (None, OrderStatus::Cancelled) => {
            v.add("/reason", "is required to cancel");
            None
        }
        (None, _) => None,
    };
    if !v.is_empty() {
        return Err(AppError::Invalid(v.into_vec()));
    }
    if !is_id(quote_id) {
        return Err(AppError::NotFound);
    }
    let (quote, _) = quote_store::get(&app.store, quote_id, None).await?;
    let quote = quote.ok_or(AppError::NotFound)?.quote;
    let order = quote.order.as_ref().ok_or(AppError::NotFound)?;
    if !order_may(order.status, change.status) {
        return Err(invalid_move());
    }
    let now = app.clock.timestamp();
    let next = order.moved(change.status, reason.clone(), now);
    let language = match &quote.customer_id {
        Some(id) => customers::get_profile(&app.store, id)
            .await?
            .map_or(Language::En, |p| p.language),
        None => Language::En,
    };
    // An order whose customer erased their account keeps no address: nobody to mail.
    let mail = (!quote.customer.email.is_empty()).then(|| {
        OutboxItem::new(
            &quote.customer.email,
            quote.customer_id.as_deref(),
            mails::order_status_notice(
                language,
                &quote.number,
                change.status.name(),
                reason.as_deref(),
            ),
            app.clock.rfc3339(),
            app.clock.unix(),
        )
    });
    let audit = quote.customer_id.as_deref().map(|customer| {
        let mut entry = AuditItem::new(customer, &staff.staff, "order_status", now);
        entry.quote_id = Some(quote.id.clone());
        entry.detail = Some(format!("order: {}", change.status.name()));
        entry
    });
    let moved = store::set_order(
        &app.store,
        quote_id,
        order.status,
        &next,
        audit.as_ref(),
        mail.as_ref(),
    )
    .await?;
    if !moved {
        return Err(invalid_move());
    }
    let mut quote = quote;
    quote.order = Some(next);
    Ok(QuoteView::of(&quote, now))
}
