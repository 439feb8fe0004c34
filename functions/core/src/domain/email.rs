//! Email addresses: trimmed and lower-cased so that uniqueness does not depend on how
//! a customer typed theirs. Validation is deliberately pragmatic (RFC 5321 lengths,
//! one `@`, a dotted domain, no spaces or control characters); the mailed sign-in code
//! is the real proof of ownership.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Email(String);

pub const MAX_EMAIL_LEN: usize = 254;

impl Email {
    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        let email = raw.trim().to_lowercase();
        if email.is_empty() {
            return Err("is required");
        }
        if email.len() > MAX_EMAIL_LEN {
            return Err("must be at most 254 characters");
        }
        let Some((local, domain)) = email.split_once('@') else {
            return Err("must be an email address like name@example.com");
        };
        // The local part must be ASCII: the mail service (SES) cannot deliver to
        // internationalised local parts, and an address we cannot mail cannot be proven.
        if !local.is_ascii() {
            return Err("the part before @ must use only ASCII letters, digits and symbols");
        }
        let well_formed = !local.is_empty()
            && local.len() <= 64
            && !domain.contains('@')
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && !local.starts_with('.')
            && !local.ends_with('.')
            && !local.contains("..")
            && domain.split('.').all(|label| {
                !label.is_empty()
                    && label.len() <= 63
                    && !label.starts_with('-')
                    && !label.ends_with('-')
                    && label.chars().all(|c| c.is_alphanumeric() || c == '-')
            })
            && !email
                .chars()
                .any(|c| c.is_whitespace() || c.is_control() || "<>()[]\\,;:\"".contains(c));
        if !well_formed {
            return Err("must be an email address like name@example.com");
        }
        Ok(Self(email))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_parts_must_be_ascii() {
        assert!(Email::parse("ñ@ñ.es").is_err());
        assert!(Email::parse("ana@ñ.es").is_ok());
        assert!(Email::parse("Ana.Maria+news@example.com").is_ok());
    }

    #[test]
    fn normalises_case_and_whitespace() {
        assert_eq!(
            Email::parse("  Ana@Example.COM ").unwrap().as_str(),
            "ana@example.com"
        );
    }

    #[test]
    fn accepts_ordinary_addresses() {
        for ok in [
            "a@b.co",
            "first.last+tag@sub.example.org",
            "nandu@correo.es",
            "ana@ñandú.es",
        ] {
            assert!(Email::parse(ok).is_ok(), "{ok}");
        }
    }

    #[test]
    fn rejects_malformed_addresses() {
        for bad in [
            "",
            "   ",
            "plain",
            "@example.com",
            "a@",
            "a@b",
            "a@@b.com",
            "a b@c.com",
            "a@b..com",
            "a@.b.com",
            "a@b.com.",
            ".a@b.com",
            "a..b@c.com",
            "a@-b.com",
            "<a>@b.com",
            "a@b_c.com",
            "a\u{0}@b.com",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad:?}");
        }
        assert!(Email::parse(&format!("{}@example.com", "a".repeat(65))).is_err());
        assert!(Email::parse(&format!("a@{}.com", "b".repeat(250))).is_err());
    }
}
