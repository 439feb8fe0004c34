//! What only staff write: audit entries for reads, and their sign-in codes.
//!
//! Staff sign in with the customers' flow (a mailed single-use code, stored only as a
//! keyed hash, 10 minutes, 5 tries) but their codes are keyed by a hash of the email
//! under a purpose of their own, so a staff code never signs anyone in as a customer
//! and a customer code never opens the staff inbox.

use super::AuditItem;
use crate::domain::signin::{CODE_TTL_SECONDS, MAX_ATTEMPTS};
use crate::store::codec::{decode_owned, n, s};
use crate::store::keys::{ItemKind, Key, SIGNIN_SK};
use crate::store::outbox::OutboxItem;
use crate::store::transact::{self, TransactError, transact_with_retry};
use crate::store::update::{Expr, WithExpr};
use crate::store::{Store, StoreError, is_condition_failure, unavailable};
use serde::{Deserialize, Serialize};
use subtle::ConstantTimeEq;

/// Append one audit entry (a staff read): a Put that never overwrites, in a
/// transaction so the customer's timeline gets its entry with it (see
/// `timeline::with_timeline_entries`).
pub async fn append_audit(store: &Store, entry: &AuditItem) -> Result<(), StoreError> {
    match transact_with_retry(store, vec![transact::put_new(store, entry)?]).await {
        Ok(()) => Ok(()),
        Err(TransactError::ConditionFailed(_)) => Err(StoreError::Unavailable(
            "an audit entry with this id already exists".into(),
        )),
        Err(TransactError::Store(e)) => Err(e),
    }
}

/// A staff member's live sign-in code (`SIGNIN#<staff email key>` / `SIGNIN`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StaffCode {
    #[serde(rename = "PK")]
    pub pk: String,
    #[serde(rename = "SK")]
    pub sk: String,
    pub kind: String,
    pub code_hash: String,
    pub attempts: u32,
    pub expires_at: i64,
    pub ttl: i64,
}

impl StaffCode {
    pub fn new(email_key: &str, code_hash: String, now_unix: i64) -> Self {
        Self {
            pk: crate::store::keys::signin_pk(email_key),
            sk: SIGNIN_SK.into(),
            kind: ItemKind::SignIn.name().into(),
            code_hash,
            attempts: 0,
            expires_at: now_unix + CODE_TTL_SECONDS,
            ttl: now_unix + CODE_TTL_SECONDS,
        }
    }
}

/// Store a new code (replacing any earlier one) and its mail, in one transaction.
pub async fn issue_staff_code(
    store: &Store,
    code: &StaffCode,
    mail: &OutboxItem,
) -> Result<(), StoreError> {
    let writes = vec![
        transact::put(store, code, &Expr::new())?,
        transact::put(store, mail, &Expr::new())?,
    ];
    match transact_with_retry(store, writes).await {
        Ok(()) => Ok(()),
        Err(TransactError::ConditionFailed(_)) => {
            Err(StoreError::Unavailable("staff code write refused".into()))
        }
        Err(TransactError::Store(e)) => Err(e),
    }
}

/// Whether `code_hash` is the live code for `email_key`: a right one is consumed by a
/// conditional delete (used once); a wrong one counts an attempt.
pub async fn consume_staff_code(
    store: &Store,
    email_key: &str,
    code_hash: &str,
    now_unix: i64,
) -> Result<bool, StoreError> {
    let key = Key::signin(email_key);
    let stored: Option<StaffCode> = crate::store::get_item(store, &key)
        .await?
        .map(decode_owned)
        .transpose()?;
    let Some(stored) = stored.filter(|c| c.expires_at > now_unix && c.attempts < MAX_ATTEMPTS)
    else {
        return Ok(false);
    };
    let right: bool = stored
        .code_hash
        .as_bytes()
        .ct_eq(code_hash.as_bytes())
        .into();
    let mut e = Expr::when("code_hash = :hash AND attempts < :max");
    e.bind(":hash", s(&stored.code_hash))
        .bind(":max", n(MAX_ATTEMPTS));
    if !right {
        e.increment("attempts", n(1u32));
        let counted = store
            .client()
            .update_item()
            .table_name(store.table())
            .set_key(Some(key.item()))
            .expr(&e)
            .send()
            .await;
        return match counted {
            Ok(_) => Ok(false),
            Err(error) if is_condition_failure(&error) => Ok(false),
            Err(error) => Err(unavailable(&error)),
        };
    }
    let consumed = store
        .client()
        .delete_item()
        .table_name(store.table())
        .set_key(Some(key.item()))
        .expr(&e)
        .send()
        .await;
    match consumed {
        Ok(_) => Ok(true),
        Err(error) if is_condition_failure(&error) => Ok(false),
        Err(error) => Err(unavailable(&error)),
    }
}
