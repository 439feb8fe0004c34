//! The OpenAPI 3.1 document of the whole API, derived from the code with utoipa.
//!
//! - Operations come from the handlers' `#[utoipa::path]` attributes, collected by each
//!   function's `OpenApiRouter` (`routes!`), the same list that builds its axum router.
//!   The registration function serves the whole API's document, assembled here from
//!   the four functions' parts ([`assemble`]); each operation is tagged with the
//!   function that owns it, so the document can be checked against
//!   [`crate::routes::ROUTES`] (the SAM template's and IAM facts' list).
//! - Request and response bodies are the Rust types (`#[derive(ToSchema)]`); rules
//!   that the types alone do not say (lengths, patterns, enumerations from the site
//!   facts and the bundled catalog) come from [`rules`], next to the code that
//!   enforces them.
//! - Every error response is `application/problem+json` with the [`Problem`] schema:
//!   the sets in this module ([`BodyErrors`], [`CrossSite`], [`SignedOut`],
//!   [`StoreDown`], [`TooMany`]) are listed in each handler's `responses(...)`.
//!
//! Served at `GET /api/openapi.json`; checked by `tests/tests/contract.rs`, fuzzed by
//! schemathesis (`tests/fuzz/run.sh`) and linted by redocly (`make openapi-lint`).

pub mod rules;

use crate::web::Problem;
use crate::web::json::BODY_LIMIT_BYTES;
use crate::web::problem::PROBLEM_JSON;
use serde_json::Value;
use std::collections::BTreeMap;
use utoipa::openapi::header::HeaderBuilder;
use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityScheme};
use utoipa::openapi::{
    ComponentsBuilder, ContentBuilder, InfoBuilder, LicenseBuilder, OpenApi, OpenApiBuilder,
    PathItem, Ref, RefOr, Response, ResponseBuilder, ServerBuilder,
};
use utoipa::{IntoResponses, ToSchema};

pub const PATH: &str = "/api/openapi.json";

/// The security scheme of the session cookie (`security(("session" = []))`).
pub const SESSION: &str = "session";

/// The security scheme of the staff session cookie (`security(("staff_session" = []))`).
pub const STAFF_SESSION: &str = "staff_session";

/// A problem+json response with `description`.
pub fn problem(description: &str) -> ResponseBuilder {
    ResponseBuilder::new().description(description).content(
        PROBLEM_JSON,
        ContentBuilder::new()
            .schema(Some(Ref::from_schema_name(Problem::name())))
            .build(),
    )
}

fn responses<const N: usize>(
    list: [(u16, ResponseBuilder); N],
) -> BTreeMap<String, RefOr<Response>> {
    list.into_iter()
        .map(|(status, response)| (status.to_string(), response.build().into()))
        .collect()
}

/// What can go wrong with a JSON body (`web::Json`): 400, 413, 415 and 422.
pub struct BodyErrors;

impl IntoResponses for BodyErrors {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        responses([
            (
                400,
                problem(
                    "The body is not JSON, has a wrong type or an unknown field (`errors[]` names it).",
                ),
            ),
            (
                413,
                problem(&format!("The body is over {BODY_LIMIT_BYTES} bytes.")),
            ),
            (415, problem("The body is not sent as application/json.")),
            (
                422,
                problem("The body breaks the rules: every field at fault is named in `errors[]`."),
            ),
        ])
    }
}

/// A request that changes data from another site (`web::api` checks `Origin`): 403.
pub struct CrossSite;

impl IntoResponses for CrossSite {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        responses([(
            403,
            problem("Refused: a request that changes data must come from this site (Origin)."),
        )])
    }
}

/// A route behind `SignedIn`: 401 without a valid session.
pub struct SignedOut;

impl IntoResponses for SignedOut {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        responses([(
            401,
            problem("No valid session (signed out, expired or revoked)."),
        )])
    }
}

/// A route that reaches the store: 503 with `Retry-After` when it cannot.
pub struct StoreDown;

impl IntoResponses for StoreDown {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        responses([(
            503,
            problem("The data store could not be reached; nothing was changed.").header(
                "Retry-After",
                retry_after("Seconds to wait before retrying."),
            ),
        )])
    }
}

/// A route with abuse limits (`domain::limits`): 429 with `Retry-After`, the same for
/// registered and unregistered emails.
pub struct TooMany;

impl IntoResponses for TooMany {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        responses([(
            429,
            problem(
                "Too many requests of this kind from this email or address for now; nothing was done.",
            )
            .header("Retry-After", retry_after("Seconds until the limit's window ends.")),
        )])
    }
}

/// A `Retry-After` header: whole seconds.
fn retry_after(description: &str) -> utoipa::openapi::header::Header {
    HeaderBuilder::new()
        .schema(
            ObjectBuilder::new()
                .schema_type(Type::Integer)
                .minimum(Some(0)),
        )
        .description(Some(description))
        .build()
}

/// The whole API's document from each function's part (`(function, its OpenApi)`):
/// shared `info`, the session cookie scheme and the Problem schemas; every operation
/// tagged with its function, and `security: []` on those that need no session.
pub fn assemble(parts: Vec<(&'static str, OpenApi)>) -> Value {
    let mut whole = base();
    for (function, mut part) in parts {
        for item in part.paths.paths.values_mut() {
            for operation in operations_of(item) {
                operation.tags = Some(vec![function.to_string()]);
                operation.security.get_or_insert_with(Vec::new);
            }
        }
        whole.merge(part);
    }
    rules::refine(&mut whole);
    let mut document = serde_json::to_value(&whole).unwrap_or(Value::Null);
    fix_links(&mut document);
    if let Some(Value::Object(schemas)) = document.pointer_mut("/components/schemas") {
        schemas.values_mut().for_each(merge_flattened);
    }
    document
}

/// A type with a `#[serde(flatten)]` field comes out of utoipa 5 as an `allOf` of
/// inline objects; the JSON it describes is one object, so say it as one (its
/// `required` then lists every member, as clients and tests read it).
fn merge_flattened(schema: &mut Value) {
    let Some(Value::Array(parts)) = schema.get("allOf") else {
        return;
    };
    if !parts
        .iter()
        .all(|p| p["type"] == "object" && p.get("$ref").is_none())
    {
        return;
    }
    let mut properties = serde_json::Map::new();
    let mut required = Vec::new();
    for part in parts {
        if let Some(Value::Object(p)) = part.get("properties") {
            properties.extend(p.clone());
        }
        if let Some(Value::Array(r)) = part.get("required") {
            required.extend(r.iter().cloned());
        }
    }
    if let Value::Object(map) = schema {
        map.remove("allOf");
        map.insert("type".into(), "object".into());
        map.insert("properties".into(), Value::Object(properties));
        map.insert("required".into(), Value::Array(required));
    }
}

fn base() -> OpenApi {
    let session = ApiKeyValue::with_description(
        crate::web::session::COOKIE_NAME,
        "The session cookie that sign-up and sign-in set (HttpOnly, SameSite=Strict, Path=/api).",
    );
    OpenApiBuilder::new()
        .info(
            InfoBuilder::new()
                .title("eCRM API")
                .version(env!("CARGO_PKG_VERSION"))
                .description(Some(
                    "Sign-up and sign-in, the customer's own data (/api/me), the catalog and quotes. Errors are RFC 9457 application/problem+json. Requests that change data must come from the site itself (Origin) and send JSON.",
                ))
                .license(Some(LicenseBuilder::new().name("MIT").identifier(Some("MIT")).build())),
        )
        .servers(Some([ServerBuilder::new().url("/").build()]))
        .components(Some(
            ComponentsBuilder::new()
                .schema_from::<Problem>()
                .security_scheme(SESSION, SecurityScheme::ApiKey(ApiKey::Cookie(session)))
                .security_scheme(
                    STAFF_SESSION,
                    SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                        crate::web::staff::STAFF_COOKIE,
                        "The staff session cookie that staff sign-in sets (HttpOnly, SameSite=Strict, Path=/api/staff).",
                    ))),
                )
                .build(),
        ))
        .build()
}

fn operations_of(
    item: &mut PathItem,
) -> impl Iterator<Item = &mut utoipa::openapi::path::Operation> {
    [
        &mut item.get,
        &mut item.put,
        &mut item.post,
        &mut item.delete,
        &mut item.options,
        &mut item.head,
        &mut item.patch,
        &mut item.trace,
    ]
    .into_iter()
    .filter_map(Option::as_mut)
}

/// utoipa 5 writes a Link object's fields in snake case (`operation_id`; fixed in
/// utoipa 6); OpenAPI names them `operationId`, `operationRef` and `requestBody`.
fn fix_links(value: &mut Value) {
    match value {
        Value::Object(map) => {
            if let Some(Value::Object(links)) = map.get_mut("links") {
                for link in links.values_mut() {
                    if let Value::Object(link) = link {
                        for (from, to) in [
                            ("operation_id", "operationId"),
                            ("operation_ref", "operationRef"),
                            ("request_body", "requestBody"),
                        ] {
                            if let Some(v) = link.remove(from) {
                                link.insert(to.to_string(), v);
                            }
                        }
                    }
                }
            }
            map.values_mut().for_each(fix_links);
        }
        Value::Array(items) => items.iter_mut().for_each(fix_links),
        _ => {}
    }
}

/// `(METHOD, path)` of every operation a document describes.
pub fn operations(document: &Value) -> Vec<(String, String)> {
    operations_by_function(document)
        .into_iter()
        .map(|(_, method, path)| (method, path))
        .collect()
}

/// `(function, METHOD, path)` of every operation, the function being its tag.
pub fn operations_by_function(document: &Value) -> Vec<(String, String, String)> {
    let mut found = Vec::new();
    if let Some(paths) = document["paths"].as_object() {
        for (path, item) in paths {
            for (method, operation) in item.as_object().into_iter().flatten() {
                let function = operation["tags"][0].as_str().unwrap_or_default();
                found.push((
                    function.to_string(),
                    method.to_ascii_uppercase(),
                    path.clone(),
                ));
            }
        }
    }
    found.sort();
    found
}
