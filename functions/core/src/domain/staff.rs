//! Staff sessions: signed claims (a staff address, a session id, an expiry and the
//! role), checked without a store read like customers' sessions, but signed under a
//! purpose of their own and sent in their own cookie, so a customer session can never
//! pass for a staff one. Whether the address is still staff is checked against the
//! configuration on every request: removing it from `ECRM_STAFF` ends its sessions.

use super::session::ServerSecret;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};
use subtle::ConstantTimeEq;

/// Staff sessions last a working day.
pub const STAFF_SESSION_SECONDS: i64 = 12 * 60 * 60;

const SIGNING_PURPOSE: &str = "staff-session";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffClaims {
    /// The staff member's address (normalised).
    pub staff: String,
    pub sid: String,
    pub exp: i64,
    /// Always `staff`: the role this session carries.
    pub role: String,
}

impl StaffClaims {
    pub fn new(staff: &str, now_unix: i64) -> Self {
        Self {
            staff: staff.into(),
            sid: ulid::Ulid::new().to_string(),
            exp: now_unix + STAFF_SESSION_SECONDS,
            role: "staff".into(),
        }
    }

    pub fn sign(&self, secret: &ServerSecret) -> String {
        let payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(self).unwrap_or_default());
        let signature = secret.keyed_hash(SIGNING_PURPOSE, &payload);
        format!("{payload}.{signature}")
    }

    /// The claims of a token we signed that has not expired and carries the role.
    pub fn verify(secret: &ServerSecret, token: &str, now_unix: i64) -> Option<Self> {
        let (payload, signature) = token.split_once('.')?;
        let expected = secret.keyed_hash(SIGNING_PURPOSE, payload);
        if !bool::from(expected.as_bytes().ct_eq(signature.as_bytes())) {
            return None;
        }
        let claims: Self = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).ok()?).ok()?;
        (claims.exp > now_unix && claims.role == "staff").then_some(claims)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn staff_tokens_verify_only_unchanged_and_unexpired() {
        let secret = ServerSecret::new(vec![3; 32]).unwrap();
        let claims = StaffClaims::new("eva@shop.example", 100);
        let token = claims.sign(&secret);
        assert_eq!(
            StaffClaims::verify(&secret, &token, 101),
            Some(claims.clone())
        );
        assert_eq!(StaffClaims::verify(&secret, &token, claims.exp), None);
        let other = ServerSecret::new(vec![4; 32]).unwrap();
        assert_eq!(StaffClaims::verify(&other, &token, 101), None);
        assert_eq!(StaffClaims::verify(&secret, "x.y", 101), None);
        // A customer session token is signed under another purpose: never staff.
        let customer = secret.sign(&crate::domain::session::SessionClaims {
            cid: "C1".into(),
            sid: "S".into(),
            epoch: 0,
            exp: 10_000,
        });
        assert_eq!(StaffClaims::verify(&secret, &customer, 101), None);
    }
}
