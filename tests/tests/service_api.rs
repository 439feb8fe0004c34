//! Customer service from the customer's side, over real HTTP against an in-memory
//! dynoxide: opening a request (with the shop told by mail), the list and the thread,
//! writing in it, escalation by the customer (once per level, only when overdue: 409
//! otherwise), and the scheduled escalation reading the due-time index with a clock
//! the test controls.

use ecrm_core::app::App;
use ecrm_core::app::service_worker::escalate_overdue;
use ecrm_core::domain::clock::Clock;
use ecrm_core::domain::service::Category;
use ecrm_core::store::Store;
use ecrm_e2e::service::{mail_to, open_request, request_body};
use ecrm_e2e::{TestApp, pointers, problem, s, test_service};
use reqwest::Method;
use serde_json::{Value, json};

#[tokio::test]
async fn a_customer_opens_follows_and_writes_in_a_request() {
    let app = TestApp::start().await;
    let (_, cookie) = app.sign_up("ana@example.com").await;
    let opened = open_request(&app, &cookie, &request_body("quote_or_order")).await;
    let request = &opened["request"];
    let id = request["id"].as_str().unwrap().to_string();
    assert!(request["reference"].as_str().unwrap().starts_with("SR-"));
    assert_eq!(request["status"], "open");
    assert_eq!(request["first_response_target_minutes"], 480);
    assert!(request["due_at"].is_string());
    assert_eq!(request["waiting_minutes"], 0);
    assert_eq!(request["can_escalate"], false);
    assert_eq!(opened["messages"].as_array().unwrap().len(), 1);
    assert_eq!(opened["messages"][0]["author"], "customer");

    // The shop's service address is told, without the customer's name or message.
    let notice = mail_to(&app, "service@shop.example", "service_shop_notice").await;
    let text = notice["text"].as_str().unwrap();
    assert!(text.contains(request["reference"].as_str().unwrap()));
    assert!(!text.contains("Ana") && !text.contains("heard nothing"));

    let list: Value = app
        .member_call(Method::GET, "/api/requests", &cookie, None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["requests"][0]["id"], id.as_str());
    assert!(list["next_cursor"].is_null());

    let wrote = app
        .member_call(
            Method::POST,
            &format!("/api/requests/{id}/messages"),
            &cookie,
            Some(json!({"body": "Any news?"})),
        )
        .await;
    assert_eq!(wrote.status().as_u16(), 201);
    let wrote: Value = wrote.json().await.unwrap();
    assert_eq!(wrote["message_count"], 2);
    assert_eq!(wrote["status"], "open");

    let thread: Value = app
        .member_call(Method::GET, &format!("/api/requests/{id}"), &cookie, None)
        .await
        .json()
        .await
        .unwrap();
    let bodies: Vec<&str> = thread["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["body"].as_str().unwrap())
        .collect();
    assert_eq!(
        bodies,
        [
            "I accepted a quote last week and heard nothing since.",
            "Any news?"
        ]
    );

    // Someone else's request is not there for another customer.
    let (_, other) = app.sign_up("bea@example.com").await;
    let response = app
        .member_call(Method::GET, &format!("/api/requests/{id}"), &other, None)
        .await;
    problem(response, 404).await;
    let response = app
        .member_call(
            Method::POST,
            &format!("/api/requests/{id}/messages"),
            &other,
            Some(json!({"body": "hi"})),
        )
        .await;
    problem(response, 404).await;
    app.shutdown().await;
}

#[tokio::test]
async fn bad_requests_name_the_field_and_change_nothing() {
    let app = TestApp::start().await;
    let (_, cookie) = app.sign_up("ana@example.com").await;
    let response = app.member_call(Method::POST,
        "/api/requests",
        &cookie,
        Some(json!({"subject": "   ", "category": "product", "message": "x", "quote_id": "nope"})),
    )
    .await;
    let body = problem(response, 422).await;
    assert_eq!(pointers(&body), ["/subject", "/quote_id"]);
    // A contact is checked even from a customer (who does not need one).
    let mut body = request_body("other");
    body["contact"] = json!({"name": "Ana"});
    let response = app
        .member_call(Method::POST, "/api/requests", &cookie, Some(body))
        .await;
    assert_eq!(pointers(&problem(response, 422).await), ["/contact/email"]);
    // A quote that is not theirs (here: none at all) is refused the same way.
    let mut body = request_body("quote_or_order");
    body["quote_id"] = json!("01ARZ3NDEKTSV4RRFFQ69G5FAV");
    let response = app
        .member_call(Method::POST, "/api/requests", &cookie, Some(body))
        .await;
    assert_eq!(pointers(&problem(response, 422).await), ["/quote_id"]);
    let response = app
        .member_call(
            Method::POST,
            "/api/requests",
            &cookie,
            Some(json!({"subject": "a", "category": "weather", "message": "x"})),
        )
        .await;
    assert_eq!(pointers(&problem(response, 400).await), ["/category"]);
    let response = app
        .site_request(Method::POST, "/api/requests", None)
        .body(request_body("other").to_string())
        .send()
        .await
        .unwrap();
    // Without a session it is a visitor's request, which needs a contact.
    assert_eq!(pointers(&problem(response, 422).await), ["/contact"]);
    let written = app
        .scan_all()
        .await
        .into_iter()
        .filter(|i| {
            matches!(
                s(i, "kind"),
                Some("service_request" | "request_message" | "request_ref")
            )
        })
        .count();
    assert_eq!(written, 0, "nothing was written");
    app.shutdown().await;
}

#[tokio::test]
async fn a_customer_escalates_only_overdue_requests_once_per_level() {
    // "other" answers are due at once (0 minutes); "product" in a day.
    let service = test_service().with_target(Category::Other, 0);
    let app = TestApp::start_with_service(service).await;
    let (_, cookie) = app.sign_up("ana@example.com").await;

    let fresh = open_request(&app, &cookie, &request_body("product")).await;
    let fresh_id = fresh["request"]["id"].as_str().unwrap();
    let response = app
        .member_call(
            Method::POST,
            &format!("/api/requests/{fresh_id}/escalate"),
            &cookie,
            Some(json!({"reason": "Too slow"})),
        )
        .await;
    assert_eq!(problem(response, 409).await["title"], "Cannot escalate now");

    let overdue = open_request(&app, &cookie, &request_body("other")).await;
    let id = overdue["request"]["id"].as_str().unwrap();
    for level in 1..=2 {
        let response = app
            .member_call(
                Method::POST,
                &format!("/api/requests/{id}/escalate"),
                &cookie,
                Some(json!({"reason": "No answer yet"})),
            )
            .await;
        assert_eq!(response.status().as_u16(), 200);
        let view: Value = response.json().await.unwrap();
        assert_eq!(view["level"], level);
        assert_eq!(view["escalations"][level - 1]["by"], "customer");
        assert_eq!(view["escalations"][level - 1]["reason"], "No answer yet");
    }
    let response = app
        .member_call(
            Method::POST,
            &format!("/api/requests/{id}/escalate"),
            &cookie,
            Some(json!({"reason": "Again"})),
        )
        .await;
    problem(response, 409).await;
    let mail = mail_to(&app, "escalations@shop.example", "service_escalation").await;
    assert!(mail["text"].as_str().unwrap().contains("by the customer"));
    app.shutdown().await;
}

#[tokio::test]
async fn the_schedule_escalates_overdue_requests_found_through_the_due_index() {
    let app = TestApp::start().await;
    let (_, cookie) = app.sign_up("ana@example.com").await;
    let opened = open_request(&app, &cookie, &request_body("quote_or_order")).await;
    let id = opened["request"]["id"].as_str().unwrap().to_string();

    // The request is on the due-time index under its status, by its due time.
    let items = app.scan_all().await;
    let indexed = items
        .iter()
        .find(|i| s(i, "kind") == Some("service_request"))
        .unwrap();
    assert_eq!(s(indexed, "GSI1PK"), Some("DUE#open"));
    let due = opened["request"]["due_at"].as_str().unwrap();
    assert_eq!(s(indexed, "GSI1SK"), Some(format!("{due}#{id}").as_str()));

    // The worker runs the same code as in AWS, at a time the test sets.
    let created = time::OffsetDateTime::now_utc();
    let at = |hours: i64| {
        App::new(
            Store::new(app.running.client.clone(), app.running.table.clone()),
            app.session_key.clone(),
            Clock::fixed(created + time::Duration::hours(hours)),
        )
        .with_service(test_service())
    };
    assert_eq!(
        escalate_overdue(&at(7)).await.unwrap().escalated,
        0,
        "not due yet (8 h)"
    );
    assert_eq!(escalate_overdue(&at(9)).await.unwrap().escalated, 1);
    assert_eq!(
        escalate_overdue(&at(9)).await.unwrap().escalated,
        0,
        "a new deadline now"
    );
    assert_eq!(
        escalate_overdue(&at(18)).await.unwrap().escalated,
        1,
        "level 2"
    );
    assert_eq!(
        escalate_overdue(&at(40)).await.unwrap().escalated,
        0,
        "the top level"
    );

    let thread: Value = app
        .member_call(Method::GET, &format!("/api/requests/{id}"), &cookie, None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(thread["request"]["level"], 2);
    assert_eq!(thread["request"]["escalations"][0]["by"], "schedule");
    let mail = mail_to(&app, "escalations@shop.example", "service_escalation").await;
    assert!(mail["text"].as_str().unwrap().contains("automatically"));
    app.shutdown().await;
}
