//! Time: one clock in the app state (tests set it), and UTC RFC 3339 timestamps with
//! fixed width, so they also sort as strings (they are used inside sort keys).

use std::sync::{Arc, Mutex};
use time::OffsetDateTime;
use time::macros::format_description;

/// `2026-11-23T18:01:20.123456Z`: always six fractional digits and `Z`.
pub fn rfc3339(at: OffsetDateTime) -> String {
    let utc = at.to_offset(time::UtcOffset::UTC);
    let format =
        format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:6]Z");
    // Formatting a valid UTC date with this fixed description cannot fail for years
    // 0..=9999; fall back to the library's own RFC 3339 just in case.
    utc.format(&format)
        .or_else(|_| utc.format(&time::format_description::well_known::Rfc3339))
        .unwrap_or_default()
}

/// The system's time. Prefer [`Clock::now`] where a clock is at hand.
pub fn now() -> OffsetDateTime {
    OffsetDateTime::now_utc()
}

/// Where use cases take the time from: the system, or a time a test sets and moves.
#[derive(Debug, Clone, Default)]
pub struct Clock {
    fixed: Option<Arc<Mutex<OffsetDateTime>>>,
}

impl Clock {
    pub fn system() -> Self {
        Self::default()
    }

    /// A clock that stands still at `at` until [`Clock::set`] or [`Clock::advance`].
    pub fn fixed(at: OffsetDateTime) -> Self {
        Self {
            fixed: Some(Arc::new(Mutex::new(at))),
        }
    }

    pub fn now(&self) -> OffsetDateTime {
        match &self.fixed {
            Some(at) => *at.lock().unwrap_or_else(|poisoned| poisoned.into_inner()),
            None => now(),
        }
    }

    /// Seconds since the Unix epoch (for TTLs and token expiry).
    pub fn unix(&self) -> i64 {
        self.now().unix_timestamp()
    }

    /// The current time as a fixed-width RFC 3339 string.
    pub fn rfc3339(&self) -> String {
        rfc3339(self.now())
    }

    /// Move a fixed clock to `at` (no effect on the system clock).
    pub fn set(&self, at: OffsetDateTime) {
        if let Some(fixed) = &self.fixed {
            *fixed
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner()) = at;
        }
    }

    /// Move a fixed clock forward (no effect on the system clock).
    pub fn advance(&self, by: time::Duration) {
        self.set(self.now() + by);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn fixed_width_utc() {
        assert_eq!(
            rfc3339(datetime!(2026-11-23 18:01:20.5 +01:00)),
            "2026-11-23T17:01:20.500000Z"
        );
        assert_eq!(
            rfc3339(datetime!(2026-01-02 03:04:05 UTC)),
            "2026-01-02T03:04:05.000000Z"
        );
    }

    #[test]
    fn sorts_as_strings() {
        let a = rfc3339(datetime!(2026-11-23 09:00:00.9 UTC));
        let b = rfc3339(datetime!(2026-11-23 10:00:00 UTC));
        assert!(a < b);
    }

    #[test]
    fn a_fixed_clock_moves_only_when_told() {
        let clock = Clock::fixed(datetime!(2026-11-29 12:00:00 UTC));
        assert_eq!(clock.rfc3339(), "2026-11-29T12:00:00.000000Z");
        clock.advance(time::Duration::minutes(11));
        assert_eq!(clock.rfc3339(), "2026-11-29T12:11:00.000000Z");
        let copy = clock.clone();
        copy.set(datetime!(2027-01-01 00:00:00 UTC));
        assert_eq!(
            clock.unix(),
            datetime!(2027-01-01 00:00:00 UTC).unix_timestamp()
        );
        let system = Clock::system();
        system.set(datetime!(2000-01-01 00:00:00 UTC));
        assert!(system.now().year() >= 2026);
    }
}
