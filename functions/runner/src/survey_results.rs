//! `ecrm-runner survey-results [TABLE]`: how many customers gave each answer to each
//! survey question, for the shop. Totals only: no customer id or individual answer is
//! printed. Without TABLE it reads the local store (`.local/ecrm.sqlite`; stop
//! `make run` first, it holds the store).

use crate::{StoreMode, StoreServer, open_database};
use ecrm_core::app::surveys::{ResultLine, results};
use ecrm_core::domain::survey;
use ecrm_core::store::Store;
use ecrm_core::table::{TableDefinition, ensure_table};
use std::net::SocketAddr;

/// The results as text: one line per survey, question and option, with labels.
pub fn format(lines: &[ResultLine]) -> String {
    let mut out = String::new();
    for s in survey::all() {
        out.push_str(&format!("{} ({})\n", s.title.en, s.id));
        for q in &s.questions {
            out.push_str(&format!("  {}\n", q.text.en));
            for o in &q.options {
                let count = lines
                    .iter()
                    .find(|l| l.survey == s.id && l.question == q.id && l.option == o.id)
                    .map_or(0, |l| l.count);
                out.push_str(&format!("    {count:>6}  {}\n", o.en));
            }
        }
    }
    out
}

async fn read(store: &Store) -> Result<String, String> {
    results(store)
        .await
        .map(|lines| format(&lines))
        .map_err(|e| format!("{e:?}"))
}

/// From a deployed table (AWS credentials from the environment).
pub async fn deployed(table: String) -> Result<String, String> {
    let config = ecrm_core::config::Config {
        table,
        dynamodb_endpoint: None,
    };
    let client = ecrm_core::config::dynamodb_client(&config).await;
    read(&Store::new(client, config.table)).await
}

/// From the local store.
pub async fn local(mode: StoreMode) -> Result<String, String> {
    let db = open_database(&mode)?;
    let mut server = StoreServer::start(db, SocketAddr::from(([127, 0, 0, 1], 0))).await?;
    let client = ecrm_core::config::local_dynamodb_client(&format!("http://{}", server.addr));
    let table = ecrm_core::config::DEFAULT_TABLE;
    let out = match ensure_table(&client, &TableDefinition::load()?, table).await {
        Ok(()) => read(&Store::new(client, table)).await,
        Err(e) => Err(e),
    };
    server.stop().await;
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_show_every_option_with_its_count() {
        let lines = vec![ResultLine {
            survey: "first-order".into(),
            question: "found_us".into(),
            option: "friend".into(),
            count: 3,
        }];
        let text = format(&lines);
        assert!(text.contains("     3  A friend or colleague"), "{text}");
        assert!(text.contains("     0  A search engine"), "{text}");
    }
}
