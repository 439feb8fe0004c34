//! The preference centre's API over real HTTP: changing the email, which takes effect
//! only once the code mailed to the new address comes back.

use super::preferences_profile_api::{get_me, patch};
use ecrm_e2e::{Item, TestApp, s};
use reqwest::Method;
use serde_json::{Value, json};

#[tokio::test]
async fn a_new_email_is_used_only_once_the_code_mailed_there_comes_back() {
    let app = TestApp::start().await;
    let (id, cookie) = app.sign_up("ana@example.com").await;
    let (_, bea) = app.sign_up("taken@example.com").await;
    let claims = |items: &[Item]| -> Vec<String> {
        let mut claims: Vec<String> = items
            .iter()
            .filter(|i| s(i, "SK") == Some("EMAIL"))
            .map(|i| s(i, "PK").unwrap().to_string())
            .collect();
        claims.sort();
        claims
    };
    let before = claims(&app.scan_all().await);

    // An address another account uses: the same answer as a free one, and nothing
    // is mailed there or changed.
    let mail_before = app.mailbox().await.len();
    let taken = patch(
        &app,
        &cookie,
        Some("\"1\""),
        json!({"email": "taken@example.com"}),
    )
    .await;
    assert_eq!(taken.status().as_u16(), 202);
    let taken_body: Value = taken.json().await.unwrap();
    assert_eq!(taken_body["profile"]["email"], "ana@example.com");

    // A free address, with another change in the same patch: that one is saved now.
    let response = patch(
        &app,
        &cookie,
        Some("\"1\""),
        json!({"email": " Ana.New@Example.com", "display_name": "Ana N."}),
    )
    .await;
    assert_eq!(response.status().as_u16(), 202);
    assert_eq!(response.headers()["etag"], "\"2\"");
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["status"], taken_body["status"]);
    assert_eq!(body["profile"]["display_name"], "Ana N.");
    assert_eq!(body["profile"]["email"], "ana@example.com", "not moved yet");
    assert_eq!(claims(&app.scan_all().await), before, "no claim moved yet");

    let code = app.next_code(mail_before).await;
    let mail = app.mailbox().await;
    let new_mail = &mail[..mail.len() - mail_before];
    assert!(
        new_mail
            .iter()
            .any(|m| m["to"] == "ana.new@example.com" && m["template"] == "email_change_code")
    );
    // (Its own welcome may arrive late; nothing else goes there.)
    assert!(
        !new_mail
            .iter()
            .any(|m| m["to"] == "taken@example.com" && m["template"] != "welcome"),
        "nothing mailed to an address another account uses"
    );
    // A sign-in code for the old address, still unused when the move completes.
    let old_code = app.request_code("ana@example.com").await;

    // The code moves the account; this browser is signed in again at the new epoch.
    let notices_before = app.mailbox().await.len();
    let verified = app
        .site_request(Method::POST, "/api/sessions/verify", None)
        .body(json!({"email": "ana.new@example.com", "code": code}).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(verified.status().as_u16(), 200);
    let new_cookie = ecrm_e2e::session_cookie(&verified).unwrap();
    let (status, _, me) = get_me(&app, &new_cookie).await;
    assert_eq!(status, 200);
    assert_eq!(me["id"], id.as_str());
    assert_eq!(me["email"], "ana.new@example.com");
    assert_eq!(get_me(&app, &cookie).await.0, 401, "earlier sessions ended");
    assert_eq!(get_me(&app, &bea).await.0, 200, "other customers untouched");

    let items = app.scan_all().await;
    let after = claims(&items);
    assert!(after.contains(&"EMAIL#ana.new@example.com".to_string()));
    assert!(
        !after.contains(&"EMAIL#ana@example.com".to_string()),
        "old claim released"
    );
    // The old address is told, and its code no longer signs anyone in.
    for _ in 0..100 {
        if app.mailbox().await.len() > notices_before {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let mail = app.mailbox().await;
    let notice = mail
        .iter()
        .find(|m| m["to"] == "ana@example.com" && m["template"] == "email_changed")
        .expect("the old address is told");
    assert!(
        notice["text"]
            .as_str()
            .unwrap()
            .contains("a***@example.com")
    );
    let stale = app
        .site_request(Method::POST, "/api/sessions/verify", None)
        .body(json!({"email": "ana@example.com", "code": old_code}).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(stale.status().as_u16(), 401);
    // The code works once; the released address can sign up again.
    let again = app
        .site_request(Method::POST, "/api/sessions/verify", None)
        .body(json!({"email": "ana.new@example.com", "code": code}).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(again.status().as_u16(), 401);
    app.sign_up("ana@example.com").await;
    app.shutdown().await;
}
