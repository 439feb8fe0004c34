//! Fitting item-to-item neighbour lists with EASE (Steck 2019, "Embarrassingly
//! Shallow Autoencoders for Sparse Data"): the item-item weight matrix
//! B = I - P / diag(P), with P = (XᵀX + λI)⁻¹ and X the customer × item matrix, is
//! the best linear prediction of each item from the others with a zero diagonal.
//! Row i of B says how much having item i raises each other item's score; its top N
//! positive entries are item i's neighbour list, stored per item online
//! (`ITEM#<sku>/NEIGHBOURS`) and scored by [`crate::recommend`].

use std::collections::{BTreeMap, HashMap};

use faer::Mat;
use faer::linalg::solvers::DenseSolveCore;

use crate::Interaction;
use crate::recency;

/// An item's neighbours: (item, score), best first.
pub type Neighbours = Vec<(String, f32)>;

#[derive(Clone, Debug)]
pub struct ModelConfig {
    /// Neighbours kept per item (the stored list's length).
    pub neighbours: usize,
    /// EASE's ridge penalty λ: larger trusts rare co-occurrences less.
    pub lambda: f64,
    /// Half-life in days of a training row's weight, by its age relative to the newest
    /// interaction in the fit data; `None` weighs all rows alike.
    pub row_half_life_days: Option<f32>,
    /// Items bought by fewer distinct customers are left out of the model (no list,
    /// never a neighbour): they carry no signal and each costs n² work.
    pub min_users: usize,
    /// Length of the popularity list.
    pub popularity: usize,
    /// Weight of an item's popularity (share of customers who have it, 0..1) added to
    /// its score; 0 uses popularity only to fill up.
    pub popularity_blend: f32,
}

impl Default for ModelConfig {
    fn default() -> Self {
        ModelConfig {
            neighbours: 100,
            lambda: 200.0,
            row_half_life_days: None,
            min_users: 1,
            popularity: 200,
            popularity_blend: 0.0,
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

    /// The most popular items, best first; the score is the blend weight times the
    /// share of customers who have the item (all 0 when popularity only fills up).
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

/// Fits neighbour lists and popularity on the interactions.
pub fn fit(interactions: &[Interaction], config: &ModelConfig) -> Model {
    let newest = interactions.iter().map(|i| i.at).max().unwrap_or(0);
    // Customer × item cells: the sum of the (recency-weighted) interaction weights.
    let mut cells: HashMap<(&str, &str), f32> = HashMap::new();
    for i in interactions {
        let w = match config.row_half_life_days {
            Some(h) => i.weight * recency::decay(newest - i.at, h),
            None => i.weight,
        };
        *cells.entry((i.user.as_str(), i.item.as_str())).or_default() += w;
    }
    let mut users_per_item: BTreeMap<&str, usize> = BTreeMap::new();
    for (_, item) in cells.keys() {
        *users_per_item.entry(item).or_default() += 1;
    }
    let customers = cells
        .keys()
        .map(|c| c.0)
        .collect::<std::collections::HashSet<_>>()
        .len();
    let popularity = popularity_list(&users_per_item, customers, config);

    let items: Vec<&str> = users_per_item
        .iter()
        .filter(|(_, n)| **n >= config.min_users.max(1))
        .map(|(i, _)| *i)
        .collect();
    let index: HashMap<&str, usize> = items.iter().enumerate().map(|(k, i)| (*i, k)).collect();
    let mut rows: HashMap<&str, Vec<(usize, f64)>> = HashMap::new();
    for ((user, item), w) in &cells {
        if let Some(&k) = index.get(item) {
            let x = if config.row_half_life_days.is_some() {
                f64::from(*w).min(1.0)
            } else {
                1.0
            };
            rows.entry(user).or_default().push((k, x));
        }
    }
    let weights = ease(items.len(), rows.values(), config.lambda);
    let neighbours = top_neighbours(&items, &weights, config.neighbours);
    Model::from_parts(neighbours, popularity, newest)
}

fn popularity_list(
    users_per_item: &BTreeMap<&str, usize>,
    customers: usize,
    config: &ModelConfig,
) -> Neighbours {
    let mut by_users: Vec<(&str, usize)> = users_per_item.iter().map(|(i, n)| (*i, *n)).collect();
    // Ties broken by item code so the list is the same on every run.
    by_users.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    by_users
        .into_iter()
        .take(config.popularity)
        .map(|(i, n)| {
            let share = n as f32 / customers.max(1) as f32;
            (i.to_string(), config.popularity_blend * share)
        })
        .collect()
}

/// B = I - P / diag(P) with P = (XᵀX + λI)⁻¹, as a dense n × n matrix.
fn ease<'a>(n: usize, rows: impl Iterator<Item = &'a Vec<(usize, f64)>>, lambda: f64) -> Mat<f64> {
    let mut gram = Mat::<f64>::zeros(n, n);
    for row in rows {
        for &(a, xa) in row {
            for &(b, xb) in row {
                gram[(a, b)] += xa * xb;
            }
        }
    }
    for d in 0..n {
        gram[(d, d)] += lambda;
    }
    // XᵀX + λI is symmetric positive definite for λ > 0; should rounding break that,
    // an empty model (popularity only) is better than a panic.
    let Ok(llt) = gram.llt(faer::Side::Lower) else {
        return Mat::zeros(n, n);
    };
    let p = llt.inverse();
    Mat::from_fn(
        n,
        n,
        |i, j| {
            if i == j { 0.0 } else { -p[(i, j)] / p[(j, j)] }
        },
    )
}

/// Row i's top `n` positive entries, best first (ties by item code).
fn top_neighbours(items: &[&str], b: &Mat<f64>, n: usize) -> HashMap<String, Neighbours> {
    let mut out = HashMap::with_capacity(items.len());
    let mut row: Vec<(usize, f64)> = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        row.clear();
        row.extend(
            (0..items.len())
                .map(|j| (j, b[(i, j)]))
                .filter(|(_, s)| *s > 0.0),
        );
        let by_score = |a: &(usize, f64), c: &(usize, f64)| c.1.total_cmp(&a.1).then(a.0.cmp(&c.0));
        if row.len() > n && n > 0 {
            row.select_nth_unstable_by(n - 1, by_score);
            row.truncate(n);
        }
        row.sort_by(by_score);
        let list: Neighbours = row
            .iter()
            .take(n)
            .map(|(j, s)| (items[*j].to_string(), *s as f32))
            .collect();
        if !list.is_empty() {
            out.insert((*item).to_string(), list);
        }
    }
    out
}
