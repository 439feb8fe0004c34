//! The staff session cookie and the extractor staff routes take.
//!
//! `ecrm_staff`: `HttpOnly; SameSite=Strict; Path=/api/staff` (`Secure` but on the
//! loopback runner), 12 hours. A request without a valid staff session is 401, or 403
//! when it carries a customer session instead (a customer on a staff route).

use super::AppState;
use super::error::ApiError;
use crate::app::AppError;
use crate::domain::staff::{STAFF_SESSION_SECONDS, StaffClaims};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, header};

pub const STAFF_COOKIE: &str = "ecrm_staff";

/// The staff token from the `Cookie` header(s), if any.
pub fn staff_token(headers: &HeaderMap) -> Option<&str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == STAFF_COOKIE)
        .map(|(_, value)| value)
        .filter(|value| !value.is_empty())
}

/// The `Set-Cookie` value for a new staff session (or, with `None`, one that removes it).
pub fn staff_cookie(state: &AppState, claims: Option<&StaffClaims>) -> HeaderValue {
    let secure = if state.sessions.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    let (token, max_age) = match claims {
        Some(claims) => (claims.sign(&state.app.secret), STAFF_SESSION_SECONDS),
        None => (String::new(), 0),
    };
    let value = format!(
        "{STAFF_COOKIE}={token}; Path=/api/staff; Max-Age={max_age}; HttpOnly; SameSite=Strict{secure}"
    );
    HeaderValue::from_str(&value).unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// A signed-in staff member whose address is still configured as staff.
#[derive(Debug, Clone)]
pub struct Staff(pub StaffClaims);

impl FromRequestParts<AppState> for Staff {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let now = state.clock().unix();
        let claims = staff_token(&parts.headers)
            .and_then(|token| StaffClaims::verify(&state.app.secret, token, now));
        if let Some(claims) = crate::app::staff::authorise(&state.app, claims) {
            return Ok(Staff(claims));
        }
        let customer = super::session::session_token(&parts.headers)
            .is_some_and(|token| state.sessions.key.verify(token, now).is_ok());
        Err(if customer {
            AppError::Forbidden.into()
        } else {
            ApiError::from(super::session::unauthorized())
        })
    }
}
