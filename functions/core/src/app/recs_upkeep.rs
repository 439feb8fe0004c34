//! Keeping the neighbour lists: a rebuild of every list from the seed history and the
//! recorded events (`ecrm_recs_model::fit`), and the stream worker's incremental update
//! for one new event (`ecrm_recs_model::incremental`), which costs O(neighbours of the
//! items it touches).
//!
//! The seed history is the first half of the retailer's purchase log, read from the
//! log file by the rebuild and never stored: its customers are synthetic, consent-free
//! "anonymous baskets" (a CustomerID of the log, no customer record), so nothing about
//! a person is kept and a rebuild always starts from the same file.

use super::{App, AppError};
use crate::domain::catalog::{CatalogItem, LocalText, NEEDS};
use crate::domain::events::EventKind;
use crate::domain::recommend::Scored;
use crate::site_config;
use crate::store::StoreError;
use crate::store::catalog as catalog_store;
use crate::store::events::{self as event_store, EventItem};
use crate::store::recs::{self, NeighboursItem, POPULAR, RecsListItem, need_list, topic_list};
use ecrm_recs_model::{Interaction, Model, ModelConfig, incremental};
use std::collections::{HashMap, HashSet};
use std::path::Path;

/// Neighbours kept per item online (the stored list's length).
pub const STORED_NEIGHBOURS: usize = 30;
/// Items kept on the popularity list and on each topic's and need's list.
const LIST_LENGTH: usize = 40;
/// The customer's events an incremental update pairs a new one with.
const RECENT_FOR_UPDATE: i32 = 20;

/// The model's settings online: RECS-MODEL's defaults (chosen on the train period, see
/// functions/recs-model/README.md) with the stored list's length.
pub fn model_config() -> ModelConfig {
    ModelConfig {
        neighbours: STORED_NEIGHBOURS,
        ..ModelConfig::default()
    }
}

/// The seed: the first half (by time) of the purchase log at `path`, as interactions
/// of weight 1 per invoice line (the evaluation protocol's row filter).
pub fn seed_from_log(path: &Path) -> Result<Vec<Interaction>, String> {
    let rows = ecrm_recs_model::data::read_log(path).map_err(|e| format!("{e:?}"))?;
    let (first, last) = rows.iter().fold((i64::MAX, i64::MIN), |(lo, hi), r| {
        (lo.min(r.at), hi.max(r.at))
    });
    let cut = first + (last - first) / 2;
    let (seed, _) = ecrm_recs_model::data::split_at(rows, cut);
    Ok(seed.iter().map(|p| p.interaction()).collect())
}

/// A small seed with a known shape, for tests: per topic, a few anonymous baskets of
/// that topic's first items, so every such item has neighbours in its own topic.
pub fn fixture_seed(catalog: &[CatalogItem]) -> Vec<Interaction> {
    let mut seed = Vec::new();
    for topic in &site_config::facts().topics {
        let items: Vec<&CatalogItem> = catalog
            .iter()
            .filter(|i| i.topics.contains(&topic.id))
            .take(6)
            .collect();
        for basket in 0..4 {
            for (n, item) in items.iter().enumerate() {
                // Each basket skips one item, so pairs differ in strength.
                if n % 4 != basket {
                    seed.push(Interaction {
                        user: format!("fixture-{}-{basket}", topic.id),
                        item: item.sku.clone(),
                        at: 1_290_000_000,
                        weight: 1.0,
                    });
                }
            }
        }
    }
    seed
}

/// What a rebuild did.
#[derive(Debug, Clone, PartialEq)]
pub struct Rebuilt {
    pub interactions: usize,
    pub events: usize,
    pub neighbour_lists: usize,
    pub lists: usize,
}

fn interaction_of(event: &EventItem) -> Option<Interaction> {
    if event.event == EventKind::NeedViewed {
        return None;
    }
    Some(Interaction {
        user: event.customer_id()?.to_string(),
        item: event.subject.clone(),
        at: crate::domain::clock::Timestamp::parse(&event.at)
            .ok()?
            .unix(),
        weight: event.event.weight(),
    })
}

fn scored(sku: &str, score: f32, names: &HashMap<&str, &LocalText>) -> Option<Scored> {
    names.get(sku).map(|name| Scored {
        sku: sku.to_string(),
        score,
        name: (*name).clone(),
    })
}

/// Fit every list from `seed` plus every recorded event, and write them all.
pub async fn rebuild(app: &App, seed: Vec<Interaction>) -> Result<Rebuilt, AppError> {
    let (catalog, events) = tokio::try_join!(
        catalog_store::list(&app.store),
        event_store::scan_all(&app.store)
    )?;
    let mut interactions = seed;
    let seeded = interactions.len();
    interactions.extend(events.iter().filter_map(interaction_of));
    // Popularity by distinct customers, for the topic and need lists.
    let mut buyers: HashMap<String, HashSet<String>> = HashMap::new();
    for i in &interactions {
        buyers
            .entry(i.item.clone())
            .or_default()
            .insert(i.user.clone());
    }
    let model: Model =
        tokio::task::spawn_blocking(move || ecrm_recs_model::fit(&interactions, &model_config()))
            .await
            .map_err(|_| AppError::Internal("the model fit stopped"))?;

    let names: HashMap<&str, &LocalText> =
        catalog.iter().map(|i| (i.sku.as_str(), &i.name)).collect();
    let now = app.clock.rfc3339();
    // Lists for the items the model knows (a catalog item nobody ever had gets none;
    // the worker leaves items without a list alone).
    let neighbour_items: Vec<NeighboursItem> = catalog
        .iter()
        .filter(|item| buyers.contains_key(&item.sku))
        .map(|item| {
            let list = model.neighbours(&item.sku).unwrap_or(&[]);
            let scored_list = list
                .iter()
                .filter_map(|(sku, score)| scored(sku, *score, &names))
                .collect();
            NeighboursItem::new(&item.sku, item.name.clone(), scored_list, &now)
        })
        .collect();
    let popularity = |items: &mut dyn Iterator<Item = &CatalogItem>| -> Vec<Scored> {
        let mut ranked: Vec<(&CatalogItem, usize)> = items
            .map(|i| (i, buyers.get(&i.sku).map_or(0, HashSet::len)))
            .filter(|(_, n)| *n > 0)
            .collect();
        ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.sku.cmp(&b.0.sku)));
        ranked
            .into_iter()
            .take(LIST_LENGTH)
            .map(|(i, n)| Scored {
                sku: i.sku.clone(),
                score: n as f32,
                name: i.name.clone(),
            })
            .collect()
    };
    // The popularity list is the model's own (trend order, blend scores): the lookup
    // passes it to `recommend` exactly as `eval-recs` passes `Model::popularity`.
    let popular: Vec<Scored> = model
        .popularity()
        .iter()
        .filter_map(|(sku, score)| scored(sku, *score, &names))
        .take(LIST_LENGTH)
        .collect();
    let mut lists = vec![RecsListItem::new(POPULAR, popular, &now)];
    lists[0].fresh_scale = Some(model.fresh_scale());
    for topic in &site_config::facts().topics {
        let items = popularity(&mut catalog.iter().filter(|i| i.topics.contains(&topic.id)));
        lists.push(RecsListItem::new(&topic_list(&topic.id), items, &now));
    }
    for need in NEEDS {
        let items = popularity(&mut catalog.iter().filter(|i| i.needs.iter().any(|n| n == need)));
        lists.push(RecsListItem::new(&need_list(need), items, &now));
    }
    recs::write(&app.store, &neighbour_items, &lists).await?;
    Ok(Rebuilt {
        interactions: seeded,
        events: events.len(),
        neighbour_lists: neighbour_items.len(),
        lists: lists.len(),
    })
}

/// Whether any list is stored yet (the runner rebuilds at start when none is).
pub async fn built(app: &App) -> Result<bool, StoreError> {
    recs::any_stored(&app.store).await
}

/// The stream worker's step for one new event: pair it with the customer's recent
/// items and merge the fresh co-occurrences into the stored lists of the items
/// touched. Reads: the recent events (one `Query`) and the touched lists with the
/// popularity list (one `BatchGetItem`); writes the changed lists. Returns how many
/// lists changed.
pub async fn apply(app: &App, event: &EventItem) -> Result<usize, AppError> {
    if event.event == EventKind::NeedViewed {
        return Ok(0);
    }
    let Some(customer_id) = event.customer_id() else {
        return Ok(0);
    };
    let recent = event_store::recent(&app.store, customer_id, RECENT_FOR_UPDATE)
        .await?
        .events;
    // Older than this event only (the stream hands it over after it is stored).
    let mut weighted: Vec<(String, f32)> = Vec::new();
    for (rank, e) in recent
        .iter()
        .filter(|e| e.sk < event.sk && e.event != EventKind::NeedViewed)
        .enumerate()
    {
        if !weighted.iter().any(|(sku, _)| *sku == e.subject) {
            let weight = e.event.weight() / (1.0 + rank as f32 / 10.0);
            weighted.push((e.subject.clone(), weight));
        }
    }
    let deltas = incremental::cooccurrence_deltas(&weighted, &event.subject, event.event.weight());
    if deltas.is_empty() {
        return Ok(0);
    }
    let mut touched: Vec<String> = vec![event.subject.clone()];
    touched.extend(weighted.iter().map(|(sku, _)| sku.clone()));
    let inputs = recs::read(&app.store, None, &touched, &[POPULAR.to_string()]).await?;
    let scale = inputs
        .lists
        .first()
        .and_then(|l| l.fresh_scale)
        .unwrap_or(0.0);
    if scale <= 0.0 {
        return Ok(0);
    }
    let names: HashMap<String, LocalText> = inputs
        .neighbours
        .iter()
        .map(|n| (n.sku.clone(), n.name.clone()))
        .collect();
    let mut changed = Vec::new();
    for mut stored in inputs.neighbours {
        let fresh: Vec<(String, f32)> = deltas
            .iter()
            .filter(|(a, b, _)| *a == stored.sku && names.contains_key(b))
            .map(|(_, b, d)| (b.clone(), *d))
            .collect();
        if fresh.is_empty() {
            continue;
        }
        let mut list: Vec<(String, f32)> = stored
            .neighbours
            .iter()
            .map(|s| (s.sku.clone(), s.score))
            .collect();
        incremental::merge_fresh(&mut list, &fresh, scale, STORED_NEIGHBOURS);
        let kept: HashMap<&str, &LocalText> = stored
            .neighbours
            .iter()
            .map(|s| (s.sku.as_str(), &s.name))
            .collect();
        let merged: Vec<Scored> = list
            .into_iter()
            .filter_map(|(sku, score)| {
                let name = kept.get(sku.as_str()).copied().or(names.get(&sku))?.clone();
                Some(Scored { sku, score, name })
            })
            .collect();
        stored.neighbours = merged;
        stored.updated_at = app.clock.rfc3339();
        changed.push(stored);
    }
    recs::write(&app.store, &changed, &[]).await?;
    Ok(changed.len())
}
