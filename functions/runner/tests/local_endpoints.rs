//! The runner's local endpoints, as a web page in the developer's browser would meet
//! them: the store endpoint refuses anything a browser sends (and says nothing CORS),
//! while the SDK goes on working through it; the development mailbox answers only
//! requests addressed to the runner itself (DNS rebinding).

use ecrm_core::domain::session::ServerSecret;
use ecrm_runner::{Options, Running, StoreMode};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

async fn start() -> Running {
    ecrm_runner::start(Options {
        listen: "127.0.0.1:0".parse().unwrap(),
        store: StoreMode::Memory,
        site_dir: std::env::temp_dir().join("ecrm-runner-no-site"),
        table: ecrm_core::config::DEFAULT_TABLE.into(),
        session_key: ServerSecret::generate().unwrap(),
        mail_worker: false,
        limits: ecrm_core::domain::limits::Limits::default(),
        catalog: ecrm_runner::CatalogSource::Featured,
        recs: ecrm_runner::RecsSeed::None,
        rebuild_recs: false,
        service: ecrm_core::domain::service_config::ServiceConfig::default(),
    })
    .await
    .expect("runner starts")
}

/// One raw HTTP/1.1 exchange, so any header (Host included) can be sent as is.
/// Returns the status and the header block (lower-cased) and body.
async fn exchange(addr: SocketAddr, request: String) -> (u16, String, String) {
    tokio::task::spawn_blocking(move || {
        let mut stream = TcpStream::connect(addr).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        stream.write_all(request.as_bytes()).unwrap();
        let mut answer = Vec::new();
        let _ = stream.read_to_end(&mut answer);
        let answer = String::from_utf8_lossy(&answer).into_owned();
        let (head, body) = answer.split_once("\r\n\r\n").unwrap_or((&answer, ""));
        let status = head
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        (status, head.to_ascii_lowercase(), body.to_string())
    })
    .await
    .unwrap()
}

fn store_addr(running: &Running) -> SocketAddr {
    running
        .store_endpoint()
        .trim_start_matches("http://")
        .parse()
        .unwrap()
}

/// A DynamoDB `ListTables` call as the SDK sends it, plus `extra` header lines.
fn list_tables(host: &str, content_type: &str, extra: &str) -> String {
    let body = "{}";
    format!(
        "POST / HTTP/1.1\r\nHost: {host}\r\nContent-Type: {content_type}\r\n\
         X-Amz-Target: DynamoDB_20120810.ListTables\r\nX-Amz-Date: 20260101T000000Z\r\n\
         Authorization: AWS4-HMAC-SHA256 Credential=local/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=00\r\n\
         {extra}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
}

const AMZ_JSON: &str = "application/x-amz-json-1.0";

#[tokio::test]
async fn the_store_endpoint_serves_the_sdk_and_refuses_what_a_page_can_send() {
    let running = start().await;
    let addr = store_addr(&running);
    let host = addr.to_string();

    // The SDK's own client works through the guard (start() also seeded the catalog).
    let tables = running.client.list_tables().send().await.unwrap();
    assert_eq!(tables.table_names(), std::slice::from_ref(&running.table));
    // And so does a request shaped like the SDK's.
    let (status, _, body) = exchange(addr, list_tables(&host, AMZ_JSON, "")).await;
    assert_eq!(status, 200, "{body}");
    assert!(body.contains(&running.table), "{body}");

    // A page's fetch() carries Origin (and Sec-Fetch-*); its preflight is OPTIONS.
    for extra in [
        "Origin: https://evil.example\r\n",
        "Origin: null\r\n",
        "Sec-Fetch-Site: cross-site\r\nSec-Fetch-Mode: cors\r\n",
        "Referer: https://evil.example/\r\n",
    ] {
        let (status, head, _) = exchange(addr, list_tables(&host, AMZ_JSON, extra)).await;
        assert_eq!(status, 403, "{extra}");
        assert!(!head.contains("access-control-"), "{extra}: {head}");
    }
    let preflight = format!(
        "OPTIONS / HTTP/1.1\r\nHost: {host}\r\nOrigin: https://evil.example\r\n\
         Access-Control-Request-Method: POST\r\n\
         Access-Control-Request-Headers: content-type,x-amz-target,authorization\r\n\
         Connection: close\r\n\r\n"
    );
    let (status, head, _) = exchange(addr, preflight).await;
    assert_eq!(status, 403);
    assert!(!head.contains("access-control-"), "{head}");
    // A "simple" POST needs no preflight: form or text content types.
    for content_type in ["text/plain", "application/x-www-form-urlencoded"] {
        let (status, _, _) = exchange(addr, list_tables(&host, content_type, "")).await;
        assert_eq!(status, 403, "{content_type}");
    }
    // DNS rebinding: the page's own name arrives as the Host.
    let rebound = format!("rebind.evil.example:{}", addr.port());
    let (status, _, _) = exchange(addr, list_tables(&rebound, AMZ_JSON, "")).await;
    assert_eq!(status, 403);

    // The guard is all there is at the store endpoint: dynoxide is elsewhere.
    let (status, _, _) = exchange(
        addr,
        format!("GET / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"),
    )
    .await;
    assert_eq!(status, 403, "dynoxide's health answer is not served here");

    running.shutdown().await;
}

#[tokio::test]
async fn the_store_can_stop_and_come_back_behind_its_guard() {
    let mut running = start().await;
    running.stop_store().await;
    assert!(running.client.list_tables().send().await.is_err());
    running.restart_store().await.unwrap();
    let tables = running.client.list_tables().send().await.unwrap();
    assert_eq!(tables.table_names(), std::slice::from_ref(&running.table));
    running.shutdown().await;
}

#[tokio::test]
async fn the_mailbox_answers_only_requests_addressed_to_the_runner() {
    let running = start().await;
    let get = |host: String| {
        format!("GET /dev/mailbox.json HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n")
    };
    let port = running.addr.port();
    for host in [running.addr.to_string(), format!("localhost:{port}")] {
        let (status, _, body) = exchange(running.addr, get(host.clone())).await;
        assert_eq!(status, 200, "{host}");
        assert_eq!(body.trim(), "[]", "{host}");
    }
    for host in [
        format!("rebind.evil.example:{port}"),
        format!("127.0.0.1.nip.example:{port}"),
    ] {
        let (status, _, body) = exchange(running.addr, get(host.clone())).await;
        assert_eq!(status, 403, "{host}");
        assert!(!body.contains('['), "{host}: {body}");
    }
    running.shutdown().await;
}
