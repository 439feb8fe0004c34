//! The model's settings and the fitted model: item-to-item neighbour lists from EASE (Steck 2019, "Embarrassingly
//! Shallow Autoencoders for Sparse Data"): the item-item weight matrix
//! B = I - P / diag(P), with P = (XᵀX + λI)⁻¹ and X the customer × item matrix, is
//! the best linear prediction of each item from the others with a zero diagonal.
//! Row i of B says how much having item i raises each other item's score; its top N
//! positive entries are item i's neighbour list, stored per item online
//! (`ITEM#<sku>/NEIGHBOURS`) and scored by [`crate::recommend`]. Fitting is in
//! `fit.rs`.

use std::collections::HashMap;

/// An item's neighbours: (item, score), best first.
pub type Neighbours = Vec<(String, f32)>;

/// The model's settings. The defaults are the ones chosen on a validation split
/// inside the training period (functions/recs-model/README.md, "Choosing settings").
#[derive(Clone, Debug)]
pub struct ModelConfig {
    /// Neighbours kept per item (the stored list's length).
    pub neighbours: usize,
    /// EASE's ridge penalty λ: larger trusts rare co-occurrences less.
    pub lambda: f64,
    /// Extra penalty on each item's own weight in proportion to its popularity,
    /// diag(XᵀX) × dropout (the p/(1-p) of a denoising linear autoencoder with dropout
    /// p, Steck 2020): curbs popular items' pull more than a flat λ does.
    pub dropout: f64,
    /// Half-life in days of a customer × item cell, by the age of each interaction
    /// relative to the newest one in the fit data (cells are capped at 1); `None`
    /// makes cells binary (bought or not). Recent co-purchases describe the current
    /// range and season better than last winter's. A gap of over 30 days with no
    /// interaction at all counts as 30 days, so a seeded log does not vanish behind
    /// the years before the first online events.
    pub row_half_life_days: Option<f32>,
    /// Items with fewer distinct customers are left out of the model (no list, never
    /// a neighbour).
    pub min_users: usize,
    /// Length of the popularity list.
    pub popularity: usize,
    /// Weight of an item's trend (0..1, see `popularity_half_life_days`) added to its
    /// score when it is already a candidate from the history; 0 uses popularity only
    /// to fill up.
    pub popularity_blend: f32,
    /// Half-life in days (ages as for rows) of a customer's vote for an item in the
    /// popularity list, by the age of their latest interaction with it (what sells
    /// now); `None` counts all customers alike.
    pub popularity_half_life_days: Option<f32>,
}

impl Default for ModelConfig {
    fn default() -> Self {
        ModelConfig {
            neighbours: 30,
            lambda: 50.0,
            dropout: 1.0,
            row_half_life_days: Some(60.0),
            min_users: 1,
            popularity: 200,
            popularity_blend: 0.02,
            popularity_half_life_days: Some(30.0),
        }
    }
}

/// A fitted model: per-item neighbour lists and a popularity list.
#[derive(Clone, Debug, Default)]
pub struct Model {
    neighbours: HashMap<String, Neighbours>,
    popularity: Neighbours,
    newest: i64,
    fresh_scale: f32,
}

impl Model {
    /// Builds a model from stored lists (online: read back from the table).
    pub fn from_parts(
        neighbours: HashMap<String, Neighbours>,
        popularity: Neighbours,
        newest: i64,
    ) -> Model {
        let fresh_scale = fresh_scale(&neighbours);
        Model {
            neighbours,
            popularity,
            newest,
            fresh_scale,
        }
    }

    /// The item's neighbour list, best first.
    pub fn neighbours(&self, item: &str) -> Option<&[(String, f32)]> {
        self.neighbours.get(item).map(Vec::as_slice)
    }

    /// Every item with a neighbour list, in no particular order.
    pub fn lists(&self) -> impl Iterator<Item = (&str, &[(String, f32)])> {
        self.neighbours
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_slice()))
    }

    /// The most popular items (by trend), best first; the score is the blend weight
    /// times the item's trend (all 0 when popularity only fills up).
    pub fn popularity(&self) -> &[(String, f32)] {
        &self.popularity
    }

    /// The newest interaction time in the fit data (unix seconds): the reference for
    /// recency weighting of histories in the offline evaluation.
    pub fn newest(&self) -> i64 {
        self.newest
    }

    /// The score one fresh co-occurrence adds to a neighbour list
    /// ([`crate::incremental::merge_fresh`]): the mean score of the last kept
    /// neighbour, so a pair seen once online enters at the bottom of a list and
    /// climbs as it repeats.
    pub fn fresh_scale(&self) -> f32 {
        self.fresh_scale
    }
}

fn fresh_scale(lists: &HashMap<String, Neighbours>) -> f32 {
    let lasts: Vec<f32> = lists
        .values()
        .filter_map(|l| l.last())
        .map(|n| n.1)
        .collect();
    if lasts.is_empty() {
        return 0.0;
    }
    lasts.iter().sum::<f32>() / lasts.len() as f32
}
