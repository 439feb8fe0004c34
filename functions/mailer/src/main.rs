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
    // The region and role credentials Lambda puts in the environment, taken as they
    // are (see `config::dynamodb_client`), over the shared HTTP client.
    let (region, credentials) = ecrm_core::config::lambda_environment()
        .ok_or("AWS_REGION and the role's credentials are not in the environment")?;
    let ses = aws_sdk_sesv2::config::Builder::new()
        .behavior_version(aws_sdk_sesv2::config::BehaviorVersion::latest())
        .region(region)
        .credentials_provider(credentials)
        .http_client(ecrm_core::config::http_client())
        .build();
    let sender = mailer::ses::SesSender::new(aws_sdk_sesv2::Client::from_conf(ses), from);
    let (store, sender) = (&store, &sender);
    lambda_runtime::run(service_fn(
        move |event: LambdaEvent<aws_lambda_events::event::dynamodb::Event>| async move {
            Ok::<_, lambda_runtime::Error>(mailer::handle(store, sender, event.payload).await)
        },
    ))
    .await
}
