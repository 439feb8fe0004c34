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
    /// Extra penalty on each item's own weight in proportion to its popularity
    /// (diag(XᵀX) × dropout, the p/(1-p) of a denoising autoencoder with dropout p,
    /// Steck 2020): curbs popular items' pull more than a flat λ does.
    pub dropout: f64,
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
    /// Half-life in days of a customer's vote for an item in the popularity list, by
    /// the age of their latest interaction with it; `None` counts all alike.
    pub popularity_half_life_days: Option<f32>,
    /// Rows of X are scaled by |history|^(-user_norm / 2): 0 leaves them binary.
    pub user_norm: f32,
    /// Weight of baskets as extra rows of X: a customer's interactions at the same
    /// second (an invoice offline, a quote online) also count as one row, so items
    /// bought together weigh more than items bought months apart. 0: customers only.
    pub basket_weight: f32,
    /// Neighbour scores are multiplied by the neighbour's trend (0..1, see
    /// `popularity_half_life_days`) to this power: items that stopped selling (last
    /// season's) fade from the lists. 0: no effect.
    pub freshness: f32,
    pub cosine: f64,
}

impl Default for ModelConfig {
    fn default() -> Self {
        ModelConfig {
            neighbours: 100,
            lambda: 200.0,
            dropout: 0.0,
            row_half_life_days: None,
            min_users: 1,
            popularity: 200,
            popularity_blend: 0.0,
            popularity_half_life_days: None,
            user_norm: 0.0,
            basket_weight: 0.0,
            freshness: 0.0,
            cosine: 0.0,
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

/// One customer × item cell of the interaction matrix.
#[derive(Clone, Copy, Default)]
struct Cell {
    /// Sum of the interaction weights, each decayed by the row half-life if set.
    weight: f32,
    /// The latest interaction.
    latest: i64,
}

/// Fits neighbour lists and popularity on the interactions.
pub fn fit(interactions: &[Interaction], config: &ModelConfig) -> Model {
    let newest = interactions.iter().map(|i| i.at).max().unwrap_or(0);
    let mut cells: HashMap<(&str, &str), Cell> = HashMap::new();
    for i in interactions {
        let w = match config.row_half_life_days {
            Some(h) => i.weight * recency::decay(newest - i.at, h),
            None => i.weight,
        };
        let cell = cells.entry((i.user.as_str(), i.item.as_str())).or_default();
        cell.weight += w;
        cell.latest = cell.latest.max(i.at);
    }
    let mut users_per_item: BTreeMap<&str, usize> = BTreeMap::new();
    for (_, item) in cells.keys() {
        *users_per_item.entry(item).or_default() += 1;
    }
    let trend = trend(&cells, newest, config);
    let popularity = popularity_list(&trend, config);

    let items: Vec<&str> = users_per_item
        .iter()
        .filter(|(_, n)| **n >= config.min_users.max(1))
        .map(|(i, _)| *i)
        .collect();
    let index: HashMap<&str, usize> = items.iter().enumerate().map(|(k, i)| (*i, k)).collect();
    let mut rows: HashMap<&str, Vec<(usize, f64)>> = HashMap::new();
    for ((user, item), cell) in &cells {
        if let Some(&k) = index.get(item) {
            // Binary cells (bought or not) unless rows decay with age; a decayed cell
            // is capped at 1 so repeat buys do not outweigh breadth.
            let x = if config.row_half_life_days.is_some() {
                f64::from(cell.weight).min(1.0)
            } else {
                1.0
            };
            rows.entry(user).or_default().push((k, x));
        }
    }
    if config.user_norm != 0.0 {
        // Customers with very long histories (wholesalers) would otherwise dominate XᵀX.
        for row in rows.values_mut() {
            let scale = (row.len() as f64).powf(-f64::from(config.user_norm) / 2.0);
            row.iter_mut().for_each(|x| x.1 *= scale);
        }
    }
    let baskets = if config.basket_weight > 0.0 {
        basket_rows(interactions, &index, newest, config)
    } else {
        Vec::new()
    };
    let weights = ease(
        items.len(),
        rows.values().chain(baskets.iter()),
        config.lambda,
        config.dropout,
        config.cosine,
    );
    let freshness: Vec<f64> = items
        .iter()
        .map(|i| {
            trend
                .get(i)
                .copied()
                .unwrap_or(0.0)
                .powf(f64::from(config.freshness))
        })
        .collect();
    let neighbours = top_neighbours(
        &items,
        &weights,
        &freshness,
        config.neighbours,
        config.cosine < 0.0,
    );
    Model::from_parts(neighbours, popularity, newest)
}

fn basket_rows(
    interactions: &[Interaction],
    index: &HashMap<&str, usize>,
    newest: i64,
    config: &ModelConfig,
) -> Vec<Vec<(usize, f64)>> {
    let mut baskets: HashMap<(&str, i64), HashMap<usize, f64>> = HashMap::new();
    for i in interactions {
        let Some(&k) = index.get(i.item.as_str()) else {
            continue;
        };
        let w = match config.row_half_life_days {
            Some(h) => recency::decay(newest - i.at, h),
            None => 1.0,
        };
        // Square root: the gram adds products of two cells, so the basket's pairs get
        // basket_weight × decay.
        let x = (f64::from(config.basket_weight) * f64::from(w)).sqrt();
        baskets
            .entry((i.user.as_str(), i.at))
            .or_default()
            .insert(k, x);
    }
    baskets
        .into_values()
        .map(|b| b.into_iter().collect())
        .collect()
}

/// Per item, the customers who have it, each counted with the decay of their latest
/// interaction when popularity has a half-life (what sells now), divided by the top
/// item's count (0..1].
fn trend<'a>(
    cells: &HashMap<(&'a str, &'a str), Cell>,
    newest: i64,
    config: &ModelConfig,
) -> HashMap<&'a str, f64> {
    let mut by_item: HashMap<&str, f64> = HashMap::new();
    for ((_, item), cell) in cells {
        let w = config
            .popularity_half_life_days
            .map_or(1.0, |h| recency::decay(newest - cell.latest, h));
        *by_item.entry(item).or_default() += f64::from(w);
    }
    let top = by_item.values().copied().fold(f64::MIN_POSITIVE, f64::max);
    by_item.values_mut().for_each(|v| *v /= top);
    by_item
}

fn popularity_list(trend: &HashMap<&str, f64>, config: &ModelConfig) -> Neighbours {
    let mut ranked: Vec<(&str, f64)> = trend.iter().map(|(i, t)| (*i, *t)).collect();
    // Ties broken by item code so the list is the same on every run.
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(b.0)));
    ranked
        .into_iter()
        .take(config.popularity)
        .map(|(i, t)| (i.to_string(), config.popularity_blend * t as f32))
        .collect()
}

/// B = I - P / diag(P) with P = (XᵀX + λI)⁻¹, as a dense n × n matrix.
fn ease<'a>(
    n: usize,
    rows: impl Iterator<Item = &'a Vec<(usize, f64)>>,
    lambda: f64,
    dropout: f64,
    cosine: f64,
) -> Mat<f64> {
    let mut gram = Mat::<f64>::zeros(n, n);
    for row in rows {
        for &(a, xa) in row {
            for &(b, xb) in row {
                gram[(a, b)] += xa * xb;
            }
        }
    }
    let cos = if cosine > 0.0 {
        let g = gram.clone();
        Some(Mat::from_fn(n, n, |i, j| {
            if i == j {
                0.0
            } else {
                cosine * g[(i, j)] / (g[(i, i)] * g[(j, j)]).sqrt().max(1e-9)
            }
        }))
    } else {
        None
    };
    for d in 0..n {
        gram[(d, d)] += lambda + dropout * gram[(d, d)];
    }
    // XᵀX + λI is symmetric positive definite for λ > 0; should rounding break that,
    // an empty model (popularity only) is better than a panic.
    let Ok(llt) = gram.llt(faer::Side::Lower) else {
        return Mat::zeros(n, n);
    };
    let p = llt.inverse();
    Mat::from_fn(n, n, |i, j| {
        if i == j {
            0.0
        } else {
            -p[(i, j)] / p[(j, j)] + cos.as_ref().map_or(0.0, |c| c[(i, j)])
        }
    })
}

/// Row i's top `n` positive entries, best first (ties by item code).
fn top_neighbours(
    items: &[&str],
    b: &Mat<f64>,
    freshness: &[f64],
    n: usize,
    by_abs: bool,
) -> HashMap<String, Neighbours> {
    let mut out = HashMap::with_capacity(items.len());
    let mut row: Vec<(usize, f64)> = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        row.clear();
        row.extend(
            (0..items.len())
                .map(|j| (j, b[(i, j)] * freshness[j]))
                .filter(|(_, s)| *s > 0.0 || (by_abs && *s < 0.0)),
        );
        let by_score = |a: &(usize, f64), c: &(usize, f64)| c.1.total_cmp(&a.1).then(a.0.cmp(&c.0));
        let by_mag = |a: &(usize, f64), c: &(usize, f64)| {
            c.1.abs().total_cmp(&a.1.abs()).then(a.0.cmp(&c.0))
        };
        if row.len() > n && n > 0 {
            if by_abs {
                row.select_nth_unstable_by(n - 1, by_mag);
            } else {
                row.select_nth_unstable_by(n - 1, by_score);
            }
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
