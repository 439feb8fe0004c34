//! Every API route, and the function that owns it: the one list that the SAM template,
//! the local runner and the OpenAPI document are tested against.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Route {
    pub function: &'static str,
    pub method: &'static str,
    /// Path template as API Gateway writes it (`{id}` for a parameter).
    pub path: &'static str,
}

const fn route(function: &'static str, method: &'static str, path: &'static str) -> Route {
    Route {
        function,
        method,
        path,
    }
}

/// Functions behind the HTTP API.
pub const FUNCTIONS: [&str; 5] = [
    "registration",
    "preferences",
    "quotes",
    "recommendations",
    "staff",
];

/// Functions triggered by the table's stream, not by HTTP.
pub const WORKERS: [&str; 3] = ["mailer", "neighbours", "escalator"];

pub const ROUTES: &[Route] = &[
    route("registration", "GET", "/api/health/registration"),
    route("registration", "GET", "/api/openapi.json"),
    route("registration", "POST", "/api/customers"),
    route("registration", "POST", "/api/sessions"),
    route("registration", "POST", "/api/sessions/verify"),
    route("registration", "GET", "/api/sessions/current"),
    route("registration", "DELETE", "/api/sessions/current"),
    route("registration", "POST", "/api/me/sessions/revoke"),
    route("preferences", "GET", "/api/health/preferences"),
    route("preferences", "GET", "/api/me"),
    route("preferences", "PATCH", "/api/me"),
    route("preferences", "DELETE", "/api/me"),
    route("preferences", "POST", "/api/me/addresses"),
    route("preferences", "PUT", "/api/me/addresses/{id}"),
    route("preferences", "DELETE", "/api/me/addresses/{id}"),
    route("preferences", "GET", "/api/me/consents"),
    route("preferences", "PUT", "/api/me/consents/{purpose}"),
    route(
        "preferences",
        "GET",
        "/api/me/consents/receipts/{receipt_id}",
    ),
    route("preferences", "GET", "/api/me/export"),
    route("preferences", "GET", "/api/preferences/by-link"),
    route("preferences", "PUT", "/api/preferences/by-link"),
    route("preferences", "POST", "/api/unsubscribe"),
    route("preferences", "POST", "/api/consents/confirm"),
    route("preferences", "POST", "/api/requests"),
    route("preferences", "GET", "/api/requests"),
    route("preferences", "GET", "/api/requests/{id}"),
    route("preferences", "POST", "/api/requests/{id}/messages"),
    route("preferences", "POST", "/api/requests/{id}/escalate"),
    route("preferences", "GET", "/api/me/timeline"),
    route("preferences", "GET", "/api/me/surveys/next"),
    route("preferences", "POST", "/api/me/surveys/{id}/answers"),
    route("preferences", "POST", "/api/me/surveys/{id}/skip"),
    route("preferences", "GET", "/api/me/suggestions"),
    route("preferences", "POST", "/api/me/suggestions/{id}/accept"),
    route("preferences", "POST", "/api/me/suggestions/{id}/dismiss"),
    route("quotes", "GET", "/api/health/quotes"),
    route("quotes", "GET", "/api/catalog"),
    route("quotes", "POST", "/api/quotes"),
    route("quotes", "POST", "/api/quotes/preview"),
    route("quotes", "GET", "/api/quotes/{id}"),
    route("quotes", "POST", "/api/quotes/{id}/accept"),
    route("quotes", "GET", "/api/me/quotes"),
    route("recommendations", "GET", "/api/health/recommendations"),
    route("recommendations", "POST", "/api/events"),
    route("recommendations", "GET", "/api/recommendations"),
    route("staff", "GET", "/api/health/staff"),
    route("staff", "POST", "/api/staff/sessions"),
    route("staff", "POST", "/api/staff/sessions/verify"),
    route("staff", "GET", "/api/staff/sessions/current"),
    route("staff", "DELETE", "/api/staff/sessions/current"),
    route("staff", "GET", "/api/staff/requests"),
    route("staff", "GET", "/api/staff/requests/{id}"),
    route("staff", "POST", "/api/staff/requests/{id}/messages"),
    route("staff", "PUT", "/api/staff/requests/{id}/status"),
    route("staff", "GET", "/api/staff/orders"),
    route("staff", "PUT", "/api/staff/orders/{quote_id}/status"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_route_belongs_to_a_known_function_once() {
        for r in ROUTES {
            assert!(FUNCTIONS.contains(&r.function), "{r:?}");
            assert!(r.path.starts_with("/api/"), "{r:?}");
        }
        for (i, a) in ROUTES.iter().enumerate() {
            assert!(
                !ROUTES[i + 1..]
                    .iter()
                    .any(|b| a.method == b.method && a.path == b.path),
                "{a:?} twice"
            );
        }
    }
}
