//! The system under test, started in this process (the local runner over an in-memory
//! dynoxide, mail worker off so nothing else touches the store), and the fixtures the
//! routes and the floor need: customers signed up through the API (one with an address
//! and a quote, one fresh, one with a 1,000-entry consent ledger).

use aws_sdk_dynamodb::Client;
use ecrm_core::domain::session::ServerSecret;
use ecrm_core::store::Store;
use ecrm_runner::{Options, Running, StoreMode};
use serde_json::{Value, json};
use std::path::PathBuf;

/// Whose session a request carries.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Who {
    /// No session.
    Visitor,
    /// The main fixture: an address and a quote.
    Main,
    /// Signed up and verified, nothing else.
    Fresh,
    /// Like `Fresh`, then `PAGE_ENTRIES` consent changes: a full first ledger page.
    Page,
    /// Like `Fresh`, then `LEDGER_ENTRIES` consent changes.
    Ledger,
}

/// Consent changes made by the `Page` customer: one full page of the ledger.
pub const PAGE_ENTRIES: usize = 20;

/// Consent changes made by the `Ledger` customer.
pub const LEDGER_ENTRIES: usize = 1_000;

/// A signed-up customer: id and session cookie (`ecrm_session=…`).
#[derive(Clone, Debug, Default)]
pub struct Customer {
    pub id: String,
    pub cookie: String,
}

/// What the floor calls need: the store and the fixtures' ids.
#[derive(Clone)]
pub struct Fixtures {
    pub store: Store,
    /// The runner's server secret (the sign-up floor hashes with it as the route does).
    pub secret: ServerSecret,
    pub main: Customer,
    pub fresh: Customer,
    pub page: Customer,
    pub ledger: Customer,
    /// Customers of the mixed load, one per load task.
    pub load: Vec<Customer>,
    pub quote_id: String,
    pub sku: String,
}

impl Fixtures {
    pub fn customer(&self, who: Who) -> Option<&Customer> {
        match who {
            Who::Visitor => None,
            Who::Main => Some(&self.main),
            Who::Fresh => Some(&self.fresh),
            Who::Page => Some(&self.page),
            Who::Ledger => Some(&self.ledger),
        }
    }
}

pub fn sign_up_json(email: &str) -> Value {
    json!({
        "email": email, "display_name": "Bench", "language": "en", "country": "GB",
        "topics": [], "consents": {"account": true, "marketing_email": false, "personalisation": true}
    })
}

pub fn quote_json(sku: &str) -> Value {
    json!({ "lines": [{ "sku": sku, "quantity": 2 }], "country": "GB" })
}

/// The running system, an HTTP client for it, and the fixtures.
pub struct System {
    pub running: Running,
    pub url: String,
    pub http: reqwest::Client,
    pub session_key: ServerSecret,
    pub fixtures: Fixtures,
}

fn err(e: impl std::fmt::Display) -> String {
    e.to_string()
}

impl System {
    /// Start the runner and make the fixtures through the API.
    pub async fn start(load_customers: usize, ledger_entries: usize) -> Result<System, String> {
        let session_key = ServerSecret::generate()?;
        let running = ecrm_runner::start(Options {
            listen: "127.0.0.1:0".parse().map_err(err)?,
            store: StoreMode::Memory,
            site_dir: PathBuf::from("site/public"),
            table: ecrm_core::config::DEFAULT_TABLE.into(),
            session_key: session_key.clone(),
            mail_worker: false,
            // Load runs make thousands of requests from one address.
            limits: ecrm_core::domain::limits::Limits::default().scaled(1_000_000),
            catalog: ecrm_runner::CatalogSource::Featured,
            recs: ecrm_runner::RecsSeed::Fixture,
            rebuild_recs: false,
            service: ecrm_core::domain::service_config::ServiceConfig::default(),
        })
        .await?;
        let url = running.url();
        let client: Client = running.client.clone();
        let store = Store::new(client, running.table.clone());
        let mut system = System {
            running,
            url,
            http: reqwest::Client::new(),
            session_key: session_key.clone(),
            fixtures: Fixtures {
                store,
                secret: session_key.clone(),
                main: Customer::default(),
                fresh: Customer::default(),
                page: Customer::default(),
                ledger: Customer::default(),
                load: Vec::new(),
                quote_id: String::new(),
                sku: String::new(),
            },
        };
        let main = system.sign_up_verified("bench@example.com").await?;
        let catalog_body = system.json(reqwest::Method::GET, "/api/catalog", None, None);
        let sku = catalog_body.await?["items"][0]["sku"]
            .as_str()
            .ok_or("empty catalog")?
            .to_string();
        let address = json!({ "kinds": ["billing"], "name": "Bench", "line1": "1 High Street",
                               "city": "London", "postal_code": "SW1A 1AA", "country": "GB" });
        let addresses = "/api/me/addresses";
        system
            .json(
                reqwest::Method::POST,
                addresses,
                Some(&main.cookie),
                Some(address),
            )
            .await?;
        let quote = system
            .json(
                reqwest::Method::POST,
                "/api/quotes",
                Some(&main.cookie),
                Some(quote_json(&sku)),
            )
            .await?;
        system.fixtures.quote_id = quote["id"].as_str().ok_or("no quote id")?.to_string();
        system.fixtures.sku = sku;
        system.fixtures.main = main;
        system.fixtures.fresh = system.sign_up_verified("fresh@bench.example.com").await?;
        for i in 0..load_customers {
            let email = format!("load-{i}@bench.example.com");
            let customer = system.sign_up_verified(&email).await?;
            system.fixtures.load.push(customer);
        }
        // Last: their consent receipts fill the outbox that sign-ups read codes from.
        let page = system.sign_up_verified("page@bench.example.com").await?;
        let ledger = system.sign_up_verified("ledger@bench.example.com").await?;
        system.fill_ledger(&page, PAGE_ENTRIES).await?;
        system.fixtures.page = page;
        system.fill_ledger(&ledger, ledger_entries).await?;
        system.fixtures.ledger = ledger;
        Ok(system)
    }

    /// Sign up `email` and finish it with the mailed code (read from the outbox: no
    /// mail worker runs here), as the site does.
    pub async fn sign_up_verified(&self, email: &str) -> Result<Customer, String> {
        let post = reqwest::Method::POST;
        self.checked(
            post.clone(),
            "/api/customers",
            None,
            Some(sign_up_json(email)),
        )
        .await?;
        let mail = ecrm_core::store::outbox::pending(&self.fixtures.store, 1000)
            .await
            .map_err(err)?;
        let text = mail
            .iter()
            .rev()
            .find(|m| m.to == email)
            .map(|m| m.text.clone())
            .ok_or("no sign-up mail")?;
        let code = text
            .split_once("code is ")
            .and_then(|(_, rest)| rest.get(..9))
            .ok_or("no code in the sign-up mail")?;
        let body = json!({"email": email, "code": code});
        let verified = self
            .checked(post, "/api/sessions/verify", None, Some(body))
            .await?;
        let cookie = verified
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with("ecrm_session="))
            .and_then(|v| v.split(';').next())
            .ok_or("sign-up set no cookie")?
            .to_string();
        let customer: Value = verified.json().await.map_err(err)?;
        let id = customer["id"].as_str().ok_or("no id")?.to_string();
        Ok(Customer { id, cookie })
    }

    /// `entries` consent changes (personalisation withdrawn, granted, …), one at a
    /// time, through the API.
    async fn fill_ledger(&self, customer: &Customer, entries: usize) -> Result<(), String> {
        for i in 0..entries {
            let body = json!({ "granted": i % 2 == 1 });
            self.checked(
                reqwest::Method::PUT,
                "/api/me/consents/personalisation",
                Some(&customer.cookie),
                Some(body),
            )
            .await?;
        }
        Ok(())
    }

    /// One request that must succeed (2xx).
    pub async fn checked(
        &self,
        method: reqwest::Method,
        path: &str,
        cookie: Option<&str>,
        body: Option<Value>,
    ) -> Result<reqwest::Response, String> {
        let response = self
            .send(method.clone(), path, cookie, body.map(|b| b.to_string()))
            .await
            .map_err(err)?;
        if !response.status().is_success() {
            let status = response.status();
            let text = response.text().await.unwrap_or_default();
            return Err(format!("{method} {path}: {status} {text}"));
        }
        Ok(response)
    }

    /// One request that must succeed, its JSON answer.
    pub async fn json(
        &self,
        method: reqwest::Method,
        path: &str,
        cookie: Option<&str>,
        body: Option<Value>,
    ) -> Result<Value, String> {
        let response = self.checked(method, path, cookie, body).await?;
        response.json().await.map_err(err)
    }

    /// One request to the runner, as the site sends it (our Origin, JSON).
    pub async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        cookie: Option<&str>,
        body: Option<String>,
    ) -> reqwest::Result<reqwest::Response> {
        request(&self.http, &self.url, method, path, cookie, body).await
    }
}

/// The request built now, sent when awaited (the future borrows nothing).
pub fn request(
    http: &reqwest::Client,
    url: &str,
    method: reqwest::Method,
    path: &str,
    cookie: Option<&str>,
    body: Option<String>,
) -> impl Future<Output = reqwest::Result<reqwest::Response>> + use<> {
    let mut request = http
        .request(method, format!("{url}{path}"))
        .header("origin", url)
        .header("content-type", "application/json");
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    if let Some(body) = body {
        request = request.body(body);
    }
    request.send()
}
