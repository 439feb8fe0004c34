//! TOML front matter (`+++` delimited), with the subset of Zola's page and
//! section keys that site-render supports. Unknown keys are rejected, as Zola
//! rejects them too; keys Zola knows but site-render does not implement are
//! rejected with a message saying so, so the site never silently differs.

use serde::Deserialize;

/// Zola keys that are valid but not implemented here.
const UNSUPPORTED_PAGE_KEYS: &[&str] = &["taxonomies", "aliases", "authors"];
const UNSUPPORTED_SECTION_KEYS: &[&str] = &[
    "paginate_by",
    "paginate_path",
    "paginate_reversed",
    "insert_anchor_links",
    "transparent",
    "redirect_to",
    "aliases",
    "generate_feeds",
];

#[derive(Debug, Default, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct PageFrontMatter {
    pub title: Option<String>,
    pub description: Option<String>,
    pub date: Option<toml::Value>,
    pub updated: Option<toml::Value>,
    pub weight: Option<i64>,
    #[serde(default)]
    pub draft: bool,
    pub slug: Option<String>,
    pub path: Option<String>,
    pub template: Option<String>,
    pub render: Option<bool>,
    pub in_search_index: Option<bool>,
    #[serde(default)]
    pub extra: toml::Table,
}

#[derive(Debug, Default, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct SectionFrontMatter {
    pub title: Option<String>,
    pub description: Option<String>,
    pub weight: Option<i64>,
    #[serde(default)]
    pub draft: bool,
    pub sort_by: Option<String>,
    pub template: Option<String>,
    pub page_template: Option<String>,
    pub render: Option<bool>,
    pub in_search_index: Option<bool>,
    #[serde(default)]
    pub extra: toml::Table,
}

/// Splits a content file into (front matter TOML, Markdown body).
/// Like Zola, leading whitespace before the opening `+++` is allowed and the
/// front matter ends at the next `+++`.
pub fn split(content: &str) -> Result<(&str, &str), String> {
    let trimmed = content.trim_start();
    if trimmed.starts_with("---") {
        return Err(
            "YAML front matter (---) is not supported by site-render; use TOML (+++)".into(),
        );
    }
    let after_open = trimmed
        .strip_prefix("+++")
        .ok_or("content must start with TOML front matter between `+++` lines")?;
    if !(after_open.starts_with('\n') || after_open.starts_with("\r\n")) {
        return Err("the opening `+++` must be alone on its line".into());
    }
    let close = after_open
        .find("+++")
        .ok_or("front matter is not closed by a `+++` line")?;
    let front = &after_open[..close];
    let rest = &after_open[close + 3..];
    let rest_trimmed = rest.trim_start_matches([' ', '\t']);
    let body = if let Some(b) = rest_trimmed.strip_prefix("\r\n") {
        b
    } else if let Some(b) = rest_trimmed.strip_prefix('\n') {
        b
    } else if rest_trimmed.is_empty() {
        ""
    } else {
        return Err("the closing `+++` must be alone on its line".into());
    };
    Ok((front, body))
}

fn check_supported(front: &str, unsupported: &[&str]) -> Result<(), String> {
    let table: toml::Table =
        toml::from_str(front).map_err(|e| format!("invalid TOML front matter: {e}"))?;
    for key in unsupported {
        if table.contains_key(*key) {
            return Err(format!(
                "front matter key `{key}` is valid in Zola but not supported by site-render"
            ));
        }
    }
    Ok(())
}

pub fn parse_page(content: &str) -> Result<(PageFrontMatter, &str), String> {
    let (front, body) = split(content)?;
    check_supported(front, UNSUPPORTED_PAGE_KEYS)?;
    let fm: PageFrontMatter =
        toml::from_str(front).map_err(|e| format!("invalid page front matter: {e}"))?;
    Ok((fm, body))
}

pub fn parse_section(content: &str) -> Result<(SectionFrontMatter, &str), String> {
    let (front, body) = split(content)?;
    check_supported(front, UNSUPPORTED_SECTION_KEYS)?;
    let fm: SectionFrontMatter =
        toml::from_str(front).map_err(|e| format!("invalid section front matter: {e}"))?;
    match fm.sort_by.as_deref() {
        None | Some("none") | Some("weight") => {}
        Some(other) => {
            return Err(format!(
                "sort_by = \"{other}\" is not supported by site-render (use \"weight\" or \"none\")"
            ))
        }
    }
    Ok((fm, body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_page_front_matter() {
        let src = "+++\ntitle = \"Privacy\"\ndescription = \"How we use data\"\ntemplate = \"privacy.html\"\nweight = 2\nslug = \"privacy-policy\"\n[extra]\nlayered = true\n+++\n\n# Hello\n";
        let (fm, body) = parse_page(src).unwrap();
        assert_eq!(fm.title.as_deref(), Some("Privacy"));
        assert_eq!(fm.description.as_deref(), Some("How we use data"));
        assert_eq!(fm.template.as_deref(), Some("privacy.html"));
        assert_eq!(fm.weight, Some(2));
        assert_eq!(fm.slug.as_deref(), Some("privacy-policy"));
        assert!(!fm.draft);
        assert_eq!(fm.extra.get("layered"), Some(&toml::Value::Boolean(true)));
        assert_eq!(body, "\n# Hello\n");
    }

    #[test]
    fn parses_draft_and_path_and_crlf() {
        let src = "  +++\r\ndraft = true\r\npath = \"custom/here\"\r\n+++\r\nBody";
        let (fm, body) = parse_page(src).unwrap();
        assert!(fm.draft);
        assert_eq!(fm.path.as_deref(), Some("custom/here"));
        assert_eq!(body, "Body");
    }

    #[test]
    fn empty_front_matter_and_body() {
        let (fm, body) = parse_page("+++\n+++").unwrap();
        assert_eq!(fm, PageFrontMatter::default());
        assert_eq!(body, "");
    }

    #[test]
    fn rejects_bad_front_matter() {
        assert!(parse_page("no front matter").is_err());
        assert!(parse_page("---\ntitle: x\n---\n").is_err());
        assert!(parse_page("+++\ntitle = \"x\"\n").is_err());
        assert!(parse_page("+++\ntitle = \n+++\n").is_err());
        let err = parse_page("+++\nunknown_key = 1\n+++\n").unwrap_err();
        assert!(err.contains("unknown_key"), "{err}");
        let err = parse_page("+++\ntaxonomies = {}\n+++\n").unwrap_err();
        assert!(err.contains("not supported"), "{err}");
    }

    #[test]
    fn parses_section_front_matter() {
        let src = "+++\ntitle = \"Home\"\nsort_by = \"weight\"\npage_template = \"page.html\"\n[extra]\ncards = [{ heading = \"A\" }]\n+++\nIntro";
        let (fm, body) = parse_section(src).unwrap();
        assert_eq!(fm.title.as_deref(), Some("Home"));
        assert_eq!(fm.sort_by.as_deref(), Some("weight"));
        assert_eq!(fm.page_template.as_deref(), Some("page.html"));
        assert!(fm.extra.contains_key("cards"));
        assert_eq!(body, "Intro");
        assert!(parse_section("+++\nsort_by = \"date\"\n+++\n").is_err());
        assert!(parse_section("+++\npaginate_by = 3\n+++\n").is_err());
    }
}
