//! A minimal Lambda Runtime API on loopback, for cold starts: it hands a `bootstrap`
//! one event on its first `invocation/next` poll and records its first answer
//! (`/response`, or `/error` and `init/error` as a 500).

use axum::Router;
use axum::extract::{Path as UrlPath, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::Value;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::Notify;
use tokio::task::JoinHandle;

/// The first answer: when it came, its status (200 or 500) and its body.
pub type Answer = (Instant, u16, String);

#[derive(Default)]
struct RuntimeApi {
    event: Value,
    served: bool,
    answered: Option<Answer>,
}

type Shared = (Arc<Mutex<RuntimeApi>>, Arc<Notify>);

/// One Runtime API server for one process and one event.
pub struct RuntimeApiServer {
    addr: SocketAddr,
    shared: Shared,
    server: JoinHandle<()>,
}

impl RuntimeApiServer {
    /// Serve the Runtime API on a free loopback port, with `event` to hand out.
    pub async fn start(event: &Value) -> Result<RuntimeApiServer, String> {
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
        Ok(RuntimeApiServer {
            addr,
            shared,
            server,
        })
    }

    /// `host:port`, the value of `AWS_LAMBDA_RUNTIME_API`.
    pub fn addr(&self) -> String {
        self.addr.to_string()
    }

    /// Wait up to `limit` for the first answer; `false` if none came.
    pub async fn wait_for_answer(&self, limit: Duration) -> bool {
        tokio::time::timeout(limit, self.shared.1.notified())
            .await
            .is_ok()
    }

    /// Stop serving.
    pub fn stop(&self) {
        self.server.abort();
    }

    /// The first answer recorded.
    pub fn answer(&self) -> Result<Answer, String> {
        self.shared
            .0
            .lock()
            .map_err(|_| "poisoned".to_string())?
            .answered
            .clone()
            .ok_or_else(|| "no response recorded".to_string())
    }
}

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
