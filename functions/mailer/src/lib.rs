//! The mail worker: triggered by the table's stream (filtered to new outbox items), it
//! sends each mail through a [`MailSender`] and deletes the outbox item. A failure is
//! reported per record so Lambda retries from there (bisecting, then the DLQ).

pub mod ses;

use aws_lambda_events::event::dynamodb::Event;
use aws_lambda_events::event::streams::{DynamoDbBatchItemFailure, DynamoDbEventResponse};
use ecrm_core::mail::{MailSender, deliver};
use ecrm_core::store::Store;
use ecrm_core::store::outbox::OutboxItem;

/// Handle one batch of stream records. Records that are not new outbox items are
/// skipped (the event source filter should already have dropped them).
pub async fn handle<S: MailSender>(
    store: &Store,
    sender: &S,
    event: Event,
) -> DynamoDbEventResponse {
    let mut response = DynamoDbEventResponse::default();
    for record in event.records {
        if record.event_name != "INSERT" {
            continue;
        }
        let image = record.change.new_image;
        let is_outbox = matches!(image.get("kind"), Some(serde_dynamo::AttributeValue::S(kind)) if kind == "outbox");
        if !is_outbox {
            continue;
        }
        let delivered = match serde_dynamo::from_item::<_, OutboxItem>(image) {
            Ok(mail) => deliver(store, sender, &mail).await,
            // The decoder's message can quote a field's value (the recipient): not logged.
            Err(_) => Err("not an outbox item".to_string()),
        };
        if let Err(error) = delivered {
            tracing::warn!(%error, "mail not delivered; Lambda will retry from this record");
            let mut failure = DynamoDbBatchItemFailure::default();
            failure.item_identifier = record.change.sequence_number.clone();
            response.batch_item_failures.push(failure);
            // Records after a failure are retried with it, in order.
            break;
        }
    }
    response
}
