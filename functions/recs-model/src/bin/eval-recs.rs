//! `eval-recs`: fits the model on TRAIN, writes the top 10 for every customer with
//! train history to OUT as JSON lines, and prints HR@10, NDCG@10, Recall@10 and
//! coverage for the model and a popularity baseline against TEST. See the crate's
//! README for the protocol.

use std::fs::File;
use std::io::BufWriter;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use ecrm_recs_model::data::{self, Purchase};
use ecrm_recs_model::eval::{self, EvalConfig};
use ecrm_recs_model::metrics::{self, Scores};
use ecrm_recs_model::recency::Aggregate;

const USAGE: &str =
    "usage: eval-recs --train FILE --test FILE --out FILE [--split YYYY-MM-DD] [--until YYYY-MM-DD]
  model settings (defaults: the chosen ones): [--lambda F] [--dropout F] [--row-half-life DAYS|0]
  [--neighbours N] [--half-life DAYS] [--aggregate sum|max|log] [--blend F] [--pop-half-life DAYS|0]
  [--popularity N] [--min-users N]
FILE is the retailer's CSV, plain or gzipped (.gz). When TRAIN and TEST are the same
file the split defaults to 2011-06-01: train rows before it, test rows on or after it
(and before --until, if given). With two files nothing is cut unless asked.";

struct Args {
    train: PathBuf,
    test: PathBuf,
    out: PathBuf,
    split: Option<i64>,
    until: Option<i64>,
    config: EvalConfig,
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("eval-recs: {e}");
            ExitCode::FAILURE
        }
    }
}

fn parse_args() -> Result<Args, String> {
    let mut train = None;
    let mut test = None;
    let mut out = None;
    let mut split = None;
    let mut until = None;
    let mut config = EvalConfig::default();
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let value = args
            .next()
            .ok_or_else(|| format!("{flag} needs a value\n{USAGE}"))?;
        let number = |v: &str| {
            v.parse::<f64>()
                .map_err(|_| format!("{flag}: not a number: {v}"))
        };
        match flag.as_str() {
            "--train" => train = Some(PathBuf::from(value)),
            "--test" => test = Some(PathBuf::from(value)),
            "--out" => out = Some(PathBuf::from(value)),
            "--split" => split = Some(data::parse_date(&value).map_err(|e| e.to_string())?),
            "--until" => until = Some(data::parse_date(&value).map_err(|e| e.to_string())?),
            "--lambda" => config.model.lambda = number(&value)?,
            "--neighbours" => config.model.neighbours = number(&value)? as usize,
            "--half-life" => config.history_half_life_days = number(&value)? as f32,
            "--row-half-life" => {
                let days = number(&value)?;
                config.model.row_half_life_days = (days > 0.0).then_some(days as f32);
            }
            "--blend" => config.model.popularity_blend = number(&value)? as f32,
            "--aggregate" => {
                config.aggregate = match value.as_str() {
                    "sum" => Aggregate::Sum,
                    "max" => Aggregate::Max,
                    "log" => Aggregate::Log,
                    _ => return Err(format!("--aggregate: sum, max or log, not {value}")),
                }
            }
            "--pop-half-life" => {
                let days = number(&value)?;
                config.model.popularity_half_life_days = (days > 0.0).then_some(days as f32);
            }
            "--dropout" => config.model.dropout = number(&value)?,
            "--popularity" => config.model.popularity = number(&value)? as usize,
            "--min-users" => config.model.min_users = number(&value)? as usize,
            _ => return Err(format!("unknown flag {flag}\n{USAGE}")),
        }
    }
    let (Some(train), Some(test), Some(out)) = (train, test, out) else {
        return Err(USAGE.to_string());
    };
    if split.is_none() && train == test {
        split = Some(data::parse_date("2011-06-01").map_err(|e| e.to_string())?);
    }
    Ok(Args {
        train,
        test,
        out,
        split,
        until,
        config,
    })
}

fn run() -> Result<(), String> {
    let args = parse_args()?;
    let started = Instant::now();
    let read =
        |path: &PathBuf| data::read_log(path).map_err(|e| format!("{}: {e}", path.display()));
    let mut train: Vec<Purchase> = read(&args.train)?;
    let mut test: Vec<Purchase> = if args.test == args.train {
        train.clone()
    } else {
        read(&args.test)?
    };
    if let Some(cut) = args.split {
        train.retain(|p| p.at < cut);
        test.retain(|p| p.at >= cut);
    }
    if let Some(until) = args.until {
        test.retain(|p| p.at < until);
    }
    let loaded = started.elapsed();

    let t = Instant::now();
    let model = eval::fit_model(&train, &args.config);
    let fitted = t.elapsed();
    let t = Instant::now();
    let predictions = eval::predict(&model, &train, &args.config);
    let predicted = t.elapsed();

    if let Some(dir) = args.out.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    let file = File::create(&args.out).map_err(|e| format!("{}: {e}", args.out.display()))?;
    let mut writer = BufWriter::new(file);
    eval::write_jsonl(&predictions, &mut writer)
        .and_then(|()| std::io::Write::flush(&mut writer))
        .map_err(|e| format!("{}: {e}", args.out.display()))?;

    let k = args.config.k;
    let ours = metrics::evaluate(&predictions, &train, &test, k);
    let baseline = metrics::evaluate(&eval::predict_popularity(&train, k), &train, &test, k);
    let c = &args.config;
    let days = |d: Option<f32>| d.map_or("none".to_string(), |d| format!("{d} d"));
    println!(
        "train: {} rows, {} customers, {} items with a neighbour list; test: {} rows",
        train.len(),
        predictions.len(),
        model.lists().count(),
        test.len()
    );
    println!(
        "model: EASE, lambda {}, dropout {}, row half-life {}, {} neighbours per item; history half-life {} d; popularity blend {} (half-life {})",
        c.model.lambda,
        c.model.dropout,
        days(c.model.row_half_life_days),
        c.model.neighbours,
        c.history_half_life_days,
        c.model.popularity_blend,
        days(c.model.popularity_half_life_days)
    );
    println!(
        "predictions: top {k} for {} customers -> {}",
        predictions.len(),
        args.out.display()
    );
    println!(
        "evaluated: {} customers (train history and a test item not bought in train)",
        ours.customers
    );
    println!();
    println!("| model      | HR@{k}           | NDCG@{k}         | Recall@{k} | coverage |");
    println!("|------------|-----------------|-----------------|-----------|----------|");
    row("eCRM EASE", &ours);
    row("popularity", &baseline);
    println!();
    println!(
        "time: read {:.2} s, fit {:.2} s, predict {:.2} s, fit + predict {:.2} s (load average {})",
        loaded.as_secs_f64(),
        fitted.as_secs_f64(),
        predicted.as_secs_f64(),
        (fitted + predicted).as_secs_f64(),
        std::fs::read_to_string("/proc/loadavg")
            .unwrap_or_default()
            .trim()
    );
    Ok(())
}

fn row(name: &str, s: &Scores) {
    println!(
        "| {name:<10} | {:.4} ± {:.4} | {:.4} ± {:.4} | {:.4}    | {:.4}   |",
        s.hit_rate, s.hit_rate_se, s.ndcg, s.ndcg_se, s.recall, s.coverage
    );
}
