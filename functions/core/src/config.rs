//! Configuration from the environment, and the one DynamoDB client a function uses.

use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::config::{Credentials, Region, retry::RetryConfig, timeout::TimeoutConfig};
use std::time::Duration;

/// Default table name; the SAM template passes the real one in `ECRM_TABLE`.
pub const DEFAULT_TABLE: &str = "ecrm";

#[derive(Debug, Clone)]
pub struct Config {
    /// DynamoDB table name (`ECRM_TABLE`).
    pub table: String,
    /// Endpoint override (`DYNAMODB_ENDPOINT`), set only for a local store.
    pub dynamodb_endpoint: Option<String>,
}

impl Config {
    pub fn from_env() -> Self {
        Self {
            table: std::env::var("ECRM_TABLE").unwrap_or_else(|_| DEFAULT_TABLE.to_string()),
            dynamodb_endpoint: std::env::var("DYNAMODB_ENDPOINT")
                .ok()
                .filter(|v| !v.is_empty()),
        }
    }
}

/// Timeouts sized for a request path: a store that does not answer must turn into a
/// quick 503, not a Lambda timeout.
fn timeouts() -> TimeoutConfig {
    TimeoutConfig::builder()
        .connect_timeout(Duration::from_millis(500))
        .operation_attempt_timeout(Duration::from_secs(2))
        .operation_timeout(Duration::from_secs(5))
        .build()
}

fn retries() -> RetryConfig {
    RetryConfig::standard()
        .with_max_attempts(3)
        .with_initial_backoff(Duration::from_millis(20))
}

/// The client a deployed function uses: credentials and region from the Lambda
/// environment, with an endpoint override when `DYNAMODB_ENDPOINT` is set.
pub async fn dynamodb_client(config: &Config) -> Client {
    let shared = aws_config::defaults(aws_config::BehaviorVersion::latest())
        .timeout_config(timeouts())
        .retry_config(retries())
        .load()
        .await;
    let mut builder = aws_sdk_dynamodb::config::Builder::from(&shared);
    if let Some(endpoint) = &config.dynamodb_endpoint {
        builder = builder.endpoint_url(endpoint);
    }
    Client::from_conf(
        builder
            .interceptor(crate::telemetry::CountDynamoDbCalls)
            .build(),
    )
}

/// A client for a local DynamoDB-compatible endpoint (dynoxide): fixed dummy
/// credentials, so nothing on the developer's machine is read or needed.
pub fn local_dynamodb_client(endpoint: &str) -> Client {
    let conf = aws_sdk_dynamodb::config::Builder::new()
        .behavior_version(aws_sdk_dynamodb::config::BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new("local", "local", None, None, "ecrm-local"))
        .endpoint_url(endpoint)
        .timeout_config(timeouts())
        .retry_config(retries())
        .interceptor(crate::telemetry::CountDynamoDbCalls)
        .build();
    Client::from_conf(conf)
}
