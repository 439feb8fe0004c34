//! site-render: renders a Zola site (config.toml, content/, templates/,
//! static/) to the same output paths as `zola build`, for machines where Zola
//! is not installed. See README.md for exactly which Zola features are
//! covered.

pub mod config;
pub mod content_paths;
pub mod frontmatter;
mod hierarchy;
pub mod link_check;
pub mod markdown;
pub mod render;
pub mod site;
mod template_context;
pub mod urls;

use std::fs;
use std::path::{Path, PathBuf};

pub use config::Config;
pub use site::Site;

/// Outcome of a render: files written, relative to the output directory,
/// with `/` separators, sorted.
#[derive(Debug, Default)]
pub struct Report {
    pub files: Vec<String>,
}

/// Loads `site_dir` and renders it into `out_dir`, which is emptied first.
pub fn build(site_dir: &Path, out_dir: &Path) -> Result<Report, String> {
    let site = Site::load(site_dir)?;
    let outputs = render::render_all(&site)?;
    clean_dir(out_dir)?;
    let mut report = Report::default();
    copy_tree(&site_dir.join("static"), out_dir, false, &mut report)?;
    copy_tree(&site_dir.join("content"), out_dir, true, &mut report)?;
    for (rel, text) in outputs {
        write_file(out_dir, &rel, text.as_bytes())?;
        report.files.push(rel);
    }
    report.files.sort();
    report.files.dedup();
    Ok(report)
}

/// Maps a Zola path (`/`, `/privacy/`, `/sec/page/`) to the file Zola writes
/// (`index.html`, `privacy/index.html`, `sec/page/index.html`).
pub fn output_file_for(path: &str) -> String {
    let trimmed = path.trim_matches('/');
    if trimmed.is_empty() {
        "index.html".to_string()
    } else {
        format!("{trimmed}/index.html")
    }
}

fn clean_dir(dir: &Path) -> Result<(), String> {
    if dir.exists() {
        fs::remove_dir_all(dir).map_err(|e| format!("cannot remove {}: {e}", dir.display()))?;
    }
    fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))
}

fn write_file(out_dir: &Path, rel: &str, bytes: &[u8]) -> Result<(), String> {
    let target = safe_join(out_dir, rel)?;
    if let Some(parent) = target.parent() {
        fs::create_dir_all(parent)
            .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
    }
    fs::write(&target, bytes).map_err(|e| format!("cannot write {}: {e}", target.display()))
}

/// Joins a relative output path, refusing anything that would escape `base`.
fn safe_join(base: &Path, rel: &str) -> Result<PathBuf, String> {
    let mut out = base.to_path_buf();
    for part in rel.split('/') {
        match part {
            "" | "." => {}
            ".." => return Err(format!("output path `{rel}` escapes the output directory")),
            p => out.push(p),
        }
    }
    Ok(out)
}

/// Copies every file under `src` into `dst` keeping relative paths. With
/// `skip_markdown`, `.md` files are skipped (content assets are copied next
/// to the rendered pages, as Zola does for colocated assets).
fn copy_tree(
    src: &Path,
    dst: &Path,
    skip_markdown: bool,
    report: &mut Report,
) -> Result<(), String> {
    if !src.is_dir() {
        return Ok(());
    }
    for entry in walkdir::WalkDir::new(src).sort_by_file_name() {
        let entry = entry.map_err(|e| format!("cannot read {}: {e}", src.display()))?;
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry
            .path()
            .strip_prefix(src)
            .map_err(|e| format!("bad path {}: {e}", entry.path().display()))?;
        let rel = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/");
        let hidden = rel.split('/').any(|p| p.starts_with('.'));
        if hidden || (skip_markdown && rel.ends_with(".md")) {
            continue;
        }
        let bytes = fs::read(entry.path())
            .map_err(|e| format!("cannot read {}: {e}", entry.path().display()))?;
        write_file(dst, &rel, &bytes)?;
        report.files.push(rel);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_paths_match_zola() {
        assert_eq!(output_file_for("/"), "index.html");
        assert_eq!(output_file_for("/privacy/"), "privacy/index.html");
        assert_eq!(output_file_for("/sec/"), "sec/index.html");
        assert_eq!(output_file_for("/sec/page/"), "sec/page/index.html");
    }

    #[test]
    fn safe_join_refuses_escape() {
        assert!(safe_join(Path::new("/tmp/x"), "../etc/passwd").is_err());
        assert_eq!(
            safe_join(Path::new("/tmp/x"), "a/./b.html").ok(),
            Some(PathBuf::from("/tmp/x/a/b.html"))
        );
    }
}
