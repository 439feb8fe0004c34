//! Markdown to HTML the way Zola does it with pulldown-cmark: tables,
//! footnotes, strikethrough, task lists and heading attributes are enabled;
//! every heading gets an id (explicit `{#id}` or a unique slug of its text);
//! `@/path.md#anchor` links resolve to permalinks.

use std::collections::HashMap;

use pulldown_cmark::{html, CowStr, Event, Options, Parser, Tag, TagEnd};

use crate::urls::{resolve_internal_link, slugify};

pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Zola's `find_anchor`: `name`, then `name-1`, `name-2`, ... until unused.
fn unique_anchor(used: &[String], name: &str) -> String {
    if !used.iter().any(|u| u == name) {
        return name.to_string();
    }
    let mut n = 1;
    loop {
        let candidate = format!("{name}-{n}");
        if !used.contains(&candidate) {
            return candidate;
        }
        n += 1;
    }
}

/// Renders `source` to HTML. `permalinks` maps content-relative paths to
/// permalinks for internal links; `context` names the file for errors.
pub fn render(
    source: &str,
    permalinks: &HashMap<String, String>,
    context: &str,
) -> Result<String, String> {
    let mut events: Vec<Event> = Parser::new_ext(source, options()).collect();

    // Explicit ids are reserved first, as Zola does, so generated ids never
    // collide with them.
    let mut used: Vec<String> = events
        .iter()
        .filter_map(|e| match e {
            Event::Start(Tag::Heading { id: Some(id), .. }) => Some(id.to_string()),
            _ => None,
        })
        .collect();

    let mut i = 0;
    while i < events.len() {
        let needs_id = matches!(&events[i], Event::Start(Tag::Heading { id: None, .. }));
        if needs_id {
            let mut text = String::new();
            let mut j = i + 1;
            while j < events.len() {
                match &events[j] {
                    Event::End(TagEnd::Heading(_)) => break,
                    Event::Text(t) | Event::Code(t) => text.push_str(t),
                    _ => {}
                }
                j += 1;
            }
            let anchor = unique_anchor(&used, &slugify(&text));
            used.push(anchor.clone());
            if let Event::Start(Tag::Heading { id, .. }) = &mut events[i] {
                *id = Some(CowStr::from(anchor));
            }
        }
        if let Event::Start(Tag::Link { dest_url, .. }) = &mut events[i] {
            if dest_url.starts_with("@/") {
                let resolved = resolve_internal_link(dest_url, permalinks)
                    .map_err(|e| format!("{context}: {e}"))?;
                *dest_url = CowStr::from(resolved);
            }
        }
        i += 1;
    }

    let mut out = String::with_capacity(source.len() * 3 / 2);
    html::push_html(&mut out, events.into_iter());
    Ok(out)
}

/// Counts words like Zola's `word_count` (Unicode whitespace separated).
pub fn word_count(source: &str) -> usize {
    source.split_whitespace().count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn links() -> HashMap<String, String> {
        let mut m = HashMap::new();
        m.insert("privacy.md".to_string(), "/privacy/".to_string());
        m
    }

    #[test]
    fn headings_get_slug_ids() {
        let html = render("## What we collect\n\n### Email `address`\n", &links(), "t").unwrap();
        assert!(
            html.contains("<h2 id=\"what-we-collect\">What we collect</h2>"),
            "{html}"
        );
        assert!(html.contains("<h3 id=\"email-address\">"), "{html}");
    }

    #[test]
    fn explicit_heading_ids_win_and_duplicates_are_numbered() {
        let src =
            "## Email {#data-email}\n\n## Rights\n\n## Rights\n\n## Data email\n\n## Data email\n";
        let html = render(src, &links(), "t").unwrap();
        assert!(html.contains("<h2 id=\"data-email\">Email</h2>"), "{html}");
        assert!(html.contains("<h2 id=\"rights\">Rights</h2>"), "{html}");
        assert!(html.contains("<h2 id=\"rights-1\">Rights</h2>"), "{html}");
        // "data-email" is taken by the explicit id.
        assert!(
            html.contains("<h2 id=\"data-email-1\">Data email</h2>"),
            "{html}"
        );
        assert!(
            html.contains("<h2 id=\"data-email-2\">Data email</h2>"),
            "{html}"
        );
    }

    #[test]
    fn heading_classes_are_kept() {
        let html = render("## Summary {#summary .lead}\n", &links(), "t").unwrap();
        assert!(
            html.contains("<h2 id=\"summary\" class=\"lead\">Summary</h2>"),
            "{html}"
        );
    }

    #[test]
    fn internal_links_resolve() {
        let html = render(
            "[rights](@/privacy.md#rights) and [x](https://e.com)",
            &links(),
            "t",
        )
        .unwrap();
        assert!(html.contains("href=\"/privacy/#rights\""), "{html}");
        assert!(html.contains("href=\"https://e.com\""), "{html}");
        let err = render("[x](@/nope.md)", &links(), "page.md").unwrap_err();
        assert!(err.starts_with("page.md:"), "{err}");
    }

    #[test]
    fn extensions_enabled() {
        let src =
            "| a | b |\n|---|---|\n| 1 | 2 |\n\n~~old~~\n\n- [x] done\n\nNote[^1]\n\n[^1]: Foot.\n";
        let html = render(src, &links(), "t").unwrap();
        assert!(html.contains("<table>"), "{html}");
        assert!(html.contains("<del>old</del>"), "{html}");
        assert!(html.contains("type=\"checkbox\""), "{html}");
        assert!(html.contains("footnote-definition"), "{html}");
    }
}
