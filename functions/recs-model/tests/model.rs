//! The model's parts on small data with known answers: the fit, the one scoring
//! function and its blend, recency, the incremental co-occurrence update.

use std::collections::{HashMap, HashSet};

use ecrm_recs_model::incremental::{cooccurrence_deltas, merge_fresh};
use ecrm_recs_model::recency::{Aggregate, decay, weighted_history};
use ecrm_recs_model::{Interaction, Model, ModelConfig, Recommendation, fit, recommend};

const DAY: i64 = 86_400;

fn bought(user: &str, item: &str, at: i64) -> Interaction {
    Interaction {
        user: user.into(),
        item: item.into(),
        at,
        weight: 1.0,
    }
}

fn list(pairs: &[(&str, f32)]) -> Vec<(String, f32)> {
    pairs.iter().map(|(i, s)| (i.to_string(), *s)).collect()
}

fn none() -> HashSet<String> {
    HashSet::new()
}

/// Two separate worlds: candles go with holders, mugs with saucers; tea towels are
/// bought by everyone.
fn two_worlds() -> Vec<Interaction> {
    let mut log = Vec::new();
    for u in 0..10 {
        let user = format!("c{u}");
        log.push(bought(&user, "TOWEL", 0));
        if u % 2 == 0 {
            log.push(bought(&user, "CANDLE", DAY));
            log.push(bought(&user, "HOLDER", 2 * DAY));
        } else {
            log.push(bought(&user, "MUG", DAY));
            log.push(bought(&user, "SAUCER", 2 * DAY));
        }
    }
    log
}

#[test]
fn fit_finds_each_items_partner_and_popularity() {
    let config = ModelConfig {
        lambda: 1.0,
        dropout: 0.0,
        row_half_life_days: None,
        ..ModelConfig::default()
    };
    let model = fit(&two_worlds(), &config);
    let top = |item: &str| {
        model
            .neighbours(item)
            .and_then(|l| l.first())
            .map(|n| n.0.clone())
    };
    assert_eq!(top("CANDLE").as_deref(), Some("HOLDER"));
    assert_eq!(top("HOLDER").as_deref(), Some("CANDLE"));
    assert_eq!(top("MUG").as_deref(), Some("SAUCER"));
    // Never across worlds, never itself.
    for (item, l) in model.lists() {
        assert!(
            l.iter().all(|(n, s)| n != item && *s > 0.0),
            "{item}: {l:?}"
        );
        if item == "CANDLE" {
            assert!(l.iter().all(|(n, _)| n != "MUG" && n != "SAUCER"), "{l:?}");
        }
    }
    assert_eq!(model.popularity()[0].0, "TOWEL");
    assert_eq!(model.newest(), 2 * DAY);
    assert!(model.fresh_scale() > 0.0);
}

#[test]
fn years_without_any_interaction_do_not_decay_a_seeded_history_away() {
    // The default settings decay rows with a 60-day half-life. A seed from 2011 and a
    // first online event 15 years later: the empty years count as 30 days only.
    let top_score = |log: &[Interaction]| {
        let model = fit(log, &ModelConfig::default());
        let top = model.neighbours("CANDLE").and_then(|l| l.first()).cloned();
        top.expect("CANDLE keeps a list")
    };
    let seed = two_worlds();
    let (partner, alone) = top_score(&seed);
    assert_eq!(partner, "HOLDER");
    let mut later = seed.clone();
    later.push(bought("online", "MUG", 15 * 365 * DAY));
    let (partner, after_gap) = top_score(&later);
    assert_eq!(partner, "HOLDER");
    // 30 days of a 60-day half-life: cells at about 0.7, the weight still sizeable.
    assert!(after_gap > alone * 0.3, "{after_gap} vs {alone}");
}

#[test]
fn lists_are_cut_to_the_configured_length_and_the_fit_is_deterministic() {
    let mut log = Vec::new();
    for u in 0..6 {
        for i in 0..8 {
            if (u + i) % 3 != 0 {
                log.push(bought(
                    &format!("c{u}"),
                    &format!("{:05}", 10_000 + i),
                    i as i64,
                ));
            }
        }
    }
    let config = ModelConfig {
        neighbours: 2,
        ..ModelConfig::default()
    };
    let a = fit(&log, &config);
    assert!(a.lists().all(|(_, l)| l.len() <= 2));
    assert!(a.lists().count() > 0);
    let b = fit(&log, &config);
    let sorted = |m: &Model| {
        let mut v: Vec<(String, Vec<(String, f32)>)> = m
            .lists()
            .map(|(k, l)| (k.to_string(), l.to_vec()))
            .collect();
        v.sort_by(|x, y| x.0.cmp(&y.0));
        v
    };
    assert_eq!(sorted(&a), sorted(&b));
}

#[test]
fn recommend_scores_by_weighted_neighbours_and_names_the_strongest_reason() {
    let lists: HashMap<&str, Vec<(String, f32)>> = [
        ("A", list(&[("X", 0.5), ("Y", 0.1)])),
        ("B", list(&[("Y", 0.3), ("Z", 0.2)])),
    ]
    .into_iter()
    .collect();
    let history = list(&[("A", 1.0), ("B", 2.0)]);
    let got = recommend(
        &history,
        |i| lists.get(i).map(Vec::as_slice),
        &[],
        &none(),
        10,
    );
    // Y: 1×0.1 + 2×0.3 = 0.7 (B gave most); X: 0.5 (A); Z: 0.4 (B).
    let expected = vec![
        Recommendation {
            item: "Y".into(),
            score: 0.7,
            because: Some("B".into()),
        },
        Recommendation {
            item: "X".into(),
            score: 0.5,
            because: Some("A".into()),
        },
        Recommendation {
            item: "Z".into(),
            score: 0.4,
            because: Some("B".into()),
        },
    ];
    assert_eq!(got.len(), 3);
    for (g, e) in got.iter().zip(&expected) {
        assert_eq!((&g.item, &g.because), (&e.item, &e.because));
        assert!((g.score - e.score).abs() < 1e-6, "{g:?}");
    }
}

#[test]
fn recommend_never_shows_excluded_items_and_fills_up_from_popularity() {
    let lists: HashMap<&str, Vec<(String, f32)>> = [("A", list(&[("X", 0.5), ("Y", 0.1)]))]
        .into_iter()
        .collect();
    let popularity = list(&[("A", 0.0), ("P", 0.0), ("X", 0.0), ("Q", 0.0)]);
    let exclude: HashSet<String> = ["A", "Y"].iter().map(|s| s.to_string()).collect();
    let got = recommend(
        &list(&[("A", 1.0)]),
        |i| lists.get(i).map(Vec::as_slice),
        &popularity,
        &exclude,
        3,
    );
    let items: Vec<(&str, Option<&str>)> = got
        .iter()
        .map(|r| (r.item.as_str(), r.because.as_deref()))
        .collect();
    assert_eq!(items, vec![("X", Some("A")), ("P", None), ("Q", None)]);
    // No history at all: popularity order, nothing excluded shown.
    let cold = recommend(
        &[],
        |i| lists.get(i).map(Vec::as_slice),
        &popularity,
        &exclude,
        10,
    );
    let items: Vec<&str> = cold.iter().map(|r| r.item.as_str()).collect();
    assert_eq!(items, vec!["P", "X", "Q"]);
}

#[test]
fn the_popularity_blend_reorders_history_candidates_only_when_weighted() {
    let lists: HashMap<&str, Vec<(String, f32)>> = [("A", list(&[("X", 0.30), ("Y", 0.25)]))]
        .into_iter()
        .collect();
    let look = |i: &str| lists.get(i).map(Vec::as_slice);
    let history = list(&[("A", 1.0)]);
    let order = |pop: &[(String, f32)]| -> Vec<String> {
        recommend(&history, look, pop, &none(), 2)
            .into_iter()
            .map(|r| r.item)
            .collect()
    };
    // Fill-up only (scores 0): the neighbour order stands.
    assert_eq!(order(&list(&[("Y", 0.0), ("X", 0.0)])), vec!["X", "Y"]);
    // Y is trending: 0.25 + 0.1 beats 0.30 + 0.
    assert_eq!(order(&list(&[("Y", 0.1)])), vec!["Y", "X"]);
    // A popular item the history never reached competes with its blend score.
    let got = recommend(&history, look, &list(&[("P", 0.27)]), &none(), 3);
    let items: Vec<(&str, Option<&str>)> = got
        .iter()
        .map(|r| (r.item.as_str(), r.because.as_deref()))
        .collect();
    assert_eq!(items, vec![("X", Some("A")), ("P", None), ("Y", Some("A"))]);
}

#[test]
fn recency_halves_per_half_life_and_aggregates_repeats() {
    assert_eq!(decay(0, 30.0), 1.0);
    assert!((decay(30 * DAY, 30.0) - 0.5).abs() < 1e-6);
    assert!((decay(60 * DAY, 30.0) - 0.25).abs() < 1e-6);
    assert_eq!(decay(-DAY, 30.0), 1.0, "a future time counts as now");
    let now = 100 * DAY;
    let log = vec![
        bought("c", "OLD", now - 30 * DAY),
        bought("c", "NEW", now),
        bought("c", "OLD", now - 30 * DAY),
    ];
    let sum = weighted_history(&log, now, 30.0, Aggregate::Sum);
    assert_eq!(sum, list(&[("NEW", 1.0), ("OLD", 1.0)]));
    let max = weighted_history(&log, now, 30.0, Aggregate::Max);
    assert_eq!(max, list(&[("NEW", 1.0), ("OLD", 0.5)]));
    let log_sum = weighted_history(&log, now, 30.0, Aggregate::Log);
    assert!((log_sum[0].1 - 2f32.ln()).abs() < 1e-6);
}

#[test]
fn the_shared_history_rule_is_the_evaluated_one_latest_interaction_240_days() {
    let now = 1_000 * DAY;
    let mut viewed = bought("c", "OLD", now - 240 * DAY);
    viewed.weight = 0.5;
    let log = vec![
        bought("c", "OLD", now - 480 * DAY),
        viewed,
        bought("c", "NEW", now - DAY),
    ];
    let shared = ecrm_recs_model::recency::history_weights(&log, now);
    let chosen = ecrm_recs_model::eval::EvalConfig::default();
    let by_config = weighted_history(&log, now, chosen.history_half_life_days, chosen.aggregate);
    assert_eq!(
        shared, by_config,
        "eval's default and the online rule agree"
    );
    // OLD: max(1 × ¼, 0.5 × ½) = 0.25, not the sum 0.5; NEW: one day old.
    assert_eq!(shared[0].0, "NEW");
    assert!((shared[0].1 - 0.5f32.powf(1.0 / 240.0)).abs() < 1e-6);
    assert_eq!(shared[1].0, "OLD");
    assert!((shared[1].1 - 0.25).abs() < 1e-6);
}

#[test]
fn a_new_interaction_pairs_with_each_recent_item_both_ways_once() {
    let recent = list(&[("A", 1.0), ("B", 0.5)]);
    let deltas = cooccurrence_deltas(&recent, "N", 2.0);
    let expected: Vec<(String, String, f32)> = vec![
        ("A".into(), "N".into(), 2.0),
        ("N".into(), "A".into(), 2.0),
        ("B".into(), "N".into(), 1.0),
        ("N".into(), "B".into(), 1.0),
    ];
    assert_eq!(deltas, expected);
    // Seeing an item again (a reload) adds nothing.
    assert!(cooccurrence_deltas(&recent, "A", 1.0).is_empty());
    assert!(cooccurrence_deltas(&[], "N", 1.0).is_empty());
}

#[test]
fn merging_fresh_cooccurrence_raises_enters_resorts_and_cuts() {
    let mut stored = list(&[("X", 0.5), ("Y", 0.3), ("Z", 0.2)]);
    // Z gains 2 × 0.1 = 0.2 (now 0.4), W enters with 0.35; the list keeps 3.
    merge_fresh(&mut stored, &list(&[("Z", 2.0), ("W", 3.5)]), 0.1, 3);
    let names: Vec<&str> = stored.iter().map(|(i, _)| i.as_str()).collect();
    assert_eq!(names, vec!["X", "Z", "W"]);
    assert!((stored[1].1 - 0.4).abs() < 1e-6 && (stored[2].1 - 0.35).abs() < 1e-6);
    // An empty list (an item the last fit never saw) starts from fresh pairs.
    let mut empty = Vec::new();
    merge_fresh(&mut empty, &list(&[("A", 1.0)]), 0.1, 3);
    assert_eq!(empty, list(&[("A", 0.1)]));
}
