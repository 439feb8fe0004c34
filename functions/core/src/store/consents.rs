//! Consent changes: the profile's current state and an append-only ledger entry, in one
//! transaction. Withdrawing personalisation also deletes stored behaviour events.

use super::customers::ConsentEventItem;
use super::keys::{self, EVENT_PREFIX, PROFILE_SK};
use super::{Store, StoreError, put_item, unavailable};
use crate::domain::consent::{ConsentSource, Purpose};
use aws_sdk_dynamodb::types::{
    AttributeValue, DeleteRequest, ReturnValuesOnConditionCheckFailure, TransactWriteItem, Update,
    WriteRequest,
};
use std::collections::HashMap;

#[derive(Debug, Clone, PartialEq)]
pub enum ConsentOutcome {
    Changed(ConsentEventItem),
    /// Already in the asked-for state: nothing written, no ledger entry.
    Unchanged,
    SessionRevoked,
}

fn s(value: &str) -> AttributeValue {
    AttributeValue::S(value.to_string())
}

/// Grant or withdraw one purpose.
pub async fn change(
    store: &Store,
    customer_id: &str,
    epoch: u64,
    purpose: Purpose,
    granted: bool,
    policy_version: &str,
    now: &str,
) -> Result<ConsentOutcome, StoreError> {
    let entry = ConsentEventItem {
        pk: keys::customer_pk(customer_id),
        sk: keys::consent_sk(now, purpose.as_str()),
        kind: "consent".into(),
        purpose,
        granted,
        previous: Some(!granted),
        policy_version: policy_version.into(),
        source: ConsentSource::PreferenceCentre,
        at: now.into(),
    };
    let update = Update::builder()
        .table_name(store.table())
        .key(keys::PK, s(&keys::customer_pk(customer_id)))
        .key(keys::SK, s(PROFILE_SK))
        .update_expression(
            "SET consents.#purpose = :granted, version = version + :one, updated_at = :now",
        )
        .condition_expression("session_epoch = :epoch AND consents.#purpose <> :granted")
        .expression_attribute_names("#purpose", purpose.as_str())
        .expression_attribute_values(":granted", AttributeValue::Bool(granted))
        .expression_attribute_values(":one", AttributeValue::N("1".into()))
        .expression_attribute_values(":epoch", AttributeValue::N(epoch.to_string()))
        .expression_attribute_values(":now", s(now))
        .return_values_on_condition_check_failure(ReturnValuesOnConditionCheckFailure::AllOld)
        .build()
        .map_err(|e| StoreError::Corrupt(e.to_string()))?;
    let writes = vec![
        TransactWriteItem::builder().update(update).build(),
        put_item(store, &entry, Some("attribute_not_exists(PK)"))?,
    ];
    let error = match store
        .client()
        .transact_write_items()
        .set_transact_items(Some(writes))
        .send()
        .await
    {
        Ok(_) => return Ok(ConsentOutcome::Changed(entry)),
        Err(error) => error,
    };
    if let Some(reason) = super::cancellation_reasons(&error).and_then(|r| r.first())
        && reason.code() == Some("ConditionalCheckFailed")
    {
        return Ok(if super::epoch_seen(reason.item()) == Some(epoch) {
            ConsentOutcome::Unchanged
        } else {
            ConsentOutcome::SessionRevoked
        });
    }
    Err(unavailable(&error))
}

/// Delete every behaviour event kept for the customer (they were kept only with
/// personalisation consent). Returns how many were deleted.
pub async fn delete_events(store: &Store, customer_id: &str) -> Result<usize, StoreError> {
    let mut keys_to_delete = Vec::new();
    let mut start = None;
    loop {
        let page = store
            .client()
            .query()
            .table_name(store.table())
            .key_condition_expression("PK = :pk AND begins_with(SK, :events)")
            .expression_attribute_values(":pk", s(&keys::customer_pk(customer_id)))
            .expression_attribute_values(":events", s(EVENT_PREFIX))
            .projection_expression("PK, SK")
            .set_exclusive_start_key(start.take())
            .send()
            .await
            .map_err(|e| unavailable(&e))?;
        keys_to_delete.extend(page.items().iter().cloned());
        match page.last_evaluated_key() {
            Some(key) if !key.is_empty() => start = Some(key.clone()),
            _ => break,
        }
    }
    let count = keys_to_delete.len();
    delete_keys(store, keys_to_delete).await?;
    Ok(count)
}

/// Delete items by key, 25 per `BatchWriteItem`, retrying what DynamoDB leaves
/// unprocessed.
pub async fn delete_keys(
    store: &Store,
    keys_to_delete: Vec<HashMap<String, AttributeValue>>,
) -> Result<(), StoreError> {
    for chunk in keys_to_delete.chunks(25) {
        let mut requests: Vec<WriteRequest> = chunk
            .iter()
            .map(|key| {
                let key: HashMap<_, _> = key
                    .iter()
                    .filter(|(name, _)| *name == keys::PK || *name == keys::SK)
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect();
                DeleteRequest::builder()
                    .set_key(Some(key))
                    .build()
                    .map(|d| WriteRequest::builder().delete_request(d).build())
                    .map_err(|e| StoreError::Corrupt(e.to_string()))
            })
            .collect::<Result<_, _>>()?;
        for attempt in 0..5u64 {
            if requests.is_empty() {
                break;
            }
            let output = store
                .client()
                .batch_write_item()
                .request_items(store.table(), requests.clone())
                .send()
                .await
                .map_err(|e| unavailable(&e))?;
            requests = output
                .unprocessed_items()
                .and_then(|items| items.get(store.table()))
                .cloned()
                .unwrap_or_default();
            if !requests.is_empty() {
                tokio::time::sleep(std::time::Duration::from_millis(20 * (attempt + 1))).await;
            }
        }
        if !requests.is_empty() {
            return Err(StoreError::Unavailable("deletes left unprocessed".into()));
        }
    }
    Ok(())
}
