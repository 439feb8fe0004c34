//! The prose of `bench/REPORT.md`: how each figure was measured and how to read it,
//! and the machine it ran on.

use std::process::Command;

pub fn header(connections: u32, seconds: u64, load_before: &str, load_after: &str) -> String {
    format!(
        "Written by `make bench` (`bench/run.sh` → `ecrm-bench`). Numbers for reading, not a timed test.\n\n\
- Machine: {}\n\
- Load average (`/proc/loadavg`) at start: {load_before}; at end: {load_after}\n\
- Load generator: {} (separate process, 1 thread, {connections} connections, closed loop), {seconds} one-second slices per side after a one-second warm-up of each\n\
- System under test: the local runner (release build) over an in-memory dynoxide (SQLite) on loopback, in this process; load generator, runner and store share the cores\n\
- Floor: the same DynamoDB calls the route makes, issued directly through `ecrm_core::store` (the same SDK client and dynoxide, the same items, the same concurrency, no HTTP server, no axum)",
        machine(),
        tool_version("wrk", "-v"),
    )
}

pub const LATENCY: &str = "One connection by default (`BENCH_CONNECTIONS`): with more on 2 cores, wrk, the runner's tasks and the store queue behind each other during the route's slices but not during the floor's (no HTTP client runs then), and the ratio measures that queueing, not the routes. Server time is the time the API spends on a request: the `latency_ms` of the request's log line, measured by the outermost API middleware (`web::log_request`) from the request's arrival at the routes to its answer, including the session check, JSON, limits and the JSON log line itself (formatted as deployed, written to a sink). The floor is timed around the store calls alone. Route and floor alternate in one-second slices (route, floor, floor, route, …) after a warm-up of each, so table growth and machine drift fall on both alike. `wrk p50/p99` is what the load generator saw (the median of its slices), which adds the loopback socket, HTTP parsing and the client sharing the two cores; it is for reading, not the goal. Round trips are counted by the SDK interceptor on every client (`ecrm_core::telemetry::CountDynamoDbCalls`, one per HTTP attempt) for one request of the route and one of its floor: equal counts show the floor makes the route's calls.";

pub const OVERHEAD: &str = "**Where the rest goes.** The store here is an in-memory dynoxide on loopback answering a small read in about 0.2 ms, so every microsecond of HTTP work shows. What a read route adds (axum routing, five middleware layers, the session cookie's HMAC check, building and serialising the JSON answer, the request's JSON log line) is a fixed 10–90 µs per request at p50 (server p50 minus floor p50 in the table); it does not grow with the data. `GET /api/recommendations` once looked 1.35× its floor: the floor read four items fewer than the route (the need lists, one of which stands for who the customer buys for); with the same reads it is within a few percent, so its ranking costs little. Against DynamoDB itself (a few milliseconds per call in-region) these microseconds are 1–4%. p99 over five one-second slices of sub-millisecond requests on 2 cores is dominated by preemption (one is 1–5 ms) and moves by ±0.3× from run to run: two idle runs in a row put different routes above 1.2× at p99 and every route within it at p50. They are reported as measured.";

pub const WRITE_FLOOR: &str = "**The write floor, explained.** Earlier reports showed sign-up at 0.51–0.55× its floor: the route looked faster than the store calls it makes. The floor measured something else. It called `customers::create`, the account-creating transaction (profile, email claim, consent ledger entries, welcome mail) that runs when the mailed code is verified, while `POST /api/customers` since proving the email first writes only a pending sign-up: the two limit counters (one `TransactWriteItems`), a `GetItem` of the email claim, and one `TransactWriteItems` of the code item and its mail. It also ran after the route, on a table larger by every row the route had written. The floor now makes exactly the route's three calls with the same items, sizes and conditions (`bench/src/floor.rs`, `sign_up`), interleaved with the route, so both see the same table. The same held for `GET /api/me`, whose floor read all five of the customer's partitions (`profile::load`) after the route had come to read one key range, and for a member's `POST /api/quotes`, whose floor wrote the quote without the interest events and the \"quote issued\" mail the route writes in the same transaction (2.5× before; now the floor writes them too).";

pub const LOAD: &str = "A Rust closed loop in the bench process (reqwest), one task per connection (`BENCH_LOAD_CONNECTIONS`, 4), each signed in as its own customer, cycling `GET /api/me`, `POST /api/quotes`, `GET /api/me`, `PUT /api/me/consents/personalisation` (withdrawn and granted in turn) and `POST /api/customers` (a new email each time). Times are as the client saw them. Every answer other than a 2xx counts as an error; none is expected (the runner's abuse limits are scaled up for load, as for the latency runs). `BENCH_LOAD_SECONDS` sets the length (60).";

pub fn cold(runs: usize) -> String {
    format!(
        "Each release binary (native x86_64, same code and profile as the arm64 build) is exec'd {runs} times with `AWS_LAMBDA_RUNTIME_API` pointing at a tiny Runtime API in the bench process, which hands it one event; time is from exec to its `/response` POST; peak RSS is `VmHWM` at that moment. The Lambda environment given is the deployed one's shape: static credentials in `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY`, `AWS_REGION`, and a plain-HTTP `DYNAMODB_ENDPOINT` (the bench's dynoxide). Runs of every event are interleaved (one of each, {runs} times), so a function's health and store answers see the same machine. The answers that need the store: quotes' signed-in `GET /api/quotes/{{id}}` (one GetItem) and preferences' signed-in `GET /api/me` (one Query); quotes' `GET /api/catalog` is shown for reading, its own work (51 items, 28 KB decoded) being larger than the goal's margin.\n\n**What the first store call paid for, and what moved.** Before, the first call built and walked the SDK's credential provider chain (environment, profile files, web identity, container and instance metadata providers; the chain also linked an STS client), built the HTTP connector and, in it, read and parsed the system's root certificates for a TLS configuration (aws-lc). Now (`ecrm_core::config`): Lambda's environment already holds the region and the role's credentials, which are taken as they are (the values the chain would have found first); the root certificates and the TLS configuration (rustls over ring) are built at init, before the runtime loop; what is left on the first call is the SDK's per-operation set-up (identity cache, endpoint resolution, signing), the TCP connection (and, deployed, the TLS handshake, which no reordering removes without a request at init that not every function's IAM role allows) and the store's answer itself."
    )
}

pub const SIZES: &str = "What made them smaller (zip -9, x86_64, registration 4503 → about 3810 KiB, the others 17–25% less, measured at opt-level \"s\" before and after): the SDK clients use rustls over ring instead of the default aws-lc (and aws-lc-sys, with its cmake build, left the lock file); deployed functions no longer link the SDK's credential provider chain and its STS client (`ecrm-core`'s `credential-chain` feature, on only for the runner); `RUST_LOG` is parsed as a target list instead of `EnvFilter` (no regex engine); the workers' `lambda_runtime` lost its default `tracing` feature (another `EnvFilter`); `opt-level = \"s\"` (registration's native binary 10.6 MB against 11.2 MB in the last opt-level 3 build; the route-vs-floor ratios are measured at \"s\", an opt-level 3 run of the same code was not made). `opt-level = \"z\"` for registration alone made it larger (4044 KiB), so it stays \"s\". Registration is still over: it serves the whole API's OpenAPI document, assembled at run time from every function's router (`preferences::api()` and the others build their routers, handlers included), so it links every route of the API; the largest remaining pieces are the HTTP/2 client code the SDK's connector carries (h2, about 430 KB unzipped, never used by DynamoDB) and the per-type JSON error-path decoding (serde_path_to_error, about 400 KB). Building the other functions' parts of the document without their handlers (or at build time) would bring it to the size of the largest other function. The limit is 3.5 MiB per zip. The arm64 column is filled when `make build` (cargo-lambda) has run; the `zip -9` column is always measured here from the native release binary named `bootstrap`, one file as cargo-lambda packs it (arm64 code is usually a little larger than x86_64).";

pub const REPRODUCE: &str = "## Reproduce\n\n```sh\nmake bench                    # installs wrk if missing, release builds, runs everything, writes bench/REPORT.md\nBENCH_LOAD_SECONDS=10 make bench                  # a shorter mixed load (smoke run)\nBENCH_DURATION=10 BENCH_CONNECTIONS=4 make bench  # more slices per route / more concurrent\nCARGO_TARGET_DIR=/elsewhere make bench            # builds and times binaries there\nmake build                    # optional: the arm64 bootstrap.zip sizes (cargo-lambda)\n```";

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

/// `/proc/loadavg`'s three averages.
pub fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .unwrap_or_default()
        .split_whitespace()
        .take(3)
        .collect::<Vec<_>>()
        .join(" ")
}
