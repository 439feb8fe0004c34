//! The local runner: the whole system in one process, as in ../shared/design.md
//! section 1. dynoxide's HTTP server on a loopback port stands in for DynamoDB; the
//! functions reach it through the real `aws-sdk-dynamodb` client and an endpoint
//! setting, so nothing in the request path knows it is local. The endpoint is a guard
//! that refuses browsers' requests ([`store_guard`]); dynoxide itself listens where
//! nobody is told.

pub mod catalog_seed;
pub mod mailbox;
pub mod recs;
pub mod store_guard;
pub mod survey_results;
mod timers;
pub mod warm_up;

use aws_sdk_dynamodb::Client;
use axum::Router;
use axum::extract::Request;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
pub use catalog_seed::{CatalogSource, seed_store};
use ecrm_core::domain::session::ServerSecret;
use ecrm_core::store::Store;
use ecrm_core::table::{TableDefinition, ensure_table};
use ecrm_core::web::{self, AppState, SessionConfig};
use mailbox::DevMailbox;
pub use recs::RecsSeed;
use std::net::SocketAddr;
use std::path::PathBuf;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use tower::ServiceExt;
use tower_http::services::{ServeDir, ServeFile};
use warm_up::{Deferred, Loading};

/// Where dynoxide keeps its data.
#[derive(Debug, Clone)]
pub enum StoreMode {
    Memory,
    /// A SQLite file, created if missing.
    File(PathBuf),
}

#[derive(Debug, Clone)]
pub struct Options {
    pub listen: SocketAddr,
    pub store: StoreMode,
    /// The built site (`site/public`).
    pub site_dir: PathBuf,
    pub table: String,
    /// Signs sessions; see [`session_key_for`].
    pub session_key: ServerSecret,
    /// Deliver outbox mail to the development mailbox (off only in tests of the
    /// deployed mail worker, which must not race the runner's own).
    pub mail_worker: bool,
    /// Abuse limits (`Limits::from_env()` for `make run`).
    pub limits: ecrm_core::domain::limits::Limits,
    /// The catalog loaded at start when the table does not hold it already
    /// (`CatalogSource::from_env()` for `make run`: the retailer's whole list).
    pub catalog: CatalogSource,
    /// Customer service: staff addresses (`--staff`, `ECRM_STAFF`), the shop's service
    /// and escalation addresses, first-response targets.
    pub service: ecrm_core::domain::service_config::ServiceConfig,
    /// Where the recommendation lists come from when the table has none; the stream
    /// worker runs unless this is `RecsSeed::None`.
    pub recs: RecsSeed,
    /// Fit and write every list at start even if some are stored.
    pub rebuild_recs: bool,
}

/// The session key: kept in `<data dir>/session.key` (created with a fresh random key
/// on first run) so sessions survive restarts; a new random key for an in-memory store.
pub fn session_key_for(store: &StoreMode) -> Result<ServerSecret, String> {
    let StoreMode::File(db_path) = store else {
        return ServerSecret::generate();
    };
    let path = db_path.with_file_name("session.key");
    match std::fs::read_to_string(&path) {
        Ok(text) => {
            ServerSecret::from_base64(&text).map_err(|e| format!("{}: {e}", path.display()))
        }
        Err(_) => {
            let key = ServerSecret::generate()?;
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)
                    .map_err(|e| format!("{}: {e}", parent.display()))?;
            }
            write_owner_only(&path, &key.to_base64())
                .map_err(|e| format!("{}: {e}", path.display()))?;
            Ok(key)
        }
    }
}

/// Write a secret readable by its owner only (mode 0600 on Unix).
fn write_owner_only(path: &std::path::Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)?.write_all(text.as_bytes())
}

/// A server task and the switch that stops it.
struct Serving {
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<Result<(), String>>>,
}

impl Serving {
    fn spawn<F>(serve: impl FnOnce(oneshot::Receiver<()>) -> F) -> Self
    where
        F: std::future::Future<Output = Result<(), String>> + Send + 'static,
    {
        let (tx, rx) = oneshot::channel::<()>();
        Self {
            shutdown: Some(tx),
            task: Some(tokio::spawn(serve(rx))),
        }
    }

    async fn stop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

/// The local store: dynoxide's HTTP server on a hidden loopback address, behind the
/// guard on `addr` that everyone uses; stoppable and restartable on the same `addr`
/// (the fault tests stop it to see the API answer 503).
struct StoreServer {
    db: dynoxide::Database,
    /// The guard's address: the store endpoint.
    addr: SocketAddr,
    guard: Serving,
    dynoxide: Serving,
}

impl StoreServer {
    async fn start(db: dynoxide::Database, addr: SocketAddr) -> Result<Self, String> {
        let hidden = store_guard::hidden_listener().await?;
        let inner = hidden.local_addr().map_err(|e| e.to_string())?;
        let listener = TcpListener::bind(addr)
            .await
            .map_err(|e| format!("cannot bind the local store to {addr}: {e}"))?;
        let addr = listener.local_addr().map_err(|e| e.to_string())?;
        let dynoxide = {
            let db = db.clone();
            Serving::spawn(move |rx| {
                dynoxide::server::serve_with_shutdown(hidden, db, async {
                    let _ = rx.await;
                })
            })
        };
        let guard = Serving::spawn(move |rx| {
            store_guard::serve(listener, inner, async {
                let _ = rx.await;
            })
        });
        Ok(Self {
            db,
            addr,
            guard,
            dynoxide,
        })
    }

    async fn stop(&mut self) {
        self.guard.stop().await;
        self.dynoxide.stop().await;
    }
}

/// A running system. Dropping it does not stop it; call [`Running::shutdown`].
pub struct Running {
    /// Where the site and `/api` are served.
    pub addr: SocketAddr,
    /// A client on the same store the functions use (for seeding and for tests that
    /// inspect the table).
    pub client: Client,
    pub table: String,
    store: StoreServer,
    api_shutdown: Option<oneshot::Sender<()>>,
    api_task: Option<JoinHandle<()>>,
    mail_worker: Option<JoinHandle<()>>,
    escalator: Option<JoinHandle<()>>,
    recs_worker: Option<JoinHandle<()>>,
}

impl Running {
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn store_endpoint(&self) -> String {
        format!("http://{}", self.store.addr)
    }

    /// Stop the store's HTTP server (the data is kept): the API now finds it down.
    pub async fn stop_store(&mut self) {
        self.store.stop().await;
    }

    /// Start the store's HTTP server again on the same port with the same data.
    pub async fn restart_store(&mut self) -> Result<(), String> {
        self.store.stop().await;
        self.store = StoreServer::start(self.store.db.clone(), self.store.addr).await?;
        Ok(())
    }

    /// Stop serving, then stop the store.
    pub async fn shutdown(mut self) {
        if let Some(worker) = self.mail_worker.take() {
            worker.abort();
        }
        if let Some(worker) = self.escalator.take() {
            worker.abort();
        }
        if let Some(worker) = self.recs_worker.take() {
            worker.abort();
        }
        if let Some(tx) = self.api_shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.api_task.take() {
            let _ = task.await;
        }
        self.store.stop().await;
    }
}

/// Every function's routes, merged as API Gateway would route them.
pub fn api_routes(state: AppState) -> Router {
    Router::new()
        .merge(registration::router(state.clone()))
        .merge(preferences::router(state.clone()))
        .merge(quotes::router(state.clone()))
        .merge(staff::router(state.clone()))
        .merge(recommendations::router(state))
}

/// The whole application: `/api` from the functions, everything else from the site,
/// each response with the security headers that CloudFront adds when deployed.
pub fn app(state: AppState, site_dir: PathBuf, mailbox: DevMailbox) -> Router {
    let not_found = ServeFile::new(site_dir.join("404.html"));
    let site = ServeDir::new(&site_dir).not_found_service(not_found);
    // Under /es/ a missing page answers the Spanish 404 page (content/not-found.es.md).
    let not_found_es = ServeFile::new(site_dir.join("es/not-found/index.html"));
    let site_es = ServeDir::new(&site_dir).not_found_service(not_found_es);
    let api = web::api(state.clone(), api_routes(state));
    // Dispatch by prefix in the fallback, the way CloudFront does: the API router then
    // sees the request untouched (full /api path, no outer route or path parameters),
    // exactly as it does behind API Gateway.
    let dispatch = move |request: Request| {
        let (api, site, site_es) = (api.clone(), site.clone(), site_es.clone());
        async move {
            let path = request.uri().path();
            if path == "/api" || path.starts_with("/api/") {
                api.oneshot(request).await.into_response()
            } else if path.starts_with("/es/") {
                site_es.oneshot(request).await.into_response()
            } else {
                site.oneshot(request).await.into_response()
            }
        }
    };
    Router::new()
        .merge(mailbox::routes(mailbox))
        .fallback(dispatch)
        .layer(middleware::from_fn(add_security_headers))
}

async fn add_security_headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    for (name, value) in web::security_headers() {
        headers.insert(name.clone(), value.clone());
    }
    response
}

fn open_database(mode: &StoreMode) -> Result<dynoxide::Database, String> {
    match mode {
        StoreMode::Memory => {
            dynoxide::Database::memory().map_err(|e| format!("in-memory store: {e}"))
        }
        StoreMode::File(path) => {
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)
                    .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
            }
            let path_str = path.to_str().ok_or("store path is not UTF-8")?;
            dynoxide::Database::new(path_str)
                .map_err(|e| format!("store at {}: {e}", path.display()))
        }
    }
}

/// Start the store, create the table from `infra/table.json`, load the catalog and the
/// recommendation lists, and serve.
pub async fn start(options: Options) -> Result<Running, String> {
    start_loading(options, Loading::BeforeServing).await
}

/// Like [`start`], listening as soon as the featured items are in: the whole catalog
/// and the recommendation lists load in the background (`make run`).
pub async fn start_serving_first(options: Options) -> Result<Running, String> {
    start_loading(options, Loading::InBackground).await
}

async fn start_loading(options: Options, loading: Loading) -> Result<Running, String> {
    let db = open_database(&options.store)?;
    let store = StoreServer::start(db, SocketAddr::from(([127, 0, 0, 1], 0))).await?;
    let client = ecrm_core::config::local_dynamodb_client(&format!("http://{}", store.addr));
    let definition = TableDefinition::load()?;
    ensure_table(&client, &definition, &options.table).await?;
    // The catalog, unless the table holds this very one already (a SQLite store kept
    // from an earlier run).
    let deferred_catalog = warm_up::catalog_first(
        &Store::new(client.clone(), options.table.clone()),
        &options.catalog,
        loading,
    )
    .await?;

    // Plain http on loopback: the one place cookies go without `Secure`.
    let sessions = SessionConfig {
        key: options.session_key,
        secure_cookies: false,
        public_origin: None,
    };
    let mut state = AppState::new(Store::new(client.clone(), options.table.clone()), sessions);
    state.app = state.app.with_limits(options.limits);
    state.app = state.app.with_service(options.service.clone());
    let listener = TcpListener::bind(options.listen)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", options.listen))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let (tx, rx) = oneshot::channel::<()>();
    let mailbox = DevMailbox::default();
    mailbox.serve_at(addr);
    let mail_worker = options
        .mail_worker
        .then(|| tokio::spawn(timers::deliver_mail(state.store().clone(), mailbox.clone())));
    Deferred::new(deferred_catalog, options.recs.clone(), options.rebuild_recs)
        .finish(state.app.clone())
        .await?;
    let recs_worker = (options.recs != RecsSeed::None).then(|| {
        tokio::spawn(recs::drive_worker(
            store.db.clone(),
            options.table.clone(),
            state.app.clone(),
        ))
    });
    let state_for_escalator = state.app.clone();
    let app = app(state, options.site_dir, mailbox);
    let api_task = tokio::spawn(async move {
        // With the peer's address: per-client abuse limits key on it locally.
        let served = axum::serve(
            listener,
            app.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(async {
            let _ = rx.await;
        })
        .await;
        if let Err(error) = served {
            tracing::error!(%error, "server stopped with an error");
        }
    });
    Ok(Running {
        addr,
        client,
        table: options.table,
        store,
        api_shutdown: Some(tx),
        api_task: Some(api_task),
        mail_worker,
        escalator: Some(tokio::spawn(timers::escalate_on_timer(state_for_escalator))),
        recs_worker,
    })
}
