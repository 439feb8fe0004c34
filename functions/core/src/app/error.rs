//! The one error type of the service layer. The HTTP layer maps each variant once
//! (`crate::web::ApiError`).

use crate::domain::validation::FieldError;
use crate::store::StoreError;

#[derive(Debug, Clone, PartialEq)]
pub enum AppError {
    /// The input broke the rules; nothing was changed.
    Invalid(Vec<FieldError>),
    /// A query parameter could not be used (`field` names it).
    BadQuery {
        field: &'static str,
        detail: &'static str,
    },
    /// No session, or one that was revoked or whose customer is gone.
    SignedOut,
    /// Nothing here that this caller may see.
    NotFound,
    /// A quote that does not exist or that this reader may not see (same answer).
    QuoteNotFound,
    /// The data changed since the caller read it (`If-Match` is not current).
    Stale,
    /// A sign-in code that is wrong, used or expired.
    SignInRefused,
    QuoteExpired,
    /// The quote changed while it was being accepted.
    QuoteChanged,
    /// The same idempotency key with a different request.
    IdempotencyKeyReused,
    /// Too many requests of this kind from this email or client address; nothing was
    /// done. Try again after `retry_after` seconds.
    TooMany {
        retry_after: i64,
    },
    /// The change is not possible in the item's current state (a status machine's
    /// invalid transition, an escalation that is not due): 409, nothing changed.
    Conflict {
        slug: &'static str,
        title: &'static str,
        detail: &'static str,
    },
    /// Signed in, but without the role this route needs (a customer on a staff route).
    Forbidden,
    Store(StoreError),
    /// A rule of ours failed that input cannot cause (logged without personal data).
    Internal(&'static str),
}

impl AppError {
    /// One invalid field.
    pub fn invalid(pointer: &str, message: impl Into<String>) -> Self {
        AppError::Invalid(vec![FieldError::new(pointer, message)])
    }
}

impl From<StoreError> for AppError {
    fn from(error: StoreError) -> Self {
        AppError::Store(error)
    }
}
