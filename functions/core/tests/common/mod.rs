//! The store the core's integration tests run against: dynoxide in memory behind its
//! HTTP server, reached with the real SDK client, the table created from
//! `infra/table.json` (as the runner does). Each call starts its own emulator.

use ecrm_core::store::Store;
use ecrm_core::table::{TableDefinition, ensure_table};

pub async fn store(table: &str) -> Store {
    let db = dynoxide::Database::memory().expect("in-memory emulator");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a loopback port");
    let endpoint = format!("http://{}", listener.local_addr().expect("bound"));
    tokio::spawn(dynoxide::server::serve_on(listener, db));
    let client = ecrm_core::config::local_dynamodb_client(&endpoint);
    let definition = TableDefinition::load().expect("infra/table.json");
    ensure_table(&client, &definition, table)
        .await
        .expect("table created");
    Store::new(client, table)
}
