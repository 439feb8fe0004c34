//! Structured JSON logs. Log lines carry routes, statuses, timings and ids, never
//! personal data (emails, names, addresses, codes, tokens).

use tracing_subscriber::filter::Targets;
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::{fmt, prelude::*};

/// Install the JSON subscriber once; later calls are ignored (tests start many apps).
pub fn init() {
    init_with_writer(std::io::stdout);
}

/// [`init`], writing the lines to `writer` (the logs test captures every line).
pub fn init_with_writer<W>(writer: W)
where
    W: for<'w> MakeWriter<'w> + Send + Sync + 'static,
{
    let _ = tracing_subscriber::registry()
        .with(filter())
        .with(
            fmt::layer()
                .json()
                .with_current_span(false)
                .with_target(false)
                .with_writer(writer),
        )
        .try_init();
}

/// Levels per target from `RUST_LOG` (`info`, `debug,dynoxide=error`, …), else
/// `info,dynoxide=error`. A plain target list, not `EnvFilter`: its span and regex
/// matching would link a regex engine into every function for nothing we use.
pub fn filter() -> Targets {
    const DEFAULT: &str = "info,dynoxide=error";
    std::env::var("RUST_LOG")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| DEFAULT.parse().unwrap_or_default())
}

// ------------------------------------------------------------ DynamoDB round trips

use aws_sdk_dynamodb::config::interceptors::BeforeTransmitInterceptorContextRef;
use aws_sdk_dynamodb::config::{ConfigBag, Intercept, RuntimeComponents};
use std::cell::Cell;
use std::sync::atomic::{AtomicU64, Ordering};

tokio::task_local! {
    /// DynamoDB round trips made by the request this task is serving.
    static DYNAMODB_CALLS: Cell<u32>;
}

/// Every DynamoDB round trip this process has made (all tasks).
static DYNAMODB_CALLS_TOTAL: AtomicU64 = AtomicU64::new(0);

/// Counts each DynamoDB HTTP round trip (each attempt, so a retry counts again): one
/// relaxed atomic add and a task-local increment, installed on every client the
/// functions build ([`crate::config`]).
#[derive(Debug, Clone, Copy, Default)]
pub struct CountDynamoDbCalls;

impl Intercept for CountDynamoDbCalls {
    fn name(&self) -> &'static str {
        "CountDynamoDbCalls"
    }

    fn read_before_transmit(
        &self,
        _context: &BeforeTransmitInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), aws_sdk_dynamodb::error::BoxError> {
        DYNAMODB_CALLS_TOTAL.fetch_add(1, Ordering::Relaxed);
        let _ = DYNAMODB_CALLS.try_with(|calls| calls.set(calls.get().saturating_add(1)));
        Ok(())
    }
}

/// Run `future` (one request) counting the DynamoDB round trips it makes.
pub async fn count_dynamodb_calls<F: std::future::Future>(future: F) -> (F::Output, u32) {
    DYNAMODB_CALLS
        .scope(Cell::new(0), async move {
            let output = future.await;
            let calls = DYNAMODB_CALLS.try_with(Cell::get).unwrap_or(0);
            (output, calls)
        })
        .await
}

/// DynamoDB round trips made by this process so far (benchmarks read it around one
/// request at a time).
pub fn dynamodb_calls_total() -> u64 {
    DYNAMODB_CALLS_TOTAL.load(Ordering::Relaxed)
}
