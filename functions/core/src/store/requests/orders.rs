//! Order requests for staff: the index of accepted quotes by order status
//! (`QUOTE#<id>` / `ORDER`, on GSI1 under `ORDERS#<status>` / `<since>#<quote id>`),
//! and a status change: the quote's `order`, the index item, the audit entry and the
//! customer's mail in one transaction, on condition that the order is still in the
//! status it was read in.

use super::AuditItem;
use super::read::Page;
use crate::domain::order::{OrderState, OrderStatus};
use crate::store::batch;
use crate::store::codec::{decode_owned, encode_value, s};
use crate::store::keys::{self, GSI1, ItemKind, Key};
use crate::store::outbox::OutboxItem;
use crate::store::quotes::QuoteItem;
use crate::store::transact::{self, TransactError, transact_with_retry};
use crate::store::update::Expr;
use crate::store::{Store, StoreError, cursor, unavailable};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrderIndexItem {
    #[serde(rename = "PK")]
    pub pk: String,
    #[serde(rename = "SK")]
    pub sk: String,
    #[serde(rename = "GSI1PK")]
    pub gsi1pk: String,
    #[serde(rename = "GSI1SK")]
    pub gsi1sk: String,
    pub kind: String,
    pub quote_id: String,
    pub status: OrderStatus,
    /// Since when the order is in this status.
    pub since: String,
}

impl OrderIndexItem {
    pub fn new(quote_id: &str, status: OrderStatus, since: &str) -> Self {
        Self {
            pk: keys::quote_pk(quote_id),
            sk: keys::ORDER_SK.into(),
            gsi1pk: keys::orders_gsi1pk(status.name()),
            gsi1sk: format!("{since}#{quote_id}"),
            kind: ItemKind::OrderIndex.name().into(),
            quote_id: quote_id.into(),
            status,
            since: since.into(),
        }
    }
}

/// One page of the orders in `status`, longest waiting first, with their quotes.
/// `None` for a cursor that is not one of this list's.
pub async fn orders(
    store: &Store,
    status: OrderStatus,
    limit: i32,
    cursor_text: Option<&str>,
) -> Result<Option<Page<QuoteItem>>, StoreError> {
    let gsi1pk = keys::orders_gsi1pk(status.name());
    let Some(start) = cursor::checked(cursor_text, |text| {
        cursor::in_index(text, &gsi1pk, "", "", keys::ORDER_SK)
    }) else {
        return Ok(None);
    };
    let page = store
        .client()
        .query()
        .table_name(store.table())
        .index_name(GSI1)
        .key_condition_expression("GSI1PK = :pk")
        .expression_attribute_values(":pk", s(&gsi1pk))
        .limit(limit)
        .set_exclusive_start_key(start)
        .send()
        .await
        .map_err(|e| unavailable(&e))?;
    let ids: Vec<String> = page
        .items()
        .iter()
        .cloned()
        .map(decode_owned::<OrderIndexItem>)
        .map(|r| r.map(|i| i.quote_id))
        .collect::<Result<_, _>>()?;
    let mut found: Vec<QuoteItem> =
        batch::get_all(store, ids.iter().map(|id| Key::quote(id)).collect())
            .await?
            .into_iter()
            .map(decode_owned)
            .collect::<Result<_, _>>()?;
    found.sort_by_key(|q| ids.iter().position(|id| *id == q.quote.id));
    Ok(Some(Page::after(found, page.last_evaluated_key())))
}

/// Move an order from `from` to `order.status`. `Ok(false)` when it is no longer in
/// `from` (changed meanwhile).
pub async fn set_order(
    store: &Store,
    quote_id: &str,
    from: OrderStatus,
    order: &OrderState,
    audit: Option<&AuditItem>,
    mail: Option<&OutboxItem>,
) -> Result<bool, StoreError> {
    let mut e = Expr::new();
    e.set("quote.order", encode_value(order)?);
    let status = e.name("quote.order.status");
    e.condition(format!("{status} = :from"))
        .bind(":from", encode_value(&from)?);
    let index = OrderIndexItem::new(quote_id, order.status, &order.updated_at.to_string());
    let mut writes = vec![
        transact::update(store, &Key::quote(quote_id), &e, false)?,
        transact::put(store, &index, &Expr::new())?,
    ];
    if let Some(mail) = mail {
        writes.push(transact::put(store, mail, &Expr::new())?);
    }
    if let Some(audit) = audit {
        writes.push(transact::put_new(store, audit)?);
    }
    match transact_with_retry(store, writes).await {
        Ok(()) => Ok(true),
        Err(TransactError::ConditionFailed(_)) => Ok(false),
        Err(TransactError::Store(e)) => Err(e),
    }
}
