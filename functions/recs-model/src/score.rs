//! The one scoring function: offline evaluation and online lookup both call it, with
//! the same truncated neighbour lists.

use std::collections::{HashMap, HashSet};

/// A recommended item with its score and the history item behind it.
#[derive(Clone, Debug, PartialEq)]
pub struct Recommendation {
    pub item: String,
    pub score: f32,
    /// The history item that contributed most to the score; `None` when the item
    /// comes from popularity alone.
    pub because: Option<String>,
}

struct Candidate<'a> {
    score: f32,
    best: f32,
    because: Option<&'a str>,
}

/// Scores items for a customer: each history item (with its weight, e.g. by recency)
/// adds its weight times the neighbour score to each of its neighbours; popularity
/// scores (the model's blend) are added on top; items in `exclude` never appear. The
/// top `k` are returned best first (ties by item code), filled up from the popularity
/// list when the history does not reach `k`.
///
/// `neighbours` looks up an item's stored list (a map offline, the items read from
/// the table online); items without a list contribute nothing.
pub fn recommend<'n>(
    history: &[(String, f32)],
    neighbours: impl Fn(&str) -> Option<&'n [(String, f32)]>,
    popularity: &[(String, f32)],
    exclude: &HashSet<String>,
    k: usize,
) -> Vec<Recommendation> {
    let mut candidates: HashMap<&str, Candidate<'_>> = HashMap::new();
    for (seen, weight) in history {
        let Some(list) = neighbours(seen) else {
            continue;
        };
        for (item, score) in list {
            if exclude.contains(item) {
                continue;
            }
            let contribution = weight * score;
            let c = candidates.entry(item.as_str()).or_insert(Candidate {
                score: 0.0,
                best: f32::NEG_INFINITY,
                because: None,
            });
            c.score += contribution;
            if contribution > c.best {
                c.best = contribution;
                c.because = Some(seen.as_str());
            }
        }
    }
    for (item, score) in popularity {
        if *score == 0.0 || exclude.contains(item) {
            continue;
        }
        if let Some(c) = candidates.get_mut(item.as_str()) {
            c.score += score;
        } else if !candidates.is_empty() {
            // Popularity alone competes with neighbour scores only for customers who
            // have some; without history the fill-up below orders by popularity.
            candidates.insert(
                item,
                Candidate {
                    score: *score,
                    best: f32::NEG_INFINITY,
                    because: None,
                },
            );
        }
    }
    let mut ranked: Vec<(&str, Candidate<'_>)> = candidates
        .into_iter()
        .filter(|(_, c)| c.score > 0.0)
        .collect();
    ranked.sort_by(|a, b| b.1.score.total_cmp(&a.1.score).then(a.0.cmp(b.0)));
    ranked.truncate(k);
    let mut out: Vec<Recommendation> = ranked
        .into_iter()
        .map(|(item, c)| Recommendation {
            item: item.to_string(),
            score: c.score,
            because: c.because.map(str::to_string),
        })
        .collect();
    if out.len() < k {
        let chosen: HashSet<String> = out.iter().map(|r| r.item.clone()).collect();
        let fill = popularity
            .iter()
            .filter(|(item, _)| !exclude.contains(item) && !chosen.contains(item))
            .take(k - out.len())
            .map(|(item, score)| Recommendation {
                item: item.clone(),
                score: *score,
                because: None,
            });
        out.extend(fill);
    }
    out
}
