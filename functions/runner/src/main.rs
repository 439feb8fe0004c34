//! `ecrm-runner [--memory] [--listen ADDR] [--data-dir DIR] [--site DIR]`
//!
//! Runs eCRM locally. Defaults: listen on 127.0.0.1:8080 (or `ECRM_LISTEN`), keep data
//! in `.local/ecrm.sqlite`, serve the site from `site/public`.

use ecrm_runner::{Options, StoreMode};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "usage: ecrm-runner [--memory] [--listen ADDR] [--data-dir DIR] [--site DIR]
  --memory        keep data in memory only (gone when the runner stops)
  --listen ADDR   address to serve on (default 127.0.0.1:8080, or $ECRM_LISTEN)
  --data-dir DIR  where the SQLite store lives (default .local)
  --site DIR      the built site to serve (default site/public)";

fn parse_args() -> Result<Options, String> {
    let mut memory = false;
    let mut listen = std::env::var("ECRM_LISTEN").unwrap_or_else(|_| "127.0.0.1:8080".into());
    let mut data_dir = PathBuf::from(".local");
    let mut site_dir = PathBuf::from("site/public");
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or(format!("{name} needs a value"));
        match arg.as_str() {
            "--memory" => memory = true,
            "--listen" => listen = value("--listen")?,
            "--data-dir" => data_dir = PathBuf::from(value("--data-dir")?),
            "--site" => site_dir = PathBuf::from(value("--site")?),
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
    })
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

/// `ecrm-runner seed-catalog TABLE`: write infra/catalog.json into a deployed table,
/// with the AWS credentials and region of the environment (used by `make deploy`).
async fn seed_deployed_catalog(table: String) -> ExitCode {
    let config = ecrm_core::config::Config {
        table,
        dynamodb_endpoint: None,
    };
    let store = ecrm_core::store::Store::new(
        ecrm_core::config::dynamodb_client(&config).await,
        config.table,
    );
    let seeded = match ecrm_core::domain::catalog::bundled() {
        Ok(catalog) => ecrm_core::store::catalog::seed(&store, &catalog)
            .await
            .map_err(|e| e.to_string()),
        Err(e) => Err(e),
    };
    match seeded {
        Ok(count) => {
            println!("seeded {count} catalog items into {}", store.table());
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("ecrm-runner seed-catalog: {error}");
            ExitCode::FAILURE
        }
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    ecrm_core::telemetry::init();
    let mut args = std::env::args().skip(1);
    if args.next().as_deref() == Some("seed-catalog") {
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
    let running = match ecrm_runner::start(options).await {
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
