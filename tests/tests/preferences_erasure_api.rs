//! The preference centre's API over real HTTP: export and erasure, checked against full
//! scans of the table.

use super::preferences_profile_api::{address, get_me, send};
use aws_sdk_dynamodb::types::AttributeValue;
use ecrm_e2e::{Item, TestApp, s};
use reqwest::Method;
use serde_json::{Value, json};
use std::collections::BTreeSet;

/// Every string anywhere in an item.
fn strings(value: &AttributeValue, out: &mut Vec<String>) {
    match value {
        AttributeValue::S(v) => out.push(v.clone()),
        AttributeValue::L(list) => list.iter().for_each(|v| strings(v, out)),
        AttributeValue::M(map) => map.values().for_each(|v| strings(v, out)),
        AttributeValue::Ss(set) => out.extend(set.iter().cloned()),
        _ => {}
    }
}

fn mentions(item: &Item, needles: &[&str]) -> bool {
    let mut all = Vec::new();
    item.values().for_each(|v| strings(v, &mut all));
    all.iter()
        .any(|text| needles.iter().any(|n| text.contains(n)))
}

fn key_of(item: &Item) -> (String, String) {
    (
        s(item, "PK").unwrap().to_string(),
        s(item, "SK").unwrap().to_string(),
    )
}

#[tokio::test]
async fn export_holds_every_item_about_the_customer() {
    let app = TestApp::start().await;
    let (id, cookie) = app.sign_up("ana@example.com").await;
    app.sign_up("eve@example.com").await;
    send(
        &app,
        Method::POST,
        "/api/me/addresses",
        &cookie,
        address("ES", "28013"),
    )
    .await;
    send(
        &app,
        Method::PUT,
        "/api/me/consents/marketing_email",
        &cookie,
        json!({"granted": true}),
    )
    .await;

    let response = app
        .site_request(Method::GET, "/api/me/export", Some(&cookie))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    assert!(
        response.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("ecrm-export.json")
    );
    let export: Value = response.json().await.unwrap();
    let exported: BTreeSet<(String, String)> = export["items"]
        .as_array()
        .unwrap()
        .iter()
        .chain(export["related_items"].as_array().unwrap())
        .map(|i| {
            (
                i["PK"].as_str().unwrap().to_string(),
                i["SK"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let about: BTreeSet<(String, String)> = app
        .scan_all()
        .await
        .iter()
        .filter(|i| mentions(i, &[id.as_str(), "ana@example.com"]))
        .map(key_of)
        .collect();
    assert!(!about.is_empty());
    let missing: Vec<_> = about.difference(&exported).collect();
    assert!(missing.is_empty(), "held but not exported: {missing:?}");
    assert!(
        !export.to_string().contains("eve@example.com"),
        "nobody else's data"
    );
    app.shutdown().await;
}

#[tokio::test]
async fn erasure_leaves_nothing_and_revokes_sessions() {
    let app = TestApp::start().await;
    let (id, cookie) = app.sign_up("ana@example.com").await;
    app.sign_up("eve@example.com").await;
    send(
        &app,
        Method::POST,
        "/api/me/addresses",
        &cookie,
        address("ES", "28013"),
    )
    .await;
    send(
        &app,
        Method::PUT,
        "/api/me/consents/marketing_email",
        &cookie,
        json!({"granted": true}),
    )
    .await;
    app.request_code("ana@example.com").await;

    let before = app.scan_all().await.len();
    let response = send(
        &app,
        Method::DELETE,
        "/api/me",
        &cookie,
        json!({"confirm_email": "someone@example.com"}),
    )
    .await;
    assert_eq!(response.status().as_u16(), 422);
    assert_eq!(
        app.scan_all().await.len(),
        before,
        "a wrong confirmation erases nothing"
    );

    let response = send(
        &app,
        Method::DELETE,
        "/api/me",
        &cookie,
        json!({"confirm_email": "ANA@example.com"}),
    )
    .await;
    assert_eq!(response.status().as_u16(), 204);
    assert!(
        response.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .contains("Max-Age=0")
    );
    // The "erasure done" mail is the last thing sent to the address; once sent,
    // nothing of it is kept.
    app.mail_from_template("ana@example.com", "erasure_done")
        .await;
    app.wait_outbox_empty().await;

    let left: Vec<_> = app
        .scan_all()
        .await
        .into_iter()
        .filter(|i| mentions(i, &[id.as_str(), "ana@example.com"]))
        .map(|i| key_of(&i))
        .collect();
    assert!(left.is_empty(), "still held after erasure: {left:?}");
    assert!(
        app.scan_all()
            .await
            .iter()
            .any(|i| mentions(i, &["eve@example.com"])),
        "others untouched"
    );

    assert_eq!(
        get_me(&app, &cookie).await.0,
        401,
        "the session died with the account"
    );
    let again = send(
        &app,
        Method::DELETE,
        "/api/me",
        &cookie,
        json!({"confirm_email": "ana@example.com"}),
    )
    .await;
    assert_eq!(again.status().as_u16(), 204, "erasing again is harmless");
    app.sign_up("ana@example.com").await;
    app.shutdown().await;
}

/// Erasure is total: besides the partition and the email claim, it removes the quotes
/// the person asked for as a visitor with the same email (the accepted one is kept
/// anonymised), the idempotency records that hold copies of quote answers, a live
/// sign-in code and mail still waiting to be sent. The export lists each of those
/// kinds first. Run without the mail worker, so mail stays pending.
#[tokio::test]
async fn erasure_is_total_wherever_the_data_is_kept() {
    let app = TestApp::start_with(false).await;
    let email = "zoe.erasable@example.com";
    let visitor_name = "Zoe Visitante";
    let phone = "+34 600 111 222";
    let visitor_quote = |accept: bool| {
        let app = &app;
        async move {
            let response = app
                .site_request(Method::POST, "/api/quotes", None)
                .body(
                    json!({"lines": [{"sku": "22423", "quantity": 2}], "country": "ES",
                           "contact": {"name": visitor_name, "email": email}})
                    .to_string(),
                )
                .send()
                .await
                .unwrap();
            assert_eq!(response.status().as_u16(), 201);
            let quote: Value = response.json().await.unwrap();
            if accept {
                let path = format!(
                    "/api/quotes/{}/accept?token={}",
                    quote["id"].as_str().unwrap(),
                    quote["token"].as_str().unwrap()
                );
                let accepted = app
                    .site_request(Method::POST, &path, None)
                    .send()
                    .await
                    .unwrap();
                assert_eq!(accepted.status().as_u16(), 200);
            }
        }
    };
    // Before the account existed, the same person asked for two prices as a visitor.
    visitor_quote(false).await;
    visitor_quote(true).await;

    // Sign up, finishing with the code from the mail waiting in the outbox.
    let accepted = app
        .post_json("/api/customers", &ecrm_e2e::sign_up_body(email))
        .await;
    assert_eq!(accepted.status().as_u16(), 202);
    let code = app
        .scan_all()
        .await
        .iter()
        .filter(|i| s(i, "kind") == Some("outbox") && s(i, "to") == Some(email))
        .find_map(|i| s(i, "text").and_then(ecrm_e2e::code_in))
        .expect("the sign-up mail is waiting");
    let verified = app
        .site_request(Method::POST, "/api/sessions/verify", None)
        .body(json!({"email": email, "code": code}).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(verified.status().as_u16(), 200);
    let cookie = ecrm_e2e::session_cookie(&verified).unwrap();
    let id = verified.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let (_, etag, _) = get_me(&app, &cookie).await;
    let patched = app
        .site_request(Method::PATCH, "/api/me", Some(&cookie))
        .header("if-match", etag.unwrap())
        .body(json!({"phone": phone}).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(patched.status().as_u16(), 200);
    // A member's quote with an Idempotency-Key, and a sign-in code still unused.
    let member_quote = app
        .site_request(Method::POST, "/api/quotes", Some(&cookie))
        .header("idempotency-key", "erase-me-1")
        .body(json!({"lines": [{"sku": "22423", "quantity": 1}], "country": "ES"}).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(member_quote.status().as_u16(), 201);
    let code_request = app
        .site_request(Method::POST, "/api/sessions", None)
        .body(json!({"email": email}).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(code_request.status().as_u16(), 202);

    // The export names every kind of item erasure will remove.
    let export: Value = app
        .site_request(Method::GET, "/api/me/export", Some(&cookie))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let related: BTreeSet<&str> = export["related_items"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|i| i["kind"].as_str())
        .collect();
    for kind in ["quote", "idempotency", "outbox", "email_claim"] {
        assert!(related.contains(kind), "export lacks {kind}: {related:?}");
    }
    let visitor_quotes = export["related_items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["kind"] == "quote" && i["quote"]["customer"]["name"] == visitor_name)
        .count();
    assert_eq!(visitor_quotes, 2, "both quotes asked for as a visitor");

    let erased = send(
        &app,
        Method::DELETE,
        "/api/me",
        &cookie,
        json!({"confirm_email": email}),
    )
    .await;
    assert_eq!(erased.status().as_u16(), 204);

    let items = app.scan_all().await;
    // The mail worker is off here: the "erasure done" mail waits to be sent (the only
    // item naming the address, deleted once sent).
    let left: Vec<_> = items
        .iter()
        .filter(|i| s(i, "template") != Some("erasure_done"))
        .filter(|i| mentions(i, &[id.as_str(), email, visitor_name, phone, "Ana"]))
        .map(key_of)
        .collect();
    assert!(left.is_empty(), "still held after erasure: {left:?}");
    // The accepted order request is kept for the accounts, with nobody in it.
    let kept: Vec<_> = items
        .iter()
        .filter(|i| s(i, "kind") == Some("quote"))
        .collect();
    assert_eq!(kept.len(), 1, "only the accepted quote stays");
    assert!(s(kept[0], "anonymised_at").is_some());
    app.shutdown().await;
}

/// Erasure needs a fresh proof: a session under 10 minutes old, or a code mailed just
/// now. Someone who finds a signed-in device left open cannot erase the account.
#[tokio::test]
async fn erasing_with_an_older_session_needs_a_fresh_code() {
    let app = TestApp::start().await;
    let (id, _) = app.sign_up("ana@example.com").await;
    // A session started 11 minutes ago (signed with the runner's key, as sign-in does).
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let claims = ecrm_core::domain::session::SessionClaims {
        cid: id.clone(),
        sid: "01JOLDSESSION00000000000000".into(),
        epoch: 0,
        exp: now - 11 * 60 + ecrm_core::domain::session::SESSION_TTL_SECONDS,
    };
    let old = format!("ecrm_session={}", app.session_key.sign(&claims));
    assert_eq!(
        get_me(&app, &old).await.0,
        200,
        "the older session is valid"
    );

    let erase = |code: Option<String>| {
        let (app, old) = (&app, &old);
        async move {
            let mut body = json!({"confirm_email": "ana@example.com"});
            if let Some(code) = code {
                body["code"] = json!(code);
            }
            send(app, Method::DELETE, "/api/me", old, body).await
        }
    };
    let refused = ecrm_e2e::problem(erase(None).await, 422).await;
    assert_eq!(ecrm_e2e::pointers(&refused), ["/code"]);
    let refused = ecrm_e2e::problem(erase(Some("AAAA-AAAA".into())).await, 422).await;
    assert_eq!(ecrm_e2e::pointers(&refused), ["/code"]);
    assert_eq!(get_me(&app, &old).await.0, 200, "nothing erased");

    let code = app.request_code("ana@example.com").await;
    assert_eq!(erase(Some(code)).await.status().as_u16(), 204);
    assert_eq!(get_me(&app, &old).await.0, 401, "erased");
    app.shutdown().await;
}
