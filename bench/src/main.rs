//! `ecrm-bench`: the numbers behind `make bench` (see `bench/run.sh`), written to
//! `bench/REPORT.md`.
//!
//! 1. Starts the whole system in this process (the local runner over an in-memory
//!    dynoxide, mail worker off so nothing else touches the store) and makes fixtures
//!    through the API: a customer with an address and a quote, a fresh one, one with a
//!    1,000-entry consent ledger, and one per mixed-load connection.
//! 2. Round trips: each benchmarked route once, and its floor once, counting DynamoDB
//!    round trips with the SDK interceptor every client carries (`ecrm_core::telemetry`).
//! 3. Latency: `wrk` (a separate process) drives each route; the same store calls are
//!    issued directly (`ecrm_core::store`, no HTTP) at the same concurrency: the floor.
//!    The two alternate in one-second slices. Server time comes from the request log.
//! 4. Mixed load: sign-ups, quotes, `GET /api/me`, consent changes (`load.rs`).
//! 5. Cold start of each release `bootstrap` under a minimal Lambda Runtime API.
//! 6. Zip sizes.
//!
//! Settings (environment): `BENCH_DURATION` one-second slices per side (5),
//! `BENCH_CONNECTIONS` (1), `BENCH_LOAD_SECONDS` (60), `BENCH_LOAD_CONNECTIONS` (4),
//! `BENCH_COLD_RUNS` (7),
//! `BENCH_OUT` (bench/REPORT.md), `CARGO_TARGET_DIR` (where the release binaries are),
//! `BENCH_ONLY=cold` (cold starts and sizes only, for working on them).

mod cold_start;
mod floor;
mod lambda_runtime_api;
mod latency;
mod load;
mod report;
mod report_text;
mod routes;
mod server_time;
mod sizes;
mod system;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;
use system::System;

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(path) => {
            println!("report written to {}", path.display());
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("ecrm-bench: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<PathBuf, String> {
    let slices: u64 = env_or("BENCH_DURATION", 5);
    // One connection: on 2 cores, wrk, the runner and the store then do not queue
    // behind each other, so route and floor are timed under the same (low) contention.
    let connections: u32 = env_or("BENCH_CONNECTIONS", 1);
    let load_connections: usize = env_or("BENCH_LOAD_CONNECTIONS", 4);
    let load_seconds: u64 = env_or("BENCH_LOAD_SECONDS", 60);
    let cold_runs: usize = env_or("BENCH_COLD_RUNS", 7);
    let out = PathBuf::from(env_or("BENCH_OUT", "bench/REPORT.md".to_string()));
    let load_before = report_text::loadavg();
    eprintln!("load average {load_before}");

    // 1. The system and its fixtures (the log collector first: the runner logs to it).
    server_time::install();
    let only_cold = std::env::var("BENCH_ONLY").is_ok_and(|v| v == "cold");
    let ledger = if only_cold { 0 } else { system::LEDGER_ENTRIES };
    let system = System::start(load_connections, ledger).await?;
    let mut routes = routes::benchmarked(&system.fixtures);
    if only_cold {
        routes.clear();
    }

    // 2. Round trips per route (one request at a time; nothing else uses the store).
    let round_trips = routes::count_round_trips(&routes, &system).await?;

    // 3. Latency through the runner (wrk) and at the floor, interleaved.
    let latencies =
        latency::measure(&routes, &system, connections, Duration::from_secs(slices)).await?;

    // 4. The mixed load.
    let load = load::run(&system, if only_cold { 0 } else { load_seconds }).await;
    eprintln!(
        "mixed load: {} requests, {:.0} req/s, {} errors",
        load.overall.requests, load.overall.rps, load.overall.errors
    );

    // 5. Cold start of each release bootstrap.
    let cold = cold_start::measure_all(
        cold_runs,
        &system.running.store_endpoint(),
        &system.session_key.to_base64(),
        &system.fixtures.main.cookie,
        &system.fixtures.quote_id,
    )
    .await?;
    system.running.shutdown().await;

    // 6. Sizes, then the report.
    let sizes = sizes::measure();
    report::write(
        &report::Results {
            connections,
            duration_secs: slices,
            cold_runs,
            load_before,
            load_after: report_text::loadavg(),
            routes: &routes,
            round_trips: &round_trips,
            latencies: &latencies,
            load: &load,
            cold: &cold,
            sizes: &sizes,
        },
        &out,
    )?;
    Ok(out)
}
