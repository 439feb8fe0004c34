//! Order requests over real HTTP: accepting a quote makes it an order request the
//! customer follows on their quotes (`order.status`), staff list orders by status and
//! move them along (409 otherwise; a reason to cancel), each move mailed and audited.

use crate::staff_api::collect_audit;
use ecrm_e2e::service::{mail_to, staff_sign_in};
use ecrm_e2e::{TestApp, problem};
use reqwest::Method;
use serde_json::{Value, json};

#[tokio::test]
async fn an_accepted_quote_is_an_order_request_staff_move_along() {
    let app = TestApp::start().await;
    let (_, customer) = app.sign_up("ana@example.com").await;
    let quote = app
        .site_call(
            Method::POST,
            "/api/quotes",
            Some(&customer),
            Some(json!({"lines": [{"sku": "22423", "quantity": 4}], "country": "ES"})),
        )
        .await;
    assert_eq!(quote.status().as_u16(), 201);
    let quote: Value = quote.json().await.unwrap();
    let id = quote["id"].as_str().unwrap().to_string();
    assert!(quote["order"].is_null(), "no order before acceptance");
    let accepted = app
        .site_call(
            Method::POST,
            &format!("/api/quotes/{id}/accept"),
            Some(&customer),
            None,
        )
        .await;
    assert_eq!(accepted.status().as_u16(), 200);
    let shown: Value = app
        .site_call(
            Method::GET,
            &format!("/api/quotes/{id}"),
            Some(&customer),
            None,
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(shown["order"]["status"], "received");

    let staff = staff_sign_in(&app).await;
    let listed: Value = app
        .site_call(Method::GET, "/api/staff/orders", Some(&staff), None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(listed["orders"][0]["quote_id"], id.as_str());
    assert_eq!(listed["orders"][0]["status"], "received");

    let set = |body: Value| {
        let (app, staff, id) = (&app, staff.clone(), id.clone());
        async move {
            app.site_call(
                Method::PUT,
                &format!("/api/staff/orders/{id}/status"),
                Some(&staff),
                Some(body),
            )
            .await
        }
    };
    problem(set(json!({"status": "shipped"})).await, 409).await;
    let moved = set(json!({"status": "confirmed"})).await;
    assert_eq!(moved.status().as_u16(), 200);
    let mail = mail_to(&app, "ana@example.com", "order_status").await;
    assert!(
        mail["subject"]
            .as_str()
            .unwrap()
            .contains(quote["number"].as_str().unwrap())
    );
    let body = problem(set(json!({"status": "cancelled"})).await, 422).await;
    assert_eq!(ecrm_e2e::pointers(&body), ["/reason"]);
    assert_eq!(
        set(json!({"status": "cancelled", "reason": "Out of stock"}))
            .await
            .status()
            .as_u16(),
        200
    );
    problem(set(json!({"status": "confirmed"})).await, 409).await;

    // The customer follows it on their quote history; the index moved with it.
    let mine: Value = app
        .site_call(Method::GET, "/api/me/quotes", Some(&customer), None)
        .await
        .json()
        .await
        .unwrap();
    let order = &mine["quotes"][0]["order"];
    assert_eq!(order["status"], "cancelled");
    assert_eq!(order["reason"], "Out of stock");
    assert_eq!(order["history"].as_array().unwrap().len(), 3);
    let received: Value = app
        .site_call(
            Method::GET,
            "/api/staff/orders?status=received",
            Some(&staff),
            None,
        )
        .await
        .json()
        .await
        .unwrap();
    assert!(received["orders"].as_array().unwrap().is_empty());
    let export: Value = app
        .site_call(Method::GET, "/api/me/export", Some(&customer), None)
        .await
        .json()
        .await
        .unwrap();
    let mut actions = Vec::new();
    collect_audit(&export, &mut actions);
    assert_eq!(actions, ["order_status", "order_status"]);
    // A customer cannot move orders.
    let response = app
        .site_call(
            Method::PUT,
            &format!("/api/staff/orders/{id}/status"),
            Some(&customer),
            Some(json!({"status": "confirmed"})),
        )
        .await;
    problem(response, 403).await;
    app.shutdown().await;
}
