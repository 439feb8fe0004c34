//! Mail through Amazon SES (v2 API): a multipart message (plain text and HTML) with
//! the one-click unsubscribe headers on marketing mail.

use aws_sdk_sesv2::types::{Body, Content, Destination, EmailContent, Message, MessageHeader};
use ecrm_core::mail::{Mail, MailSender};
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
        // The builder's message names only the missing field, never the content.
        .map_err(|_| "mail content could not be built".to_string())
}

impl MailSender for SesSender {
    async fn send(&self, mail: &OutboxItem) -> Result<(), String> {
        let message = message(mail)?;
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

/// `"eCRM Demo Shop" <shop@example.com>`: mail names the shop as its sender (the
/// display name from `site/config.toml`, quoted; SES takes a plain display name in
/// ASCII only, so quotes, backslashes and other characters are dropped).
pub fn sender(address: &str) -> String {
    let name: String = ecrm_core::site_config::facts()
        .business_name
        .chars()
        .filter(|c| c.is_ascii() && !matches!(c, '"' | '\\') && !c.is_ascii_control())
        .collect();
    format!("\"{name}\" <{}>", address.trim())
}

/// The SES message of an outbox item: subject, text and (when there is one) HTML
/// part, and the item's extra headers. Errors name no recipient and no content.
pub fn message(mail: &OutboxItem) -> Result<Message, String> {
    let mut body = Body::builder().text(content(&mail.text)?);
    if !mail.html.is_empty() {
        body = body.html(content(&mail.html)?);
    }
    let mut message = Message::builder()
        .subject(content(&mail.subject)?)
        .body(body.build());
    for (name, value) in Mail::headers(mail.list_unsubscribe.as_deref()) {
        let header = MessageHeader::builder()
            .name(name)
            .value(value)
            .build()
            .map_err(|_| format!("header {name} could not be built"))?;
        message = message.headers(header);
    }
    Ok(message.build())
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

#[cfg(test)]
mod tests {
    use super::*;
    use ecrm_core::domain::customer::Language;
    use ecrm_core::mail::Compose;

    fn item(mail: Mail) -> OutboxItem {
        OutboxItem::new(
            "ana@example.com",
            None,
            mail,
            "2026-11-29T00:00:00Z".into(),
            0,
        )
    }

    #[test]
    fn marketing_mail_is_multipart_with_one_click_headers() {
        let mail = Compose::new("news", Language::En, "News")
            .para("Hello")
            .marketing("https://shop.example/api/unsubscribe?token=t".into())
            .build();
        let message = message(&item(mail)).expect("message");
        let body = message.body().expect("body");
        assert!(body.text().is_some_and(|t| t.data().contains("Hello")));
        assert!(
            body.html()
                .is_some_and(|h| h.data().contains("<p>Hello</p>"))
        );
        let headers: Vec<(&str, &str)> = message
            .headers()
            .iter()
            .map(|h| (h.name(), h.value()))
            .collect();
        assert_eq!(
            headers,
            [
                (
                    "List-Unsubscribe",
                    "<https://shop.example/api/unsubscribe?token=t>"
                ),
                ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click")
            ]
        );
    }

    #[test]
    fn the_sender_is_named_after_the_shop() {
        assert_eq!(
            sender(" shop@example.com "),
            format!(
                "\"{}\" <shop@example.com>",
                ecrm_core::site_config::facts().business_name
            )
        );
    }

    #[test]
    fn account_mail_has_no_unsubscribe_header() {
        let mail = Compose::new("welcome", Language::Es, "Hola")
            .para("x")
            .build();
        assert!(message(&item(mail)).expect("message").headers().is_empty());
    }
}
