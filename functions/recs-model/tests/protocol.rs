//! The evaluation code itself, on small generated data with known answers: the
//! protocol's row filter, reading plain and gzipped files, the metrics.

use std::collections::{BTreeMap, HashSet};
use std::io::Write;

use ecrm_recs_model::data::{self, Purchase};
use ecrm_recs_model::metrics::{self, Scores};

const HEADER: &str =
    "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n";

fn log(rows: &[&str]) -> String {
    let mut s = HEADER.to_string();
    for r in rows {
        s.push_str(r);
        s.push('\n');
    }
    s
}

#[test]
fn the_filter_keeps_exactly_the_protocols_rows() {
    let csv = log(&[
        "536365,85123A,WHITE HANGING HEART,6,2010-12-01 08:26:00,2.55,17850.0,United Kingdom",
        "536366,71053,NO CUSTOMER,6,2010-12-01 08:26:00,3.39,,United Kingdom",
        "C536367,71053,CANCELLED,-6,2010-12-01 08:26:00,3.39,17850.0,United Kingdom",
        "A563185,71053,BAD DEBT,1,2011-08-12 14:50:00,3.39,17850.0,United Kingdom",
        "536368,71053,ZERO QUANTITY,0,2010-12-01 08:26:00,3.39,17850.0,United Kingdom",
        "536369,71053,ZERO PRICE,6,2010-12-01 08:26:00,0,17850.0,United Kingdom",
        "536370,POST,POSTAGE,1,2010-12-01 08:26:00,18.0,12583.0,France",
        "536371,DCGS0003,NOT A PRODUCT,1,2010-12-01 08:26:00,1.0,12583.0,France",
        "536372,1234,FOUR DIGITS,1,2010-12-01 08:26:00,1.0,12583.0,France",
        "536373,84029e,LOWER CASE SUFFIX,6,2010-12-01 09:00:00,3.39,13047.0,United Kingdom",
        "536374,22752,\"SET 7 BABUSHKA, NESTING BOXES\",2,2010-12-01 09:00:00,7.65,13047.0,United Kingdom",
    ]);
    let kept = data::read_csv(csv.as_bytes()).expect("a well-formed log");
    let got: Vec<(&str, &str, u32)> = kept
        .iter()
        .map(|p| (p.customer.as_str(), p.item.as_str(), p.quantity))
        .collect();
    assert_eq!(
        got,
        vec![
            ("17850.0", "85123A", 6),
            ("13047.0", "84029E", 6),
            ("13047.0", "22752", 2),
        ]
    );
    assert_eq!(kept[0].at, 1_291_191_960, "2010-12-01 08:26:00 UTC");
}

#[test]
fn a_kept_row_with_a_broken_date_is_an_error_not_a_silent_drop() {
    let csv = log(&["536365,85123A,X,6,yesterday,2.55,17850.0,United Kingdom"]);
    assert!(data::read_csv(csv.as_bytes()).is_err());
}

#[test]
fn plain_and_gzipped_files_read_the_same() {
    let csv = log(&[
        "536365,85123A,X,6,2010-12-01 08:26:00,2.55,17850.0,United Kingdom",
        "536366,22752,Y,2,2011-06-01 00:00:00,7.65,13047.0,United Kingdom",
    ]);
    let dir = std::env::temp_dir().join(format!("recs-model-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let plain = dir.join("log.csv");
    let gz = dir.join("log.csv.gz");
    std::fs::write(&plain, &csv).expect("write csv");
    let mut enc = flate2::write::GzEncoder::new(
        std::fs::File::create(&gz).expect("create gz"),
        flate2::Compression::default(),
    );
    enc.write_all(csv.as_bytes()).expect("write gz");
    enc.finish().expect("finish gz");
    let a = data::read_log(&plain).expect("plain");
    let b = data::read_log(&gz).expect("gzipped");
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(a.len(), 2);
    assert_eq!(a, b);
    // The split is by date: the second row is on the cut, so it is test.
    let cut = data::parse_date("2011-06-01").expect("date");
    let (train, test) = data::split_at(a, cut);
    assert_eq!((train.len(), test.len()), (1, 1));
    assert_eq!(test[0].item, "22752");
}

fn buy(customer: &str, item: &str) -> Purchase {
    Purchase {
        customer: customer.into(),
        item: item.into(),
        at: 0,
        quantity: 1,
    }
}

fn predictions(rows: &[(&str, &[&str])]) -> BTreeMap<String, Vec<String>> {
    rows.iter()
        .map(|(c, items)| (c.to_string(), items.iter().map(|i| i.to_string()).collect()))
        .collect()
}

#[test]
fn metrics_match_a_hand_computed_answer() {
    // Train: u1 bought A, u2 bought A and B, u3 bought C, u4 bought D. Catalog: A B C D.
    let train = vec![
        buy("u1", "A"),
        buy("u2", "A"),
        buy("u2", "B"),
        buy("u3", "C"),
        buy("u4", "D"),
    ];
    // Test: u1 buys B and C (relevant: B, C); u2 buys A again and C (relevant: C; A
    // was bought in train); u3 buys C only (nothing relevant: not evaluated); u5 has
    // no train history (not evaluated); u4 buys nothing.
    let test = vec![
        buy("u1", "B"),
        buy("u1", "C"),
        buy("u2", "A"),
        buy("u2", "C"),
        buy("u3", "C"),
        buy("u5", "A"),
    ];
    let preds = predictions(&[
        // u1: hit at rank 2 (C); B missed. DCG = 1/log2(3); ideal over min(3, 2) = 2.
        ("u1", &["D", "C", "B"]),
        // u2: no hit.
        ("u2", &["D"]),
        ("u3", &["A"]),
    ]);
    let s = metrics::evaluate(&preds, &train, &test, 2);
    let ndcg_u1 = (1.0 / 3f64.log2()) / (1.0 + 1.0 / 3f64.log2());
    let expected = Scores {
        customers: 2,
        hit_rate: 0.5,
        ndcg: ndcg_u1 / 2.0,
        recall: 0.5 / 2.0,
        // Shown within the top 2: D, C (u1), D (u2), A (u3) -> {A, C, D} of 4.
        coverage: 0.75,
        // Hits 1 and 0: sample sd √0.5, over √2 customers.
        hit_rate_se: 0.5,
        ndcg_se: ndcg_u1 / 2.0,
    };
    assert_eq!(s.customers, expected.customers);
    for (got, want) in [
        (s.hit_rate, expected.hit_rate),
        (s.ndcg, expected.ndcg),
        (s.recall, expected.recall),
        (s.coverage, expected.coverage),
        (s.hit_rate_se, expected.hit_rate_se),
        (s.ndcg_se, expected.ndcg_se),
    ] {
        assert!((got - want).abs() < 1e-12, "{s:?} != {expected:?}");
    }
}

#[test]
fn ndcg_is_one_for_a_perfect_list_and_uses_the_ideal_over_min_k_relevant() {
    let relevant: HashSet<&str> = ["A", "B"].into_iter().collect();
    let perfect = vec!["A".to_string(), "B".to_string(), "X".to_string()];
    assert_eq!(metrics::score_one(&perfect, &relevant, 10), (1.0, 1.0, 1.0));
    let late = vec!["X".to_string(), "A".to_string()];
    let (hit, ndcg, recall) = metrics::score_one(&late, &relevant, 10);
    assert_eq!((hit, recall), (1.0, 0.5));
    assert!((ndcg - (1.0 / 3f64.log2()) / (1.0 + 1.0 / 3f64.log2())).abs() < 1e-12);
    // Beyond k counts nothing.
    assert_eq!(metrics::score_one(&late, &relevant, 1), (0.0, 0.0, 0.0));
}
