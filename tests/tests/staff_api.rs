//! The staff inbox over real HTTP: who may sign in, who may use the routes (a customer
//! session is 403, none is 401, a staff session reads no profile), the status machine
//! with its 409s, the customer told by mail, and the audit trail of every staff read
//! and action in the customer's export.

use ecrm_e2e::service::{mail_to, request_for_staff, staff_cookie_of, staff_sign_in};
use ecrm_e2e::{STAFF_EMAIL, TestApp, problem};
use reqwest::Method;
use serde_json::{Value, json};

#[tokio::test]
async fn only_configured_staff_sign_in_and_only_staff_sessions_pass() {
    let app = TestApp::start().await;
    let (_, customer) = app.sign_up("ana@example.com").await;

    // A customer's address is not staff: the same 202, and no code is mailed.
    let response = app
        .site_call(
            Method::POST,
            "/api/staff/sessions",
            None,
            Some(json!({"email": "ana@example.com"})),
        )
        .await;
    assert_eq!(response.status().as_u16(), 202);
    // A customer sign-in code does not open the staff side.
    let code = app.request_code("ana@example.com").await;
    let staff_codes = app
        .mailbox()
        .await
        .into_iter()
        .filter(|m| m["template"] == "staff_sign_in_code")
        .count();
    assert_eq!(staff_codes, 0, "no staff code for a customer's address");
    let response = app
        .site_call(
            Method::POST,
            "/api/staff/sessions/verify",
            None,
            Some(json!({"email": "ana@example.com", "code": code})),
        )
        .await;
    problem(response, 401).await;

    // No session: 401; a customer session on a staff route: 403.
    problem(
        app.site_call(Method::GET, "/api/staff/requests", None, None)
            .await,
        401,
    )
    .await;
    let body = problem(
        app.site_call(Method::GET, "/api/staff/requests", Some(&customer), None)
            .await,
        403,
    )
    .await;
    assert_eq!(body["title"], "Not allowed");
    problem(
        app.site_call(
            Method::PUT,
            "/api/staff/requests/01ARZ3NDEKTSV4RRFFQ69G5FAV/status",
            Some(&customer),
            Some(json!({"status": "resolved"})),
        )
        .await,
        403,
    )
    .await;

    let staff = staff_sign_in(&app).await;
    let me: Value = app
        .site_call(
            Method::GET,
            "/api/staff/sessions/current",
            Some(&staff),
            None,
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["staff"], STAFF_EMAIL);
    assert_eq!(me["role"], "staff");
    // A staff session is not a customer session: no profile can be read with it.
    problem(
        app.site_call(Method::GET, "/api/me", Some(&staff), None)
            .await,
        401,
    )
    .await;
    problem(
        app.site_call(Method::GET, "/api/me/export", Some(&staff), None)
            .await,
        401,
    )
    .await;
    // Signing out clears the cookie.
    let out = app
        .site_call(
            Method::DELETE,
            "/api/staff/sessions/current",
            Some(&staff),
            None,
        )
        .await;
    assert_eq!(out.status().as_u16(), 204);
    assert!(staff_cookie_of(&out).is_none());
    app.shutdown().await;
}

#[tokio::test]
async fn staff_answer_and_move_requests_along_the_status_machine() {
    let app = TestApp::start().await;
    let (customer, id, staff) = request_for_staff(&app, "ana@example.com", "product").await;

    // The inbox lists open requests by due time, without customer data.
    let inbox = app
        .site_call(
            Method::GET,
            "/api/staff/requests?status=open",
            Some(&staff),
            None,
        )
        .await;
    assert_eq!(inbox.status().as_u16(), 200);
    let inbox_text = inbox.text().await.unwrap();
    assert!(inbox_text.contains(&id) && !inbox_text.contains("ana@example.com"));
    problem(
        app.site_call(
            Method::GET,
            "/api/staff/requests?status=lost",
            Some(&staff),
            None,
        )
        .await,
        400,
    )
    .await;

    // Opening one shows the name and email it was made with.
    let seen: Value = app
        .site_call(
            Method::GET,
            &format!("/api/staff/requests/{id}"),
            Some(&staff),
            None,
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(seen["customer"]["email"], "ana@example.com");
    assert_eq!(seen["customer"]["name"], "Ana");
    assert_eq!(seen["messages"].as_array().unwrap().len(), 1);

    let replied = app
        .site_call(
            Method::POST,
            &format!("/api/staff/requests/{id}/messages"),
            Some(&staff),
            Some(json!({"body": "It ships tomorrow."})),
        )
        .await;
    assert_eq!(replied.status().as_u16(), 201);
    let replied: Value = replied.json().await.unwrap();
    assert_eq!(replied["status"], "waiting_on_customer");
    assert!(replied["first_response_at"].is_string());
    let mail = mail_to(&app, "ana@example.com", "service_reply").await;
    assert!(
        mail["text"]
            .as_str()
            .unwrap()
            .contains(&format!("/requests/?id={id}"))
    );

    // The customer sees the answer, from "the shop".
    let thread: Value = app
        .site_call(
            Method::GET,
            &format!("/api/requests/{id}"),
            Some(&customer),
            None,
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(thread["messages"][1]["author"], "staff");
    assert_eq!(thread["messages"][1]["body"], "It ships tomorrow.");

    let set = |status: &'static str| {
        let (app, staff, id) = (&app, staff.clone(), id.clone());
        async move {
            app.site_call(
                Method::PUT,
                &format!("/api/staff/requests/{id}/status"),
                Some(&staff),
                Some(json!({"status": status})),
            )
            .await
        }
    };
    let body = problem(set("open").await, 409).await;
    assert_eq!(body["title"], "Not possible in this status");
    problem(set("closed").await, 409).await;
    assert_eq!(set("resolved").await.status().as_u16(), 200);
    mail_to(&app, "ana@example.com", "service_status").await;

    // A reply within 14 days reopens it: the shop owes an answer again.
    let wrote = app
        .site_call(
            Method::POST,
            &format!("/api/requests/{id}/messages"),
            Some(&customer),
            Some(json!({"body": "It did not arrive."})),
        )
        .await;
    let wrote: Value = wrote.json().await.unwrap();
    assert_eq!(wrote["status"], "waiting_on_shop");
    assert!(wrote["due_at"].is_string());

    assert_eq!(set("resolved").await.status().as_u16(), 200);
    assert_eq!(set("closed").await.status().as_u16(), 200);
    problem(set("resolved").await, 409).await;
    let late = app
        .site_call(
            Method::POST,
            &format!("/api/requests/{id}/messages"),
            Some(&customer),
            Some(json!({"body": "Hello?"})),
        )
        .await;
    assert_eq!(problem(late, 409).await["title"], "Too late to reopen");
    let reply = app
        .site_call(
            Method::POST,
            &format!("/api/staff/requests/{id}/messages"),
            Some(&staff),
            Some(json!({"body": "x"})),
        )
        .await;
    problem(reply, 409).await;
    app.shutdown().await;
}

#[tokio::test]
async fn every_staff_read_and_action_is_in_the_customers_export() {
    let app = TestApp::start().await;
    let (customer, id, staff) = request_for_staff(&app, "ana@example.com", "my_data").await;
    app.site_call(
        Method::GET,
        &format!("/api/staff/requests/{id}"),
        Some(&staff),
        None,
    )
    .await;
    app.site_call(
        Method::POST,
        &format!("/api/staff/requests/{id}/messages"),
        Some(&staff),
        Some(json!({"body": "Done."})),
    )
    .await;

    let export = app
        .site_call(Method::GET, "/api/me/export", Some(&customer), None)
        .await;
    assert_eq!(export.status().as_u16(), 200);
    let export: Value = export.json().await.unwrap();
    let text = export.to_string();
    let mut actions = Vec::new();
    collect_audit(&export, &mut actions);
    actions.sort();
    assert_eq!(
        actions,
        ["read_request", "reply"],
        "each read and action, once"
    );
    assert!(text.contains(STAFF_EMAIL), "who at the shop");
    assert!(
        text.contains("\"service_request\"") && text.contains("Done."),
        "the request and its thread"
    );

    // Erasure takes the requests and their threads with the account.
    let response = app
        .site_call(
            Method::DELETE,
            "/api/me",
            Some(&customer),
            Some(json!({"confirm_email": "ana@example.com"})),
        )
        .await;
    assert_eq!(response.status().as_u16(), 204);
    let left: Vec<_> = app
        .scan_all()
        .await
        .into_iter()
        .filter(|i| {
            matches!(
                ecrm_e2e::s(i, "kind"),
                Some("service_request" | "request_message" | "request_ref" | "audit_entry")
            )
        })
        .collect();
    assert!(left.is_empty(), "nothing of the requests is left: {left:?}");
    app.shutdown().await;
}

/// The `action` of every audit entry anywhere in an export.
pub(crate) fn collect_audit(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            if map.get("kind") == Some(&json!("audit_entry"))
                && let Some(action) = map.get("action").and_then(Value::as_str)
            {
                out.push(action.to_string());
            }
            map.values().for_each(|v| collect_audit(v, out));
        }
        Value::Array(items) => items.iter().for_each(|v| collect_audit(v, out)),
        _ => {}
    }
}
