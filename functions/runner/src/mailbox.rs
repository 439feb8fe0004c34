//! The development mailbox: the local runner's mail sender. Mail lands here instead of
//! a mail server, shown at `/dev/mailbox` (HTML) and `/dev/mailbox.json`, newest first.
//! These routes exist only in the runner, never in the deployed API.

use axum::Router;
use axum::extract::State;
use axum::response::{Html, IntoResponse};
use axum::routing::get;
use ecrm_core::domain::clock;
use ecrm_core::mail::MailSender;
use ecrm_core::store::outbox::OutboxItem;
use serde::Serialize;
use std::sync::{Arc, Mutex};

#[derive(Debug, Clone, Serialize)]
pub struct DeliveredMail {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub sent_at: String,
}

#[derive(Debug, Clone, Default)]
pub struct DevMailbox {
    messages: Arc<Mutex<Vec<DeliveredMail>>>,
    /// Printed in the log line that announces new mail.
    url: Arc<Mutex<String>>,
}

impl DevMailbox {
    pub fn set_url(&self, url: String) {
        if let Ok(mut guard) = self.url.lock() {
            *guard = url;
        }
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
        let delivered = DeliveredMail {
            to: mail.to.clone(),
            subject: mail.subject.clone(),
            text: mail.text.clone(),
            sent_at: clock::rfc3339(clock::now()),
        };
        self.messages
            .lock()
            .map_err(|_| "mailbox lock poisoned".to_string())?
            .push(delivered);
        // The log names no address and no content: mail carries codes.
        let url = self.url.lock().map(|u| u.clone()).unwrap_or_default();
        println!("dev mailbox: new mail, read it at {url}/dev/mailbox");
        Ok(())
    }
}

pub fn routes(mailbox: DevMailbox) -> Router {
    Router::new()
        .route("/dev/mailbox", get(page))
        .route("/dev/mailbox.json", get(json))
        .with_state(mailbox)
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

async fn page(State(mailbox): State<DevMailbox>) -> Html<String> {
    let messages = mailbox.messages();
    let mut body = String::new();
    if messages.is_empty() {
        body.push_str("<p>No mail yet. Ask for a sign-in code and reload this page.</p>");
    }
    for mail in &messages {
        body.push_str(&format!(
            "<article class=\"mail\"><h2>{}</h2><p><strong>To:</strong> {} · <strong>Sent:</strong> {}</p><pre>{}</pre></article>",
            escape(&mail.subject),
            escape(&mail.to),
            escape(&mail.sent_at),
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
