//! Latency of each route through the runner, driven by `wrk` (a separate process),
//! and at its floor at the same concurrency, interleaved: a warm-up slice of each, then
//! one-second slices alternating route, floor, floor, route, … so drift (a table that
//! grows under writes, a build starting elsewhere) falls on both alike.

use crate::floor::{Floor, run_floor};
use crate::routes::{RouteBench, cookie};
use crate::server_time;
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

impl Latency {
    /// From every sample (ms) of runs lasting `seconds` in all.
    pub fn of(mut samples: Vec<f64>, errors: u64, seconds: f64) -> Latency {
        samples.sort_by(|a, b| a.total_cmp(b));
        let pct = |p: f64| {
            let i = ((samples.len() as f64 * p).ceil() as usize).saturating_sub(1);
            samples.get(i).copied().unwrap_or(0.0)
        };
        Latency {
            requests: samples.len() as u64,
            rps: samples.len() as f64 / seconds.max(1e-9),
            p50_ms: pct(0.50),
            p99_ms: pct(0.99),
            errors,
        }
    }
}

/// One route: as `wrk` saw it (client side), its server time, and its floor (none for
/// a route without store calls).
pub struct RouteLatency {
    pub client: Latency,
    pub server: Latency,
    pub floor: Option<Latency>,
}

const SLICE: Duration = Duration::from_secs(1);

/// Each route and its floor, interleaved, `duration` of measured time each.
pub async fn measure(
    routes: &[RouteBench],
    system: &System,
    connections: u32,
    duration: Duration,
) -> Result<Vec<RouteLatency>, String> {
    let slices = duration.as_secs().max(2);
    let mut latencies = Vec::new();
    for route in routes {
        let has_floor = route.floor != Floor::None;
        // Warm-up, not counted.
        run_wrk(route, system, connections, SLICE).await?;
        if has_floor {
            run_floor(route.floor, &system.fixtures, connections, SLICE).await;
        }
        server_time::take();
        let (mut server, mut floor) = (Vec::new(), Vec::new());
        let (mut floor_errors, mut floor_seconds) = (0, 0.0);
        let mut client: Vec<Latency> = Vec::new();
        for slice in 0..slices {
            // ABBA order: route first in slices 0, 3, 4, 7, …
            let route_first = matches!(slice % 4, 0 | 3);
            for turn in [route_first, !route_first] {
                if turn {
                    client.push(run_wrk(route, system, connections, SLICE).await?);
                    server.extend(server_time::take());
                } else if has_floor {
                    let (samples, errors, seconds) =
                        run_floor(route.floor, &system.fixtures, connections, SLICE).await;
                    floor.extend(samples);
                    floor_errors += errors;
                    floor_seconds += seconds;
                }
            }
        }
        let seconds = (slices * SLICE.as_secs()) as f64;
        let errors = client.iter().map(|l| l.errors).sum();
        let result = RouteLatency {
            client: merge(&client),
            server: Latency::of(server, errors, seconds),
            floor: has_floor.then(|| Latency::of(floor, floor_errors, floor_seconds)),
        };
        eprintln!(
            "{}: server p50 {:.3} ms p99 {:.3} ms ({} req); floor {:?}",
            route.label,
            result.server.p50_ms,
            result.server.p99_ms,
            result.server.requests,
            result.floor
        );
        latencies.push(result);
    }
    Ok(latencies)
}

/// Slices as `wrk` saw them: requests summed, percentiles the median of the slices'.
fn merge(slices: &[Latency]) -> Latency {
    let median = |f: fn(&Latency) -> f64| {
        let mut v: Vec<f64> = slices.iter().map(f).collect();
        v.sort_by(|a, b| a.total_cmp(b));
        v.get(v.len() / 2).copied().unwrap_or(0.0)
    };
    Latency {
        requests: slices.iter().map(|l| l.requests).sum(),
        rps: median(|l| l.rps),
        p50_ms: median(|l| l.p50_ms),
        p99_ms: median(|l| l.p99_ms),
        errors: slices.iter().map(|l| l.errors).sum(),
    }
}

/// `wrk` against one route; parses the line `bench/lua/request.lua` prints.
async fn run_wrk(
    route: &RouteBench,
    system: &System,
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
            &format!("{}{}", system.url, route.path),
        ])
        .env("WRK_METHOD", route.method)
        .env("WRK_ORIGIN", &system.url)
        .env("WRK_BODY", route.body.clone().unwrap_or_default())
        .env("WRK_COOKIE", cookie(route, &system.fixtures));
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
