//! The workload of `faults_api`: workers that loop over the multi-item writes a customer
//! makes, and the tally of what the site answered them.

use ecrm_e2e::{TestApp, code_in, session_cookie, sign_up_body};
use reqwest::Method;
use serde_json::{Value, json};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;
use tokio::sync::Mutex;

#[derive(Default)]
pub(crate) struct Seen {
    pub(crate) created: AtomicUsize,
    pub(crate) unavailable: AtomicUsize,
    /// Emails whose sign-up was finished (code verified), and those whose sign-up or
    /// verify answered 503.
    pub(crate) signed_up: Mutex<Vec<String>>,
    pub(crate) refused: Mutex<Vec<String>>,
    /// Quote ids answered 201.
    pub(crate) quotes: Mutex<Vec<String>>,
    /// Anything but 2xx or a well-formed 503.
    pub(crate) wrong: Mutex<Vec<String>>,
}

async fn check_unavailable(response: reqwest::Response, what: &str, seen: &Seen) {
    let status = response.status().as_u16();
    let retry_after = response.headers().get("retry-after").cloned();
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let body: Value = response.json().await.unwrap_or(Value::Null);
    if status == 503
        && retry_after.is_some()
        && content_type == "application/problem+json"
        && body["status"] == 503
    {
        seen.unavailable.fetch_add(1, Ordering::SeqCst);
    } else {
        seen.wrong
            .lock()
            .await
            .push(format!("{what}: {status} {content_type} {body}"));
    }
}

/// What a worker needs to send requests as the site does (the app itself stays with
/// the test, which stops and restarts its store).
#[derive(Clone)]
pub(crate) struct Site {
    pub(crate) http: reqwest::Client,
    pub(crate) origin: String,
}

impl Site {
    /// The code in the newest mail to `email` in the development mailbox, if one
    /// arrives within a few seconds (it cannot while the store is down).
    async fn mailed_code(&self, email: &str) -> Option<String> {
        for _ in 0..60 {
            let mail: Vec<Value> = self
                .http
                .get(format!("{}/dev/mailbox.json", self.origin))
                .send()
                .await
                .ok()?
                .json()
                .await
                .ok()?;
            if let Some(text) = mail
                .iter()
                .find(|m| m["to"] == email)
                .and_then(|m| m["text"].as_str())
            {
                return code_in(text);
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        None
    }

    pub(crate) fn site_request(
        &self,
        method: Method,
        path: &str,
        cookie: Option<&str>,
    ) -> reqwest::RequestBuilder {
        let mut request = self
            .http
            .request(method, format!("{}{path}", self.origin))
            .header("content-type", "application/json")
            .header("origin", &self.origin);
        if let Some(cookie) = cookie {
            request = request.header("cookie", cookie);
        }
        request
    }
}

pub(crate) async fn worker(
    app: Site,
    n: usize,
    stop: Arc<AtomicBool>,
    seen: Arc<Seen>,
    sku: String,
) {
    let mut i = 0;
    while !stop.load(Ordering::SeqCst) {
        i += 1;
        let email = format!("w{n}-{i}@faults.example.com");
        let response = app
            .site_request(Method::POST, "/api/customers", None)
            .body(sign_up_body(&email).to_string())
            .send()
            .await
            .expect("request");
        if response.status() != 202 {
            seen.refused.lock().await.push(email.clone());
            check_unavailable(response, "sign-up", &seen).await;
            continue;
        }
        // The account is made when the mailed code comes back (one transaction).
        let Some(code) = app.mailed_code(&email).await else {
            continue; // The store went away before the mail could be sent.
        };
        let response = app
            .site_request(Method::POST, "/api/sessions/verify", None)
            .body(json!({ "email": email, "code": code }).to_string())
            .send()
            .await
            .expect("request");
        if response.status() != 200 {
            seen.refused.lock().await.push(email.clone());
            check_unavailable(response, "sign-up", &seen).await;
            continue;
        }
        seen.created.fetch_add(1, Ordering::SeqCst);
        let cookie = session_cookie(&response).expect("cookie");
        seen.signed_up.lock().await.push(email);

        let response = app
            .site_request(Method::POST, "/api/me/addresses", Some(&cookie))
            .body(
                json!({ "kinds": ["billing"], "name": "Ana", "line1": "1 Calle Mayor",
                        "city": "Madrid", "postal_code": "28001", "country": "ES" })
                .to_string(),
            )
            .send()
            .await
            .expect("request");
        if response.status() == 201 {
            seen.created.fetch_add(1, Ordering::SeqCst);
        } else {
            check_unavailable(response, "address", &seen).await;
        }

        let response = app
            .site_request(Method::POST, "/api/quotes", Some(&cookie))
            .header("idempotency-key", format!("k-{n}-{i}"))
            .body(json!({ "lines": [{ "sku": sku, "quantity": 3 }], "country": "ES" }).to_string())
            .send()
            .await
            .expect("request");
        if response.status() == 201 {
            seen.created.fetch_add(1, Ordering::SeqCst);
            let body: Value = response.json().await.expect("quote");
            seen.quotes
                .lock()
                .await
                .push(body["id"].as_str().unwrap_or_default().to_string());
        } else {
            check_unavailable(response, "quote", &seen).await;
        }
    }
}

pub(crate) async fn wait_for_mail(app: &TestApp, before: usize) {
    for _ in 0..100 {
        if app.mailbox().await.len() > before {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("no mail arrived");
}
