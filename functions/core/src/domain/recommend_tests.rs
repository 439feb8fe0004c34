//! Unit tests of the blend and its reasons.

use super::*;
use crate::domain::customer::Language;

fn named(sku: &str) -> LocalText {
    LocalText {
        en: format!("item {sku}"),
        es: format!("artículo {sku}"),
    }
}

fn list(skus: &[(&str, f32)]) -> Vec<Scored> {
    skus.iter()
        .map(|(sku, score)| Scored {
            sku: sku.to_string(),
            score: *score,
            name: named(sku),
        })
        .collect()
}

#[test]
fn history_beats_topics_beats_popularity_and_owned_items_never_show() {
    let of_a = list(&[("B", 0.9), ("C", 0.2), ("OWNED", 0.8)]);
    let gifts = list(&[("D", 1.0), ("B", 0.5)]);
    // Blend scores as the rebuild stores them (0.02 × trend).
    let popular = list(&[("E", 0.02), ("D", 0.01), ("A", 0.008)]);
    let sources = Sources {
        history: vec![Seen {
            sku: "A".into(),
            name: named("A"),
            weight: 3.0,
            kind: EventKind::QuoteRequested,
        }],
        neighbours: HashMap::from([("A", of_a.as_slice())]),
        topics: vec![("gifts", gifts.as_slice())],
        needs: vec![],
        popular: &popular,
        segment: None,
        exclude: HashSet::from(["A".to_string(), "OWNED".to_string()]),
    };
    let picks = blend(&sources, 4);
    let skus: Vec<&str> = picks.iter().map(|p| p.sku.as_str()).collect();
    assert_eq!(skus, ["B", "C", "D", "E"]);
    assert!(matches!(&picks[0].reason, Reason::Because { sku, .. } if sku == "A"));
    assert_eq!(picks[2].reason, Reason::Topic("gifts".into()));
    assert_eq!(picks[3].reason, Reason::Popular);
    let label = |t: &str| t.to_uppercase();
    assert_eq!(
        say(&picks[0].reason, Language::En, label),
        "Because you asked for a price for item A"
    );
    assert_eq!(
        say(&picks[0].reason, Language::Es, label),
        "Porque pediste precio de artículo A"
    );
    assert_eq!(
        say(&picks[2].reason, Language::Es, label),
        "Popular entre quienes siguen GIFTS"
    );
}

#[test]
fn without_history_the_blend_is_topics_then_popularity() {
    let gifts = list(&[("D", 1.0)]);
    let popular = list(&[("E", 1.0), ("D", 0.9)]);
    let sources = Sources {
        topics: vec![("gifts", gifts.as_slice())],
        popular: &popular,
        ..Sources::default()
    };
    let picks = blend(&sources, 10);
    assert_eq!(picks.len(), 2);
    assert_eq!(picks[0].reason, Reason::Topic("gifts".into()));
    assert_eq!(picks[1].reason, Reason::Popular);
    let also = also_bought("A", &named("A"), &list(&[("A", 1.0), ("B", 0.5)]), 5);
    assert_eq!(also.len(), 1);
    assert_eq!(
        say(&also[0].reason, Language::En, |t| t.into()),
        "Customers who bought item A also bought this"
    );
}

#[test]
fn the_popularity_blend_reorders_the_history_as_the_evaluation_does() {
    // B and C tie on the history; C trends, so the model puts it first, and T (reached
    // by no history item) competes on its trend alone, as in `eval-recs`.
    let of_a = list(&[("B", 0.5), ("C", 0.5)]);
    let popular = list(&[("T", 0.02), ("C", 0.01)]);
    let sources = Sources {
        history: vec![Seen {
            sku: "A".into(),
            name: named("A"),
            weight: 0.04,
            kind: EventKind::ItemViewed,
        }],
        neighbours: HashMap::from([("A", of_a.as_slice())]),
        popular: &popular,
        exclude: HashSet::from(["A".to_string()]),
        ..Sources::default()
    };
    let picks = blend(&sources, 3);
    let skus: Vec<&str> = picks.iter().map(|p| p.sku.as_str()).collect();
    assert_eq!(skus, ["C", "B", "T"]);
    assert!(matches!(&picks[0].reason, Reason::Because { sku, .. } if sku == "A"));
    assert_eq!(picks[2].reason, Reason::Popular);
}

#[test]
fn who_they_buy_for_gives_its_own_reason_in_both_languages() {
    let gift_range = list(&[("G", 3.0), ("P", 2.0)]);
    let popular = list(&[("P", 0.02), ("Q", 0.01)]);
    let sources = Sources {
        popular: &popular,
        segment: Some((BuysFor::Gifts, gift_range.as_slice())),
        ..Sources::default()
    };
    let picks = blend(&sources, 3);
    let skus: Vec<&str> = picks.iter().map(|p| p.sku.as_str()).collect();
    assert_eq!(skus, ["G", "P", "Q"]);
    // P is popular and in the gift range: the reason names the range.
    assert_eq!(picks[1].reason, Reason::Segment(BuysFor::Gifts));
    assert_eq!(picks[2].reason, Reason::Popular);
    let label = |t: &str| t.to_string();
    assert_eq!(
        say(&picks[0].reason, Language::En, label),
        "Popular in our gift range"
    );
    assert_eq!(
        say(&picks[0].reason, Language::Es, label),
        "Popular en nuestra gama de regalos"
    );
    let business = Reason::Segment(BuysFor::Business);
    assert_eq!(
        say(&business, Language::Es, label),
        "Popular en nuestra gama para tiendas y negocios"
    );
    assert_eq!(segment_need(BuysFor::Gifts), "gift");
    assert_eq!(segment_need(BuysFor::Business), "business");
}
