//! What `browser_site` checks each page load against: the pages the site build wrote,
//! the requests a loaded page made (with their bytes on the wire), and the page's
//! Content-Security-Policy.

pub(crate) use super::browser_pages_quotes::js;
use ecrm_e2e::browser::Browser;
use ecrm_e2e::{TestApp, repo_root};
use std::path::PathBuf;

pub(crate) struct SitePage {
    /// URL path, e.g. `/es/privacy/`.
    pub(crate) path: String,
    /// The page sends visitors without a session to sign in (`data-requires-session`).
    pub(crate) requires_session: bool,
}

/// Every page the site build wrote.
pub(crate) fn site_pages() -> Vec<SitePage> {
    let public = repo_root().join("site/public");
    let mut out = Vec::new();
    let mut stack: Vec<PathBuf> = vec![public.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("site/public exists: run `make site`") {
            let path = entry.expect("dir entry").path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            let rel = path
                .strip_prefix(&public)
                .expect("under public")
                .to_string_lossy()
                .replace('\\', "/");
            let url = match name {
                "index.html" => format!("/{}", rel.trim_end_matches("index.html")),
                "404.html" if dir == public => "/404.html".to_string(),
                _ => continue,
            };
            let html = std::fs::read_to_string(&path).expect("page");
            out.push(SitePage {
                path: url,
                requires_session: html.contains("data-requires-session"),
            });
        }
    }
    out.sort_by(|a, b| a.path.cmp(&b.path));
    out
}

pub(crate) fn artifact_name(path: &str, width: u32, what: &str) -> PathBuf {
    let slug = path.trim_matches('/').replace(['/', '.'], "-");
    let slug = if slug.is_empty() { "home".into() } else { slug };
    let dir = repo_root().join("tests/artifacts");
    let _ = std::fs::create_dir_all(&dir);
    dir.join(format!("site-{slug}{what}-{width}.png"))
}

/// Every request of the current page (document first) with its bytes on the wire.
pub(crate) async fn requests(browser: &Browser) -> (String, Vec<(String, u64)>) {
    let v = js(
        browser,
        "const size = e => Math.max(e.transferSize || 0, e.encodedBodySize || 0);
         const all = [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')];
         return { origin: location.origin, entries: all.map(e => [e.name, size(e)]) };",
    )
    .await;
    let origin = v["origin"].as_str().unwrap_or("").to_string();
    let entries = v["entries"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|e| {
            (
                e[0].as_str().unwrap_or("").to_string(),
                e[1].as_u64().unwrap_or(0),
            )
        })
        .collect();
    (origin, entries)
}

/// Bytes of a same-origin static file fetched directly (for entries the browser served
/// from its cache, which report 0 bytes).
pub(crate) async fn fetched_len(app: &TestApp, url: &str) -> u64 {
    match app.http.get(url).send().await {
        Ok(r) => r.bytes().await.map(|b| b.len() as u64).unwrap_or(0),
        Err(_) => 0,
    }
}

pub(crate) fn check_csp(path: &str, csp: Option<&str>) -> Result<(), String> {
    let csp = csp.ok_or(format!("{path}: no Content-Security-Policy header"))?;
    if csp.contains("unsafe-inline") || csp.contains("unsafe-eval") {
        return Err(format!("{path}: CSP allows unsafe code: {csp}"));
    }
    for needed in [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
    ] {
        if !csp.contains(needed) {
            return Err(format!("{path}: CSP lacks `{needed}`: {csp}"));
        }
    }
    Ok(())
}
