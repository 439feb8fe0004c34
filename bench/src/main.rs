//! `ecrm-bench`: the numbers behind `make bench` (see `bench/run.sh`), written to
//! `bench/REPORT.md`.
//!
//! 1. Starts the whole system in this process (the local runner over an in-memory
//!    dynoxide, mail worker off so nothing else touches the store) and makes fixtures:
//!    a signed-up customer with an address and a quote.
//! 2. Round trips: each benchmarked route once, counting DynamoDB round trips with the
//!    SDK interceptor every client carries (`ecrm_core::telemetry`).
//! 3. Latency: `wrk` (a separate process) drives each route at a fixed concurrency for
//!    a fixed time; then the same store calls the route makes are issued directly
//!    (through `ecrm_core::store`, no HTTP, no axum) against the same dynoxide at the
//!    same concurrency: the floor. Overhead = route / floor.
//! 4. Cold start: each release `bootstrap` (`target/release/<function>`) is started
//!    under a minimal Lambda Runtime API served here on loopback; time from exec to
//!    its first response, and its peak RSS (`VmHWM`) at that moment.
//! 5. Zip sizes of `target/lambda/*/bootstrap.zip` when `make build` has made them.
//!
//! Settings (environment): `BENCH_DURATION` seconds per run (5), `BENCH_CONNECTIONS`
//! (4), `BENCH_COLD_RUNS` (5), `BENCH_OUT` (bench/REPORT.md).

mod cold_start;
mod floor;
mod lambda_runtime_api;
mod latency;
mod report;
mod routes;
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
    let duration = Duration::from_secs(env_or("BENCH_DURATION", 5));
    let connections: u32 = env_or("BENCH_CONNECTIONS", 4);
    let cold_runs: usize = env_or("BENCH_COLD_RUNS", 5);
    let out = PathBuf::from(env_or("BENCH_OUT", "bench/REPORT.md".to_string()));

    // 1. The system and its fixtures.
    let system = System::start().await?;
    let routes = routes::benchmarked(&system.fixtures);

    // 2. Round trips per route (one request at a time; nothing else uses the store).
    let round_trips = routes::count_round_trips(&routes, &system).await?;

    // 3. Latency through the runner (wrk) and at the floor.
    let latencies = latency::measure(&routes, &system, connections, duration).await?;

    // 4. Cold start of each release bootstrap.
    let cold = cold_start::measure_all(
        cold_runs,
        &system.running.store_endpoint(),
        &system.session_key.to_base64(),
    )
    .await?;

    system.running.shutdown().await;

    // 5. The report.
    report::write(
        &report::Results {
            connections,
            duration,
            cold_runs,
            routes: &routes,
            round_trips: &round_trips,
            latencies: &latencies,
            cold: &cold,
        },
        &out,
    )?;
    Ok(out)
}
