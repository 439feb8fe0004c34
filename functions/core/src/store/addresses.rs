//! Addresses (`CUSTOMER#<id>` / `ADDRESS#<id>`). Which address is the default of each
//! kind, and how many there are, live on the profile, so "one default of each kind"
//! and the limit hold by construction. Every change also bumps the profile's version
//! (the ETag of `GET /api/me` covers addresses).

use super::customers::ProfileItem;
use super::keys::{self, PROFILE_SK};
use super::{Store, StoreError, put_item, unavailable};
use crate::domain::address::{Address, MAX_ADDRESSES, ValidAddress};
use aws_sdk_dynamodb::types::{
    AttributeValue, Delete, ReturnValuesOnConditionCheckFailure, TransactWriteItem, Update,
};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AddressItem {
    #[serde(rename = "PK")]
    pub pk: String,
    #[serde(rename = "SK")]
    pub sk: String,
    pub kind: String,
    pub id: String,
    pub address: Address,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AddressOutcome {
    Done,
    NotFound,
    LimitReached,
    SessionRevoked,
    /// The profile changed between our read and write; nothing was written.
    Conflict,
}

fn s(value: &str) -> AttributeValue {
    AttributeValue::S(value.to_string())
}

fn n(value: u64) -> AttributeValue {
    AttributeValue::N(value.to_string())
}

fn profile_key(customer_id: &str) -> HashMap<String, AttributeValue> {
    HashMap::from([
        (keys::PK.to_string(), s(&keys::customer_pk(customer_id))),
        (keys::SK.to_string(), s(PROFILE_SK)),
    ])
}

/// SET/REMOVE clauses for the default pointers after this address's change.
fn default_pointers(
    id: &str,
    wanted: (bool, bool),
    profile: Option<&ProfileItem>,
    set: &mut Vec<String>,
    remove: &mut Vec<String>,
) {
    let current = (
        profile.and_then(|p| p.default_billing_address.as_deref()),
        profile.and_then(|p| p.default_delivery_address.as_deref()),
    );
    for (want, now, attribute) in [
        (wanted.0, current.0, "default_billing_address"),
        (wanted.1, current.1, "default_delivery_address"),
    ] {
        if want {
            set.push(format!("{attribute} = :id"));
        } else if now == Some(id) {
            remove.push(attribute.to_string());
        }
    }
}

fn expression(set: &[String], remove: &[String]) -> String {
    let mut text = format!("SET {}", set.join(", "));
    if !remove.is_empty() {
        text.push_str(&format!(" REMOVE {}", remove.join(", ")));
    }
    text
}

async fn commit(
    store: &Store,
    writes: Vec<TransactWriteItem>,
    epoch: u64,
    profile_index: usize,
) -> Result<AddressOutcome, StoreError> {
    let result = store
        .client()
        .transact_write_items()
        .set_transact_items(Some(writes))
        .send()
        .await;
    let error = match result {
        Ok(_) => return Ok(AddressOutcome::Done),
        Err(error) => error,
    };
    let Some(reasons) = super::cancellation_reasons(&error) else {
        return Err(unavailable(&error));
    };
    let failed = |i: usize| reasons.get(i).and_then(|r| r.code()) == Some("ConditionalCheckFailed");
    if failed(profile_index) {
        return Ok(match super::epoch_seen(reasons[profile_index].item()) {
            Some(e) if e == epoch => AddressOutcome::Conflict,
            _ => AddressOutcome::SessionRevoked,
        });
    }
    if failed(0) {
        return Ok(AddressOutcome::NotFound);
    }
    Err(unavailable(&error))
}

fn profile_update(
    store: &Store,
    customer_id: &str,
    update: String,
    condition: &str,
    mut values: HashMap<String, AttributeValue>,
) -> Result<TransactWriteItem, StoreError> {
    // DynamoDB refuses values the expressions do not use.
    values.retain(|name, _| update.contains(name.as_str()) || condition.contains(name.as_str()));
    let update = Update::builder()
        .table_name(store.table())
        .set_key(Some(profile_key(customer_id)))
        .update_expression(update)
        .condition_expression(condition)
        .set_expression_attribute_values(Some(values))
        .return_values_on_condition_check_failure(ReturnValuesOnConditionCheckFailure::AllOld);
    Ok(TransactWriteItem::builder()
        .update(
            update
                .build()
                .map_err(|e| StoreError::Corrupt(e.to_string()))?,
        )
        .build())
}

/// Add an address: the item and the profile's count (and defaults), at most
/// [`MAX_ADDRESSES`], in one transaction.
pub async fn create(
    store: &Store,
    customer_id: &str,
    epoch: u64,
    id: &str,
    valid: &ValidAddress,
    now: &str,
) -> Result<AddressOutcome, StoreError> {
    let item = AddressItem {
        pk: keys::customer_pk(customer_id),
        sk: keys::address_sk(id),
        kind: "address".into(),
        id: id.into(),
        address: valid.address.clone(),
        created_at: now.into(),
        updated_at: now.into(),
    };
    let mut set = vec![
        "address_count = if_not_exists(address_count, :zero) + :one".to_string(),
        "version = version + :one".to_string(),
        "updated_at = :now".to_string(),
    ];
    let mut remove = Vec::new();
    default_pointers(
        id,
        (valid.default_billing, valid.default_delivery),
        None,
        &mut set,
        &mut remove,
    );
    let values = HashMap::from([
        (":zero".to_string(), n(0)),
        (":one".to_string(), n(1)),
        (":max".to_string(), n(u64::from(MAX_ADDRESSES))),
        (":epoch".to_string(), n(epoch)),
        (":now".to_string(), s(now)),
        (":id".to_string(), s(id)),
    ]);
    let condition =
        "session_epoch = :epoch AND (attribute_not_exists(address_count) OR address_count < :max)";
    let writes = vec![
        put_item(store, &item, Some("attribute_not_exists(PK)"))?,
        profile_update(
            store,
            customer_id,
            expression(&set, &remove),
            condition,
            values,
        )?,
    ];
    match commit(store, writes, epoch, 1).await? {
        // The profile's condition failed with the session intact: the limit.
        AddressOutcome::Conflict => Ok(AddressOutcome::LimitReached),
        other => Ok(other),
    }
}

/// Replace an address, given the profile as just read (for its defaults and version).
pub async fn replace(
    store: &Store,
    profile: &ProfileItem,
    epoch: u64,
    id: &str,
    valid: &ValidAddress,
    created_at: &str,
    now: &str,
) -> Result<AddressOutcome, StoreError> {
    let item = AddressItem {
        pk: keys::customer_pk(&profile.id),
        sk: keys::address_sk(id),
        kind: "address".into(),
        id: id.into(),
        address: valid.address.clone(),
        created_at: created_at.into(),
        updated_at: now.into(),
    };
    let mut set = vec![
        "version = version + :one".to_string(),
        "updated_at = :now".to_string(),
    ];
    let mut remove = Vec::new();
    default_pointers(
        id,
        (valid.default_billing, valid.default_delivery),
        Some(profile),
        &mut set,
        &mut remove,
    );
    let values = HashMap::from([
        (":one".to_string(), n(1)),
        (":epoch".to_string(), n(epoch)),
        (":version".to_string(), n(profile.version)),
        (":now".to_string(), s(now)),
        (":id".to_string(), s(id)),
    ]);
    let writes = vec![
        put_item(store, &item, Some("attribute_exists(PK)"))?,
        profile_update(
            store,
            &profile.id,
            expression(&set, &remove),
            "session_epoch = :epoch AND version = :version",
            values,
        )?,
    ];
    commit(store, writes, epoch, 1).await
}

/// Delete an address, given the profile as just read.
pub async fn delete(
    store: &Store,
    profile: &ProfileItem,
    epoch: u64,
    id: &str,
    now: &str,
) -> Result<AddressOutcome, StoreError> {
    let delete = Delete::builder()
        .table_name(store.table())
        .key(keys::PK, s(&keys::customer_pk(&profile.id)))
        .key(keys::SK, s(&keys::address_sk(id)))
        .condition_expression("attribute_exists(PK)")
        .build()
        .map_err(|e| StoreError::Corrupt(e.to_string()))?;
    let mut set = vec![
        "address_count = address_count - :one".to_string(),
        "version = version + :one".to_string(),
        "updated_at = :now".to_string(),
    ];
    let mut remove = Vec::new();
    default_pointers(id, (false, false), Some(profile), &mut set, &mut remove);
    let values = HashMap::from([
        (":one".to_string(), n(1)),
        (":epoch".to_string(), n(epoch)),
        (":version".to_string(), n(profile.version)),
        (":now".to_string(), s(now)),
    ]);
    let writes = vec![
        TransactWriteItem::builder().delete(delete).build(),
        profile_update(
            store,
            &profile.id,
            expression(&set, &remove),
            "session_epoch = :epoch AND version = :version",
            values,
        )?,
    ];
    commit(store, writes, epoch, 1).await
}
