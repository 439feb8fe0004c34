//! Customer service: requests, their status machine, first-response targets and
//! escalation levels (design section 6b). Pure rules, no I/O.
//!
//! Status: `open` → `waiting_on_shop` / `waiting_on_customer` → `resolved` → `closed`.
//! A customer's reply reopens a resolved request within [`REOPEN_DAYS`]; the shop owes
//! an answer while a request is `open` or `waiting_on_shop`, and the time it owes it by
//! (`due_at`) is what the escalation worker and the staff inbox sort on.

use super::clock::Timestamp;
use super::validation::Violations;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A resolved request may be reopened by the customer's reply this long after.
pub const REOPEN_DAYS: i64 = 14;
/// Escalation levels above the first line: 1 (a supervisor), 2 (the manager).
pub const MAX_LEVEL: u8 = 2;
pub const MAX_SUBJECT: usize = 120;
pub const MAX_MESSAGE: usize = 5000;
pub const MAX_REASON: usize = 1000;

/// What a request is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// A quote or an order.
    QuoteOrOrder,
    Product,
    /// The customer's data (access, correction, consent).
    MyData,
    Other,
}

impl Category {
    pub const ALL: [Category; 4] = [
        Category::QuoteOrOrder,
        Category::Product,
        Category::MyData,
        Category::Other,
    ];

    pub const fn name(self) -> &'static str {
        match self {
            Category::QuoteOrOrder => "quote_or_order",
            Category::Product => "product",
            Category::MyData => "my_data",
            Category::Other => "other",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RequestStatus {
    Open,
    WaitingOnShop,
    WaitingOnCustomer,
    Resolved,
    Closed,
}

impl RequestStatus {
    pub const ALL: [RequestStatus; 5] = [
        RequestStatus::Open,
        RequestStatus::WaitingOnShop,
        RequestStatus::WaitingOnCustomer,
        RequestStatus::Resolved,
        RequestStatus::Closed,
    ];

    pub const fn name(self) -> &'static str {
        match self {
            RequestStatus::Open => "open",
            RequestStatus::WaitingOnShop => "waiting_on_shop",
            RequestStatus::WaitingOnCustomer => "waiting_on_customer",
            RequestStatus::Resolved => "resolved",
            RequestStatus::Closed => "closed",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.name() == text)
    }

    /// Whether the shop owes the customer an answer (the clock runs, escalation may).
    pub const fn shop_owes(self) -> bool {
        matches!(self, RequestStatus::Open | RequestStatus::WaitingOnShop)
    }
}

/// Who wrote a message or escalated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Party {
    Customer,
    Staff,
    /// The scheduled worker (escalation only).
    Schedule,
}

/// One step up in escalation, as the customer sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Escalation {
    pub level: u8,
    #[schema(value_type = String, format = DateTime)]
    pub at: Timestamp,
    pub by: Party,
    pub reason: String,
}

/// `POST /api/requests`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewRequest {
    #[schema(min_length = 1, max_length = 120, pattern = r"\S")]
    pub subject: String,
    pub category: Category,
    #[schema(min_length = 1, max_length = 5000, pattern = r"\S")]
    pub message: String,
    /// One of the customer's own quotes (its id).
    #[serde(default)]
    #[schema(pattern = "^[0-9A-HJKMNP-TV-Z]{26}$")]
    pub quote_id: Option<String>,
    /// Without an account: the name and email to answer; a secret link to the request
    /// is answered (and mailed with every reply). Checked whenever sent; ignored for a
    /// signed-in customer.
    #[serde(default)]
    pub contact: Option<super::quote::ContactRequest>,
    /// Without an account: the language to answer in (default `en`).
    #[serde(default)]
    pub language: Option<super::customer::Language>,
}

/// A message in a request's thread (customer or staff).
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewMessage {
    #[schema(min_length = 1, max_length = 5000, pattern = r"\S")]
    pub body: String,
}

/// `POST /api/requests/{id}/escalate`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EscalationRequest {
    #[schema(min_length = 1, max_length = 1000, pattern = r"\S")]
    pub reason: String,
}

/// `PUT /api/staff/requests/{id}/status`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusChange {
    pub status: RequestStatus,
}

/// Trimmed text of 1..=`max` characters, or a field error.
pub fn text(v: &mut Violations, pointer: &str, raw: &str, max: usize) -> String {
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        v.add(pointer, "must not be empty");
    } else if trimmed.chars().count() > max {
        v.add(pointer, format!("must be at most {max} characters"));
    }
    trimmed.to_string()
}

/// Why a change of a request is refused (answered 409).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// This status cannot go to that one.
    Transition {
        from: RequestStatus,
        to: RequestStatus,
    },
    /// Resolved more than [`REOPEN_DAYS`] ago, or closed: open a new request.
    TooLateToReopen,
    /// Not overdue, not waiting on the shop, or at the top level already.
    CannotEscalate,
}

/// The status after a customer's message: the shop owes an answer again; a resolved
/// request reopens within 14 days of its resolution.
pub fn after_customer_message(
    status: RequestStatus,
    resolved_at: Option<Timestamp>,
    now: Timestamp,
) -> Result<RequestStatus, Refusal> {
    match status {
        RequestStatus::Open => Ok(RequestStatus::Open),
        RequestStatus::WaitingOnShop | RequestStatus::WaitingOnCustomer => {
            Ok(RequestStatus::WaitingOnShop)
        }
        RequestStatus::Resolved => match resolved_at {
            Some(at) if now <= at + time::Duration::days(REOPEN_DAYS) => {
                Ok(RequestStatus::WaitingOnShop)
            }
            _ => Err(Refusal::TooLateToReopen),
        },
        RequestStatus::Closed => Err(Refusal::TooLateToReopen),
    }
}

/// The status after a staff reply: the customer's turn.
pub fn after_staff_message(status: RequestStatus) -> Result<RequestStatus, Refusal> {
    match status {
        RequestStatus::Open | RequestStatus::WaitingOnShop | RequestStatus::WaitingOnCustomer => {
            Ok(RequestStatus::WaitingOnCustomer)
        }
        from => Err(Refusal::Transition {
            from,
            to: RequestStatus::WaitingOnCustomer,
        }),
    }
}

/// Whether staff may move a request from `from` to `to`. `open` is only ever the
/// first status; `closed` is final; a resolved request may be reopened by staff too.
pub fn staff_may(from: RequestStatus, to: RequestStatus) -> Result<(), Refusal> {
    use RequestStatus::*;
    let allowed = matches!(
        (from, to),
        (Open, WaitingOnShop | WaitingOnCustomer | Resolved)
            | (WaitingOnShop, WaitingOnCustomer | Resolved)
            | (WaitingOnCustomer, WaitingOnShop | Resolved)
            | (Resolved, WaitingOnShop | Closed)
    );
    if allowed {
        Ok(())
    } else {
        Err(Refusal::Transition { from, to })
    }
}

/// The next escalation level, if a request at `level` in `status`, owed by `due_at`,
/// may be escalated at `now`: the shop owes an answer, it is overdue, and a level is
/// left. Each level is reached once.
pub fn next_level(
    status: RequestStatus,
    level: u8,
    due_at: Timestamp,
    now: Timestamp,
) -> Result<u8, Refusal> {
    if status.shop_owes() && now > due_at && level < MAX_LEVEL {
        Ok(level + 1)
    } else {
        Err(Refusal::CannotEscalate)
    }
}

/// The readable reference of a request: `SR-` and the last 8 characters of its ULID
/// (random part; unique enough to read out on the phone, the id stays the key).
pub fn reference(id: &str) -> String {
    let tail = id.get(id.len().saturating_sub(8)..).unwrap_or(id);
    format!("SR-{tail}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use RequestStatus::*;

    fn at(hours: i64) -> Timestamp {
        Timestamp::at(time::OffsetDateTime::UNIX_EPOCH + time::Duration::hours(hours))
    }

    #[test]
    fn customer_replies_reopen_within_fourteen_days_only() {
        assert_eq!(after_customer_message(Open, None, at(0)), Ok(Open));
        assert_eq!(
            after_customer_message(WaitingOnCustomer, None, at(0)),
            Ok(WaitingOnShop)
        );
        let resolved = Some(at(0));
        assert_eq!(
            after_customer_message(Resolved, resolved, at(14 * 24)),
            Ok(WaitingOnShop)
        );
        assert_eq!(
            after_customer_message(Resolved, resolved, at(14 * 24 + 1)),
            Err(Refusal::TooLateToReopen)
        );
        assert_eq!(
            after_customer_message(Closed, resolved, at(1)),
            Err(Refusal::TooLateToReopen)
        );
    }

    #[test]
    fn staff_transitions_follow_the_machine() {
        assert!(staff_may(Open, Resolved).is_ok());
        assert!(staff_may(Resolved, Closed).is_ok());
        assert!(staff_may(Closed, WaitingOnShop).is_err());
        assert!(staff_may(WaitingOnShop, Open).is_err());
        assert!(staff_may(Open, Closed).is_err());
        assert!(staff_may(Resolved, Resolved).is_err());
        assert!(after_staff_message(Closed).is_err());
        assert_eq!(after_staff_message(Open), Ok(WaitingOnCustomer));
    }

    #[test]
    fn escalation_needs_an_overdue_request_and_a_level_left() {
        assert_eq!(next_level(Open, 0, at(1), at(2)), Ok(1));
        assert_eq!(next_level(WaitingOnShop, 1, at(1), at(2)), Ok(2));
        assert!(next_level(Open, 0, at(2), at(2)).is_err());
        assert!(next_level(Open, MAX_LEVEL, at(1), at(2)).is_err());
        assert!(next_level(WaitingOnCustomer, 0, at(1), at(2)).is_err());
    }

    #[test]
    fn references_are_short_and_names_round_trip() {
        assert_eq!(reference("01JABCDEFGHJKMNPQRSTVWXYZ0"), "SR-STVWXYZ0");
        for status in RequestStatus::ALL {
            assert_eq!(RequestStatus::parse(status.name()), Some(status));
        }
    }
}
