//! Sign-up that proves the email first: the form is validated and a code is mailed to
//! the address; the account (profile, email claim, consent ledger) is created only when
//! that code is typed back (`sessions::verify_code`). Nobody can create or pre-hijack
//! an account for an address they do not read.
//!
//! The answer is the same for a new, an unfinished and a registered email; the owner
//! of a registered one is told by mail instead.

use super::email_links::{Holder, confirm_link, preference_link};
use super::sessions::{code_hash, email_hash};
use super::{App, AppError};
use crate::domain::customer::{CustomerId, NewCustomer, SignUpRequest, validate_sign_up};
use crate::domain::signin::{CODE_TTL_SECONDS, display_code, generate_code};
use crate::mail;
use crate::mail::{sign_up_attempt_mail, sign_up_code_mail};
use crate::site_config;
use crate::store::outbox::OutboxItem;
use crate::store::signin::{self, PendingSignUp, SignInItem};

/// Validate a sign-up and mail its code (or, for a registered email, a warning to its
/// owner). Two round trips whichever case it is.
pub async fn sign_up(
    app: &App,
    request: SignUpRequest,
    client: Option<String>,
) -> Result<(), AppError> {
    let customer = validate_sign_up(
        request,
        site_config::facts(),
        CustomerId::generate(),
        app.clock.timestamp(),
    )
    .map_err(AppError::Invalid)?;
    let email = customer.email.as_str();
    let hashed_email = email_hash(app, email);
    let limits = app.limits;
    app.limit(vec![
        ("signup-client", client, limits.signups_per_client),
        (
            "code-email",
            Some(hashed_email.clone()),
            limits.codes_per_email,
        ),
    ])
    .await?;
    let now = app.clock.unix();
    // Generated and hashed in every case, so every case takes the same work.
    let code = generate_code().map_err(|_| AppError::Internal("no randomness for a code"))?;
    let hashed_code = code_hash(app, &hashed_email, &code);
    match signin::customer_for_email(&app.store, email).await? {
        Some(owner) => {
            let mail = OutboxItem::new(
                email,
                Some(&owner),
                sign_up_attempt_mail(),
                app.clock.rfc3339(),
                now,
            );
            signin::mail_owner(&app.store, email, &owner, mail).await?;
        }
        None => {
            let item = SignInItem::for_sign_up(
                &hashed_email,
                PendingSignUp::of(&customer),
                hashed_code,
                now,
            );
            let mail = OutboxItem::new(
                email,
                None,
                sign_up_code_mail(&display_code(&code), CODE_TTL_SECONDS / 60),
                app.clock.rfc3339(),
                now,
            );
            signin::start_sign_up(&app.store, email, item, mail).await?;
        }
    }
    tracing::info!("sign-up requested");
    Ok(())
}

/// The mail a finished sign-up sends, in the account's own transaction: the welcome,
/// and for marketing email asked for, the link that confirms it (pending until then).
pub(crate) fn welcome_mails(app: &App, customer: &NewCustomer) -> Vec<OutboxItem> {
    let created_at = customer.created_at.to_string();
    let holder = Holder {
        id: customer.id.as_str(),
        epoch: 0,
        language: customer.language,
    };
    let preferences = preference_link(app, holder);
    let welcome = mail::lifecycle::welcome(
        customer.language,
        mail::lifecycle::Welcome {
            display_name: &customer.display_name,
            country: &customer.country,
            topics: &customer.topics,
            consents: customer.consents,
        },
        preferences.clone(),
    );
    let mut mails = vec![welcome];
    if customer.consents.marketing_email {
        mails.push(mail::consent::opt_in_confirmation(
            customer.language,
            &customer.display_name,
            confirm_link(app, holder, &created_at),
            Some(preferences),
        ));
    }
    mails
        .into_iter()
        .map(|m| {
            OutboxItem::new(
                customer.email.as_str(),
                Some(customer.id.as_str()),
                m,
                created_at.clone(),
                app.clock.unix(),
            )
        })
        .collect()
}
