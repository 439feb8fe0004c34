//! The development mailbox: the local runner's mail sender. Mail lands here instead of
//! a mail server, shown at `/dev/mailbox` (HTML) and `/dev/mailbox.json`, newest first.
//! These routes exist only in the runner, never in the deployed API.
//!
//! They show sign-in codes without asking who is reading, so they answer only requests
//! addressed to the runner's own address (`Host` is `127.0.0.1:8080`, `localhost:8080`
//! and so on): a page on a name that its owner makes resolve to 127.0.0.1 (DNS
//! rebinding) sends its own name and is refused.

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use ecrm_core::domain::clock;
use ecrm_core::mail::{Mail, MailSender};
use ecrm_core::store::outbox::OutboxItem;
use serde::Serialize;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

#[derive(Debug, Clone, Serialize)]
pub struct DeliveredMail {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
    pub template: String,
    pub language: Option<ecrm_core::domain::customer::Language>,
    /// The headers a real sender would add (`List-Unsubscribe` on marketing mail).
    pub headers: Vec<(String, String)>,
    pub sent_at: String,
}

#[derive(Debug, Clone, Default)]
pub struct DevMailbox {
    messages: Arc<Mutex<Vec<DeliveredMail>>>,
    /// Printed in the log line that announces new mail.
    url: Arc<Mutex<String>>,
    /// The `Host` values the pages answer (none until [`DevMailbox::serve_at`]).
    hosts: Arc<Mutex<Vec<String>>>,
}

impl DevMailbox {
    /// The address the runner serves on: where the log line points, and the only
    /// hosts the mailbox pages answer.
    pub fn serve_at(&self, addr: SocketAddr) {
        if let Ok(mut guard) = self.url.lock() {
            *guard = format!("http://{addr}");
        }
        if let Ok(mut guard) = self.hosts.lock() {
            *guard = own_hosts(addr);
        }
    }

    /// Whether a request with this `Host` header is addressed to the runner itself.
    pub fn answers_host(&self, host: Option<&str>) -> bool {
        let Some(host) = host else { return false };
        let host = host.to_ascii_lowercase();
        self.hosts
            .lock()
            .map(|hosts| hosts.contains(&host))
            .unwrap_or(false)
    }

    /// Newest first.
    pub fn messages(&self) -> Vec<DeliveredMail> {
        self.messages
            .lock()
            .map(|m| m.iter().rev().cloned().collect())
            .unwrap_or_default()
    }
}

impl MailSender for DevMailbox {
    async fn send(&self, mail: &OutboxItem) -> Result<(), String> {
        // Links point to the shop's configured origin; here they open the local site.
        let url = self.url.lock().map(|u| u.clone()).unwrap_or_default();
        let local = |text: &str| {
            if url.is_empty() {
                text.to_string()
            } else {
                text.replace(&ecrm_core::site_config::facts().site_url, &url)
            }
        };
        let delivered = DeliveredMail {
            to: mail.to.clone(),
            subject: mail.subject.clone(),
            text: local(&mail.text),
            html: local(&mail.html),
            template: mail.template.clone(),
            language: mail.language,
            headers: Mail::headers(mail.list_unsubscribe.as_deref())
                .into_iter()
                .map(|(name, value)| (name.to_string(), local(&value)))
                .collect(),
            sent_at: clock::rfc3339(clock::now()),
        };
        self.messages
            .lock()
            .map_err(|_| "mailbox lock poisoned".to_string())?
            .push(delivered);
        // The log names no address and no content: mail carries codes.
        println!("dev mailbox: new mail, read it at {url}/dev/mailbox");
        Ok(())
    }
}

/// The `Host` values that name the runner at `addr`: its address itself (unless it is
/// the unspecified 0.0.0.0 or ::), and on loopback or unspecified also `localhost` and
/// the loopback addresses, each with the port (and without it on port 80, as browsers
/// send it). Never another name.
fn own_hosts(addr: SocketAddr) -> Vec<String> {
    let port = addr.port();
    let mut names = Vec::new();
    if !addr.ip().is_unspecified() {
        names.push(match addr {
            SocketAddr::V4(a) => a.ip().to_string(),
            SocketAddr::V6(a) => format!("[{}]", a.ip()),
        });
    }
    if addr.ip().is_loopback() || addr.ip().is_unspecified() {
        for name in ["localhost", "127.0.0.1", "[::1]"] {
            if !names.iter().any(|n| n == name) {
                names.push(name.to_string());
            }
        }
    }
    let mut hosts: Vec<String> = names.iter().map(|n| format!("{n}:{port}")).collect();
    if port == 80 {
        hosts.extend(names);
    }
    hosts
}

pub fn routes(mailbox: DevMailbox) -> Router {
    Router::new()
        .route("/dev/mailbox", get(page))
        .route("/dev/mailbox.json", get(json))
        .route_layer(middleware::from_fn_with_state(
            mailbox.clone(),
            own_host_only,
        ))
        .with_state(mailbox)
}

async fn own_host_only(
    State(mailbox): State<DevMailbox>,
    request: Request,
    next: Next,
) -> Response {
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|v| v.to_str().ok());
    if !mailbox.answers_host(host) {
        return (
            StatusCode::FORBIDDEN,
            "The development mailbox answers only at the address the runner printed.",
        )
            .into_response();
    }
    next.run(request).await
}

async fn json(State(mailbox): State<DevMailbox>) -> impl IntoResponse {
    axum::Json(mailbox.messages())
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// The HTML part's body, as our own templates wrote it (escaped content, links and
/// simple markup; inline styles are dropped by the page's CSP anyway).
fn html_body(html: &str) -> String {
    let start = html
        .find("<body")
        .and_then(|i| html[i..].find('>').map(|j| i + j + 1));
    let end = html.rfind("</body>");
    match (start, end) {
        (Some(start), Some(end)) if start <= end => html[start..end].to_string(),
        _ => String::new(),
    }
}

async fn page(State(mailbox): State<DevMailbox>) -> Html<String> {
    let messages = mailbox.messages();
    let mut body = String::new();
    if messages.is_empty() {
        body.push_str("<p>No mail yet. Ask for a sign-in code and reload this page.</p>");
    }
    for mail in &messages {
        let headers: String = mail
            .headers
            .iter()
            .map(|(name, value)| format!("<br><code>{}: {}</code>", escape(name), escape(value)))
            .collect();
        body.push_str(&format!(
            "<article class=\"mail\"><h2>{}</h2><p><strong>To:</strong> {} · <strong>Sent:</strong> {}{headers}</p><div class=\"mail-html\">{}</div><details><summary>Plain text</summary><pre>{}</pre></details></article>",
            escape(&mail.subject),
            escape(&mail.to),
            escape(&mail.sent_at),
            html_body(&mail.html),
            escape(&mail.text)
        ));
    }
    Html(format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>Development mailbox · eCRM</title><link rel=\"stylesheet\" href=\"/css/site.css\"></head>\
         <body><main id=\"main\"><h1>Development mailbox</h1><p>Mail the local runner would have sent, newest first. \
         This page exists only in the local runner.</p>{body}</main></body></html>"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;
    use tower::ServiceExt;

    async fn status(mailbox: &DevMailbox, host: Option<&str>) -> StatusCode {
        let mut request = Request::builder().uri("/dev/mailbox.json");
        if let Some(host) = host {
            request = request.header(header::HOST, host);
        }
        routes(mailbox.clone())
            .oneshot(request.body(Body::empty()).unwrap())
            .await
            .unwrap()
            .status()
    }

    #[tokio::test]
    async fn the_mailbox_answers_only_its_own_address() {
        let mailbox = DevMailbox::default();
        mailbox.serve_at("127.0.0.1:8080".parse().unwrap());
        for host in [
            "127.0.0.1:8080",
            "localhost:8080",
            "LOCALHOST:8080",
            "[::1]:8080",
        ] {
            assert_eq!(status(&mailbox, Some(host)).await, StatusCode::OK, "{host}");
        }
        for host in [
            None,
            Some("rebind.evil.example:8080"),
            Some("127.0.0.1"),
            Some("127.0.0.1:8081"),
            Some("localhost.evil.example:8080"),
            Some(""),
        ] {
            assert_eq!(
                status(&mailbox, host).await,
                StatusCode::FORBIDDEN,
                "{host:?}"
            );
        }
    }

    #[tokio::test]
    async fn a_mailbox_not_yet_serving_answers_no_one() {
        assert_eq!(
            status(&DevMailbox::default(), Some("127.0.0.1:8080")).await,
            StatusCode::FORBIDDEN
        );
    }

    #[test]
    fn own_hosts_follow_the_listen_address() {
        assert_eq!(
            own_hosts("127.0.0.1:8080".parse().unwrap()),
            ["127.0.0.1:8080", "localhost:8080", "[::1]:8080"]
        );
        assert_eq!(
            own_hosts("[::1]:9000".parse().unwrap()),
            ["[::1]:9000", "localhost:9000", "127.0.0.1:9000"]
        );
        // Listening on every interface: loopback names only, not whatever name a
        // request brings.
        assert_eq!(
            own_hosts("0.0.0.0:8080".parse().unwrap()),
            ["localhost:8080", "127.0.0.1:8080", "[::1]:8080"]
        );
        // A LAN address the developer chose: that address, and no name.
        assert_eq!(
            own_hosts("192.168.1.5:8080".parse().unwrap()),
            ["192.168.1.5:8080"]
        );
        assert!(own_hosts("127.0.0.1:80".parse().unwrap()).contains(&"localhost".to_string()));
    }
}
