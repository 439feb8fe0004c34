//! The mixed load: a Rust closed loop in this process (reqwest, one task per
//! connection, each signed in as its own customer), for `BENCH_LOAD_SECONDS`. Each task
//! cycles GET /api/me, POST /api/quotes, GET /api/me, PUT /api/me/consents/
//! personalisation (withdrawn and granted in turn) and POST /api/customers (a new
//! email each time). Any answer other than the operation's success status counts as an
//! error; none is expected.

use crate::latency::Latency;
use crate::system::{Customer, System, quote_json, request, sign_up_json};
use serde_json::json;
use std::time::{Duration, Instant};

/// The operations, in the order each task cycles through them.
pub const OPERATIONS: [&str; 4] = [
    "GET /api/me",
    "POST /api/quotes",
    "PUT /api/me/consents/personalisation",
    "POST /api/customers",
];
const CYCLE: [usize; 5] = [0, 1, 0, 2, 3];

pub struct LoadResult {
    pub seconds: f64,
    pub tasks: usize,
    /// Per operation (as `OPERATIONS`), then overall.
    pub per_operation: Vec<(String, Latency)>,
    pub overall: Latency,
    /// The first few unexpected answers, for the report.
    pub unexpected: Vec<String>,
}

type TaskResult = (Vec<Vec<f64>>, Vec<u64>, Vec<String>);

async fn task(
    http: reqwest::Client,
    url: String,
    sku: String,
    customer: Customer,
    deadline: Instant,
    t: usize,
) -> TaskResult {
    let mut samples = vec![Vec::new(); OPERATIONS.len()];
    let mut errors = vec![0u64; OPERATIONS.len()];
    let mut unexpected = Vec::new();
    let mut i = 0usize;
    while Instant::now() < deadline {
        let op = CYCLE[i % CYCLE.len()];
        i += 1;
        let (method, path, cookie, body) = match op {
            0 => ("GET", "/api/me", Some(customer.cookie.as_str()), None),
            1 => (
                "POST",
                "/api/quotes",
                Some(customer.cookie.as_str()),
                Some(quote_json(&sku)),
            ),
            2 => (
                "PUT",
                "/api/me/consents/personalisation",
                Some(customer.cookie.as_str()),
                Some(json!({ "granted": i.is_multiple_of(2) })),
            ),
            _ => (
                "POST",
                "/api/customers",
                None,
                Some(sign_up_json(&format!("load-{t}-{i}@bench.example.com"))),
            ),
        };
        let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap_or_default();
        let started = Instant::now();
        let sent = request(
            &http,
            &url,
            method,
            path,
            cookie,
            body.map(|b| b.to_string()),
        );
        let outcome = match sent.await {
            Ok(response) => {
                let status = response.status();
                let _ = response.bytes().await;
                status.is_success().then_some(()).ok_or(format!("{status}"))
            }
            Err(e) => Err(e.to_string()),
        };
        let ms = started.elapsed().as_secs_f64() * 1000.0;
        match outcome {
            Ok(()) => samples[op].push(ms),
            Err(what) => {
                errors[op] += 1;
                if unexpected.len() < 5 {
                    unexpected.push(format!("{}: {what}", OPERATIONS[op]));
                }
            }
        }
    }
    (samples, errors, unexpected)
}

/// Run the mixed load, one task per load customer.
pub async fn run(system: &System, seconds: u64) -> LoadResult {
    let started = Instant::now();
    let deadline = started + Duration::from_secs(seconds);
    let handles: Vec<_> = system
        .fixtures
        .load
        .iter()
        .enumerate()
        .map(|(t, customer)| {
            tokio::spawn(task(
                system.http.clone(),
                system.url.clone(),
                system.fixtures.sku.clone(),
                customer.clone(),
                deadline,
                t,
            ))
        })
        .collect();
    let tasks = handles.len();
    let mut samples = vec![Vec::new(); OPERATIONS.len()];
    let mut errors = vec![0u64; OPERATIONS.len()];
    let mut unexpected = Vec::new();
    for handle in handles {
        match handle.await {
            Ok((s, e, u)) => {
                for op in 0..OPERATIONS.len() {
                    samples[op].extend(&s[op]);
                    errors[op] += e[op];
                }
                unexpected.extend(u);
            }
            Err(e) => unexpected.push(format!("load task: {e}")),
        }
    }
    let elapsed = started.elapsed().as_secs_f64();
    let overall = Latency::of(samples.concat(), errors.iter().sum(), elapsed);
    let per_operation = OPERATIONS
        .iter()
        .zip(samples.into_iter().zip(errors))
        .map(|(op, (s, e))| (op.to_string(), Latency::of(s, e, elapsed)))
        .collect();
    unexpected.truncate(5);
    LoadResult {
        seconds: elapsed,
        tasks,
        per_operation,
        overall,
        unexpected,
    }
}
