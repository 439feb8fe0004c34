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
//!
//! Cargo builds no other test target in this crate (`autotests = false` in
//! tests/Cargo.toml): a new file in tests/tests/ runs only once it is named below, which
//! [`every_test_file_is_a_module_of_this_binary`] checks.

// API over real HTTP, against an in-memory dynoxide.
mod catalog_api;
mod events_api;
mod faults_api;
mod faults_workload;
mod knowing_buys_for_api;
mod knowing_profile_read_api;
mod knowing_survey_api;
mod logs_privacy;
mod mail_lifecycle;
mod optin_api;
mod orders_api;
mod preferences_addresses_api;
mod preferences_consents_api;
mod preferences_email_api;
mod preferences_erasure_api;
mod preferences_profile_api;
mod quote_preview_api;
mod quotes_idempotency_api;
mod quotes_members_api;
mod quotes_visitor_api;
mod recommendations_api;
mod service_api;
mod service_visitor_api;
mod sessions_cookies_api;
mod sessions_enumeration_api;
mod sessions_signin_api;
mod signup_flow_api;
mod signup_input_api;
mod signup_routes_api;
mod staff_api;
mod timeline_api;

// The deployed mail worker, the OpenAPI document, the SAM template and deploy scripts.
mod contract;
mod infra_template;
mod infra_template_access;
mod infra_template_resources;
mod infra_template_scripts;
mod mailer_worker;

// The site in headless Chromium.
mod browser_catalog;
mod browser_optin;
mod browser_pages_member;
mod browser_pages_quotes;
mod browser_pages_spanish;
mod browser_preferences;
mod browser_quotes;
mod browser_recommendations;
mod browser_service;
mod browser_signin;
mod browser_signup;
mod browser_site;
mod browser_site_checks;
mod browser_survey;

/// A file in tests/tests/ that is not a module here would never be compiled or run.
#[test]
fn every_test_file_is_a_module_of_this_binary() {
    let dir = ecrm_e2e::repo_root().join("tests/tests");
    let root = std::fs::read_to_string(dir.join("e2e.rs")).expect("tests/tests/e2e.rs");
    for entry in std::fs::read_dir(&dir).expect("tests/tests") {
        let path = entry.expect("a directory entry").path();
        let Some(name) = path.file_stem().and_then(|s| s.to_str()) else {
            continue;
        };
        if path.extension().is_some_and(|e| e == "rs") && name != "e2e" {
            assert!(
                root.contains(&format!("\nmod {name};\n")),
                "tests/tests/{name}.rs is not run: add `mod {name};` to tests/tests/e2e.rs"
            );
        }
    }
}
