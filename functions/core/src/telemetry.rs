//! Structured JSON logs. Log lines carry routes, statuses, timings and ids, never
//! personal data (emails, names, addresses, codes, tokens).

use tracing_subscriber::{EnvFilter, fmt};

/// Install the JSON subscriber once; later calls are ignored (tests start many apps).
pub fn init() {
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,dynoxide=error"));
    let _ = fmt()
        .json()
        .with_env_filter(filter)
        .with_current_span(false)
        .with_target(false)
        .try_init();
}
