//! Service requests (`REQUEST#<id>` / `REQUEST`, on GSI1 under `DUE#<status>` /
//! `<due>#<id>`), their messages (`REQUEST#<id>` / `MESSAGE#<time>#<id>`), the
//! customer's references to them and the audit trail of staff reads and actions (both
//! in the customer's service partition `SERVICE#<customer id>`).
//!
//! Every change of a request is one `TransactWriteItems`: the request as it becomes,
//! on condition that its `version` is the one read, with what goes with the change (a
//! message, an audit entry, mail in the outbox) and, for a customer, a check that
//! their session still holds. Reads are in `read`; staff sign-in codes in `staff`.

mod orders;
mod read;
mod staff;

pub use orders::{OrderIndexItem, orders, set_order};
pub use read::{
    Page, customer_items, get, get_many, inbox, list_for_customer, messages, overdue, visitor_items,
};
pub use staff::{StaffCode, append_audit, consume_staff_code, issue_staff_code};

use super::codec::n;
use super::keys::{self, ItemKind, Key};
use super::outbox::OutboxItem;
use super::session::SessionGuard;
use super::transact::{self, TransactError, transact_with_retry};
use super::update::Expr;
use super::{Store, StoreError};
use crate::domain::clock::Timestamp;
use crate::domain::customer::Language;
use crate::domain::service::{Category, Escalation, Party, RequestStatus, reference};
use serde::{Deserialize, Serialize};

/// A service request as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RequestItem {
    #[serde(rename = "PK")]
    pub pk: String,
    #[serde(rename = "SK")]
    pub sk: String,
    #[serde(rename = "GSI1PK")]
    pub gsi1pk: String,
    #[serde(rename = "GSI1SK")]
    pub gsi1sk: String,
    pub kind: String,
    pub id: String,
    pub reference: String,
    pub customer_id: String,
    /// Name and email the request was made with (what staff see of the customer).
    pub name: String,
    pub email: String,
    pub language: Language,
    pub subject: String,
    pub category: Category,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quote_id: Option<String>,
    pub status: RequestStatus,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    /// When the shop owes its next answer by (first response, or the answer to the
    /// customer's latest message); meaningful while the shop owes one.
    pub due_at: Timestamp,
    /// Since when the shop has owed an answer.
    pub waiting_since: Timestamp,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_response_at: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolved_at: Option<Timestamp>,
    /// 0 = first line; each escalation adds one, up to `MAX_LEVEL`.
    pub level: u8,
    #[serde(default)]
    pub escalations: Vec<Escalation>,
    pub message_count: u32,
    /// Optimistic concurrency: every change increments it.
    pub version: u64,
    /// A visitor's request: the keyed hash of its secret link's token (never the token).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_hash: Option<String>,
    /// DynamoDB TTL of a visitor's request, its thread, reference and audit entries:
    /// [`VISITOR_REQUEST_TTL_SECONDS`] after it was opened. A customer's requests live
    /// as long as the account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ttl: Option<i64>,
}

/// A visitor's request is kept 12 months after it is opened (as the privacy policy
/// says), like a visitor's quote.
pub const VISITOR_REQUEST_TTL_SECONDS: i64 = 365 * 24 * 60 * 60;

/// The owner key of a visitor's requests (in place of a customer id): their contact
/// email's keyed hash, so erasure and export of that email find them.
pub fn visitor_owner(contact_key: &str) -> String {
    format!("{}{contact_key}", keys::CONTACT_PREFIX)
}

impl RequestItem {
    /// Made by a visitor (answered through a secret link, no account).
    pub fn is_visitor(&self) -> bool {
        self.token_hash.is_some()
    }
}

/// What a new request is made of (the item's keys follow from it).
#[derive(Debug, Clone)]
pub struct NewRequestItem {
    pub id: String,
    pub customer_id: String,
    pub name: String,
    pub email: String,
    pub language: Language,
    pub subject: String,
    pub category: Category,
    pub quote_id: Option<String>,
    pub now: Timestamp,
    pub due_at: Timestamp,
}

impl RequestItem {
    pub fn new(new: NewRequestItem) -> Self {
        let mut item = Self {
            pk: keys::request_pk(&new.id),
            sk: keys::REQUEST_SK.into(),
            gsi1pk: String::new(),
            gsi1sk: String::new(),
            kind: ItemKind::ServiceRequest.name().into(),
            reference: reference(&new.id),
            id: new.id,
            customer_id: new.customer_id,
            name: new.name,
            email: new.email,
            language: new.language,
            subject: new.subject,
            category: new.category,
            quote_id: new.quote_id,
            status: RequestStatus::Open,
            created_at: new.now,
            updated_at: new.now,
            due_at: new.due_at,
            waiting_since: new.now,
            first_response_at: None,
            resolved_at: None,
            level: 0,
            escalations: Vec::new(),
            message_count: 1,
            version: 1,
            token_hash: None,
            ttl: None,
        };
        item.reindex();
        item
    }

    /// Keep the index keys in step with status and due time (call after a change).
    pub fn reindex(&mut self) {
        self.gsi1pk = keys::due_gsi1pk(self.status.name());
        self.gsi1sk = keys::due_gsi1sk(&self.due_at.to_string(), &self.id);
    }
}

/// One message of a thread.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MessageItem {
    #[serde(rename = "PK")]
    pub pk: String,
    #[serde(rename = "SK")]
    pub sk: String,
    pub kind: String,
    pub id: String,
    pub request_id: String,
    pub author: Party,
    pub body: String,
    pub at: Timestamp,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ttl: Option<i64>,
}

impl MessageItem {
    pub fn new(request_id: &str, author: Party, body: String, at: Timestamp) -> Self {
        let id = ulid::Ulid::new().to_string();
        Self {
            pk: keys::request_pk(request_id),
            sk: keys::message_sk(&at.to_string(), &id),
            kind: ItemKind::RequestMessage.name().into(),
            id,
            request_id: request_id.into(),
            author,
            body,
            at,
            ttl: None,
        }
    }
}

/// A customer's reference to one of their requests (their list reads these).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RequestRef {
    #[serde(rename = "PK")]
    pub pk: String,
    #[serde(rename = "SK")]
    pub sk: String,
    pub kind: String,
    pub request_id: String,
    pub created_at: Timestamp,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ttl: Option<i64>,
}

impl RequestRef {
    pub fn of(request: &RequestItem) -> Self {
        Self {
            pk: keys::service_pk(&request.customer_id),
            sk: keys::request_ref_sk(&request.id),
            kind: ItemKind::RequestRef.name().into(),
            request_id: request.id.clone(),
            created_at: request.created_at,
            ttl: request.ttl,
        }
    }
}

/// One staff read or action on a customer's data. Append-only: written once with
/// `attribute_not_exists`, never updated; the customer's export includes it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditItem {
    #[serde(rename = "PK")]
    pub pk: String,
    #[serde(rename = "SK")]
    pub sk: String,
    pub kind: String,
    pub id: String,
    pub at: Timestamp,
    /// The staff member's address.
    pub staff: String,
    /// `read_request`, `reply`, `status`, `order_status`.
    pub action: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quote_id: Option<String>,
    /// What changed, in words without personal data (`status: resolved`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// Set for a visitor's request: goes with it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ttl: Option<i64>,
}

impl AuditItem {
    pub fn new(customer_id: &str, staff: &str, action: &str, at: Timestamp) -> Self {
        let id = ulid::Ulid::new().to_string();
        Self {
            pk: keys::service_pk(customer_id),
            sk: keys::audit_sk(&at.to_string(), &id),
            kind: ItemKind::AuditEntry.name().into(),
            id,
            at,
            staff: staff.into(),
            action: action.into(),
            request_id: None,
            quote_id: None,
            detail: None,
            ttl: None,
        }
    }
}

/// What goes with a change, in the same transaction.
#[derive(Debug, Clone, Default)]
pub struct Along {
    pub message: Option<MessageItem>,
    pub audit: Option<AuditItem>,
    pub mail: Vec<OutboxItem>,
    /// A customer's session must still hold (checked on their profile).
    pub session: Option<(String, SessionGuard)>,
}

impl Along {
    /// The writes, the message and audit entry with the request's `ttl` (a visitor's
    /// thread and audit entries go when the request goes).
    fn writes(
        &self,
        store: &Store,
        ttl: Option<i64>,
    ) -> Result<Vec<aws_sdk_dynamodb::types::TransactWriteItem>, StoreError> {
        let mut writes = Vec::new();
        if let Some(message) = &self.message {
            let message = MessageItem {
                ttl,
                ..message.clone()
            };
            writes.push(transact::put_new(store, &message)?);
        }
        if let Some(audit) = &self.audit {
            let audit = AuditItem {
                ttl,
                ..audit.clone()
            };
            writes.push(transact::put_new(store, &audit)?);
        }
        for mail in &self.mail {
            writes.push(transact::put(store, mail, &Expr::new())?);
        }
        if let Some((customer_id, guard)) = &self.session {
            let mut holds = Expr::new();
            let condition = guard.condition(&mut holds);
            holds.condition(condition);
            writes.push(transact::check(store, &Key::profile(customer_id), &holds)?);
        }
        Ok(writes)
    }
}

/// How a conditional change came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Changed {
    Done,
    /// The request changed meanwhile, or the customer's session no longer holds.
    Refused,
}

/// Store a new request with its first message and the customer's reference to it.
pub async fn create(
    store: &Store,
    request: &RequestItem,
    along: &Along,
) -> Result<Changed, StoreError> {
    let mut writes = vec![
        transact::put_new(store, request)?,
        transact::put_new(store, &RequestRef::of(request))?,
    ];
    writes.extend(along.writes(store, request.ttl)?);
    finish(store, writes).await
}

/// Replace the request with `after`, on condition that it is still at `before_version`.
pub async fn change(
    store: &Store,
    after: &RequestItem,
    before_version: u64,
    along: &Along,
) -> Result<Changed, StoreError> {
    let mut e = Expr::new();
    let version = e.name("version");
    e.condition(format!("{version} = :version"))
        .bind(":version", n(before_version));
    let mut writes = vec![transact::put(store, after, &e)?];
    writes.extend(along.writes(store, after.ttl)?);
    finish(store, writes).await
}

async fn finish(
    store: &Store,
    writes: Vec<aws_sdk_dynamodb::types::TransactWriteItem>,
) -> Result<Changed, StoreError> {
    match transact_with_retry(store, writes).await {
        Ok(()) => Ok(Changed::Done),
        Err(TransactError::ConditionFailed(_)) => Ok(Changed::Refused),
        Err(TransactError::Store(e)) => Err(e),
    }
}

/// The key attribute map of a request (for batch reads).
pub(crate) fn request_key(request_id: &str) -> Key {
    Key::new(keys::request_pk(request_id), keys::REQUEST_SK)
}
