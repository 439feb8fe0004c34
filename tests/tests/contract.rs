//! The OpenAPI document (derived from the code: `ecrm_core::openapi`, assembled and
//! served at `/api/openapi.json` by `registration::openapi`) held to the code:
//!
//! - its operations are exactly `routes::ROUTES` (the SAM template is held to the same
//!   list in `infra_template.rs`, so template, runner and document agree);
//! - every error response it documents is `application/problem+json` with the Problem
//!   schema, and that schema matches what `web::Problem` serialises;
//! - every `$ref` resolves, and operation ids are unique;
//! - the runner serves the same document, and every route, asked anonymously, answers
//!   with a status the document lists for it, errors in the documented shape.
//!
//! schemathesis (`tests/fuzz/run.sh`) fuzzes the rest: generated requests, response
//! schemas, stateful links.

use ecrm_core::domain::validation::FieldError;
use ecrm_core::openapi;
use ecrm_core::routes::ROUTES;
use ecrm_core::web::Problem;
use ecrm_e2e::TestApp;
use serde_json::Value;
use std::collections::BTreeSet;

fn document() -> &'static Value {
    registration::openapi::document()
}

fn operation<'a>(doc: &'a Value, method: &str, path: &str) -> &'a Value {
    &doc["paths"][path][method.to_ascii_lowercase()]
}

#[test]
fn operations_are_exactly_the_routes() {
    let documented: BTreeSet<(String, String)> =
        openapi::operations(document()).into_iter().collect();
    let routed: BTreeSet<(String, String)> = ROUTES
        .iter()
        .map(|r| (r.method.to_string(), r.path.to_string()))
        .collect();
    let missing: Vec<_> = routed.difference(&documented).collect();
    let extra: Vec<_> = documented.difference(&routed).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "routes without an operation: {missing:?}; operations without a route: {extra:?}"
    );
    assert_eq!(document()["openapi"], "3.1.0");
}

#[test]
fn every_error_response_is_problem_json() {
    let doc = document();
    let mut checked = 0;
    for route in ROUTES {
        let op = operation(doc, route.method, route.path);
        let responses = op["responses"].as_object().expect("responses");
        assert!(
            responses.keys().any(|s| s.starts_with('2')),
            "{route:?} documents no success"
        );
        for (status, response) in responses {
            let code: u16 = status
                .parse()
                .unwrap_or_else(|_| panic!("{route:?}: {status}"));
            assert!(
                response["description"].is_string(),
                "{route:?} {status}: description"
            );
            let content = response["content"].as_object();
            if code >= 400 {
                let content = content.unwrap_or_else(|| panic!("{route:?} {status}: no content"));
                assert_eq!(
                    content.keys().collect::<Vec<_>>(),
                    ["application/problem+json"],
                    "{route:?} {status}"
                );
                assert_eq!(
                    content["application/problem+json"]["schema"]["$ref"],
                    "#/components/schemas/Problem",
                    "{route:?} {status}"
                );
                checked += 1;
            } else if code == 204 {
                assert!(content.is_none(), "{route:?} 204 has a body");
            } else {
                let content = content.unwrap_or_else(|| panic!("{route:?} {status}: no content"));
                assert_eq!(
                    content.keys().collect::<Vec<_>>(),
                    ["application/json"],
                    "{route:?} {status}"
                );
            }
        }
        // Whatever reaches the store can find it down; whatever changes data can be
        // refused as cross-site.
        if route.method != "GET" {
            assert!(responses.contains_key("403"), "{route:?}: 403");
        }
        // A route that needs a session (public ones say `security: []`, optional
        // ones list `{}` beside the session) answers 401 without one.
        let requirements = op["security"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default();
        if !requirements.is_empty() && requirements.iter().all(|r| r.get("session").is_some()) {
            assert!(responses.contains_key("401"), "{route:?}: 401");
        }
        if op.get("requestBody").is_some() {
            for status in ["400", "413", "415", "422"] {
                assert!(responses.contains_key(status), "{route:?}: {status}");
            }
        }
    }
    assert!(checked > ROUTES.len(), "only {checked} error responses");
}

#[test]
fn problem_schema_matches_the_problem_type() {
    let schema = &document()["components"]["schemas"]["Problem"];
    let properties: BTreeSet<&str> = schema["properties"]
        .as_object()
        .expect("properties")
        .keys()
        .map(String::as_str)
        .collect();
    let required: BTreeSet<&str> = schema["required"]
        .as_array()
        .expect("required")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    for problem in [
        Problem::validation(vec![FieldError::new("/email", "is required")]),
        Problem::not_found(),
        Problem::unavailable(),
    ] {
        let json = serde_json::to_value(&problem).unwrap();
        let keys: BTreeSet<&str> = json
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert!(keys.is_subset(&properties), "{keys:?} vs {properties:?}");
        assert!(required.is_subset(&keys), "{required:?} vs {keys:?}");
    }
    assert_eq!(
        required,
        ["type", "title", "status", "detail"].into_iter().collect()
    );
    let field_error = &document()["components"]["schemas"]["FieldError"];
    assert_eq!(
        field_error["required"],
        serde_json::json!(["pointer", "detail"])
    );
}

fn collect_refs<'a>(value: &'a Value, into: &mut Vec<&'a str>) {
    match value {
        Value::Object(map) => {
            for (key, inner) in map {
                match (key.as_str(), inner) {
                    ("$ref", Value::String(target)) => into.push(target),
                    _ => collect_refs(inner, into),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| collect_refs(v, into)),
        _ => {}
    }
}

#[test]
fn refs_resolve_and_operation_ids_are_unique() {
    let doc = document();
    let mut refs = Vec::new();
    collect_refs(doc, &mut refs);
    assert!(!refs.is_empty());
    for target in refs {
        let pointer = target.strip_prefix('#').expect("local $ref");
        assert!(doc.pointer(pointer).is_some(), "dangling $ref {target}");
    }
    let mut ids = BTreeSet::new();
    for (method, path) in openapi::operations(doc) {
        let id = operation(doc, &method, &path)["operationId"]
            .as_str()
            .unwrap_or_else(|| panic!("{method} {path}: operationId"))
            .to_string();
        assert!(ids.insert(id.clone()), "operationId {id} twice");
    }
    // Links name operations that exist.
    let mut links = Vec::new();
    collect_link_targets(doc, &mut links);
    assert!(links.len() >= 5, "{links:?}");
    for target in links {
        assert!(ids.contains(target), "link to unknown operation {target}");
    }
}

fn collect_link_targets<'a>(value: &'a Value, into: &mut Vec<&'a str>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::Object(links)) = map.get("links") {
                for link in links.values() {
                    if let Some(id) = link["operationId"].as_str() {
                        into.push(id);
                    }
                }
            }
            map.values().for_each(|v| collect_link_targets(v, into));
        }
        Value::Array(items) => items.iter().for_each(|v| collect_link_targets(v, into)),
        _ => {}
    }
}

/// A concrete path for a route template.
fn concrete(path: &str) -> String {
    path.replace("{id}", "01ARZ3NDEKTSV4RRFFQ69G5FAV")
        .replace("{purpose}", "marketing_email")
        .replace("{receipt_id}", "2026-01-01T00:00:00.000000Z_account")
}

fn check_problem(route: &str, status: u16, headers: &reqwest::header::HeaderMap, body: &[u8]) {
    assert_eq!(
        headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default(),
        "application/problem+json",
        "{route} {status}"
    );
    let json: Value = serde_json::from_slice(body).expect("problem body is JSON");
    for member in ["type", "title", "detail"] {
        assert!(
            json[member].is_string(),
            "{route} {status}: {member} in {json}"
        );
    }
    assert_eq!(json["status"], status, "{route}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn runner_serves_the_document_and_answers_as_documented() {
    let app = TestApp::start().await;
    let response = app
        .http
        .get(app.url(openapi::PATH))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), 200);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/json")
    );
    let served: Value = response.json().await.expect("json");
    assert_eq!(
        &served,
        document(),
        "served document differs from the code's"
    );

    // Every route, anonymously, as the site's scripts would send it: the status must be
    // one the document lists, and an error must be problem+json.
    for route in ROUTES {
        let method = reqwest::Method::from_bytes(route.method.as_bytes()).unwrap();
        let op = operation(document(), route.method, route.path);
        let mut request = app.site_request(method, &concrete(route.path), None);
        if op.get("requestBody").is_some() {
            request = request.body("{}");
        }
        let response = request.send().await.expect("request");
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let body = response.bytes().await.expect("body");
        let label = format!("{} {}", route.method, route.path);
        assert!(
            op["responses"].get(status.to_string()).is_some(),
            "{label} answered {status}, which the document does not list"
        );
        if status >= 400 {
            check_problem(&label, status, &headers, &body);
        }
    }

    // A signed-in customer's view conforms to the documented required members.
    let (_, cookie) = app.sign_up("contract@example.com").await;
    let me: Value = app
        .site_request(reqwest::Method::GET, "/api/me", Some(&cookie))
        .send()
        .await
        .expect("me")
        .json()
        .await
        .expect("json");
    for member in document()["components"]["schemas"]["Me"]["required"]
        .as_array()
        .unwrap()
    {
        let member = member.as_str().unwrap();
        assert!(me.get(member).is_some(), "GET /api/me lacks {member}");
    }
    app.shutdown().await;
}
