//! Zola's rules from a content file's place to its URL path: page and
//! section paths, language codes in file names, section files per language.

use crate::config::Config;

/// Zola page path from its location, slug, language and front matter
/// `path`. A front matter `path` is used as given, without a language
/// prefix, as in Zola.
pub fn page_path(
    dir_components: &[String],
    slug: &str,
    fm_path: Option<&str>,
    lang_prefix: Option<&str>,
) -> String {
    if let Some(p) = fm_path {
        let p = p.trim().trim_matches('/');
        return if p.is_empty() {
            "/".to_string()
        } else {
            format!("/{p}/")
        };
    }
    let mut parts: Vec<&str> = lang_prefix.into_iter().collect();
    parts.extend(dir_components.iter().map(String::as_str));
    parts.push(slug);
    format!("/{}/", parts.join("/"))
}

/// Zola section path from its directory and language.
pub fn section_path(dir_components: &[String], lang_prefix: Option<&str>) -> String {
    let parts: Vec<&str> = lang_prefix
        .into_iter()
        .chain(dir_components.iter().map(String::as_str))
        .collect();
    if parts.is_empty() {
        "/".to_string()
    } else {
        format!("/{}/", parts.join("/"))
    }
}

/// The section file of `dir` in `lang`: `_index.md` for the default
/// language, `_index.LANG.md` otherwise.
pub(crate) fn section_file(dir: &[String], lang: &str, default_language: &str) -> String {
    let name = if lang == default_language {
        "_index.md".to_string()
    } else {
        format!("_index.{lang}.md")
    };
    if dir.is_empty() {
        name
    } else {
        format!("{}/{name}", dir.join("/"))
    }
}

/// Zola's `find_language`: `name.LANG` -> (`name`, `LANG`). Without
/// `[languages]` a dot is part of the name (site-render refuses it).
pub(crate) fn split_language(
    stem: &str,
    config: &Config,
    rel: &str,
) -> Result<(String, String), String> {
    let Some((name, code)) = stem.split_once('.') else {
        return Ok((stem.to_string(), config.default_language.clone()));
    };
    if !config.is_multilingual() {
        return Err(format!(
            "{rel}: a `.` in a content file name is only supported for translations \
             (`name.LANG.md` with [languages] in config.toml)"
        ));
    }
    if code == config.default_language {
        return Err(format!(
            "{rel}: `name.{code}.md` for the default language is not supported by site-render; \
             name the file `{name}.md`"
        ));
    }
    if !config.other_languages().contains(&code) {
        return Err(format!(
            "{rel}: has a language code of {code} which isn't present in the config.toml `languages`"
        ));
    }
    Ok((name.to_string(), code.to_string()))
}

pub(crate) fn split_dir(dir: &str) -> Vec<String> {
    if dir.is_empty() {
        Vec::new()
    } else {
        dir.split('/').map(str::to_string).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_and_section_paths() {
        assert_eq!(page_path(&[], "privacy", None, None), "/privacy/");
        assert_eq!(page_path(&[], "privacy", None, Some("es")), "/es/privacy/");
        assert_eq!(page_path(&["sec".into()], "page", None, None), "/sec/page/");
        assert_eq!(
            page_path(&["sec".into()], "page", Some("other/x"), Some("es")),
            "/other/x/"
        );
        assert_eq!(page_path(&[], "page", Some("/y/"), None), "/y/");
        assert_eq!(section_path(&[], None), "/");
        assert_eq!(section_path(&[], Some("es")), "/es/");
        assert_eq!(section_path(&["sec".into()], None), "/sec/");
        assert_eq!(section_path(&["sec".into()], Some("es")), "/es/sec/");
        assert_eq!(section_path(&["a".into(), "b".into()], None), "/a/b/");
    }

    #[test]
    fn section_files_and_language_codes() {
        let dirs = |d: &[&str]| d.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(section_file(&[], "en", "en"), "_index.md");
        assert_eq!(section_file(&[], "es", "en"), "_index.es.md");
        assert_eq!(
            section_file(&dirs(&["a", "b"]), "es", "en"),
            "a/b/_index.es.md"
        );
        assert_eq!(split_dir(""), Vec::<String>::new());
        assert_eq!(split_dir("a/b"), dirs(&["a", "b"]));

        let multi = Config::parse("base_url = \"/\"\n[languages.es]\n").unwrap();
        let split = |stem: &str| split_language(stem, &multi, "x.md");
        assert_eq!(split("privacy"), Ok(("privacy".into(), "en".into())));
        assert_eq!(split("privacy.es"), Ok(("privacy".into(), "es".into())));
        assert!(split("privacy.fr").unwrap_err().contains("isn't present"));
        assert!(split("privacy.en")
            .unwrap_err()
            .contains("default language"));
        let single = Config::parse("base_url = \"/\"\n").unwrap();
        assert!(split_language("v1.0", &single, "v1.0.md").is_err());
    }
}
