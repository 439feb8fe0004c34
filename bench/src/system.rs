//! The system under test, started in this process (the local runner over an in-memory
//! dynoxide, mail worker off so nothing else touches the store), and the fixtures the
//! routes and the floor need: a signed-up customer with an address and a quote.

use aws_sdk_dynamodb::Client;
use ecrm_core::domain::session::ServerSecret;
use ecrm_core::store::Store;
use ecrm_runner::{Options, Running, StoreMode};
use serde_json::{Value, json};
use std::path::PathBuf;

/// What the floor calls need: the fixtures' ids.
#[derive(Clone)]
pub struct Fixtures {
    pub store: Store,
    pub customer_id: String,
    pub quote_id: String,
    pub sku: String,
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

/// The running system, an HTTP client for it, and the fixtures' session and ids.
pub struct System {
    pub running: Running,
    pub url: String,
    pub http: reqwest::Client,
    pub session_key: ServerSecret,
    /// The fixture customer's session cookie (`ecrm_session=…`).
    pub cookie: String,
    pub fixtures: Fixtures,
}

impl System {
    /// Start the runner and make the fixtures through the API.
    pub async fn start() -> Result<System, String> {
        let session_key = ServerSecret::generate()?;
        let running = ecrm_runner::start(Options {
            listen: "127.0.0.1:0".parse().map_err(|e| format!("{e}"))?,
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
        let http = reqwest::Client::new();
        let send =
            |method, path: &str, cookie, body| request(&http, &url, method, path, cookie, body);
        send(
            reqwest::Method::POST,
            "/api/customers",
            None,
            Some(sign_up_json("bench@example.com").to_string()),
        )
        .await
        .map_err(|e| e.to_string())?;
        // Sign-up is finished with the mailed code: read it from the outbox (no mail
        // worker runs here) and verify it.
        let mail = ecrm_core::store::outbox::pending(&store, 10)
            .await
            .map_err(|e| e.to_string())?;
        let text = mail
            .iter()
            .find(|m| m.to == "bench@example.com")
            .map(|m| m.text.clone())
            .ok_or("no sign-up mail")?;
        let code = text
            .split_once("code is ")
            .and_then(|(_, rest)| rest.get(..9))
            .ok_or("no code in the sign-up mail")?;
        let signed_up = send(
            reqwest::Method::POST,
            "/api/sessions/verify",
            None,
            Some(serde_json::json!({"email": "bench@example.com", "code": code}).to_string()),
        )
        .await
        .map_err(|e| e.to_string())?;
        let cookie = signed_up
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with("ecrm_session="))
            .and_then(|v| v.split(';').next())
            .ok_or("sign-up set no cookie")?
            .to_string();
        let customer: Value = signed_up.json().await.map_err(|e| e.to_string())?;
        let customer_id = customer["id"].as_str().ok_or("no id")?.to_string();
        let catalog_body: Value = send(reqwest::Method::GET, "/api/catalog", None, None)
            .await
            .map_err(|e| e.to_string())?
            .json()
            .await
            .map_err(|e| e.to_string())?;
        let sku = catalog_body["items"][0]["sku"]
            .as_str()
            .ok_or("empty catalog")?
            .to_string();
        let _ = send(
            reqwest::Method::POST,
            "/api/me/addresses",
            Some(&cookie),
            Some(
                json!({ "kinds": ["billing"], "name": "Bench", "line1": "1 High Street",
                        "city": "London", "postal_code": "SW1A 1AA", "country": "GB" })
                .to_string(),
            ),
        )
        .await
        .map_err(|e| e.to_string())?;
        let quote: Value = send(
            reqwest::Method::POST,
            "/api/quotes",
            Some(&cookie),
            Some(quote_json(&sku).to_string()),
        )
        .await
        .map_err(|e| e.to_string())?
        .json()
        .await
        .map_err(|e| e.to_string())?;
        let quote_id = quote["id"].as_str().ok_or("no quote id")?.to_string();
        let fixtures = Fixtures {
            store,
            customer_id,
            quote_id,
            sku,
        };
        Ok(System {
            running,
            url,
            http,
            session_key,
            cookie,
            fixtures,
        })
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
fn request(
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
