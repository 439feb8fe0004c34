//! Latency and throughput of each route through the runner, driven by `wrk` (a
//! separate process), and at its floor at the same concurrency.

use crate::floor::{Floor, run_floor};
use crate::routes::RouteBench;
use crate::system::System;
use serde_json::Value;
use std::process::Command;
use std::time::Duration;

#[derive(Debug, Clone, Copy, Default)]
pub struct Latency {
    pub requests: u64,
    pub rps: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub errors: u64,
}

/// A route through the runner, and its floor (none for a route without store calls).
pub type RouteLatency = (Latency, Option<Latency>);

/// Each route under `wrk`, then its floor, one after the other.
pub async fn measure(
    routes: &[RouteBench],
    system: &System,
    connections: u32,
    duration: Duration,
) -> Result<Vec<RouteLatency>, String> {
    let mut latencies = Vec::new();
    for route in routes {
        let through = run_wrk(route, &system.url, &system.cookie, connections, duration).await?;
        let floor = if route.floor == Floor::None {
            None
        } else {
            Some(run_floor(route.floor, &system.fixtures, connections, duration).await)
        };
        eprintln!(
            "{}: runner p50 {:.2} ms p99 {:.2} ms {:.0} req/s; floor {:?}",
            route.label, through.p50_ms, through.p99_ms, through.rps, floor
        );
        latencies.push((through, floor));
    }
    Ok(latencies)
}

/// `wrk` against one route; parses the line `bench/lua/request.lua` prints.
async fn run_wrk(
    route: &RouteBench,
    url: &str,
    cookie: &str,
    connections: u32,
    duration: Duration,
) -> Result<Latency, String> {
    let mut command = Command::new("wrk");
    command
        .args([
            "-t1",
            &format!("-c{connections}"),
            &format!("-d{}s", duration.as_secs()),
            "-s",
            "bench/lua/request.lua",
            &format!("{url}{}", route.path),
        ])
        .env("WRK_METHOD", route.method)
        .env("WRK_ORIGIN", url)
        .env("WRK_BODY", route.body.clone().unwrap_or_default())
        .env("WRK_COOKIE", if route.signed_in { cookie } else { "" });
    let output = tokio::task::spawn_blocking(move || command.output())
        .await
        .map_err(|e| e.to_string())?
        .map_err(|e| format!("wrk: {e} (apt-get install wrk)"))?;
    let text = String::from_utf8_lossy(&output.stdout);
    let line = text
        .lines()
        .find_map(|l| l.strip_prefix("WRKJSON "))
        .ok_or_else(|| format!("no result from wrk: {text}"))?;
    let v: Value = serde_json::from_str(line).map_err(|e| e.to_string())?;
    let n = |k: &str| v[k].as_f64().unwrap_or(0.0);
    Ok(Latency {
        requests: n("requests") as u64,
        rps: n("requests") / (n("duration_us") / 1e6).max(1e-9),
        p50_ms: n("p50_us") / 1000.0,
        p99_ms: n("p99_us") / 1000.0,
        errors: (n("errors") + n("non2xx")) as u64,
    })
}
