//! The API's edges over real HTTP: unknown routes and methods are problems, every listed
//! route is mounted and health answers, and every response carries the security headers.

use super::signup_input_api::problem;
use ecrm_e2e::TestApp;
use serde_json::Value;

#[tokio::test]
async fn unknown_routes_and_methods_are_problems() {
    let app = TestApp::start().await;
    problem(
        app.http
            .get(app.url("/api/nothing-here"))
            .send()
            .await
            .unwrap(),
        404,
    )
    .await;
    problem(
        app.http
            .get(app.url("/api/customers"))
            .send()
            .await
            .unwrap(),
        405,
    )
    .await;
    app.shutdown().await;
}

#[tokio::test]
async fn every_listed_route_is_mounted_and_health_answers() {
    let app = TestApp::start().await;
    for route in ecrm_core::routes::ROUTES {
        let method = reqwest::Method::from_bytes(route.method.as_bytes()).unwrap();
        let response = app
            .http
            .request(method, app.url(route.path))
            .header("content-type", "application/json")
            .body("{}")
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        // A mounted route may answer 404 for a resource (`/problems/quote-not-found`);
        // only the router's fallback (`/problems/not-found`) means "not mounted".
        let body: Value = response.json().await.unwrap_or_default();
        assert!(
            status != 405 && !(status == 404 && body["type"] == "/problems/not-found"),
            "{route:?} is not mounted ({status})"
        );
    }
    for function in ecrm_core::routes::FUNCTIONS {
        let response = app
            .http
            .get(app.url(&format!("/api/health/{function}")))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), 200);
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["function"], function);
    }
    app.shutdown().await;
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let app = TestApp::start().await;
    for path in ["/", "/api/health/registration", "/api/nothing-here"] {
        let response = app.http.get(app.url(path)).send().await.unwrap();
        let csp = response.headers()["content-security-policy"]
            .to_str()
            .unwrap();
        assert!(
            csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"),
            "{path}"
        );
        assert_eq!(response.headers()["x-content-type-options"], "nosniff");
        assert!(
            response.headers().contains_key("x-request-id") || !path.starts_with("/api"),
            "{path}"
        );
    }
    app.shutdown().await;
}
