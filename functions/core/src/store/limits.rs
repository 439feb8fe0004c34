//! Abuse-limit counters (`LIMIT#<what>#<key>#<window>` / `LIMIT`): one per thing
//! limited, per key (a keyed hash of an email, or a client address), per fixed window;
//! each disappears by TTL after its window. Several counters are taken in one
//! `TransactWriteItems`: all count, or none does and the caller learns how long to wait.

use super::codec::{n, s};
use super::keys::{ItemKind, Key};
use super::transact::{self, TransactError, transact_with_retry};
use super::update::Expr;
use super::{Store, StoreError};
use crate::domain::limits::{Limit, window};

/// One thing to count against a limit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Counter {
    /// What is limited (`code-email`, `signup-client`, …).
    pub what: &'static str,
    /// Whose: a keyed hash of an email, or a client address; never an email in clear.
    pub key: String,
    pub limit: Limit,
}

/// Count one more of each; `Err(seconds)` (nothing counted) when one of them is at its
/// limit, with the seconds until that window ends.
pub async fn take(
    store: &Store,
    counters: &[Counter],
    now_unix: i64,
) -> Result<Result<(), i64>, StoreError> {
    let mut writes = Vec::with_capacity(counters.len());
    let mut waits = Vec::with_capacity(counters.len());
    for counter in counters {
        let (number, remaining) = window(counter.limit, now_unix);
        waits.push(remaining);
        let pk = format!(
            "{}{}#{}#{number}",
            ItemKind::Limit.pk_prefix(),
            counter.what,
            counter.key
        );
        let mut e = Expr::new();
        e.add("count", n(1u32))
            .set("kind", s(ItemKind::Limit.name()))
            // Kept a little past its window, then removed by TTL.
            .set("ttl", n(now_unix + remaining + 60));
        let count = e.name("count");
        e.condition(format!("attribute_not_exists(PK) OR {count} < :max"))
            .bind(":max", n(counter.limit.max));
        writes.push(transact::update(
            store,
            &Key::new(pk, ItemKind::Limit.sk()),
            &e,
            false,
        )?);
    }
    match transact_with_retry(store, writes).await {
        Ok(()) => Ok(Ok(())),
        Err(TransactError::ConditionFailed(c)) => {
            let wait = (0..counters.len())
                .filter(|i| c.failed(*i))
                .map(|i| waits[i])
                .max()
                .unwrap_or(60);
            Ok(Err(wait))
        }
        Err(TransactError::Store(e)) => Err(e),
    }
}
