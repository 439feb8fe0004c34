//! What the API shows of service requests: to the customer (target, waiting time,
//! escalation) and to staff (the same, plus only what answering needs: the name and
//! email the request was made with, and the linked quote).

use super::views::QuoteView;
use crate::domain::clock::Timestamp;
use crate::domain::service::{Category, Escalation, MAX_LEVEL, Party, RequestStatus, next_level};
use crate::domain::service_config::ServiceConfig;
use crate::store::requests::{MessageItem, RequestItem};
use serde::Serialize;
use utoipa::ToSchema;

/// A request as its customer (and staff) see it.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct RequestView {
    pub id: String,
    /// Readable reference (`SR-…`), for mail and the phone.
    pub reference: String,
    pub subject: String,
    pub category: Category,
    pub quote_id: Option<String>,
    pub status: RequestStatus,
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: Timestamp,
    /// The promised first-response time for this category, in minutes.
    pub first_response_target_minutes: u32,
    /// When the shop owes its answer by; `null` while it owes none.
    #[schema(value_type = Option<String>, format = DateTime)]
    pub due_at: Option<Timestamp>,
    /// How long the request has waited for the shop, in minutes; `null` while the shop
    /// owes no answer.
    pub waiting_minutes: Option<i64>,
    /// The shop owes an answer and it is past due.
    pub overdue: bool,
    /// The customer may escalate now (overdue, and a level is left).
    pub can_escalate: bool,
    /// 0 is the first line; each escalation adds one (at most 2).
    pub level: u8,
    pub max_level: u8,
    pub escalations: Vec<Escalation>,
    #[schema(value_type = Option<String>, format = DateTime)]
    pub first_response_at: Option<Timestamp>,
    #[schema(value_type = Option<String>, format = DateTime)]
    pub resolved_at: Option<Timestamp>,
    pub message_count: u32,
}

impl RequestView {
    pub fn of(request: &RequestItem, config: &ServiceConfig, now: Timestamp) -> Self {
        let owes = request.status.shop_owes();
        let overdue = owes && now > request.due_at;
        Self {
            id: request.id.clone(),
            reference: request.reference.clone(),
            subject: request.subject.clone(),
            category: request.category,
            quote_id: request.quote_id.clone(),
            status: request.status,
            created_at: request.created_at,
            updated_at: request.updated_at,
            first_response_target_minutes: config.target_minutes(request.category),
            due_at: owes.then_some(request.due_at),
            waiting_minutes: owes.then(|| (now.unix() - request.waiting_since.unix()).max(0) / 60),
            overdue,
            can_escalate: next_level(request.status, request.level, request.due_at, now).is_ok(),
            level: request.level,
            max_level: MAX_LEVEL,
            escalations: request.escalations.clone(),
            first_response_at: request.first_response_at,
            resolved_at: request.resolved_at,
            message_count: request.message_count,
        }
    }
}

/// One message of a thread.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct MessageView {
    pub id: String,
    /// `customer` or `staff` (staff are shown as "the shop").
    pub author: Party,
    pub body: String,
    #[schema(value_type = String, format = DateTime)]
    pub at: Timestamp,
}

impl MessageView {
    pub fn of(message: &MessageItem) -> Self {
        Self {
            id: message.id.clone(),
            author: message.author,
            body: message.body.clone(),
            at: message.at,
        }
    }
}

/// A request with one page of its conversation, oldest first.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct RequestThread {
    pub request: RequestView,
    pub messages: Vec<MessageView>,
    /// Pass as `cursor` for the next page of messages; `null` on the last one.
    pub next_cursor: Option<String>,
    /// A visitor's secret link token (when the request is opened only).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub token: Option<String>,
    /// A visitor's link to the request (when it is opened only).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub link: Option<String>,
}

/// One page of requests.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct RequestPage {
    pub requests: Vec<RequestView>,
    /// Pass as `cursor` for the next page; `null` on the last one.
    pub next_cursor: Option<String>,
}

/// What a staff member sees of the customer behind a request: nothing more.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct RequestCustomer {
    pub name: String,
    pub email: String,
}

/// A request opened by staff (the read is in the customer's audit trail).
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct StaffRequestView {
    pub request: RequestView,
    pub customer: RequestCustomer,
    /// The linked quote, if the request names one.
    pub quote: Option<QuoteView>,
    pub messages: Vec<MessageView>,
    pub next_cursor: Option<String>,
}
