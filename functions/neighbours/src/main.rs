//! Lambda entry point: tracing, config, the DynamoDB client, then the handler. The
//! worker signs nothing: its `App` gets a random key of its own.

use ecrm_core::app::App;
use ecrm_core::domain::clock::Clock;
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
    let app = App::new(store, ServerSecret::generate()?, Clock::system());
    let app = &app;
    lambda_runtime::run(service_fn(
        move |event: LambdaEvent<aws_lambda_events::event::dynamodb::Event>| async move {
            Ok::<_, lambda_runtime::Error>(neighbours::handle(app, event.payload).await)
        },
    ))
    .await
}
