//! Order requests: an accepted quote is an order request the shop confirms, ships or
//! cancels (with a reason). The customer follows its status on their quote history;
//! each change is mailed to them.

use super::clock::Timestamp;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub const MAX_REASON: usize = 500;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OrderStatus {
    Received,
    Confirmed,
    Shipped,
    Cancelled,
}

impl OrderStatus {
    pub const ALL: [OrderStatus; 4] = [
        OrderStatus::Received,
        OrderStatus::Confirmed,
        OrderStatus::Shipped,
        OrderStatus::Cancelled,
    ];

    pub const fn name(self) -> &'static str {
        match self {
            OrderStatus::Received => "received",
            OrderStatus::Confirmed => "confirmed",
            OrderStatus::Shipped => "shipped",
            OrderStatus::Cancelled => "cancelled",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.name() == text)
    }
}

/// One step of an order's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct OrderStep {
    pub status: OrderStatus,
    #[schema(value_type = String, format = DateTime)]
    pub at: Timestamp,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// An order request's state, kept on its quote (`quote.order`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct OrderState {
    pub status: OrderStatus,
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: Timestamp,
    /// Why it was cancelled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    pub history: Vec<OrderStep>,
}

impl OrderState {
    /// The order a quote becomes when it is accepted.
    pub fn received(at: Timestamp) -> Self {
        Self {
            status: OrderStatus::Received,
            updated_at: at,
            reason: None,
            history: vec![OrderStep {
                status: OrderStatus::Received,
                at,
                reason: None,
            }],
        }
    }

    /// The order after a move to `to` (checked with [`order_may`] first).
    pub fn moved(&self, to: OrderStatus, reason: Option<String>, at: Timestamp) -> Self {
        let mut next = self.clone();
        next.status = to;
        next.updated_at = at;
        next.reason = reason.clone();
        next.history.push(OrderStep {
            status: to,
            at,
            reason,
        });
        next
    }
}

/// `PUT /api/staff/orders/{quote_id}/status`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OrderStatusChange {
    pub status: OrderStatus,
    /// Required to cancel.
    #[serde(default)]
    #[schema(min_length = 1, max_length = 500, pattern = r"\S")]
    pub reason: Option<String>,
}

/// Whether an order may move from `from` to `to`: received → confirmed → shipped, and
/// cancelled from received or confirmed. Shipped and cancelled are final.
pub fn order_may(from: OrderStatus, to: OrderStatus) -> bool {
    use OrderStatus::*;
    matches!(
        (from, to),
        (Received, Confirmed | Cancelled) | (Confirmed, Shipped | Cancelled)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use OrderStatus::*;

    #[test]
    fn orders_move_forward_and_end_shipped_or_cancelled() {
        assert!(order_may(Received, Confirmed) && order_may(Confirmed, Shipped));
        assert!(order_may(Received, Cancelled) && order_may(Confirmed, Cancelled));
        assert!(!order_may(Shipped, Cancelled) && !order_may(Cancelled, Confirmed));
        assert!(!order_may(Received, Shipped) && !order_may(Received, Received));
        let at = Timestamp::at(time::OffsetDateTime::UNIX_EPOCH);
        let order = OrderState::received(at).moved(Cancelled, Some("out of stock".into()), at);
        assert_eq!(order.history.len(), 2);
        assert_eq!(order.reason.as_deref(), Some("out of stock"));
    }
}
