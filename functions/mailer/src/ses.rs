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
            // The SDK's message may echo the recipient: report only the error's kind
            // and, for a service error, its code.
            .map_err(|e| format!("SES send failed: {}", error_kind(&e)))
    }
}

/// An SES failure by kind and error code only, never its message.
fn error_kind<E: aws_sdk_sesv2::error::ProvideErrorMetadata, R>(
    error: &aws_sdk_sesv2::error::SdkError<E, R>,
) -> String {
    use aws_sdk_sesv2::error::SdkError;
    match error {
        SdkError::ConstructionFailure(_) => "request construction failed".into(),
        SdkError::TimeoutError(_) => "timeout".into(),
        SdkError::DispatchFailure(_) => "dispatch failure".into(),
        SdkError::ResponseError(_) => "unreadable response".into(),
        SdkError::ServiceError(e) => {
            format!("service error {}", e.err().code().unwrap_or("unknown"))
        }
        _ => "unknown SDK error".into(),
    }
}
