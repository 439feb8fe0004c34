//! Sign-in codes (`SIGNIN#<keyed hash of email>` / `SIGNIN`): one live code per email,
//! stored only as a keyed hash, with an attempt counter and a short expiry.

use super::codec::{decode_owned, n, s, text};
use super::customers::{self, ProfileItem};
use super::keys::{self, ItemKind, Key, SIGNIN_SK};
use super::outbox::OutboxItem;
use super::transact::{self, TransactError, transact_with_retry};
use super::update::{Expr, WithExpr};
use super::{Store, StoreError, is_condition_failure, unavailable};
use crate::domain::signin::{CODE_TTL_SECONDS, MAX_ATTEMPTS};
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
            kind: ItemKind::SignIn.name().into(),
            customer_id: customer_id.into(),
            code_hash,
            attempts: 0,
            expires_at: now_unix + CODE_TTL_SECONDS,
            ttl: now_unix + CODE_TTL_SECONDS,
        }
    }
}

/// Which customer an email belongs to, if any (strongly consistent).
pub async fn customer_for_email(store: &Store, email: &str) -> Result<Option<String>, StoreError> {
    let output = store
        .client()
        .get_item()
        .table_name(store.table())
        .set_key(Some(Key::email_claim(email).item()))
        .consistent_read(true)
        .send()
        .await
        .map_err(|e| unavailable(&e))?;
    Ok(output
        .item()
        .and_then(|item| text(item, "customer_id"))
        .map(str::to_owned))
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
    let mut claimed = Expr::when("customer_id = :cid");
    claimed.bind(":cid", s(customer_id.unwrap_or("(nobody)")));
    let writes = vec![
        transact::check(store, &Key::email_claim(email), &claimed)?,
        transact::put(store, &code, &Expr::new())?,
        transact::put(store, &mail, &Expr::new())?,
    ];
    match transact_with_retry(store, writes).await {
        Ok(()) => Ok(()),
        // Unregistered (or the claim just moved): nothing was written, by design.
        Err(TransactError::ConditionFailed(_)) => Ok(()),
        Err(TransactError::Store(e)) => Err(e),
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
    let key = Key::signin(email_hash).item();
    let output = store
        .client()
        .get_item()
        .table_name(store.table())
        .set_key(Some(key.clone()))
        .consistent_read(true)
        .send()
        .await
        .map_err(|e| unavailable(&e))?;
    let Some(item) = output.item else {
        return Ok(VerifyOutcome::Refused);
    };
    let stored: SignInItem = decode_owned(item)?;
    if stored.expires_at <= now_unix || stored.attempts >= MAX_ATTEMPTS {
        return Ok(VerifyOutcome::Refused);
    }

    // Both writes hold only for the code as read, while attempts remain.
    let mut e = Expr::when("code_hash = :hash AND attempts < :max");
    e.bind(":hash", s(&stored.code_hash))
        .bind(":max", n(MAX_ATTEMPTS));

    if !constant_time_eq(stored.code_hash.as_bytes(), code_hash.as_bytes()) {
        e.increment("attempts", n(1u32));
        let counted = store
            .client()
            .update_item()
            .table_name(store.table())
            .set_key(Some(key))
            .expr(&e)
            .send()
            .await;
        return match counted {
            Ok(_) => Ok(VerifyOutcome::Refused),
            Err(error) if is_condition_failure(&error) => Ok(VerifyOutcome::Refused),
            Err(error) => Err(unavailable(&error)),
        };
    }

    e.and("expires_at > :now").bind(":now", n(now_unix));
    let consumed = store
        .client()
        .delete_item()
        .table_name(store.table())
        .set_key(Some(key))
        .expr(&e)
        .send()
        .await;
    match consumed {
        Ok(_) => {}
        Err(error) if is_condition_failure(&error) => return Ok(VerifyOutcome::Refused),
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
