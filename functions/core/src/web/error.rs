//! `ApiError`: the one error type handlers return. It is a problem+json body plus any
//! headers it needs; a signed-out answer also removes the session cookie (added by
//! [`super::api`], which knows how cookies are sent).

use super::problem::Problem;
use crate::app::AppError;
use crate::store::StoreError;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

#[derive(Debug)]
pub struct ApiError {
    /// Boxed: handlers return `Result<_, ApiError>`, and the error path is the rare one.
    pub problem: Box<Problem>,
    pub headers: HeaderMap,
    /// Remove the session cookie from the browser with this answer.
    pub clear_session: bool,
}

/// Marker on a response: [`super::api`] appends a cookie-clearing `Set-Cookie`.
#[derive(Debug, Clone, Copy)]
pub struct ClearSession;

/// Mark a response so that it also signs this browser out.
pub fn clear_session(mut response: Response) -> Response {
    response.extensions_mut().insert(ClearSession);
    response
}

impl ApiError {
    pub fn status(&self) -> StatusCode {
        self.problem.status_code()
    }
}

impl From<Problem> for ApiError {
    fn from(problem: Problem) -> Self {
        Self {
            problem: Box::new(problem),
            headers: HeaderMap::new(),
            clear_session: false,
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> Self {
        Problem::from(error).into()
    }
}

fn problem_for(error: AppError) -> Problem {
    match error {
        AppError::Invalid(errors) => Problem::validation(errors),
        AppError::BadQuery { field, detail } => Problem::new(
            StatusCode::BAD_REQUEST,
            if field == "cursor" {
                "invalid-cursor"
            } else {
                "invalid-query"
            },
            match field {
                "cursor" => "Invalid cursor",
                "limit" => "Invalid limit",
                _ => "Invalid query string",
            },
            detail,
        )
        // The parameter at fault, as a member of the query string's object.
        .with_errors(vec![crate::domain::validation::FieldError::new(
            format!("/{field}"),
            detail,
        )]),
        AppError::SignedOut => super::session::unauthorized(),
        AppError::NotFound => Problem::not_found(),
        AppError::QuoteNotFound => Problem::new(
            StatusCode::NOT_FOUND,
            "quote-not-found",
            "Quote not found",
            "There is no quote here that you can see. Sign in, or use the link you were given.",
        ),
        AppError::Stale => Problem::new(
            StatusCode::PRECONDITION_FAILED,
            "precondition-failed",
            "Changed meanwhile",
            "Your data changed since you loaded it (perhaps in another window). Nothing was changed: reload and try again.",
        ),
        AppError::SignInRefused => Problem::new(
            StatusCode::UNAUTHORIZED,
            "sign-in-refused",
            "Sign-in refused",
            "That code is wrong, used or expired. Check the latest mail, or ask for a new code.",
        ),
        AppError::QuoteExpired => Problem::new(
            StatusCode::CONFLICT,
            "quote-expired",
            "Quote expired",
            "This quote is past its valid-until date and can no longer be accepted. Ask for a new quote.",
        ),
        AppError::QuoteChanged => Problem::new(
            StatusCode::CONFLICT,
            "conflict",
            "Quote changed",
            "The quote changed while it was being accepted. Please try again.",
        ),
        AppError::IdempotencyKeyReused => Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "idempotency-key-reused",
            "Idempotency-Key already used",
            "This Idempotency-Key was already used with a different request. Use a new key for a new quote.",
        ),
        AppError::Conflict {
            slug,
            title,
            detail,
        } => Problem::new(StatusCode::CONFLICT, slug, title, detail),
        AppError::Forbidden => Problem::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "Not allowed",
            "This needs a staff session. Sign in at /staff/ with a staff address.",
        ),
        AppError::TooMany { retry_after } => {
            let mut problem = Problem::new(
                StatusCode::TOO_MANY_REQUESTS,
                "too-many-requests",
                "Too many requests",
                "Too many attempts for now. Nothing was done; please try again later.",
            );
            problem.retry_after = Some(u32::try_from(retry_after.max(1)).unwrap_or(u32::MAX));
            problem
        }
        AppError::Store(error) => Problem::from(error),
        AppError::Internal(why) => {
            tracing::error!(error = why, "internal rule failed");
            Problem::internal()
        }
    }
}

impl From<AppError> for ApiError {
    fn from(error: AppError) -> Self {
        let clear_session = error == AppError::SignedOut;
        Self {
            clear_session,
            ..problem_for(error).into()
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = self.problem.into_response();
        response.headers_mut().extend(self.headers);
        if self.clear_session {
            response = clear_session(response);
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signed_out_is_401_and_clears_the_session() {
        let response = ApiError::from(AppError::SignedOut).into_response();
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
        assert!(response.extensions().get::<ClearSession>().is_some());
        let other = ApiError::from(AppError::SignInRefused).into_response();
        assert_eq!(other.status(), StatusCode::UNAUTHORIZED);
        assert!(other.extensions().get::<ClearSession>().is_none());
    }

    #[test]
    fn store_outage_is_503_with_retry_after() {
        let response =
            ApiError::from(AppError::Store(StoreError::Unavailable("x".into()))).into_response();
        assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert!(response.headers().contains_key("retry-after"));
    }
}
