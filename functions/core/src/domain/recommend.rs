//! The blend behind `GET /api/recommendations`: items from the neighbours of what the
//! customer did (scored by `ecrm_recs_model::recommend`, the function the offline
//! evaluation measures), from their stated topics and the needs they browsed, and
//! from popularity, each with the reason it was picked, in the customer's language.

use super::catalog::LocalText;
use super::customer::Language;
use super::events::EventKind;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};

/// One item of a stored list, with its score and name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scored {
    pub sku: String,
    pub score: f32,
    pub name: LocalText,
}

/// Why an item was recommended.
#[derive(Debug, Clone, PartialEq)]
pub enum Reason {
    /// A neighbour of something the customer did.
    Because {
        sku: String,
        name: LocalText,
        kind: EventKind,
    },
    /// Popular within a topic the customer follows (or a visitor picked).
    Topic(String),
    /// Popular among items for a need the customer browsed.
    Need(String),
    /// Popular in the shop.
    Popular,
    /// Bought together with the item a visitor is looking at.
    AlsoBought { sku: String, name: LocalText },
}

/// A recommended item.
#[derive(Debug, Clone, PartialEq)]
pub struct Pick {
    pub sku: String,
    pub name: LocalText,
    pub reason: Reason,
}

/// A history item: its SKU, name, weight, and what the customer did with it.
#[derive(Debug, Clone, PartialEq)]
pub struct Seen {
    pub sku: String,
    pub name: LocalText,
    pub weight: f32,
    pub kind: EventKind,
}

/// What a blend is made from. Each source's scores are scaled so its best item is
/// worth its share: history first, then topics and needs, then popularity.
#[derive(Debug, Clone, Default)]
pub struct Sources<'a> {
    pub history: Vec<Seen>,
    /// Neighbour lists by SKU (of the history items).
    pub neighbours: HashMap<&'a str, &'a [Scored]>,
    pub topics: Vec<(&'a str, &'a [Scored])>,
    pub needs: Vec<(&'a str, &'a [Scored])>,
    pub popular: &'a [Scored],
    pub exclude: HashSet<String>,
}

/// How much the best item of each source is worth in the blend.
const HISTORY_SHARE: f32 = 1.0;
const TOPIC_SHARE: f32 = 0.6;
const NEED_SHARE: f32 = 0.5;
const POPULAR_SHARE: f32 = 0.3;

struct Candidate {
    score: f32,
    name: LocalText,
    reason: Reason,
}

fn offer(best: &mut HashMap<String, Candidate>, sku: &str, candidate: Candidate) {
    match best.get(sku) {
        Some(held) if held.score >= candidate.score => {}
        _ => {
            best.insert(sku.to_string(), candidate);
        }
    }
}

/// Offer a list's items scaled so its first is worth `share`; a list's order matters,
/// not its raw scores (which differ by source).
fn offer_list(
    best: &mut HashMap<String, Candidate>,
    list: &[Scored],
    share: f32,
    exclude: &HashSet<String>,
    reason: impl Fn() -> Reason,
) {
    let n = list.len().max(1) as f32;
    for (rank, item) in list.iter().enumerate() {
        if exclude.contains(&item.sku) {
            continue;
        }
        let score = share * (1.0 - rank as f32 / (2.0 * n));
        offer(
            best,
            &item.sku,
            Candidate {
                score,
                name: item.name.clone(),
                reason: reason(),
            },
        );
    }
}

/// The top `k` items of the blend, best first (ties by SKU).
pub fn blend(sources: &Sources<'_>, k: usize) -> Vec<Pick> {
    let mut best: HashMap<String, Candidate> = HashMap::new();
    // History: the model's scoring over the neighbour lists.
    let lists: HashMap<&str, Vec<(String, f32)>> = sources
        .neighbours
        .iter()
        .map(|(sku, list)| {
            let pairs = list.iter().map(|s| (s.sku.clone(), s.score)).collect();
            (*sku, pairs)
        })
        .collect();
    let names: HashMap<&str, &LocalText> = sources
        .neighbours
        .values()
        .flat_map(|list| list.iter().map(|s| (s.sku.as_str(), &s.name)))
        .collect();
    let history: Vec<(String, f32)> = sources
        .history
        .iter()
        .map(|s| (s.sku.clone(), s.weight))
        .collect();
    let scored = ecrm_recs_model::recommend(
        &history,
        |sku| lists.get(sku).map(Vec::as_slice),
        &[],
        &sources.exclude,
        k.max(1) * 2,
    );
    let top = scored.first().map_or(0.0, |r| r.score);
    for r in scored {
        let (Some(because), Some(name)) = (r.because.as_deref(), names.get(r.item.as_str())) else {
            continue;
        };
        let Some(seen) = sources.history.iter().find(|s| s.sku == because) else {
            continue;
        };
        let score = if top > 0.0 {
            HISTORY_SHARE * (0.5 + 0.5 * r.score / top)
        } else {
            0.0
        };
        offer(
            &mut best,
            &r.item,
            Candidate {
                score,
                name: (*name).clone(),
                reason: Reason::Because {
                    sku: seen.sku.clone(),
                    name: seen.name.clone(),
                    kind: seen.kind,
                },
            },
        );
    }
    for (topic, list) in &sources.topics {
        offer_list(&mut best, list, TOPIC_SHARE, &sources.exclude, || {
            Reason::Topic((*topic).to_string())
        });
    }
    for (need, list) in &sources.needs {
        offer_list(&mut best, list, NEED_SHARE, &sources.exclude, || {
            Reason::Need((*need).to_string())
        });
    }
    offer_list(
        &mut best,
        sources.popular,
        POPULAR_SHARE,
        &sources.exclude,
        || Reason::Popular,
    );
    let mut ranked: Vec<(String, Candidate)> = best.into_iter().collect();
    ranked.sort_by(|a, b| b.1.score.total_cmp(&a.1.score).then(a.0.cmp(&b.0)));
    ranked
        .into_iter()
        .take(k)
        .map(|(sku, c)| Pick {
            sku,
            name: c.name,
            reason: c.reason,
        })
        .collect()
}

/// "Customers who bought this also bought": an item's neighbours, best first.
pub fn also_bought(sku: &str, name: &LocalText, list: &[Scored], k: usize) -> Vec<Pick> {
    list.iter()
        .filter(|s| s.sku != sku)
        .take(k)
        .map(|s| Pick {
            sku: s.sku.clone(),
            name: s.name.clone(),
            reason: Reason::AlsoBought {
                sku: sku.to_string(),
                name: name.clone(),
            },
        })
        .collect()
}

fn text(name: &LocalText, language: Language) -> &str {
    match language {
        Language::En => &name.en,
        Language::Es => &name.es,
    }
}

/// A need's words, for a reason.
fn need_words(need: &str, language: Language) -> &'static str {
    match (need, language) {
        ("gift", Language::En) => "gifts",
        ("gift", Language::Es) => "regalos",
        ("home", Language::En) => "things for the home",
        ("home", Language::Es) => "cosas para el hogar",
        ("event", Language::En) => "things for an event",
        ("event", Language::Es) => "cosas para un evento",
        (_, Language::En) => "things for a business",
        (_, Language::Es) => "cosas para un negocio",
    }
}

/// The item's name in `language`.
pub fn name_in(name: &LocalText, language: Language) -> String {
    text(name, language).to_string()
}

/// The reason, said in `language`; `topic_label` names a topic id in that language.
pub fn say(reason: &Reason, language: Language, topic_label: impl Fn(&str) -> String) -> String {
    use Language::{En, Es};
    match (reason, language) {
        (Reason::Because { name, kind, .. }, _) => {
            let x = text(name, language);
            match (kind, language) {
                (EventKind::QuoteAccepted, En) => format!("Because you ordered {x}"),
                (EventKind::QuoteAccepted, Es) => format!("Porque pediste {x}"),
                (EventKind::QuoteRequested | EventKind::QuoteDraftAdded, En) => {
                    format!("Because you asked for a price for {x}")
                }
                (EventKind::QuoteRequested | EventKind::QuoteDraftAdded, Es) => {
                    format!("Porque pediste precio de {x}")
                }
                (_, En) => format!("Because you looked at {x}"),
                (_, Es) => format!("Porque miraste {x}"),
            }
        }
        (Reason::Topic(topic), En) => {
            format!("Popular with people who follow {}", topic_label(topic))
        }
        (Reason::Topic(topic), Es) => {
            format!("Popular entre quienes siguen {}", topic_label(topic))
        }
        (Reason::Need(need), En) => format!(
            "Popular with people looking for {}",
            need_words(need, language)
        ),
        (Reason::Need(need), Es) => {
            format!(
                "Popular entre quienes buscan {}",
                need_words(need, language)
            )
        }
        (Reason::Popular, En) => "Popular in our shop".to_string(),
        (Reason::Popular, Es) => "Popular en nuestra tienda".to_string(),
        (Reason::AlsoBought { name, .. }, En) => {
            format!(
                "Customers who bought {} also bought this",
                text(name, language)
            )
        }
        (Reason::AlsoBought { name, .. }, Es) => {
            format!(
                "Quienes compraron {} también compraron esto",
                text(name, language)
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn named(sku: &str) -> LocalText {
        LocalText {
            en: format!("item {sku}"),
            es: format!("artículo {sku}"),
        }
    }

    fn list(skus: &[(&str, f32)]) -> Vec<Scored> {
        skus.iter()
            .map(|(sku, score)| Scored {
                sku: sku.to_string(),
                score: *score,
                name: named(sku),
            })
            .collect()
    }

    #[test]
    fn history_beats_topics_beats_popularity_and_owned_items_never_show() {
        let of_a = list(&[("B", 0.9), ("C", 0.2), ("OWNED", 0.8)]);
        let gifts = list(&[("D", 1.0), ("B", 0.5)]);
        let popular = list(&[("E", 1.0), ("D", 0.5), ("A", 0.4)]);
        let sources = Sources {
            history: vec![Seen {
                sku: "A".into(),
                name: named("A"),
                weight: 3.0,
                kind: EventKind::QuoteRequested,
            }],
            neighbours: HashMap::from([("A", of_a.as_slice())]),
            topics: vec![("gifts", gifts.as_slice())],
            needs: vec![],
            popular: &popular,
            exclude: HashSet::from(["A".to_string(), "OWNED".to_string()]),
        };
        let picks = blend(&sources, 4);
        let skus: Vec<&str> = picks.iter().map(|p| p.sku.as_str()).collect();
        assert_eq!(skus, ["B", "C", "D", "E"]);
        assert!(matches!(&picks[0].reason, Reason::Because { sku, .. } if sku == "A"));
        assert_eq!(picks[2].reason, Reason::Topic("gifts".into()));
        assert_eq!(picks[3].reason, Reason::Popular);
        let label = |t: &str| t.to_uppercase();
        assert_eq!(
            say(&picks[0].reason, Language::En, label),
            "Because you asked for a price for item A"
        );
        assert_eq!(
            say(&picks[0].reason, Language::Es, label),
            "Porque pediste precio de artículo A"
        );
        assert_eq!(
            say(&picks[2].reason, Language::Es, label),
            "Popular entre quienes siguen GIFTS"
        );
    }

    #[test]
    fn without_history_the_blend_is_topics_then_popularity() {
        let gifts = list(&[("D", 1.0)]);
        let popular = list(&[("E", 1.0), ("D", 0.9)]);
        let sources = Sources {
            topics: vec![("gifts", gifts.as_slice())],
            popular: &popular,
            ..Sources::default()
        };
        let picks = blend(&sources, 10);
        assert_eq!(picks.len(), 2);
        assert_eq!(picks[0].reason, Reason::Topic("gifts".into()));
        assert_eq!(picks[1].reason, Reason::Popular);
        let also = also_bought("A", &named("A"), &list(&[("A", 1.0), ("B", 0.5)]), 5);
        assert_eq!(also.len(), 1);
        assert_eq!(
            say(&also[0].reason, Language::En, |t| t.into()),
            "Customers who bought item A also bought this"
        );
    }
}
