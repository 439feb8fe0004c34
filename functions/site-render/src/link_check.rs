//! Zola's internal link check, which fails `zola build` by default
//! (`[link_checker] internal_level = "error"`): every `@/file.md#anchor` and
//! `#anchor` link in Markdown content must point to an anchor the target
//! knows. A section knows the ids of its Markdown headings; a page also
//! knows any `id=`/`name=` in its rendered Markdown. Ids that only a
//! template adds are unknown, as in Zola. (A link to a missing file already
//! fails while rendering the Markdown.)

use regex::Regex;

use crate::markdown::InternalLink;
use crate::site::Site;

/// Checks the anchors of every internal link of every page and section.
/// The error lists each broken link with its source file and the reason.
pub fn check_internal_anchors(site: &Site) -> Result<(), String> {
    let sources = site
        .sections
        .values()
        .map(|s| (&s.relative_path, &s.links))
        .chain(site.pages.values().map(|p| (&p.relative_path, &p.links)));
    let mut broken = Vec::new();
    for (source, links) in sources {
        for link in links {
            if let Some(reason) = missing_anchor(site, link) {
                broken.push(format!(
                    "{source}: the anchor in the link `{}` does not exist: {reason}",
                    link.written
                ));
            }
        }
    }
    if broken.is_empty() {
        return Ok(());
    }
    let list: Vec<String> = broken
        .iter()
        .enumerate()
        .map(|(i, m)| format!("  {}. {m}", i + 1))
        .collect();
    Err(format!(
        "Found {} broken internal anchor link(s)\n{}",
        broken.len(),
        list.join("\n")
    ))
}

/// Why the anchor of `link` is missing, or `None` when it exists (or the
/// link has no anchor).
fn missing_anchor(site: &Site, link: &InternalLink) -> Option<String> {
    let anchor = link.anchor.as_deref()?;
    let target = &link.target;
    if let Some(section) = site.sections.get(target) {
        return (!section.heading_ids.iter().any(|id| id == anchor)).then(|| {
            format!(
                "`{anchor}` is not the id of a Markdown heading of the section {target} \
                 (ids added by templates do not count)"
            )
        });
    }
    let Some(page) = site.pages.get(target) else {
        return Some(format!("{target} was not found in content/"));
    };
    let known =
        page.heading_ids.iter().any(|id| id == anchor) || has_anchor_id(&page.content, anchor);
    (!known).then(|| {
        format!(
            "`{anchor}` is neither the id of a Markdown heading of {target} nor an id in its \
             Markdown content (ids added by templates do not count)"
        )
    })
}

/// Zola's `has_anchor_id`: an `id` or `name` attribute with that value in
/// the rendered Markdown (same pattern, so the same leniency).
pub fn has_anchor_id(content: &str, anchor: &str) -> bool {
    let pattern = format!(
        r#"\s(?i)(id|name) *= *("|')*{}("|'| |>)+"#,
        regex::escape(anchor)
    );
    Regex::new(&pattern).is_ok_and(|re| re.is_match(content))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchor_ids_like_zola() {
        let m = |content: &str| has_anchor_id(content, "fred");
        assert!(m(r#"<a name="fred">"#));
        assert!(m(r#"<a id="fred">"#));
        assert!(m(r#"<a ID='fred'>"#));
        assert!(m("<a id=fred >"));
        assert!(m(r#"<h2 id="fred">Fred</h2>"#));
        assert!(!m(r#"<a id="freddy">"#));
        assert!(!m(r#"<a data-id="fred">"#));
        assert!(!m("no fred here"));
        assert!(has_anchor_id(r#"<p id="a.b">"#, "a.b"));
        assert!(!has_anchor_id(r#"<p id="axb">"#, "a.b"));
    }
}
