//! Lambda entry point: tracing, config, the DynamoDB and SES clients, then the handler.

use lambda_runtime::{LambdaEvent, service_fn};

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    ecrm_core::telemetry::init();
    let config = ecrm_core::config::Config::from_env();
    let store = ecrm_core::store::Store::new(
        ecrm_core::config::dynamodb_client(&config).await,
        config.table,
    );
    let from =
        mailer::ses::sender(&std::env::var("MAIL_FROM").map_err(|_| "MAIL_FROM is not set")?);
    let shared = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
    let sender = mailer::ses::SesSender::new(aws_sdk_sesv2::Client::new(&shared), from);
    let (store, sender) = (&store, &sender);
    lambda_runtime::run(service_fn(
        move |event: LambdaEvent<aws_lambda_events::event::dynamodb::Event>| async move {
            Ok::<_, lambda_runtime::Error>(mailer::handle(store, sender, event.payload).await)
        },
    ))
    .await
}
