//! Weighting a customer's history by age: recent interactions say more about what
//! they want next than old ones.

use std::collections::HashMap;

use crate::Interaction;

const DAY: f32 = 86_400.0;

/// 0.5 ^ (age / half-life): 1 for now, ½ one half-life ago. Future times count as now.
pub fn decay(age_seconds: i64, half_life_days: f32) -> f32 {
    if half_life_days <= 0.0 {
        return 1.0;
    }
    let age_days = age_seconds.max(0) as f32 / DAY;
    0.5f32.powf(age_days / half_life_days)
}

/// How repeated interactions with one item add up.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Aggregate {
    /// Sum of the decayed weights: repeats count fully.
    Sum,
    /// The largest decayed weight: the latest interaction decides.
    Max,
    /// ln(1 + sum): repeats count, with diminishing returns.
    Log,
}

/// The history rule chosen on validation (README, "Choosing the settings"): a 240-day
/// half-life, and the latest interaction with an item decides its weight.
pub const HISTORY_HALF_LIFE_DAYS: f32 = 240.0;
/// See [`HISTORY_HALF_LIFE_DAYS`].
pub const HISTORY_AGGREGATE: Aggregate = Aggregate::Max;

/// A customer's history weighted by the evaluated rule ([`HISTORY_HALF_LIFE_DAYS`],
/// [`HISTORY_AGGREGATE`]), ages relative to `now`: `eval-recs` (by default) and the
/// online lookup both call this, so the weights measured offline are the ones served.
pub fn history_weights<'a>(
    interactions: impl IntoIterator<Item = &'a Interaction>,
    now: i64,
) -> Vec<(String, f32)> {
    weighted_history(interactions, now, HISTORY_HALF_LIFE_DAYS, HISTORY_AGGREGATE)
}

/// A customer's history as (item, weight), one entry per item: each interaction's
/// weight × [`decay`] by age relative to `now` (online: the clock; offline: the newest
/// time in the training data), added up per item by `aggregate`; ordered by weight
/// then item code.
pub fn weighted_history<'a>(
    interactions: impl IntoIterator<Item = &'a Interaction>,
    now: i64,
    half_life_days: f32,
    aggregate: Aggregate,
) -> Vec<(String, f32)> {
    let mut by_item: HashMap<&str, f32> = HashMap::new();
    for i in interactions {
        let w = i.weight * decay(now - i.at, half_life_days);
        let e = by_item.entry(i.item.as_str()).or_default();
        match aggregate {
            Aggregate::Max => *e = e.max(w),
            Aggregate::Sum | Aggregate::Log => *e += w,
        }
    }
    let mut out: Vec<(String, f32)> = by_item
        .into_iter()
        .map(|(item, w)| {
            let w = if aggregate == Aggregate::Log {
                w.ln_1p()
            } else {
                w
            };
            (item.to_string(), w)
        })
        .collect();
    out.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    out
}
