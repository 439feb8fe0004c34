//! Reading the customer's partitions (all of them, or only the profile and
//! addresses), and changing the profile with optimistic
//! concurrency (`version`) under the session epoch.

use super::addresses::AddressItem;
use super::codec::{Item, decode, decode_owned, encode_value, n, s};
use super::customers::{ConsentEventItem, ProfileItem};
use super::keys::{self, ItemKind, Key};
use super::session::SessionGuard;
use super::update::{Expr, WithExpr};
use super::{Store, StoreError, unavailable};
use crate::domain::profile::ProfileChanges;
use crate::domain::segment::{Segment, SegmentSource};
use aws_sdk_dynamodb::error::SdkError;
use aws_sdk_dynamodb::operation::update_item::UpdateItemError;
use aws_sdk_dynamodb::types::{ReturnValue, ReturnValuesOnConditionCheckFailure};

pub type RawItem = Item;

/// Everything kept under a customer's partitions, sorted by kind.
#[derive(Debug, Clone, Default)]
pub struct CustomerRecord {
    pub profile: Option<ProfileItem>,
    pub addresses: Vec<AddressItem>,
    pub consents: Vec<ConsentEventItem>,
    /// Anything else kept under the customer (timeline, survey answers, behaviour
    /// events, later additions), raw.
    pub others: Vec<RawItem>,
    /// Every item exactly as stored (for export and erasure).
    pub raw: Vec<RawItem>,
}

/// Every item of every partition of the customer ([`keys::customer_partitions`]),
/// strongly consistent: one `Query` per partition, made at once, more pages only past
/// 1 MB. For export and erasure, which need everything; pages read
/// [`load_profile_and_addresses`]. The profile, addresses and consent entries are
/// decoded (a malformed one is `Corrupt`); anything else is kept raw.
pub async fn load(store: &Store, customer_id: &str) -> Result<CustomerRecord, StoreError> {
    let whole = |pk: &str| {
        super::query_all(
            store
                .client()
                .query()
                .table_name(store.table())
                .key_condition_expression("PK = :pk")
                .expression_attribute_values(":pk", s(pk))
                .consistent_read(true),
        )
    };
    // The partitions are independent: read at once (in this task, so the request's
    // round-trip count sees them).
    let [main, ledger, timeline, events, service] = keys::customer_partitions(customer_id);
    let (main, ledger, timeline, events, service) = tokio::try_join!(
        whole(&main),
        whole(&ledger),
        whole(&timeline),
        whole(&events),
        whole(&service)
    )?;
    let items = main
        .into_iter()
        .chain(ledger)
        .chain(timeline)
        .chain(events)
        .chain(service)
        .collect();
    record_of(items)
}

/// The profile and the addresses only, in one `Query` of a key range of the
/// customer's partition ([`keys::ME_RANGE`]): what `GET /api/me` shows, at the same
/// cost however long the customer's history (ledger, timeline, survey answers are kept
/// out of the range).
pub async fn load_profile_and_addresses(
    store: &Store,
    customer_id: &str,
) -> Result<CustomerRecord, StoreError> {
    let (from, to) = keys::ME_RANGE;
    let items: Vec<Item> = super::query_all(
        store
            .client()
            .query()
            .table_name(store.table())
            .key_condition_expression("PK = :pk AND SK BETWEEN :from AND :to")
            .expression_attribute_values(":pk", s(&keys::customer_pk(customer_id)))
            .expression_attribute_values(":from", s(from))
            .expression_attribute_values(":to", s(to))
            .consistent_read(true),
    )
    .await?;
    record_of(items)
}

fn record_of(items: Vec<Item>) -> Result<CustomerRecord, StoreError> {
    let mut record = CustomerRecord::default();
    for item in &items {
        let sk = super::codec::text(item, keys::SK).unwrap_or("");
        match ItemKind::in_customer_partition(sk) {
            Some(ItemKind::Profile) => record.profile = Some(decode(item)?),
            Some(ItemKind::Address) => record.addresses.push(decode(item)?),
            Some(ItemKind::Consent) => record.consents.push(decode(item)?),
            _ => record.others.push(item.clone()),
        }
    }
    record.raw = items;
    Ok(record)
}

/// What a conditional change of the profile came to.
#[derive(Debug, Clone, PartialEq)]
pub enum ChangeOutcome {
    Changed(Box<ProfileItem>),
    /// The `If-Match` version is not the current one.
    StaleVersion,
    /// The session was revoked, or the customer no longer exists.
    SessionRevoked,
}

/// Judge a failed condition from the item as it was (returned by DynamoDB).
fn outcome_from_old(old: Option<&RawItem>, session: &SessionGuard) -> ChangeOutcome {
    if session.holds_on(old) {
        ChangeOutcome::StaleVersion
    } else {
        ChangeOutcome::SessionRevoked
    }
}

/// The update of the profile item for `changes`, conditional on `version` and the
/// session.
fn profile_update(
    changes: &ProfileChanges,
    version: u64,
    session: &SessionGuard,
    now: &str,
) -> Result<Expr, StoreError> {
    let mut e = Expr::new();
    if let Some(email) = &changes.email {
        e.set("email", s(email.as_str()));
    }
    if let Some(name) = &changes.display_name {
        e.set("display_name", s(name));
    }
    if let Some(language) = &changes.language {
        e.set("language", encode_value(language)?);
    }
    if let Some(country) = &changes.country {
        e.set("country", s(country));
    }
    match &changes.phone {
        Some(Some(phone)) => e.set("phone", s(phone)),
        Some(None) => e.remove("phone"),
        None => &mut e,
    };
    if let Some(topics) = &changes.topics {
        e.set("topics", encode_value(topics)?);
    }
    for (channel, on) in &changes.channels {
        e.set(&format!("contact.channels.{channel}"), encode_value(on)?);
    }
    if let Some(frequency) = &changes.frequency {
        e.set("contact.frequency", encode_value(frequency)?);
    }
    match &changes.paused_until {
        Some(Some(date)) => e.set("contact.paused_until", s(date)),
        Some(None) => e.remove("contact.paused_until"),
        None => &mut e,
    };
    match &changes.buys_for {
        Some(Some(value)) => e.set(
            "buys_for",
            encode_value(&Segment {
                value: *value,
                source: SegmentSource::Stated,
                at: now.into(),
            })?,
        ),
        Some(None) => e.remove("buys_for"),
        None => &mut e,
    };
    e.set("updated_at", s(now)).increment("version", n(1u32));
    let v = e.name("version");
    let holds = session.condition(&mut e);
    e.condition(format!("{v} = :expected_version AND {holds}"))
        .bind(":expected_version", n(version));
    Ok(e)
}

/// Change the profile in one conditional `UpdateItem` (email unchanged).
pub async fn change(
    store: &Store,
    customer_id: &str,
    session: &SessionGuard,
    version: u64,
    changes: &ProfileChanges,
    now: &str,
) -> Result<ChangeOutcome, StoreError> {
    let e = profile_update(changes, version, session, now)?;
    let result = store
        .client()
        .update_item()
        .table_name(store.table())
        .set_key(Some(Key::profile(customer_id).item()))
        .expr(&e)
        .return_values(ReturnValue::AllNew)
        .return_values_on_condition_check_failure(ReturnValuesOnConditionCheckFailure::AllOld)
        .send()
        .await;
    match result {
        Ok(output) => Ok(ChangeOutcome::Changed(Box::new(decode_owned(
            output.attributes.unwrap_or_default(),
        )?))),
        Err(error) => {
            if let SdkError::ServiceError(service) = &error
                && let UpdateItemError::ConditionalCheckFailedException(failed) = service.err()
            {
                return Ok(outcome_from_old(failed.item(), session));
            }
            Err(unavailable(&error))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::profile::Frequency;
    use aws_sdk_dynamodb::types::AttributeValue;

    #[test]
    fn update_names_every_path_and_bumps_the_version() {
        let changes = ProfileChanges {
            display_name: Some("Ana".into()),
            phone: Some(None),
            channels: vec![("sms", true)],
            frequency: Some(Frequency::MonthlyDigest),
            ..Default::default()
        };
        let guard = SessionGuard {
            epoch: 1,
            entry: "9:S".into(),
        };
        let e = profile_update(&changes, 3, &guard, "now").unwrap();
        let text = e.update_text().unwrap();
        assert!(text.contains("#display_name = :v0"), "{text}");
        assert!(text.contains("#contact.#channels.#sms = :v1"), "{text}");
        assert!(text.contains("#version = #version + :v4"), "{text}");
        assert!(text.ends_with("REMOVE #phone"), "{text}");
        let values = e.values().unwrap();
        assert_eq!(values[":expected_version"], n(3u32));
        assert_eq!(values[":v1"], AttributeValue::Bool(true));
        assert_eq!(values[":v2"], s("monthly_digest"));
        assert_eq!(
            e.condition_text().unwrap(),
            "#version = :expected_version AND #session_epoch = :epoch AND NOT contains(#revoked_sessions, :session_entry)"
        );
        assert!(e.names().unwrap().contains_key("#session_epoch"));
    }

    #[test]
    fn failed_conditions_are_told_apart_by_the_old_item() {
        let old: RawItem = Item::from([("session_epoch".to_string(), n(2u32))]);
        let at = |epoch| SessionGuard {
            epoch,
            entry: "9:S".into(),
        };
        assert_eq!(
            outcome_from_old(Some(&old), &at(2)),
            ChangeOutcome::StaleVersion
        );
        assert_eq!(
            outcome_from_old(Some(&old), &at(1)),
            ChangeOutcome::SessionRevoked
        );
        assert_eq!(
            outcome_from_old(None, &at(1)),
            ChangeOutcome::SessionRevoked
        );
    }
}
