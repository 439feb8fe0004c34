//! Lambda entry point. At cold start, once for the container's life: tracing, the state
//! (config, one DynamoDB client, the secrets this function reads from Secrets Manager)
//! and the check that requests came through CloudFront; then the router.

const FUNCTION: &str = "preferences";

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    ecrm_core::telemetry::init();
    let (state, origin) = tokio::try_join!(
        ecrm_core::web::AppState::from_env(FUNCTION),
        ecrm_core::config::OriginCheck::from_env(),
    )?;
    let api = ecrm_core::web::api(state.clone(), preferences::router(state));
    lambda_http::run(origin.require(api)).await
}
