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

/// A point in time, UTC, written as fixed-width RFC 3339 (`2026-11-23T18:01:20.123456Z`)
/// wherever it is stored or sent, so it also sorts as text (it is used in sort keys).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(OffsetDateTime);

impl Timestamp {
    /// `at` in UTC, to the microsecond (what the written form keeps, so a timestamp
    /// reads back equal to itself).
    pub fn at(at: OffsetDateTime) -> Self {
        let utc = at.to_offset(time::UtcOffset::UTC);
        let micros = utc.nanosecond() / 1_000 * 1_000;
        Self(utc.replace_nanosecond(micros).unwrap_or(utc))
    }

    /// Parse RFC 3339 (any offset; kept as UTC).
    pub fn parse(text: &str) -> Result<Self, time::error::Parse> {
        OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339).map(Self::at)
    }

    pub fn time(self) -> OffsetDateTime {
        self.0
    }

    pub fn unix(self) -> i64 {
        self.0.unix_timestamp()
    }
}

impl std::ops::Add<time::Duration> for Timestamp {
    type Output = Timestamp;
    fn add(self, by: time::Duration) -> Timestamp {
        Timestamp::at(self.0 + by)
    }
}

impl std::fmt::Display for Timestamp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&rfc3339(self.0))
    }
}

impl serde::Serialize for Timestamp {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Timestamp {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        Timestamp::parse(&text).map_err(serde::de::Error::custom)
    }
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

    /// The current time as a [`Timestamp`].
    pub fn timestamp(&self) -> Timestamp {
        Timestamp::at(self.now())
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
    fn timestamps_read_and_write_the_fixed_width_form() {
        let at = Timestamp::parse("2026-11-23T18:01:20.5+01:00").unwrap();
        assert_eq!(at.to_string(), "2026-11-23T17:01:20.500000Z");
        let json = serde_json::to_string(&at).unwrap();
        assert_eq!(json, "\"2026-11-23T17:01:20.500000Z\"");
        assert_eq!(serde_json::from_str::<Timestamp>(&json).unwrap(), at);
        assert!(serde_json::from_str::<Timestamp>("\"yesterday\"").is_err());
        assert!(at < at + time::Duration::seconds(1));
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
