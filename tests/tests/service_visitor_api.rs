//! Customer service for visitors, over real HTTP: a request opened by email answers a
//! secret link (stored only as a keyed hash, kept 12 months), the link opens and
//! answers it, staff replies mail it, and erasing an account with that email erases
//! what was asked with it.

use ecrm_e2e::service::mail_to;
use ecrm_e2e::{TestApp, pointers, problem, s};
use reqwest::Method;
use serde_json::{Value, json};

#[tokio::test]
async fn a_visitor_asks_by_email_and_follows_the_request_through_its_secret_link() {
    let app = TestApp::start().await;
    let body = json!({
        "subject": "Do you ship to Ceuta?",
        "category": "other",
        "message": "Before I ask for a price.",
        "contact": {"name": "Vera Visitor", "email": "Vera@Example.com"},
        "language": "es"
    });
    let response = app
        .site_request(Method::POST, "/api/requests", None)
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 201);
    let opened: Value = response.json().await.unwrap();
    let id = opened["request"]["id"].as_str().unwrap().to_string();
    let token = opened["token"].as_str().unwrap().to_string();
    assert_eq!(
        opened["link"],
        format!("/requests/?id={id}&token={token}").as_str()
    );
    // Stored: the token's keyed hash, never the token; kept 12 months (TTL).
    let items = app.scan_all().await;
    assert!(!format!("{items:?}").contains(&token));
    let stored = items
        .iter()
        .find(|i| s(i, "kind") == Some("service_request"))
        .unwrap();
    let ttl: i64 = stored["ttl"].as_n().unwrap().parse().unwrap();
    let year = ttl - time::OffsetDateTime::now_utc().unix_timestamp();
    assert!((365 * 86_400 - 60..=365 * 86_400).contains(&year), "{year}");
    let message = items
        .iter()
        .find(|i| s(i, "kind") == Some("request_message"))
        .unwrap();
    assert_eq!(message["ttl"], stored["ttl"], "the thread goes with it");

    // Without a contact, a visitor is told what is missing.
    let mut missing = body.clone();
    missing.as_object_mut().unwrap().remove("contact");
    let response = app
        .site_request(Method::POST, "/api/requests", None)
        .body(missing.to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(pointers(&problem(response, 422).await), ["/contact"]);

    // The link opens it; another token or none does not.
    let path = format!("/api/requests/{id}?token={token}");
    let response = app
        .site_request(Method::GET, &path, None)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let thread: Value = response.json().await.unwrap();
    assert!(thread.get("token").is_none(), "the token is given once");
    let wrong = format!("/api/requests/{id}?token=x{token}");
    problem(
        app.site_request(Method::GET, &wrong, None)
            .send()
            .await
            .unwrap(),
        404,
    )
    .await;
    problem(
        app.site_request(Method::GET, &format!("/api/requests/{id}"), None)
            .send()
            .await
            .unwrap(),
        401,
    )
    .await;
    // A customer's session is not the link: someone else's request stays hidden.
    let (_, other) = app.sign_up("bea@example.com").await;
    problem(
        app.member_call(Method::GET, &format!("/api/requests/{id}"), &other, None)
            .await,
        404,
    )
    .await;

    // Staff answer; the visitor's mail carries the link, in Spanish.
    let staff = ecrm_e2e::service::staff_sign_in(&app).await;
    let seen: Value = app
        .site_request(
            Method::GET,
            &format!("/api/staff/requests/{id}"),
            Some(&staff),
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(seen["customer"]["email"], "vera@example.com");
    let replied = app
        .site_request(
            Method::POST,
            &format!("/api/staff/requests/{id}/messages"),
            Some(&staff),
        )
        .body(json!({"body": "Yes, we do."}).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(replied.status().as_u16(), 201);
    let mail = mail_to(&app, "vera@example.com", "service_reply").await;
    assert!(
        mail["text"]
            .as_str()
            .unwrap()
            .contains(&format!("/es/requests/?id={id}&token={token}"))
    );

    // The visitor writes back through the link.
    let wrote = app
        .site_request(
            Method::POST,
            &format!("/api/requests/{id}/messages?token={token}"),
            None,
        )
        .body(json!({"body": "Great, thanks."}).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(wrote.status().as_u16(), 201);

    // Erasing an account with that email erases what was asked with it as a visitor.
    let (_, vera) = app.sign_up("vera@example.com").await;
    let export: Value = app
        .member_call(Method::GET, "/api/me/export", &vera, None)
        .await
        .json()
        .await
        .unwrap();
    assert!(
        export.to_string().contains("Do you ship to Ceuta?"),
        "in the export"
    );
    let erased = app
        .member_call(
            Method::DELETE,
            "/api/me",
            &vera,
            Some(json!({"confirm_email": "vera@example.com"})),
        )
        .await;
    assert_eq!(erased.status().as_u16(), 204);
    let left = app
        .scan_all()
        .await
        .into_iter()
        .filter(|i| {
            matches!(
                s(i, "kind"),
                Some("service_request" | "request_message" | "request_ref" | "audit_entry")
            )
        })
        .count();
    assert_eq!(left, 0, "nothing of the visitor's request is left");
    app.shutdown().await;
}
