//! `bench/REPORT.md`: the goals first (met or the figure), then the measurements as
//! Markdown tables, with the machine, its load and how to reproduce them.

use crate::cold_start::{ColdStartRow, STORE_FIRST_PREFERENCES, STORE_FIRST_QUOTES, median};
use crate::latency::{Latency, RouteLatency};
use crate::load::LoadResult;
use crate::report_text as text;
use crate::routes::{RoundTrips, RouteBench};
use crate::sizes::{Size, ZIP_LIMIT_BYTES};
use std::fmt::Write as _;
use std::path::Path;

/// Everything measured, in the order it was measured.
pub struct Results<'a> {
    pub connections: u32,
    pub duration_secs: u64,
    pub cold_runs: usize,
    pub load_before: String,
    pub load_after: String,
    pub routes: &'a [RouteBench],
    pub round_trips: &'a [RoundTrips],
    pub latencies: &'a [RouteLatency],
    pub load: &'a LoadResult,
    pub cold: &'a [ColdStartRow],
    pub sizes: &'a [Size],
}

const ROUTE_LIMIT: f64 = 1.2;
const COLD_LIMIT: f64 = 1.2;
const LEDGER_LIMIT: f64 = 1.10;

fn ratio(a: f64, b: f64) -> f64 {
    if b > 0.0 { a / b } else { f64::NAN }
}

fn met(ok: bool) -> &'static str {
    if ok { "met" } else { "**not met**" }
}

fn server_of<'a>(r: &'a Results<'_>, label: &str) -> Option<&'a Latency> {
    r.routes
        .iter()
        .zip(r.latencies)
        .find(|(route, _)| route.label == label)
        .map(|(_, l)| &l.server)
}

fn cold_median(r: &Results<'_>, function: &str, what: &str) -> Option<f64> {
    r.cold.iter().find_map(|(f, w, c)| {
        (f == function && w == what)
            .then(|| c.as_ref().map(|c| median(&c.first_response_ms)))
            .flatten()
    })
}

fn kib(bytes: Option<u64>) -> String {
    bytes.map_or("-".into(), |b| format!("{:.0} KiB", b as f64 / 1024.0))
}

/// The goals of issue #19, each met or not, with its figure.
fn goals(r: &Results<'_>, out: &mut String) {
    let _ = writeln!(
        out,
        "## Goals (issue #19)\n\n| goal | measured | |\n|---|---|---|"
    );
    let mut worst = (0.0f64, String::new());
    for (route, l) in r.routes.iter().zip(r.latencies) {
        if let Some(f) = &l.floor {
            for (x, which) in [
                (ratio(l.server.p50_ms, f.p50_ms), "p50"),
                (ratio(l.server.p99_ms, f.p99_ms), "p99"),
            ] {
                if x > worst.0 {
                    worst = (x, format!("{} at {which}", route.label));
                }
            }
        }
    }
    let _ = writeln!(
        out,
        "| every route's server time ≤ {ROUTE_LIMIT}× its DynamoDB floor, p50 and p99 | worst {:.2}× ({}) | {} |",
        worst.0,
        worst.1,
        met(worst.0 <= ROUTE_LIMIT)
    );
    let biggest = r
        .sizes
        .iter()
        .filter_map(|s| s.lambda_zip.or(s.native_zip).map(|b| (b, s)))
        .max_by_key(|(b, _)| *b);
    if let Some((bytes, s)) = biggest {
        let kind = if s.lambda_zip.is_some() {
            "arm64 bootstrap.zip"
        } else {
            "zip -9 of the native binary"
        };
        let _ = writeln!(
            out,
            "| each release zip ≤ 3.5 MiB (3584 KiB) | largest {} ({}, {kind}) | {} |",
            kib(Some(bytes)),
            s.function,
            met(bytes <= ZIP_LIMIT_BYTES)
        );
    }
    for (function, what) in [
        ("quotes", STORE_FIRST_QUOTES),
        ("preferences", STORE_FIRST_PREFERENCES),
    ] {
        let health = cold_median(r, function, &format!("GET /api/health/{function}"));
        if let (Some(h), Some(s)) = (health, cold_median(r, function, what)) {
            let x = ratio(s, h);
            let _ = writeln!(
                out,
                "| cold start, first answer needing the store ≤ {COLD_LIMIT}× health-only ({function}) | {s:.1} vs {h:.1} ms = {x:.2}× | {} |",
                met(x <= COLD_LIMIT)
            );
        }
    }
    let ledger = crate::system::LEDGER_ENTRIES;
    for (route, fresh, long) in [
        (
            "GET /api/me",
            "GET /api/me (fresh account)",
            format!("GET /api/me ({ledger} ledger entries)"),
        ),
        (
            "GET /api/me/consents?limit=20",
            crate::routes::CONSENTS_PAGE,
            format!("GET /api/me/consents?limit=20 ({ledger} ledger entries)"),
        ),
    ] {
        if let (Some(f), Some(l)) = (server_of(r, fresh), server_of(r, &long)) {
            let x = ratio(l.p50_ms, f.p50_ms);
            let _ = writeln!(
                out,
                "| {route} server p50 with {ledger} ledger entries within 10% of `{fresh}` | {:.3} vs {:.3} ms = {x:.2}× (p99 {:.3} vs {:.3}) | {} |",
                l.p50_ms,
                f.p50_ms,
                l.p99_ms,
                f.p99_ms,
                met(x <= LEDGER_LIMIT)
            );
        }
    }
    let _ = writeln!(
        out,
        "| {:.0}-s mixed load without errors | {} errors in {} requests, {:.0} req/s | {} |\n",
        r.load.seconds,
        r.load.overall.errors,
        r.load.overall.requests,
        r.load.overall.rps,
        met(r.load.overall.errors == 0)
    );
}

fn latency_table(r: &Results<'_>, out: &mut String) {
    let _ = writeln!(
        out,
        "## Latency: routes vs their DynamoDB floor\n\n{}\n",
        text::LATENCY
    );
    let _ = writeln!(
        out,
        "| route (status) | round trips route / floor | server p50 ms | server p99 ms | floor p50 ms | floor p99 ms | ratio p50 | ratio p99 | wrk p50 ms | wrk p99 ms | route req/s | floor req/s | errors |"
    );
    let _ = writeln!(
        out,
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    );
    for (route, ((status, calls, floor_calls), l)) in
        r.routes.iter().zip(r.round_trips.iter().zip(r.latencies))
    {
        let s = &l.server;
        let (fp50, fp99, x50, x99, frps) = match &l.floor {
            Some(f) => (
                format!("{:.3}", f.p50_ms),
                format!("{:.3}", f.p99_ms),
                format!("{:.2}×", ratio(s.p50_ms, f.p50_ms)),
                format!("{:.2}×", ratio(s.p99_ms, f.p99_ms)),
                format!("{:.0}", f.rps),
            ),
            None => (
                "-".into(),
                "-".into(),
                "no store call".into(),
                "-".into(),
                "-".into(),
            ),
        };
        let errors = l.client.errors + l.floor.map_or(0, |f| f.errors);
        let _ = writeln!(
            out,
            "| {} ({status}) | {calls} / {floor_calls} | {:.3} | {:.3} | {fp50} | {fp99} | {x50} | {x99} | {:.2} | {:.2} | {:.0} | {frps} | {errors} |",
            route.label, s.p50_ms, s.p99_ms, l.client.p50_ms, l.client.p99_ms, s.rps
        );
    }
    let _ = writeln!(out, "\n{}\n\n{}\n", text::OVERHEAD, text::WRITE_FLOOR);
}

fn load_table(r: &Results<'_>, out: &mut String) {
    let l = r.load;
    let _ = writeln!(
        out,
        "## Mixed load ({:.0} s, {} connections)\n\n{}\n\n| operation | requests | req/s | p50 ms | p99 ms | errors |\n|---|---:|---:|---:|---:|---:|",
        l.seconds,
        l.tasks,
        text::LOAD
    );
    for (op, x) in l
        .per_operation
        .iter()
        .chain([("all".to_string(), l.overall)].iter())
    {
        let _ = writeln!(
            out,
            "| {op} | {} | {:.0} | {:.2} | {:.2} | {} |",
            x.requests, x.rps, x.p50_ms, x.p99_ms, x.errors
        );
    }
    for u in &l.unexpected {
        let _ = writeln!(out, "\nUnexpected answer: {u}");
    }
    let _ = writeln!(out);
}

fn cold_table(r: &Results<'_>, out: &mut String) {
    let _ = writeln!(
        out,
        "## Cold start (release `bootstrap`, minimal Lambda Runtime API on loopback)\n"
    );
    let _ = writeln!(out, "{}\n", text::cold(r.cold_runs));
    let _ = writeln!(
        out,
        "| function | event | median ms | min ms | max ms | peak RSS | answer |\n|---|---|---:|---:|---:|---:|---|"
    );
    for (function, what, result) in r.cold {
        match result {
            Some(c) => {
                let min = c.first_response_ms.iter().copied().fold(f64::MAX, f64::min);
                let max = c.first_response_ms.iter().copied().fold(0.0, f64::max);
                let rss = c.peak_rss_kib.iter().copied().max().unwrap_or(0);
                let _ = writeln!(
                    out,
                    "| {function} | {what} | {:.1} | {min:.1} | {max:.1} | {:.1} MiB | {} |",
                    median(&c.first_response_ms),
                    rss as f64 / 1024.0,
                    c.status
                );
            }
            None => {
                let _ = writeln!(out, "| {function} | {what} | - | - | - | - | not built |");
            }
        }
    }
    let _ = writeln!(out);
}

fn size_table(r: &Results<'_>, out: &mut String) {
    let _ = writeln!(out, "## Release sizes\n\n{}\n", text::SIZES);
    let _ = writeln!(
        out,
        "| function | arm64 `target/lambda/<fn>/bootstrap.zip` | `zip -9` of the native binary | native binary (x86_64, stripped) |\n|---|---:|---:|---:|"
    );
    for s in r.sizes {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            s.function,
            s.lambda_zip.map_or("not built".into(), |b| kib(Some(b))),
            kib(s.native_zip),
            kib(s.native_binary)
        );
    }
    let _ = writeln!(out);
}

/// Write the report to `out` (its directory is created if missing).
pub fn write(r: &Results<'_>, path: &Path) -> Result<(), String> {
    let mut out = String::new();
    let _ = writeln!(out, "# eCRM benchmarks\n");
    let _ = writeln!(
        out,
        "{}\n",
        text::header(
            r.connections,
            r.duration_secs,
            &r.load_before,
            &r.load_after
        )
    );
    goals(r, &mut out);
    latency_table(r, &mut out);
    load_table(r, &mut out);
    cold_table(r, &mut out);
    size_table(r, &mut out);
    let _ = writeln!(out, "{}", text::REPRODUCE);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| e.to_string())?;
    }
    std::fs::write(path, out).map_err(|e| format!("{}: {e}", path.display()))
}
