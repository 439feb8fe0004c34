//! Surveys: offer at most one at a time after its trigger, record an answer or a skip
//! ("don't ask again" included), count answers for the shop.

use super::{App, AppError, live};
use crate::domain::session::SessionClaims;
use crate::domain::survey::{self, Standing, SurveyView};
use crate::domain::validation::FieldError;
use crate::store::Store;
use crate::store::customers::ProfileItem;
use crate::store::session::SessionGuard;
use crate::store::surveys::{self, RespondOutcome, ResponseStatus, SurveyResponseItem};
use std::collections::BTreeMap;

const DAY_SECONDS: i64 = 24 * 60 * 60;

fn standing(profile: &ProfileItem, responses: &[SurveyResponseItem]) -> Standing {
    Standing {
        accepted_quotes: profile.accepted_quotes,
        buys_for: profile.buys_for.as_ref().map(|s| s.value),
        surveys_off: profile.surveys_off,
        done: responses.iter().map(|r| r.survey_id.clone()).collect(),
    }
}

/// The survey to offer now, in the customer's language, if any (one `Query`).
pub async fn next(app: &App, session: &SessionClaims) -> Result<Option<SurveyView>, AppError> {
    let (profile, responses) = surveys::profile_and_responses(&app.store, &session.cid).await?;
    let profile = live(session, profile.as_ref())?;
    Ok(survey::next(survey::all(), &standing(profile, &responses))
        .map(|s| SurveyView::of(s, profile.language)))
}

/// Answer survey `id`: `answers` maps question ids to option ids.
pub async fn answer(
    app: &App,
    session: &SessionClaims,
    id: &str,
    answers: BTreeMap<String, String>,
) -> Result<(), AppError> {
    let survey = survey::find(id).ok_or(AppError::NotFound)?;
    survey::check_answers(survey, &answers).map_err(|errors| {
        AppError::Invalid(
            errors
                .into_iter()
                .map(|(pointer, why)| FieldError::new(&pointer, why))
                .collect(),
        )
    })?;
    respond(
        app,
        session,
        survey,
        ResponseStatus::Answered,
        answers,
        false,
    )
    .await
}

/// Skip survey `id`; with `dont_ask_again`, no survey is offered again.
pub async fn skip(
    app: &App,
    session: &SessionClaims,
    id: &str,
    dont_ask_again: bool,
) -> Result<(), AppError> {
    let survey = survey::find(id).ok_or(AppError::NotFound)?;
    respond(
        app,
        session,
        survey,
        ResponseStatus::Skipped,
        BTreeMap::new(),
        dont_ask_again,
    )
    .await
}

async fn respond(
    app: &App,
    session: &SessionClaims,
    survey: &survey::Survey,
    status: ResponseStatus,
    answers: BTreeMap<String, String>,
    dont_ask_again: bool,
) -> Result<(), AppError> {
    // Only the survey on offer can be answered: one read, then one transaction.
    let (profile, responses) = surveys::profile_and_responses(&app.store, &session.cid).await?;
    let profile = live(session, profile.as_ref())?;
    let offered = survey::next(survey::all(), &standing(profile, &responses));
    if offered.map(|s| s.id.as_str()) != Some(survey.id.as_str()) {
        return Err(not_offered());
    }
    let now = app.clock.rfc3339();
    let expires = app.clock.unix() + i64::from(survey.retention_days) * DAY_SECONDS;
    let response =
        SurveyResponseItem::new(&session.cid, &survey.id, status, answers, &now, expires);
    match surveys::respond(
        &app.store,
        &session.cid,
        &SessionGuard::of(session),
        &response,
        dont_ask_again,
    )
    .await?
    {
        RespondOutcome::Recorded => Ok(()),
        RespondOutcome::AlreadyDone => Err(not_offered()),
        RespondOutcome::SessionRevoked => Err(AppError::SignedOut),
    }
}

fn not_offered() -> AppError {
    AppError::Conflict {
        slug: "survey-not-offered",
        title: "This survey is not on offer",
        detail: "It was answered or skipped already, or it is not offered to you yet: GET /api/me/surveys/next says which one is.",
    }
}

/// One line of the shop's results: how many answered `option` to `question`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResultLine {
    pub survey: String,
    pub question: String,
    pub option: String,
    pub count: u64,
}

/// Counts per answer over every stored response; no individual answer is returned
/// (for `ecrm-runner survey-results`).
pub async fn results(store: &Store) -> Result<Vec<ResultLine>, AppError> {
    Ok(surveys::tally(store)
        .await?
        .into_iter()
        .map(|((survey, question, option), count)| ResultLine {
            survey,
            question,
            option,
            count,
        })
        .collect())
}
