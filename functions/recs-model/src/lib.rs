//! The recommendation model of eCRM, shared by the offline evaluation (`eval-recs`)
//! and the online side (the `recommendations` function and its stream worker), so the
//! numbers measured offline are the numbers of the code that answers customers.
//!
//! - [`data`]: the retailer's purchase log (CSV, plain or gzipped), the evaluation
//!   protocol's row filter and a split by date.
//! - [`fit()`]: item-to-item neighbour lists (EASE, a closed-form linear item model),
//!   truncated to the top N per item, plus a popularity list.
//! - [`recommend`]: the one scoring function (neighbours of a weighted history, then
//!   popularity to fill up), with the history item that contributed most as reason.
//! - [`incremental`]: co-occurrence deltas for one new interaction and their merge
//!   into a stored neighbour list (online freshness between refits).
//! - [`recency`]: weighting of a customer's history by age.
//! - [`metrics`] and [`eval`]: HR@10, NDCG@10, Recall@10, coverage, predictions.

pub mod data;
pub mod eval;
mod fit;
pub mod incremental;
pub mod metrics;
mod model;
pub mod recency;
mod score;

pub use fit::fit;
pub use model::{Model, ModelConfig, Neighbours};
pub use score::{Recommendation, recommend};

/// One interaction of a customer with an item: a purchase line in the log, or online a
/// view, a quote line or an accepted quote, each with its own weight.
#[derive(Clone, Debug, PartialEq)]
pub struct Interaction {
    pub user: String,
    pub item: String,
    /// Unix seconds, UTC.
    pub at: i64,
    pub weight: f32,
}
