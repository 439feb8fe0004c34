//! Lambda entry point: the function's API, built once at cold start
//! (`ecrm_core::web::lambda_api`), served by the Lambda runtime.

const FUNCTION: &str = "staff";

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    lambda_http::run(ecrm_core::web::lambda_api(FUNCTION, staff::router).await?).await
}
