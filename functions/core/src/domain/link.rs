//! Links mailed to a customer that act without a session: the no-login preference page
//! and the marketing opt-in confirmation. Each is a signed token bound to one customer
//! and one purpose, with an expiry and the customer's session epoch (so "sign out
//! everywhere" revokes them too, and a rotated server secret kills them all). Nothing
//! is stored: the signature is the proof.
//!
//! `base64url(claims JSON) "." keyed_hash("link:<purpose>", first part)`.

use super::session::{ServerSecret, SessionError};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};
use subtle::ConstantTimeEq;

/// What a link may do; a token for one purpose is refused for any other.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkPurpose {
    /// Read and change contact preferences and marketing consent (nothing else).
    Preferences,
    /// Confirm a pending marketing-email consent, once.
    ConfirmMarketing,
}

impl LinkPurpose {
    fn name(self) -> &'static str {
        match self {
            LinkPurpose::Preferences => "preferences",
            LinkPurpose::ConfirmMarketing => "confirm-marketing",
        }
    }

    /// How long a mailed link works.
    pub fn ttl_seconds(self) -> i64 {
        match self {
            LinkPurpose::Preferences => 90 * 24 * 60 * 60,
            LinkPurpose::ConfirmMarketing => 7 * 24 * 60 * 60,
        }
    }
}

/// Longest token accepted (claims are short; anything longer is not ours).
pub const MAX_LINK_TOKEN_LEN: usize = 512;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkClaims {
    /// Customer id.
    pub cid: String,
    /// The purpose's name.
    pub p: String,
    /// The customer's session epoch when the link was made.
    pub epoch: u64,
    /// Expiry, seconds since the Unix epoch.
    pub exp: i64,
    /// For a confirmation: the time of the pending ledger entry it confirms (single
    /// use: once confirmed, no entry is pending at that time).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<String>,
}

fn key_purpose(purpose: LinkPurpose) -> String {
    format!("link:{}", purpose.name())
}

/// A link token for `customer_id` at `epoch`, valid from `now_unix` for the purpose's
/// lifetime.
pub fn sign(
    secret: &ServerSecret,
    purpose: LinkPurpose,
    customer_id: &str,
    epoch: u64,
    now_unix: i64,
    at: Option<&str>,
) -> String {
    let claims = LinkClaims {
        cid: customer_id.to_string(),
        p: purpose.name().to_string(),
        epoch,
        exp: now_unix + purpose.ttl_seconds(),
        at: at.map(str::to_owned),
    };
    let payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&claims).unwrap_or_default());
    let signature = secret.keyed_hash(&key_purpose(purpose), &payload);
    format!("{payload}.{signature}")
}

/// The claims of a token made for `purpose`, if its signature holds and it has not
/// expired. The caller still checks the epoch against the profile.
pub fn verify(
    secret: &ServerSecret,
    purpose: LinkPurpose,
    token: &str,
    now_unix: i64,
) -> Result<LinkClaims, SessionError> {
    if token.len() > MAX_LINK_TOKEN_LEN {
        return Err(SessionError::Malformed);
    }
    let (payload, signature) = token.split_once('.').ok_or(SessionError::Malformed)?;
    let expected = secret.keyed_hash(&key_purpose(purpose), payload);
    if !bool::from(expected.as_bytes().ct_eq(signature.as_bytes())) {
        return Err(SessionError::BadSignature);
    }
    let json = URL_SAFE_NO_PAD
        .decode(payload)
        .map_err(|_| SessionError::Malformed)?;
    let claims: LinkClaims = serde_json::from_slice(&json).map_err(|_| SessionError::Malformed)?;
    if claims.p != purpose.name() {
        return Err(SessionError::BadSignature);
    }
    if claims.exp <= now_unix {
        return Err(SessionError::Expired);
    }
    Ok(claims)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> ServerSecret {
        ServerSecret::new(vec![7u8; 32]).unwrap()
    }

    #[test]
    fn a_link_works_for_its_purpose_only_until_it_expires() {
        let token = sign(&key(), LinkPurpose::Preferences, "C1", 2, 100, None);
        let claims = verify(&key(), LinkPurpose::Preferences, &token, 101).unwrap();
        assert_eq!((claims.cid.as_str(), claims.epoch), ("C1", 2));
        assert_eq!(
            verify(&key(), LinkPurpose::ConfirmMarketing, &token, 101),
            Err(SessionError::BadSignature)
        );
        let end = 100 + LinkPurpose::Preferences.ttl_seconds();
        assert_eq!(
            verify(&key(), LinkPurpose::Preferences, &token, end),
            Err(SessionError::Expired)
        );
        let rotated = ServerSecret::new(vec![8u8; 32]).unwrap();
        assert_eq!(
            verify(&rotated, LinkPurpose::Preferences, &token, 101),
            Err(SessionError::BadSignature)
        );
        // A session cookie's signature is not a link's.
        assert!(verify(&key(), LinkPurpose::Preferences, "a.b", 0).is_err());
        assert!(verify(&key(), LinkPurpose::Preferences, &"a".repeat(600), 0).is_err());
    }

    #[test]
    fn a_confirmation_names_the_pending_entry() {
        let token = sign(
            &key(),
            LinkPurpose::ConfirmMarketing,
            "C1",
            0,
            0,
            Some("2026-11-29T00:00:00.000000Z"),
        );
        let claims = verify(&key(), LinkPurpose::ConfirmMarketing, &token, 1).unwrap();
        assert_eq!(claims.at.as_deref(), Some("2026-11-29T00:00:00.000000Z"));
    }
}
