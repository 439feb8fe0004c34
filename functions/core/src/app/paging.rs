//! Page parameters of the history routes (`limit`, `cursor`), read one way.

use super::AppError;

/// A page size from the query: 1 to `max`, `default` when absent; `detail` says the
/// bounds in the answer.
pub fn limit(
    raw: Option<&str>,
    default: u32,
    max: u32,
    detail: &'static str,
) -> Result<i32, AppError> {
    let n = match raw {
        None => default,
        Some(raw) => raw
            .parse::<u32>()
            .ok()
            .filter(|n| (1..=max).contains(n))
            .ok_or(AppError::BadQuery {
                field: "limit",
                detail,
            })?,
    };
    Ok(i32::try_from(n).unwrap_or(i32::MAX))
}

/// A cursor the store did not recognise as the caller's own.
pub fn bad_cursor() -> AppError {
    AppError::BadQuery {
        field: "cursor",
        detail: "cursor must be a next_cursor value from a previous page.",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_are_whole_numbers_in_range() {
        assert_eq!(limit(None, 20, 100, "").unwrap(), 20);
        assert_eq!(limit(Some("100"), 20, 100, "").unwrap(), 100);
        for bad in ["0", "101", "-1", "x", ""] {
            assert!(limit(Some(bad), 20, 100, "").is_err(), "{bad}");
        }
    }
}
