//! Issue #16 in headless Chromium: Spanish pages hold none of the site's English UI
//! strings (the English texts of the templates' messages and of the content's front
//! matter). The helpers here find those strings for every `browser_pages_*` file.

use super::browser_pages_quotes::js;
use ecrm_e2e::browser::Browser;
use ecrm_e2e::{TestApp, repo_root};

/// `(key, text)` pairs of one language.
type Texts = Vec<(String, String)>;

/// `key: "value",` pairs of one language's messages (site/static/js/i18n-<lang>.js).
fn messages(source: &str) -> Texts {
    source
        .lines()
        .filter_map(|line| {
            let (key, rest) = line.trim().split_once(": \"")?;
            Some((
                key.to_string(),
                rest.strip_suffix("\",")?.replace("\\\"", "\""),
            ))
        })
        .collect()
}

/// `key = "value"` lines of a content page's `[extra.t]`.
fn front_matter(path: &std::path::Path) -> Vec<(String, String)> {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    text.lines()
        .filter_map(|line| {
            let (key, value) = line.split_once(" = \"")?;
            Some((key.trim().to_string(), value.strip_suffix('"')?.to_string()))
        })
        .collect()
}

/// The site's English UI strings that have a different Spanish text: every message of
/// the scripts (i18n.js) and every `[extra.t]` text of a page with a Spanish version.
/// Only phrases (a space, 12 characters or more between placeholders) are kept, so
/// words both languages share ("Total") are not counted.
pub(crate) fn english_ui_strings() -> Vec<String> {
    let root = repo_root().join("site");
    let mut pairs: Vec<(Texts, Texts)> = Vec::new();
    let read = |lang: &str| {
        std::fs::read_to_string(root.join(format!("static/js/i18n-{lang}.js"))).unwrap()
    };
    pairs.push((messages(&read("en")), messages(&read("es"))));
    for entry in walk(&root.join("content")) {
        let name = entry.to_string_lossy().to_string();
        if name.ends_with(".md") && !name.ends_with(".es.md") {
            let es = std::path::PathBuf::from(name.replace(".md", ".es.md"));
            if es.exists() {
                pairs.push((front_matter(&entry), front_matter(&es)));
            }
        }
    }
    let mut out = Vec::new();
    for (en, es) in pairs {
        for (key, value) in en {
            let spanish = es.iter().find(|(k, _)| *k == key).map(|(_, v)| v.as_str());
            if spanish == Some(value.as_str()) {
                continue;
            }
            for part in value.split(['{', '}']).step_by(2) {
                let part = part.trim();
                if part.len() >= 12 && part.contains(' ') {
                    out.push(part.to_string());
                }
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

fn english_in(text: &str, english: &[String]) -> Vec<String> {
    english
        .iter()
        .filter(|s| text.contains(s.as_str()))
        .cloned()
        .collect()
}

pub(crate) async fn no_english(browser: &Browser, english: &[String], what: &str) {
    let body = js(browser, "return document.body.innerText").await;
    let found = english_in(body.as_str().unwrap_or(""), english);
    assert!(
        found.is_empty(),
        "{what}: English on a Spanish page: {found:?}"
    );
}

#[tokio::test]
async fn spanish_pages_hold_no_english_ui_strings() {
    let app = TestApp::start().await;
    let english = english_ui_strings();
    let public = repo_root().join("site/public/es");
    let mut checked = 0;
    for path in walk(&public) {
        if path.file_name().and_then(|n| n.to_str()) != Some("index.html") {
            continue;
        }
        let rel = path.strip_prefix(repo_root().join("site/public")).unwrap();
        let url = format!("/{}", rel.to_string_lossy().trim_end_matches("index.html"));
        let html = reqwest::get(app.url(&url))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        // Visible text: no tags, no attribute values, no scripts.
        let mut visible = String::new();
        let mut in_tag = false;
        for ch in html.chars() {
            match ch {
                '<' => in_tag = true,
                '>' => {
                    in_tag = false;
                    visible.push(' ');
                }
                c if !in_tag => visible.push(c),
                _ => {}
            }
        }
        let visible = visible.split_whitespace().collect::<Vec<_>>().join(" ");
        let found = english_in(&visible, &english);
        assert!(
            found.is_empty(),
            "{url}: English on a Spanish page: {found:?}"
        );
        checked += 1;
    }
    assert!(checked >= 8, "Spanish pages checked: {checked}");
    app.shutdown().await;
}
