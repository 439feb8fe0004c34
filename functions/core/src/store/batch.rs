//! Batches: `BatchWriteItem` (25 requests a call) and `BatchGetItem` (100 keys a
//! call). DynamoDB may leave part of a batch unprocessed under load; that part is sent
//! again with backoff ([`Backoff::BATCH`]), a bounded number of times.

use super::codec::{Item, corrupt};
use super::keys::Key;
use super::retry::Backoff;
use super::{Store, StoreError, unavailable};
use aws_sdk_dynamodb::types::{DeleteRequest, KeysAndAttributes, PutRequest, WriteRequest};
use std::future::Future;

const WRITE_BATCH: usize = 25;
const GET_BATCH: usize = 100;

/// Write every item, overwriting what is there.
pub(crate) async fn put_all(store: &Store, items: Vec<Item>) -> Result<(), StoreError> {
    let requests = items
        .into_iter()
        .map(|item| {
            let put = PutRequest::builder().set_item(Some(item)).build();
            put.map(|p| WriteRequest::builder().put_request(p).build())
                .map_err(corrupt)
        })
        .collect::<Result<Vec<_>, _>>()?;
    write(store, requests).await
}

/// Delete every item by key (a missing item is no error).
pub(crate) async fn delete_all(store: &Store, keys: Vec<Key>) -> Result<(), StoreError> {
    let requests = keys
        .iter()
        .map(|key| {
            let delete = DeleteRequest::builder().set_key(Some(key.item())).build();
            delete
                .map(|d| WriteRequest::builder().delete_request(d).build())
                .map_err(corrupt)
        })
        .collect::<Result<Vec<_>, _>>()?;
    write(store, requests).await
}

async fn write(store: &Store, requests: Vec<WriteRequest>) -> Result<(), StoreError> {
    for chunk in requests.chunks(WRITE_BATCH) {
        retry_unprocessed(Backoff::BATCH, chunk.to_vec(), |pending| {
            let request = store
                .client()
                .batch_write_item()
                .request_items(store.table(), pending);
            async move {
                let output = request.send().await.map_err(|e| unavailable(&e))?;
                let left = output
                    .unprocessed_items()
                    .and_then(|m| m.get(store.table()))
                    .cloned()
                    .unwrap_or_default();
                Ok((left, Vec::<()>::new()))
            }
        })
        .await?;
    }
    Ok(())
}

/// Read items by key with strongly consistent `BatchGetItem` calls. Missing items are
/// simply absent from the answer, which comes in no particular order.
pub(crate) async fn get_all(store: &Store, keys: Vec<Key>) -> Result<Vec<Item>, StoreError> {
    let keys: Vec<Item> = keys.iter().map(Key::item).collect();
    let mut found = Vec::new();
    for chunk in keys.chunks(GET_BATCH) {
        let items = retry_unprocessed(Backoff::BATCH, chunk.to_vec(), |pending| {
            let request = KeysAndAttributes::builder()
                .set_keys(Some(pending))
                .consistent_read(true)
                .build()
                .map(|wanted| {
                    store
                        .client()
                        .batch_get_item()
                        .request_items(store.table(), wanted)
                });
            async move {
                let output = request
                    .map_err(corrupt)?
                    .send()
                    .await
                    .map_err(|e| unavailable(&e))?;
                let items = output
                    .responses()
                    .and_then(|r| r.get(store.table()))
                    .cloned()
                    .unwrap_or_default();
                let left = output
                    .unprocessed_keys()
                    .and_then(|m| m.get(store.table()))
                    .map(|k| k.keys().to_vec())
                    .unwrap_or_default();
                Ok((left, items))
            }
        })
        .await?;
        found.extend(items);
    }
    Ok(found)
}

/// Call `send` with what is pending until nothing is left, gathering what each call
/// returns; fails once `policy.attempts` calls leave something unprocessed.
async fn retry_unprocessed<T, O, F, Fut>(
    policy: Backoff,
    mut pending: Vec<T>,
    mut send: F,
) -> Result<Vec<O>, StoreError>
where
    F: FnMut(Vec<T>) -> Fut,
    Fut: Future<Output = Result<(Vec<T>, Vec<O>), StoreError>>,
{
    let mut gathered = Vec::new();
    let mut attempt = 0;
    while !pending.is_empty() {
        attempt += 1;
        let (left, got) = send(pending).await?;
        gathered.extend(got);
        pending = left;
        if !pending.is_empty() && !policy.wait(attempt).await {
            tracing::warn!(
                attempts = attempt,
                left = pending.len(),
                "batch unprocessed"
            );
            return Err(StoreError::Unavailable(
                "batch: items left unprocessed".into(),
            ));
        }
    }
    Ok(gathered)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    const FAST: Backoff = Backoff {
        attempts: 3,
        base: Duration::from_millis(1),
        cap: Duration::from_millis(1),
    };

    /// A fake batch call that processes `per_call` requests each time.
    async fn run(per_call: usize, pending: Vec<u32>) -> (Result<Vec<u32>, StoreError>, usize) {
        let mut calls = 0;
        let result = retry_unprocessed(FAST, pending, |mut batch| {
            calls += 1;
            let left = batch.split_off(per_call.min(batch.len()));
            async move { Ok((left, batch)) }
        })
        .await;
        (result, calls)
    }

    #[tokio::test]
    async fn unprocessed_items_are_sent_again_until_done() {
        let (result, calls) = run(2, vec![1, 2, 3, 4, 5]).await;
        assert_eq!(result.unwrap(), vec![1, 2, 3, 4, 5]);
        assert_eq!(calls, 3);
        let (result, calls) = run(2, vec![]).await;
        assert_eq!((result.unwrap(), calls), (vec![], 0));
    }

    #[tokio::test]
    async fn retries_stop_at_the_bound() {
        let (result, calls) = run(1, vec![1, 2, 3, 4, 5]).await;
        assert!(matches!(result, Err(StoreError::Unavailable(_))));
        assert_eq!(calls, FAST.attempts as usize);
    }

    #[tokio::test]
    async fn a_failed_call_is_not_retried() {
        let mut calls = 0;
        let result = retry_unprocessed(FAST, vec![1u32], |_| {
            calls += 1;
            async { Err::<(Vec<u32>, Vec<u32>), _>(StoreError::Unavailable("down".into())) }
        })
        .await;
        assert!(result.is_err());
        assert_eq!(calls, 1);
    }
}
