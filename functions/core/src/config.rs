//! Configuration from the environment: the table and the one DynamoDB client a function
//! uses, the secrets it reads once at cold start (Secrets Manager), and the check that an
//! API request came through CloudFront.

use crate::access::Secret;
use crate::domain::session::ServerSecret;
use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::config::{
    Credentials, Region, SharedHttpClient, retry::RetryConfig, timeout::TimeoutConfig,
};
use aws_smithy_http_client::tls;
use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use std::sync::{Arc, LazyLock};
use std::time::Duration;
use subtle::ConstantTimeEq;

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

/// The HTTP client of every AWS SDK client built here: hyper with rustls over *ring*
/// (the SDK's default stack is rustls over aws-lc, a larger binary) and the system's
/// root certificates. One per process; each SDK client makes its connector from it.
pub fn http_client() -> SharedHttpClient {
    static CLIENT: LazyLock<SharedHttpClient> = LazyLock::new(|| {
        aws_smithy_http_client::Builder::new()
            .tls_provider(tls::Provider::Rustls(
                tls::rustls_provider::CryptoMode::Ring,
            ))
            .build_https()
    });
    CLIENT.clone()
}

/// What the first request would otherwise pay for, done at cold start: the root
/// certificates read from the system and the TLS configuration built from them (kept
/// for the process), so the first store call makes only its connection.
fn warm_tls() {
    let _ = aws_smithy_http_client::Connector::builder()
        .tls_provider(tls::Provider::Rustls(
            tls::rustls_provider::CryptoMode::Ring,
        ))
        .build();
}

/// The region and the execution role's credentials, as Lambda puts them in every
/// function's environment (`AWS_REGION`, `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`,
/// `AWS_SESSION_TOKEN`); `None` when they are not all there.
pub fn lambda_environment() -> Option<(Region, Credentials)> {
    lambda_environment_from(|name| std::env::var(name).ok())
}

fn lambda_environment_from(
    lookup: impl Fn(&str) -> Option<String>,
) -> Option<(Region, Credentials)> {
    let get = |name: &str| lookup(name).filter(|v| !v.is_empty());
    let region = get("AWS_REGION").or_else(|| get("AWS_DEFAULT_REGION"))?;
    let credentials = Credentials::new(
        get("AWS_ACCESS_KEY_ID")?,
        get("AWS_SECRET_ACCESS_KEY")?,
        get("AWS_SESSION_TOKEN"),
        None,
        "lambda-environment",
    );
    Some((Region::new(region), credentials))
}

/// The client a deployed function uses, with an endpoint override when
/// `DYNAMODB_ENDPOINT` is set. In Lambda the region and credentials are taken from
/// the environment as they are: the same values the SDK's provider chain would find
/// there first, without building and walking the chain (profile files, web identity,
/// container and instance metadata) on the first request, and without linking it.
/// Elsewhere (the runner against a real table) the `credential-chain` feature adds the
/// SDK's provider chain.
pub async fn dynamodb_client(config: &Config) -> Client {
    warm_tls();
    let mut builder = match lambda_environment() {
        Some((region, credentials)) => aws_sdk_dynamodb::config::Builder::new()
            .behavior_version(aws_sdk_dynamodb::config::BehaviorVersion::latest())
            .region(region)
            .credentials_provider(credentials)
            .http_client(http_client())
            .timeout_config(timeouts())
            .retry_config(retries()),
        None => aws_sdk_dynamodb::config::Builder::from(&shared_config().await),
    };
    if let Some(endpoint) = &config.dynamodb_endpoint {
        builder = builder.endpoint_url(endpoint);
    }
    Client::from_conf(
        builder
            .interceptor(crate::telemetry::CountDynamoDbCalls)
            .build(),
    )
}

/// The SDK's shared configuration from its provider chain (profile, SSO, …), for a
/// run outside Lambda.
#[cfg(feature = "credential-chain")]
async fn shared_config() -> aws_config::SdkConfig {
    aws_config::defaults(aws_config::BehaviorVersion::latest())
        .http_client(http_client())
        .timeout_config(timeouts())
        .retry_config(retries())
        .load()
        .await
}

/// Without the provider chain, outside Lambda there are no credentials: calls fail
/// (503) and say so in the log.
#[cfg(not(feature = "credential-chain"))]
async fn shared_config() -> aws_types::SdkConfig {
    tracing::error!(
        "no AWS region and credentials in the environment (AWS_REGION, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY)"
    );
    aws_types::SdkConfig::builder()
        .behavior_version(aws_sdk_dynamodb::config::BehaviorVersion::latest())
        .http_client(http_client())
        .timeout_config(timeouts())
        .retry_config(retries())
        .build()
}

/// A client for a local DynamoDB-compatible endpoint (dynoxide): fixed dummy
/// credentials, so nothing on the developer's machine is read or needed.
pub fn local_dynamodb_client(endpoint: &str) -> Client {
    let conf = aws_sdk_dynamodb::config::Builder::new()
        .behavior_version(aws_sdk_dynamodb::config::BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new("local", "local", None, None, "ecrm-local"))
        .http_client(http_client())
        .endpoint_url(endpoint)
        .timeout_config(timeouts())
        .retry_config(retries())
        .interceptor(crate::telemetry::CountDynamoDbCalls)
        .build();
    Client::from_conf(conf)
}

// ------------------------------------------------------------------------ secrets

/// Where one secret's value comes from.
#[derive(PartialEq, Eq)]
enum SecretSource {
    /// The value itself, from `Secret::value_variable` (a run outside AWS).
    Value(String),
    /// A Secrets Manager secret, by the ARN in `Secret::arn_variable` (deployed).
    SecretsManager(String),
}

/// Which source `lookup` (the environment) names for `secret`. Exactly one of the two
/// variables must be set: a deployed function never silently runs on a value other
/// than the stack's secret.
fn secret_source(
    secret: Secret,
    lookup: impl Fn(&str) -> Option<String>,
) -> Result<SecretSource, String> {
    let get = |name: &str| lookup(name).filter(|v| !v.trim().is_empty());
    let (value_var, arn_var) = (secret.value_variable(), secret.arn_variable());
    match (get(value_var), get(arn_var)) {
        (Some(_), Some(_)) => Err(format!(
            "both {value_var} and {arn_var} are set; set only one"
        )),
        (Some(value), None) => Ok(SecretSource::Value(value)),
        (None, Some(arn)) => Ok(SecretSource::SecretsManager(arn)),
        (None, None) => Err(format!(
            "{arn_var} is not set (the ARN of the secret; outside AWS, {value_var} with the value)"
        )),
    }
}

/// Read `secret` once (the caller keeps it for the container's life): from Secrets
/// Manager by the ARN in the environment, or the value itself where the environment
/// gives it (outside AWS). Errors never contain the value.
pub async fn read_secret(secret: Secret) -> Result<String, String> {
    match secret_source(secret, |name| std::env::var(name).ok())? {
        SecretSource::Value(value) => Ok(value),
        SecretSource::SecretsManager(arn) => fetch_secret(&arn)
            .await
            .map_err(|e| format!("{}: {e}", secret.arn_variable())),
    }
}

async fn fetch_secret(secret_id: &str) -> Result<String, String> {
    let builder = match lambda_environment() {
        Some((region, credentials)) => aws_sdk_secretsmanager::config::Builder::new()
            .behavior_version(aws_sdk_secretsmanager::config::BehaviorVersion::latest())
            .region(region)
            .credentials_provider(credentials)
            .http_client(http_client())
            .timeout_config(timeouts())
            .retry_config(retries()),
        None => aws_sdk_secretsmanager::config::Builder::from(&shared_config().await),
    };
    let client = aws_sdk_secretsmanager::Client::from_conf(builder.build());
    secret_string(&client, secret_id).await
}

/// `GetSecretValue` of `secret_id` (an ARN or name): its string value.
async fn secret_string(
    client: &aws_sdk_secretsmanager::Client,
    secret_id: &str,
) -> Result<String, String> {
    let output = client
        .get_secret_value()
        .secret_id(secret_id)
        .send()
        .await
        .map_err(|e| {
            format!(
                "reading the secret from Secrets Manager: {}",
                aws_sdk_secretsmanager::error::DisplayErrorContext(e)
            )
        })?;
    output
        .secret_string()
        .map(str::to_owned)
        .ok_or_else(|| "the secret has no string value".to_string())
}

/// The server secret of `function`: read (see [`read_secret`]) when the function signs
/// or verifies with it (`access::SECRETS`), else a random key of its own, so nothing
/// signed elsewhere could verify there.
pub async fn server_secret(function: &str) -> Result<ServerSecret, String> {
    let secrets =
        crate::access::secrets(function).ok_or_else(|| format!("unknown function {function}"))?;
    if secrets.contains(&Secret::Server) {
        ServerSecret::from_base64(&read_secret(Secret::Server).await?)
    } else {
        ServerSecret::generate()
    }
}

// ------------------------------------------------------------------------ origin check

/// The header CloudFront adds to every request it sends to the API (its value is the
/// `OriginVerifySecret` of the template; a viewer's own header of that name is replaced).
pub const ORIGIN_HEADER: &str = "x-origin-verify";

/// Refuses API requests that did not come through CloudFront: the API's own
/// `execute-api` endpoint stays reachable (it is CloudFront's origin), but without the
/// header's secret value it answers only 403. Applied around the whole API by each
/// function's `main` (not by the local runner, which has no CloudFront).
#[derive(Clone)]
pub struct OriginCheck {
    expected: Arc<[u8]>,
}

impl std::fmt::Debug for OriginCheck {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("OriginCheck(…)")
    }
}

/// Shorter values are refused: the template generates 64 characters.
const MIN_ORIGIN_SECRET_CHARS: usize = 32;

impl OriginCheck {
    pub fn new(value: &str) -> Result<Self, String> {
        if value.len() < MIN_ORIGIN_SECRET_CHARS {
            return Err(format!(
                "the origin secret must be at least {MIN_ORIGIN_SECRET_CHARS} characters"
            ));
        }
        Ok(Self {
            expected: value.as_bytes().into(),
        })
    }

    /// The check with the value from `ECRM_ORIGIN_SECRET_ARN` (Secrets Manager), or
    /// `ECRM_ORIGIN_SECRET` outside AWS; read once, at cold start.
    pub async fn from_env() -> Result<Self, String> {
        Self::new(&read_secret(Secret::Origin).await?)
    }

    /// Whether the request carries exactly one origin header with the expected value
    /// (compared in constant time).
    pub fn admits(&self, headers: &HeaderMap) -> bool {
        let mut values = headers.get_all(ORIGIN_HEADER).iter();
        match (values.next(), values.next()) {
            (Some(value), None) => value.as_bytes().ct_eq(&self.expected).into(),
            _ => false,
        }
    }

    /// `routes` (the whole API, fallbacks included) behind the check. The header is
    /// removed before the request goes on, so nothing after this sees the value.
    pub fn require(self, routes: Router) -> Router {
        routes.layer(middleware::from_fn_with_state(self, check_origin))
    }
}

async fn check_origin(
    State(check): State<OriginCheck>,
    mut request: Request,
    next: Next,
) -> Response {
    if !check.admits(request.headers()) {
        // No path, header or address here: the API's access log has the source IP.
        tracing::warn!(
            status = 403,
            "request refused: it did not come through CloudFront"
        );
        return crate::web::Problem::new(
            StatusCode::FORBIDDEN,
            "direct-access",
            "Use the site's address",
            "This API answers only requests made through the site.",
        )
        .into_response();
    }
    request.headers_mut().remove(ORIGIN_HEADER);
    next.run(request).await
}

#[cfg(test)]
#[path = "config_tests.rs"]
mod tests;
