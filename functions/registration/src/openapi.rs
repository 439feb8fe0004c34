//! The whole API's OpenAPI document, served by this function. With the `assemble`
//! feature (the runner and the tests) it is assembled by `ecrm_core::openapi` from the
//! five functions' parts, each from its own router's route list. The deployed function
//! serves `openapi.json`, that same document committed beside this crate, so it links
//! none of the other functions' code (the zip stays under 3.5 MiB); a test holds the
//! file to the assembled document (`make openapi-doc` rewrites it).

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde_json::Value;
use std::sync::LazyLock;

/// The committed document (`make openapi-doc`).
#[cfg(any(test, not(feature = "assemble")))]
const COMMITTED: &str = include_str!("../openapi.json");

#[cfg(feature = "assemble")]
static DOCUMENT: LazyLock<Value> = LazyLock::new(assembled);

// A file that no longer parses fails `the_committed_document_is_the_assembled_one`.
#[cfg(not(feature = "assemble"))]
static DOCUMENT: LazyLock<Value> =
    LazyLock::new(|| serde_json::from_str(COMMITTED).unwrap_or(Value::Null));

/// The document assembled from every function's route list.
#[cfg(feature = "assemble")]
pub fn assembled() -> Value {
    ecrm_core::openapi::assemble(vec![
        ("registration", crate::api()),
        ("preferences", preferences::api()),
        ("quotes", quotes::api()),
        ("recommendations", recommendations::api()),
        ("staff", staff::api()),
    ])
}

/// The document (built once per process).
pub fn document() -> &'static Value {
    &DOCUMENT
}

/// This document
///
/// The OpenAPI 3.1 document of the whole API, derived from the code.
#[utoipa::path(get, path = "/api/openapi.json", operation_id = "openapi",
    responses((status = 200, description = "The OpenAPI 3.1 document.", body = Object)))]
pub(crate) async fn serve() -> Response {
    let mut response = axum::Json(document()).into_response();
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=300"),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;
    use ecrm_core::routes::ROUTES;

    /// `routes::ROUTES` (the SAM template's and IAM facts' list) is exactly the
    /// document's operations, each on the function that owns it.
    #[test]
    fn routes_are_exactly_the_documents_operations() {
        let documented = ecrm_core::openapi::operations_by_function(document());
        let mut listed: Vec<(String, String, String)> = ROUTES
            .iter()
            .map(|r| (r.function.into(), r.method.into(), r.path.into()))
            .collect();
        listed.sort();
        assert_eq!(documented, listed);
    }

    /// The file the deployed function serves is the document the code describes.
    /// `ECRM_WRITE_OPENAPI=1` (`make openapi-doc`) rewrites it first.
    #[cfg(feature = "assemble")]
    #[test]
    fn the_committed_document_is_the_assembled_one() {
        let assembled = assembled();
        let mut text = serde_json::to_string_pretty(&assembled).unwrap_or_default();
        text.push('\n');
        if std::env::var_os("ECRM_WRITE_OPENAPI").is_some() {
            let path = concat!(env!("CARGO_MANIFEST_DIR"), "/openapi.json");
            std::fs::write(path, &text).expect("openapi.json is writable");
            return;
        }
        let committed: Value = serde_json::from_str(COMMITTED).expect("openapi.json parses");
        assert!(
            committed == assembled,
            "functions/registration/openapi.json is not the document the code describes: run `make openapi-doc`"
        );
    }

    #[test]
    fn the_path_served_is_the_one_documented() {
        assert!(document()["paths"][ecrm_core::openapi::PATH]["get"].is_object());
    }
}
