//! Problems in the reader's language: a problem+json answer to a Spanish reader
//! (`Accept-Language`, which the site's scripts set to the page's language) has its
//! title, detail and field messages in Spanish, from the one table in
//! [`super::problem_es`]. Other answers pass untouched.

use super::language::from_accept_language;
use super::problem::PROBLEM_JSON;
use super::problem_es::spanish;
use crate::domain::customer::Language;
use axum::body::{Body, to_bytes};
use axum::extract::Request;
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;
use serde_json::Value;

/// Problems are small (at most 25 field errors); anything larger is passed as is.
const MAX_PROBLEM_BYTES: usize = 64 * 1024;

fn translate(text: &mut Value) {
    if let Some(es) = text.as_str().and_then(spanish) {
        *text = Value::String(es);
    }
}

/// The problem body with its texts in Spanish (untranslatable texts stay English).
pub fn to_spanish(body: &[u8]) -> Option<Vec<u8>> {
    let mut problem: Value = serde_json::from_slice(body).ok()?;
    for key in ["title", "detail"] {
        if let Some(text) = problem.get_mut(key) {
            translate(text);
        }
    }
    if let Some(errors) = problem.get_mut("errors").and_then(Value::as_array_mut) {
        for error in errors {
            if let Some(text) = error.get_mut("detail") {
                translate(text);
            }
        }
    }
    serde_json::to_vec(&problem).ok()
}

pub async fn localize_problems(request: Request, next: Next) -> Response {
    let language = request
        .headers()
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .map(from_accept_language)
        .unwrap_or(Language::En);
    let mut response = next.run(request).await;
    let is_problem = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes() == PROBLEM_JSON.as_bytes());
    if !is_problem {
        return response;
    }
    response
        .headers_mut()
        .append(header::VARY, HeaderValue::from_static("Accept-Language"));
    if language != Language::Es {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_PROBLEM_BYTES).await else {
        return Response::from_parts(parts, Body::empty());
    };
    let body = to_spanish(&bytes).unwrap_or_else(|| bytes.to_vec());
    parts.headers.remove(header::CONTENT_LENGTH);
    parts
        .headers
        .insert(header::CONTENT_LANGUAGE, HeaderValue::from_static("es"));
    Response::from_parts(parts, Body::from(body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_problem_reads_in_spanish() {
        let problem = super::super::Problem::validation(vec![
            crate::domain::validation::FieldError::new("/email", "is required"),
            crate::domain::validation::FieldError::new("/x", "a text nobody translated"),
        ]);
        let body = serde_json::to_vec(&problem).unwrap();
        let es: Value = serde_json::from_slice(&to_spanish(&body).unwrap()).unwrap();
        assert_eq!(es["title"], "Solicitud no válida");
        assert_eq!(es["detail"], "2 campos que revisar.");
        assert_eq!(es["errors"][0]["detail"], "es obligatorio");
        assert_eq!(es["errors"][0]["pointer"], "/email");
        assert_eq!(es["errors"][1]["detail"], "a text nobody translated");
        assert_eq!(es["status"], 422);
    }
}
