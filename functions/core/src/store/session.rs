//! What every write on a customer's data checks about the session that asks for it,
//! inside the write's own condition (no extra round trip): the customer's
//! `session_epoch` is the session's (bumped by "sign out everywhere" and erasure), and
//! this one session was not signed out on its own (`revoked_sessions`).

use super::codec::{Item, n, s};
use super::customers::ProfileItem;
use super::update::Expr;
use crate::domain::session::SessionClaims;
use aws_sdk_dynamodb::types::AttributeValue;

/// The profile attribute that holds signed-out sessions: a string set of
/// `<expiry>:<session id>`, so entries can be pruned once the session would have
/// expired anyway.
pub const REVOKED_SESSIONS: &str = "revoked_sessions";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionGuard {
    pub epoch: u64,
    /// This session's entry in `revoked_sessions` if it is signed out.
    pub entry: String,
}

/// A session's entry in `revoked_sessions`.
pub fn revocation_entry(claims: &SessionClaims) -> String {
    format!("{}:{}", claims.exp, claims.sid)
}

/// The expiry an entry carries (`None` for an entry this code did not write).
pub fn entry_expiry(entry: &str) -> Option<i64> {
    entry.split_once(':')?.0.parse().ok()
}

impl SessionGuard {
    pub fn of(claims: &SessionClaims) -> Self {
        Self {
            epoch: claims.epoch,
            entry: revocation_entry(claims),
        }
    }

    /// The condition text for `e`, with its names and values bound: the epoch matches
    /// and the session is not in `revoked_sessions` (a missing set contains nothing).
    pub(crate) fn condition(&self, e: &mut Expr) -> String {
        let epoch = e.name("session_epoch");
        let revoked = e.name(REVOKED_SESSIONS);
        e.bind(":epoch", n(self.epoch))
            .bind(":session_entry", s(&self.entry));
        format!("{epoch} = :epoch AND NOT contains({revoked}, :session_entry)")
    }

    /// Whether the session still holds for a profile as decoded.
    pub fn holds_for(&self, profile: &ProfileItem) -> bool {
        profile.session_epoch == self.epoch && !profile.revoked_sessions.contains(&self.entry)
    }

    /// Whether the session still holds on `item` (a profile as stored, e.g. the old
    /// image a failed condition returned).
    pub(crate) fn holds_on(&self, item: Option<&Item>) -> bool {
        let Some(item) = item else {
            return false;
        };
        let epoch_ok = super::epoch_seen(Some(item)) == Some(self.epoch);
        let revoked = match item.get(REVOKED_SESSIONS) {
            Some(AttributeValue::Ss(entries)) => entries.contains(&self.entry),
            _ => false,
        };
        epoch_ok && !revoked
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claims() -> SessionClaims {
        SessionClaims {
            cid: "C1".into(),
            sid: "S1".into(),
            epoch: 2,
            exp: 1_000,
        }
    }

    #[test]
    fn the_condition_checks_epoch_and_revocation() {
        let guard = SessionGuard::of(&claims());
        let mut e = Expr::new();
        let text = guard.condition(&mut e);
        assert_eq!(
            text,
            "#session_epoch = :epoch AND NOT contains(#revoked_sessions, :session_entry)"
        );
        e.condition(text);
        let values = e.values().unwrap();
        assert_eq!(values[":session_entry"], s("1000:S1"));
        assert_eq!(entry_expiry(&guard.entry), Some(1_000));
    }

    #[test]
    fn holds_only_at_the_same_epoch_and_when_not_revoked() {
        let guard = SessionGuard::of(&claims());
        let mut item = Item::from([("session_epoch".to_string(), n(2u32))]);
        assert!(guard.holds_on(Some(&item)));
        item.insert(
            REVOKED_SESSIONS.into(),
            AttributeValue::Ss(vec!["1000:S1".into()]),
        );
        assert!(!guard.holds_on(Some(&item)));
        let item = Item::from([("session_epoch".to_string(), n(3u32))]);
        assert!(!guard.holds_on(Some(&item)));
        assert!(!guard.holds_on(None));
    }
}
