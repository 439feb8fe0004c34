//! Lambda entry point of the scheduled escalation: on every EventBridge schedule event,
//! escalate the overdue service requests (`ecrm_core::app::service_worker`), the same
//! code the local runner drives on a timer.

use ecrm_core::app::App;
use ecrm_core::app::service_worker::escalate_overdue;
use ecrm_core::domain::clock::Clock;
use ecrm_core::domain::service_config::ServiceConfig;
use ecrm_core::domain::session::ServerSecret;
use lambda_runtime::{LambdaEvent, service_fn};

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    ecrm_core::telemetry::init();
    let config = ecrm_core::config::Config::from_env();
    let store = ecrm_core::store::Store::new(
        ecrm_core::config::dynamodb_client(&config).await,
        config.table,
    );
    // The worker signs and verifies nothing: a throwaway key satisfies the App.
    let app = App::new(store, ServerSecret::generate()?, Clock::system())
        .with_service(ServiceConfig::from_env());
    let app = &app;
    lambda_runtime::run(service_fn(
        move |_event: LambdaEvent<serde_json::Value>| async move {
            let done = escalate_overdue(app)
                .await
                .map_err(|e| format!("escalation run failed: {e:?}"))?;
            Ok::<_, lambda_runtime::Error>(serde_json::json!({
                "escalated": done.escalated,
                "skipped": done.skipped,
            }))
        },
    ))
    .await
}
