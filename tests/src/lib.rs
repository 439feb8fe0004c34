//! Shared harness for the end-to-end tests: a whole eCRM (runner, in-memory dynoxide,
//! built site) per test, on free loopback ports, driven over real HTTP.

pub mod browser;

use aws_sdk_dynamodb::types::AttributeValue;
use ecrm_runner::{Options, Running, StoreMode};
use serde_json::Value;
use std::collections::HashMap;
use std::path::PathBuf;

pub type Item = HashMap<String, AttributeValue>;

/// The repository root (this crate lives in `tests/`).
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

pub struct TestApp {
    pub running: Running,
    pub http: reqwest::Client,
}

impl TestApp {
    /// A fresh system with an empty in-memory store.
    pub async fn start() -> TestApp {
        ecrm_core::telemetry::init();
        let options = Options {
            listen: "127.0.0.1:0".parse().expect("literal address"),
            store: StoreMode::Memory,
            site_dir: repo_root().join("site/public"),
            table: ecrm_core::config::DEFAULT_TABLE.into(),
            session_key: ecrm_core::domain::session::SessionKey::generate().expect("randomness"),
        };
        let running = ecrm_runner::start(options).await.expect("runner starts");
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("http client");
        TestApp { running, http }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.running.url(), path)
    }

    /// POST a JSON value to an API path.
    pub async fn post_json(&self, path: &str, body: &Value) -> reqwest::Response {
        self.http
            .post(self.url(path))
            .header("content-type", "application/json")
            .body(body.to_string())
            .send()
            .await
            .expect("request is sent")
    }

    /// Every item in the table, read straight from the store with the real SDK.
    pub async fn scan_all(&self) -> Vec<Item> {
        let mut items = Vec::new();
        let mut start: Option<Item> = None;
        loop {
            let page = self
                .running
                .client
                .scan()
                .table_name(&self.running.table)
                .set_exclusive_start_key(start.take())
                .send()
                .await
                .expect("scan");
            items.extend(page.items().iter().cloned());
            match page.last_evaluated_key() {
                Some(key) if !key.is_empty() => start = Some(key.clone()),
                _ => return items,
            }
        }
    }

    pub async fn shutdown(self) {
        self.running.shutdown().await;
    }
}

/// A string attribute of an item, if present.
pub fn s<'a>(item: &'a Item, name: &str) -> Option<&'a str> {
    item.get(name)
        .and_then(|v| v.as_s().ok())
        .map(String::as_str)
}

/// A valid sign-up body for `email`.
pub fn sign_up_body(email: &str) -> Value {
    serde_json::json!({
        "email": email,
        "display_name": "Ana",
        "language": "es",
        "country": "ES",
        "topics": ["gifts"],
        "consents": {"account": true, "marketing_email": false, "personalisation": true}
    })
}
