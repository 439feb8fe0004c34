//! Markdown to HTML the way Zola does it with pulldown-cmark: tables,
//! footnotes, strikethrough, task lists and heading attributes are enabled;
//! every heading gets an id (explicit `{#id}` or a unique slug of its text);
//! `@/path.md#anchor` links resolve to permalinks and, with `#anchor` links,
//! are recorded for the anchor check (see `link_check`).

use std::collections::HashMap;

use pulldown_cmark::{html, CowStr, Event, LinkType, Options, Parser, Tag, TagEnd};

use crate::urls::resolve_internal_link;

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

/// A link from Markdown content to a content file, kept for the anchor
/// check that runs once every file is rendered (as Zola's link checker).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InternalLink {
    /// Content-relative path of the target (`privacy.md`).
    pub target: String,
    /// The fragment after `#`, if any.
    pub anchor: Option<String>,
    /// The link as written in the Markdown (`@/privacy.md#contact`, `#contact`).
    pub written: String,
}

/// Markdown rendered to HTML, with what Zola keeps for its link checker.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    pub html: String,
    /// Every heading's id, in document order (the ids of Zola's `toc`).
    pub heading_ids: Vec<String>,
    /// `@/` links, and `#anchor` links to the rendered file itself.
    pub links: Vec<InternalLink>,
}

/// Renders `source` to HTML. `permalinks` maps content-relative paths to
/// permalinks for internal links. `current` is the content-relative path
/// of the file being rendered (`None` for the `markdown` filter): as in
/// Zola, its `#anchor` links are recorded as links to itself.
pub fn render(
    source: &str,
    permalinks: &HashMap<String, String>,
    current: Option<&str>,
) -> Result<Rendered, String> {
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
    let mut heading_ids = Vec::new();
    let mut links = Vec::new();

    for i in 0..events.len() {
        if let Event::Start(Tag::Heading { id: None, .. }) = &events[i] {
            let anchor = unique_anchor(&used, &slug::slugify(heading_text(&events[i + 1..])));
            used.push(anchor.clone());
            if let Event::Start(Tag::Heading { id, .. }) = &mut events[i] {
                *id = Some(CowStr::from(anchor));
            }
        }
        match &mut events[i] {
            Event::Start(Tag::Heading { id: Some(id), .. }) => heading_ids.push(id.to_string()),
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                ..
            }) if *link_type != LinkType::Email => {
                if let Some(link) = internal_link(dest_url, current) {
                    if dest_url.starts_with("@/") {
                        let resolved =
                            resolve_internal_link(dest_url, permalinks).map_err(|e| {
                                format!("{}: {e}", current.unwrap_or("markdown filter"))
                            })?;
                        *dest_url = CowStr::from(resolved);
                    }
                    links.push(link);
                }
            }
            _ => {}
        }
    }

    let mut html = String::with_capacity(source.len() * 3 / 2);
    html::push_html(&mut html, events.into_iter());
    Ok(Rendered {
        html,
        heading_ids,
        links,
    })
}

/// The text of a heading whose start event precedes `rest`, like Zola's
/// `get_text` (text and inline code only).
fn heading_text(rest: &[Event]) -> String {
    let mut text = String::new();
    for event in rest {
        match event {
            Event::End(TagEnd::Heading(_)) => break,
            Event::Text(t) | Event::Code(t) => text.push_str(t),
            _ => {}
        }
    }
    text
}

/// The internal link `dest` makes, as Zola's `fix_link` records it: `@/`
/// links, and `#anchor` (not a bare `#`) when rendering a content file.
fn internal_link(dest: &str, current: Option<&str>) -> Option<InternalLink> {
    if let Some(rest) = dest.strip_prefix("@/") {
        let (target, anchor) = match rest.split_once('#') {
            Some((t, a)) => (t, Some(a.to_string())),
            None => (rest, None),
        };
        return Some(InternalLink {
            target: target.to_string(),
            anchor,
            written: dest.to_string(),
        });
    }
    let anchor = dest.strip_prefix('#').filter(|a| !a.is_empty())?;
    Some(InternalLink {
        target: current?.to_string(),
        anchor: Some(anchor.to_string()),
        written: dest.to_string(),
    })
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

    fn to_html(src: &str) -> String {
        render(src, &links(), Some("t.md")).unwrap().html
    }

    #[test]
    fn headings_get_slug_ids() {
        let html =
            to_html("## What we collect\n\n### Email `address`\n\n## ¿Qué es «esto»? Ñandú\n");
        assert!(
            html.contains("<h2 id=\"what-we-collect\">What we collect</h2>"),
            "{html}"
        );
        assert!(html.contains("<h3 id=\"email-address\">"), "{html}");
        assert!(html.contains("<h2 id=\"que-es-esto-nandu\">"), "{html}");
        // Zola's own slug cases (`slugify_anchors`, strategy `on`).
        for (title, id) in [
            ("日本", "ri-ben"),
            ("héhé", "hehe"),
            ("test (hey)", "test-hey"),
        ] {
            let out = to_html(&format!("## {title}\n"));
            assert!(out.contains(&format!("<h2 id=\"{id}\">")), "{out}");
        }
    }

    #[test]
    fn explicit_heading_ids_win_and_duplicates_are_numbered() {
        let src =
            "## Email {#data-email}\n\n## Rights\n\n## Rights\n\n## Data email\n\n## Data email\n";
        let rendered = render(src, &links(), Some("t.md")).unwrap();
        let html = &rendered.html;
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
        assert_eq!(
            rendered.heading_ids,
            [
                "data-email",
                "rights",
                "rights-1",
                "data-email-1",
                "data-email-2"
            ]
        );
    }

    #[test]
    fn heading_classes_are_kept() {
        let html = to_html("## Summary {#summary .lead}\n");
        assert!(
            html.contains("<h2 id=\"summary\" class=\"lead\">Summary</h2>"),
            "{html}"
        );
    }

    #[test]
    fn internal_links_resolve_and_are_recorded() {
        let src = "[rights](@/privacy.md#rights) [p](@/privacy.md) [x](https://e.com) \
                   [here](#top-part) [none](#)";
        let rendered = render(src, &links(), Some("t.md")).unwrap();
        let html = &rendered.html;
        assert!(html.contains("href=\"/privacy/#rights\""), "{html}");
        assert!(html.contains("href=\"/privacy/\""), "{html}");
        assert!(html.contains("href=\"https://e.com\""), "{html}");
        assert!(html.contains("href=\"#top-part\""), "{html}");
        let link = |target: &str, anchor: Option<&str>, written: &str| InternalLink {
            target: target.to_string(),
            anchor: anchor.map(str::to_string),
            written: written.to_string(),
        };
        assert_eq!(
            rendered.links,
            [
                link("privacy.md", Some("rights"), "@/privacy.md#rights"),
                link("privacy.md", None, "@/privacy.md"),
                link("t.md", Some("top-part"), "#top-part"),
            ]
        );
        // The markdown filter renders no content file: `#x` is left alone.
        let filter = render("[a](#x)", &links(), None).unwrap();
        assert!(filter.links.is_empty());
    }

    #[test]
    fn link_to_missing_page_names_file_link_and_reason() {
        let err = render("[x](@/nope.md#a)", &links(), Some("page.md")).unwrap_err();
        assert!(err.starts_with("page.md: "), "{err}");
        assert!(err.contains("`@/nope.md#a`"), "{err}");
        assert!(err.contains("not found in content/"), "{err}");
    }

    #[test]
    fn extensions_enabled() {
        let src =
            "| a | b |\n|---|---|\n| 1 | 2 |\n\n~~old~~\n\n- [x] done\n\nNote[^1]\n\n[^1]: Foot.\n";
        let html = to_html(src);
        assert!(html.contains("<table>"), "{html}");
        assert!(html.contains("<del>old</del>"), "{html}");
        assert!(html.contains("type=\"checkbox\""), "{html}");
        assert!(html.contains("footnote-definition"), "{html}");
    }
}
