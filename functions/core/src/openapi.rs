//! The OpenAPI 3.1 document of the whole API, generated from the code: its paths are
//! [`crate::routes::ROUTES`] (each operation is looked up by method and path, and a
//! route without one fails the contract test), its enumerations come from the same
//! facts the API validates against (topics, countries, catalog SKUs, consent
//! purposes), and every error response is the one problem+json shape of
//! [`crate::web::Problem`]. Served at `GET /api/openapi.json`; checked by
//! `tests/tests/contract.rs` and fuzzed by schemathesis (`tests/fuzz/run.sh`).

use crate::domain::address::MAX_ADDRESSES;
use crate::domain::catalog::MAX_SKU_CHARS;
use crate::domain::consent::Purpose;
use crate::domain::quote::MAX_LINES;
use crate::routes::ROUTES;
use crate::site_config;
use crate::web::json::BODY_LIMIT_BYTES;
use serde_json::{Map, Value, json};
use std::sync::LazyLock;

pub const PATH: &str = "/api/openapi.json";

fn problem_ref() -> Value {
    json!({ "$ref": "#/components/schemas/Problem" })
}

fn schema_ref(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{name}") })
}

/// An error response: always `application/problem+json` with the Problem schema.
fn problem(description: &str) -> Value {
    json!({
        "description": description,
        "content": { "application/problem+json": { "schema": problem_ref() } },
    })
}

fn retry_after_problem() -> Value {
    let mut response = problem("The data store could not be reached; nothing was changed.");
    response["headers"] = json!({
        "Retry-After": { "description": "Seconds to wait before retrying.", "schema": { "type": "integer" } }
    });
    response
}

/// Routes with abuse limits (`domain::limits`): they may answer 429.
const LIMITED: &[(&str, &str)] = &[
    ("POST", "/api/customers"),
    ("POST", "/api/sessions"),
    ("POST", "/api/sessions/verify"),
    ("POST", "/api/quotes"),
    ("PATCH", "/api/me"),
    ("DELETE", "/api/me"),
];

fn too_many() -> Value {
    let mut response = problem(
        "Too many requests of this kind from this email or address for now; nothing was done.",
    );
    response["headers"] = json!({
        "Retry-After": { "description": "Seconds until the limit's window ends.", "schema": { "type": "integer" } }
    });
    response
}

fn ok_json(description: &str, schema: Value) -> Value {
    json!({
        "description": description,
        "content": { "application/json": { "schema": schema } },
    })
}

fn with_headers(mut response: Value, headers: Value) -> Value {
    response["headers"] = headers;
    response
}

fn header(description: &str) -> Value {
    json!({ "description": description, "schema": { "type": "string" } })
}

fn json_body(schema: Value) -> Value {
    json!({
        "required": true,
        "content": { "application/json": { "schema": schema } },
    })
}

/// What an operation can go wrong with, beyond its own answers.
#[derive(Clone, Copy, Default)]
struct Fails {
    /// Takes a JSON body: 400 (malformed), 413, 415, 422.
    body: bool,
    /// Changes data: 403 for a cross-site request.
    writes: bool,
    /// Needs a session: 401.
    signed_in: bool,
    /// Reaches the store: 503.
    store: bool,
}

fn operation(
    id: &str,
    summary: &str,
    tag: &str,
    fails: Fails,
    mut responses: Map<String, Value>,
) -> Value {
    let mut add = |status: &str, response: Value| {
        responses.entry(status.to_string()).or_insert(response);
    };
    if fails.body {
        add(
            "400",
            problem(
                "The body is not JSON, has a wrong type or an unknown field (`errors[]` names it).",
            ),
        );
        add(
            "413",
            problem(&format!("The body is over {BODY_LIMIT_BYTES} bytes.")),
        );
        add("415", problem("The body is not sent as application/json."));
        add(
            "422",
            problem("The body breaks the rules: every field at fault is named in `errors[]`."),
        );
    }
    if fails.writes {
        add(
            "403",
            problem("Refused: a request that changes data must come from this site (Origin)."),
        );
    }
    if fails.signed_in {
        add(
            "401",
            problem("No valid session (signed out, expired or revoked)."),
        );
    }
    if fails.store {
        add("503", retry_after_problem());
    }
    let mut op = json!({
        "operationId": id,
        "summary": summary,
        "tags": [tag],
        "responses": responses,
    });
    if fails.signed_in {
        op["security"] = json!([{ "session": [] }]);
    }
    op
}

fn responses(list: Vec<(&str, Value)>) -> Map<String, Value> {
    list.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
}

fn path_param(name: &str, description: &str, schema: Value) -> Value {
    json!({ "name": name, "in": "path", "required": true, "description": description, "schema": schema })
}

fn ulid_schema() -> Value {
    json!({ "type": "string", "description": "A ULID (26 Crockford base-32 characters)." })
}

fn health(function: &str) -> Value {
    operation(
        &format!("health_{function}"),
        &format!("Whether the {function} function answers"),
        "health",
        Fails::default(),
        responses(vec![("200", ok_json("It answers.", schema_ref("Health")))]),
    )
}

const SET_COOKIE: &str =
    "The session cookie (`ecrm_session`, HttpOnly, SameSite=Strict, Path=/api).";

/// The operation for one route, by method and path.
fn operation_for(method: &str, path: &str) -> Option<Value> {
    let body = Fails {
        body: true,
        writes: true,
        store: true,
        signed_in: false,
    };
    let me = Fails {
        signed_in: true,
        store: true,
        ..Fails::default()
    };
    let me_body = Fails {
        signed_in: true,
        ..body
    };
    let op = match (method, path) {
        ("GET", "/api/health/registration") => health("registration"),
        ("GET", "/api/health/preferences") => health("preferences"),
        ("GET", "/api/health/quotes") => health("quotes"),
        ("GET", "/api/health/recommendations") => health("recommendations"),
        ("GET", "/api/openapi.json") => operation(
            "openapi",
            "This document",
            "meta",
            Fails::default(),
            responses(vec![(
                "200",
                ok_json("The OpenAPI 3.1 document.", json!({ "type": "object" })),
            )]),
        ),
        ("POST", "/api/customers") => {
            let mut op = operation(
                "sign_up",
                "Sign up, with consent per purpose: a code is mailed to the address, and the account exists once the code is verified at /api/sessions/verify (the same answer whether or not the email is registered)",
                "registration",
                body,
                responses(vec![(
                    "202",
                    ok_json(
                        "Accepted: check your email for the code.",
                        schema_ref("Accepted"),
                    ),
                )]),
            );
            op["requestBody"] = json_body(schema_ref("SignUpRequest"));
            op
        }
        ("POST", "/api/sessions") => {
            let mut op = operation(
                "request_code",
                "Mail a single-use sign-in code (the same answer whether or not the email is registered)",
                "registration",
                body,
                responses(vec![("202", ok_json("Accepted.", schema_ref("Accepted")))]),
            );
            op["requestBody"] = json_body(json!({
                "type": "object",
                "additionalProperties": false,
                "required": ["email"],
                "properties": { "email": { "type": "string", "maxLength": 254 } },
            }));
            op
        }
        ("POST", "/api/sessions/verify") => {
            let mut op = operation(
                "verify_code",
                "Sign in, or finish signing up, with the mailed code",
                "registration",
                body,
                responses(vec![
                    (
                        "200",
                        with_headers(
                            ok_json("Signed in.", schema_ref("Session")),
                            json!({ "Set-Cookie": header(SET_COOKIE) }),
                        ),
                    ),
                    ("401", problem("The code is wrong, used or expired.")),
                ]),
            );
            op["requestBody"] = json_body(json!({
                "type": "object",
                "additionalProperties": false,
                "required": ["email", "code"],
                "properties": {
                    "email": { "type": "string", "maxLength": 254 },
                    "code": { "type": "string", "description": "`XXXX-XXXX` as mailed." },
                    "keep_other_sessions": { "type": "boolean", "description": "Keep the customer's sessions on other devices; by default signing in ends them." },
                },
            }));
            op
        }
        ("GET", "/api/sessions/current") => operation(
            "current_session",
            "Who is signed in",
            "registration",
            me,
            responses(vec![(
                "200",
                ok_json("The signed-in customer.", schema_ref("Session")),
            )]),
        ),
        ("DELETE", "/api/sessions/current") => operation(
            "sign_out",
            "Sign out in this browser",
            "registration",
            Fails {
                writes: true,
                ..Fails::default()
            },
            responses(vec![(
                "204",
                with_headers(
                    json!({ "description": "Signed out." }),
                    json!({ "Set-Cookie": header("Clears the session cookie.") }),
                ),
            )]),
        ),
        ("POST", "/api/me/sessions/revoke") => operation(
            "revoke_sessions",
            "Sign out everywhere, this browser included",
            "registration",
            Fails { writes: true, ..me },
            responses(vec![(
                "204",
                json!({ "description": "Every session is revoked." }),
            )]),
        ),
        ("GET", "/api/me") => operation(
            "show_me",
            "Profile, preferences, addresses and consents (one Query)",
            "preferences",
            me,
            responses(vec![(
                "200",
                with_headers(
                    ok_json("The customer's data.", schema_ref("Me")),
                    json!({ "ETag": header("The profile version, for If-Match.") }),
                ),
            )]),
        ),
        ("PATCH", "/api/me") => {
            let mut op = operation(
                "change_me",
                "Change the profile with a JSON Merge Patch under If-Match",
                "preferences",
                me_body,
                responses(vec![
                    (
                        "200",
                        with_headers(
                            ok_json("Changed.", schema_ref("Profile")),
                            json!({ "ETag": header("The new version.") }),
                        ),
                    ),
                    (
                        "202",
                        with_headers(
                            ok_json(
                                "Saved, and a code was mailed to the new email address: POST /api/sessions/verify with that address and code moves the account there (the same answer whether or not another account uses that address).",
                                schema_ref("EmailChangePending"),
                            ),
                            json!({ "ETag": header("The new version.") }),
                        ),
                    ),
                    ("412", problem("The profile changed since that ETag.")),
                    ("428", problem("If-Match is missing.")),
                ]),
            );
            op["parameters"] = json!([{
                "name": "If-Match", "in": "header", "required": true,
                "description": "The ETag from GET /api/me.",
                "schema": { "type": "string" },
            }]);
            op["requestBody"] = json_body(schema_ref("ProfilePatch"));
            op
        }
        ("DELETE", "/api/me") => {
            let mut op = operation(
                "erase_me",
                "Erase the account and everything held about the customer",
                "preferences",
                me_body,
                responses(vec![(
                    "204",
                    json!({ "description": "Erased (also when already erased)." }),
                )]),
            );
            op["requestBody"] = json_body(json!({
                "type": "object",
                "additionalProperties": false,
                "required": ["confirm_email"],
                "properties": {
                    "confirm_email": { "type": "string", "description": "The account's email, to confirm." },
                    "code": { "type": "string", "description": "A sign-in code asked for within the last 10 minutes (POST /api/sessions); needed when the session is older than that." },
                },
            }));
            op
        }
        ("POST", "/api/me/addresses") => {
            let mut op = operation(
                "add_address",
                "Add an address",
                "preferences",
                me_body,
                responses(vec![(
                    "201",
                    with_headers(
                        ok_json("Added.", schema_ref("Address")),
                        json!({ "Location": header("The new address.") }),
                    ),
                )]),
            );
            op["requestBody"] = json_body(schema_ref("AddressInput"));
            if let Some(created) = op.pointer_mut("/responses/201") {
                created["links"] = json!({
                    "ReplaceAddress": {
                        "operationId": "replace_address",
                        "parameters": { "id": "$response.body#/id" },
                    },
                    "DeleteAddress": {
                        "operationId": "delete_address",
                        "parameters": { "id": "$response.body#/id" },
                    },
                });
            }
            op
        }
        ("PUT", "/api/me/addresses/{id}") => {
            let mut op = operation(
                "replace_address",
                "Replace one address",
                "preferences",
                me_body,
                responses(vec![
                    ("200", ok_json("Replaced.", schema_ref("Address"))),
                    ("404", problem("No such address.")),
                    ("412", problem("The address changed meanwhile.")),
                ]),
            );
            op["parameters"] = json!([path_param("id", "Address id.", ulid_schema())]);
            op["requestBody"] = json_body(schema_ref("AddressInput"));
            op
        }
        ("DELETE", "/api/me/addresses/{id}") => {
            let mut op = operation(
                "delete_address",
                "Delete one address",
                "preferences",
                Fails { writes: true, ..me },
                responses(vec![
                    ("204", json!({ "description": "Deleted." })),
                    ("404", problem("No such address.")),
                    ("412", problem("The address changed meanwhile.")),
                ]),
            );
            op["parameters"] = json!([path_param("id", "Address id.", ulid_schema())]);
            op
        }
        ("GET", "/api/me/consents") => {
            let mut op = operation(
                "consent_history",
                "Current consents and the whole ledger, oldest first",
                "preferences",
                me,
                responses(vec![(
                    "200",
                    ok_json("The ledger.", schema_ref("ConsentHistory")),
                )]),
            );
            if let Some(ok) = op.pointer_mut("/responses/200") {
                ok["links"] = json!({
                    "FirstReceipt": {
                        "operationId": "consent_receipt",
                        "parameters": { "receipt_id": "$response.body#/history/0/receipt_id" },
                    },
                });
            }
            op
        }
        ("PUT", "/api/me/consents/{purpose}") => {
            let mut op = operation(
                "change_consent",
                "Grant or withdraw one consent; each change is a ledger entry with a receipt",
                "preferences",
                me_body,
                responses(vec![
                    (
                        "200",
                        ok_json("Changed, or already so.", schema_ref("ConsentChange")),
                    ),
                    ("404", problem("No such purpose.")),
                ]),
            );
            op["parameters"] = json!([path_param(
                "purpose",
                "The purpose.",
                json!({ "type": "string", "enum": purposes() }),
            )]);
            op["requestBody"] = json_body(json!({
                "type": "object",
                "additionalProperties": false,
                "required": ["granted"],
                "properties": { "granted": { "type": "boolean" } },
            }));
            op
        }
        ("GET", "/api/me/consents/receipts/{receipt_id}") => {
            let mut op = operation(
                "consent_receipt",
                "One consent receipt, as a JSON download",
                "preferences",
                me,
                responses(vec![
                    (
                        "200",
                        with_headers(
                            ok_json("The receipt.", schema_ref("Receipt")),
                            json!({ "Content-Disposition": header("attachment") }),
                        ),
                    ),
                    ("404", problem("No such receipt.")),
                ]),
            );
            op["parameters"] = json!([path_param(
                "receipt_id",
                "`<time>_<purpose>`, from the ledger.",
                json!({ "type": "string" }),
            )]);
            op
        }
        ("GET", "/api/me/export") => operation(
            "export",
            "Everything held about the customer, as a JSON download",
            "preferences",
            me,
            responses(vec![(
                "200",
                with_headers(
                    ok_json("The export.", schema_ref("Export")),
                    json!({ "Content-Disposition": header("attachment") }),
                ),
            )]),
        ),
        ("GET", "/api/catalog") => operation(
            "catalog",
            "Every item that can be quoted",
            "quotes",
            Fails {
                store: true,
                ..Fails::default()
            },
            responses(vec![(
                "200",
                ok_json(
                    "The catalog.",
                    json!({
                        "type": "object",
                        "required": ["items"],
                        "properties": { "items": { "type": "array", "items": schema_ref("CatalogItem") } },
                    }),
                ),
            )]),
        ),
        ("POST", "/api/quotes") => {
            let mut op = operation(
                "create_quote",
                "Price a request from the stored catalog and keep the quote",
                "quotes",
                body,
                responses(vec![
                    (
                        "201",
                        with_headers(
                            ok_json(
                                "Issued (or, for a retry with the same Idempotency-Key, the same answer again).",
                                schema_ref("Quote"),
                            ),
                            json!({
                                "Location": header("The quote."),
                                "Idempotent-Replayed": header("`true` on a replay."),
                            }),
                        ),
                    ),
                    ("401", problem("The session was revoked.")),
                ]),
            );
            op["parameters"] = json!([{
                "name": "Idempotency-Key", "in": "header", "required": false,
                "description": "Makes retries safe: the same key and body answer the same 201; another body under the key is 422.",
                "schema": { "type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[!-~]+$" },
            }]);
            op["requestBody"] = json_body(schema_ref("QuoteRequest"));
            if let Some(created) = op.pointer_mut("/responses/201") {
                created["links"] = json!({
                    "GetQuote": {
                        "operationId": "get_quote",
                        "parameters": { "id": "$response.body#/id", "token": "$response.body#/token" },
                    },
                    "AcceptQuote": {
                        "operationId": "accept_quote",
                        "parameters": { "id": "$response.body#/id", "token": "$response.body#/token" },
                    },
                });
            }
            op
        }
        ("GET", "/api/quotes/{id}") | ("POST", "/api/quotes/{id}/accept") => {
            let accept = method == "POST";
            let mut list = vec![
                ("200", ok_json("The quote.", schema_ref("Quote"))),
                ("400", problem("The query string could not be read.")),
                (
                    "404",
                    problem("No quote here that this reader may see (the same answer for both)."),
                ),
            ];
            if accept {
                list.push(("409", problem("Expired, or changed meanwhile.")));
            }
            let mut op = operation(
                if accept { "accept_quote" } else { "get_quote" },
                if accept {
                    "Accept an issued, unexpired quote (accepting again answers it unchanged)"
                } else {
                    "One quote, for its owner (session) or the holder of its link (token)"
                },
                "quotes",
                Fails {
                    writes: accept,
                    store: true,
                    ..Fails::default()
                },
                responses(list),
            );
            op["parameters"] = json!([
                path_param("id", "Quote id.", ulid_schema()),
                {
                    "name": "token", "in": "query", "required": false,
                    "description": "The visitor's link token.",
                    "schema": { "type": "string" },
                },
            ]);
            op
        }
        ("GET", "/api/me/quotes") => {
            let mut op = operation(
                "my_quotes",
                "The signed-in customer's quotes, newest first",
                "quotes",
                me,
                responses(vec![
                    ("200", ok_json("One page.", schema_ref("QuotePage"))),
                    ("400", problem("Bad limit or cursor.")),
                ]),
            );
            op["parameters"] = json!([
                {
                    "name": "limit", "in": "query", "required": false,
                    "schema": { "type": "integer", "minimum": 1, "maximum": 50, "default": 20 },
                },
                {
                    "name": "cursor", "in": "query", "required": false,
                    "description": "`next_cursor` from the previous page.",
                    "schema": { "type": "string" },
                },
            ]);
            op
        }
        _ => return None,
    };
    Some(op)
}

fn purposes() -> Vec<&'static str> {
    Purpose::ALL.iter().map(|p| p.as_str()).collect()
}

fn string() -> Value {
    json!({ "type": "string" })
}

fn nullable(kind: &str) -> Value {
    json!({ "type": [kind, "null"] })
}

fn object(required: &[&str], properties: Value) -> Value {
    json!({ "type": "object", "required": required, "properties": properties })
}

fn schemas() -> Value {
    let facts = site_config::facts();
    let topics: Vec<&str> = facts.topics.iter().map(|t| t.id.as_str()).collect();
    let countries: Vec<&str> = facts.countries.iter().map(String::as_str).collect();
    let skus: Vec<String> = crate::domain::catalog::bundled()
        .map(|items| items.into_iter().map(|i| i.sku).collect())
        .unwrap_or_default();
    let consents = object(
        &["account", "marketing_email", "personalisation"],
        json!({
            "account": { "type": "boolean" },
            "marketing_email": { "type": "boolean" },
            "personalisation": { "type": "boolean" },
        }),
    );
    let local_text = object(&["en", "es"], json!({ "en": string(), "es": string() }));
    let priced_line = object(
        &[
            "sku",
            "name",
            "quantity",
            "unit_price_minor",
            "subtotal_minor",
            "discount_minor",
            "tax_rate_bp",
            "tax_minor",
            "total_minor",
        ],
        json!({
            "sku": string(),
            "name": local_text,
            "quantity": { "type": "integer", "minimum": 1 },
            "unit_price_minor": { "type": "integer", "minimum": 0 },
            "subtotal_minor": { "type": "integer", "minimum": 0 },
            "discount_minor": { "type": "integer", "minimum": 0 },
            "tax_rate_bp": { "type": "integer", "minimum": 0 },
            "tax_minor": { "type": "integer", "minimum": 0 },
            "total_minor": { "type": "integer", "minimum": 0 },
        }),
    );
    let address_props = json!({
        "kinds": { "type": "array", "items": { "type": "string", "enum": ["billing", "delivery"] } },
        "name": string(),
        "line1": string(),
        "line2": string(),
        "city": string(),
        "region": string(),
        "postal_code": string(),
        "country": string(),
        "default_billing": { "type": "boolean" },
        "default_delivery": { "type": "boolean" },
    });
    let mut address = object(
        &[
            "id",
            "kinds",
            "name",
            "line1",
            "city",
            "country",
            "default_billing",
            "default_delivery",
        ],
        address_props.clone(),
    );
    address["properties"]["id"] = string();
    address["properties"]["created_at"] = string();
    address["properties"]["updated_at"] = string();
    let profile_props = json!({
        "id": string(),
        "email": string(),
        "display_name": string(),
        "language": { "type": "string", "enum": ["en", "es"] },
        "country": string(),
        "phone": nullable("string"),
        "topics": { "type": "array", "items": string() },
        "contact": {
            "type": "object",
            "required": ["channels", "frequency"],
            "properties": {
                "channels": object(&["email", "sms", "phone", "post"], json!({
                    "email": { "type": "boolean" }, "sms": { "type": "boolean" },
                    "phone": { "type": "boolean" }, "post": { "type": "boolean" },
                })),
                "frequency": { "type": "string", "enum": ["immediately", "weekly_digest", "monthly_digest"] },
                "paused_until": { "type": "string", "description": "YYYY-MM-DD" },
            },
        },
        "consents": schema_ref("Consents"),
        "policy_version": string(),
        "created_at": string(),
        "updated_at": string(),
    });
    let profile_required = [
        "id",
        "email",
        "display_name",
        "language",
        "country",
        "topics",
        "contact",
        "consents",
        "policy_version",
        "created_at",
        "updated_at",
    ];
    let mut me = object(&profile_required, profile_props.clone());
    me["required"] = json!(
        profile_required
            .iter()
            .chain(["addresses", "limits"].iter())
            .collect::<Vec<_>>()
    );
    me["properties"]["addresses"] = json!({ "type": "array", "items": schema_ref("Address") });
    me["properties"]["limits"] = object(
        &["max_addresses"],
        json!({ "max_addresses": { "type": "integer", "const": MAX_ADDRESSES } }),
    );
    let ledger_entry = object(
        &[
            "receipt_id",
            "purpose",
            "granted",
            "at",
            "policy_version",
            "source",
            "receipt_url",
        ],
        json!({
            "receipt_id": string(),
            "purpose": { "type": "string", "enum": purposes() },
            "granted": { "type": "boolean" },
            "previous": nullable("boolean"),
            "at": string(),
            "policy_version": string(),
            "source": { "type": "string", "enum": ["sign_up", "preference_centre"] },
            "receipt_url": string(),
        }),
    );
    json!({
        "Problem": {
            "type": "object",
            "description": "RFC 9457 problem details: every error this API answers.",
            "required": ["type", "title", "status", "detail"],
            "properties": {
                "type": { "type": "string", "description": "A URI reference naming the kind of problem (`/problems/<slug>`)." },
                "title": string(),
                "status": { "type": "integer", "minimum": 400, "maximum": 599 },
                "detail": string(),
                "errors": { "type": "array", "items": schema_ref("FieldError") },
            },
        },
        "FieldError": object(&["pointer", "detail"], json!({
            "pointer": { "type": "string", "description": "RFC 6901 JSON pointer into the request body." },
            "detail": string(),
        })),
        "Health": object(&["status", "function"], json!({
            "status": { "type": "string", "const": "ok" },
            "function": string(),
        })),
        "Accepted": object(&["status", "detail"], json!({ "status": string(), "detail": string() })),
        "EmailChangePending": object(
            &["status", "detail", "profile"],
            json!({ "status": string(), "detail": string(), "profile": schema_ref("Profile") }),
        ),
        "Consents": consents,
        "SignUpRequest": {
            "type": "object",
            "additionalProperties": false,
            "required": ["email", "display_name", "language", "country", "consents"],
            "properties": {
                "email": { "type": "string", "maxLength": 254 },
                "display_name": { "type": "string", "minLength": 1, "maxLength": 80 },
                "language": { "type": "string", "enum": ["en", "es"] },
                "country": { "type": "string", "enum": countries },
                "topics": { "type": "array", "uniqueItems": true, "items": { "type": "string", "enum": topics } },
                "consents": {
                    "type": "object",
                    "additionalProperties": false,
                    "required": ["account"],
                    "properties": {
                        "account": { "type": "boolean", "const": true, "description": "Required: acknowledges the privacy policy." },
                        "marketing_email": { "type": "boolean" },
                        "personalisation": { "type": "boolean" },
                    },
                },
            },
        },
        "Session": object(&["id", "display_name", "language"], json!({
            "id": string(), "display_name": string(),
            "language": { "type": "string", "enum": ["en", "es"] },
        })),
        "Profile": object(&profile_required, profile_props),
        "Me": me,
        "ProfilePatch": {
            "type": "object",
            "description": "JSON Merge Patch (RFC 7396): present keys change, null removes an optional value.",
            "additionalProperties": false,
            "properties": {
                "email": string(),
                "display_name": string(),
                "language": { "type": "string", "enum": ["en", "es"] },
                "country": string(),
                "phone": nullable("string"),
                "topics": { "type": "array", "items": string() },
                "contact": {
                    "type": "object",
                    "additionalProperties": false,
                    "properties": {
                        "channels": {
                            "type": "object",
                            "additionalProperties": false,
                            "properties": {
                                "email": { "type": "boolean" }, "sms": { "type": "boolean" },
                                "phone": { "type": "boolean" }, "post": { "type": "boolean" },
                            },
                        },
                        "frequency": { "type": "string", "enum": ["immediately", "weekly_digest", "monthly_digest"] },
                        "paused_until": nullable("string"),
                    },
                },
            },
        },
        "AddressInput": {
            "type": "object",
            "additionalProperties": false,
            "required": ["kinds", "name", "line1", "city", "country"],
            "properties": address_props,
        },
        "Address": address,
        "LedgerEntry": ledger_entry,
        "ConsentHistory": object(&["current", "policy_version", "history"], json!({
            "current": schema_ref("Consents"),
            "policy_version": string(),
            "history": { "type": "array", "items": schema_ref("LedgerEntry") },
        })),
        "Receipt": object(
            &["receipt_id", "controller", "customer_id", "purpose", "granted", "at", "policy_version", "source"],
            json!({
                "receipt_id": string(), "controller": string(), "customer_id": string(),
                "purpose": { "type": "string", "enum": purposes() },
                "purpose_description": string(),
                "data_used": { "type": "array", "items": string() },
                "granted": { "type": "boolean" }, "previous": nullable("boolean"),
                "at": string(), "policy_version": string(), "policy_url": string(),
                "source": string(), "how_to_withdraw": string(),
            }),
        ),
        "ConsentChange": object(&["purpose", "granted", "changed"], json!({
            "purpose": { "type": "string", "enum": purposes() },
            "granted": { "type": "boolean" },
            "changed": { "type": "boolean" },
            "receipt": schema_ref("Receipt"),
        })),
        "Export": object(
            &["format", "exported_at", "customer_id", "summary", "consent_history", "items", "related_items"],
            json!({
                "format": { "type": "string", "const": "ecrm-export/1" },
                "exported_at": string(), "customer_id": string(),
                "summary": schema_ref("Me"),
                "consent_history": { "type": "array", "items": schema_ref("LedgerEntry") },
                "items": { "type": "array", "items": { "type": "object" } },
                "related_items": { "type": "array", "items": { "type": "object" } },
            }),
        ),
        "CatalogItem": object(
            &["sku", "name", "description", "needs", "topics", "unit_price_minor", "currency", "tiers", "min_quantity", "max_quantity", "tax_class"],
            json!({
                "sku": string(),
                "name": local_text,
                "description": local_text,
                "needs": { "type": "array", "items": string() },
                "topics": { "type": "array", "items": string() },
                "unit_price_minor": { "type": "integer", "minimum": 0 },
                "currency": string(),
                "tiers": { "type": "array", "items": object(&["min_quantity", "unit_price_minor"], json!({
                    "min_quantity": { "type": "integer", "minimum": 0 },
                    "unit_price_minor": { "type": "integer", "minimum": 0 },
                })) },
                "min_quantity": { "type": "integer", "minimum": 0 },
                "max_quantity": { "type": "integer", "minimum": 0 },
                "tax_class": { "type": "string", "enum": ["standard", "reduced", "zero"] },
            }),
        ),
        "QuoteRequest": {
            "type": "object",
            "additionalProperties": false,
            "required": ["lines", "country"],
            "properties": {
                "lines": {
                    "type": "array", "minItems": 1, "maxItems": MAX_LINES,
                    "items": {
                        "type": "object",
                        "additionalProperties": false,
                        "required": ["sku", "quantity"],
                        "properties": {
                            "sku": { "type": "string", "maxLength": MAX_SKU_CHARS, "enum": skus },
                            "quantity": { "type": "integer", "minimum": 1 },
                        },
                    },
                },
                "country": { "type": "string", "enum": countries },
                "contact": {
                    "type": "object",
                    "description": "Required for visitors (no session): who the quote is for.",
                    "additionalProperties": false,
                    "required": ["name", "email"],
                    "properties": { "name": string(), "email": string() },
                },
            },
        },
        "Quote": {
            "type": "object",
            "required": ["id", "number", "status", "customer", "country", "currency", "lines", "subtotal_minor", "discount_rate_bp", "discount_minor", "tax_minor", "total_minor", "created_at", "valid_until"],
            "properties": {
                "id": string(),
                "number": string(),
                "status": { "type": "string", "enum": ["issued", "accepted", "expired"] },
                "customer_id": { "type": "string", "description": "Members' quotes only." },
                "customer": object(&["name", "email"], json!({ "name": string(), "email": string() })),
                "country": string(),
                "currency": string(),
                "lines": { "type": "array", "items": priced_line },
                "subtotal_minor": { "type": "integer", "minimum": 0 },
                "discount_rate_bp": { "type": "integer", "minimum": 0 },
                "discount_minor": { "type": "integer", "minimum": 0 },
                "tax_minor": { "type": "integer", "minimum": 0 },
                "total_minor": { "type": "integer", "minimum": 0 },
                "created_at": string(),
                "valid_until": string(),
                "accepted_at": nullable("string"),
                "token": { "type": "string", "description": "A visitor's link token (on creation only)." },
                "link": { "type": "string", "description": "A visitor's link (on creation only)." },
            },
        },
        "QuotePage": object(&["quotes", "next_cursor"], json!({
            "quotes": { "type": "array", "items": schema_ref("Quote") },
            "next_cursor": nullable("string"),
        })),
    })
}

fn build() -> Value {
    let mut paths: Map<String, Value> = Map::new();
    for route in ROUTES {
        let Some(mut op) = operation_for(route.method, route.path) else {
            // The contract test names the route; the document simply lacks it.
            continue;
        };
        if LIMITED.contains(&(route.method, route.path)) {
            op["responses"]["429"] = too_many();
        }
        let entry = paths
            .entry(route.path.to_string())
            .or_insert_with(|| json!({}));
        entry[route.method.to_ascii_lowercase()] = op;
    }
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "eCRM API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Sign-up and sign-in, the customer's own data (/api/me), the catalog and quotes. Errors are RFC 9457 application/problem+json. Requests that change data must come from the site itself (Origin) and send JSON.",
        },
        "servers": [{ "url": "/" }],
        "paths": paths,
        "components": {
            "schemas": schemas(),
            "securitySchemes": {
                "session": { "type": "apiKey", "in": "cookie", "name": crate::web::session::COOKIE_NAME },
            },
        },
    })
}

static DOCUMENT: LazyLock<Value> = LazyLock::new(build);

/// The document (built once per process).
pub fn document() -> &'static Value {
    &DOCUMENT
}

/// `(METHOD, path)` of every operation the document describes.
pub fn operations(document: &Value) -> Vec<(String, String)> {
    let mut found = Vec::new();
    if let Some(paths) = document["paths"].as_object() {
        for (path, item) in paths {
            if let Some(methods) = item.as_object() {
                for method in methods.keys() {
                    found.push((method.to_ascii_uppercase(), path.clone()));
                }
            }
        }
    }
    found.sort();
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_route_has_an_operation() {
        for route in ROUTES {
            assert!(
                operation_for(route.method, route.path).is_some(),
                "{route:?} has no operation in openapi.rs"
            );
        }
        assert_eq!(operations(document()).len(), ROUTES.len());
    }
}
