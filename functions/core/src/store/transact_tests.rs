//! Unit tests of `store::transact` (kept apart so each file stays under 400 lines).

use super::*;
use crate::store::codec::n;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

fn reason(code: &str) -> CancellationReason {
    CancellationReason::builder().code(code).build()
}

#[test]
fn failed_conditions_are_told_by_position_with_the_old_item() {
    let old = Item::from([("session_epoch".to_string(), n(2u32))]);
    let reasons = [
        reason("None"),
        CancellationReason::builder()
            .code(CONDITION_FAILED)
            .set_item(Some(old.clone()))
            .build(),
        reason(CONFLICT),
    ];
    let Verdict::ConditionFailed(c) = classify(&reasons, None) else {
        panic!("a failed condition decides over a conflict");
    };
    assert!(!c.failed(0) && c.failed(1) && !c.failed(2) && !c.failed(9));
    assert_eq!(c.old_item(1), Some(&old));
    assert_eq!(c.old_item(0), None);
}

#[test]
fn conflicts_and_other_cancellations_are_told_apart() {
    let conflict = [reason("None"), reason(CONFLICT)];
    assert_eq!(classify(&conflict, None), Verdict::Conflict);
    assert_eq!(
        classify(&[], Some("reasons [None, TransactionConflict]")),
        Verdict::Conflict
    );
    let throttled = [reason("ThrottlingError"), reason("None")];
    assert_eq!(classify(&throttled, None), Verdict::Other);
    assert_eq!(classify(&[], None), Verdict::Other);
}

#[test]
fn without_structured_reasons_the_message_list_is_read() {
    let message = "Transaction cancelled, please refer cancellation reasons for \
                   specific reasons [None, ConditionalCheckFailed]";
    let Verdict::ConditionFailed(c) = classify(&[], Some(message)) else {
        panic!("the message names a failed condition");
    };
    assert!(!c.failed(0) && c.failed(1));
}

const FAST: Backoff = Backoff {
    attempts: 4,
    base: Duration::from_millis(1),
    cap: Duration::from_millis(2),
};

/// Runs `retry_conflicts` against a fake that answers `script` in turn (then
/// commits), returning the outcome and the number of calls.
async fn run(script: Vec<Attempt>) -> (Result<(), TransactError>, u32) {
    let calls = AtomicU32::new(0);
    let script = std::sync::Mutex::new(script.into_iter());
    let result = retry_conflicts(FAST, || {
        calls.fetch_add(1, Ordering::SeqCst);
        let next = script.lock().unwrap().next();
        async move { next.map_or(Ok(()), Err) }
    })
    .await;
    (result, calls.load(Ordering::SeqCst))
}

#[tokio::test]
async fn conflicts_are_retried_until_the_transaction_commits() {
    let (result, calls) = run(vec![Attempt::Conflict, Attempt::Conflict]).await;
    assert_eq!(result, Ok(()));
    assert_eq!(calls, 3);
}

#[tokio::test]
async fn conflicts_are_retried_a_bounded_number_of_times() {
    let (result, calls) = run((0..10).map(|_| Attempt::Conflict).collect()).await;
    assert!(matches!(
        result,
        Err(TransactError::Store(StoreError::Unavailable(_)))
    ));
    assert_eq!(calls, FAST.attempts);
}

#[tokio::test]
async fn failed_conditions_and_store_failures_are_not_retried() {
    let failed = Cancellation {
        reasons: vec![Reason {
            code: Some(CONDITION_FAILED.into()),
            old: None,
        }],
    };
    let (result, calls) = run(vec![
        Attempt::Conflict,
        Attempt::ConditionFailed(failed.clone()),
    ])
    .await;
    assert_eq!(result, Err(TransactError::ConditionFailed(failed)));
    assert_eq!(calls, 2);

    let down = StoreError::Unavailable("timeout".into());
    let (result, calls) = run(vec![Attempt::Failed(down.clone())]).await;
    assert_eq!(result, Err(TransactError::Store(down)));
    assert_eq!(calls, 1);
}
