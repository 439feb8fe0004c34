//! UTC RFC 3339 timestamps with fixed width, so they also sort as strings (they are
//! used inside sort keys).

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

pub fn now() -> OffsetDateTime {
    OffsetDateTime::now_utc()
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
}
