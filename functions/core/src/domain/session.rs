//! Session tokens: signed, expiring, verified without a store read (design section 4).
//!
//! A token is `base64url(claims JSON) "." base64url(HMAC-SHA256(key, first part))`.
//! Revocation works through `epoch`: the profile's `session_epoch` is bumped and every
//! read or write of the customer's data checks that the token's epoch still matches.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// Sessions last 7 days from sign-in; signing in again starts a new one.
pub const SESSION_TTL_SECONDS: i64 = 7 * 24 * 60 * 60;

pub const MIN_KEY_BYTES: usize = 32;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionClaims {
    /// Customer id.
    pub cid: String,
    /// Session id (a ULID), for logs and future per-session revocation.
    pub sid: String,
    /// The customer's `session_epoch` when the session was issued.
    pub epoch: u64,
    /// Expiry, seconds since the Unix epoch (UTC).
    pub exp: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionError {
    Malformed,
    BadSignature,
    Expired,
}

/// The server's one secret (at least 32 random bytes). It is never used directly:
/// every use derives its own HMAC key under a named purpose (session signing here;
/// the others in `crate::app::sessions::purpose`).
#[derive(Clone)]
pub struct ServerSecret(Vec<u8>);

/// The purpose under which session tokens are signed.
const SESSION_SIGNING: &[u8] = b"session\0";

impl std::fmt::Debug for ServerSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ServerSecret(…)")
    }
}

impl ServerSecret {
    pub fn new(bytes: Vec<u8>) -> Result<Self, String> {
        if bytes.len() < MIN_KEY_BYTES {
            return Err(format!(
                "session key must be at least {MIN_KEY_BYTES} bytes"
            ));
        }
        Ok(Self(bytes))
    }

    /// A key from base64url (or standard base64) text, as kept in the environment.
    pub fn from_base64(text: &str) -> Result<Self, String> {
        let text = text.trim();
        let bytes = URL_SAFE_NO_PAD
            .decode(text.trim_end_matches('='))
            .or_else(|_| base64::engine::general_purpose::STANDARD.decode(text))
            .map_err(|_| "session key is not base64".to_string())?;
        Self::new(bytes)
    }

    /// A fresh random key from the operating system's CSPRNG.
    pub fn generate() -> Result<Self, String> {
        let mut bytes = vec![0u8; MIN_KEY_BYTES];
        getrandom::fill(&mut bytes).map_err(|e| format!("no randomness: {e}"))?;
        Self::new(bytes)
    }

    pub fn to_base64(&self) -> String {
        URL_SAFE_NO_PAD.encode(&self.0)
    }

    fn mac(&self, purpose: &[u8]) -> HmacSha256 {
        // HMAC accepts keys of any length, so this cannot fail.
        let mut mac = match HmacSha256::new_from_slice(&self.0) {
            Ok(mac) => mac,
            Err(_) => unreachable!("HMAC takes keys of any length"),
        };
        mac.update(purpose);
        mac
    }

    /// Keyed hash for secrets stored at rest (sign-in codes): a leaked table does not
    /// let anyone brute-force the small code space offline.
    pub fn keyed_hash(&self, purpose: &str, value: &str) -> String {
        let mut mac = self.mac(purpose.as_bytes());
        mac.update(b"\0");
        mac.update(value.as_bytes());
        URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
    }

    pub fn sign(&self, claims: &SessionClaims) -> String {
        let payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(claims).unwrap_or_default());
        let mut mac = self.mac(SESSION_SIGNING);
        mac.update(payload.as_bytes());
        let signature = URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes());
        format!("{payload}.{signature}")
    }

    pub fn verify(&self, token: &str, now_unix: i64) -> Result<SessionClaims, SessionError> {
        let (payload, signature) = token.split_once('.').ok_or(SessionError::Malformed)?;
        let signature = URL_SAFE_NO_PAD
            .decode(signature)
            .map_err(|_| SessionError::Malformed)?;
        let mut mac = self.mac(SESSION_SIGNING);
        mac.update(payload.as_bytes());
        mac.verify_slice(&signature)
            .map_err(|_| SessionError::BadSignature)?;
        let json = URL_SAFE_NO_PAD
            .decode(payload)
            .map_err(|_| SessionError::Malformed)?;
        let claims: SessionClaims =
            serde_json::from_slice(&json).map_err(|_| SessionError::Malformed)?;
        if claims.exp <= now_unix {
            return Err(SessionError::Expired);
        }
        Ok(claims)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> ServerSecret {
        ServerSecret::new(vec![7u8; 32]).unwrap()
    }

    fn claims() -> SessionClaims {
        SessionClaims {
            cid: "C1".into(),
            sid: "S1".into(),
            epoch: 3,
            exp: 1_000,
        }
    }

    #[test]
    fn round_trips_before_expiry() {
        let token = key().sign(&claims());
        assert_eq!(key().verify(&token, 999), Ok(claims()));
    }

    #[test]
    fn expired_tokens_are_refused() {
        let token = key().sign(&claims());
        assert_eq!(key().verify(&token, 1_000), Err(SessionError::Expired));
    }

    #[test]
    fn tampering_is_detected() {
        let token = key().sign(&claims());
        let (payload, signature) = token.split_once('.').unwrap();
        let mut forged = claims();
        forged.cid = "C2".into();
        let forged_payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&forged).unwrap());
        assert_eq!(
            key().verify(&format!("{forged_payload}.{signature}"), 0),
            Err(SessionError::BadSignature)
        );
        assert_eq!(key().verify(payload, 0), Err(SessionError::Malformed));
        let other = ServerSecret::new(vec![8u8; 32]).unwrap();
        assert_eq!(other.verify(&token, 0), Err(SessionError::BadSignature));
        assert_eq!(key().verify("", 0), Err(SessionError::Malformed));
    }

    #[test]
    fn keys_need_32_bytes_and_round_trip_base64() {
        assert!(ServerSecret::new(vec![1; 31]).is_err());
        let k = ServerSecret::generate().unwrap();
        let again = ServerSecret::from_base64(&k.to_base64()).unwrap();
        assert_eq!(k.keyed_hash("p", "v"), again.keyed_hash("p", "v"));
        assert_ne!(k.keyed_hash("p", "v"), k.keyed_hash("p", "w"));
        assert!(!format!("{k:?}").contains(&k.to_base64()));
    }
}
