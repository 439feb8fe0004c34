//! The evaluation protocol's metrics (issue #14, item 6): for each customer with train
//! history, the relevant items are their test items not bought in train; customers
//! with at least one relevant item are evaluated.

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::data::Purchase;

/// Means over evaluated customers, and catalog coverage.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Scores {
    /// Customers evaluated (train history and at least one relevant item).
    pub customers: usize,
    /// Share of customers with at least one relevant item in their top k.
    pub hit_rate: f64,
    /// Binary gains, log2 discount, ideal over min(k, |relevant|).
    pub ndcg: f64,
    /// Relevant items in the top k / |relevant|.
    pub recall: f64,
    /// Distinct items in all predictions / distinct items in train.
    pub coverage: f64,
    /// Standard errors of the two means (sample standard deviation / √customers):
    /// how far apart two figures must be before they say anything.
    pub hit_rate_se: f64,
    pub ndcg_se: f64,
}

/// Hit (0/1), NDCG and recall of one customer's top `k`.
pub fn score_one(recommended: &[String], relevant: &HashSet<&str>, k: usize) -> (f64, f64, f64) {
    if relevant.is_empty() {
        return (0.0, 0.0, 0.0);
    }
    let mut hits = 0usize;
    let mut dcg = 0.0;
    for (rank, item) in recommended.iter().take(k).enumerate() {
        if relevant.contains(item.as_str()) {
            hits += 1;
            dcg += 1.0 / ((rank + 2) as f64).log2();
        }
    }
    let ideal: f64 = (0..k.min(relevant.len()))
        .map(|rank| 1.0 / ((rank + 2) as f64).log2())
        .sum();
    let hit = if hits > 0 { 1.0 } else { 0.0 };
    (hit, dcg / ideal, hits as f64 / relevant.len() as f64)
}

/// Items per customer.
pub fn items_by_customer(rows: &[Purchase]) -> HashMap<&str, HashSet<&str>> {
    let mut out: HashMap<&str, HashSet<&str>> = HashMap::new();
    for p in rows {
        out.entry(p.customer.as_str())
            .or_default()
            .insert(p.item.as_str());
    }
    out
}

/// Scores predictions (customer → top items) against the test rows.
pub fn evaluate(
    predictions: &BTreeMap<String, Vec<String>>,
    train: &[Purchase],
    test: &[Purchase],
    k: usize,
) -> Scores {
    let bought = items_by_customer(train);
    let later = items_by_customer(test);
    let catalog: HashSet<&str> = train.iter().map(|p| p.item.as_str()).collect();
    let shown: HashSet<&str> = predictions
        .values()
        .flat_map(|items| items.iter().take(k).map(String::as_str))
        .collect();
    let mut scores = Scores {
        coverage: shown.len() as f64 / catalog.len().max(1) as f64,
        ..Scores::default()
    };
    let empty = Vec::new();
    let (mut hit_sq, mut ndcg_sq) = (0.0, 0.0);
    for (customer, before) in &bought {
        let Some(after) = later.get(customer) else {
            continue;
        };
        let relevant: HashSet<&str> = after.difference(before).copied().collect();
        if relevant.is_empty() {
            continue;
        }
        let recommended = predictions.get(*customer).unwrap_or(&empty);
        let (hit, ndcg, recall) = score_one(recommended, &relevant, k);
        scores.customers += 1;
        scores.hit_rate += hit;
        scores.ndcg += ndcg;
        scores.recall += recall;
        hit_sq += hit * hit;
        ndcg_sq += ndcg * ndcg;
    }
    if scores.customers > 0 {
        let n = scores.customers as f64;
        scores.hit_rate /= n;
        scores.ndcg /= n;
        scores.recall /= n;
        let se = |mean: f64, sq: f64| {
            let var = (sq / n - mean * mean).max(0.0) * n / (n - 1.0).max(1.0);
            (var / n).sqrt()
        };
        scores.hit_rate_se = se(scores.hit_rate, hit_sq);
        scores.ndcg_se = se(scores.ndcg, ndcg_sq);
    }
    scores
}
