//! Turning outbox items into mail. The sender is a small trait: SES in AWS, the
//! development mailbox in the local runner.

use crate::store::outbox::{self, OutboxItem};
use crate::store::{Store, StoreError};
use std::future::Future;

/// Something that delivers one mail.
pub trait MailSender: Send + Sync {
    fn send(&self, mail: &OutboxItem) -> impl Future<Output = Result<(), String>> + Send;
}

/// Deliver one outbox item, then delete it so it is sent once and no code or link in
/// it stays at rest (the stream's image, kept 24 h by DynamoDB, is the only other copy).
/// A failed send leaves the item for the next attempt (and, in AWS, for the stream's
/// retry and DLQ).
pub async fn deliver<S: MailSender>(
    store: &Store,
    sender: &S,
    mail: &OutboxItem,
) -> Result<(), String> {
    sender.send(mail).await?;
    outbox::delete(store, mail)
        .await
        .map_err(|e| e.to_string())?;
    tracing::info!(mail_id = %mail.id, template = %mail.template, "mail delivered");
    Ok(())
}

/// Deliver everything pending (the local runner's polling worker). Returns how many
/// mails were delivered.
pub async fn deliver_pending<S: MailSender>(
    store: &Store,
    sender: &S,
) -> Result<usize, StoreError> {
    let pending = outbox::pending(store, 25).await?;
    let mut delivered = 0;
    for mail in &pending {
        match deliver(store, sender, mail).await {
            Ok(()) => delivered += 1,
            Err(error) => tracing::warn!(mail_id = %mail.id, %error, "mail not delivered"),
        }
    }
    Ok(delivered)
}
