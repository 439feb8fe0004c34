//! The benchmarked routes, and the DynamoDB round trips each makes (counted with the
//! SDK interceptor every client carries, `ecrm_core::telemetry`).

use crate::floor::{Floor, floor_once};
use crate::system::{Fixtures, System, Who, quote_json, sign_up_json};

pub struct RouteBench {
    pub label: String,
    pub method: &'static str,
    pub path: String,
    /// `{n}` becomes a per-request unique token.
    pub body: Option<String>,
    pub who: Who,
    pub floor: Floor,
}

/// Round trips of one request: its HTTP status, the runner's count and the floor's.
pub type RoundTrips = (u16, u64, u64);

fn get(label: &str, path: &str, who: Who, floor: Floor) -> RouteBench {
    RouteBench {
        label: label.into(),
        method: "GET",
        path: path.into(),
        body: None,
        who,
        floor,
    }
}

/// The long-ledger case's baseline for the consent history: a full first page.
pub const CONSENTS_PAGE: &str = "GET /api/me/consents?limit=20 (20 ledger entries)";

/// Every route `make bench` measures, with the store calls of its floor. The last four
/// are the long-ledger case: `GET /api/me` for a fresh account against one with 1,000
/// consent entries, and the consent history's first page (20 entries) for a customer
/// with one page of entries against one with 1,000.
pub fn benchmarked(fixtures: &Fixtures) -> Vec<RouteBench> {
    let Fixtures { quote_id, sku, .. } = fixtures;
    let ledger = crate::system::LEDGER_ENTRIES;
    vec![
        get(
            "GET /api/health/registration",
            "/api/health/registration",
            Who::Visitor,
            Floor::None,
        ),
        get(
            "GET /api/catalog",
            "/api/catalog",
            Who::Visitor,
            Floor::Catalog,
        ),
        get("GET /api/me", "/api/me", Who::Main, Floor::Me(Who::Main)),
        get(
            "GET /api/me/quotes",
            "/api/me/quotes",
            Who::Main,
            Floor::MyQuotes,
        ),
        get(
            "GET /api/quotes/{id}",
            &format!("/api/quotes/{quote_id}"),
            Who::Main,
            Floor::GetQuote,
        ),
        get(
            "GET /api/recommendations",
            "/api/recommendations",
            Who::Main,
            Floor::Recommendations,
        ),
        RouteBench {
            label: "POST /api/customers".into(),
            method: "POST",
            path: "/api/customers".into(),
            body: Some(sign_up_json("{n}@bench.example.com").to_string()),
            who: Who::Visitor,
            floor: Floor::SignUp,
        },
        RouteBench {
            label: "POST /api/quotes".into(),
            method: "POST",
            path: "/api/quotes".into(),
            body: Some(quote_json(sku).to_string()),
            who: Who::Main,
            floor: Floor::CreateQuote,
        },
        get(
            "GET /api/me (fresh account)",
            "/api/me",
            Who::Fresh,
            Floor::Me(Who::Fresh),
        ),
        get(
            &format!("GET /api/me ({ledger} ledger entries)"),
            "/api/me",
            Who::Ledger,
            Floor::Me(Who::Ledger),
        ),
        get(
            CONSENTS_PAGE,
            "/api/me/consents?limit=20",
            Who::Page,
            Floor::Consents(Who::Page),
        ),
        get(
            &format!("GET /api/me/consents?limit=20 ({ledger} ledger entries)"),
            "/api/me/consents?limit=20",
            Who::Ledger,
            Floor::Consents(Who::Ledger),
        ),
    ]
}

/// The session cookie a route's requests carry ("" for none).
pub fn cookie<'a>(route: &RouteBench, fixtures: &'a Fixtures) -> &'a str {
    fixtures
        .customer(route.who)
        .map_or("", |c| c.cookie.as_str())
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
        let cookie = cookie(route, &system.fixtures);
        let response = system
            .send(
                reqwest::Method::from_bytes(route.method.as_bytes()).map_err(|e| e.to_string())?,
                &route.path,
                (!cookie.is_empty()).then_some(cookie),
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
