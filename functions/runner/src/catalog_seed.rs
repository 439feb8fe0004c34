//! Loading the catalog: the featured items (`infra/catalog.json`) and, when the
//! retailer's purchase log is at hand, its whole product list
//! (`ecrm_core::domain::catalog_import` holds the rules). Used at the runner's start,
//! by `ecrm-runner seed` (`make seed`) and by `ecrm-runner seed-catalog TABLE` for a
//! deployed table.
//!
//! The log is read from where it lies (never copied into the repository): the path in
//! `ECRM_RETAIL_LOG`, else [`DEFAULT_RETAIL_LOG`]. Loading is idempotent: the version
//! marker names the rules, the featured file and the log's bytes, and a table that
//! already holds that version is left alone (the log is not even parsed).

use ecrm_core::domain::catalog::{self, CATALOG_JSON, CatalogItem};
use ecrm_core::domain::catalog_import::{Import, LogRow, version};
use ecrm_core::store::Store;
use ecrm_core::store::catalog::{CatalogSeed, load};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Where the log lies in this project's checkout (beside the repository).
pub const DEFAULT_RETAIL_LOG: &str =
    "../shared/data/online-retail/online-retail-2010-12-01-to-2011-07-20.csv.gz";

/// Loads tried before giving up.
const LOAD_ATTEMPTS: u32 = 3;

/// Which catalog to load.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CatalogSource {
    /// The featured items only (the tests' default: quick to seed).
    Featured,
    /// The featured items and every product of this purchase log (CSV, plain or
    /// gzipped). A missing file loads the featured items and says so.
    RetailLog(PathBuf),
}

impl CatalogSource {
    /// The log named by `ECRM_RETAIL_LOG`, else the default path.
    pub fn from_env() -> Self {
        let path = std::env::var_os("ECRM_RETAIL_LOG")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from(DEFAULT_RETAIL_LOG));
        CatalogSource::RetailLog(path)
    }
}

/// What a load did, for the one line the runner prints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Loaded {
    pub items: usize,
    /// Items written to the table (the items, their index rows, the marker).
    pub written: usize,
    /// The table already held this catalog.
    pub skipped: bool,
    pub millis: u128,
    /// Why the log was not used, when it was asked for.
    pub note: Option<String>,
}

impl std::fmt::Display for Loaded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if let Some(note) = &self.note {
            writeln!(f, "catalog: {note}")?;
        }
        if self.skipped {
            write!(
                f,
                "catalog: {} items already loaded ({} ms)",
                self.items, self.millis
            )
        } else {
            write!(
                f,
                "catalog: loaded {} items ({} table items with the index) in {} ms",
                self.items, self.written, self.millis
            )
        }
    }
}

/// The featured items and the imported rest from a log's bytes.
pub fn import_log(bytes: &[u8], featured: &[CatalogItem]) -> Result<Vec<CatalogItem>, String> {
    let reader: Box<dyn Read + '_> = if bytes.starts_with(&[0x1f, 0x8b]) {
        Box::new(flate2::read::GzDecoder::new(bytes))
    } else {
        Box::new(bytes)
    };
    let mut csv = csv::ReaderBuilder::new().flexible(true).from_reader(reader);
    let headers = csv
        .headers()
        .map_err(|e| format!("log header: {e}"))?
        .clone();
    let column = |name: &str| {
        headers
            .iter()
            .position(|h| h.trim() == name)
            .ok_or(format!("the log has no {name} column"))
    };
    let (invoice, code, text, quantity, price) = (
        column("InvoiceNo")?,
        column("StockCode")?,
        column("Description")?,
        column("Quantity")?,
        column("UnitPrice")?,
    );
    let mut import = Import::new();
    let mut record = csv::StringRecord::new();
    while csv
        .read_record(&mut record)
        .map_err(|e| format!("log row: {e}"))?
    {
        let field = |i: usize| record.get(i).unwrap_or("");
        import.add(LogRow {
            invoice: field(invoice),
            stock_code: field(code),
            description: field(text),
            quantity: field(quantity),
            unit_price: field(price),
        });
    }
    let items = import.finish(featured);
    catalog::check_all(items, ecrm_core::site_config::facts())
        .map_err(|problems| format!("imported catalog: {}", problems.join("; ")))
}

/// Load `source` into `store` unless it is there already.
pub async fn load_catalog(store: &Store, source: &CatalogSource) -> Result<Loaded, String> {
    let started = Instant::now();
    let featured = catalog::bundled()?;
    let (log, note) = match source {
        CatalogSource::Featured => (None, None),
        CatalogSource::RetailLog(path) => match std::fs::read(path) {
            Ok(bytes) => (Some((path.as_path(), bytes)), None),
            Err(error) => (None, Some(missing(path, &error))),
        },
    };
    let version = version(CATALOG_JSON, log.as_ref().map(|(_, b)| b.as_slice()));
    let loaded = ecrm_core::store::catalog::loaded(store)
        .await
        .map_err(|e| format!("reading the catalog version: {e}"))?;
    if let Some((held, items)) = loaded
        && held == version
    {
        return Ok(Loaded {
            items,
            written: 0,
            skipped: true,
            millis: started.elapsed().as_millis(),
            note,
        });
    }
    let imported = match &log {
        Some((path, bytes)) => import_log(bytes, &featured)
            .map_err(|e| format!("{}: {e}", path.display()))?
            .into_iter()
            .skip(featured.len())
            .collect(),
        None => Vec::new(),
    };
    tracing::info!(
        imported = imported.len(),
        ms = started.elapsed().as_millis() as u64,
        "catalog log read"
    );
    let seed = CatalogSeed {
        featured: &featured,
        imported: &imported,
        version: &version,
    };
    // A load is idempotent: a busy machine's timeout is worth another go or two.
    let mut attempt = 1;
    let seeded = loop {
        match load(store, seed).await {
            Ok(seeded) => break seeded,
            Err(error) if attempt < LOAD_ATTEMPTS => {
                tracing::warn!(attempt, %error, "catalog load failed, trying again");
                attempt += 1;
            }
            Err(error) => return Err(format!("seeding the catalog: {error}")),
        }
    };
    Ok(Loaded {
        items: seeded.items,
        written: seeded.written,
        skipped: seeded.skipped,
        millis: started.elapsed().as_millis(),
        note,
    })
}

/// Load the catalog into a local store without serving (`ecrm-runner seed`).
pub async fn seed_store(mode: super::StoreMode, source: CatalogSource) -> Result<Loaded, String> {
    let db = super::open_database(&mode)?;
    let mut store =
        super::StoreServer::start(db, std::net::SocketAddr::from(([127, 0, 0, 1], 0))).await?;
    let client = ecrm_core::config::local_dynamodb_client(&format!("http://{}", store.addr));
    ecrm_core::table::ensure_table(
        &client,
        &ecrm_core::table::TableDefinition::load()?,
        ecrm_core::config::DEFAULT_TABLE,
    )
    .await?;
    let loaded = load_catalog(
        &Store::new(client, ecrm_core::config::DEFAULT_TABLE),
        &source,
    )
    .await;
    store.stop().await;
    loaded
}

fn missing(path: &Path, error: &std::io::Error) -> String {
    format!(
        "no retailer log at {} ({error}; set ECRM_RETAIL_LOG to its path): loading only the featured items",
        path.display()
    )
}
