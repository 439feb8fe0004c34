//! The whole API's OpenAPI document, served by this function: the four functions'
//! parts (each from its own router's route list), assembled by `ecrm_core::openapi`.

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde_json::Value;
use std::sync::LazyLock;

static DOCUMENT: LazyLock<Value> = LazyLock::new(|| {
    ecrm_core::openapi::assemble(vec![
        ("registration", crate::api()),
        ("preferences", preferences::api()),
        ("quotes", quotes::api()),
        ("recommendations", recommendations::api()),
        ("staff", staff::api()),
    ])
});

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

    #[test]
    fn the_path_served_is_the_one_documented() {
        assert!(document()["paths"][ecrm_core::openapi::PATH]["get"].is_object());
    }
}
