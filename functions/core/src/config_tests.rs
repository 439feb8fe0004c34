//! Tests of `config` (kept apart so config.rs stays short): where secrets come from,
//! reading one from Secrets Manager, and the origin check.

use super::*;
use axum::body::Body;
use axum::routing::{get, post};
use std::collections::HashMap;
use tower::ServiceExt;

fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
    let map: HashMap<String, String> = pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    move |name| map.get(name).cloned()
}

#[test]
fn a_deployed_function_reads_the_secret_by_arn_and_a_local_run_may_give_the_value() {
    let arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:s-AbCdEf";
    assert!(
        secret_source(Secret::Server, env(&[("ECRM_SECRET_ARN", arn)]))
            == Ok(SecretSource::SecretsManager(arn.into()))
    );
    assert!(
        secret_source(Secret::Server, env(&[("ECRM_SESSION_KEY", "k")]))
            == Ok(SecretSource::Value("k".into()))
    );
    assert!(
        secret_source(Secret::Origin, env(&[("ECRM_ORIGIN_SECRET_ARN", arn)]))
            == Ok(SecretSource::SecretsManager(arn.into()))
    );
    // Empty counts as unset.
    assert!(
        secret_source(
            Secret::Server,
            env(&[("ECRM_SESSION_KEY", ""), ("ECRM_SECRET_ARN", arn)])
        ) == Ok(SecretSource::SecretsManager(arn.into()))
    );
}

#[test]
fn both_or_neither_source_is_an_error_that_names_the_variables_not_the_value() {
    let both = env(&[
        ("ECRM_SESSION_KEY", "the-value"),
        ("ECRM_SECRET_ARN", "arn"),
    ]);
    let Err(message) = secret_source(Secret::Server, both) else {
        panic!("both set must be refused");
    };
    assert!(message.contains("ECRM_SECRET_ARN") && message.contains("ECRM_SESSION_KEY"));
    assert!(!message.contains("the-value"));
    let Err(message) = secret_source(Secret::Origin, env(&[])) else {
        panic!("neither set must be refused");
    };
    assert!(message.contains("ECRM_ORIGIN_SECRET_ARN"), "{message}");
}

#[tokio::test]
async fn a_function_that_signs_nothing_gets_a_random_key_and_an_unknown_one_fails() {
    // The mail worker signs and verifies nothing (access::SECRETS).
    let a = server_secret("mailer").await.unwrap();
    let b = server_secret("mailer").await.unwrap();
    assert_ne!(a.to_base64(), b.to_base64());
    assert!(server_secret("nope").await.is_err());
}

const VALUE: &str = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZab";

fn api() -> Router {
    let routes = Router::new()
        .route(
            "/api/health/x",
            get(|headers: HeaderMap| async move {
                // The value never reaches the handlers.
                assert!(!headers.contains_key(ORIGIN_HEADER));
                "ok"
            }),
        )
        .fallback(|| async { StatusCode::NOT_FOUND });
    OriginCheck::new(VALUE).unwrap().require(routes)
}

async fn status(path: &str, headers: &[(&str, &str)]) -> StatusCode {
    let mut request = Request::builder().uri(path);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    api()
        .oneshot(request.body(Body::empty()).unwrap())
        .await
        .unwrap()
        .status()
}

#[tokio::test]
async fn only_requests_with_cloudfronts_header_reach_the_api() {
    assert_eq!(
        status("/api/health/x", &[(ORIGIN_HEADER, VALUE)]).await,
        StatusCode::OK
    );
    assert_eq!(
        status("/api/nothing-here", &[("X-Origin-Verify", VALUE)]).await,
        StatusCode::NOT_FOUND
    );
    for headers in [
        &[][..],
        &[(ORIGIN_HEADER, "wrong")][..],
        &[(ORIGIN_HEADER, &VALUE[..VALUE.len() - 1])][..],
        &[(ORIGIN_HEADER, VALUE), (ORIGIN_HEADER, VALUE)][..],
    ] {
        assert_eq!(
            status("/api/health/x", headers).await,
            StatusCode::FORBIDDEN,
            "{headers:?}"
        );
    }
    // Unknown routes are refused too: a direct caller learns nothing about routes.
    assert_eq!(
        status("/api/nothing-here", &[]).await,
        StatusCode::FORBIDDEN
    );
}

#[test]
fn a_short_origin_secret_is_refused_and_debug_hides_the_value() {
    assert!(OriginCheck::new("short").is_err());
    let check = OriginCheck::new(VALUE).unwrap();
    assert!(!format!("{check:?}").contains(VALUE));
}

const ARN: &str = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:ecrm-AbCdEf";

/// A stand-in for Secrets Manager that knows one secret.
async fn secrets_manager() -> aws_sdk_secretsmanager::Client {
    let answer = |status: StatusCode, body: serde_json::Value| {
        (
            status,
            [(
                axum::http::header::CONTENT_TYPE,
                "application/x-amz-json-1.1",
            )],
            body.to_string(),
        )
    };
    let app = Router::new().route(
        "/",
        post(move |headers: HeaderMap, body: String| async move {
            let request: serde_json::Value = serde_json::from_str(&body).unwrap_or_default();
            if headers.get("x-amz-target").map(|v| v.as_bytes())
                != Some(b"secretsmanager.GetSecretValue".as_slice())
                || request["SecretId"] != ARN
            {
                return answer(
                    StatusCode::BAD_REQUEST,
                    serde_json::json!({
                        "__type": "ResourceNotFoundException",
                        "message": "Secrets Manager can't find the specified secret."
                    }),
                );
            }
            answer(
                StatusCode::OK,
                serde_json::json!({
                    "ARN": ARN, "Name": "ecrm", "VersionId": "v1",
                    "SecretString": VALUE, "VersionStages": ["AWSCURRENT"]
                }),
            )
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let conf = aws_sdk_secretsmanager::config::Builder::new()
        .behavior_version(aws_sdk_secretsmanager::config::BehaviorVersion::latest())
        .region(aws_sdk_secretsmanager::config::Region::new("eu-west-1"))
        .credentials_provider(aws_sdk_secretsmanager::config::Credentials::new(
            "test", "test", None, None, "test",
        ))
        .endpoint_url(format!("http://{addr}"))
        .http_client(crate::config::http_client())
        .build();
    aws_sdk_secretsmanager::Client::from_conf(conf)
}

#[tokio::test]
async fn the_value_is_read_from_secrets_manager_by_arn() {
    let client = secrets_manager().await;
    assert_eq!(secret_string(&client, ARN).await.unwrap(), VALUE);
    let error = secret_string(&client, "arn:aws:secretsmanager:other")
        .await
        .unwrap_err();
    assert!(error.contains("ResourceNotFoundException"), "{error}");
}
