//! `GET /api/recommendations`: for a signed-in customer, a blend of the neighbours of
//! what they did (only with `personalisation`), their topics and popularity; for a
//! visitor, a topic pick (`?topic=`) or "customers who bought this also bought"
//! (`?item=`). At most two DynamoDB round trips: the customer's newest events (one
//! `Query`), then the profile, the lists and the neighbours (one `BatchGetItem`).

use super::{App, AppError, live};
use crate::domain::catalog::NEEDS;
use crate::domain::clock::Timestamp;
use crate::domain::customer::Language;
use crate::domain::events::EventKind;
use crate::domain::recommend::{
    self, Pick, Reason, Seen, Sources, also_bought, blend, segment_need,
};
use crate::domain::session::SessionClaims;
use crate::site_config;
use crate::store::events as event_store;
use crate::store::recs::{self, POPULAR, RecsListItem, need_list, topic_list};
use ecrm_recs_model::{Interaction, recency::history_weights};
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use utoipa::ToSchema;

pub const DEFAULT_LIMIT: usize = 8;
pub const MAX_LIMIT: usize = 20;
/// Events a lookup reads (newest first): enough for a visit's worth of activity.
const RECENT_EVENTS: i32 = 50;
/// Distinct items of those whose neighbours are read.
const HISTORY_ITEMS: usize = 20;

/// What the list is made from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    /// The customer's activity, their topics and popularity.
    Personal,
    /// Topics (the customer's or those picked) and popularity only.
    Topics,
    /// Items bought together with one item.
    Item,
}

/// One recommended item.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct RecommendedItem {
    pub sku: String,
    pub name: String,
    /// Why it is here, in the answer's language.
    pub reason: String,
    /// The SKU the reason names (a neighbour of it), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub because: Option<String>,
    /// The topic the reason names, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub topic: Option<String>,
}

/// `GET /api/recommendations`.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Recommendations {
    pub basis: Basis,
    /// Whether the customer's own activity was used (only with the personalisation
    /// consent).
    pub personalised: bool,
    /// `en` or `es`: the language of names, reasons and `note`.
    pub language: String,
    /// What the list is made from, in a sentence.
    pub note: String,
    pub items: Vec<RecommendedItem>,
}

/// The query, as sent.
#[derive(Debug, Clone, Default)]
pub struct Lookup<'a> {
    pub limit: Option<&'a str>,
    /// Comma-separated topic ids.
    pub topic: Option<&'a str>,
    pub item: Option<&'a str>,
    pub lang: Option<&'a str>,
}

fn bad(field: &'static str, detail: &'static str) -> AppError {
    AppError::BadQuery { field, detail }
}

fn topic_label(language: Language) -> impl Fn(&str) -> String {
    move |id: &str| {
        site_config::facts()
            .topics
            .iter()
            .find(|t| t.id == id)
            .map(|t| match language {
                Language::En => t.en.to_lowercase(),
                Language::Es => t.es.to_lowercase(),
            })
            .unwrap_or_else(|| id.to_string())
    }
}

fn view(picks: Vec<Pick>, language: Language) -> Vec<RecommendedItem> {
    picks
        .into_iter()
        .map(|pick| RecommendedItem {
            reason: recommend::say(&pick.reason, language, topic_label(language)),
            because: match &pick.reason {
                Reason::Because { sku, .. } | Reason::AlsoBought { sku, .. } => Some(sku.clone()),
                _ => None,
            },
            topic: match &pick.reason {
                Reason::Topic(topic) => Some(topic.clone()),
                _ => None,
            },
            name: recommend::name_in(&pick.name, language),
            sku: pick.sku,
        })
        .collect()
}

fn note(basis: Basis, personalised: bool, signed_in: bool, language: Language) -> String {
    let text = match (basis, personalised, signed_in, language) {
        (Basis::Personal, _, _, Language::En) => {
            "Chosen from what you looked at and asked prices for, the topics you follow and what is popular."
        }
        (Basis::Personal, _, _, Language::Es) => {
            "Elegido a partir de lo que miraste y de lo que pediste precio, los temas que sigues y lo más popular."
        }
        (Basis::Topics, false, true, Language::En) => {
            "Personalisation is off: we use only the topics you follow and what is popular, and keep no record of what you look at. Turn it on in your preferences to get suggestions from what you do."
        }
        (Basis::Topics, false, true, Language::Es) => {
            "La personalización está desactivada: solo usamos los temas que sigues y lo más popular, y no guardamos lo que miras. Actívala en tus preferencias para recibir sugerencias según lo que haces."
        }
        (Basis::Topics, _, _, Language::En) => {
            "Chosen from the topics and what is popular; nothing about you is used."
        }
        (Basis::Topics, _, _, Language::Es) => {
            "Elegido según los temas y lo más popular; no se usa nada sobre ti."
        }
        (Basis::Item, _, _, Language::En) => "Bought together with this item by other customers.",
        (Basis::Item, _, _, Language::Es) => "Comprado junto con este artículo por otros clientes.",
    };
    text.to_string()
}

/// The note for a signed-in customer who told us who they buy for (it is used too).
fn segment_note(personalised: bool, language: Language) -> &'static str {
    match (personalised, language) {
        (true, Language::En) => {
            "Chosen from what you looked at and asked prices for, the topics you follow, who you buy for and what is popular."
        }
        (true, Language::Es) => {
            "Elegido a partir de lo que miraste y de lo que pediste precio, los temas que sigues, para quién compras y lo más popular."
        }
        (false, Language::En) => {
            "Personalisation is off: we use only the topics you follow, who you buy for and what is popular, and keep no record of what you look at. Turn it on in your preferences to get suggestions from what you do."
        }
        (false, Language::Es) => {
            "La personalización está desactivada: solo usamos los temas que sigues, para quién compras y lo más popular, y no guardamos lo que miras. Actívala en tus preferencias para recibir sugerencias según lo que haces."
        }
    }
}

fn limit_of(raw: Option<&str>) -> Result<usize, AppError> {
    match raw {
        None => Ok(DEFAULT_LIMIT),
        Some(raw) => raw
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=MAX_LIMIT).contains(n))
            .ok_or(bad("limit", "limit must be a whole number from 1 to 20.")),
    }
}

fn topics_of(raw: &str) -> Result<Vec<String>, AppError> {
    let facts = site_config::facts();
    let topics: Vec<String> = raw
        .split(',')
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(String::from)
        .collect();
    if topics.is_empty() || !topics.iter().all(|t| facts.is_topic(t)) {
        return Err(bad(
            "topic",
            "topic must be one or more topic ids, comma-separated.",
        ));
    }
    Ok(topics)
}

fn list<'a>(lists: &'a [RecsListItem], name: &str) -> &'a [recs::Scored] {
    lists
        .iter()
        .find(|l| l.list == name)
        .map_or(&[][..], |l| l.items.as_slice())
}

/// Recommendations for `session` (or a visitor), as `lookup` asks.
pub async fn lookup(
    app: &App,
    session: Option<&SessionClaims>,
    lookup: &Lookup<'_>,
) -> Result<Recommendations, AppError> {
    let limit = limit_of(lookup.limit)?;
    let asked_language = match lookup.lang {
        None => None,
        Some(raw) => Some(Language::parse(raw).ok_or(bad("lang", "lang must be en or es."))?),
    };
    if lookup.topic.is_some() && lookup.item.is_some() {
        return Err(bad("item", "ask for a topic or an item, not both."));
    }
    if let Some(sku) = lookup.item {
        let language = asked_language.unwrap_or(Language::En);
        if !crate::domain::events::is_sku(sku) {
            return Err(bad(
                "item",
                "item must be a SKU: five digits, then capital letters or digits.",
            ));
        }
        let inputs = recs::read(&app.store, None, &[sku.to_string()], &[]).await?;
        let items = match inputs.neighbours.first() {
            Some(n) => also_bought(&n.sku, &n.name, &n.neighbours, limit),
            None => Vec::new(),
        };
        return Ok(Recommendations {
            basis: Basis::Item,
            personalised: false,
            language: language_code(language),
            note: note(Basis::Item, false, false, language),
            items: view(items, language),
        });
    }
    let picked = lookup.topic.map(topics_of).transpose()?;
    match (session, picked) {
        (Some(session), None) => personal(app, session, limit, asked_language).await,
        (_, picked) => {
            let language = asked_language.unwrap_or(Language::En);
            let topics = picked.unwrap_or_default();
            let mut lists: Vec<String> = topics.iter().map(|t| topic_list(t)).collect();
            lists.push(POPULAR.to_string());
            let inputs = recs::read(&app.store, None, &[], &lists).await?;
            let sources = Sources {
                topics: topics
                    .iter()
                    .map(|t| (t.as_str(), list(&inputs.lists, &topic_list(t))))
                    .collect(),
                popular: list(&inputs.lists, POPULAR),
                ..Sources::default()
            };
            Ok(Recommendations {
                basis: Basis::Topics,
                personalised: false,
                language: language_code(language),
                note: note(Basis::Topics, false, false, language),
                items: view(blend(&sources, limit), language),
            })
        }
    }
}

fn language_code(language: Language) -> String {
    match language {
        Language::En => "en".into(),
        Language::Es => "es".into(),
    }
}

async fn personal(
    app: &App,
    session: &SessionClaims,
    limit: usize,
    asked_language: Option<Language>,
) -> Result<Recommendations, AppError> {
    // Read before the session is checked, used only once it is (next round trip).
    let recent = event_store::recent(&app.store, &session.cid, RECENT_EVENTS).await?;
    let events = &recent.events;
    let mut skus: Vec<String> = Vec::new();
    let mut needs: Vec<String> = Vec::new();
    for event in events {
        let bucket = if event.event == EventKind::NeedViewed {
            &mut needs
        } else {
            &mut skus
        };
        if !bucket.contains(&event.subject) {
            bucket.push(event.subject.clone());
        }
    }
    skus.truncate(HISTORY_ITEMS);
    needs.retain(|n| NEEDS.contains(&n.as_str()));
    let mut lists: Vec<String> = site_config::facts()
        .topics
        .iter()
        .map(|t| topic_list(&t.id))
        .collect();
    // Every need's list, browsed or not: one of them stands for who the customer buys
    // for, known only once the profile arrives in this same read.
    lists.extend(NEEDS.iter().map(|n| need_list(n)));
    lists.push(POPULAR.to_string());
    let inputs = recs::read(&app.store, Some(&session.cid), &skus, &lists).await?;
    let profile = live(session, inputs.profile.as_ref())?;
    let language = asked_language.unwrap_or(profile.language);
    let personalised = profile.consents.personalisation;

    let names: HashMap<&str, &recs::NeighboursItem> = inputs
        .neighbours
        .iter()
        .map(|n| (n.sku.as_str(), n))
        .collect();
    let mut sources = Sources {
        topics: profile
            .topics
            .iter()
            .map(|t| (t.as_str(), list(&inputs.lists, &topic_list(t))))
            .collect(),
        popular: list(&inputs.lists, POPULAR),
        // Stated by the customer, like topics: used with or without personalisation.
        segment: profile.buys_for.as_ref().map(|s| {
            let need = need_list(segment_need(s.value));
            (s.value, list(&inputs.lists, &need))
        }),
        ..Sources::default()
    };
    if personalised {
        // Never what they have (accepted quotes, however old) nor what they did lately.
        let mut exclude: HashSet<String> = recent.owned.iter().cloned().collect();
        let mut interactions: Vec<Interaction> = Vec::new();
        let mut strongest: HashMap<&str, EventKind> = HashMap::new();
        for event in events.iter().filter(|e| e.event != EventKind::NeedViewed) {
            exclude.insert(event.subject.clone());
            let Ok(at) = Timestamp::parse(&event.at) else {
                continue;
            };
            let kind = strongest
                .entry(event.subject.as_str())
                .or_insert(event.event);
            if event.event.weight() > kind.weight() {
                *kind = event.event;
            }
            interactions.push(Interaction {
                user: String::new(),
                item: event.subject.clone(),
                at: at.unix(),
                weight: event.event.weight(),
            });
        }
        // The evaluated rule (ecrm_recs_model::recency), ages by the one clock.
        let seen: Vec<Seen> = history_weights(&interactions, app.clock.unix())
            .into_iter()
            .filter_map(|(sku, weight)| {
                let item = names.get(sku.as_str())?;
                Some(Seen {
                    kind: *strongest.get(sku.as_str())?,
                    name: item.name.clone(),
                    weight,
                    sku,
                })
            })
            .collect();
        sources.neighbours = inputs
            .neighbours
            .iter()
            .map(|n| (n.sku.as_str(), n.neighbours.as_slice()))
            .collect();
        sources.needs = needs
            .iter()
            .map(|n| (n.as_str(), list(&inputs.lists, &need_list(n))))
            .collect();
        sources.history = seen;
        sources.exclude = exclude;
    }
    let basis = if personalised {
        Basis::Personal
    } else {
        Basis::Topics
    };
    Ok(Recommendations {
        basis,
        personalised,
        language: language_code(language),
        note: if sources.segment.is_some() {
            segment_note(personalised, language).to_string()
        } else {
            note(basis, personalised, true, language)
        },
        items: view(blend(&sources, limit), language),
    })
}
