//! A real browser for the page tests: Debian's chromium, headless, driven through
//! chromedriver (WebDriver) started on a free loopback port for each test.

use fantoccini::{Client, ClientBuilder};
use serde_json::Value;
use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct Browser {
    pub client: Client,
    driver: Child,
    _profile: tempdir::TempDir,
}

mod tempdir {
    /// A throwaway Chromium profile directory, removed on drop.
    pub struct TempDir(pub std::path::PathBuf);

    impl TempDir {
        pub fn new(prefix: &str) -> std::io::Result<Self> {
            let dir = std::env::temp_dir().join(format!(
                "{prefix}-{}-{}",
                std::process::id(),
                ulid_like()
            ));
            std::fs::create_dir_all(&dir)?;
            Ok(Self(dir))
        }
    }

    fn ulid_like() -> u128 {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default()
    }

    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

pub fn chromium_path() -> String {
    std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into())
}

impl Browser {
    /// Submit the filled-in sign-up form, then finish with the code mailed to the
    /// address, as a person does: the account exists from then on.
    pub async fn submit_sign_up(&self, app: &crate::TestApp) {
        let before = app.mailbox().await.len();
        self.click("signup-submit").await;
        let code = app.next_code(before).await;
        wait_until("the sign-up code form", || async {
            match self
                .client
                .find(fantoccini::Locator::Id("signup-code"))
                .await
            {
                Ok(input) => input.is_displayed().await.unwrap_or(false),
                Err(_) => false,
            }
        })
        .await;
        let input = self
            .client
            .find(fantoccini::Locator::Id("signup-code"))
            .await
            .expect("the code input");
        input.send_keys(&code).await.expect("typing the code");
        self.click("signup-code-submit").await;
    }

    async fn click(&self, id: &str) {
        self.client
            .find(fantoccini::Locator::Id(id))
            .await
            .unwrap_or_else(|e| panic!("#{id}: {e}"))
            .click()
            .await
            .unwrap_or_else(|e| panic!("clicking #{id}: {e}"));
    }

    /// Start chromedriver and a headless Chromium window of the given width.
    pub async fn start(width: u32, height: u32) -> Browser {
        let port = free_port();
        let driver =
            Command::new(std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".into()))
                .arg(format!("--port={port}"))
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("chromedriver starts (apt-get install chromium-driver)");
        let started = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "chromedriver did not listen"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let profile = tempdir::TempDir::new("ecrm-chromium").expect("profile dir");
        let capabilities = serde_json::json!({
            "goog:chromeOptions": {
                "binary": chromium_path(),
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync",
                    format!("--window-size={width},{height}"),
                    format!("--user-data-dir={}", profile.0.display()),
                ]
            }
        });
        // Headless Chromium will not make a window narrower than 500 px: narrower
        // viewports (phones) are emulated, meta viewport included.
        let mut capabilities = capabilities;
        if width < 500 {
            capabilities["goog:chromeOptions"]["mobileEmulation"] = serde_json::json!({
                "deviceMetrics": { "width": width, "height": height, "pixelRatio": 1.0, "touch": false }
            });
        }
        let capabilities = match capabilities {
            serde_json::Value::Object(map) => map,
            _ => unreachable!("literal object"),
        };
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        let client = ClientBuilder::new(connector)
            .capabilities(capabilities)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
            .expect("a WebDriver session in headless chromium");
        Browser {
            client,
            driver,
            _profile: profile,
        }
    }

    pub async fn close(mut self) {
        let _ = self.client.clone().close().await;
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.driver.kill();
    }
}

/// Poll `check` every 100 ms for up to 10 s; panic naming `what` if it never holds.
pub async fn wait_until<F, Fut>(what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    for _ in 0..100 {
        if check().await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("timed out waiting for {what}");
}

/// The WCAG levels axe checks: A and AA of 2.0, 2.1 and 2.2.
const AXE_TAGS: [&str; 6] = [
    "wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa",
];

/// axe-core's source (`npm ci --prefix tests` installs it).
pub fn axe_source() -> String {
    let path = crate::repo_root().join("tests/node_modules/axe-core/axe.min.js");
    std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("{} missing: run `npm ci --prefix tests`", path.display()))
}

impl Browser {
    /// Sign this browser in as a person does: a code mailed to `email`, sent back from
    /// the page (the session cookie is HttpOnly and lands in the browser itself).
    /// Signing in ends the customer's other sessions: API calls with an earlier cookie
    /// come first.
    pub async fn sign_in(&self, app: &crate::TestApp, email: &str) {
        let code = app.request_code(email).await;
        self.client
            .goto(&app.url("/"))
            .await
            .expect("the home page");
        let status = self
            .client
            .execute_async(
                "const [email, code, done] = arguments;
                 fetch('/api/sessions/verify', { method: 'POST', credentials: 'same-origin',
                   headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email, code }) })
                   .then(r => done(r.status), e => done(String(e)));",
                vec![Value::from(email), Value::from(code)],
            )
            .await
            .expect("verify from the page");
        assert_eq!(status, Value::from(200), "signed in");
    }

    /// Runs axe over the page as it is now; readable violations (empty if none).
    pub async fn axe_violations(&self, axe_source: &str) -> Vec<String> {
        axe_violations(self, axe_source).await
    }
}

/// Loads axe-core into the page (WebDriver scripts are not subject to the page's CSP).
async fn inject_axe(browser: &Browser, axe_source: &str) {
    let loaded = browser
        .client
        .execute(
            &format!("{axe_source}\n;return typeof window.axe === 'object';"),
            vec![],
        )
        .await
        .expect("injecting axe-core");
    assert_eq!(loaded, Value::Bool(true), "axe-core did not load");
}

/// Runs axe with the WCAG A/AA tags and returns readable violations (empty if none).
async fn axe_violations(browser: &Browser, axe_source: &str) -> Vec<String> {
    inject_axe(browser, axe_source).await;
    let script = format!(
        "const done = arguments[arguments.length - 1];
         axe.run(document, {{ runOnly: {{ type: 'tag', values: {tags} }}, resultTypes: ['violations'] }})
           .then(r => done(JSON.stringify(r.violations)))
           .catch(e => done(JSON.stringify({{ error: String(e) }})));",
        tags = serde_json::to_string(&AXE_TAGS).expect("tags")
    );
    let raw = browser
        .client
        .execute_async(&script, vec![])
        .await
        .expect("axe.run");
    let parsed: Value = serde_json::from_str(raw.as_str().unwrap_or("null")).expect("axe json");
    if let Some(error) = parsed.get("error") {
        panic!("axe failed: {error}");
    }
    let mut out = Vec::new();
    for v in parsed.as_array().into_iter().flatten() {
        let mut text = format!(
            "[{}] {}: {} ({})",
            v["impact"].as_str().unwrap_or("?"),
            v["id"].as_str().unwrap_or("?"),
            v["help"].as_str().unwrap_or(""),
            v["helpUrl"].as_str().unwrap_or("")
        );
        for node in v["nodes"].as_array().into_iter().flatten().take(5) {
            text.push_str(&format!(
                "\n      at {} -> {}",
                node["target"],
                node["failureSummary"]
                    .as_str()
                    .unwrap_or("")
                    .replace('\n', " ")
            ));
        }
        out.push(text);
    }
    out
}
