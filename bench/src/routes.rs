//! The benchmarked routes, and the DynamoDB round trips each makes (counted with the
//! SDK interceptor every client carries, `ecrm_core::telemetry`).

use crate::floor::{Floor, floor_once};
use crate::system::{Fixtures, System, quote_json, sign_up_json};

pub struct RouteBench {
    pub label: &'static str,
    pub method: &'static str,
    pub path: String,
    /// `{n}` becomes a per-request unique token.
    pub body: Option<String>,
    pub signed_in: bool,
    pub floor: Floor,
}

/// Round trips of one request: its HTTP status, the runner's count and the floor's.
pub type RoundTrips = (u16, u64, u64);

/// Every route `make bench` measures, with the store calls of its floor.
pub fn benchmarked(fixtures: &Fixtures) -> Vec<RouteBench> {
    let Fixtures { quote_id, sku, .. } = fixtures;
    vec![
        RouteBench {
            label: "GET /api/health/registration",
            method: "GET",
            path: "/api/health/registration".into(),
            body: None,
            signed_in: false,
            floor: Floor::None,
        },
        RouteBench {
            label: "GET /api/catalog",
            method: "GET",
            path: "/api/catalog".into(),
            body: None,
            signed_in: false,
            floor: Floor::Catalog,
        },
        RouteBench {
            label: "GET /api/me",
            method: "GET",
            path: "/api/me".into(),
            body: None,
            signed_in: true,
            floor: Floor::Me,
        },
        RouteBench {
            label: "GET /api/me/quotes",
            method: "GET",
            path: "/api/me/quotes".into(),
            body: None,
            signed_in: true,
            floor: Floor::MyQuotes,
        },
        RouteBench {
            label: "GET /api/quotes/{id}",
            method: "GET",
            path: format!("/api/quotes/{quote_id}"),
            body: None,
            signed_in: true,
            floor: Floor::GetQuote,
        },
        RouteBench {
            label: "GET /api/recommendations",
            method: "GET",
            path: "/api/recommendations".into(),
            body: None,
            signed_in: true,
            floor: Floor::Recommendations,
        },
        RouteBench {
            label: "POST /api/customers",
            method: "POST",
            path: "/api/customers".into(),
            body: Some(sign_up_json("{n}@bench.example.com").to_string()),
            signed_in: false,
            floor: Floor::SignUp,
        },
        RouteBench {
            label: "POST /api/quotes",
            method: "POST",
            path: "/api/quotes".into(),
            body: Some(quote_json(sku).to_string()),
            signed_in: true,
            floor: Floor::CreateQuote,
        },
    ]
}

/// Each route once, then its floor once, one request at a time (nothing else uses the
/// store), counting DynamoDB round trips around each.
pub async fn count_round_trips(
    routes: &[RouteBench],
    system: &System,
) -> Result<Vec<RoundTrips>, String> {
    let mut round_trips = Vec::new();
    for route in routes {
        let before = ecrm_core::telemetry::dynamodb_calls_total();
        let response = system
            .send(
                reqwest::Method::from_bytes(route.method.as_bytes()).map_err(|e| e.to_string())?,
                &route.path,
                route.signed_in.then_some(system.cookie.as_str()),
                route.body.as_ref().map(|b| b.replace("{n}", "roundtrip")),
            )
            .await
            .map_err(|e| e.to_string())?;
        let status = response.status().as_u16();
        let _ = response.bytes().await;
        let calls = ecrm_core::telemetry::dynamodb_calls_total() - before;
        let before = ecrm_core::telemetry::dynamodb_calls_total();
        floor_once(route.floor, &system.fixtures, 0).await?;
        let floor_calls = ecrm_core::telemetry::dynamodb_calls_total() - before;
        round_trips.push((status, calls, floor_calls));
        eprintln!("{}: {status}, {calls} DynamoDB round trips", route.label);
    }
    Ok(round_trips)
}
