//! The `quotes` function: catalog and instant quotes. For now it answers its health route only.

use axum::routing::get;
use axum::{Json, Router};
use ecrm_core::web::AppState;
use serde_json::{Value, json};

pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/api/health/quotes", get(health))
        .with_state(state)
}

async fn health() -> Json<Value> {
    Json(json!({ "status": "ok", "function": "quotes" }))
}
