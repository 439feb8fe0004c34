//! Passwordless sign-in with mailed codes, and ending sessions.

use super::views::{SessionView, SignedInCustomer};
use super::{App, AppError, live};
use crate::domain::email::Email;
use crate::domain::session::{SESSION_TTL_SECONDS, SessionClaims};
use crate::domain::signin::{CODE_TTL_SECONDS, display_code, generate_code, normalise_code};
use crate::mail::sign_in_code_mail;
use crate::store::customers;
use crate::store::outbox::OutboxItem;
use crate::store::session::{SessionGuard, entry_expiry};
use crate::store::signin::{self, SignInItem, VerifyOutcome};

/// Purposes the server secret is used for, each its own derived key.
pub mod purpose {
    /// Table keys derived from an email (sign-in items): never the email in clear.
    pub const SIGNIN_EMAIL: &str = "signin-email";
    /// Sign-in codes at rest.
    pub const SIGNIN_CODE: &str = "signin-code";
    /// A visitor's link to their quote.
    pub const QUOTE_LINK: &str = "quote-link";
    /// The key a visitor's quotes are indexed under, from their contact email.
    pub const CONTACT_EMAIL: &str = "contact-email";
}

/// The key a visitor's quotes made with `email` are indexed under (so erasure and
/// export find them without the email ever being a key in clear).
pub(crate) fn contact_key(app: &App, email: &str) -> String {
    app.secret.keyed_hash(purpose::CONTACT_EMAIL, email)
}

fn parse_email(raw: Option<String>) -> Result<Email, AppError> {
    let raw = raw.ok_or_else(|| AppError::invalid("/email", "is required"))?;
    Email::parse(&raw).map_err(|e| AppError::invalid("/email", e))
}

/// The key of an email's sign-in item: a keyed hash, so the table never holds an
/// email-derived key in clear.
pub(crate) fn email_hash(app: &App, email: &str) -> String {
    app.secret.keyed_hash(purpose::SIGNIN_EMAIL, email)
}

pub(crate) fn code_hash(app: &App, email_hash: &str, code: &str) -> String {
    app.secret
        .keyed_hash(purpose::SIGNIN_CODE, &format!("{email_hash}:{code}"))
}

/// Mail a sign-in code. Registered or not, the caller learns nothing: the same answer
/// after the same two store round trips.
pub async fn request_code(
    app: &App,
    email: Option<String>,
    client: Option<String>,
) -> Result<(), AppError> {
    let email = parse_email(email)?;
    let hashed_email = email_hash(app, email.as_str());
    let limits = app.limits;
    app.limit(vec![
        (
            "code-email",
            Some(hashed_email.clone()),
            limits.codes_per_email,
        ),
        ("code-client", client, limits.codes_per_client),
    ])
    .await?;
    let now = app.clock.unix();
    let code = generate_code().map_err(|_| AppError::Internal("no randomness for a code"))?;
    let customer_id = signin::customer_for_email(&app.store, email.as_str()).await?;
    let item = SignInItem::new(
        &hashed_email,
        customer_id.as_deref().unwrap_or(""),
        code_hash(app, &hashed_email, &code),
        now,
    );
    let mail = OutboxItem::new(
        email.as_str(),
        customer_id.as_deref(),
        sign_in_code_mail(&display_code(&code), CODE_TTL_SECONDS / 60),
        app.clock.rfc3339(),
        now,
    );
    signin::issue(
        &app.store,
        email.as_str(),
        customer_id.as_deref(),
        item,
        mail,
    )
    .await?;
    Ok(())
}

/// A right code signs the customer in, once; for an unfinished sign-up it first
/// creates the account. Signing in ends the customer's other sessions unless
/// `keep_other_sessions` (so a session someone else holds dies when the owner signs in).
pub async fn verify_code(
    app: &App,
    email: Option<String>,
    code: Option<String>,
    keep_other_sessions: bool,
) -> Result<SignedInCustomer, AppError> {
    let email = parse_email(email)?;
    let typed = code.ok_or_else(|| AppError::invalid("/code", "is required"))?;
    let outcome = check_code(app, email.as_str(), &typed, !keep_other_sessions).await?;
    let (profile, new_account) = match outcome {
        VerifyOutcome::SignedIn(profile) => (profile, false),
        VerifyOutcome::EmailChanged(profile) => {
            tracing::info!(customer_id = %profile.id, "email changed (new address proven)");
            (profile, false)
        }
        VerifyOutcome::SignedUp(profile) => {
            tracing::info!(customer_id = %profile.id, "customer signed up (email proven)");
            (profile, true)
        }
        VerifyOutcome::Refused => return Err(AppError::SignInRefused),
    };
    Ok(SignedInCustomer {
        view: SessionView::of(&profile),
        epoch: profile.session_epoch,
        new_account,
    })
}

/// Who is signed in, if the session still holds.
pub async fn current(app: &App, session: &SessionClaims) -> Result<SessionView, AppError> {
    let profile = customers::get_profile(&app.store, &session.cid).await?;
    live(session, profile.as_ref()).map(SessionView::of)
}

/// How recent a proof of the email must be for a sensitive change (erasure).
pub const FRESH_SECONDS: i64 = 10 * 60;

/// Whether the session was started (by a mailed code) within [`FRESH_SECONDS`].
pub fn is_fresh(app: &App, session: &SessionClaims) -> bool {
    let started = session.exp - SESSION_TTL_SECONDS;
    app.clock.unix() - started <= FRESH_SECONDS
}

/// Whether `code` is a live sign-in code for `email` that belongs to `customer_id`
/// (used up if so). Codes live 10 minutes, so a right one is a fresh proof.
pub async fn proves(
    app: &App,
    email: &str,
    customer_id: &str,
    code: &str,
) -> Result<bool, AppError> {
    let outcome = check_code(app, email, code, false).await?;
    Ok(matches!(outcome, VerifyOutcome::SignedIn(profile) if profile.id == customer_id))
}

/// Check a typed code for `email`. Every check counts against the email's daily cap,
/// right or wrong, across codes (nobody gets unlimited guesses by asking for new
/// codes); a malformed code is checked and counted like any wrong one.
async fn check_code(
    app: &App,
    email: &str,
    typed: &str,
    end_other_sessions: bool,
) -> Result<VerifyOutcome, AppError> {
    let hashed_email = email_hash(app, email);
    app.limit(vec![(
        "guess-email",
        Some(hashed_email.clone()),
        app.limits.guesses_per_email,
    )])
    .await?;
    let code = normalise_code(typed).unwrap_or_else(|| typed.trim().to_ascii_uppercase());
    Ok(signin::verify(
        &app.store,
        &hashed_email,
        &code_hash(app, &hashed_email, &code),
        app.clock.unix(),
        &app.clock.rfc3339(),
        end_other_sessions,
        &|customer| super::signup::welcome_mails(app, customer),
    )
    .await?)
}

/// Sign out this session: wherever its cookie is replayed from, it is refused. A
/// session that is already gone (revoked, expired, erased) changes nothing.
pub async fn sign_out(app: &App, session: &SessionClaims) -> Result<(), AppError> {
    let Some(profile) = customers::get_profile(&app.store, &session.cid).await? else {
        return Ok(());
    };
    if live(session, Some(&profile)).is_err() {
        return Ok(());
    }
    let now = app.clock.unix();
    let expired = profile
        .revoked_sessions
        .iter()
        .filter(|entry| entry_expiry(entry).is_none_or(|exp| exp <= now))
        .cloned()
        .collect();
    customers::revoke_session(
        &app.store,
        &session.cid,
        &SessionGuard::of(session),
        expired,
    )
    .await?;
    tracing::info!(customer_id = %session.cid, session_id = %session.sid, "signed out");
    Ok(())
}

/// Sign out everywhere: bump the epoch, which every session carries.
pub async fn revoke_everywhere(app: &App, session: &SessionClaims) -> Result<(), AppError> {
    let revoked =
        customers::bump_session_epoch(&app.store, &session.cid, &SessionGuard::of(session)).await?;
    if !revoked {
        return Err(AppError::SignedOut);
    }
    tracing::info!(customer_id = %session.cid, "all sessions revoked");
    Ok(())
}
