//! `eval-recs` end to end on a generated log with a known answer: the binary reads the
//! CSV, splits it by date, writes one JSON line per customer with train history and
//! prints the table.

use std::process::Command;

/// c0..c7 buy 10001 and 10002 together; c8 and c9 buy only 10001 before the split and
/// 10002 after it; c10..c19 buy 10009 (the most popular item) alone. The model must
/// put 10002 first for c8 and c9 (HR 1, NDCG 1); popularity puts 10009 first (NDCG
/// 1/log2(3)).
fn generated_log() -> String {
    let mut csv = String::from(
        "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n",
    );
    let mut invoice = 540_000;
    let mut line = |csv: &mut String, item: &str, date: &str, customer: &str| {
        invoice += 1;
        csv.push_str(&format!(
            "{invoice},{item},THING,1,{date} 10:00:00,1.25,{customer},United Kingdom\n"
        ));
    };
    for c in 0..8 {
        let customer = format!("{}.0", 12_000 + c);
        line(&mut csv, "10001", "2011-01-10", &customer);
        line(&mut csv, "10002", "2011-01-10", &customer);
    }
    for c in 8..10 {
        let customer = format!("{}.0", 12_000 + c);
        line(&mut csv, "10001", "2011-02-10", &customer);
        line(&mut csv, "10002", "2011-06-10", &customer);
    }
    for c in 10..20 {
        line(
            &mut csv,
            "10009",
            "2011-03-10",
            &format!("{}.0", 12_000 + c),
        );
    }
    csv
}

#[test]
fn eval_recs_writes_every_customers_top_items_and_scores_them() {
    let dir = std::env::temp_dir().join(format!("recs-eval-run-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let log = dir.join("log.csv");
    let out = dir.join("out/predictions.jsonl");
    std::fs::write(&log, generated_log()).expect("write log");
    let run = Command::new(env!("CARGO_BIN_EXE_eval-recs"))
        .args([
            "--train",
            &log.to_string_lossy(),
            "--test",
            &log.to_string_lossy(),
        ])
        .args(["--out", &out.to_string_lossy()])
        .output()
        .expect("run eval-recs");
    let stdout = String::from_utf8_lossy(&run.stdout).to_string();
    assert!(
        run.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let lines = std::fs::read_to_string(&out).expect("predictions");
    std::fs::remove_dir_all(&dir).ok();

    // Every customer with train history (all 20: the split defaults to 2011-06-01),
    // named as the file writes them.
    let predictions: Vec<serde_json::Value> = lines
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    assert_eq!(predictions.len(), 20);
    let c8 = predictions
        .iter()
        .find(|p| p["customer"] == "12008.0")
        .expect("c8's line");
    assert_eq!(c8["items"][0], "10002");
    assert!(
        c8["items"]
            .as_array()
            .is_some_and(|a| a.iter().all(|i| i != "10001")),
        "bought in train: never recommended"
    );

    let row = |name: &str| -> Vec<f64> {
        let line = stdout
            .lines()
            .find(|l| l.starts_with(&format!("| {name}")))
            .expect("a table row");
        line.split(['|', '±'])
            .filter_map(|c| c.trim().parse().ok())
            .collect()
    };
    assert!(stdout.contains("evaluated: 2 customers"), "{stdout}");
    // HR ± se, NDCG ± se, recall, coverage.
    assert_eq!(&row("eCRM")[..4], &[1.0, 0.0, 1.0, 0.0], "{stdout}");
    let popularity = row("popularity");
    assert_eq!(popularity[0], 1.0);
    assert!((popularity[2] - 1.0 / 3f64.log2()).abs() < 1e-4, "{stdout}");
}

#[test]
fn eval_recs_refuses_a_missing_file_with_a_message() {
    let run = Command::new(env!("CARGO_BIN_EXE_eval-recs"))
        .args([
            "--train",
            "/nonexistent.csv",
            "--test",
            "/nonexistent.csv",
            "--out",
            "/tmp/x",
        ])
        .output()
        .expect("run eval-recs");
    assert!(!run.status.success());
    assert!(String::from_utf8_lossy(&run.stderr).contains("/nonexistent.csv"));
}
