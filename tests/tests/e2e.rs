//! The end-to-end tests, one binary (`cargo test -p ecrm-e2e`): one module per area,
//! sharing the harness in `tests/src/` (`ecrm_e2e`). One binary links the AWS SDK and
//! the emulator once, instead of once per file.
//!
//! Run one area with a name filter: `cargo test -p ecrm-e2e -- sessions_api::`.
//!
//! Every test runs in this one process, in parallel: each starts its own runner with
//! its own in-memory dynoxide on free loopback ports, and chromedriver on a free port;
//! log lines go through the one subscriber the harness installs (`ecrm_e2e::logs`),
//! which is how `logs_privacy` captures its own lines and only those.

// API over real HTTP, against an in-memory dynoxide.
mod faults_api;
mod logs_privacy;
mod preferences_api;
mod quotes_api;
mod sessions_api;
mod signup_api;

// The deployed mail worker, the OpenAPI document, the SAM template and deploy scripts.
mod contract;
mod infra_template;
mod mailer_worker;

// The site in headless Chromium.
mod browser_preferences;
mod browser_quotes;
mod browser_signin;
mod browser_signup;
mod browser_site;
