//! The recommendation worker: triggered by the table's stream (filtered to new
//! behaviour events), it merges each event's fresh co-occurrences into the stored
//! neighbour lists of the items it touches (`ecrm_core::app::recs_upkeep::apply`).
//! A failure is reported per record so Lambda retries from there.

use aws_lambda_events::event::dynamodb::Event;
use aws_lambda_events::event::streams::{DynamoDbBatchItemFailure, DynamoDbEventResponse};
use ecrm_core::app::App;
use ecrm_core::app::recs_upkeep;
use ecrm_core::store::events::EventItem;

/// Handle one batch of stream records. Records that are not new events are skipped
/// (the event source filter should already have dropped them).
pub async fn handle(app: &App, event: Event) -> DynamoDbEventResponse {
    let mut response = DynamoDbEventResponse::default();
    for record in event.records {
        if record.event_name != "INSERT" {
            continue;
        }
        let image = record.change.new_image;
        let is_event = matches!(image.get("kind"), Some(serde_dynamo::AttributeValue::S(kind)) if kind == "event");
        if !is_event {
            continue;
        }
        let applied = match serde_dynamo::from_item::<_, EventItem>(image) {
            Ok(event) => recs_upkeep::apply(app, &event)
                .await
                .map_err(|e| format!("{e:?}")),
            Err(error) => Err(format!("not an event item: {error}")),
        };
        match applied {
            Ok(lists) => tracing::info!(lists, "neighbour lists updated"),
            Err(error) => {
                tracing::warn!(%error, "event not applied; Lambda will retry from this record");
                let mut failure = DynamoDbBatchItemFailure::default();
                failure.item_identifier = record.change.sequence_number.clone();
                response.batch_item_failures.push(failure);
                // Records after a failure are retried with it, in order.
                break;
            }
        }
    }
    response
}
