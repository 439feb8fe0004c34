//! The keys of customer service: requests, their messages, a customer's request
//! references and audit trail, and the staff inboxes on GSI1 (due requests, orders).

use super::*;

/// A customer's service partition: their requests (references) and the audit trail of
/// staff reads and actions. Its own partition, so profile reads never touch it.
pub fn service_pk(customer_id: &str) -> String {
    format!("{}{customer_id}", ItemKind::RequestRef.pk_prefix())
}

pub fn request_pk(request_id: &str) -> String {
    format!("{}{request_id}", ItemKind::ServiceRequest.pk_prefix())
}

pub const REQUEST_SK: &str = ItemKind::ServiceRequest.sk();
pub const MESSAGE_PREFIX: &str = ItemKind::RequestMessage.sk();
pub const REQUEST_REF_PREFIX: &str = ItemKind::RequestRef.sk();
pub const AUDIT_PREFIX: &str = ItemKind::AuditEntry.sk();
pub const ORDER_SK: &str = ItemKind::OrderIndex.sk();

pub fn message_sk(at: &str, message_id: &str) -> String {
    format!("{MESSAGE_PREFIX}{at}#{message_id}")
}

pub fn request_ref_sk(request_id: &str) -> String {
    format!("{REQUEST_REF_PREFIX}{request_id}")
}

pub fn audit_sk(at: &str, entry_id: &str) -> String {
    format!("{AUDIT_PREFIX}{at}#{entry_id}")
}

/// GSI1 partition of requests in one status (the staff inbox; the worker reads the
/// statuses where the shop owes an answer), sorted by [`due_gsi1sk`].
pub fn due_gsi1pk(status: &str) -> String {
    format!("DUE#{status}")
}

pub fn due_gsi1sk(due_at: &str, request_id: &str) -> String {
    format!("{due_at}#{request_id}")
}

/// GSI1 partition of order requests in one status, oldest first.
pub fn orders_gsi1pk(status: &str) -> String {
    format!("ORDERS#{status}")
}
