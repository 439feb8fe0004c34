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

pub const FUNCTIONS: [&str; 4] = ["registration", "preferences", "quotes", "recommendations"];

pub const ROUTES: &[Route] = &[
    route("registration", "GET", "/api/health/registration"),
    route("registration", "POST", "/api/customers"),
    route("preferences", "GET", "/api/health/preferences"),
    route("quotes", "GET", "/api/health/quotes"),
    route("recommendations", "GET", "/api/health/recommendations"),
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
