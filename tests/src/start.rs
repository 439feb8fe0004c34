//! Starting a test system: a whole eCRM per test (runner, in-memory dynoxide, the
//! built site) on free loopback ports, in the variants tests need.

use crate::{TestApp, logs, repo_root, test_service};
use ecrm_core::domain::limits::Limits;
use ecrm_core::domain::service_config::ServiceConfig;
use ecrm_core::domain::session::ServerSecret;
use ecrm_runner::{CatalogSource, Options, Running, StoreMode};

impl TestApp {
    /// A fresh system with an empty in-memory store.
    pub async fn start() -> TestApp {
        Self::start_with(true).await
    }

    /// Like [`TestApp::start`], choosing whether the runner delivers outbox mail.
    /// Abuse limits are raised far above what any test does from its one address (the
    /// limits' own test uses [`TestApp::start_with_limits`]).
    pub async fn start_with(mail_worker: bool) -> TestApp {
        Self::start_full(mail_worker, Limits::default().scaled(10_000)).await
    }

    /// A fresh system with these abuse limits.
    pub async fn start_with_limits(limits: Limits) -> TestApp {
        Self::start_full(true, limits).await
    }

    /// A fresh system with these customer-service settings (staff, targets).
    pub async fn start_with_service(service: ServiceConfig) -> TestApp {
        Self::start_options(true, Limits::default().scaled(10_000), service).await
    }

    /// A fresh system whose catalog comes from `catalog` (a fixture log, or the
    /// retailer's whole one); every other start seeds the featured items only, which
    /// is quick.
    pub async fn start_with_catalog(catalog: CatalogSource) -> TestApp {
        Self::start_catalog(
            true,
            Limits::default().scaled(10_000),
            test_service(),
            catalog,
        )
        .await
    }

    async fn start_full(mail_worker: bool, limits: Limits) -> TestApp {
        Self::start_options(mail_worker, limits, test_service()).await
    }

    /// Like [`TestApp::start_with_catalog`], as `make run` starts: listening once the
    /// featured items are in, the rest of `catalog` and the lists loading behind.
    pub async fn start_serving_first(catalog: CatalogSource) -> TestApp {
        let options = Self::options(
            true,
            Limits::default().scaled(10_000),
            test_service(),
            catalog,
        );
        let session_key = options.session_key.clone();
        let running = ecrm_runner::start_serving_first(options)
            .await
            .expect("runner starts");
        Self::with_client(running, session_key)
    }

    async fn start_options(mail_worker: bool, limits: Limits, service: ServiceConfig) -> TestApp {
        Self::start_catalog(mail_worker, limits, service, CatalogSource::Featured).await
    }

    async fn start_catalog(
        mail_worker: bool,
        limits: Limits,
        service: ServiceConfig,
        catalog: CatalogSource,
    ) -> TestApp {
        let options = Self::options(mail_worker, limits, service, catalog);
        let session_key = options.session_key.clone();
        let running = ecrm_runner::start(options).await.expect("runner starts");
        Self::with_client(running, session_key)
    }

    fn options(
        mail_worker: bool,
        limits: Limits,
        service: ServiceConfig,
        catalog: CatalogSource,
    ) -> Options {
        logs::init();
        Options {
            listen: "127.0.0.1:0".parse().expect("literal address"),
            store: StoreMode::Memory,
            site_dir: repo_root().join("site/public"),
            table: ecrm_core::config::DEFAULT_TABLE.into(),
            session_key: ServerSecret::generate().expect("randomness"),
            mail_worker,
            limits,
            catalog,
            recs: ecrm_runner::RecsSeed::Fixture,
            rebuild_recs: false,
            service,
        }
    }

    fn with_client(running: Running, session_key: ServerSecret) -> TestApp {
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("http client");
        TestApp {
            running,
            http,
            session_key,
        }
    }
}
