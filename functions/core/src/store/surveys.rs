//! Survey responses (`CUSTOMER#<id>` / `SURVEY#<survey id>`): an answer or a skip per
//! survey, kept until the survey's retention ends (`ttl`), erased and exported with the
//! customer. They sort after `PROFILE`, so `GET /api/me`'s key range never reads them,
//! and the profile and every response are one key range of their own: offering the
//! next survey is one `Query`.

use super::codec::{decode, decode_owned, s};
use super::customers::ProfileItem;
use super::keys::{self, ItemKind, Key, PROFILE_SK};
use super::session::SessionGuard;
use super::timeline::{self, TimelineEntry, what};
use super::transact::{self, TransactError, transact_with_retry};
use super::update::Expr;
use super::{Item, Store, StoreError, unavailable};
use aws_sdk_dynamodb::types::AttributeValue;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Answered, or skipped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ResponseStatus {
    Answered,
    Skipped,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SurveyResponseItem {
    #[serde(rename = "PK")]
    pub pk: String,
    #[serde(rename = "SK")]
    pub sk: String,
    pub kind: String,
    pub survey_id: String,
    pub status: ResponseStatus,
    /// Question id → option id (empty when skipped).
    #[serde(default)]
    pub answers: BTreeMap<String, String>,
    pub at: String,
    /// When the survey's retention ends (DynamoDB TTL).
    pub ttl: i64,
}

impl SurveyResponseItem {
    pub fn new(
        customer_id: &str,
        survey_id: &str,
        status: ResponseStatus,
        answers: BTreeMap<String, String>,
        at: &str,
        ttl: i64,
    ) -> Self {
        Self {
            pk: keys::customer_pk(customer_id),
            sk: keys::survey_sk(survey_id),
            kind: ItemKind::SurveyResponse.name().into(),
            survey_id: survey_id.into(),
            status,
            answers,
            at: at.into(),
            ttl,
        }
    }
}

/// The profile and every survey response, in one `Query` (`PROFILE` ..= `SURVEY#…`).
pub async fn profile_and_responses(
    store: &Store,
    customer_id: &str,
) -> Result<(Option<ProfileItem>, Vec<SurveyResponseItem>), StoreError> {
    let prefix = ItemKind::SurveyResponse.sk();
    // `$` sorts right after `#`: the end of the `SURVEY#` range.
    let end = format!("{}$", prefix.trim_end_matches('#'));
    let items: Vec<Item> = super::query_all(
        store
            .client()
            .query()
            .table_name(store.table())
            .key_condition_expression("PK = :pk AND SK BETWEEN :from AND :to")
            .expression_attribute_values(":pk", s(&keys::customer_pk(customer_id)))
            .expression_attribute_values(":from", s(PROFILE_SK))
            .expression_attribute_values(":to", s(&end))
            .consistent_read(true),
    )
    .await?;
    let mut profile = None;
    let mut responses = Vec::new();
    for item in &items {
        match ItemKind::in_customer_partition(super::codec::text(item, keys::SK).unwrap_or("")) {
            Some(ItemKind::Profile) => profile = Some(decode(item)?),
            Some(ItemKind::SurveyResponse) => responses.push(decode(item)?),
            _ => {}
        }
    }
    Ok((profile, responses))
}

/// What recording a response came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RespondOutcome {
    Recorded,
    /// This survey was already answered or skipped: nothing written.
    AlreadyDone,
    SessionRevoked,
}

const PROFILE_INDEX: usize = 1;

/// Record an answer or a skip: the response (only if there is none yet), the
/// profile's session condition (and, with `surveys_off`, "don't ask again") and a
/// timeline entry, in one transaction.
pub async fn respond(
    store: &Store,
    customer_id: &str,
    session: &SessionGuard,
    response: &SurveyResponseItem,
    surveys_off: bool,
) -> Result<RespondOutcome, StoreError> {
    let mut profile = Expr::new();
    if surveys_off {
        profile.set("surveys_off", AttributeValue::Bool(true));
    }
    let holds = session.condition(&mut profile);
    profile.condition(holds);
    let what = match response.status {
        ResponseStatus::Answered => what::SURVEY_ANSWERED,
        ResponseStatus::Skipped => what::SURVEY_SKIPPED,
    };
    let mut entry =
        TimelineEntry::new(customer_id, &response.at, what).with("survey_id", &response.survey_id);
    // The answers themselves (question id → option id), so the customer sees them.
    for (question, option) in &response.answers {
        entry = entry.with(&format!("answer.{question}"), option);
    }
    if surveys_off {
        entry = entry.with("dont_ask_again", "true");
    }
    let profile_write = if surveys_off {
        transact::update(store, &Key::profile(customer_id), &profile, false)?
    } else {
        transact::check(store, &Key::profile(customer_id), &profile)?
    };
    let writes = vec![
        transact::put_new(store, response)?,
        profile_write,
        timeline::write(store, &entry)?,
    ];
    match transact_with_retry(store, writes).await {
        Ok(()) => Ok(RespondOutcome::Recorded),
        Err(TransactError::ConditionFailed(c)) if c.failed(PROFILE_INDEX) => {
            Ok(RespondOutcome::SessionRevoked)
        }
        Err(TransactError::ConditionFailed(_)) => Ok(RespondOutcome::AlreadyDone),
        Err(TransactError::Store(e)) => Err(e),
    }
}

/// Count per survey, question and option over every stored answer (for the shop:
/// totals only, no individual answers leave this function). A `Scan` filtered to
/// responses, page after page: a batch job, never a route.
pub async fn tally(store: &Store) -> Result<BTreeMap<(String, String, String), u64>, StoreError> {
    let items: Vec<Item> = store
        .client()
        .scan()
        .table_name(store.table())
        .filter_expression("#kind = :kind AND #status = :answered")
        .expression_attribute_names("#kind", "kind")
        .expression_attribute_names("#status", "status")
        .expression_attribute_values(":kind", s(ItemKind::SurveyResponse.name()))
        .expression_attribute_values(":answered", s("answered"))
        .into_paginator()
        .items()
        .send()
        .try_collect()
        .await
        .map_err(|e| unavailable(&e))?;
    let mut counts = BTreeMap::new();
    for item in items {
        let response: SurveyResponseItem = decode_owned(item)?;
        for (question, option) in response.answers {
            *counts
                .entry((response.survey_id.clone(), question, option))
                .or_insert(0) += 1;
        }
    }
    Ok(counts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::codec::encode;

    #[test]
    fn a_response_is_keyed_by_survey_and_expires_with_its_retention() {
        let answers = BTreeMap::from([("found_us".to_string(), "friend".to_string())]);
        let item = SurveyResponseItem::new(
            "C1",
            "first-order",
            ResponseStatus::Answered,
            answers,
            "2026-11-29T10:00:00.000000Z",
            99,
        );
        assert_eq!(
            (item.pk.as_str(), item.sk.as_str()),
            ("CUSTOMER#C1", "SURVEY#first-order")
        );
        let stored = encode(&item).unwrap();
        assert_eq!(stored["status"], s("answered"));
        assert_eq!(decode_owned::<SurveyResponseItem>(stored).unwrap(), item);
        // The range the next-survey read covers ends right after every `SURVEY#` key.
        assert!("SURVEY#zzzz" < "SURVEY$" && "SURVEY$" < "T");
    }
}
