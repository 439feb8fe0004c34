//! The blend behind `GET /api/recommendations`: items from the neighbours of what the
//! customer did (scored by `ecrm_recs_model::recommend`, the function the offline
//! evaluation measures), from their stated topics and the needs they browsed, and
//! from popularity, each with the reason it was picked, in the customer's language.

use super::catalog::LocalText;
use super::events::EventKind;
pub use super::recommend_say::{name_in, say};
use super::segment::BuysFor;
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
    /// Popular within the catalog's range for who the customer told us they buy for
    /// (`buys_for`): the list of the matching need ([`segment_need`]).
    Segment(BuysFor),
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
    /// The model's popularity list (trend order, blend scores), also offered alone.
    pub popular: &'a [Scored],
    /// Who the customer buys for, with the list of the matching need.
    pub segment: Option<(BuysFor, &'a [Scored])>,
    pub exclude: HashSet<String>,
}

/// The catalog need whose list stands for a `buys_for` value: items the catalog's word
/// rule (domain/catalog_words.rs) files under that need, by how many customers had them.
pub const fn segment_need(buys_for: BuysFor) -> &'static str {
    match buys_for {
        BuysFor::Home => "home",
        BuysFor::Gifts => "gift",
        BuysFor::Business => "business",
    }
}

/// How much the best item of each source is worth in the blend.
const HISTORY_SHARE: f32 = 1.0;
const TOPIC_SHARE: f32 = 0.6;
const NEED_SHARE: f32 = 0.5;
/// Stated like topics, less specific than a followed topic, more than a browsed need.
const SEGMENT_SHARE: f32 = 0.55;
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
        .flat_map(|list| list.iter())
        .chain(sources.popular)
        .map(|s| (s.sku.as_str(), &s.name))
        .collect();
    let popularity: Vec<(String, f32)> = sources
        .popular
        .iter()
        .map(|s| (s.sku.clone(), s.score))
        .collect();
    let history: Vec<(String, f32)> = sources
        .history
        .iter()
        .map(|s| (s.sku.clone(), s.weight))
        .collect();
    // The evaluated scoring, popularity blend included (as `eval-recs` calls it).
    let mut scored = ecrm_recs_model::recommend(
        &history,
        |sku| lists.get(sku).map(Vec::as_slice),
        &popularity,
        &sources.exclude,
        k.max(1) * 2,
    );
    if scored.iter().all(|r| r.because.is_none()) {
        // The history reached nothing: that is popularity's fill-up alone, which the
        // topic, need and popularity lists below order instead.
        scored.clear();
    }
    let top = scored.first().map_or(0.0, |r| r.score);
    for r in scored {
        let Some(name) = names.get(r.item.as_str()) else {
            continue;
        };
        // Without a history item behind it, the model ranked it for its trend alone.
        let reason = match r.because.as_deref() {
            None => Reason::Popular,
            Some(because) => {
                let Some(seen) = sources.history.iter().find(|s| s.sku == because) else {
                    continue;
                };
                Reason::Because {
                    sku: seen.sku.clone(),
                    name: seen.name.clone(),
                    kind: seen.kind,
                }
            }
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
                reason,
            },
        );
    }
    for (topic, list) in &sources.topics {
        offer_list(&mut best, list, TOPIC_SHARE, &sources.exclude, || {
            Reason::Topic((*topic).to_string())
        });
    }
    if let Some((buys_for, list)) = sources.segment {
        offer_list(&mut best, list, SEGMENT_SHARE, &sources.exclude, || {
            Reason::Segment(buys_for)
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

#[cfg(test)]
#[path = "recommend_tests.rs"]
mod tests;
