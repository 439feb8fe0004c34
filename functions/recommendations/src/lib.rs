//! The `recommendations` function: behaviour events and recommendations. For now it
//! answers its health route only. Its routes are listed once, in [`routes`]: the router
//! and its part of the OpenAPI document.

use axum::{Json, Router};
use ecrm_core::app::views::Health;
use ecrm_core::web::AppState;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// This function's routes: its router and its part of the OpenAPI document.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(health))
}

pub fn router(state: AppState) -> Router {
    routes().split_for_parts().0.with_state(state)
}

/// This function's part of the OpenAPI document.
pub fn api() -> utoipa::openapi::OpenApi {
    routes().into_openapi()
}

/// Whether the recommendations function answers.
#[utoipa::path(get, path = "/api/health/recommendations", operation_id = "health_recommendations",
    responses((status = 200, description = "It answers.", body = Health)))]
async fn health() -> Json<Health> {
    Json(Health::of("recommendations"))
}
