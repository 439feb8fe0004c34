//! The `preferences` function: everything under `/api/me` that is the customer's own
//! data: see it, change it, export it, erase it.

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, put};
use ecrm_core::domain::address::{AddressInput, MAX_ADDRESSES, validate_address};
use ecrm_core::domain::clock;
use ecrm_core::domain::consent::{Decision, Purpose, receipt};
use ecrm_core::domain::profile::parse_profile_patch;
use ecrm_core::domain::validation::FieldError;
use ecrm_core::site_config;
use ecrm_core::store::addresses::{self, AddressItem, AddressOutcome};
use ecrm_core::store::consents::{self, ConsentOutcome};
use ecrm_core::store::customers::{ConsentEventItem, ProfileItem};
use ecrm_core::store::profile::{self, ChangeOutcome, CustomerRecord, RawItem};
use ecrm_core::store::{erasure, keys};
use ecrm_core::web::session::unauthorized;
use ecrm_core::web::{AppState, Json, Problem, SignedIn};
use serde::Deserialize;
use serde_json::{Value, json};

pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/api/me", get(show).patch(change).delete(erase))
        .route("/api/me/addresses", axum::routing::post(add_address))
        .route(
            "/api/me/addresses/{id}",
            put(replace_address).delete(delete_address),
        )
        .route("/api/me/consents", get(consent_history))
        .route("/api/me/consents/{purpose}", put(change_consent))
        .route(
            "/api/me/consents/receipts/{receipt_id}",
            get(download_receipt),
        )
        .route("/api/me/export", get(export))
        .route("/api/health/preferences", get(health))
        .with_state(state)
}

async fn health() -> axum::Json<Value> {
    axum::Json(json!({ "status": "ok", "function": "preferences" }))
}

/// 401 that also removes the dead session cookie.
fn signed_out(state: &AppState) -> Response {
    let mut response = unauthorized().into_response();
    response
        .headers_mut()
        .append(header::SET_COOKIE, state.sessions.clearing_cookie());
    response
}

/// The customer's partition, if the session is still live (same epoch).
async fn live_record(
    state: &AppState,
    session: &SignedIn,
) -> Result<(CustomerRecord, ProfileItem), Response> {
    let record = profile::load(&state.store, session.customer_id())
        .await
        .map_err(|e| Problem::from(e).into_response())?;
    match &record.profile {
        Some(profile) if profile.session_epoch == session.0.epoch => {
            let profile = profile.clone();
            Ok((record, profile))
        }
        _ => Err(signed_out(state)),
    }
}

fn etag(version: u64) -> HeaderValue {
    HeaderValue::from_str(&format!("\"{version}\""))
        .unwrap_or_else(|_| HeaderValue::from_static("\"0\""))
}

fn address_view(item: &AddressItem, profile: &ProfileItem) -> Value {
    let mut view = serde_json::to_value(&item.address).unwrap_or_default();
    if let Value::Object(map) = &mut view {
        map.insert("id".into(), json!(item.id));
        map.insert(
            "default_billing".into(),
            json!(profile.default_billing_address.as_deref() == Some(&item.id)),
        );
        map.insert(
            "default_delivery".into(),
            json!(profile.default_delivery_address.as_deref() == Some(&item.id)),
        );
        map.insert("created_at".into(), json!(item.created_at));
        map.insert("updated_at".into(), json!(item.updated_at));
    }
    view
}

fn profile_view(profile: &ProfileItem) -> Value {
    json!({
        "id": profile.id,
        "email": profile.email,
        "display_name": profile.display_name,
        "language": profile.language,
        "country": profile.country,
        "phone": profile.phone,
        "topics": profile.topics,
        "contact": profile.contact,
        "consents": profile.consents,
        "policy_version": profile.policy_version,
        "created_at": profile.created_at,
        "updated_at": profile.updated_at,
    })
}

fn me_view(record: &CustomerRecord, profile: &ProfileItem) -> Value {
    let mut view = profile_view(profile);
    view["addresses"] = Value::Array(
        record
            .addresses
            .iter()
            .map(|a| address_view(a, profile))
            .collect(),
    );
    view["limits"] = json!({ "max_addresses": MAX_ADDRESSES });
    view
}

fn with_etag(body: Value, version: u64) -> Response {
    let mut response = axum::Json(body).into_response();
    response.headers_mut().insert(header::ETAG, etag(version));
    response
}

/// `GET /api/me`: profile, preferences, addresses and consents, from one Query.
async fn show(State(state): State<AppState>, session: SignedIn) -> Response {
    match live_record(&state, &session).await {
        Ok((record, profile)) => with_etag(me_view(&record, &profile), profile.version),
        Err(response) => response,
    }
}

/// The version an `If-Match` names (`"3"` or `W/"3"`).
fn if_match(headers: &HeaderMap) -> Result<u64, Problem> {
    let raw = headers.get(header::IF_MATCH).and_then(|v| v.to_str().ok()).ok_or_else(|| {
        Problem::new(
            StatusCode::PRECONDITION_REQUIRED,
            "precondition-required",
            "If-Match required",
            "Send the ETag from GET /api/me in If-Match, so a change never overwrites one you have not seen.",
        )
    })?;
    raw.trim()
        .trim_start_matches("W/")
        .trim_matches('"')
        .parse::<u64>()
        .map_err(|_| stale())
}

fn stale() -> Problem {
    Problem::new(
        StatusCode::PRECONDITION_FAILED,
        "precondition-failed",
        "Changed meanwhile",
        "Your data changed since you loaded it (perhaps in another window). Nothing was changed: reload and try again.",
    )
}

fn email_taken() -> Problem {
    Problem::conflict("/email", "Another account already uses this email.")
}

/// `PATCH /api/me`: JSON Merge Patch under `If-Match`; one conditional write.
async fn change(
    State(state): State<AppState>,
    session: SignedIn,
    headers: HeaderMap,
    Json(patch): Json<Value>,
) -> Response {
    let version = match if_match(&headers) {
        Ok(version) => version,
        Err(problem) => return problem.into_response(),
    };
    let today = clock::now().date();
    let mut changes = match parse_profile_patch(&patch, site_config::facts(), today) {
        Ok(changes) => changes,
        Err(errors) => return Problem::validation(errors).into_response(),
    };
    let now = clock::rfc3339(clock::now());
    let store = &state.store;
    let outcome = if changes.email.is_some() {
        // Moving the email claim needs the old address: one read first.
        let current =
            match ecrm_core::store::customers::get_profile(store, session.customer_id()).await {
                Ok(Some(p)) if p.session_epoch == session.0.epoch => p,
                Ok(_) => return signed_out(&state),
                Err(e) => return Problem::from(e).into_response(),
            };
        if changes
            .email
            .as_ref()
            .is_some_and(|e| e.as_str() == current.email)
        {
            changes.email = None;
        }
        if changes.is_empty() {
            return if current.version == version {
                with_etag(profile_view(&current), version)
            } else {
                stale().into_response()
            };
        }
        profile::change_with_email(
            store,
            session.customer_id(),
            &current.email,
            session.0.epoch,
            version,
            &changes,
            &now,
        )
        .await
    } else if changes.is_empty() {
        return match live_record(&state, &session).await {
            Ok((_, p)) if p.version == version => with_etag(profile_view(&p), version),
            Ok(_) => stale().into_response(),
            Err(response) => response,
        };
    } else {
        profile::change(
            store,
            session.customer_id(),
            session.0.epoch,
            version,
            &changes,
            &now,
        )
        .await
    };
    match outcome {
        Ok(ChangeOutcome::Changed(profile)) => with_etag(profile_view(&profile), profile.version),
        Ok(ChangeOutcome::StaleVersion) => stale().into_response(),
        Ok(ChangeOutcome::SessionRevoked) => signed_out(&state),
        Ok(ChangeOutcome::EmailTaken) => email_taken().into_response(),
        Err(error) => Problem::from(error).into_response(),
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct EraseRequest {
    confirm_email: Option<String>,
}

/// `DELETE /api/me`: erase everything; the body repeats the account's email to confirm.
async fn erase(
    State(state): State<AppState>,
    session: SignedIn,
    Json(request): Json<EraseRequest>,
) -> Response {
    let record = match profile::load(&state.store, session.customer_id()).await {
        Ok(record) => record,
        Err(error) => return Problem::from(error).into_response(),
    };
    let Some(profile) = &record.profile else {
        // Already erased: erasing again changes nothing and answers the same.
        return erased(&state);
    };
    if profile.session_epoch != session.0.epoch {
        return signed_out(&state);
    }
    let confirmed = request
        .confirm_email
        .as_deref()
        .map(|e| e.trim().to_lowercase())
        .is_some_and(|e| e == profile.email);
    if !confirmed {
        return Problem::validation(vec![FieldError::new(
            "/confirm_email",
            "type the email address of this account to confirm erasing it",
        )])
        .into_response();
    }
    let signin_pk = keys::signin_pk(
        &state
            .sessions
            .key
            .keyed_hash("signin-email", &profile.email),
    );
    match erasure::erase(
        &state.store,
        &record,
        session.0.epoch,
        &signin_pk,
        &clock::rfc3339(clock::now()),
    )
    .await
    {
        Ok(()) => {
            tracing::info!(customer_id = %profile.id, "customer erased");
            erased(&state)
        }
        Err(error) => Problem::from(error).into_response(),
    }
}

fn erased(state: &AppState) -> Response {
    let mut response = StatusCode::NO_CONTENT.into_response();
    response
        .headers_mut()
        .append(header::SET_COOKIE, state.sessions.clearing_cookie());
    response
}

fn address_problem(outcome: AddressOutcome, state: &AppState) -> Response {
    match outcome {
        AddressOutcome::Done => StatusCode::NO_CONTENT.into_response(),
        AddressOutcome::NotFound => Problem::not_found().into_response(),
        AddressOutcome::LimitReached => Problem::validation(vec![FieldError::new(
            "",
            format!("you can keep at most {MAX_ADDRESSES} addresses: delete one first"),
        )])
        .into_response(),
        AddressOutcome::SessionRevoked => signed_out(state),
        AddressOutcome::Conflict => stale().into_response(),
    }
}

/// `POST /api/me/addresses`.
async fn add_address(
    State(state): State<AppState>,
    session: SignedIn,
    Json(input): Json<AddressInput>,
) -> Response {
    let valid = match validate_address(input, site_config::facts()) {
        Ok(valid) => valid,
        Err(errors) => return Problem::validation(errors).into_response(),
    };
    let id = ulid::Ulid::new().to_string();
    let now = clock::rfc3339(clock::now());
    match addresses::create(
        &state.store,
        session.customer_id(),
        session.0.epoch,
        &id,
        &valid,
        &now,
    )
    .await
    {
        Ok(AddressOutcome::Done) => {
            let mut body = serde_json::to_value(&valid.address).unwrap_or_default();
            body["id"] = json!(id);
            body["default_billing"] = json!(valid.default_billing);
            body["default_delivery"] = json!(valid.default_delivery);
            let location = HeaderValue::from_str(&format!("/api/me/addresses/{id}"))
                .unwrap_or_else(|_| HeaderValue::from_static("/api/me"));
            (
                StatusCode::CREATED,
                [(header::LOCATION, location)],
                axum::Json(body),
            )
                .into_response()
        }
        Ok(outcome) => address_problem(outcome, &state),
        Err(error) => Problem::from(error).into_response(),
    }
}

/// `PUT /api/me/addresses/{id}`: replace one address.
async fn replace_address(
    State(state): State<AppState>,
    session: SignedIn,
    Path(id): Path<String>,
    Json(input): Json<AddressInput>,
) -> Response {
    let valid = match validate_address(input, site_config::facts()) {
        Ok(valid) => valid,
        Err(errors) => return Problem::validation(errors).into_response(),
    };
    let (record, profile) = match live_record(&state, &session).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let Some(existing) = record.addresses.iter().find(|a| a.id == id) else {
        return Problem::not_found().into_response();
    };
    let now = clock::rfc3339(clock::now());
    match addresses::replace(
        &state.store,
        &profile,
        session.0.epoch,
        &id,
        &valid,
        &existing.created_at,
        &now,
    )
    .await
    {
        Ok(AddressOutcome::Done) => {
            let mut body = serde_json::to_value(&valid.address).unwrap_or_default();
            body["id"] = json!(id);
            body["default_billing"] = json!(valid.default_billing);
            body["default_delivery"] = json!(valid.default_delivery);
            axum::Json(body).into_response()
        }
        Ok(outcome) => address_problem(outcome, &state),
        Err(error) => Problem::from(error).into_response(),
    }
}

/// `DELETE /api/me/addresses/{id}`.
async fn delete_address(
    State(state): State<AppState>,
    session: SignedIn,
    Path(id): Path<String>,
) -> Response {
    let (record, profile) = match live_record(&state, &session).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    if !record.addresses.iter().any(|a| a.id == id) {
        return Problem::not_found().into_response();
    }
    match addresses::delete(
        &state.store,
        &profile,
        session.0.epoch,
        &id,
        &clock::rfc3339(clock::now()),
    )
    .await
    {
        Ok(outcome) => address_problem(outcome, &state),
        Err(error) => Problem::from(error).into_response(),
    }
}

fn decision(entry: &ConsentEventItem) -> Decision<'_> {
    Decision {
        purpose: entry.purpose,
        granted: entry.granted,
        previous: entry.previous,
        at: &entry.at,
        policy_version: &entry.policy_version,
        source: entry.source,
    }
}

fn entry_view(entry: &ConsentEventItem) -> Value {
    let d = decision(entry);
    json!({
        "receipt_id": d.receipt_id(),
        "purpose": entry.purpose,
        "granted": entry.granted,
        "previous": entry.previous,
        "at": entry.at,
        "policy_version": entry.policy_version,
        "source": entry.source,
        "receipt_url": format!("/api/me/consents/receipts/{}", d.receipt_id()),
    })
}

/// `GET /api/me/consents`: current state and the whole ledger, oldest first.
async fn consent_history(State(state): State<AppState>, session: SignedIn) -> Response {
    match live_record(&state, &session).await {
        Ok((record, profile)) => axum::Json(json!({
            "current": profile.consents,
            "policy_version": site_config::facts().policy_version,
            "history": record.consents.iter().map(entry_view).collect::<Vec<_>>(),
        }))
        .into_response(),
        Err(response) => response,
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConsentRequest {
    granted: Option<bool>,
}

/// `PUT /api/me/consents/{purpose}`: grant or withdraw; each change is a ledger entry
/// with a receipt.
async fn change_consent(
    State(state): State<AppState>,
    session: SignedIn,
    Path(purpose): Path<String>,
    Json(request): Json<ConsentRequest>,
) -> Response {
    let Some(purpose) = Purpose::parse(&purpose) else {
        return Problem::not_found().into_response();
    };
    let Some(granted) = request.granted else {
        return Problem::validation(vec![FieldError::new("/granted", "is required")])
            .into_response();
    };
    if purpose.is_required() && !granted {
        return Problem::validation(vec![FieldError::new(
            "/granted",
            "your account rests on this consent: to withdraw it, erase your account instead",
        )])
        .into_response();
    }
    let facts = site_config::facts();
    let now = clock::rfc3339(clock::now());
    let outcome = consents::change(
        &state.store,
        session.customer_id(),
        session.0.epoch,
        purpose,
        granted,
        &facts.policy_version,
        &now,
    )
    .await;
    match outcome {
        Ok(ConsentOutcome::Changed(entry)) => {
            if purpose == Purpose::Personalisation && !granted {
                match consents::delete_events(&state.store, session.customer_id()).await {
                    Ok(deleted) => {
                        tracing::info!(deleted, "behaviour events deleted after withdrawal")
                    }
                    Err(error) => return Problem::from(error).into_response(),
                }
            }
            axum::Json(json!({
                "purpose": purpose,
                "granted": granted,
                "changed": true,
                "receipt": receipt(&facts.business_name, session.customer_id(), &decision(&entry)),
            }))
            .into_response()
        }
        Ok(ConsentOutcome::Unchanged) => {
            axum::Json(json!({ "purpose": purpose, "granted": granted, "changed": false }))
                .into_response()
        }
        Ok(ConsentOutcome::SessionRevoked) => signed_out(&state),
        Err(error) => Problem::from(error).into_response(),
    }
}

fn attachment(body: Value, filename: &str) -> Response {
    let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{filename}\""))
        .unwrap_or_else(|_| HeaderValue::from_static("attachment"));
    let mut response = axum::Json(body).into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_DISPOSITION, disposition);
    response
}

/// `GET /api/me/consents/receipts/{receipt_id}`: one receipt, as a download.
async fn download_receipt(
    State(state): State<AppState>,
    session: SignedIn,
    Path(receipt_id): Path<String>,
) -> Response {
    let (record, _) = match live_record(&state, &session).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let Some(entry) = record
        .consents
        .iter()
        .find(|e| decision(e).receipt_id() == receipt_id)
    else {
        return Problem::not_found().into_response();
    };
    let body = receipt(
        &site_config::facts().business_name,
        session.customer_id(),
        &decision(entry),
    );
    attachment(
        body,
        &format!("consent-receipt-{}.json", entry.purpose.as_str()),
    )
}

fn json_items(items: &[RawItem]) -> Vec<Value> {
    items
        .iter()
        .filter_map(|item| serde_dynamo::from_item::<_, Value>(item.clone()).ok())
        .collect()
}

/// `GET /api/me/export`: every item held about the customer, as a JSON download.
async fn export(State(state): State<AppState>, session: SignedIn) -> Response {
    let (record, profile) = match live_record(&state, &session).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let held_elsewhere = match erasure::items_held_elsewhere(&state.store, &profile).await {
        Ok(items) => items,
        Err(error) => return Problem::from(error).into_response(),
    };
    let body = json!({
        "format": "ecrm-export/1",
        "exported_at": clock::rfc3339(clock::now()),
        "customer_id": profile.id,
        "summary": me_view(&record, &profile),
        "consent_history": record.consents.iter().map(entry_view).collect::<Vec<_>>(),
        "items": json_items(&record.raw),
        "related_items": json_items(&held_elsewhere),
    });
    attachment(body, "ecrm-export.json")
}
