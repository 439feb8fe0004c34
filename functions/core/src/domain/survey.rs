//! Short surveys: content in `site/data/surveys.toml`, compiled in. Each has 1 to 3
//! questions that say what they are for and what the customer gets, a retention
//! period and a lawful basis; the account page offers at most one at a time, the first
//! whose trigger holds and that the customer has not answered or skipped.

use super::customer::Language;
use super::segment::BuysFor;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::LazyLock;
use utoipa::ToSchema;

const SURVEYS_TOML: &str = include_str!("../../../../site/data/surveys.toml");

/// A text in both site languages.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Text {
    pub en: String,
    pub es: String,
}

impl Text {
    pub fn in_language(&self, language: Language) -> &str {
        match language {
            Language::Es => &self.es,
            Language::En => &self.en,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Choice {
    pub id: String,
    pub en: String,
    pub es: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Question {
    pub id: String,
    pub text: Text,
    /// What the answer is used for.
    pub purpose: Text,
    /// What the customer gets from answering.
    pub benefit: Text,
    pub options: Vec<Choice>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Survey {
    pub id: String,
    /// Offered once the customer has accepted at least this many quotes.
    #[serde(default)]
    pub min_accepted_quotes: u32,
    /// Offered only to customers who buy for this.
    #[serde(default)]
    pub buys_for: Option<BuysFor>,
    /// Answers are deleted this many days after they are given.
    pub retention_days: u32,
    /// `consent`: answering is optional and can be erased.
    pub lawful_basis: String,
    pub title: Text,
    pub intro: Text,
    #[serde(rename = "question")]
    pub questions: Vec<Question>,
}

#[derive(Debug, Deserialize)]
struct SurveysFile {
    survey: Vec<Survey>,
}

static SURVEYS: LazyLock<Vec<Survey>> = LazyLock::new(|| {
    // Compiled in: a parse failure is a build defect the unit tests catch, never input.
    match toml::from_str::<SurveysFile>(SURVEYS_TOML) {
        Ok(file) => file.survey,
        Err(error) => panic!("site/data/surveys.toml is malformed: {error}"),
    }
});

/// Every survey, in the order they are offered.
pub fn all() -> &'static [Survey] {
    &SURVEYS
}

pub fn find(id: &str) -> Option<&'static Survey> {
    all().iter().find(|s| s.id == id)
}

/// What the offer depends on, as known about the customer.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Standing {
    pub accepted_quotes: u32,
    pub buys_for: Option<BuysFor>,
    /// The customer asked never to be offered a survey again.
    pub surveys_off: bool,
    /// Surveys answered or skipped.
    pub done: BTreeSet<String>,
}

/// The survey to offer now, if any: the first whose trigger holds and that is not done.
pub fn next<'a>(surveys: &'a [Survey], standing: &Standing) -> Option<&'a Survey> {
    if standing.surveys_off {
        return None;
    }
    surveys.iter().find(|s| {
        !standing.done.contains(&s.id)
            && standing.accepted_quotes >= s.min_accepted_quotes
            && s.buys_for.is_none_or(|b| standing.buys_for == Some(b))
    })
}

/// Answers as sent (`question id` → `option id`), checked against the survey: every
/// key a question, every value one of its options, at least one answer. Errors name
/// the field by JSON pointer.
pub fn check_answers(
    survey: &Survey,
    answers: &BTreeMap<String, String>,
) -> Result<(), Vec<(String, &'static str)>> {
    let mut errors = Vec::new();
    if answers.is_empty() {
        errors.push((
            "/answers".to_string(),
            "answer at least one question, or skip the survey",
        ));
    }
    for (question, option) in answers {
        let pointer = format!("/answers/{question}");
        match survey.questions.iter().find(|q| &q.id == question) {
            None => errors.push((pointer, "is not a question of this survey")),
            Some(q) if !q.options.iter().any(|o| &o.id == option) => {
                errors.push((pointer, "is not one of this question's options"))
            }
            Some(_) => {}
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// A survey as a customer sees it, in their language.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[schema(as = Survey)]
pub struct SurveyView {
    pub id: String,
    pub title: String,
    pub intro: String,
    /// Answers are deleted this many days after they are given.
    pub retention_days: u32,
    #[schema(example = "consent")]
    pub lawful_basis: String,
    pub questions: Vec<QuestionView>,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[schema(as = SurveyQuestion)]
pub struct QuestionView {
    pub id: String,
    pub text: String,
    /// What the answer is used for.
    pub purpose: String,
    /// What the customer gets from answering.
    pub benefit: String,
    pub options: Vec<ChoiceView>,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[schema(as = SurveyOption)]
pub struct ChoiceView {
    pub id: String,
    pub label: String,
}

impl SurveyView {
    pub fn of(survey: &Survey, language: Language) -> Self {
        Self {
            id: survey.id.clone(),
            title: survey.title.in_language(language).into(),
            intro: survey.intro.in_language(language).into(),
            retention_days: survey.retention_days,
            lawful_basis: survey.lawful_basis.clone(),
            questions: survey
                .questions
                .iter()
                .map(|q| QuestionView {
                    id: q.id.clone(),
                    text: q.text.in_language(language).into(),
                    purpose: q.purpose.in_language(language).into(),
                    benefit: q.benefit.in_language(language).into(),
                    options: q
                        .options
                        .iter()
                        .map(|o| ChoiceView {
                            id: o.id.clone(),
                            label: match language {
                                Language::Es => o.es.clone(),
                                Language::En => o.en.clone(),
                            },
                        })
                        .collect(),
                })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_survey_is_short_says_why_and_has_both_languages() {
        let surveys = all();
        assert!(!surveys.is_empty());
        let ids: BTreeSet<&str> = surveys.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids.len(), surveys.len(), "survey ids are unique");
        for s in surveys {
            assert!((1..=3).contains(&s.questions.len()), "{}", s.id);
            assert!(
                s.retention_days > 0 && s.lawful_basis == "consent",
                "{}",
                s.id
            );
            let id_ok = |id: &str| {
                !id.is_empty()
                    && id.len() <= 40
                    && id
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "-_".contains(c))
            };
            assert!(id_ok(&s.id));
            for q in &s.questions {
                assert!(id_ok(&q.id) && q.options.len() >= 2, "{}/{}", s.id, q.id);
                for text in [&q.text, &q.purpose, &q.benefit, &s.title, &s.intro] {
                    assert!(!text.en.is_empty() && !text.es.is_empty() && text.en != text.es);
                }
                assert!(q.options.iter().all(|o| id_ok(&o.id) && !o.es.is_empty()));
            }
        }
    }

    #[test]
    fn one_survey_at_a_time_after_its_trigger() {
        let surveys = all();
        let mut standing = Standing::default();
        assert_eq!(
            next(surveys, &standing),
            None,
            "nothing before a first order"
        );
        standing.accepted_quotes = 1;
        assert_eq!(next(surveys, &standing).unwrap().id, "first-order");
        standing.done.insert("first-order".into());
        assert_eq!(
            next(surveys, &standing),
            None,
            "business survey is for businesses"
        );
        standing.buys_for = Some(BuysFor::Business);
        assert_eq!(next(surveys, &standing).unwrap().id, "business-needs");
        standing.surveys_off = true;
        assert_eq!(next(surveys, &standing), None, "don't ask again holds");
    }

    #[test]
    fn answers_must_name_questions_and_options() {
        let survey = find("first-order").unwrap();
        let ok = BTreeMap::from([("found_us".to_string(), "friend".to_string())]);
        assert!(check_answers(survey, &ok).is_ok());
        let bad = BTreeMap::from([
            ("found_us".to_string(), "tv".to_string()),
            ("age".to_string(), "30".to_string()),
        ]);
        let errors = check_answers(survey, &bad).unwrap_err();
        let pointers: Vec<&str> = errors.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(pointers, ["/answers/age", "/answers/found_us"]);
        assert!(check_answers(survey, &BTreeMap::new()).is_err());
    }

    #[test]
    fn a_survey_shows_in_the_customers_language() {
        let view = SurveyView::of(find("first-order").unwrap(), Language::Es);
        assert_eq!(view.questions[0].text, "¿Cómo nos encontraste?");
        assert_eq!(view.questions[0].options[1].label, "Un amigo o compañero");
    }
}
