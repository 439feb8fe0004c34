//! RFC 9457 problem details: every error the API returns has this shape.

use crate::domain::validation::FieldError;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

pub const PROBLEM_JSON: &str = "application/problem+json";

/// The most field errors one answer lists.
pub const MAX_LISTED_ERRORS: usize = 25;

/// RFC 9457 problem details: every error this API answers.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Problem {
    /// A URI reference naming the kind of problem (documented under `/problems/`).
    #[serde(rename = "type")]
    pub type_uri: String,
    pub title: String,
    /// The HTTP status, repeated.
    #[schema(minimum = 400, maximum = 599)]
    pub status: u16,
    pub detail: String,
    /// Every field at fault (validation and malformed bodies); at most 25 are listed
    /// (`MAX_LISTED_ERRORS`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[schema(max_items = 25)]
    pub errors: Vec<FieldError>,
    /// Seconds a client should wait before retrying (sent as `Retry-After`).
    #[serde(skip)]
    pub retry_after: Option<u32>,
}

impl Problem {
    pub fn new(status: StatusCode, slug: &str, title: &str, detail: impl Into<String>) -> Self {
        Self {
            type_uri: format!("/problems/{slug}"),
            title: title.into(),
            status: status.as_u16(),
            detail: detail.into(),
            errors: Vec::new(),
            retry_after: None,
        }
    }

    pub fn with_errors(mut self, errors: Vec<FieldError>) -> Self {
        self.errors = errors;
        self
    }

    /// 422: the body was well-formed JSON but broke the rules. At most
    /// [`MAX_LISTED_ERRORS`] are listed, so a large bad body cannot make a larger answer.
    pub fn validation(mut errors: Vec<FieldError>) -> Self {
        let detail = match errors.len() {
            1 => "One field needs attention.".to_string(),
            n if n > MAX_LISTED_ERRORS => {
                errors.truncate(MAX_LISTED_ERRORS);
                format!("{n} fields need attention; the first {MAX_LISTED_ERRORS} are listed.")
            }
            n => format!("{n} fields need attention."),
        };
        Self::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation",
            "Invalid request",
            detail,
        )
        .with_errors(errors)
    }

    /// 400: the body could not be read as the expected JSON.
    pub fn malformed(detail: impl Into<String>, errors: Vec<FieldError>) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "malformed-body",
            "Malformed request body",
            detail,
        )
        .with_errors(errors)
    }

    pub fn payload_too_large(limit: usize) -> Self {
        Self::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload-too-large",
            "Request body too large",
            format!("The request body must be at most {limit} bytes."),
        )
    }

    pub fn unsupported_media_type() -> Self {
        Self::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported-media-type",
            "Unsupported media type",
            "Send the request body as JSON with Content-Type: application/json.",
        )
    }

    pub fn conflict(pointer: &str, detail: &str) -> Self {
        Self::new(StatusCode::CONFLICT, "conflict", "Conflict", detail)
            .with_errors(vec![FieldError::new(pointer, detail)])
    }

    pub fn not_found() -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "not-found",
            "Not found",
            "There is nothing at this address.",
        )
    }

    pub fn method_not_allowed() -> Self {
        Self::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "method-not-allowed",
            "Method not allowed",
            "This address does not accept that HTTP method.",
        )
    }

    /// 503: the store could not be reached; nothing was changed.
    pub fn unavailable() -> Self {
        let mut p = Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "unavailable",
            "Service temporarily unavailable",
            "We could not reach our data store. Nothing was changed; please try again shortly.",
        );
        p.retry_after = Some(5);
        p
    }

    pub fn internal() -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "Internal error",
            "Something went wrong on our side. Nothing was changed.",
        )
    }

    pub fn status_code(&self) -> StatusCode {
        StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let status = self.status_code();
        let body = serde_json::to_vec(&self).unwrap_or_default();
        let mut response = (status, body).into_response();
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
        if let Some(seconds) = self.retry_after {
            headers.insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}

impl From<crate::store::StoreError> for Problem {
    fn from(error: crate::store::StoreError) -> Self {
        match error {
            crate::store::StoreError::Unavailable(_) => Problem::unavailable(),
            crate::store::StoreError::Corrupt(why) => {
                tracing::error!(error = %why, "unexpected item shape");
                Problem::internal()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serialises_rfc9457_members() {
        let p = Problem::validation(vec![FieldError::new("/email", "is required")]);
        let json = serde_json::to_value(&p).unwrap();
        assert_eq!(json["type"], "/problems/validation");
        assert_eq!(json["status"], 422);
        assert_eq!(json["errors"][0]["pointer"], "/email");
        assert!(json.get("retry_after").is_none());
    }

    #[test]
    fn the_schema_caps_errors_as_validation_does() {
        use utoipa::PartialSchema;
        let schema = serde_json::to_value(Problem::schema()).unwrap();
        assert_eq!(
            schema["properties"]["errors"]["maxItems"],
            MAX_LISTED_ERRORS
        );
    }

    #[test]
    fn a_large_bad_body_gets_a_small_answer() {
        let errors = (0..3000)
            .map(|i| FieldError::new(format!("/topics/{i}"), "is not one of the topics offered"))
            .collect();
        let p = Problem::validation(errors);
        assert_eq!(p.errors.len(), MAX_LISTED_ERRORS);
        assert!(p.detail.starts_with("3000 fields"));
        assert!(serde_json::to_vec(&p).unwrap().len() < 4096);
    }

    #[test]
    fn unavailable_sets_retry_after_and_content_type() {
        let response = Problem::unavailable().into_response();
        assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(response.headers()[header::CONTENT_TYPE], PROBLEM_JSON);
        assert_eq!(response.headers()[header::RETRY_AFTER], "5");
    }
}
