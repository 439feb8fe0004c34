//! Order requests in the staff inbox: list by status, move one along.

use crate::{QueryParams, params};
use axum::extract::{Path, State};
use ecrm_core::app::staff_orders::{self, OrderPage};
use ecrm_core::app::views::QuoteView;
use ecrm_core::domain::order::OrderStatusChange;
use ecrm_core::openapi::{BodyErrors, CrossSite, StoreDown};
use ecrm_core::web::staff::Staff;
use ecrm_core::web::{ApiError, AppState, Json, Problem};

/// Order requests by status, longest waiting first
///
/// Number, status and totals only (no customer data).
#[utoipa::path(get, path = "/api/staff/orders", operation_id = "staff_orders",
    security(("staff_session" = [])),
    params(
        ("status" = Option<String>, Query, description = "received (default), confirmed, shipped or cancelled."),
        ("limit" = Option<u32>, Query, minimum = 1, maximum = 50, description = "Page size (default 20)."),
        ("cursor" = Option<String>, Query, description = "`next_cursor` of the previous page."),
    ),
    responses(
        (status = 200, description = "One page.", body = OrderPage),
        (status = 400, description = "A bad status, limit or cursor.", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No staff session.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "A customer session, not a staff one.", body = Problem, content_type = "application/problem+json"),
        StoreDown,
    ))]
pub(crate) async fn order_inbox(
    State(state): State<AppState>,
    _staff: Staff,
    query: QueryParams,
) -> Result<axum::Json<OrderPage>, ApiError> {
    let p = params(query)?;
    let get = |name: &str| p.get(name).map(String::as_str);
    let page =
        staff_orders::order_inbox(&state.app, get("status"), get("limit"), get("cursor")).await?;
    Ok(axum::Json(page))
}

/// Move an order request along
///
/// received → confirmed → shipped, or cancelled (with a reason) before shipping;
/// anything else is 409. The customer is mailed; the move is in their audit trail.
#[utoipa::path(put, path = "/api/staff/orders/{quote_id}/status", operation_id = "staff_set_order_status",
    security(("staff_session" = [])),
    params(("quote_id" = String, Path, pattern = "^[0-9A-HJKMNP-TV-Z]{26}$", description = "The accepted quote's id (a ULID).")),
    request_body = OrderStatusChange,
    responses(
        (status = 200, description = "Moved; the quote with its order.", body = QuoteView),
        (status = 401, description = "No staff session.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "A customer session, not a staff one.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No order request here.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not a move orders allow.", body = Problem, content_type = "application/problem+json"),
        BodyErrors, CrossSite, StoreDown,
    ))]
pub(crate) async fn set_order_status(
    State(state): State<AppState>,
    Staff(claims): Staff,
    Path(quote_id): Path<String>,
    Json(change): Json<OrderStatusChange>,
) -> Result<axum::Json<QuoteView>, ApiError> {
    let view = staff_orders::set_order_status(&state.app, &claims, &quote_id, &change).await?;
    Ok(axum::Json(view))
}
