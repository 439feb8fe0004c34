//! Sign-in codes (`SIGNIN#<keyed hash of email>` / `SIGNIN`): one live code per email,
//! stored only as a keyed hash, with an attempt counter and a short expiry. A code may
//! also finish a sign-up or an email change (`pending`).

use super::codec::{decode_owned, n, s, text};
use super::customers::{self, ProfileItem};
use super::keys::{self, ItemKind, Key, SIGNIN_SK};
use super::outbox::OutboxItem;
use super::timeline::{self, SIGN_IN_TTL_SECONDS, TimelineEntry, what};
use super::transact::{self, TransactError, transact_with_retry};
use super::update::{Expr, WithExpr};
use super::{Store, StoreError, is_condition_failure, unavailable};
use crate::domain::customer::NewCustomer;
use crate::domain::signin::{CODE_TTL_SECONDS, MAX_ATTEMPTS};
use serde::{Deserialize, Serialize};
use subtle::ConstantTimeEq;

mod pending;
pub use pending::{
    PENDING_SIGN_UP_SECONDS, PendingEmailChange, PendingSignUp, mail_owner, start_email_change,
    start_sign_up,
};
use pending::{finish_email_change, finish_sign_up};

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
    /// DynamoDB TTL: removes dead codes (and unfinished sign-ups after a day).
    pub ttl: i64,
    /// The code this one replaced, still good until its own expiry: asking for a new
    /// code never kills the one a person is about to type (nobody can lock a person out
    /// by asking for codes in their name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous_code_hash: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous_expires_at: Option<i64>,
    /// For an email with no account: the sign-up this code finishes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signup: Option<PendingSignUp>,
    /// For an address a customer asked to move their account to: the change this code
    /// finishes (the code went to the new address, so it proves the customer reads it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_change: Option<PendingEmailChange>,
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
            previous_code_hash: None,
            previous_expires_at: None,
            signup: None,
            email_change: None,
        }
    }

    /// A code, mailed to the new address, that finishes moving an account there.
    pub fn for_email_change(
        new_email_hash: &str,
        change: PendingEmailChange,
        code_hash: String,
        now_unix: i64,
    ) -> Self {
        Self {
            email_change: Some(change),
            ..Self::new(new_email_hash, "", code_hash, now_unix)
        }
    }

    /// A code that finishes `signup`; kept a day so a late code is refused, not lost.
    pub fn for_sign_up(
        email_hash: &str,
        signup: PendingSignUp,
        code_hash: String,
        now_unix: i64,
    ) -> Self {
        Self {
            ttl: now_unix + PENDING_SIGN_UP_SECONDS,
            signup: Some(signup),
            ..Self::new(email_hash, "", code_hash, now_unix)
        }
    }
}

/// Which customer an email belongs to, if any (strongly consistent).
pub async fn customer_for_email(store: &Store, email: &str) -> Result<Option<String>, StoreError> {
    let claim = super::get_item(store, &Key::email_claim(email)).await?;
    Ok(claim
        .as_ref()
        .and_then(|item| text(item, "customer_id"))
        .map(str::to_owned))
}

/// Store a new code (keeping the one it replaces as the previous code) and its mail in
/// one transaction, on
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
    // The new code goes in beside the one it replaces (kept as `previous_*`).
    let mut replace = Expr::new();
    let (old_code, old_expiry) = (replace.name("code_hash"), replace.name("expires_at"));
    replace
        .set_to(
            "previous_code_hash",
            &format!("if_not_exists({old_code}, :no_code)"),
        )
        .set_to(
            "previous_expires_at",
            &format!("if_not_exists({old_expiry}, :no_expiry)"),
        )
        .bind(":no_code", s(""))
        .bind(":no_expiry", n(0u32))
        .set("code_hash", s(&code.code_hash))
        .set("expires_at", n(code.expires_at))
        .set("ttl", n(code.ttl))
        .set("attempts", n(0u32))
        .set("customer_id", s(&code.customer_id))
        .set("kind", s(&code.kind))
        .remove("signup")
        .remove("email_change");
    let writes = vec![
        transact::check(store, &Key::email_claim(email), &claimed)?,
        transact::update(store, &Key::new(&code.pk, &code.sk), &replace, false)?,
        transact::put(store, &mail, &Expr::new())?,
    ];
    match transact_with_retry(store, writes).await {
        Ok(()) => Ok(()),
        // Unregistered (or the claim just moved): nothing was written, by design.
        Err(TransactError::ConditionFailed(_)) => Ok(()),
        Err(TransactError::Store(e)) => Err(e),
    }
}

/// The mail a finished sign-up sends (welcome, opt-in confirmation), made from the new
/// customer and written in the account's own transaction.
pub type SignUpMails<'a> = dyn Fn(&NewCustomer) -> Vec<OutboxItem> + Send + Sync + 'a;

#[derive(Debug, Clone, PartialEq)]
pub enum VerifyOutcome {
    /// The code was right and is now used up.
    SignedIn(Box<ProfileItem>),
    /// The code was right and finished a sign-up: the account exists from now on.
    SignedUp(Box<ProfileItem>),
    /// The code was right and moved the account to the address it was mailed to.
    EmailChanged(Box<ProfileItem>),
    /// Wrong, expired, used or dead; the answer never says which.
    Refused,
}

/// Check a code for an email. A right code is consumed by a conditional delete, so
/// two concurrent uses cannot both succeed; a wrong one counts an attempt. With
/// `end_other_sessions`, signing in ends every earlier session of the customer.
pub async fn verify(
    store: &Store,
    email_hash: &str,
    code_hash: &str,
    now_unix: i64,
    now: &str,
    end_other_sessions: bool,
    sign_up_mails: &SignUpMails<'_>,
) -> Result<VerifyOutcome, StoreError> {
    let key = Key::signin(email_hash).item();
    let found = super::get_item(store, &Key::signin(email_hash)).await?;
    // Every refusal costs the same two round trips (this read, then a counted attempt
    // that may find nothing to count), so an answer's timing does not tell a
    // registered email from an unregistered one.
    let stored: Option<SignInItem> = found.map(decode_owned).transpose()?;
    let live = stored
        .as_ref()
        .filter(|c| c.expires_at > now_unix && c.attempts < MAX_ATTEMPTS);
    let right = live.is_some_and(|c| {
        let current = constant_time_eq(c.code_hash.as_bytes(), code_hash.as_bytes());
        let previous = c.previous_expires_at.is_some_and(|at| at > now_unix)
            && c.previous_code_hash.as_deref().is_some_and(|h| {
                !h.is_empty() && constant_time_eq(h.as_bytes(), code_hash.as_bytes())
            });
        current | previous
    });
    // Both writes hold only for the code as read, while attempts remain.
    let mut e = Expr::when("code_hash = :hash AND attempts < :max");
    e.bind(
        ":hash",
        s(stored.as_ref().map_or("-", |c| c.code_hash.as_str())),
    )
    .bind(":max", n(MAX_ATTEMPTS));
    let (Some(stored), true) = (live.cloned(), right) else {
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
    };

    e.and("expires_at > :now").bind(":now", n(now_unix));
    if let (true, Some(signup)) = (stored.customer_id.is_empty(), &stored.signup) {
        return finish_sign_up(store, &stored, signup, &e, now, sign_up_mails).await;
    }
    if let Some(change) = &stored.email_change {
        return finish_email_change(store, &stored, change, &e, now, end_other_sessions).await;
    }
    // The code is used up and the sign-in goes on the customer's timeline (kept
    // [`SIGN_IN_TTL_SECONDS`]) in one transaction.
    let signed_in = TimelineEntry::new(&stored.customer_id, now, what::SIGNED_IN)
        .expiring_at(now_unix + SIGN_IN_TTL_SECONDS);
    let writes = vec![
        transact::delete(store, &Key::signin(email_hash), &e)?,
        timeline::write(store, &signed_in)?,
    ];
    match transact_with_retry(store, writes).await {
        Ok(()) => {}
        Err(TransactError::ConditionFailed(_)) => return Ok(VerifyOutcome::Refused),
        Err(TransactError::Store(error)) => return Err(error),
    }
    // Ending the customer's other sessions costs nothing extra: the epoch bump answers
    // the profile, as the read would.
    let profile = if end_other_sessions {
        customers::start_new_epoch(store, &stored.customer_id).await?
    } else {
        customers::get_profile(store, &stored.customer_id).await?
    };
    match profile {
        Some(profile) => Ok(VerifyOutcome::SignedIn(Box::new(profile))),
        None => Ok(VerifyOutcome::Refused),
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.ct_eq(b).into()
}
