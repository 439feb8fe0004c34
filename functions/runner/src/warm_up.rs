//! What the runner loads before it serves and what may come after. Tests (and the
//! bench) load everything first, so every request sees the finished system. `make run`
//! serves first: on a table without a catalog it seeds the 39 featured items (a tenth
//! of a second), starts listening, and then loads the retailer's whole catalog and fits
//! the recommendation lists in the background (about a minute and a half on 2 cores,
//! once: a kept SQLite store holds both at the next start). Until then the catalog has
//! the featured items and recommendations answer from what the customer stated.

use crate::catalog_seed::{self, CatalogSource};
use crate::recs::{self, RecsSeed};
use ecrm_core::app::App;
use ecrm_core::store::Store;

/// When the catalog and the recommendation lists are loaded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Loading {
    /// Before the runner listens (tests, the bench, `--rebuild-recs`).
    BeforeServing,
    /// Featured items before, the rest after the runner listens (`make run`).
    InBackground,
}

/// What is left to load once the runner listens.
pub struct Deferred {
    catalog: Option<CatalogSource>,
    recs: RecsSeed,
    rebuild_recs: bool,
}

/// The catalog part that must be there before serving: all of it, or (in the
/// background mode) the featured items when the table holds no catalog at all.
pub async fn catalog_first(
    store: &Store,
    source: &CatalogSource,
    loading: Loading,
) -> Result<Option<CatalogSource>, String> {
    if loading == Loading::BeforeServing || *source == CatalogSource::Featured {
        println!("{}", catalog_seed::load_catalog(store, source).await?);
        return Ok(None);
    }
    let held = ecrm_core::store::catalog::loaded(store)
        .await
        .map_err(|e| format!("reading the catalog version: {e}"))?;
    if held.is_none() {
        println!(
            "{}",
            catalog_seed::load_catalog(store, &CatalogSource::Featured).await?
        );
    }
    println!("catalog: the whole list loads in the background (checked at every start)");
    Ok(Some(source.clone()))
}

impl Deferred {
    pub fn new(catalog: Option<CatalogSource>, recs: RecsSeed, rebuild_recs: bool) -> Self {
        Deferred {
            catalog,
            recs,
            rebuild_recs,
        }
    }

    /// Load what is left: now, or in a task when the catalog was deferred.
    pub async fn finish(self, app: App) -> Result<(), String> {
        if self.catalog.is_none() {
            return self.run(&app).await;
        }
        tokio::spawn(async move {
            match self.run(&app).await {
                Ok(()) => println!("ready: the whole catalog and the recommendation lists"),
                Err(error) => eprintln!("ecrm-runner: background loading failed: {error}"),
            }
        });
        Ok(())
    }

    async fn run(self, app: &App) -> Result<(), String> {
        if let Some(source) = &self.catalog {
            println!("{}", catalog_seed::load_catalog(&app.store, source).await?);
        }
        if self.rebuild_recs {
            recs::rebuild(app, &self.recs).await.map(|_| ())
        } else {
            recs::ensure_lists(app, &self.recs).await
        }
    }
}
