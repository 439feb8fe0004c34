//! Abuse limits: how many of each thing one email or one client address may ask for
//! per window. Counted in the table (`store::limits`), with TTL; configured from the
//! environment with these defaults (README "Security").

/// One limit: at most `max` per `window_seconds`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    pub max: u32,
    pub window_seconds: i64,
}

const HOUR: i64 = 60 * 60;
const DAY: i64 = 24 * HOUR;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Codes mailed to one address (sign-in, sign-up, email change).
    pub codes_per_email: Limit,
    /// Codes asked for from one client address.
    pub codes_per_client: Limit,
    /// Code checks for one email, right or wrong, across codes.
    pub guesses_per_email: Limit,
    /// Sign-ups from one client address.
    pub signups_per_client: Limit,
    /// Visitors' quotes from one client address.
    pub visitor_quotes_per_client: Limit,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            codes_per_email: Limit {
                max: 5,
                window_seconds: HOUR,
            },
            codes_per_client: Limit {
                max: 20,
                window_seconds: HOUR,
            },
            guesses_per_email: Limit {
                max: 20,
                window_seconds: DAY,
            },
            signups_per_client: Limit {
                max: 10,
                window_seconds: HOUR,
            },
            visitor_quotes_per_client: Limit {
                max: 30,
                window_seconds: HOUR,
            },
        }
    }
}

impl Limits {
    /// The defaults, each `max` overridable by an environment variable
    /// (`ECRM_LIMIT_CODES_PER_EMAIL`, `…_CODES_PER_CLIENT`, `…_GUESSES_PER_EMAIL`,
    /// `…_SIGNUPS_PER_CLIENT`, `…_VISITOR_QUOTES_PER_CLIENT`); a value that is not a
    /// positive number keeps the default.
    pub fn from_env() -> Self {
        let mut limits = Self::default();
        let read = |name: &str, limit: &mut Limit| {
            if let Some(max) = std::env::var(format!("ECRM_LIMIT_{name}"))
                .ok()
                .and_then(|v| v.trim().parse::<u32>().ok())
                .filter(|n| *n > 0)
            {
                limit.max = max;
            }
        };
        read("CODES_PER_EMAIL", &mut limits.codes_per_email);
        read("CODES_PER_CLIENT", &mut limits.codes_per_client);
        read("GUESSES_PER_EMAIL", &mut limits.guesses_per_email);
        read("SIGNUPS_PER_CLIENT", &mut limits.signups_per_client);
        read(
            "VISITOR_QUOTES_PER_CLIENT",
            &mut limits.visitor_quotes_per_client,
        );
        limits
    }

    /// Every limit multiplied (tests and load runs that make many requests from one
    /// address).
    pub fn scaled(self, factor: u32) -> Self {
        let scale = |l: Limit| Limit {
            max: l.max.saturating_mul(factor),
            ..l
        };
        Self {
            codes_per_email: scale(self.codes_per_email),
            codes_per_client: scale(self.codes_per_client),
            guesses_per_email: scale(self.guesses_per_email),
            signups_per_client: scale(self.signups_per_client),
            visitor_quotes_per_client: scale(self.visitor_quotes_per_client),
        }
    }
}

/// The fixed window `now` falls in for `limit`: its number and the seconds until it ends.
pub fn window(limit: Limit, now_unix: i64) -> (i64, i64) {
    let window = now_unix.div_euclid(limit.window_seconds);
    let ends = (window + 1) * limit.window_seconds;
    (window, ends - now_unix)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_are_fixed_and_say_when_they_end() {
        let hourly = Limit {
            max: 1,
            window_seconds: HOUR,
        };
        assert_eq!(window(hourly, 7_200), (2, 3_600));
        assert_eq!(window(hourly, 7_201), (2, 3_599));
        assert_eq!(window(hourly, 10_799), (2, 1));
    }

    #[test]
    fn scaling_keeps_windows() {
        let scaled = Limits::default().scaled(10);
        assert_eq!(scaled.codes_per_email.max, 50);
        assert_eq!(scaled.codes_per_email.window_seconds, HOUR);
    }
}
