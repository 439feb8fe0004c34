//! The session cookie and the extractor that gives handlers the signed-in customer.
//!
//! The cookie is `HttpOnly; SameSite=Strict; Path=/api`, plus `Secure` everywhere but
//! the plain-http loopback runner. It holds a signed token (see
//! [`crate::domain::session`]), so checking it costs no store read.

use super::AppState;
use super::error::ApiError;
use super::problem::Problem;
use crate::app::AppError;
use crate::domain::session::{SESSION_TTL_SECONDS, ServerSecret, SessionClaims};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};

pub const COOKIE_NAME: &str = "ecrm_session";

/// What signs sessions and how cookies are sent.
#[derive(Debug, Clone)]
pub struct SessionConfig {
    pub key: ServerSecret,
    /// Send cookies with `Secure` (false only for the loopback runner over http).
    pub secure_cookies: bool,
    /// The site's origin (`https://example.com`), for the cross-site check; `None`
    /// means "the origin the request was addressed to" (local runner).
    pub public_origin: Option<String>,
}

impl SessionConfig {
    /// Sign a new session for a customer at their current epoch, starting now.
    pub fn issue(&self, customer_id: &str, epoch: u64) -> (SessionClaims, HeaderValue) {
        self.issue_at(
            customer_id,
            epoch,
            crate::domain::clock::now().unix_timestamp(),
        )
    }

    /// Sign a new session starting at `now_unix` (the app's clock).
    pub fn issue_at(
        &self,
        customer_id: &str,
        epoch: u64,
        now_unix: i64,
    ) -> (SessionClaims, HeaderValue) {
        let claims = SessionClaims {
            cid: customer_id.into(),
            sid: ulid::Ulid::new().to_string(),
            epoch,
            exp: now_unix + SESSION_TTL_SECONDS,
        };
        let token = self.key.sign(&claims);
        (claims, self.cookie(&token, SESSION_TTL_SECONDS))
    }

    /// A `Set-Cookie` value that removes the session from this browser.
    pub fn clearing_cookie(&self) -> HeaderValue {
        self.cookie("", 0)
    }

    fn cookie(&self, token: &str, max_age: i64) -> HeaderValue {
        let secure = if self.secure_cookies { "; Secure" } else { "" };
        let value = format!(
            "{COOKIE_NAME}={token}; Path=/api; Max-Age={max_age}; HttpOnly; SameSite=Strict{secure}"
        );
        // Tokens are base64url and '.', always valid header text.
        HeaderValue::from_str(&value).unwrap_or_else(|_| HeaderValue::from_static(""))
    }
}

/// The session token from the `Cookie` header(s), if any.
pub fn session_token(headers: &HeaderMap) -> Option<&str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE_NAME)
        .map(|(_, value)| value)
        .filter(|value| !value.is_empty())
}

pub fn unauthorized() -> Problem {
    Problem::new(
        StatusCode::UNAUTHORIZED,
        "unauthorized",
        "Sign-in required",
        "Sign in to see or change this.",
    )
}

/// The signed-in customer, from a valid, unexpired session cookie; otherwise the
/// request is answered 401 and the cookie removed. Whether the session was revoked is
/// decided by [`crate::app::live`] with the read or write the use case makes anyway,
/// at no extra cost.
#[derive(Debug, Clone)]
pub struct SignedIn(pub SessionClaims);

impl SignedIn {
    pub fn customer_id(&self) -> &str {
        &self.0.cid
    }

    pub fn claims(&self) -> &SessionClaims {
        &self.0
    }
}

/// The session's claims if the cookie is present, signed by us and unexpired.
fn verified(parts: &Parts, state: &AppState) -> Option<SessionClaims> {
    let token = session_token(&parts.headers)?;
    state.sessions.key.verify(token, state.clock().unix()).ok()
}

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        verified(parts, state)
            .map(SignedIn)
            .ok_or_else(|| AppError::SignedOut.into())
    }
}

/// A session if the request carries a valid one; routes open to visitors and members
/// (quotes) take this instead of [`SignedIn`].
#[derive(Debug, Clone)]
pub struct MaybeSignedIn(pub Option<SessionClaims>);

impl FromRequestParts<AppState> for MaybeSignedIn {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(MaybeSignedIn(verified(parts, state)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(secure: bool) -> SessionConfig {
        SessionConfig {
            key: ServerSecret::new(vec![1; 32]).unwrap(),
            secure_cookies: secure,
            public_origin: None,
        }
    }

    #[test]
    fn cookie_attributes() {
        let (_, cookie) = config(true).issue("C1", 0);
        let text = cookie.to_str().unwrap();
        assert!(text.starts_with("ecrm_session="));
        for attribute in [
            "Path=/api",
            "HttpOnly",
            "SameSite=Strict",
            "Secure",
            "Max-Age=604800",
        ] {
            assert!(text.contains(attribute), "{attribute} in {text}");
        }
        assert!(
            !config(false)
                .issue("C1", 0)
                .1
                .to_str()
                .unwrap()
                .contains("Secure")
        );
        assert!(
            config(true)
                .clearing_cookie()
                .to_str()
                .unwrap()
                .contains("Max-Age=0")
        );
    }

    #[test]
    fn token_is_found_among_other_cookies() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; ecrm_session=tok.sig; b=2"),
        );
        assert_eq!(session_token(&headers), Some("tok.sig"));
        headers.insert(header::COOKIE, HeaderValue::from_static("ecrm_session="));
        assert_eq!(session_token(&headers), None);
    }
}
