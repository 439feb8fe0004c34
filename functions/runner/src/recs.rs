//! Recommendations, locally: the neighbour lists fitted at start when the table has
//! none, and the deployed stream worker's code (`neighbours::handle`) driven from the
//! emulator's own stream, as Lambda drives it from DynamoDB Streams in AWS.

use ecrm_core::app::{App, recs_upkeep};
use std::path::PathBuf;
use std::time::Duration;

/// Where the lists come from when the table has none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecsSeed {
    /// Leave the table without lists (lookups answer from nothing).
    None,
    /// A small generated seed over the stored catalog (tests: fitted in milliseconds).
    Fixture,
    /// The first half of the retailer's purchase log at this path (`make run`).
    Log(PathBuf),
}

/// The purchase log the runner and `rebuild-recs` read by default (never copied).
pub const DEFAULT_LOG: &str =
    "../shared/data/online-retail/online-retail-2010-12-01-to-2011-07-20.csv.gz";

/// Fit and write every list unless some are stored already (or `seed` is `None`).
pub async fn ensure_lists(app: &App, seed: &RecsSeed) -> Result<(), String> {
    if *seed == RecsSeed::None || recs_upkeep::built(app).await.map_err(|e| e.to_string())? {
        return Ok(());
    }
    rebuild(app, seed).await.map(|_| ())
}

/// Fit every list from `seed` plus the recorded events, and write them.
pub async fn rebuild(app: &App, seed: &RecsSeed) -> Result<recs_upkeep::Rebuilt, String> {
    let interactions = match seed {
        RecsSeed::None => Vec::new(),
        RecsSeed::Fixture => {
            let catalog = ecrm_core::store::catalog::list(&app.store)
                .await
                .map_err(|e| e.to_string())?;
            recs_upkeep::fixture_seed(&catalog)
        }
        RecsSeed::Log(path) => {
            let path = path.clone();
            tokio::task::spawn_blocking(move || recs_upkeep::seed_from_log(&path))
                .await
                .map_err(|e| e.to_string())?
                .map_err(|e| format!("reading the purchase log: {e}"))?
        }
    };
    let started = std::time::Instant::now();
    let done = recs_upkeep::rebuild(app, interactions)
        .await
        .map_err(|e| format!("rebuilding the recommendation lists: {e:?}"))?;
    tracing::info!(
        neighbour_lists = done.neighbour_lists,
        seed_interactions = done.interactions,
        events = done.events,
        seconds = started.elapsed().as_secs_f64(),
        "recommendation lists rebuilt"
    );
    Ok(done)
}

/// The stream, from now on: new records every 200 ms handed to the worker's handler.
pub async fn drive_worker(db: dynoxide::Database, table: String, app: App) {
    let mut iterator: Option<String> = None;
    loop {
        if iterator.is_none() {
            iterator = latest_iterator(&db, &table).await;
        }
        if let Some(current) = iterator.clone() {
            let db = db.clone();
            let read = tokio::task::spawn_blocking(move || {
                db.get_records(dynoxide::actions::get_records::GetRecordsRequest {
                    shard_iterator: current,
                    limit: Some(100),
                })
            })
            .await;
            match read {
                Ok(Ok(page)) => {
                    iterator = page.next_shard_iterator.clone();
                    if !page.records.is_empty() {
                        deliver(&app, page).await;
                    }
                }
                // The store is stopped (fault tests) or the iterator expired: start again.
                _ => iterator = None,
            }
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// An iterator at the end of the table's stream's first shard.
async fn latest_iterator(db: &dynoxide::Database, table: &str) -> Option<String> {
    let db = db.clone();
    let table = table.to_string();
    tokio::task::spawn_blocking(move || {
        let streams = db
            .list_streams(dynoxide::actions::list_streams::ListStreamsRequest {
                table_name: Some(table),
                ..Default::default()
            })
            .ok()?;
        let arn = streams.streams.first()?.stream_arn.clone();
        let description = db
            .describe_stream(dynoxide::actions::describe_stream::DescribeStreamRequest {
                stream_arn: arn.clone(),
                ..Default::default()
            })
            .ok()?;
        let shard = description
            .stream_description
            .shards
            .last()?
            .shard_id
            .clone();
        db.get_shard_iterator(
            dynoxide::actions::get_shard_iterator::GetShardIteratorRequest {
                stream_arn: arn,
                shard_id: shard,
                shard_iterator_type: "LATEST".into(),
                sequence_number: None,
            },
        )
        .ok()?
        .shard_iterator
    })
    .await
    .ok()
    .flatten()
}

/// Hand the records to the worker as Lambda would (the same JSON shape).
async fn deliver(app: &App, page: dynoxide::actions::get_records::GetRecordsResponse) {
    let event = serde_json::to_value(&page)
        .map(|v| serde_json::json!({ "Records": v["Records"] }))
        .and_then(serde_json::from_value::<aws_lambda_events::event::dynamodb::Event>);
    match event {
        Ok(event) => {
            let response = neighbours::handle(app, event).await;
            if !response.batch_item_failures.is_empty() {
                tracing::warn!("recommendation worker failed on a record; it is dropped locally");
            }
        }
        Err(error) => tracing::warn!(%error, "stream records not readable as a Lambda event"),
    }
}
