//! eCRM's shared library.
//!
//! - [`app`]: the service layer, one module per use case (rules + which store calls).
//! - [`domain`]: plain types and pure rules (no I/O).
//! - [`store`]: the only code that builds DynamoDB requests, one module per aggregate.
//! - [`web`]: HTTP concerns shared by every function (JSON extraction, problem+json,
//!   request logging, security headers).
//! - [`config`]: environment and the one AWS client a function uses.
//! - [`site_config`]: facts the site and the API share (policy version, topics, countries).
//! - [`openapi`]: how the OpenAPI 3.1 document is assembled from the functions'
//!   routers (utoipa), its shared error responses and the rules its schemas state.
//! - [`table`]: the single-table definition that the runner and the SAM template use.

pub mod access;
pub mod app;
pub mod config;
pub mod domain;
pub mod mail;
pub mod openapi;
pub mod routes;
pub mod site_config;
pub mod store;
pub mod table;
pub mod telemetry;
pub mod web;
