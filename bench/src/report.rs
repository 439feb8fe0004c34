//! `bench/REPORT.md`: the measurements as Markdown tables, with the machine, the tools
//! and how to reproduce them.

use crate::cold_start::{ColdStartRow, median};
use crate::latency::RouteLatency;
use crate::routes::{RoundTrips, RouteBench};
use ecrm_core::routes::{FUNCTIONS, WORKERS};
use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

/// Everything measured, in the order it was measured.
pub struct Results<'a> {
    pub connections: u32,
    pub duration: Duration,
    pub cold_runs: usize,
    pub routes: &'a [RouteBench],
    pub round_trips: &'a [RoundTrips],
    pub latencies: &'a [RouteLatency],
    pub cold: &'a [ColdStartRow],
}

/// Write the report to `out` (its directory is created if missing).
pub fn write(results: &Results<'_>, out: &Path) -> Result<(), String> {
    let Results {
        connections,
        duration,
        cold_runs,
        routes,
        round_trips,
        latencies,
        cold,
    } = *results;
    let mut r = String::new();
    let _ = writeln!(r, "# eCRM benchmarks\n");
    let _ = writeln!(
        r,
        "Written by `make bench` (`bench/run.sh` → `target/release/ecrm-bench`). Not a timed test: numbers for reading.\n"
    );
    let _ = writeln!(r, "- Machine: {}", machine());
    let _ = writeln!(
        r,
        "- Load generator: {} (separate process, 1 thread, {connections} connections, {} s per route, closed loop)",
        tool_version("wrk", "-v"),
        duration.as_secs()
    );
    let _ = writeln!(
        r,
        "- System under test: the local runner (release build) over an in-memory dynoxide (SQLite) on loopback, in one process; load generator, runner and store share the same cores"
    );
    let _ = writeln!(
        r,
        "- Floor: the same DynamoDB calls the route makes, issued directly through `ecrm_core::store` (real SDK client, same dynoxide, same concurrency, no HTTP server, no axum)\n"
    );
    let _ = writeln!(r, "## Latency and throughput: runner vs floor\n");
    let _ = writeln!(
        r,
        "| route | DynamoDB round trips | runner p50 ms | runner p99 ms | runner req/s | floor p50 ms | floor p99 ms | floor req/s | overhead p50 (runner/floor) | requests runner / floor (errors) |"
    );
    let _ = writeln!(r, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (route, ((status, calls, floor_calls), (through, floor))) in
        routes.iter().zip(round_trips.iter().zip(latencies.iter()))
    {
        let (fp50, fp99, frps, ratio) = match floor {
            Some(f) => (
                format!("{:.2}", f.p50_ms),
                format!("{:.2}", f.p99_ms),
                format!("{:.0}", f.rps),
                if f.p50_ms > 0.0 {
                    format!("{:.2}×", through.p50_ms / f.p50_ms)
                } else {
                    "-".into()
                },
            ),
            None => ("-".into(), "-".into(), "-".into(), "no store call".into()),
        };
        let _ = writeln!(
            r,
            "| {} ({status}) | {calls} (floor {floor_calls}) | {:.2} | {:.2} | {:.0} | {fp50} | {fp99} | {frps} | {ratio} | {} / {} ({}) |",
            route.label,
            through.p50_ms,
            through.p99_ms,
            through.rps,
            through.requests,
            floor.map_or(0, |f| f.requests),
            through.errors + floor.map_or(0, |f| f.errors),
        );
    }
    let _ = writeln!(
        r,
        "\nRound trips are counted by the SDK interceptor on every client (`ecrm_core::telemetry::CountDynamoDbCalls`, one per HTTP attempt), for one request of each route; the same count is in every request's log line as `dynamodb_calls`. Sign-up requests under load each use a fresh email; member quotes have no Idempotency-Key.\n\nReading the ratios: reads are the meaningful comparison (same items, same calls). Writes grow the table as they run (the floor runs after the route, on a table already larger by every row the route wrote), and their time is dominated by dynoxide's SQLite commit, so run-to-run noise is larger than the HTTP layer; a ratio below 1 there means \"no measurable overhead\", not a faster-than-floor route. For writes, the round-trip count is the figure to hold to.\n"
    );
    let _ = writeln!(
        r,
        "## Cold start (release `bootstrap`, minimal Lambda Runtime API on loopback)\n"
    );
    let _ = writeln!(
        r,
        "Each binary from `cargo build --release -p <function>` (native x86_64; the deployed build is arm64 via cargo-lambda, same code and profile) is exec'd {cold_runs} times with `AWS_LAMBDA_RUNTIME_API` pointing at a tiny Runtime API server in the bench process, which hands it one event; time is from exec to its `/response` POST; peak RSS is the process's `VmHWM` at that moment.\n"
    );
    let _ = writeln!(
        r,
        "| function | event | median ms | min ms | max ms | peak RSS | answer |"
    );
    let _ = writeln!(r, "|---|---|---:|---:|---:|---:|---|");
    for (function, what, result) in cold {
        match result {
            Some(c) => {
                let min = c.first_response_ms.iter().copied().fold(f64::MAX, f64::min);
                let max = c.first_response_ms.iter().copied().fold(0.0, f64::max);
                let rss = c.peak_rss_kib.iter().copied().max().unwrap_or(0);
                let _ = writeln!(
                    r,
                    "| {function} | {what} | {:.1} | {min:.1} | {max:.1} | {:.1} MiB | {} |",
                    median(&c.first_response_ms),
                    rss as f64 / 1024.0,
                    c.status
                );
            }
            None => {
                let _ = writeln!(
                    r,
                    "| {function} | {what} | - | - | - | - | not built (`cargo build --release -p {function}`) |"
                );
            }
        }
    }
    let _ = writeln!(r, "\n## Release sizes\n");
    let _ = writeln!(
        r,
        "| function | `target/lambda/<fn>/bootstrap.zip` (arm64, `make build`) | native release binary (x86_64) |"
    );
    let _ = writeln!(r, "|---|---:|---:|");
    for function in FUNCTIONS.iter().chain(WORKERS.iter()) {
        let zip = std::fs::metadata(format!("target/lambda/{function}/bootstrap.zip"))
            .map(|m| kib(m.len()))
            .unwrap_or_else(|_| "not built".into());
        let native = std::fs::metadata(format!("target/release/{function}"))
            .map(|m| kib(m.len()))
            .unwrap_or_else(|_| "not built".into());
        let _ = writeln!(r, "| {function} | {zip} | {native} |");
    }
    let _ = writeln!(r, "\n## Reproduce\n");
    let _ = writeln!(
        r,
        "```sh\napt-get install wrk          # the load generator (Debian)\nmake build                   # optional: the arm64 bootstrap.zip sizes (cargo-lambda)\nmake bench                   # builds release binaries, runs everything, writes bench/REPORT.md\nBENCH_DURATION=10 BENCH_CONNECTIONS=8 make bench   # longer / more concurrent\n```"
    );
    if let Some(parent) = out.parent() {
        std::fs::create_dir_all(parent).map_err(|e| e.to_string())?;
    }
    std::fs::write(out, r).map_err(|e| format!("{}: {e}", out.display()))?;
    Ok(())
}

fn machine() -> String {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find_map(|l| l.strip_prefix("model name"))
        .map(|l| l.trim_start_matches([' ', '\t', ':']).to_string())
        .unwrap_or_else(|| "unknown".into());
    let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
    let mem_kib: u64 = meminfo
        .lines()
        .find_map(|l| l.strip_prefix("MemTotal:"))
        .and_then(|l| l.split_whitespace().next()?.parse().ok())
        .unwrap_or(0);
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease").unwrap_or_default();
    format!(
        "{cores} cores (nproc), {model}, {:.1} GiB RAM, Linux {}",
        mem_kib as f64 / 1024.0 / 1024.0,
        kernel.trim()
    )
}

fn tool_version(program: &str, arg: &str) -> String {
    Command::new(program)
        .arg(arg)
        .output()
        .ok()
        .map(|o| {
            let text = format!(
                "{}{}",
                String::from_utf8_lossy(&o.stdout),
                String::from_utf8_lossy(&o.stderr)
            );
            text.lines().next().unwrap_or("").trim().to_string()
        })
        .unwrap_or_else(|| "not found".into())
}

fn kib(bytes: u64) -> String {
    format!("{:.0} KiB", bytes as f64 / 1024.0)
}
