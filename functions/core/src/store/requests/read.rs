//! Reading requests: one (with the customer's profile for the session check), a page
//! of a customer's, a page of a thread, a page of the staff inbox by status and due
//! time, the overdue ones for the escalation worker (GSI1, never a scan), and every
//! item about one customer (export, erasure, the timeline).

use super::{MessageItem, RequestItem, RequestRef, request_key};
use crate::domain::clock::Timestamp;
use crate::domain::service::{MAX_LEVEL, RequestStatus};
use crate::store::batch;
use crate::store::codec::{Item, corrupt, decode_owned, n, s};
use crate::store::cursor::Order;
pub use crate::store::cursor::Page;
use crate::store::customers::ProfileItem;
use crate::store::keys::{self, GSI1, ItemKind, Key};
use crate::store::{Store, StoreError, cursor, unavailable};
use aws_sdk_dynamodb::operation::query::builders::QueryFluentBuilder;
use std::collections::HashMap;

/// A request, and the profile of `customer_id` when given, in one BatchGetItem.
pub async fn get(
    store: &Store,
    request_id: &str,
    customer_id: Option<&str>,
) -> Result<(Option<RequestItem>, Option<ProfileItem>), StoreError> {
    let mut wanted = vec![request_key(request_id)];
    wanted.extend(customer_id.map(Key::profile));
    let (mut request, mut profile) = (None, None);
    for item in batch::get_all(store, wanted).await? {
        match ItemKind::of(&item) {
            Some(ItemKind::ServiceRequest) => request = Some(decode_owned(item)?),
            Some(ItemKind::Profile) => profile = Some(decode_owned(item)?),
            _ => return Err(corrupt("unexpected item kind in a request read")),
        }
    }
    Ok((request, profile))
}

/// Requests by id (one BatchGetItem), in the order asked; missing ones are left out.
pub async fn get_many(store: &Store, ids: &[String]) -> Result<Vec<RequestItem>, StoreError> {
    let wanted = ids.iter().map(|id| request_key(id)).collect();
    let mut found: HashMap<String, RequestItem> = HashMap::new();
    for item in batch::get_all(store, wanted).await? {
        let request: RequestItem = decode_owned(item)?;
        found.insert(request.id.clone(), request);
    }
    Ok(ids.iter().filter_map(|id| found.remove(id)).collect())
}

/// One page of a customer's requests, newest first: a Query of their references,
/// then one BatchGetItem of the requests on the page.
pub async fn list_for_customer(
    store: &Store,
    customer_id: &str,
    limit: i32,
    cursor_text: Option<&str>,
) -> Result<Option<Page<RequestItem>>, StoreError> {
    let pk = keys::service_pk(customer_id);
    let Some(start) = cursor::checked(cursor_text, |text| {
        cursor::in_partition(text, &pk, keys::REQUEST_REF_PREFIX)
    }) else {
        return Ok(None);
    };
    let refs: Page<RequestRef> = cursor::query_page(
        store,
        &pk,
        Some(keys::REQUEST_REF_PREFIX),
        Order::NewestFirst,
        limit,
        start,
        false,
    )
    .await?;
    let ids: Vec<String> = refs.items.into_iter().map(|r| r.request_id).collect();
    let requests = get_many(store, &ids).await?;
    Ok(Some(Page {
        items: requests,
        next_cursor: refs.next_cursor,
    }))
}

/// One page of a thread, oldest first. `None` for a cursor that is not one of this
/// thread's.
pub async fn messages(
    store: &Store,
    request_id: &str,
    limit: i32,
    cursor_text: Option<&str>,
) -> Result<Option<Page<MessageItem>>, StoreError> {
    let pk = keys::request_pk(request_id);
    let Some(start) = cursor::checked(cursor_text, |text| {
        cursor::in_partition(text, &pk, keys::MESSAGE_PREFIX)
    }) else {
        return Ok(None);
    };
    let page = cursor::query_page(
        store,
        &pk,
        Some(keys::MESSAGE_PREFIX),
        Order::OldestFirst,
        limit,
        start,
        true,
    )
    .await?;
    Ok(Some(page))
}

fn due_query(store: &Store, status: RequestStatus) -> QueryFluentBuilder {
    store
        .client()
        .query()
        .table_name(store.table())
        .index_name(GSI1)
        .expression_attribute_values(":pk", s(&keys::due_gsi1pk(status.name())))
}

/// One page of the requests in `status`, the soonest due first (the staff inbox).
/// `None` for a cursor that is not one of this list's.
pub async fn inbox(
    store: &Store,
    status: RequestStatus,
    limit: i32,
    cursor_text: Option<&str>,
) -> Result<Option<Page<RequestItem>>, StoreError> {
    let gsi1pk = keys::due_gsi1pk(status.name());
    let Some(start) = cursor::checked(cursor_text, |text| {
        let pk_prefix = ItemKind::ServiceRequest.pk_prefix();
        cursor::in_index(text, &gsi1pk, "", pk_prefix, keys::REQUEST_SK)
    }) else {
        return Ok(None);
    };
    let page = due_query(store, status)
        .key_condition_expression("GSI1PK = :pk")
        .limit(limit)
        .set_exclusive_start_key(start)
        .send()
        .await
        .map_err(|e| unavailable(&e))?;
    Ok(Some(Page::decoded(&page)?))
}

/// Requests in `status` whose answer was due before `now` and that have a level left:
/// a Query of GSI1 up to `now` (never a scan), at most `limit` items read. Requests
/// at the top level stay on the index (staff see them first) and are read and skipped.
pub async fn overdue(
    store: &Store,
    status: RequestStatus,
    now: Timestamp,
    limit: i32,
) -> Result<Vec<RequestItem>, StoreError> {
    let page = due_query(store, status)
        .key_condition_expression("GSI1PK = :pk AND GSI1SK < :now")
        .expression_attribute_values(":now", s(&now.to_string()))
        .filter_expression("#level < :max")
        .expression_attribute_names("#level", "level")
        .expression_attribute_values(":max", n(MAX_LEVEL))
        .limit(limit)
        .send()
        .await
        .map_err(|e| unavailable(&e))?;
    page.items().iter().cloned().map(decode_owned).collect()
}

/// Every item about a customer's requests kept outside their service partition: each
/// request and its whole thread (every page). For the export, erasure and the
/// customer's timeline. The service partition itself (references and the audit trail)
/// is read with the customer's other partitions.
pub async fn customer_items(store: &Store, customer_id: &str) -> Result<Vec<Item>, StoreError> {
    let refs: Vec<Item> = crate::store::query_all(
        store
            .client()
            .query()
            .table_name(store.table())
            .key_condition_expression("PK = :pk AND begins_with(SK, :prefix)")
            .expression_attribute_values(":pk", s(&keys::service_pk(customer_id)))
            .expression_attribute_values(":prefix", s(keys::REQUEST_REF_PREFIX)),
    )
    .await?;
    let mut items = Vec::new();
    for r in refs {
        let reference: RequestRef = decode_owned(r)?;
        let thread: Vec<Item> = crate::store::query_all(
            store
                .client()
                .query()
                .table_name(store.table())
                .key_condition_expression("PK = :pk")
                .expression_attribute_values(":pk", s(&keys::request_pk(&reference.request_id)))
                .consistent_read(true),
        )
        .await?;
        items.extend(thread);
    }
    Ok(items)
}

/// Everything about the requests a visitor made with one email (their contact key):
/// the owner's service partition (references, audit entries) and each request's
/// thread. Export and erasure of a customer with that email include them.
pub async fn visitor_items(store: &Store, contact_key: &str) -> Result<Vec<Item>, StoreError> {
    let owner = super::visitor_owner(contact_key);
    let mut items: Vec<Item> = crate::store::query_all(
        store
            .client()
            .query()
            .table_name(store.table())
            .key_condition_expression("PK = :pk")
            .expression_attribute_values(":pk", s(&keys::service_pk(&owner)))
            .consistent_read(true),
    )
    .await?;
    items.extend(customer_items(store, &owner).await?);
    Ok(items)
}
