//! The customer's own record beyond the profile: the timeline, surveys, and
//! suggestions about who they buy for (issue #18). Same shape as the rest of the
//! function: extract, call one use case, map the answer.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use ecrm_core::app::suggestions::Suggestions;
use ecrm_core::app::timeline::TimelinePage;
use ecrm_core::app::{suggestions, surveys, timeline};
use ecrm_core::domain::survey::SurveyView;
use ecrm_core::openapi::{BodyErrors, CrossSite, SignedOut, StoreDown};
use ecrm_core::web::{ApiError, AppState, Json, Problem, SignedIn};
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub(crate) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(my_timeline))
        .routes(routes!(next_survey))
        .routes(routes!(answer_survey))
        .routes(routes!(skip_survey))
        .routes(routes!(my_suggestions))
        .routes(routes!(accept_suggestion))
        .routes(routes!(dismiss_suggestion))
}

/// Everything the shop holds and did for the customer, newest first
#[utoipa::path(get, path = "/api/me/timeline", operation_id = "my_timeline", security(("session" = [])),
    params(
        ("limit" = Option<u32>, Query, minimum = 1, maximum = 100, description = "Entries per page (default 20)."),
        ("cursor" = Option<String>, Query, description = "`next_cursor` from the previous page."),
    ),
    responses(
        (status = 200, description = "One page.", body = TimelinePage),
        (status = 400, description = "Bad limit or cursor.", body = Problem, content_type = "application/problem+json"),
        SignedOut, StoreDown,
    ))]
async fn my_timeline(
    State(state): State<AppState>,
    session: SignedIn,
    query: QueryParams,
) -> Result<axum::Json<TimelinePage>, ApiError> {
    let params = params(query)?;
    Ok(axum::Json(
        timeline::page(
            &state.app,
            session.claims(),
            params.get("limit").map(String::as_str),
            params.get("cursor").map(String::as_str),
        )
        .await?,
    ))
}

/// The survey on offer now, if any
///
/// At most one at a time, after its trigger (a first accepted quote), in the
/// customer's language; each question says what it is for and what the customer gets.
#[utoipa::path(get, path = "/api/me/surveys/next", operation_id = "next_survey", security(("session" = [])),
    responses(
        (status = 200, description = "The survey to offer.", body = SurveyView,
            links(
                ("AnswerSurvey" = (operation_id = "answer_survey", parameters(("id" = "$response.body#/id")))),
                ("SkipSurvey" = (operation_id = "skip_survey", parameters(("id" = "$response.body#/id")))),
            )),
        (status = 204, description = "No survey to offer."),
        SignedOut, StoreDown,
    ))]
async fn next_survey(
    State(state): State<AppState>,
    session: SignedIn,
) -> Result<Response, ApiError> {
    Ok(match surveys::next(&state.app, session.claims()).await? {
        Some(survey) => axum::Json(survey).into_response(),
        None => StatusCode::NO_CONTENT.into_response(),
    })
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct SurveyAnswers {
    /// Question id → option id; questions left out are not answered.
    #[schema(required = true, schema_with = ecrm_core::openapi::rules::survey_answers)]
    answers: Option<BTreeMap<String, String>>,
}

/// Answer the survey on offer
#[utoipa::path(post, path = "/api/me/surveys/{id}/answers", operation_id = "answer_survey", security(("session" = [])),
    params(("id" = String, Path, description = "The survey's id, from GET /api/me/surveys/next.", pattern = "^[a-z0-9_-]{1,40}$")),
    request_body = SurveyAnswers,
    responses(
        (status = 204, description = "Recorded (in the profile, the export and the timeline)."),
        (status = 404, description = "No such survey.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not on offer: answered or skipped already, or not yet offered.", body = Problem, content_type = "application/problem+json"),
        BodyErrors, SignedOut, CrossSite, StoreDown,
    ))]
async fn answer_survey(
    State(state): State<AppState>,
    session: SignedIn,
    Path(id): Path<String>,
    Json(body): Json<SurveyAnswers>,
) -> Result<StatusCode, ApiError> {
    let answers = body
        .answers
        .ok_or_else(|| ecrm_core::app::AppError::invalid("/answers", "is required"))?;
    surveys::answer(&state.app, session.claims(), &id, answers).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct SurveySkip {
    /// `true`: offer no survey again.
    #[schema(nullable = false)]
    dont_ask_again: Option<bool>,
}

/// Skip the survey on offer, optionally for good
#[utoipa::path(post, path = "/api/me/surveys/{id}/skip", operation_id = "skip_survey", security(("session" = [])),
    params(("id" = String, Path, description = "The survey's id.", pattern = "^[a-z0-9_-]{1,40}$")),
    request_body = SurveySkip,
    responses(
        (status = 204, description = "Recorded."),
        (status = 404, description = "No such survey.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not on offer.", body = Problem, content_type = "application/problem+json"),
        BodyErrors, SignedOut, CrossSite, StoreDown,
    ))]
async fn skip_survey(
    State(state): State<AppState>,
    session: SignedIn,
    Path(id): Path<String>,
    Json(body): Json<SurveySkip>,
) -> Result<StatusCode, ApiError> {
    surveys::skip(
        &state.app,
        session.claims(),
        &id,
        body.dont_ask_again.unwrap_or(false),
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// What the shop suggests about who the customer buys for, and why
///
/// Only with the personalisation consent; nothing changes until the customer accepts.
#[utoipa::path(get, path = "/api/me/suggestions", operation_id = "my_suggestions", security(("session" = [])),
    responses(
        (status = 200, description = "Suggestions (often none).", body = Suggestions),
        SignedOut, StoreDown,
    ))]
async fn my_suggestions(
    State(state): State<AppState>,
    session: SignedIn,
) -> Result<axum::Json<Suggestions>, ApiError> {
    Ok(axum::Json(
        suggestions::list(&state.app, session.claims()).await?,
    ))
}

/// Accept a suggestion
#[utoipa::path(post, path = "/api/me/suggestions/{id}/accept", operation_id = "accept_suggestion", security(("session" = [])),
    params(("id" = String, Path, description = "The suggestion's id.", pattern = "^[a-z_]{1,40}$")),
    responses(
        (status = 204, description = "Applied."),
        (status = 404, description = "No such suggestion.", body = Problem, content_type = "application/problem+json"),
        SignedOut, CrossSite, StoreDown,
    ))]
async fn accept_suggestion(
    State(state): State<AppState>,
    session: SignedIn,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    suggestions::accept(&state.app, session.claims(), &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Decline a suggestion (it is not made again)
#[utoipa::path(post, path = "/api/me/suggestions/{id}/dismiss", operation_id = "dismiss_suggestion", security(("session" = [])),
    params(("id" = String, Path, description = "The suggestion's id.", pattern = "^[a-z_]{1,40}$")),
    responses(
        (status = 204, description = "Declined."),
        (status = 404, description = "No such suggestion.", body = Problem, content_type = "application/problem+json"),
        SignedOut, CrossSite, StoreDown,
    ))]
async fn dismiss_suggestion(
    State(state): State<AppState>,
    session: SignedIn,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    suggestions::dismiss(&state.app, session.claims(), &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub(crate) type QueryParams = Result<Query<HashMap<String, String>>, QueryRejection>;

pub(crate) fn params(query: QueryParams) -> Result<HashMap<String, String>, ApiError> {
    query.map(|Query(map)| map).map_err(|_| {
        ecrm_core::app::AppError::BadQuery {
            field: "query",
            detail: "The query string could not be read.",
        }
        .into()
    })
}
