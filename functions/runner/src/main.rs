//! `ecrm-runner [--memory] [--listen ADDR] [--data-dir DIR] [--site DIR]`
//!
//! Runs eCRM locally. Defaults: listen on 127.0.0.1:8080 (or `ECRM_LISTEN`), keep data
//! in `.local/ecrm.sqlite`, serve the site from `site/public`.

use ecrm_runner::{CatalogSource, Options, RecsSeed, StoreMode};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "usage: ecrm-runner [--memory] [--listen ADDR] [--data-dir DIR] [--site DIR]
  --memory        keep data in memory only (gone when the runner stops)
  --listen ADDR   address to serve on (default 127.0.0.1:8080, or $ECRM_LISTEN)
  --data-dir DIR  where the SQLite store lives (default .local)
  --site DIR      the built site to serve (default site/public)
  --staff EMAIL   a staff address that may sign in at /staff/ (repeatable; also
                  $ECRM_STAFF, comma-separated)
  --recs-log FILE the purchase log whose first half seeds the recommendation lists when
                  the table has none (default ../shared/data/online-retail/…csv.gz, or
                  $ECRM_RECS_LOG; `fixture`: a small generated seed, fitted at once)
  --rebuild-recs  fit and write every recommendation list at start, even if some exist

       ecrm-runner seed [--memory] [--data-dir DIR]   (make seed: the local store)
       ecrm-runner survey-results [TABLE]   (answer counts per survey question)
       ecrm-runner seed-catalog TABLE
       ecrm-runner rebuild-recs TABLE [LOG]   (a deployed table: AWS credentials of the environment)";

fn parse_args() -> Result<Options, String> {
    let mut memory = false;
    let mut listen = std::env::var("ECRM_LISTEN").unwrap_or_else(|_| "127.0.0.1:8080".into());
    let mut data_dir = PathBuf::from(".local");
    let mut site_dir = PathBuf::from("site/public");
    let mut staff: Vec<String> = Vec::new();
    let mut recs_log = std::env::var("ECRM_RECS_LOG")
        .map(PathBuf::from)
        .unwrap_or_else(|_| PathBuf::from(ecrm_runner::recs::DEFAULT_LOG));
    let mut rebuild_recs = false;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or(format!("{name} needs a value"));
        match arg.as_str() {
            "--memory" => memory = true,
            "--listen" => listen = value("--listen")?,
            "--data-dir" => data_dir = PathBuf::from(value("--data-dir")?),
            "--site" => site_dir = PathBuf::from(value("--site")?),
            "--staff" => staff.push(value("--staff")?),
            "--recs-log" => recs_log = PathBuf::from(value("--recs-log")?),
            "--rebuild-recs" => rebuild_recs = true,
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument {other}")),
        }
    }
    let listen: SocketAddr = listen
        .parse()
        .map_err(|e| format!("--listen {listen}: {e}"))?;
    if !listen.ip().is_loopback() {
        eprintln!(
            "WARNING: listening on {listen}, not loopback. This runner is for development: \
             plain http, cookies without Secure, a development mailbox that shows every \
             sign-in code at /dev/mailbox. Anyone who can reach this address can sign in \
             as anyone."
        );
    }
    let store = if memory {
        StoreMode::Memory
    } else {
        StoreMode::File(data_dir.join("ecrm.sqlite"))
    };
    let session_key = ecrm_runner::session_key_for(&store)?;
    Ok(Options {
        listen,
        store,
        site_dir,
        table: ecrm_core::config::DEFAULT_TABLE.into(),
        session_key,
        mail_worker: true,
        limits: ecrm_core::domain::limits::Limits::from_env(),
        catalog: CatalogSource::from_env(),
        service: ecrm_core::domain::service_config::ServiceConfig::from_env()
            .with_staff(staff.iter().map(String::as_str)),
        recs: recs_seed(recs_log),
        rebuild_recs,
    })
}

/// The log if it is there; else a small generated seed (said once, unless asked for by
/// name: `fixture`).
fn recs_seed(log: PathBuf) -> RecsSeed {
    if log.as_os_str() == "fixture" {
        RecsSeed::Fixture
    } else if log.exists() {
        RecsSeed::Log(log)
    } else {
        eprintln!(
            "ecrm-runner: no purchase log at {} (--recs-log): recommendation lists come from a small generated seed",
            log.display()
        );
        RecsSeed::Fixture
    }
}

/// `ecrm-runner rebuild-recs TABLE [LOG]`: fit every recommendation list from the
/// log's first half and the table's recorded events, and write them to a deployed
/// table with the AWS credentials and region of the environment.
async fn rebuild_deployed_recs(table: String, log: Option<String>) -> ExitCode {
    let config = ecrm_core::config::Config {
        table,
        dynamodb_endpoint: None,
    };
    let store = ecrm_core::store::Store::new(
        ecrm_core::config::dynamodb_client(&config).await,
        config.table,
    );
    let secret = match ecrm_core::domain::session::ServerSecret::generate() {
        Ok(secret) => secret,
        Err(error) => {
            eprintln!("ecrm-runner rebuild-recs: {error}");
            return ExitCode::FAILURE;
        }
    };
    let app = ecrm_core::app::App::new(store, secret, ecrm_core::domain::clock::Clock::system());
    let log = PathBuf::from(log.unwrap_or_else(|| ecrm_runner::recs::DEFAULT_LOG.into()));
    let started = std::time::Instant::now();
    match ecrm_runner::recs::rebuild(&app, &RecsSeed::Log(log)).await {
        Ok(done) => {
            println!(
                "rebuilt {} neighbour lists and {} lists from {} seed interactions and {} events into {} in {:.1} s",
                done.neighbour_lists,
                done.lists,
                done.interactions,
                done.events,
                app.store.table(),
                started.elapsed().as_secs_f64()
            );
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("ecrm-runner rebuild-recs: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn stop_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(term) => term,
                Err(_) => {
                    let _ = ctrl_c.await;
                    return;
                }
            };
        tokio::select! {
            _ = ctrl_c => {},
            _ = term.recv() => {},
        }
    }
    #[cfg(not(unix))]
    let _ = ctrl_c.await;
}

/// `ecrm-runner seed-catalog TABLE`: load the whole catalog (the featured items and
/// the retailer's list from `ECRM_RETAIL_LOG` or the default path) into a deployed
/// table, with the AWS credentials and region of the environment (`make deploy`).
async fn seed_deployed_catalog(table: String) -> ExitCode {
    let config = ecrm_core::config::Config {
        table,
        dynamodb_endpoint: None,
    };
    let store = ecrm_core::store::Store::new(
        ecrm_core::config::dynamodb_client(&config).await,
        config.table,
    );
    report_seed(
        "seed-catalog",
        ecrm_runner::catalog_seed::load_catalog(&store, &CatalogSource::from_env()).await,
    )
}

/// `ecrm-runner seed [--memory] [--data-dir DIR]`: load the catalog into the local
/// store (`make seed`; stop `make run` first, it holds the store) and say how long it
/// took. `--memory` loads into a throwaway in-memory store: the timing alone.
async fn seed_local(args: impl Iterator<Item = String>) -> ExitCode {
    let mut store = StoreMode::File(PathBuf::from(".local/ecrm.sqlite"));
    let mut args = args;
    while let Some(arg) = args.next() {
        match (arg.as_str(), args.next()) {
            ("--memory", None) => store = StoreMode::Memory,
            ("--data-dir", Some(dir)) => {
                store = StoreMode::File(PathBuf::from(dir).join("ecrm.sqlite"))
            }
            _ => {
                eprintln!("usage: ecrm-runner seed [--memory] [--data-dir DIR]");
                return ExitCode::from(2);
            }
        }
    }
    report_seed(
        "seed",
        ecrm_runner::seed_store(store, CatalogSource::from_env()).await,
    )
}

fn report_seed(
    command: &str,
    result: Result<ecrm_runner::catalog_seed::Loaded, String>,
) -> ExitCode {
    match result {
        Ok(loaded) => {
            println!("{loaded}");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("ecrm-runner {command}: {error}");
            ExitCode::FAILURE
        }
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    ecrm_core::telemetry::init();
    if std::env::args().nth(1).as_deref() == Some("rebuild-recs") {
        let mut args = std::env::args().skip(2);
        return match args.next() {
            Some(table) => rebuild_deployed_recs(table, args.next()).await,
            None => {
                eprintln!("usage: ecrm-runner rebuild-recs TABLE [LOG]");
                ExitCode::from(2)
            }
        };
    }
    let mut args = std::env::args().skip(1);
    let command = args.next();
    if command.as_deref() == Some("survey-results") {
        let result = match args.next() {
            Some(table) => ecrm_runner::survey_results::deployed(table).await,
            None => {
                let path = PathBuf::from(".local/ecrm.sqlite");
                ecrm_runner::survey_results::local(StoreMode::File(path)).await
            }
        };
        return match result {
            Ok(text) => {
                print!("{text}");
                ExitCode::SUCCESS
            }
            Err(error) => {
                eprintln!("ecrm-runner survey-results: {error}");
                ExitCode::FAILURE
            }
        };
    }
    if command.as_deref() == Some("seed") {
        return seed_local(args).await;
    }
    if command.as_deref() == Some("seed-catalog") {
        return match args.next() {
            Some(table) => seed_deployed_catalog(table).await,
            None => {
                eprintln!("usage: ecrm-runner seed-catalog TABLE");
                ExitCode::from(2)
            }
        };
    }
    let options = match parse_args() {
        Ok(options) => options,
        Err(message) => {
            if !message.is_empty() {
                eprintln!("ecrm-runner: {message}");
            }
            eprintln!("{USAGE}");
            return if message.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(2)
            };
        }
    };
    if !options.site_dir.join("index.html").exists() {
        eprintln!(
            "ecrm-runner: no built site at {} (run `make site`); serving the API only",
            options.site_dir.display()
        );
    }
    let store_note = match &options.store {
        StoreMode::Memory => "in memory".to_string(),
        StoreMode::File(path) => path.display().to_string(),
    };
    let running = match ecrm_runner::start_serving_first(options).await {
        Ok(running) => running,
        Err(message) => {
            eprintln!("ecrm-runner: {message}");
            return ExitCode::FAILURE;
        }
    };
    println!(
        "eCRM is running at {}/  (API under {}/api, store: {store_note})",
        running.url(),
        running.url()
    );
    println!("Press Ctrl-C to stop.");
    stop_signal().await;
    println!("Stopping…");
    running.shutdown().await;
    ExitCode::SUCCESS
}
