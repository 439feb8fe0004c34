//! Mail through Amazon SES (v2 API).

use aws_sdk_sesv2::types::{Body, Content, Destination, EmailContent, Message};
use ecrm_core::mail::MailSender;
use ecrm_core::store::outbox::OutboxItem;

pub struct SesSender {
    client: aws_sdk_sesv2::Client,
    /// Verified sender address (`MAIL_FROM`).
    from: String,
}

impl SesSender {
    pub fn new(client: aws_sdk_sesv2::Client, from: String) -> Self {
        Self { client, from }
    }
}

fn content(text: &str) -> Result<Content, String> {
    Content::builder()
        .data(text)
        .charset("UTF-8")
        .build()
        .map_err(|e| e.to_string())
}

impl MailSender for SesSender {
    async fn send(&self, mail: &OutboxItem) -> Result<(), String> {
        let message = Message::builder()
            .subject(content(&mail.subject)?)
            .body(Body::builder().text(content(&mail.text)?).build())
            .build();
        self.client
            .send_email()
            .from_email_address(&self.from)
            .destination(Destination::builder().to_addresses(&mail.to).build())
            .content(EmailContent::builder().simple(message).build())
            .send()
            .await
            .map(|_| ())
            // The SDK error may echo the address; report only its kind.
            .map_err(|e| {
                format!(
                    "SES send failed: {}",
                    aws_sdk_sesv2::error::DisplayErrorContext(&e)
                        .to_string()
                        .lines()
                        .next()
                        .unwrap_or("error")
                        .chars()
                        .take(80)
                        .collect::<String>()
                )
            })
    }
}
