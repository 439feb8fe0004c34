//! The offline evaluation's predictions: the model and a popularity baseline, top k for
//! every customer with train history, computed from train alone.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::{self, Write};

use crate::data::Purchase;
use crate::{Interaction, Model, ModelConfig, fit, recency, recommend};

/// Model settings plus how a customer's history is weighted when scoring.
#[derive(Clone, Debug)]
pub struct EvalConfig {
    pub model: ModelConfig,
    /// Half-life (days) of a history interaction's weight, by age relative to the
    /// newest train time.
    pub history_half_life_days: f32,
    /// How many items each customer gets (the protocol's 10).
    pub k: usize,
    /// How repeated purchases of one item add up in the history: `Max` (the latest
    /// purchase decides) did better on validation than summing repeats.
    pub aggregate: recency::Aggregate,
}

impl Default for EvalConfig {
    fn default() -> Self {
        EvalConfig {
            model: ModelConfig::default(),
            history_half_life_days: recency::HISTORY_HALF_LIFE_DAYS,
            k: 10,
            aggregate: recency::HISTORY_AGGREGATE,
        }
    }
}

/// Log rows as model interactions (weight 1 per invoice line).
pub fn interactions(rows: &[Purchase]) -> Vec<Interaction> {
    rows.iter().map(Purchase::interaction).collect()
}

/// Fits the model on the train rows.
pub fn fit_model(train: &[Purchase], config: &EvalConfig) -> Model {
    fit(&interactions(train), &config.model)
}

/// Top k for every customer with train history, excluding what they bought in train.
pub fn predict(
    model: &Model,
    train: &[Purchase],
    config: &EvalConfig,
) -> BTreeMap<String, Vec<String>> {
    let mut by_customer: HashMap<&str, Vec<Interaction>> = HashMap::new();
    for p in train {
        by_customer
            .entry(p.customer.as_str())
            .or_default()
            .push(p.interaction());
    }
    by_customer
        .into_iter()
        .map(|(customer, rows)| {
            let history = if config.history_half_life_days == recency::HISTORY_HALF_LIFE_DAYS
                && config.aggregate == recency::HISTORY_AGGREGATE
            {
                // The chosen rule: the very function the online lookup calls.
                recency::history_weights(&rows, model.newest())
            } else {
                recency::weighted_history(
                    &rows,
                    model.newest(),
                    config.history_half_life_days,
                    config.aggregate,
                )
            };
            let exclude: HashSet<String> = history.iter().map(|(i, _)| i.clone()).collect();
            let items = recommend(
                &history,
                |item| model.neighbours(item),
                model.popularity(),
                &exclude,
                config.k,
            )
            .into_iter()
            .map(|r| r.item)
            .collect();
            (customer.to_string(), items)
        })
        .collect()
}

/// The baseline: the k items most customers bought in train, excluding the customer's own.
pub fn predict_popularity(train: &[Purchase], k: usize) -> BTreeMap<String, Vec<String>> {
    let mut users: HashMap<&str, HashSet<&str>> = HashMap::new();
    for p in train {
        users
            .entry(p.item.as_str())
            .or_default()
            .insert(p.customer.as_str());
    }
    let mut ranked: Vec<(&str, usize)> = users.iter().map(|(i, u)| (*i, u.len())).collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let bought = crate::metrics::items_by_customer(train);
    bought
        .iter()
        .map(|(customer, own)| {
            let items = ranked
                .iter()
                .filter(|(i, _)| !own.contains(i))
                .take(k)
                .map(|(i, _)| (*i).to_string())
                .collect();
            (customer.to_string(), items)
        })
        .collect()
}

/// Predictions as JSON lines `{"customer":"…","items":["…",…]}`, by customer.
pub fn write_jsonl(
    predictions: &BTreeMap<String, Vec<String>>,
    out: &mut impl Write,
) -> io::Result<()> {
    for (customer, items) in predictions {
        let line = serde_json::json!({ "customer": customer, "items": items });
        writeln!(out, "{line}")?;
    }
    Ok(())
}
