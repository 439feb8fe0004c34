//! Lambda entry point: tracing, config and one DynamoDB client, then the router.

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    ecrm_core::telemetry::init();
    let state = ecrm_core::web::AppState::from_env().await?;
    lambda_http::run(ecrm_core::web::api(state.clone(), quotes::router(state))).await
}
