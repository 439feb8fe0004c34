//! Consents: the current state, the append-only ledger, receipts, and changes.

use super::email_links;
use super::views::{ConsentEntryView, decision};
use super::{App, AppError, live, paging};
use crate::domain::consent::{
    ConsentReceipt, ConsentSource, ConsentState, ConsentStep, Decision, Purpose, receipt,
};
use crate::domain::session::SessionClaims;
use crate::mail;
use crate::site_config;
use crate::store::StoreError;
use crate::store::consents::{self, Change, ConsentOutcome};
use crate::store::customers::{self, ProfileItem};
use crate::store::outbox::OutboxItem;
use crate::store::session::SessionGuard;
use serde::Serialize;
use utoipa::ToSchema;

/// Attempts at a consent change while concurrent changes keep landing first.
const MAX_ATTEMPTS: usize = 5;

/// `GET /api/me/consents`: the current state and one page of the ledger, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct ConsentHistory {
    pub current: ConsentState,
    /// Marketing email asked for and waiting for the mailed confirmation (`current`
    /// shows it off until then).
    pub marketing_email_pending: bool,
    pub policy_version: String,
    pub history: Vec<ConsentEntryView>,
    /// Pass as `cursor` for older entries; `null` on the last page.
    pub next_cursor: Option<String>,
}

/// Ledger entries per page unless asked otherwise, and at most.
pub const LEDGER_PAGE: u32 = 50;
pub const MAX_LEDGER_PAGE: u32 = 100;

/// What a change came to; `receipt` only when something changed.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct ConsentChange {
    pub purpose: Purpose,
    pub granted: bool,
    pub changed: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub receipt: Option<ConsentReceipt>,
}

/// A receipt as a download.
#[derive(Debug, Clone, PartialEq)]
pub struct Receipt {
    pub body: ConsentReceipt,
    pub filename: String,
}

/// The current state and one page of the ledger (newest first): the profile and the
/// page are read at once, so the answer costs the same however long the ledger.
pub async fn history(
    app: &App,
    session: &SessionClaims,
    limit: Option<&str>,
    cursor: Option<&str>,
) -> Result<ConsentHistory, AppError> {
    let limit = paging::limit(
        limit,
        LEDGER_PAGE,
        MAX_LEDGER_PAGE,
        "limit must be a whole number from 1 to 100.",
    )?;
    if cursor.is_some_and(|c| !consents::is_ledger_cursor(c, &session.cid)) {
        return Err(paging::bad_cursor());
    }
    let (profile, page) = tokio::try_join!(
        customers::get_profile(&app.store, &session.cid),
        consents::ledger_page(&app.store, &session.cid, limit, cursor),
    )?;
    let profile = live(session, profile.as_ref())?;
    let (entries, next_cursor) = page;
    Ok(ConsentHistory {
        current: profile.consents,
        marketing_email_pending: profile.marketing_pending_at.is_some(),
        policy_version: site_config::facts().policy_version.clone(),
        history: entries.iter().map(ConsentEntryView::of).collect(),
        next_cursor,
    })
}

/// Grant or withdraw a purpose; each change is a ledger entry with a receipt, mailed.
/// Granting marketing email only asks for it: the entry is `pending` and a
/// confirmation link is mailed (see [`record`]). Withdrawing personalisation also
/// deletes the behaviour events kept for it.
pub async fn change(
    app: &App,
    session: &SessionClaims,
    purpose: &str,
    granted: Option<bool>,
) -> Result<ConsentChange, AppError> {
    let purpose = Purpose::parse(purpose).ok_or(AppError::NotFound)?;
    let granted = granted.ok_or_else(|| AppError::invalid("/granted", "is required"))?;
    if purpose.is_required() && !granted {
        return Err(AppError::invalid(
            "/granted",
            "your account rests on this consent: to withdraw it, erase your account instead",
        ));
    }
    let stored = customers::get_profile(&app.store, &session.cid).await?;
    let profile = live(session, stored.as_ref())?;
    let step = (purpose == Purpose::MarketingEmail && granted).then_some(ConsentStep::Pending);
    record(
        app,
        profile,
        &SessionGuard::of(session),
        Request {
            purpose,
            granted,
            step,
            pending_at: None,
            source: ConsentSource::PreferenceCentre,
        },
    )
    .await
}

/// One consent decision as asked for.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Request<'a> {
    pub purpose: Purpose,
    /// What the customer asked for (`true` with `step: Pending` grants nothing yet).
    pub granted: bool,
    pub step: Option<ConsentStep>,
    /// For a confirmation: the pending entry the link names.
    pub pending_at: Option<&'a str>,
    pub source: ConsentSource,
}

/// Record a decision for `profile` (its ledger entry, the profile's state and its mail:
/// the confirmation link for a pending opt-in, the readable receipt otherwise), in one
/// transaction, under `guard`.
pub(crate) async fn record(
    app: &App,
    profile: &ProfileItem,
    guard: &SessionGuard,
    request: Request<'_>,
) -> Result<ConsentChange, AppError> {
    let facts = site_config::facts();
    let Request {
        purpose,
        granted,
        step,
        pending_at,
        source,
    } = request;
    let in_force = granted && step != Some(ConsentStep::Pending);
    // The ledger entry's time must be later than the newest one: when a concurrent
    // change got there first, take the time again and retry, so the newest entry is
    // always the state the profile ends in.
    let mut outcome = ConsentOutcome::Outdated;
    for _ in 0..MAX_ATTEMPTS {
        let now = app.clock.rfc3339();
        let mail = consent_mail(app, profile, purpose, in_force, step, source, &now);
        outcome = consents::change(
            &app.store,
            &profile.id,
            guard,
            Change {
                purpose,
                granted: in_force,
                previous: profile.consents.get(purpose),
                step,
                pending_at,
                source,
                policy_version: &facts.policy_version,
                now: &now,
                mails: vec![mail],
            },
        )
        .await?;
        if outcome != ConsentOutcome::Outdated {
            break;
        }
    }
    match outcome {
        ConsentOutcome::Changed(entry) => {
            if purpose == Purpose::Personalisation && !in_force {
                let deleted = consents::delete_events(&app.store, &profile.id).await?;
                tracing::info!(deleted, "behaviour events deleted after withdrawal");
            }
            Ok(ConsentChange {
                purpose,
                granted: in_force,
                changed: true,
                receipt: Some(receipt(
                    &facts.business_name,
                    &profile.id,
                    &decision(&entry),
                )),
            })
        }
        ConsentOutcome::Unchanged if step == Some(ConsentStep::Confirmed) => {
            Err(AppError::Conflict {
                slug: "link-used",
                title: "This link was already used or replaced",
                detail: "The consent it confirms is no longer waiting for confirmation.",
            })
        }
        ConsentOutcome::Unchanged => Ok(ConsentChange {
            purpose,
            granted: profile.consents.get(purpose),
            changed: false,
            receipt: None,
        }),
        ConsentOutcome::SessionRevoked => Err(AppError::SignedOut),
        ConsentOutcome::Outdated => {
            Err(StoreError::Unavailable("consent change kept meeting newer changes".into()).into())
        }
    }
}

/// The mail a decision sends: the confirmation link for a pending opt-in (which is also
/// its receipt), the readable receipt for anything else.
fn consent_mail(
    app: &App,
    profile: &ProfileItem,
    purpose: Purpose,
    in_force: bool,
    step: Option<ConsentStep>,
    source: ConsentSource,
    now: &str,
) -> OutboxItem {
    let facts = site_config::facts();
    let holder = email_links::Holder::of(profile);
    let preferences = Some(email_links::preference_link(app, holder));
    let mail = if step == Some(ConsentStep::Pending) {
        let confirm = email_links::confirm_link(app, holder, now);
        mail::consent::opt_in_confirmation(
            profile.language,
            &profile.display_name,
            confirm,
            preferences,
        )
    } else {
        let decision = Decision {
            purpose,
            granted: in_force,
            previous: Some(profile.consents.get(purpose)),
            at: now,
            policy_version: &facts.policy_version,
            source,
            step,
        };
        mail::consent::consent_receipt(
            profile.language,
            &receipt(&facts.business_name, &profile.id, &decision),
            preferences,
        )
    };
    OutboxItem::new(
        &profile.email,
        Some(&profile.id),
        mail,
        now.to_string(),
        app.clock.unix(),
    )
}

/// One receipt of the customer's ledger.
pub async fn receipt_of(
    app: &App,
    session: &SessionClaims,
    receipt_id: &str,
) -> Result<Receipt, AppError> {
    // A receipt id is `<time>_<purpose>`: the entry's key, read directly.
    let (at, purpose) = receipt_id.split_once('_').ok_or(AppError::NotFound)?;
    let (profile, entry) = tokio::try_join!(
        customers::get_profile(&app.store, &session.cid),
        consents::ledger_entry(&app.store, &session.cid, at, purpose),
    )?;
    live(session, profile.as_ref())?;
    let entry = entry
        .filter(|e| decision(e).receipt_id() == receipt_id)
        .ok_or(AppError::NotFound)?;
    Ok(Receipt {
        body: receipt(
            &site_config::facts().business_name,
            &session.cid,
            &decision(&entry),
        ),
        filename: format!("consent-receipt-{}.json", entry.purpose.as_str()),
    })
}
