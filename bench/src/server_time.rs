//! Server time of each request: the `latency_ms` of the request log line the API's
//! outermost middleware writes (`web::log_request`), collected by a tracing layer in
//! this process. The log line itself is still formatted as JSON, as deployed (written
//! to a sink, not the terminal), so its cost stays in the route's time.

use std::sync::Mutex;
use tracing::field::{Field, Visit};
use tracing_subscriber::fmt;
use tracing_subscriber::layer::{Context, Layer, SubscriberExt};
use tracing_subscriber::util::SubscriberInitExt;

static SAMPLES: Mutex<Vec<f64>> = Mutex::new(Vec::new());

struct Collect;

struct LatencyField(Option<f64>);

impl Visit for LatencyField {
    fn record_f64(&mut self, field: &Field, value: f64) {
        if field.name() == "latency_ms" {
            self.0 = Some(value);
        }
    }

    fn record_debug(&mut self, _: &Field, _: &dyn std::fmt::Debug) {}
}

impl<S: tracing::Subscriber> Layer<S> for Collect {
    fn on_event(&self, event: &tracing::Event<'_>, _: Context<'_, S>) {
        let mut field = LatencyField(None);
        event.record(&mut field);
        if let (Some(ms), Ok(mut samples)) = (field.0, SAMPLES.lock()) {
            samples.push(ms);
        }
    }
}

/// The functions' JSON log format (`ecrm_core::telemetry`), written nowhere, and the
/// collector. Before the runner starts.
pub fn install() {
    let json = fmt::layer()
        .json()
        .with_current_span(false)
        .with_target(false)
        .with_writer(std::io::sink);
    let _ = tracing_subscriber::registry()
        .with(ecrm_core::telemetry::filter())
        .with(json)
        .with(Collect)
        .try_init();
}

/// The server times (ms) collected since the last call.
pub fn take() -> Vec<f64> {
    SAMPLES
        .lock()
        .map(|mut s| std::mem::take(&mut *s))
        .unwrap_or_default()
}
