//! The deployed mail worker's handler, fed a DynamoDB stream event shaped as Lambda
//! delivers it, against a real (dynoxide) table.

use aws_lambda_events::event::dynamodb::Event;
use ecrm_core::mail::MailSender;
use ecrm_core::store::Store;
use ecrm_core::store::outbox::OutboxItem;
use ecrm_e2e::{TestApp, s};
use serde_json::json;
use std::sync::Mutex;

#[derive(Default)]
struct Recorder {
    sent: Mutex<Vec<(String, String)>>,
    fail: bool,
}

impl MailSender for Recorder {
    async fn send(&self, mail: &OutboxItem) -> Result<(), String> {
        if self.fail {
            return Err("mail server said no".into());
        }
        self.sent
            .lock()
            .unwrap()
            .push((mail.to.clone(), mail.subject.clone()));
        Ok(())
    }
}

async fn put_outbox(app: &TestApp, to: &str) -> OutboxItem {
    let mail = OutboxItem::new(
        to,
        None,
        ecrm_core::mail::Compose::new("test", ecrm_core::domain::customer::Language::En, "Hello")
            .para("Text")
            .build(),
        "2026-11-23T00:00:00.000000Z".into(),
        0,
    );
    app.running
        .client
        .put_item()
        .table_name(&app.running.table)
        .set_item(Some(serde_dynamo::to_item(&mail).unwrap()))
        .send()
        .await
        .unwrap();
    mail
}

fn stream_event(mails: &[(&OutboxItem, &str)]) -> Event {
    let records: Vec<_> = mails
        .iter()
        .map(|(mail, sequence)| {
            let image: serde_dynamo::Item = serde_dynamo::to_item(*mail).unwrap();
            json!({
                "eventID": format!("e{sequence}"),
                "eventName": "INSERT",
                "eventSource": "aws:dynamodb",
                "awsRegion": "eu-west-1",
                "eventSourceARN": "arn:aws:dynamodb:eu-west-1:123456789012:table/ecrm/stream/2026",
                "dynamodb": {
                    "ApproximateCreationDateTime": 1_700_000_000,
                    "Keys": {"PK": {"S": mail.pk}, "SK": {"S": mail.sk}},
                    "NewImage": image,
                    "SequenceNumber": sequence,
                    "SizeBytes": 100,
                    "StreamViewType": "NEW_AND_OLD_IMAGES"
                }
            })
        })
        .collect();
    serde_json::from_value(json!({ "Records": records })).unwrap()
}

fn outbox_left(items: &[ecrm_e2e::Item]) -> usize {
    items
        .iter()
        .filter(|i| s(i, "PK").unwrap().starts_with("OUTBOX#"))
        .count()
}

#[tokio::test]
async fn worker_sends_each_new_outbox_item_once_and_deletes_it() {
    let app = TestApp::start_with(false).await;
    let store = Store::new(app.running.client.clone(), app.running.table.clone());
    let first = put_outbox(&app, "a@example.com").await;
    let second = put_outbox(&app, "b@example.com").await;
    let recorder = Recorder::default();
    let response = mailer::handle(
        &store,
        &recorder,
        stream_event(&[(&first, "100"), (&second, "200")]),
    )
    .await;
    assert!(response.batch_item_failures.is_empty());
    let sent = recorder.sent.lock().unwrap().clone();
    assert_eq!(
        sent,
        [
            ("a@example.com".to_string(), "Hello".to_string()),
            ("b@example.com".into(), "Hello".into())
        ]
    );
    assert_eq!(outbox_left(&app.scan_all().await), 0);
    app.shutdown().await;
}

#[tokio::test]
async fn a_failed_send_is_reported_for_retry_and_kept() {
    let app = TestApp::start_with(false).await;
    let store = Store::new(app.running.client.clone(), app.running.table.clone());
    let mail = put_outbox(&app, "a@example.com").await;
    let failing = Recorder {
        fail: true,
        ..Default::default()
    };
    let response = mailer::handle(&store, &failing, stream_event(&[(&mail, "300")])).await;
    assert_eq!(response.batch_item_failures.len(), 1);
    assert_eq!(
        response.batch_item_failures[0].item_identifier.as_deref(),
        Some("300")
    );
    assert_eq!(outbox_left(&app.scan_all().await), 1, "kept for the retry");
    app.shutdown().await;
}
