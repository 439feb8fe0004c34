//! Sign-in codes (`SIGNIN#<keyed hash of email>` / `SIGNIN`): one live code per email,
//! stored only as a keyed hash, with an attempt counter and a short expiry.

use super::customers::{self, ProfileItem};
use super::keys::{self, SIGNIN_SK};
use super::outbox::OutboxItem;
use super::{Store, StoreError, put_item, unavailable};
use crate::domain::signin::{CODE_TTL_SECONDS, MAX_ATTEMPTS};
use aws_sdk_dynamodb::types::{AttributeValue, ConditionCheck, TransactWriteItem};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SignInItem {
    #[serde(rename = "PK")]
    pub pk: String,
    #[serde(rename = "SK")]
    pub sk: String,
    pub kind: String,
    pub customer_id: String,
    pub code_hash: String,
    pub attempts: u32,
    /// Seconds since the Unix epoch; the code is refused from then on.
    pub expires_at: i64,
    /// DynamoDB TTL: removes dead codes.
    pub ttl: i64,
}

impl SignInItem {
    pub fn new(email_hash: &str, customer_id: &str, code_hash: String, now_unix: i64) -> Self {
        Self {
            pk: keys::signin_pk(email_hash),
            sk: SIGNIN_SK.into(),
            kind: "signin".into(),
            customer_id: customer_id.into(),
            code_hash,
            attempts: 0,
            expires_at: now_unix + CODE_TTL_SECONDS,
            ttl: now_unix + CODE_TTL_SECONDS,
        }
    }
}

fn key(pk: &str) -> [(String, AttributeValue); 2] {
    [
        (keys::PK.into(), AttributeValue::S(pk.into())),
        (keys::SK.into(), AttributeValue::S(SIGNIN_SK.into())),
    ]
}

/// Which customer an email belongs to, if any (strongly consistent).
pub async fn customer_for_email(store: &Store, email: &str) -> Result<Option<String>, StoreError> {
    let output = store
        .client()
        .get_item()
        .table_name(store.table())
        .key(keys::PK, AttributeValue::S(keys::email_pk(email)))
        .key(keys::SK, AttributeValue::S(keys::EMAIL_SK.into()))
        .consistent_read(true)
        .send()
        .await
        .map_err(|e| unavailable(&e))?;
    Ok(output
        .item()
        .and_then(|item| item.get("customer_id"))
        .and_then(|v| v.as_s().ok())
        .cloned())
}

/// Store a new code (replacing any earlier one) and its mail in one transaction, on
/// condition that the email claim still belongs to `customer_id`.
///
/// For an unregistered email the caller passes `customer_id = None`: the same
/// transaction is sent with a condition that cannot hold, so both cases cost the same
/// two round trips and nothing distinguishes them from outside.
pub async fn issue(
    store: &Store,
    email: &str,
    customer_id: Option<&str>,
    code: SignInItem,
    mail: OutboxItem,
) -> Result<(), StoreError> {
    let condition = ConditionCheck::builder()
        .table_name(store.table())
        .key(keys::PK, AttributeValue::S(keys::email_pk(email)))
        .key(keys::SK, AttributeValue::S(keys::EMAIL_SK.into()))
        .condition_expression("customer_id = :cid")
        .expression_attribute_values(
            ":cid",
            AttributeValue::S(customer_id.unwrap_or("(nobody)").into()),
        )
        .build()
        .map_err(|e| StoreError::Corrupt(e.to_string()))?;
    let writes = vec![
        TransactWriteItem::builder()
            .condition_check(condition)
            .build(),
        put_item(store, &code, None)?,
        put_item(store, &mail, None)?,
    ];
    match store
        .client()
        .transact_write_items()
        .set_transact_items(Some(writes))
        .send()
        .await
    {
        Ok(_) => Ok(()),
        // Unregistered (or the claim just moved): nothing was written, by design.
        Err(error) if super::is_condition_failure(&error) => Ok(()),
        Err(error) => Err(unavailable(&error)),
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum VerifyOutcome {
    /// The code was right and is now used up.
    SignedIn(Box<ProfileItem>),
    /// Wrong, expired, used or dead; the answer never says which.
    Refused,
}

/// Check a code for an email. A right code is consumed by a conditional delete, so
/// two concurrent uses cannot both succeed; a wrong one counts an attempt.
pub async fn verify(
    store: &Store,
    email_hash: &str,
    code_hash: &str,
    now_unix: i64,
) -> Result<VerifyOutcome, StoreError> {
    let pk = keys::signin_pk(email_hash);
    let output = store
        .client()
        .get_item()
        .table_name(store.table())
        .set_key(Some(key(&pk).into_iter().collect()))
        .consistent_read(true)
        .send()
        .await
        .map_err(|e| unavailable(&e))?;
    let Some(item) = output.item() else {
        return Ok(VerifyOutcome::Refused);
    };
    let stored: SignInItem =
        serde_dynamo::from_item(item.clone()).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    if stored.expires_at <= now_unix || stored.attempts >= MAX_ATTEMPTS {
        return Ok(VerifyOutcome::Refused);
    }

    let values = |extra: Vec<(&str, AttributeValue)>| {
        let mut v: std::collections::HashMap<String, AttributeValue> = [
            (
                ":hash".to_string(),
                AttributeValue::S(stored.code_hash.clone()),
            ),
            (
                ":max".to_string(),
                AttributeValue::N(MAX_ATTEMPTS.to_string()),
            ),
        ]
        .into_iter()
        .collect();
        v.extend(extra.into_iter().map(|(k, val)| (k.to_string(), val)));
        v
    };

    if !constant_time_eq(stored.code_hash.as_bytes(), code_hash.as_bytes()) {
        let counted = store
            .client()
            .update_item()
            .table_name(store.table())
            .set_key(Some(key(&pk).into_iter().collect()))
            .update_expression("SET attempts = attempts + :one")
            .condition_expression("code_hash = :hash AND attempts < :max")
            .set_expression_attribute_values(Some(values(vec![(
                ":one",
                AttributeValue::N("1".into()),
            )])))
            .send()
            .await;
        return match counted {
            Ok(_) => Ok(VerifyOutcome::Refused),
            Err(error) if super::is_condition_failure(&error) => Ok(VerifyOutcome::Refused),
            Err(error) => Err(unavailable(&error)),
        };
    }

    let consumed = store
        .client()
        .delete_item()
        .table_name(store.table())
        .set_key(Some(key(&pk).into_iter().collect()))
        .condition_expression("code_hash = :hash AND attempts < :max AND expires_at > :now")
        .set_expression_attribute_values(Some(values(vec![(
            ":now",
            AttributeValue::N(now_unix.to_string()),
        )])))
        .send()
        .await;
    match consumed {
        Ok(_) => {}
        Err(error) if super::is_condition_failure(&error) => return Ok(VerifyOutcome::Refused),
        Err(error) => return Err(unavailable(&error)),
    }
    match customers::get_profile(store, &stored.customer_id).await? {
        Some(profile) => Ok(VerifyOutcome::SignedIn(Box::new(profile))),
        None => Ok(VerifyOutcome::Refused),
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
