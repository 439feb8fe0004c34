//! Reading the whole customer partition in one `Query`, and changing the profile with
//! optimistic concurrency (`version`) under the session epoch.

use super::customers::{ConsentEventItem, ProfileItem};
use super::keys::{self, ADDRESS_PREFIX, CONSENT_PREFIX, EMAIL_SK, PROFILE_SK};
use super::{Store, StoreError, unavailable};
use crate::domain::profile::ProfileChanges;
use crate::store::addresses::AddressItem;
use aws_sdk_dynamodb::error::SdkError;
use aws_sdk_dynamodb::operation::update_item::UpdateItemError;
use aws_sdk_dynamodb::types::{
    AttributeValue, Delete, Put, ReturnValue, ReturnValuesOnConditionCheckFailure,
    TransactWriteItem, Update,
};
use std::collections::HashMap;

pub type RawItem = HashMap<String, AttributeValue>;

/// Everything in a customer's partition, sorted by kind.
#[derive(Debug, Clone, Default)]
pub struct CustomerRecord {
    pub profile: Option<ProfileItem>,
    pub addresses: Vec<AddressItem>,
    pub consents: Vec<ConsentEventItem>,
    /// Anything else kept under the customer (behaviour events, later additions), raw.
    pub others: Vec<RawItem>,
    /// Every item exactly as stored (for export).
    pub raw: Vec<RawItem>,
}

fn decode<T: serde::de::DeserializeOwned>(item: &RawItem) -> Result<T, StoreError> {
    serde_dynamo::from_item(item.clone()).map_err(|e| StoreError::Corrupt(e.to_string()))
}

/// Every item under `CUSTOMER#<id>`: one strongly consistent `Query` (more pages only
/// past 1 MB).
pub async fn load(store: &Store, customer_id: &str) -> Result<CustomerRecord, StoreError> {
    let mut record = CustomerRecord::default();
    let mut start: Option<RawItem> = None;
    loop {
        let page = store
            .client()
            .query()
            .table_name(store.table())
            .key_condition_expression("PK = :pk")
            .expression_attribute_values(":pk", AttributeValue::S(keys::customer_pk(customer_id)))
            .consistent_read(true)
            .set_exclusive_start_key(start.take())
            .send()
            .await
            .map_err(|e| unavailable(&e))?;
        for item in page.items() {
            let sk = item
                .get(keys::SK)
                .and_then(|v| v.as_s().ok())
                .map(String::as_str)
                .unwrap_or("");
            if sk == PROFILE_SK {
                record.profile = Some(decode(item)?);
            } else if sk.starts_with(ADDRESS_PREFIX) {
                record.addresses.push(decode(item)?);
            } else if sk.starts_with(CONSENT_PREFIX) {
                record.consents.push(decode(item)?);
            } else {
                record.others.push(item.clone());
            }
            record.raw.push(item.clone());
        }
        match page.last_evaluated_key() {
            Some(key) if !key.is_empty() => start = Some(key.clone()),
            _ => return Ok(record),
        }
    }
}

/// What a conditional change of the profile came to.
#[derive(Debug, Clone, PartialEq)]
pub enum ChangeOutcome {
    Changed(Box<ProfileItem>),
    /// The `If-Match` version is not the current one.
    StaleVersion,
    /// The session was revoked, or the customer no longer exists.
    SessionRevoked,
    EmailTaken,
}

/// Judge a failed condition from the item as it was (returned by DynamoDB).
fn outcome_from_old(old: Option<&RawItem>, epoch: u64) -> ChangeOutcome {
    match super::epoch_seen(old) {
        Some(current) if current == epoch => ChangeOutcome::StaleVersion,
        _ => ChangeOutcome::SessionRevoked,
    }
}

struct Expression {
    set: Vec<String>,
    remove: Vec<String>,
    names: HashMap<String, String>,
    values: HashMap<String, AttributeValue>,
}

impl Expression {
    fn new() -> Self {
        Self {
            set: Vec::new(),
            remove: Vec::new(),
            names: HashMap::new(),
            values: HashMap::new(),
        }
    }

    fn name(&mut self, name: &str) -> String {
        let placeholder = format!("#{name}");
        self.names.insert(placeholder.clone(), name.to_string());
        placeholder
    }

    fn set(&mut self, path: &[&str], value: AttributeValue) {
        let path: Vec<String> = path.iter().map(|p| self.name(p)).collect();
        let placeholder = format!(":v{}", self.values.len());
        self.values.insert(placeholder.clone(), value);
        self.set.push(format!("{} = {placeholder}", path.join(".")));
    }

    fn remove(&mut self, path: &[&str]) {
        let path: Vec<String> = path.iter().map(|p| self.name(p)).collect();
        self.remove.push(path.join("."));
    }

    fn text(&self) -> String {
        let mut parts = vec![format!("SET {}", self.set.join(", "))];
        if !self.remove.is_empty() {
            parts.push(format!("REMOVE {}", self.remove.join(", ")));
        }
        parts.join(" ")
    }
}

fn s(value: &str) -> AttributeValue {
    AttributeValue::S(value.to_string())
}

fn n(value: u64) -> AttributeValue {
    AttributeValue::N(value.to_string())
}

/// The update of the profile item for `changes`, conditional on `version` and `epoch`.
fn profile_update(
    changes: &ProfileChanges,
    version: u64,
    epoch: u64,
    now: &str,
) -> Result<Expression, StoreError> {
    let mut e = Expression::new();
    if let Some(email) = &changes.email {
        e.set(&["email"], s(email.as_str()));
    }
    if let Some(name) = &changes.display_name {
        e.set(&["display_name"], s(name));
    }
    if let Some(language) = &changes.language {
        e.set(&["language"], attribute(language)?);
    }
    if let Some(country) = &changes.country {
        e.set(&["country"], s(country));
    }
    match &changes.phone {
        Some(Some(phone)) => e.set(&["phone"], s(phone)),
        Some(None) => e.remove(&["phone"]),
        None => {}
    }
    if let Some(topics) = &changes.topics {
        e.set(
            &["topics"],
            AttributeValue::L(topics.iter().map(|t| s(t)).collect()),
        );
    }
    for (channel, on) in &changes.channels {
        e.set(&["contact", "channels", channel], AttributeValue::Bool(*on));
    }
    if let Some(frequency) = &changes.frequency {
        e.set(&["contact", "frequency"], attribute(frequency)?);
    }
    match &changes.paused_until {
        Some(Some(date)) => e.set(&["contact", "paused_until"], s(date)),
        Some(None) => e.remove(&["contact", "paused_until"]),
        None => {}
    }
    e.set(&["updated_at"], s(now));
    let v = e.name("version");
    e.set.push(format!("{v} = {v} + :one"));
    e.values.insert(":one".into(), n(1));
    e.values.insert(":expected_version".into(), n(version));
    e.values.insert(":epoch".into(), n(epoch));
    e.name("session_epoch");
    Ok(e)
}

const PROFILE_CONDITION: &str = "#version = :expected_version AND #session_epoch = :epoch";

fn profile_key(customer_id: &str) -> RawItem {
    HashMap::from([
        (keys::PK.to_string(), s(&keys::customer_pk(customer_id))),
        (keys::SK.to_string(), s(PROFILE_SK)),
    ])
}

/// A value serialised the way the item serialiser does (small enums).
fn attribute<T: serde::Serialize>(value: &T) -> Result<AttributeValue, StoreError> {
    serde_dynamo::to_attribute_value(value).map_err(|e| StoreError::Corrupt(e.to_string()))
}

/// Change the profile in one conditional `UpdateItem` (email unchanged).
pub async fn change(
    store: &Store,
    customer_id: &str,
    epoch: u64,
    version: u64,
    changes: &ProfileChanges,
    now: &str,
) -> Result<ChangeOutcome, StoreError> {
    let e = profile_update(changes, version, epoch, now)?;
    let result = store
        .client()
        .update_item()
        .table_name(store.table())
        .set_key(Some(profile_key(customer_id)))
        .update_expression(e.text())
        .condition_expression(PROFILE_CONDITION)
        .set_expression_attribute_names(Some(e.names))
        .set_expression_attribute_values(Some(e.values))
        .return_values(ReturnValue::AllNew)
        .return_values_on_condition_check_failure(ReturnValuesOnConditionCheckFailure::AllOld)
        .send()
        .await;
    match result {
        Ok(output) => {
            let item = output.attributes().cloned().unwrap_or_default();
            Ok(ChangeOutcome::Changed(Box::new(decode(&item)?)))
        }
        Err(SdkError::ServiceError(service))
            if matches!(
                service.err(),
                UpdateItemError::ConditionalCheckFailedException(_)
            ) =>
        {
            let old = match service.err() {
                UpdateItemError::ConditionalCheckFailedException(c) => c.item().cloned(),
                _ => None,
            };
            Ok(outcome_from_old(old.as_ref(), epoch))
        }
        Err(error) => Err(unavailable(&error)),
    }
}

/// Change the profile and move the email claim, in one `TransactWriteItems`: the new
/// address is claimed (it must be free) and the old claim released.
pub async fn change_with_email(
    store: &Store,
    customer_id: &str,
    old_email: &str,
    epoch: u64,
    version: u64,
    changes: &ProfileChanges,
    now: &str,
) -> Result<ChangeOutcome, StoreError> {
    let Some(new_email) = &changes.email else {
        return change(store, customer_id, epoch, version, changes, now).await;
    };
    let e = profile_update(changes, version, epoch, now)?;
    let update = Update::builder()
        .table_name(store.table())
        .set_key(Some(profile_key(customer_id)))
        .update_expression(e.text())
        .condition_expression(PROFILE_CONDITION)
        .set_expression_attribute_names(Some(e.names))
        .set_expression_attribute_values(Some(e.values))
        .return_values_on_condition_check_failure(ReturnValuesOnConditionCheckFailure::AllOld)
        .build()
        .map_err(|e| StoreError::Corrupt(e.to_string()))?;
    let release = Delete::builder()
        .table_name(store.table())
        .key(keys::PK, s(&keys::email_pk(old_email)))
        .key(keys::SK, s(EMAIL_SK))
        .condition_expression("customer_id = :cid")
        .expression_attribute_values(":cid", s(customer_id))
        .build()
        .map_err(|e| StoreError::Corrupt(e.to_string()))?;
    let claim = Put::builder()
        .table_name(store.table())
        .item(keys::PK, s(&keys::email_pk(new_email.as_str())))
        .item(keys::SK, s(EMAIL_SK))
        .item("kind", s("email_claim"))
        .item("customer_id", s(customer_id))
        .condition_expression("attribute_not_exists(PK)")
        .build()
        .map_err(|e| StoreError::Corrupt(e.to_string()))?;
    let writes = vec![
        TransactWriteItem::builder().update(update).build(),
        TransactWriteItem::builder().delete(release).build(),
        TransactWriteItem::builder().put(claim).build(),
    ];
    let result = store
        .client()
        .transact_write_items()
        .set_transact_items(Some(writes))
        .send()
        .await;
    match result {
        Ok(_) => {}
        Err(error) => {
            let Some(reasons) = super::cancellation_reasons(&error) else {
                return Err(unavailable(&error));
            };
            let failed =
                |i: usize| reasons.get(i).and_then(|r| r.code()) == Some("ConditionalCheckFailed");
            if failed(0) {
                return Ok(outcome_from_old(reasons[0].item(), epoch));
            }
            if failed(2) {
                return Ok(ChangeOutcome::EmailTaken);
            }
            return Err(StoreError::Unavailable(
                "email change conflicted; nothing was changed".into(),
            ));
        }
    }
    match super::customers::get_profile(store, customer_id).await? {
        Some(profile) => Ok(ChangeOutcome::Changed(Box::new(profile))),
        None => Ok(ChangeOutcome::SessionRevoked),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::profile::Frequency;

    #[test]
    fn update_names_every_path_and_bumps_the_version() {
        let changes = ProfileChanges {
            display_name: Some("Ana".into()),
            phone: Some(None),
            channels: vec![("sms", true)],
            frequency: Some(Frequency::MonthlyDigest),
            ..Default::default()
        };
        let e = profile_update(&changes, 3, 1, "now").unwrap();
        let text = e.text();
        assert!(text.contains("#display_name = :v0"), "{text}");
        assert!(text.contains("#contact.#channels.#sms = :v1"), "{text}");
        assert!(text.contains("#version = #version + :one"), "{text}");
        assert!(text.ends_with("REMOVE #phone"), "{text}");
        assert_eq!(e.values[":expected_version"], n(3));
        assert_eq!(e.values[":v2"], s("monthly_digest"));
        assert!(e.names.contains_key("#session_epoch"));
    }

    #[test]
    fn failed_conditions_are_told_apart_by_the_old_item() {
        let old: RawItem = HashMap::from([("session_epoch".to_string(), n(2))]);
        assert_eq!(outcome_from_old(Some(&old), 2), ChangeOutcome::StaleVersion);
        assert_eq!(
            outcome_from_old(Some(&old), 1),
            ChangeOutcome::SessionRevoked
        );
        assert_eq!(outcome_from_old(None, 1), ChangeOutcome::SessionRevoked);
    }
}
