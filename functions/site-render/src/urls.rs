//! URL helpers that follow Zola's rules: permalinks, `get_url`, internal
//! `@/` links.

use std::collections::HashMap;

/// Joins `path` to `base_url` exactly like Zola's `Config::make_permalink`:
/// a trailing slash is added unless the path is empty, already ends with a
/// slash, or is the (default) feed file `atom.xml`.
pub fn make_permalink(base_url: &str, path: &str) -> String {
    let trailing_bit = if path.ends_with('/') || path.ends_with("atom.xml") || path.is_empty() {
        ""
    } else {
        "/"
    };
    if base_url.ends_with('/') && path == "/" {
        base_url.to_string()
    } else if path == "/" {
        format!("{base_url}/")
    } else if base_url.ends_with('/') && path.starts_with('/') {
        format!("{}{}{}", base_url, &path[1..], trailing_bit)
    } else if base_url.ends_with('/') || path.starts_with('/') {
        format!("{base_url}{path}{trailing_bit}")
    } else {
        format!("{base_url}/{path}{trailing_bit}")
    }
}

/// Resolves a Zola internal link (`@/privacy.md#anchor`) to its permalink.
/// `permalinks` maps content-relative paths (`privacy.md`, `sec/_index.md`)
/// to permalinks.
pub fn resolve_internal_link(
    link: &str,
    permalinks: &HashMap<String, String>,
) -> Result<String, String> {
    let rest = link
        .strip_prefix("@/")
        .ok_or_else(|| format!("`{link}` is not an internal link (must start with `@/`)"))?;
    let (path, anchor) = match rest.split_once('#') {
        Some((p, a)) => (p, Some(a)),
        None => (rest, None),
    };
    let permalink = permalinks.get(path).ok_or_else(|| {
        format!("internal link `{link}` points to `{path}`, which was not found in content/")
    })?;
    Ok(match anchor {
        Some(a) => format!("{permalink}#{a}"),
        None => permalink.clone(),
    })
}

/// Zola's `get_url`: internal links resolve through `permalinks`; anything
/// else is joined to `base_url` and loses its trailing slash unless
/// `trailing_slash` is set.
pub fn get_url(
    base_url: &str,
    permalinks: &HashMap<String, String>,
    path: &str,
    trailing_slash: bool,
) -> Result<String, String> {
    if path.starts_with("@/") {
        return resolve_internal_link(path, permalinks)
            .map_err(|e| format!("`get_url`: could not resolve URL for link `{path}`: {e}"));
    }
    let mut permalink = make_permalink(base_url, path);
    if !trailing_slash && permalink.ends_with('/') {
        permalink.pop();
    }
    Ok(permalink)
}

/// Zola's `get_url` with a `lang` argument: an internal link `@/x.md`
/// becomes `@/x.LANG.md` for a non-default language (error if `LANG` is not
/// configured); any other path is prefixed with `LANG/`.
pub fn get_url_in(
    config: &crate::Config,
    permalinks: &HashMap<String, String>,
    path: &str,
    lang: &str,
    trailing_slash: bool,
) -> Result<String, String> {
    if lang != config.default_language && !config.other_languages().contains(&lang) {
        return Err(format!(
            "`{lang}` is not an authorized language (check config.languages)."
        ));
    }
    let other = lang != config.default_language;
    if path.starts_with("@/") {
        let path = if other {
            // Zola inserts the code before the last `.`-separated part.
            match path.rsplit_once('.') {
                Some((head, last)) => format!("{head}.{lang}.{last}"),
                None => format!("{path}.{lang}"),
            }
        } else {
            path.to_string()
        };
        return get_url(&config.base_url, permalinks, &path, trailing_slash);
    }
    let path = if other {
        format!("{lang}/{path}")
    } else {
        path.to_string()
    };
    get_url(&config.base_url, permalinks, &path, trailing_slash)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn links() -> HashMap<String, String> {
        let mut m = HashMap::new();
        m.insert("_index.md".to_string(), "/".to_string());
        m.insert("privacy.md".to_string(), "/privacy/".to_string());
        m.insert("blog/_index.md".to_string(), "/blog/".to_string());
        m
    }

    #[test]
    fn permalinks_with_root_base_url() {
        assert_eq!(make_permalink("/", "/"), "/");
        assert_eq!(make_permalink("/", "/privacy/"), "/privacy/");
        assert_eq!(make_permalink("/", "privacy"), "/privacy/");
        assert_eq!(
            make_permalink("https://example.com", "/privacy/"),
            "https://example.com/privacy/"
        );
        assert_eq!(
            make_permalink("https://example.com", "/"),
            "https://example.com/"
        );
        assert_eq!(
            make_permalink("https://example.com/", "a/b"),
            "https://example.com/a/b/"
        );
    }

    #[test]
    fn get_url_plain_paths() {
        let l = links();
        assert_eq!(
            get_url("/", &l, "css/site.css", false).as_deref(),
            Ok("/css/site.css")
        );
        assert_eq!(
            get_url("/", &l, "/js/signup.js", false).as_deref(),
            Ok("/js/signup.js")
        );
        assert_eq!(
            get_url("/", &l, "privacy", true).as_deref(),
            Ok("/privacy/")
        );
        assert_eq!(
            get_url("/", &l, "privacy", false).as_deref(),
            Ok("/privacy")
        );
        assert_eq!(
            get_url("https://shop.example", &l, "css/site.css", false).as_deref(),
            Ok("https://shop.example/css/site.css")
        );
    }

    #[test]
    fn get_url_internal_links() {
        let l = links();
        assert_eq!(
            get_url("/", &l, "@/privacy.md", false).as_deref(),
            Ok("/privacy/")
        );
        assert_eq!(
            get_url("/", &l, "@/privacy.md#data-email", false).as_deref(),
            Ok("/privacy/#data-email")
        );
        assert_eq!(get_url("/", &l, "@/_index.md", false).as_deref(), Ok("/"));
        assert_eq!(
            get_url("/", &l, "@/blog/_index.md", false).as_deref(),
            Ok("/blog/")
        );
        let err = get_url("/", &l, "@/missing.md", false).unwrap_err();
        assert!(err.contains("missing.md"), "{err}");
    }

    #[test]
    fn get_url_with_lang() {
        let config = crate::Config::parse(
            "base_url = \"/\"\ndefault_language = \"en\"\n[languages.es]\ntitle = \"x\"\n",
        )
        .unwrap();
        let mut l = links();
        l.insert("privacy.es.md".to_string(), "/es/privacy/".to_string());
        l.insert("_index.es.md".to_string(), "/es/".to_string());
        let url = |p: &str, lang: &str| get_url_in(&config, &l, p, lang, false);
        assert_eq!(url("@/privacy.md", "en").as_deref(), Ok("/privacy/"));
        assert_eq!(url("@/privacy.md", "es").as_deref(), Ok("/es/privacy/"));
        assert_eq!(
            url("@/privacy.md#your-rights", "es").as_deref(),
            Ok("/es/privacy/#your-rights")
        );
        assert_eq!(url("@/_index.md", "es").as_deref(), Ok("/es/"));
        assert_eq!(url("css/site.css", "es").as_deref(), Ok("/es/css/site.css"));
        assert!(url("@/privacy.md", "fr")
            .unwrap_err()
            .contains("not an authorized"));
        assert!(url("@/blog/_index.md", "es")
            .unwrap_err()
            .contains("_index.es.md"));
    }
}
