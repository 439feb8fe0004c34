//! Sessions and the cross-site check through the local runner over real HTTP: tampered
//! and signed-out cookies, revoking, signing out, and sessions ended by a new sign-in.

use super::sessions_signin_api::{current, verify, verify_keeping};
use ecrm_core::domain::session::SessionClaims;
use ecrm_e2e::{TestApp, session_cookie};
use reqwest::Method;
use serde_json::{Value, json};

#[tokio::test]
async fn tampered_forged_and_expired_cookies_are_refused() {
    let app = TestApp::start().await;
    let (id, cookie) = app.sign_up("ana@example.com").await;
    let (other_id, _) = app.sign_up("eve@example.com").await;

    let token = cookie.trim_start_matches("ecrm_session=");
    let (payload, signature) = token.split_once('.').unwrap();
    let tampered = format!(
        "ecrm_session={payload}.{}",
        signature.chars().rev().collect::<String>()
    );
    assert_eq!(current(&app, &tampered).await.status().as_u16(), 401);

    // Claims naming another customer, signed with a key that is not the server's.
    let forger = ecrm_core::domain::session::ServerSecret::generate().unwrap();
    let claims = SessionClaims {
        cid: other_id.clone(),
        sid: "x".into(),
        epoch: 0,
        exp: i64::MAX / 2,
    };
    assert_eq!(
        current(&app, &format!("ecrm_session={}", forger.sign(&claims)))
            .await
            .status()
            .as_u16(),
        401
    );

    // A genuine signature on expired claims.
    let expired = SessionClaims {
        cid: id.clone(),
        sid: "x".into(),
        epoch: 0,
        exp: 1,
    };
    let response = current(
        &app,
        &format!("ecrm_session={}", app.session_key.sign(&expired)),
    )
    .await;
    assert_eq!(response.status().as_u16(), 401);
    assert_eq!(
        response.headers()["content-type"],
        "application/problem+json"
    );

    assert_eq!(
        app.http
            .get(app.url("/api/sessions/current"))
            .send()
            .await
            .unwrap()
            .status()
            .as_u16(),
        401
    );
    app.shutdown().await;
}

#[tokio::test]
async fn revoking_signs_out_everywhere() {
    let app = TestApp::start().await;
    let (_, first) = app.sign_up("ana@example.com").await;
    let code = app.request_code("ana@example.com").await;
    let second = session_cookie(&verify_keeping(&app, "ana@example.com", &code).await).unwrap();
    assert_eq!(current(&app, &first).await.status().as_u16(), 200);
    assert_eq!(current(&app, &second).await.status().as_u16(), 200);

    let response = app
        .site_request(Method::POST, "/api/me/sessions/revoke", Some(&second))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 204);
    assert!(
        response.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .contains("Max-Age=0")
    );
    assert_eq!(
        current(&app, &first).await.status().as_u16(),
        401,
        "revoked epoch"
    );
    assert_eq!(
        current(&app, &second).await.status().as_u16(),
        401,
        "revoked epoch"
    );

    // A new sign-in works at the new epoch.
    let code = app.request_code("ana@example.com").await;
    let third = session_cookie(&verify(&app, "ana@example.com", &code).await).unwrap();
    assert_eq!(current(&app, &third).await.status().as_u16(), 200);
    app.shutdown().await;
}

#[tokio::test]
async fn sign_out_clears_the_cookie() {
    let app = TestApp::start().await;
    let (_, cookie) = app.sign_up("ana@example.com").await;
    let response = app
        .site_request(Method::DELETE, "/api/sessions/current", Some(&cookie))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 204);
    let set_cookie = response.headers()["set-cookie"].to_str().unwrap();
    assert!(set_cookie.starts_with("ecrm_session=;") && set_cookie.contains("Max-Age=0"));
    app.shutdown().await;
}

#[tokio::test]
async fn a_signed_out_cookie_replayed_is_refused_everywhere() {
    let app = TestApp::start().await;
    let (_, copied) = app.sign_up("ana@example.com").await;
    let code = app.request_code("ana@example.com").await;
    let other_device =
        session_cookie(&verify_keeping(&app, "ana@example.com", &code).await).unwrap();
    let me = app
        .site_request(Method::GET, "/api/me", Some(&copied))
        .send()
        .await
        .unwrap();
    assert_eq!(me.status().as_u16(), 200);
    let etag = me.headers()["etag"].to_str().unwrap().to_string();

    let response = app
        .site_request(Method::DELETE, "/api/sessions/current", Some(&copied))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 204);

    // The same cookie, replayed from anywhere: refused on every customer route, reads
    // and writes, and nothing changes.
    let address = json!({"kinds": ["delivery"], "name": "Ana", "line1": "Calle 1",
                         "city": "Madrid", "postal_code": "28001", "country": "ES"});
    let attempts = [
        (Method::GET, "/api/sessions/current", None),
        (Method::GET, "/api/me", None),
        (Method::GET, "/api/me/export", None),
        (Method::GET, "/api/me/consents", None),
        (Method::GET, "/api/me/quotes", None),
        (
            Method::PATCH,
            "/api/me",
            Some(json!({"display_name": "Mallory"})),
        ),
        (Method::POST, "/api/me/addresses", Some(address)),
        (
            Method::PUT,
            "/api/me/consents/marketing_email",
            Some(json!({"granted": true})),
        ),
        (Method::POST, "/api/me/sessions/revoke", None),
        (
            Method::DELETE,
            "/api/me",
            Some(json!({"confirm_email": "ana@example.com"})),
        ),
    ];
    for (method, path, body) in attempts {
        let mut request = app
            .site_request(method.clone(), path, Some(&copied))
            .header("if-match", &etag);
        if let Some(body) = body {
            request = request.body(body.to_string());
        }
        let response = request.send().await.unwrap();
        assert_eq!(response.status().as_u16(), 401, "{method} {path}");
    }

    // The customer's other session is untouched, and so is their data.
    let me: Value = app
        .site_request(Method::GET, "/api/me", Some(&other_device))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["display_name"], "Ana");
    assert_eq!(me["addresses"], json!([]));
    assert_eq!(me["consents"]["marketing_email"], false);
    app.shutdown().await;
}

#[tokio::test]
async fn signing_in_ends_other_sessions_unless_the_customer_keeps_them() {
    let app = TestApp::start().await;
    let (_, first) = app.sign_up("ana@example.com").await;
    // "Keep my other devices signed in": the first session lives on.
    let code = app.request_code("ana@example.com").await;
    let second = session_cookie(&verify_keeping(&app, "ana@example.com", &code).await).unwrap();
    assert_eq!(current(&app, &first).await.status().as_u16(), 200);
    assert_eq!(current(&app, &second).await.status().as_u16(), 200);
    // By default a sign-in ends every earlier session: one someone else may hold dies
    // when the owner signs in.
    let code = app.request_code("ana@example.com").await;
    let third = session_cookie(&verify(&app, "ana@example.com", &code).await).unwrap();
    assert_eq!(current(&app, &first).await.status().as_u16(), 401);
    assert_eq!(current(&app, &second).await.status().as_u16(), 401);
    assert_eq!(current(&app, &third).await.status().as_u16(), 200);
    app.shutdown().await;
}

#[tokio::test]
async fn cross_site_requests_are_refused() {
    let app = TestApp::start().await;
    let (_, cookie) = app.sign_up("ana@example.com").await;
    let revoke = || {
        app.http
            .post(app.url("/api/me/sessions/revoke"))
            .header("content-type", "application/json")
    };

    let missing_origin = revoke().header("cookie", &cookie).send().await.unwrap();
    assert_eq!(missing_origin.status().as_u16(), 403);
    let foreign = revoke()
        .header("cookie", &cookie)
        .header("origin", "https://evil.example")
        .send()
        .await
        .unwrap();
    assert_eq!(foreign.status().as_u16(), 403);
    assert_eq!(
        foreign.headers()["content-type"],
        "application/problem+json"
    );
    let fetch_metadata = revoke()
        .header("cookie", &cookie)
        .header("origin", app.origin())
        .header("sec-fetch-site", "cross-site")
        .send()
        .await
        .unwrap();
    assert_eq!(fetch_metadata.status().as_u16(), 403);
    let foreign_sign_up = app
        .http
        .post(app.url("/api/customers"))
        .header("content-type", "application/json")
        .header("origin", "https://evil.example")
        .body(ecrm_e2e::sign_up_body("x@example.com").to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(foreign_sign_up.status().as_u16(), 403);

    // Still signed in: none of those did anything.
    assert_eq!(current(&app, &cookie).await.status().as_u16(), 200);
    let same_site = app
        .site_request(Method::POST, "/api/me/sessions/revoke", Some(&cookie))
        .send()
        .await
        .unwrap();
    assert_eq!(same_site.status().as_u16(), 204);
    app.shutdown().await;
}

/// A visitor's "who is signed in?" answered after the same browser signed in must not
/// delete the new session: only a request that carried a cookie is told to forget it.
#[tokio::test]
async fn a_refusal_clears_only_a_cookie_the_request_carried() {
    let app = TestApp::start().await;
    let response = app
        .site_request(Method::GET, "/api/sessions/current", None)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 401);
    assert!(
        response.headers().get("set-cookie").is_none(),
        "no cookie sent, none cleared"
    );

    let (_, cookie) = app.sign_up("ana@example.com").await;
    app.site_request(Method::DELETE, "/api/sessions/current", Some(&cookie))
        .send()
        .await
        .unwrap();
    let response = current(&app, &cookie).await;
    assert_eq!(response.status().as_u16(), 401);
    let set_cookie = response.headers()["set-cookie"].to_str().unwrap();
    assert!(set_cookie.starts_with("ecrm_session=;") && set_cookie.contains("Max-Age=0"));
    app.shutdown().await;
}
