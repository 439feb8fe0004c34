//! What a code can finish besides a sign-in: a sign-up (the account is created when the
//! code proves the address) and an email change (the account moves to the proven
//! address). Both wait in the sign-in item until the code comes back.

use super::{SignInItem, VerifyOutcome};
use crate::domain::clock::Timestamp;
use crate::domain::consent::ConsentState;
use crate::domain::customer::{CustomerId, Language, NewCustomer};
use crate::domain::email::Email;
use crate::domain::signin::{CODE_TTL_SECONDS, MAX_ATTEMPTS};
use crate::mail::Mail;
use crate::store::codec::{corrupt, n, s};
use crate::store::customers;
use crate::store::keys::{Key, SIGNIN_SK};
use crate::store::outbox::OutboxItem;
use crate::store::session::REVOKED_SESSIONS;
use crate::store::transact::{self, TransactError, transact_with_retry};
use crate::store::update::Expr;
use crate::store::{Store, StoreError};
use serde::{Deserialize, Serialize};

/// An email change waiting for the code mailed to the new address.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PendingEmailChange {
    pub customer_id: String,
    pub old_email: String,
    pub new_email: String,
    /// The session epoch when the change was asked for: revoking sessions meanwhile
    /// cancels it.
    pub epoch: u64,
    /// The old address's live sign-in code, which must not work after the move.
    pub old_signin_pk: String,
    /// The notice for the old address, written when the change completes.
    pub notice: Mail,
}

/// A sign-up waiting for its code: everything the form gave, validated. No account,
/// no email claim and no consent entry exist until the code proves the address.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PendingSignUp {
    pub customer_id: String,
    pub email: String,
    pub display_name: String,
    pub language: Language,
    pub country: String,
    pub topics: Vec<String>,
    pub consents: ConsentState,
    pub policy_version: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub buys_for: Option<crate::domain::segment::BuysFor>,
}

/// How long an unfinished sign-up is kept (its code works for 10 minutes of it).
pub const PENDING_SIGN_UP_SECONDS: i64 = 24 * 60 * 60;

impl PendingSignUp {
    pub fn of(customer: &NewCustomer) -> Self {
        Self {
            customer_id: customer.id.as_str().into(),
            email: customer.email.as_str().into(),
            display_name: customer.display_name.clone(),
            language: customer.language,
            country: customer.country.clone(),
            topics: customer.topics.clone(),
            consents: customer.consents,
            policy_version: customer.policy_version.clone(),
            buys_for: customer.buys_for,
        }
    }

    /// The customer to create, as of `created_at` (when the address was proven).
    fn customer(&self, created_at: &str) -> Result<NewCustomer, StoreError> {
        Ok(NewCustomer {
            id: CustomerId::from_stored(&self.customer_id),
            email: Email::parse(&self.email).map_err(|_| corrupt("a pending sign-up's email"))?,
            display_name: self.display_name.clone(),
            language: self.language,
            country: self.country.clone(),
            topics: self.topics.clone(),
            consents: self.consents,
            policy_version: self.policy_version.clone(),
            created_at: Timestamp::parse(created_at).map_err(|_| corrupt("a sign-up's time"))?,
            buys_for: self.buys_for,
        })
    }
}

/// Start a sign-up for an email with no account: store the code with the sign-up
/// (replacing an earlier unfinished one) and its mail, on condition that no account
/// has the email. Returns false when one does (nothing written).
pub async fn start_sign_up(
    store: &Store,
    email: &str,
    code: SignInItem,
    mail: OutboxItem,
) -> Result<bool, StoreError> {
    let writes = vec![
        transact::check(
            store,
            &Key::email_claim(email),
            &Expr::when("attribute_not_exists(PK)"),
        )?,
        transact::put(store, &code, &Expr::new())?,
        transact::put(store, &mail, &Expr::new())?,
    ];
    match transact_with_retry(store, writes).await {
        Ok(()) => Ok(true),
        Err(TransactError::ConditionFailed(_)) => Ok(false),
        Err(TransactError::Store(e)) => Err(e),
    }
}

/// Mail the owner of a registered email, on condition that the email is still
/// `customer_id`'s (the same shape and cost as [`start_sign_up`]).
pub async fn mail_owner(
    store: &Store,
    email: &str,
    customer_id: &str,
    mail: OutboxItem,
) -> Result<(), StoreError> {
    let mut claimed = Expr::when("customer_id = :cid");
    claimed.bind(":cid", s(customer_id));
    let writes = vec![
        transact::check(store, &Key::email_claim(email), &claimed)?,
        transact::put(store, &mail, &Expr::new())?,
    ];
    match transact_with_retry(store, writes).await {
        Ok(()) | Err(TransactError::ConditionFailed(_)) => Ok(()),
        Err(TransactError::Store(e)) => Err(e),
    }
}

/// Start moving an account to `new_email`: store the code (with the change) and its
/// mail to the new address, on condition that no account has that address. When one
/// does nothing is written, and the caller cannot tell (the same answer either way).
pub async fn start_email_change(
    store: &Store,
    new_email: &str,
    code: SignInItem,
    mail: OutboxItem,
) -> Result<(), StoreError> {
    start_sign_up(store, new_email, code, mail)
        .await
        .map(|_| ())
}

/// Move the account to the proven address in one transaction: spend the code, change
/// the profile's email (only if the session epoch and the old email are as they were
/// when the change was asked for), release the old claim, take the new one, kill the
/// old address's sign-in code, and tell the old address.
pub(super) async fn finish_email_change(
    store: &Store,
    stored: &SignInItem,
    change: &PendingEmailChange,
    code_ok: &Expr,
    now: &str,
    end_other_sessions: bool,
) -> Result<VerifyOutcome, StoreError> {
    let spent = SignInItem {
        code_hash: String::new(),
        attempts: MAX_ATTEMPTS,
        email_change: None,
        ..stored.clone()
    };
    let mut profile = Expr::new();
    profile
        .set("email", s(&change.new_email))
        .set("updated_at", s(now))
        .increment("version", n(1u32))
        // Links mailed to the old address stop working.
        .add(customers::LINK_EPOCH, n(1u32));
    if end_other_sessions {
        profile
            .increment("session_epoch", n(1u32))
            .remove(REVOKED_SESSIONS);
    }
    let (epoch, email) = (profile.name("session_epoch"), profile.name("email"));
    profile
        .condition(format!("{epoch} = :epoch AND {email} = :old"))
        .bind(":epoch", n(change.epoch))
        .bind(":old", s(&change.old_email));
    let mut old_claim = Expr::when("customer_id = :cid");
    old_claim.bind(":cid", s(&change.customer_id));
    let new_claim = customers::EmailClaimItem::new(&change.new_email, &change.customer_id);
    let notice = OutboxItem::new(
        &change.old_email,
        Some(&change.customer_id),
        change.notice.clone(),
        now.to_string(),
        stored.expires_at - CODE_TTL_SECONDS,
    );
    let writes = vec![
        transact::put(store, &spent, code_ok)?,
        transact::update(store, &Key::profile(&change.customer_id), &profile, false)?,
        transact::delete(store, &Key::email_claim(&change.old_email), &old_claim)?,
        transact::put_new(store, &new_claim)?,
        transact::delete(
            store,
            &Key::new(&change.old_signin_pk, SIGNIN_SK),
            &Expr::new(),
        )?,
        transact::put(store, &notice, &Expr::new())?,
    ];
    match transact_with_retry(store, writes).await {
        Ok(()) => {}
        // Used meanwhile, sessions revoked, or the address taken meanwhile: refused.
        Err(TransactError::ConditionFailed(_)) => return Ok(VerifyOutcome::Refused),
        Err(TransactError::Store(e)) => return Err(e),
    }
    match customers::get_profile(store, &change.customer_id).await? {
        Some(profile) => Ok(VerifyOutcome::EmailChanged(Box::new(profile))),
        None => Ok(VerifyOutcome::Refused),
    }
}

/// Create the account of a proven sign-up and use up its code, in one transaction:
/// the code's condition (`code_ok`) and the new email claim's must both hold.
pub(super) async fn finish_sign_up(
    store: &Store,
    stored: &SignInItem,
    signup: &PendingSignUp,
    code_ok: &Expr,
    now: &str,
    mails: &super::SignUpMails<'_>,
) -> Result<VerifyOutcome, StoreError> {
    let customer = signup.customer(now)?;
    // The used code stays until its TTL, spent, so a replay finds nothing to use.
    let spent = SignInItem {
        code_hash: String::new(),
        attempts: MAX_ATTEMPTS,
        signup: None,
        ..stored.clone()
    };
    let mut writes = vec![transact::put(store, &spent, code_ok)?];
    writes.extend(customers::writes_for(store, &customer)?);
    for mail in mails(&customer) {
        writes.push(transact::put(store, &mail, &Expr::new())?);
    }
    match transact_with_retry(store, writes).await {
        Ok(()) => {}
        // Used meanwhile, or the email was registered meanwhile: refused alike.
        Err(TransactError::ConditionFailed(_)) => return Ok(VerifyOutcome::Refused),
        Err(TransactError::Store(e)) => return Err(e),
    }
    match customers::get_profile(store, customer.id.as_str()).await? {
        Some(profile) => Ok(VerifyOutcome::SignedUp(Box::new(profile))),
        None => Err(corrupt("a new customer's profile is missing")),
    }
}
