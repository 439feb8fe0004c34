//! JSON request bodies: content type checked (415), size limited (413), and parse
//! failures reported with a JSON pointer to the field at fault (400).

use super::problem::Problem;
use super::strict::Strict;
use crate::domain::validation::{FieldError, pointer_token};
use axum::extract::{FromRequest, Request};
use axum::http::header;
use http_body_util::{BodyExt, Limited};
use serde::Deserialize;
use serde::de::DeserializeOwned;

/// Largest request body any route accepts. Sign-up bodies are a few hundred bytes;
/// 16 KiB leaves room for every form while keeping hostile bodies cheap to refuse.
pub const BODY_LIMIT_BYTES: usize = 16 * 1024;

/// A JSON body, deserialised into `T`, with problem+json rejections.
#[derive(Debug, Clone)]
pub struct Json<T>(pub T);

fn is_json(content_type: &str) -> bool {
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    essence == "application/json"
        || (essence.starts_with("application/") && essence.ends_with("+json"))
}

fn pointer_of(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut pointer = String::new();
    for segment in path.iter() {
        match segment {
            Segment::Seq { index } => pointer.push_str(&format!("/{index}")),
            Segment::Map { key } | Segment::Enum { variant: key } => {
                pointer.push('/');
                pointer.push_str(&pointer_token(key));
            }
            Segment::Unknown => {}
        }
    }
    pointer
}

fn not_json(error: &serde_json::Error) -> Problem {
    Problem::malformed(
        format!(
            "The body is not valid JSON (line {}, column {}).",
            error.line(),
            error.column()
        ),
        Vec::new(),
    )
}

/// Parse bytes as `T`, naming the field at fault on failure. The JSON is read first,
/// then `T` from it strictly (an object never from an array: see [`super::strict`]).
pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, Problem> {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let json = serde_json::Value::deserialize(&mut deserializer).map_err(|e| not_json(&e))?;
    if deserializer.end().is_err() {
        return Err(Problem::malformed(
            "The body has data after the JSON value.",
            Vec::new(),
        ));
    }
    let value: Result<T, _> = serde_path_to_error::deserialize(Strict(&json));
    value.map_err(|error| {
        let pointer = pointer_of(error.path());
        let inner = error.inner();
        // serde's messages describe types and field names, never the submitted values.
        let message = inner.to_string();
        let message = message
            .split(" at line ")
            .next()
            .unwrap_or(&message)
            .to_string();
        // For an unknown field, serde_path_to_error's path already ends with it.
        if message.starts_with("unknown field") {
            return Problem::malformed(
                "The body has a field this API does not know.",
                vec![FieldError::new(pointer, "is not a known field")],
            );
        }
        let at = if pointer.is_empty() {
            "/".to_string()
        } else {
            pointer
        };
        Problem::malformed(
            "A field has the wrong JSON type.",
            vec![FieldError::new(at, message)],
        )
    })
}

impl<S, T> FromRequest<S> for Json<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = Problem;

    async fn from_request(request: Request, _state: &S) -> Result<Self, Self::Rejection> {
        let content_type = request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        if !is_json(content_type) {
            return Err(Problem::unsupported_media_type());
        }
        let declared_too_large = request
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<usize>().ok())
            .is_some_and(|len| len > BODY_LIMIT_BYTES);
        if declared_too_large {
            return Err(Problem::payload_too_large(BODY_LIMIT_BYTES));
        }
        let body = Limited::new(request.into_body(), BODY_LIMIT_BYTES);
        let bytes = match body.collect().await {
            Ok(collected) => collected.to_bytes(),
            Err(error) if error.is::<http_body_util::LengthLimitError>() => {
                return Err(Problem::payload_too_large(BODY_LIMIT_BYTES));
            }
            Err(_) => {
                return Err(Problem::malformed(
                    "The request body could not be read.",
                    Vec::new(),
                ));
            }
        };
        parse(&bytes).map(Json)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Body {
        name: Option<String>,
        inner: Option<Inner>,
        list: Option<Vec<String>>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Inner {
        flag: Option<bool>,
    }

    fn error_pointer(body: &str) -> (u16, Vec<String>) {
        let p = parse::<Body>(body.as_bytes()).unwrap_err();
        (p.status, p.errors.into_iter().map(|e| e.pointer).collect())
    }

    #[test]
    fn an_object_is_never_read_from_an_array() {
        assert_eq!(
            error_pointer(r#"{"inner": [true]}"#),
            (400, vec!["/inner".into()])
        );
        assert_eq!(
            error_pointer(r#"["a", null, null]"#),
            (400, vec!["/".into()])
        );
        assert!(parse::<Body>(br#"{"inner": {"flag": true}, "list": ["a"]}"#).is_ok());
    }

    #[test]
    fn type_errors_name_the_field() {
        assert_eq!(error_pointer(r#"{"name": 5}"#), (400, vec!["/name".into()]));
        assert_eq!(
            error_pointer(r#"{"inner": {"flag": "yes"}}"#),
            (400, vec!["/inner/flag".into()])
        );
        assert_eq!(
            error_pointer(r#"{"list": ["a", 3]}"#),
            (400, vec!["/list/1".into()])
        );
    }

    #[test]
    fn unknown_fields_are_named() {
        assert_eq!(
            error_pointer(r#"{"nmae": "x"}"#),
            (400, vec!["/nmae".into()])
        );
        assert_eq!(
            error_pointer(r#"{"inner": {"flg": true}}"#),
            (400, vec!["/inner/flg".into()])
        );
    }

    #[test]
    fn syntax_errors_and_trailing_data_are_400() {
        assert_eq!(parse::<Body>(b"{").unwrap_err().status, 400);
        assert_eq!(parse::<Body>(b"{} {}").unwrap_err().status, 400);
        assert_eq!(parse::<Body>(b"[]").unwrap_err().status, 400);
    }

    #[test]
    fn json_content_types() {
        assert!(is_json("application/json"));
        assert!(is_json("Application/JSON; charset=utf-8"));
        assert!(is_json("application/merge-patch+json"));
        assert!(!is_json("text/plain"));
        assert!(!is_json(""));
    }
}
