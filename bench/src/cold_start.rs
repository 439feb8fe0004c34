//! Cold start: each release `bootstrap` (`target/release/<function>`) is exec'd under
//! the minimal Runtime API ([`crate::lambda_runtime_api`]); time from exec to its first
//! response, and its peak RSS (`VmHWM`) at that moment.

use crate::lambda_runtime_api::RuntimeApiServer;
use ecrm_core::routes::{FUNCTIONS, WORKERS};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

pub struct ColdStart {
    pub first_response_ms: Vec<f64>,
    pub peak_rss_kib: Vec<u64>,
    pub status: String,
}

/// One measured binary: function, event described, and its runs (`None`: not built).
pub type ColdStartRow = (String, String, Option<ColdStart>);

/// Where the release binaries are: `$CARGO_TARGET_DIR/release`, else `target/release`.
pub fn release_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map_or_else(|| PathBuf::from("target"), PathBuf::from)
        .join("release")
}

/// Every function's health route, a first answer that needs the store (quotes: a
/// signed-in `GET /api/quotes/{id}` and the catalog; preferences: a signed-in
/// `GET /api/me`; `cookie` is the session of the quote's owner), and each
/// worker with an empty stream batch, `runs` times each. Health and store events of one
/// function are interleaved run by run, so drift falls on both.
pub async fn measure_all(
    runs: usize,
    store_endpoint: &str,
    session_key: &str,
    cookie: &str,
    quote_id: &str,
) -> Result<Vec<ColdStartRow>, String> {
    let mut cold_targets: Vec<(String, String, Value)> = FUNCTIONS
        .iter()
        .map(|f| {
            let path = format!("/api/health/{f}");
            (
                f.to_string(),
                format!("GET {path}"),
                http_event(&path, None),
            )
        })
        .collect();
    cold_targets.push((
        "quotes".into(),
        STORE_FIRST_QUOTES.into(),
        http_event(&format!("/api/quotes/{quote_id}"), Some(cookie)),
    ));
    cold_targets.push((
        "quotes".into(),
        STORE_FIRST_CATALOG.into(),
        http_event("/api/catalog", None),
    ));
    cold_targets.push((
        "preferences".into(),
        STORE_FIRST_PREFERENCES.into(),
        http_event("/api/me", Some(cookie)),
    ));
    for worker in WORKERS {
        cold_targets.push((
            worker.to_string(),
            "stream batch, 0 records".into(),
            json!({ "Records": [] }),
        ));
    }
    let binaries: Vec<PathBuf> = cold_targets
        .iter()
        .map(|(function, _, _)| release_dir().join(function))
        .collect();
    let mut results: Vec<ColdStart> = cold_targets
        .iter()
        .map(|_| ColdStart {
            first_response_ms: Vec::new(),
            peak_rss_kib: Vec::new(),
            status: String::new(),
        })
        .collect();
    for _ in 0..runs {
        for ((_, _, event), (binary, result)) in cold_targets
            .iter()
            .zip(binaries.iter().zip(results.iter_mut()))
        {
            if !binary.exists() {
                continue;
            }
            let (ms, rss, status, body) =
                cold_start_once(binary, event, store_endpoint, session_key).await?;
            result.first_response_ms.push(ms);
            result.peak_rss_kib.push(rss);
            let body: Value = serde_json::from_str(&body).unwrap_or(Value::Null);
            result.status = match body.get("statusCode") {
                Some(code) => format!("{status} (HTTP {code})"),
                None => status.to_string(),
            };
        }
    }
    let mut cold = Vec::new();
    for ((function, what, _), (binary, result)) in
        cold_targets.into_iter().zip(binaries.iter().zip(results))
    {
        if !binary.exists() {
            cold.push((function, what, None));
            continue;
        }
        eprintln!(
            "cold start {function} {what}: median {:.1} ms",
            median(&result.first_response_ms)
        );
        cold.push((function, what, Some(result)));
    }
    Ok(cold)
}

/// An API Gateway HTTP API (payload 2.0) `GET path` event.
/// The origin secret the functions check (CloudFront sends it when deployed).
const BENCH_ORIGIN_SECRET: &str = "bench-origin-secret-of-at-least-32-characters";

/// The events whose answer needs the store (the report compares them with the same
/// function's health answer).
pub const STORE_FIRST_QUOTES: &str = "GET /api/quotes/{id} signed in (first store call)";
/// For reading: a first answer whose own work (51 items, 28 KB) is larger than a
/// health answer's whole cold start.
pub const STORE_FIRST_CATALOG: &str = "GET /api/catalog (first store call)";
pub const STORE_FIRST_PREFERENCES: &str = "GET /api/me signed in (first store call)";

fn http_event(path: &str, cookie: Option<&str>) -> Value {
    let mut headers = json!({ "host": "bench.example.com", "user-agent": "ecrm-bench",
                              "x-origin-verify": BENCH_ORIGIN_SECRET });
    if let Some(cookie) = cookie {
        headers["cookie"] = json!(cookie);
    }
    json!({
        "version": "2.0",
        "routeKey": format!("GET {path}"),
        "rawPath": path,
        "rawQueryString": "",
        "headers": headers,
        "requestContext": {
            "accountId": "000000000000", "apiId": "bench", "domainName": "bench.example.com",
            "domainPrefix": "bench",
            "http": { "method": "GET", "path": path, "protocol": "HTTP/1.1",
                      "sourceIp": "127.0.0.1", "userAgent": "ecrm-bench" },
            "requestId": "bench-request-1", "routeKey": format!("GET {path}"),
            "stage": "$default", "time": "01/Jan/2026:00:00:00 +0000", "timeEpoch": 1767225600000u64
        },
        "isBase64Encoded": false
    })
}

fn vm_hwm_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

async fn cold_start_once(
    binary: &Path,
    event: &Value,
    store_endpoint: &str,
    session_key: &str,
) -> Result<(f64, u64, u16, String), String> {
    let api = RuntimeApiServer::start(event).await?;
    let mut command = Command::new(binary);
    command
        .env_clear()
        .env("PATH", "/usr/bin:/bin")
        .env("AWS_LAMBDA_RUNTIME_API", api.addr())
        .env("AWS_LAMBDA_FUNCTION_NAME", "bench")
        .env("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
        .env("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "256")
        .env("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/bench")
        .env("AWS_LAMBDA_LOG_STREAM_NAME", "bench")
        .env("AWS_REGION", "us-east-1")
        .env("AWS_ACCESS_KEY_ID", "local")
        .env("AWS_SECRET_ACCESS_KEY", "local")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_CONFIG_FILE", "/dev/null")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
        .env("DYNAMODB_ENDPOINT", store_endpoint)
        .env("ECRM_TABLE", ecrm_core::config::DEFAULT_TABLE)
        .env("ECRM_SESSION_KEY", session_key)
        .env("ECRM_ORIGIN_SECRET", BENCH_ORIGIN_SECRET)
        .env("MAIL_FROM", "bench@example.com")
        .stdin(Stdio::null())
        .stderr(Stdio::null());
    // Diagnosis: BENCH_COLD_LOG=<file> appends the binaries' JSON log lines there (with
    // RUST_LOG passed on, e.g. `debug` to see what the first SDK call does).
    match std::env::var_os("BENCH_COLD_LOG") {
        Some(path) => {
            let file = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(path)
                .map_err(|e| e.to_string())?;
            command.stdout(file);
            if let Some(filter) = std::env::var_os("RUST_LOG") {
                command.env("RUST_LOG", filter);
            }
        }
        None => {
            command.stdout(Stdio::null());
        }
    }
    let started = Instant::now();
    let mut child = command
        .spawn()
        .map_err(|e| format!("{}: {e}", binary.display()))?;
    let answered = api.wait_for_answer(Duration::from_secs(20)).await;
    let rss = vm_hwm_kib(child.id()).unwrap_or(0);
    let _ = child.kill();
    let _ = child.wait();
    api.stop();
    if !answered {
        return Err(format!("{}: no response in 20 s", binary.display()));
    }
    let (at, status, body) = api.answer()?;
    Ok((
        at.duration_since(started).as_secs_f64() * 1000.0,
        rss,
        status,
        body,
    ))
}

pub fn median(values: &[f64]) -> f64 {
    let mut v = values.to_vec();
    v.sort_by(|a, b| a.total_cmp(b));
    v.get(v.len() / 2).copied().unwrap_or(0.0)
}
