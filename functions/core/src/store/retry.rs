//! Bounded, jittered backoff for the retries the SDK does not do itself: transaction
//! conflicts and batch items left unprocessed.

use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Backoff {
    /// Calls in all, the first included.
    pub attempts: u32,
    /// The ceiling of the first wait; it doubles with each retry up to `cap`.
    pub base: Duration,
    pub cap: Duration,
}

impl Backoff {
    /// A conflict means another transaction holds the items for a moment; a few short
    /// waits (at most about 0.3 s in all) see it through without holding a request long.
    pub const TRANSACTION: Backoff = Backoff {
        attempts: 6,
        base: Duration::from_millis(10),
        cap: Duration::from_millis(160),
    };

    /// Unprocessed batch items mean throttling: back off longer.
    pub const BATCH: Backoff = Backoff {
        attempts: 8,
        base: Duration::from_millis(20),
        cap: Duration::from_millis(1000),
    };

    /// How long to wait after the failed call number `attempt` (from 1): half of the
    /// ceiling fixed, half random, so concurrent losers spread out yet all wait.
    pub fn delay(&self, attempt: u32) -> Duration {
        let doubling = 1u32 << attempt.saturating_sub(1).min(16);
        let ceiling = self.base.saturating_mul(doubling).min(self.cap);
        let half = ceiling / 2;
        half + random_fraction(ceiling - half)
    }

    /// Wait before the next call, unless `attempt` was the last one allowed; false
    /// when no retry is left.
    pub async fn wait(&self, attempt: u32) -> bool {
        if attempt >= self.attempts {
            return false;
        }
        tokio::time::sleep(self.delay(attempt)).await;
        true
    }
}

/// A random duration in `[0, max]`; without randomness, `max` (still bounded).
fn random_fraction(max: Duration) -> Duration {
    let Ok(random) = getrandom::u32() else {
        return max;
    };
    max.mul_f64(f64::from(random) / f64::from(u32::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_grow_stay_jittered_within_half_and_full_ceiling_and_are_capped() {
        let b = Backoff::TRANSACTION;
        for attempt in 1..=10 {
            let ceiling = (b.base * (1 << (attempt - 1).min(16))).min(b.cap);
            for _ in 0..20 {
                let d = b.delay(attempt);
                assert!(d >= ceiling / 2 && d <= ceiling, "{attempt}: {d:?}");
            }
        }
        assert!(b.delay(40) <= b.cap);
    }

    #[tokio::test]
    async fn wait_refuses_past_the_last_attempt() {
        let b = Backoff {
            attempts: 3,
            base: Duration::from_millis(1),
            cap: Duration::from_millis(1),
        };
        assert!(b.wait(1).await);
        assert!(b.wait(2).await);
        assert!(!b.wait(3).await);
    }
}
