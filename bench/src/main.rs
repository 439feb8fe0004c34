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

use aws_sdk_dynamodb::Client;
use axum::Router;
use axum::extract::{Path as UrlPath, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use ecrm_core::domain::clock;
use ecrm_core::domain::customer::{CustomerId, SignUpRequest, validate_sign_up};
use ecrm_core::domain::quote::{Contact, Quote, QuoteRequest, check_request, price_request};
use ecrm_core::domain::session::SessionKey;
use ecrm_core::routes::{FUNCTIONS, WORKERS};
use ecrm_core::site_config;
use ecrm_core::store::{Store, catalog, customers, profile, quotes};
use ecrm_runner::{Options, StoreMode};
use serde_json::{Value, json};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::Notify;

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Floor {
    /// No store call: the route is pure HTTP and routing.
    None,
    Catalog,
    Me,
    MyQuotes,
    GetQuote,
    SignUp,
    CreateQuote,
}

struct RouteBench {
    label: &'static str,
    method: &'static str,
    path: String,
    /// `{n}` becomes a per-request unique token.
    body: Option<String>,
    signed_in: bool,
    floor: Floor,
}

/// What the floor calls need: the fixtures' ids.
#[derive(Clone)]
struct Fixtures {
    store: Store,
    customer_id: String,
    quote_id: String,
    sku: String,
}

fn sign_up_json(email: &str) -> Value {
    json!({
        "email": email, "display_name": "Bench", "language": "en", "country": "GB",
        "topics": [], "consents": {"account": true, "marketing_email": false, "personalisation": true}
    })
}

fn quote_json(sku: &str) -> Value {
    json!({ "lines": [{ "sku": sku, "quantity": 2 }], "country": "GB" })
}

/// The store calls a route makes, issued directly.
async fn floor_once(kind: Floor, f: &Fixtures, n: u64) -> Result<(), String> {
    let store = &f.store;
    let e = |e: ecrm_core::store::StoreError| e.to_string();
    match kind {
        Floor::None => {}
        Floor::Catalog => {
            catalog::list(store).await.map_err(e)?;
        }
        Floor::Me => {
            profile::load(store, &f.customer_id).await.map_err(e)?;
        }
        Floor::MyQuotes => {
            let (page, profile) = tokio::join!(
                quotes::list_for_customer(store, &f.customer_id, 20, None),
                customers::get_profile(store, &f.customer_id),
            );
            page.map_err(e)?;
            profile.map_err(e)?;
        }
        Floor::GetQuote => {
            quotes::get(store, &f.quote_id, Some(&f.customer_id))
                .await
                .map_err(e)?;
        }
        Floor::SignUp => {
            let request: SignUpRequest = serde_json::from_value(sign_up_json(&format!(
                "floor-{}-{n}@bench.example.com",
                ulid::Ulid::new()
            )))
            .map_err(|e| e.to_string())?;
            let customer = validate_sign_up(
                request,
                site_config::facts(),
                CustomerId::generate(),
                clock::rfc3339(clock::now()),
            )
            .map_err(|e| format!("{e:?}"))?;
            customers::create(store, &customer)
                .await
                .map_err(|e| format!("{e:?}"))?;
        }
        Floor::CreateQuote => {
            let request: QuoteRequest =
                serde_json::from_value(quote_json(&f.sku)).map_err(|e| e.to_string())?;
            let checked = check_request(&request, true, site_config::facts())
                .map_err(|e| format!("{e:?}"))?;
            let skus: Vec<String> = checked.lines.iter().map(|(s, _)| s.clone()).collect();
            let pre = quotes::prefetch(store, &skus, Some(&f.customer_id), None)
                .await
                .map_err(e)?;
            let priced = price_request(&checked, &pre.items, true).map_err(|e| format!("{e:?}"))?;
            let profile = pre.profile.ok_or("no profile")?;
            let contact = Contact {
                name: profile.display_name,
                email: profile.email,
            };
            let id = ulid::Ulid::new();
            let quote = Quote::issue(
                &id,
                clock::now(),
                Some(f.customer_id.clone()),
                contact,
                checked.country.clone(),
                priced,
            );
            quotes::create(store, &quotes::QuoteItem::new(&quote, None), None)
                .await
                .map_err(|e| format!("{e:?}"))?;
        }
    }
    Ok(())
}

#[derive(Debug, Clone, Copy, Default)]
struct Latency {
    requests: u64,
    rps: f64,
    p50_ms: f64,
    p99_ms: f64,
    errors: u64,
}

/// Closed loop: `connections` tasks, each issuing the floor calls back to back.
async fn run_floor(kind: Floor, f: &Fixtures, connections: u32, duration: Duration) -> Latency {
    let started = Instant::now();
    let mut tasks = Vec::new();
    for c in 0..connections {
        let f = f.clone();
        tasks.push(tokio::spawn(async move {
            let mut samples = Vec::new();
            let mut errors = 0u64;
            let mut n = u64::from(c) << 40;
            while started.elapsed() < duration {
                n += 1;
                let t = Instant::now();
                match floor_once(kind, &f, n).await {
                    Ok(()) => samples.push(t.elapsed()),
                    Err(_) => errors += 1,
                }
            }
            (samples, errors)
        }));
    }
    let mut all = Vec::new();
    let mut errors = 0;
    for task in tasks {
        if let Ok((samples, e)) = task.await {
            all.extend(samples);
            errors += e;
        }
    }
    let elapsed = started.elapsed().as_secs_f64();
    all.sort();
    let pct = |p: f64| {
        all.get(((all.len() as f64 * p).ceil() as usize).saturating_sub(1))
            .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
    };
    Latency {
        requests: all.len() as u64,
        rps: all.len() as f64 / elapsed,
        p50_ms: pct(0.50),
        p99_ms: pct(0.99),
        errors,
    }
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

// ------------------------------------------------------------------ cold start

#[derive(Default)]
struct RuntimeApi {
    event: Value,
    served: bool,
    answered: Option<(Instant, u16, String)>,
}

type Shared = (Arc<Mutex<RuntimeApi>>, Arc<Notify>);

async fn next_invocation(State((api, _)): State<Shared>) -> Response {
    let event = {
        let Ok(mut api) = api.lock() else {
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        };
        if api.served {
            None
        } else {
            api.served = true;
            Some(api.event.clone())
        }
    };
    let Some(event) = event else {
        // One invocation per process: later polls wait until the process is killed.
        std::future::pending::<()>().await;
        return StatusCode::NO_CONTENT.into_response();
    };
    let mut headers = HeaderMap::new();
    let deadline = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() + 30_000)
        .unwrap_or_default();
    for (name, value) in [
        (
            "lambda-runtime-aws-request-id",
            "bench-request-1".to_string(),
        ),
        ("lambda-runtime-deadline-ms", deadline.to_string()),
        (
            "lambda-runtime-invoked-function-arn",
            "arn:aws:lambda:us-east-1:000000000000:function:bench".to_string(),
        ),
        (
            "lambda-runtime-trace-id",
            "Root=1-00000000-000000000000000000000000".to_string(),
        ),
    ] {
        if let Ok(value) = HeaderValue::from_str(&value) {
            headers.insert(name, value);
        }
    }
    (headers, axum::Json(event)).into_response()
}

async fn record(shared: &Shared, status: u16, body: String) -> Response {
    let at = Instant::now();
    if let Ok(mut api) = shared.0.lock() {
        api.answered.get_or_insert((at, status, body));
    }
    shared.1.notify_one();
    (StatusCode::ACCEPTED, "{}").into_response()
}

async fn invocation_response(
    State(shared): State<Shared>,
    UrlPath(_id): UrlPath<String>,
    body: String,
) -> Response {
    record(&shared, 200, body).await
}

async fn invocation_error(
    State(shared): State<Shared>,
    UrlPath(_id): UrlPath<String>,
    body: String,
) -> Response {
    record(&shared, 500, body).await
}

async fn init_error(State(shared): State<Shared>, body: String) -> Response {
    record(&shared, 500, body).await
}

fn http_event(path: &str) -> Value {
    json!({
        "version": "2.0",
        "routeKey": format!("GET {path}"),
        "rawPath": path,
        "rawQueryString": "",
        "headers": { "host": "bench.example.com", "user-agent": "ecrm-bench" },
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

struct ColdStart {
    first_response_ms: Vec<f64>,
    peak_rss_kib: Vec<u64>,
    status: String,
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
    let shared: Shared = (
        Arc::new(Mutex::new(RuntimeApi {
            event: event.clone(),
            ..RuntimeApi::default()
        })),
        Arc::new(Notify::new()),
    );
    let app = Router::new()
        .route("/2018-06-01/runtime/invocation/next", get(next_invocation))
        .route(
            "/2018-06-01/runtime/invocation/{id}/response",
            post(invocation_response),
        )
        .route(
            "/2018-06-01/runtime/invocation/{id}/error",
            post(invocation_error),
        )
        .route("/2018-06-01/runtime/init/error", post(init_error))
        .with_state(shared.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .map_err(|e| e.to_string())?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let server = tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    let mut command = Command::new(binary);
    command
        .env_clear()
        .env("PATH", "/usr/bin:/bin")
        .env("AWS_LAMBDA_RUNTIME_API", addr.to_string())
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
        .env("MAIL_FROM", "bench@example.com")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    let started = Instant::now();
    let mut child = command
        .spawn()
        .map_err(|e| format!("{}: {e}", binary.display()))?;
    let answered = tokio::time::timeout(Duration::from_secs(20), shared.1.notified()).await;
    let rss = vm_hwm_kib(child.id()).unwrap_or(0);
    let _ = child.kill();
    let _ = child.wait();
    server.abort();
    answered.map_err(|_| format!("{}: no response in 20 s", binary.display()))?;
    let (at, status, body) = shared
        .0
        .lock()
        .map_err(|_| "poisoned".to_string())?
        .answered
        .clone()
        .ok_or("no response recorded")?;
    Ok((
        at.duration_since(started).as_secs_f64() * 1000.0,
        rss,
        status,
        body,
    ))
}

fn median(values: &[f64]) -> f64 {
    let mut v = values.to_vec();
    v.sort_by(|a, b| a.total_cmp(b));
    v.get(v.len() / 2).copied().unwrap_or(0.0)
}

// ------------------------------------------------------------------ report bits

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
    let session_key = SessionKey::generate()?;
    let running = ecrm_runner::start(Options {
        listen: "127.0.0.1:0".parse().map_err(|e| format!("{e}"))?,
        store: StoreMode::Memory,
        site_dir: PathBuf::from("site/public"),
        table: ecrm_core::config::DEFAULT_TABLE.into(),
        session_key: session_key.clone(),
        mail_worker: false,
    })
    .await?;
    let url = running.url();
    let client: Client = running.client.clone();
    let store = Store::new(client, running.table.clone());
    let http = reqwest::Client::new();
    let send = |method: reqwest::Method, path: &str, cookie: Option<&str>, body: Option<String>| {
        let mut request = http
            .request(method, format!("{url}{path}"))
            .header("origin", &url)
            .header("content-type", "application/json");
        if let Some(cookie) = cookie {
            request = request.header("cookie", cookie);
        }
        if let Some(body) = body {
            request = request.body(body);
        }
        request.send()
    };
    let signed_up = send(
        reqwest::Method::POST,
        "/api/customers",
        None,
        Some(sign_up_json("bench@example.com").to_string()),
    )
    .await
    .map_err(|e| e.to_string())?;
    let cookie = signed_up
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("ecrm_session="))
        .and_then(|v| v.split(';').next())
        .ok_or("sign-up set no cookie")?
        .to_string();
    let customer: Value = signed_up.json().await.map_err(|e| e.to_string())?;
    let customer_id = customer["id"].as_str().ok_or("no id")?.to_string();
    let catalog_body: Value = send(reqwest::Method::GET, "/api/catalog", None, None)
        .await
        .map_err(|e| e.to_string())?
        .json()
        .await
        .map_err(|e| e.to_string())?;
    let sku = catalog_body["items"][0]["sku"]
        .as_str()
        .ok_or("empty catalog")?
        .to_string();
    let _ = send(
        reqwest::Method::POST,
        "/api/me/addresses",
        Some(&cookie),
        Some(
            json!({ "kinds": ["billing"], "name": "Bench", "line1": "1 High Street",
                    "city": "London", "postal_code": "SW1A 1AA", "country": "GB" })
            .to_string(),
        ),
    )
    .await
    .map_err(|e| e.to_string())?;
    let quote: Value = send(
        reqwest::Method::POST,
        "/api/quotes",
        Some(&cookie),
        Some(quote_json(&sku).to_string()),
    )
    .await
    .map_err(|e| e.to_string())?
    .json()
    .await
    .map_err(|e| e.to_string())?;
    let quote_id = quote["id"].as_str().ok_or("no quote id")?.to_string();
    let fixtures = Fixtures {
        store,
        customer_id,
        quote_id: quote_id.clone(),
        sku: sku.clone(),
    };

    let routes = vec![
        RouteBench {
            label: "GET /api/health/registration",
            method: "GET",
            path: "/api/health/registration".into(),
            body: None,
            signed_in: false,
            floor: Floor::None,
        },
        RouteBench {
            label: "GET /api/catalog",
            method: "GET",
            path: "/api/catalog".into(),
            body: None,
            signed_in: false,
            floor: Floor::Catalog,
        },
        RouteBench {
            label: "GET /api/me",
            method: "GET",
            path: "/api/me".into(),
            body: None,
            signed_in: true,
            floor: Floor::Me,
        },
        RouteBench {
            label: "GET /api/me/quotes",
            method: "GET",
            path: "/api/me/quotes".into(),
            body: None,
            signed_in: true,
            floor: Floor::MyQuotes,
        },
        RouteBench {
            label: "GET /api/quotes/{id}",
            method: "GET",
            path: format!("/api/quotes/{quote_id}"),
            body: None,
            signed_in: true,
            floor: Floor::GetQuote,
        },
        RouteBench {
            label: "POST /api/customers",
            method: "POST",
            path: "/api/customers".into(),
            body: Some(sign_up_json("{n}@bench.example.com").to_string()),
            signed_in: false,
            floor: Floor::SignUp,
        },
        RouteBench {
            label: "POST /api/quotes",
            method: "POST",
            path: "/api/quotes".into(),
            body: Some(quote_json(&sku).to_string()),
            signed_in: true,
            floor: Floor::CreateQuote,
        },
    ];

    // 2. Round trips per route (one request at a time; nothing else uses the store).
    let mut round_trips = Vec::new();
    for route in &routes {
        let before = ecrm_core::telemetry::dynamodb_calls_total();
        let response = send(
            reqwest::Method::from_bytes(route.method.as_bytes()).map_err(|e| e.to_string())?,
            &route.path,
            route.signed_in.then_some(cookie.as_str()),
            route.body.as_ref().map(|b| b.replace("{n}", "roundtrip")),
        )
        .await
        .map_err(|e| e.to_string())?;
        let status = response.status().as_u16();
        let _ = response.bytes().await;
        let calls = ecrm_core::telemetry::dynamodb_calls_total() - before;
        let before = ecrm_core::telemetry::dynamodb_calls_total();
        floor_once(route.floor, &fixtures, 0).await?;
        let floor_calls = ecrm_core::telemetry::dynamodb_calls_total() - before;
        round_trips.push((status, calls, floor_calls));
        eprintln!("{}: {status}, {calls} DynamoDB round trips", route.label);
    }

    // 3. Latency through the runner (wrk) and at the floor.
    let mut latencies = Vec::new();
    for route in &routes {
        let through = run_wrk(route, &url, &cookie, connections, duration).await?;
        let floor = if route.floor == Floor::None {
            None
        } else {
            Some(run_floor(route.floor, &fixtures, connections, duration).await)
        };
        eprintln!(
            "{}: runner p50 {:.2} ms p99 {:.2} ms {:.0} req/s; floor {:?}",
            route.label, through.p50_ms, through.p99_ms, through.rps, floor
        );
        latencies.push((through, floor));
    }

    // 4. Cold start of each release bootstrap.
    let store_endpoint = running.store_endpoint();
    let mut cold = Vec::new();
    let mut cold_targets: Vec<(String, String, Value)> = FUNCTIONS
        .iter()
        .map(|f| {
            let path = format!("/api/health/{f}");
            (f.to_string(), format!("GET {path}"), http_event(&path))
        })
        .collect();
    cold_targets.push((
        "quotes".into(),
        "GET /api/catalog (first store call)".into(),
        http_event("/api/catalog"),
    ));
    for worker in WORKERS {
        cold_targets.push((
            worker.to_string(),
            "stream batch, 0 records".into(),
            json!({ "Records": [] }),
        ));
    }
    for (function, what, event) in &cold_targets {
        let binary = PathBuf::from("target/release").join(function);
        if !binary.exists() {
            cold.push((function.clone(), what.clone(), None));
            continue;
        }
        let mut result = ColdStart {
            first_response_ms: Vec::new(),
            peak_rss_kib: Vec::new(),
            status: String::new(),
        };
        for _ in 0..cold_runs {
            let (ms, rss, status, body) =
                cold_start_once(&binary, event, &store_endpoint, &session_key.to_base64()).await?;
            result.first_response_ms.push(ms);
            result.peak_rss_kib.push(rss);
            let body: Value = serde_json::from_str(&body).unwrap_or(Value::Null);
            result.status = match body.get("statusCode") {
                Some(code) => format!("{status} (HTTP {code})"),
                None => status.to_string(),
            };
        }
        eprintln!(
            "cold start {function} {what}: median {:.1} ms",
            median(&result.first_response_ms)
        );
        cold.push((function.clone(), what.clone(), Some(result)));
    }

    running.shutdown().await;

    // 5. The report.
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
    for (function, what, result) in &cold {
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
    std::fs::write(&out, r).map_err(|e| format!("{}: {e}", out.display()))?;
    Ok(out)
}
