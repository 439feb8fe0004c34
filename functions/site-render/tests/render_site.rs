//! Renders the real `site/` into a temporary directory and checks the
//! output the way a browser test and a CSP would see it.
//!
//! One test binary, its tests by concern in `render_site/`: the real site's pages, output
//! paths by Zola's rules, and languages. The helpers here serve all three.

#[path = "render_site/multilingual.rs"]
mod multilingual;
#[path = "render_site/pages.rs"]
mod pages;
#[path = "render_site/zola_paths.rs"]
mod zola_paths;

use std::fs;
use std::path::{Path, PathBuf};

fn site_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../site")
}

fn temp_out(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("site-render-test-{}-{name}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    dir
}

fn html_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(dir) {
        let entry = entry.unwrap();
        if entry.path().extension().is_some_and(|e| e == "html") {
            out.push(entry.path().to_path_buf());
        }
    }
    out.sort();
    out
}

/// The slice of `html` between `start` and `end` markers.
fn between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let s = html.find(start).unwrap_or_else(|| panic!("no {start}"));
    let rest = &html[s..];
    let e = rest.find(end).unwrap_or_else(|| panic!("no {end}"));
    &rest[..e]
}

/// True if the HTML has an ` onxxx=` attribute (inline event handler).
fn has_event_handler(html: &str) -> bool {
    html.match_indices(" on").any(|(i, _)| {
        let rest = &html[i + 3..];
        let letters = rest.chars().take_while(|c| c.is_ascii_lowercase()).count();
        letters > 0 && rest[letters..].starts_with('=')
    })
}
