//! The local store's front door. dynoxide's HTTP server accepts any signature (it
//! checks that auth headers are there, never what they sign) and answers any `Origin`
//! with `Access-Control-Allow-Origin: *`, so a web page the developer visits could read
//! and write the local table through it. dynoxide builds its router privately and
//! serves it only on a listener it is given, so it cannot be wrapped in place; instead:
//!
//! - dynoxide listens on a loopback address nobody is told: a random `127.x.y.z` (all
//!   of 127/8 is loopback on Linux) and a random port; where only `127.0.0.1` exists
//!   (macOS), a random port on it.
//! - this guard listens on the store endpoint everyone uses (`Running::store_endpoint`,
//!   the functions' SDK client) and passes on only what the AWS SDK sends: `POST /`,
//!   `Content-Type: application/x-amz-json-1.0`, `Host` equal to the endpoint's own
//!   address, and none of the headers a browser adds (`Origin`, `Referer`,
//!   `Sec-Fetch-*`). Anything else gets 403 with no CORS header, so a browser's
//!   preflight fails and a page cannot read an answer. CORS headers are also stripped
//!   from what dynoxide answers.

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use std::net::{Ipv4Addr, SocketAddr};
use tokio::net::TcpListener;

/// The content type of the DynamoDB JSON protocol, as the AWS SDK sends it.
const AMZ_JSON: &str = "application/x-amz-json-1.0";

/// Headers browsers add to requests a page makes (fetch, forms, navigation), and the
/// AWS SDK never sends.
const BROWSER_HEADERS: [&str; 5] = [
    "origin",
    "referer",
    "sec-fetch-site",
    "sec-fetch-mode",
    "sec-fetch-dest",
];

/// Why the guard refuses a request to the store endpoint at `own`, or `None` when it
/// may pass: it must look like the AWS SDK's and not like a browser's.
pub fn refusal(
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    own: SocketAddr,
) -> Option<&'static str> {
    if method != Method::POST || uri.path() != "/" {
        return Some("the local store answers only the DynamoDB API (POST /)");
    }
    if BROWSER_HEADERS.iter().any(|h| headers.contains_key(*h)) {
        return Some("the local store refuses requests from web pages");
    }
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(str::trim);
    if !content_type.is_some_and(|c| c.eq_ignore_ascii_case(AMZ_JSON)) {
        return Some("the local store takes application/x-amz-json-1.0 only");
    }
    // A page on a name that resolves to loopback (DNS rebinding) sends its own name.
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    if host != Some(own.to_string().as_str()) {
        return Some("the local store answers only at its own address");
    }
    None
}

#[derive(Clone)]
struct Guard {
    /// Where dynoxide listens.
    inner: SocketAddr,
    /// Where this guard listens (the `Host` the SDK sends).
    own: SocketAddr,
    client: Client<HttpConnector, Body>,
}

/// A loopback listener for dynoxide on an address nobody is told.
pub async fn hidden_listener() -> Result<TcpListener, String> {
    let mut bytes = [0u8; 3];
    if getrandom::fill(&mut bytes).is_ok() {
        // 127.a.b.c with c in 1..=254: never a network or broadcast-looking address.
        let c = 1 + bytes[2] % 254;
        let ip = Ipv4Addr::new(127, bytes[0], bytes[1], c);
        if let Ok(listener) = TcpListener::bind(SocketAddr::from((ip, 0))).await {
            return Ok(listener);
        }
    }
    // Only 127.0.0.1 is configured here (macOS): a random port on it.
    TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, 0)))
        .await
        .map_err(|e| format!("cannot bind the local store: {e}"))
}

/// Serve the guard on `listener`, passing admitted requests to dynoxide at `inner`,
/// until `shutdown` resolves.
pub async fn serve(
    listener: TcpListener,
    inner: SocketAddr,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<(), String> {
    let own = listener.local_addr().map_err(|e| e.to_string())?;
    let guard = Guard {
        inner,
        own,
        client: Client::builder(TokioExecutor::new()).build_http(),
    };
    let app = Router::new().fallback(pass).with_state(guard);
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await
        .map_err(|e| format!("local store guard: {e}"))
}

async fn pass(State(guard): State<Guard>, request: Request) -> Response {
    if let Some(reason) = refusal(
        request.method(),
        request.uri(),
        request.headers(),
        guard.own,
    ) {
        return refused(reason);
    }
    let (mut parts, body) = request.into_parts();
    parts.uri = match Uri::builder()
        .scheme("http")
        .authority(guard.inner.to_string())
        .path_and_query("/")
        .build()
    {
        Ok(uri) => uri,
        Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    };
    if let Ok(host) = HeaderValue::from_str(&guard.inner.to_string()) {
        parts.headers.insert(header::HOST, host);
    }
    match guard.client.request(Request::from_parts(parts, body)).await {
        Ok(response) => {
            let mut response = response.map(Body::new);
            strip_cors(response.headers_mut());
            response
        }
        Err(error) => {
            tracing::warn!(%error, "local store unreachable behind its guard");
            StatusCode::BAD_GATEWAY.into_response()
        }
    }
}

fn strip_cors(headers: &mut HeaderMap) {
    let names: Vec<_> = headers
        .keys()
        .filter(|name| name.as_str().starts_with("access-control-"))
        .cloned()
        .collect();
    for name in names {
        headers.remove(name);
    }
}

/// A DynamoDB-shaped refusal (the SDK would report it as AccessDeniedException).
fn refused(reason: &'static str) -> Response {
    // `reason` is one of the literals above: no quoting needed.
    let body = format!(
        r#"{{"__type":"com.amazon.coral.service#AccessDeniedException","message":"{reason}"}}"#
    );
    (
        StatusCode::FORBIDDEN,
        [(header::CONTENT_TYPE, AMZ_JSON)],
        body,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sdk_headers(own: SocketAddr) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(AMZ_JSON));
        headers.insert(
            header::HOST,
            HeaderValue::from_str(&own.to_string()).unwrap(),
        );
        headers.insert(
            "x-amz-target",
            HeaderValue::from_static("DynamoDB_20120810.GetItem"),
        );
        headers.insert(
            header::AUTHORIZATION,
            HeaderValue::from_static(
                "AWS4-HMAC-SHA256 Credential=local/20260101/us-east-1/dynamodb/aws4_request",
            ),
        );
        headers
    }

    #[test]
    fn the_sdks_requests_pass_and_a_browsers_do_not() {
        let own: SocketAddr = "127.0.0.1:4567".parse().unwrap();
        let root: Uri = "/".parse().unwrap();
        assert_eq!(refusal(&Method::POST, &root, &sdk_headers(own), own), None);

        // What a page can make a browser send.
        for (name, value) in [
            ("origin", "https://evil.example"),
            ("origin", "null"),
            ("referer", "https://evil.example/page"),
            ("sec-fetch-site", "cross-site"),
            ("sec-fetch-mode", "cors"),
            ("sec-fetch-dest", "empty"),
        ] {
            let mut headers = sdk_headers(own);
            headers.insert(name, HeaderValue::from_static(value));
            assert!(
                refusal(&Method::POST, &root, &headers, own).is_some(),
                "{name}"
            );
        }
        // A "simple" cross-site POST (no preflight) has a form or text content type.
        for content_type in [
            "text/plain",
            "application/x-www-form-urlencoded",
            "application/json",
        ] {
            let mut headers = sdk_headers(own);
            headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
            assert!(
                refusal(&Method::POST, &root, &headers, own).is_some(),
                "{content_type}"
            );
        }
        let mut headers = sdk_headers(own);
        headers.remove(header::CONTENT_TYPE);
        assert!(refusal(&Method::POST, &root, &headers, own).is_some());
        // DNS rebinding: a name that resolves to loopback, sent as the Host.
        let mut headers = sdk_headers(own);
        headers.insert(
            header::HOST,
            HeaderValue::from_static("rebind.evil.example:4567"),
        );
        assert!(refusal(&Method::POST, &root, &headers, own).is_some());
        // Preflights and other methods.
        for method in [Method::OPTIONS, Method::GET, Method::PUT] {
            assert!(
                refusal(&method, &root, &sdk_headers(own), own).is_some(),
                "{method}"
            );
        }
        let elsewhere: Uri = "/shell".parse().unwrap();
        assert!(refusal(&Method::POST, &elsewhere, &sdk_headers(own), own).is_some());
    }

    #[test]
    fn cors_headers_are_stripped() {
        let mut headers = HeaderMap::new();
        headers.insert("access-control-allow-origin", HeaderValue::from_static("*"));
        headers.insert("access-control-max-age", HeaderValue::from_static("172800"));
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(AMZ_JSON));
        strip_cors(&mut headers);
        assert_eq!(headers.len(), 1);
    }

    #[tokio::test]
    async fn the_hidden_listener_is_on_loopback() {
        let listener = hidden_listener().await.unwrap();
        assert!(listener.local_addr().unwrap().ip().is_loopback());
    }
}
