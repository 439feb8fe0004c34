//! Shared harness for the end-to-end tests: a whole eCRM (runner, in-memory dynoxide,
//! built site) per test, on free loopback ports, driven over real HTTP.

pub mod browser;
pub mod logs;
pub mod recs;
pub mod service;
mod start;

use aws_sdk_dynamodb::types::AttributeValue;
use ecrm_core::domain::service_config::ServiceConfig;
use ecrm_core::domain::session::ServerSecret;
use ecrm_runner::Running;
use serde_json::Value;
use std::collections::HashMap;
use std::path::PathBuf;

pub type Item = HashMap<String, AttributeValue>;

/// The repository root (this crate lives in `tests/`).
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Where tests leave screenshots and files for people to look at (created on demand:
/// a fresh clone has none).
pub fn artifacts_dir() -> PathBuf {
    let dir = repo_root().join("tests/artifacts");
    std::fs::create_dir_all(&dir).expect("tests/artifacts can be created");
    dir
}

/// The staff address every test system has (sign in at `/api/staff/sessions`).
pub const STAFF_EMAIL: &str = "staff@shop.example";

/// Customer service as tests run it: one staff address, the default targets.
pub fn test_service() -> ServiceConfig {
    ServiceConfig::default().with_staff([STAFF_EMAIL])
}

pub struct TestApp {
    pub running: Running,
    pub http: reqwest::Client,
    /// The key the runner signs sessions with (tests forge and expire cookies with it).
    pub session_key: ServerSecret,
}

impl TestApp {
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

    /// Every item the tests wrote, read straight from the store with the real SDK: the
    /// whole table except the catalog the runner seeds at start (`ITEM#<sku>` / `ITEM`)
    /// and the recommendation lists it fits at start,
    /// so "nothing was written" still reads as empty. [`TestApp::scan_table`] has it all.
    pub async fn scan_all(&self) -> Vec<Item> {
        self.scan_table()
            .await
            .into_iter()
            .filter(|i| !(s(i, "SK") == Some("ITEM") && s(i, "kind") == Some("catalog_item")))
            // The recommendation lists the runner fits at start.
            .filter(|i| !matches!(s(i, "kind"), Some("neighbours" | "recs_list")))
            // The catalog's index and version marker, seeded with it.
            .filter(|i| {
                !matches!(
                    s(i, "kind"),
                    Some("catalog_listing" | "catalog_word" | "catalog_version")
                )
            })
            .collect()
    }

    /// Every item in the table, seeded catalog included.
    pub async fn scan_table(&self) -> Vec<Item> {
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

    /// This site's own origin, as a browser would send it in `Origin`.
    pub fn origin(&self) -> String {
        self.running.url()
    }

    /// A request as the site's own scripts send it: JSON, our Origin, and the session
    /// cookie when given.
    pub fn site_request(
        &self,
        method: reqwest::Method,
        path: &str,
        cookie: Option<&str>,
    ) -> reqwest::RequestBuilder {
        let mut request = self
            .http
            .request(method, self.url(path))
            .header("content-type", "application/json")
            .header("origin", self.origin());
        if let Some(cookie) = cookie {
            request = request.header("cookie", cookie);
        }
        request
    }

    /// Sends a [`site_request`](Self::site_request) with `body` as JSON when given.
    pub async fn site_call(
        &self,
        method: reqwest::Method,
        path: &str,
        cookie: Option<&str>,
        body: Option<serde_json::Value>,
    ) -> reqwest::Response {
        let mut request = self.site_request(method, path, cookie);
        if let Some(body) = body {
            request = request.body(body.to_string());
        }
        request.send().await.expect("request is sent")
    }

    /// [`site_call`](Self::site_call) with a session cookie.
    pub async fn member_call(
        &self,
        method: reqwest::Method,
        path: &str,
        cookie: &str,
        body: Option<serde_json::Value>,
    ) -> reqwest::Response {
        self.site_call(method, path, Some(cookie), body).await
    }

    /// Sign up `email` the way a person does (the form, then the code from the mail)
    /// and return the customer id and the session cookie it set.
    pub async fn sign_up(&self, email: &str) -> (String, String) {
        self.sign_up_with(&sign_up_body(email)).await
    }

    /// Sign up with this form body, then finish with the mailed code.
    pub async fn sign_up_with(&self, body: &Value) -> (String, String) {
        let before = self.mailbox().await.len();
        let response = self.post_json("/api/customers", body).await;
        assert_eq!(response.status().as_u16(), 202, "sign-up accepted");
        assert!(
            session_cookie(&response).is_none(),
            "no session before the email is proven"
        );
        let code = self.next_code(before).await;
        let email = body["email"].as_str().expect("email");
        let response = self
            .site_request(reqwest::Method::POST, "/api/sessions/verify", None)
            .body(serde_json::json!({ "email": email, "code": code }).to_string())
            .send()
            .await
            .expect("verify");
        assert_eq!(
            response.status().as_u16(),
            200,
            "the mailed code finishes sign-up"
        );
        let cookie = session_cookie(&response).expect("verifying sets a session");
        let body: Value = response.json().await.expect("json");
        (body["id"].as_str().expect("id").to_string(), cookie)
    }

    /// The code in the newest mail with a code among those that arrived after the
    /// mailbox held `before` mails (other mail, such as a welcome, may arrive between).
    pub async fn next_code(&self, before: usize) -> String {
        for _ in 0..100 {
            let mail = self.mailbox().await;
            let new = mail.len().saturating_sub(before);
            if let Some(code) = mail[..new]
                .iter()
                .find_map(|m| m["text"].as_str().and_then(code_in))
            {
                return code;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!("no mail with a code arrived");
    }

    /// Wait (up to 5 s) until the mail worker has sent and deleted every outbox item.
    pub async fn wait_outbox_empty(&self) {
        for _ in 0..100 {
            if !self
                .scan_all()
                .await
                .iter()
                .any(|i| s(i, "kind") == Some("outbox"))
            {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!("outbox items were not sent");
    }

    /// The newest mail made by `template` to `to`, waiting up to 5 s for it.
    pub async fn mail_from_template(&self, to: &str, template: &str) -> Value {
        for _ in 0..100 {
            if let Some(mail) = self
                .mailbox()
                .await
                .into_iter()
                .find(|m| m["to"] == to && m["template"] == template)
            {
                return mail;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!("no {template} mail arrived");
    }

    /// Mail in the development mailbox, newest first.
    pub async fn mailbox(&self) -> Vec<Value> {
        let response = self
            .http
            .get(self.url("/dev/mailbox.json"))
            .send()
            .await
            .expect("mailbox");
        response.json().await.expect("mailbox json")
    }

    /// Ask for a sign-in code and read it from the development mailbox.
    pub async fn request_code(&self, email: &str) -> String {
        let before = self.mailbox().await.len();
        let response = self
            .site_request(reqwest::Method::POST, "/api/sessions", None)
            .body(serde_json::json!({ "email": email }).to_string())
            .send()
            .await
            .expect("code request");
        assert_eq!(response.status().as_u16(), 202);
        self.next_code(before).await
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

/// `ecrm_session=…` from a response's `Set-Cookie`, ready for a `Cookie` header.
pub fn session_cookie(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("ecrm_session=") && !v.starts_with("ecrm_session=;"))
        .and_then(|v| v.split(';').next())
        .map(str::to_string)
}

/// The `XXXX-XXXX` code in a sign-in mail.
pub fn code_in(text: &str) -> Option<String> {
    let start = text.find("code is ")? + "code is ".len();
    text.get(start..start + 9).map(str::to_string)
}

/// The JSON pointers named in a problem's `errors`, in order.
pub fn pointers(problem: &Value) -> Vec<String> {
    problem["errors"]
        .as_array()
        .map(|errors| {
            errors
                .iter()
                .filter_map(|e| e["pointer"].as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

/// Assert a problem+json answer with `status`, and return its body.
pub async fn problem(response: reqwest::Response, status: u16) -> Value {
    assert_eq!(response.status().as_u16(), status);
    assert_eq!(
        response.headers()["content-type"].to_str().unwrap(),
        "application/problem+json"
    );
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["status"], status);
    body
}
