//! Loading a Zola site: config.toml and content/ (sections and pages), with
//! Zola's paths, permalinks and the template context objects.

use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::path::Path;

use serde_json::{json, Map, Value};

use crate::frontmatter::{self, PageFrontMatter, SectionFrontMatter};
use crate::markdown;
use crate::urls::{make_permalink, slugify};

#[derive(Debug, Clone)]
pub struct Config {
    pub base_url: String,
    pub title: Option<String>,
    pub description: Option<String>,
    pub default_language: String,
    pub build_search_index: bool,
    pub generate_feeds: bool,
    pub extra: Value,
}

impl Config {
    pub fn parse(text: &str) -> Result<Config, String> {
        let table: toml::Table =
            toml::from_str(text).map_err(|e| format!("config.toml: invalid TOML: {e}"))?;
        let base_url = table
            .get("base_url")
            .and_then(|v| v.as_str())
            .ok_or("config.toml: `base_url` (a string) is required")?
            .to_string();
        let get_str = |k: &str| table.get(k).and_then(|v| v.as_str()).map(str::to_string);
        let get_bool = |k: &str| table.get(k).and_then(|v| v.as_bool()).unwrap_or(false);
        if let Some(langs) = table.get("languages").and_then(|v| v.as_table()) {
            if !langs.is_empty() {
                return Err(
                    "config.toml: [languages] (multilingual sites) is not supported by site-render"
                        .into(),
                );
            }
        }
        if get_bool("compile_sass") {
            return Err("config.toml: Sass compilation is not supported by site-render".into());
        }
        if get_bool("generate_feeds") || get_bool("generate_feed") {
            return Err("config.toml: feeds are not supported by site-render".into());
        }
        if get_bool("build_search_index") {
            return Err("config.toml: the search index is not supported by site-render".into());
        }
        if let Some(md) = table.get("markdown").and_then(|v| v.as_table()) {
            for (k, v) in md {
                if v.as_bool() == Some(true) {
                    return Err(format!(
                        "config.toml: [markdown] {k} = true is not supported by site-render"
                    ));
                }
            }
        }
        Ok(Config {
            base_url,
            title: get_str("title"),
            description: get_str("description"),
            default_language: get_str("default_language").unwrap_or_else(|| "en".to_string()),
            build_search_index: false,
            generate_feeds: false,
            extra: table
                .get("extra")
                .map(toml_to_json)
                .unwrap_or_else(|| Value::Object(Map::new())),
        })
    }

    /// The `config` object templates see (Zola's serialized config).
    pub fn to_context(&self) -> Value {
        json!({
            "base_url": self.base_url,
            "mode": "build",
            "title": self.title,
            "description": self.description,
            "default_language": self.default_language,
            "languages": {},
            "generate_feeds": self.generate_feeds,
            "feed_filenames": ["atom.xml"],
            "taxonomies": [],
            "author": null,
            "build_search_index": self.build_search_index,
            "extra": self.extra,
        })
    }
}

/// Converts TOML to JSON, turning datetimes into their TOML string form.
pub fn toml_to_json(v: &toml::Value) -> Value {
    match v {
        toml::Value::String(s) => Value::String(s.clone()),
        toml::Value::Integer(i) => Value::from(*i),
        toml::Value::Float(f) => Value::from(*f),
        toml::Value::Boolean(b) => Value::Bool(*b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(a) => Value::Array(a.iter().map(toml_to_json).collect()),
        toml::Value::Table(t) => Value::Object(
            t.iter()
                .map(|(k, v)| (k.clone(), toml_to_json(v)))
                .collect(),
        ),
    }
}

fn table_to_json(t: &toml::Table) -> Value {
    toml_to_json(&toml::Value::Table(t.clone()))
}

#[derive(Debug, Clone)]
pub struct Section {
    pub relative_path: String,
    pub fm: SectionFrontMatter,
    pub body: String,
    pub path: String,
    pub permalink: String,
    pub components: Vec<String>,
    pub ancestors: Vec<String>,
    pub content: String,
    /// Relative paths of the section's pages, in Zola's order.
    pub pages: Vec<String>,
    pub subsections: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Page {
    pub relative_path: String,
    pub fm: PageFrontMatter,
    pub body: String,
    pub slug: String,
    pub path: String,
    pub permalink: String,
    pub components: Vec<String>,
    pub ancestors: Vec<String>,
    pub parent_section: Option<String>,
    pub content: String,
}

#[derive(Debug, Clone)]
pub struct Site {
    pub config: Config,
    pub templates: BTreeMap<String, String>,
    pub sections: BTreeMap<String, Section>,
    pub pages: BTreeMap<String, Page>,
    /// content-relative path (`privacy.md`, `_index.md`) -> permalink
    pub permalinks: HashMap<String, String>,
}

/// Zola page path from its front matter and location.
pub fn page_path(dir_components: &[String], slug: &str, fm_path: Option<&str>) -> String {
    if let Some(p) = fm_path {
        let p = p.trim().trim_matches('/');
        return if p.is_empty() {
            "/".to_string()
        } else {
            format!("/{p}/")
        };
    }
    let mut parts: Vec<&str> = dir_components.iter().map(String::as_str).collect();
    parts.push(slug);
    format!("/{}/", parts.join("/"))
}

/// Zola section path from its directory.
pub fn section_path(dir_components: &[String]) -> String {
    if dir_components.is_empty() {
        "/".to_string()
    } else {
        format!("/{}/", dir_components.join("/"))
    }
}

fn read(path: &Path) -> Result<String, String> {
    fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

fn section_file(dir: &[String]) -> String {
    if dir.is_empty() {
        "_index.md".to_string()
    } else {
        format!("{}/_index.md", dir.join("/"))
    }
}

impl Site {
    pub fn load(site_dir: &Path) -> Result<Site, String> {
        let config = Config::parse(&read(&site_dir.join("config.toml"))?)?;
        let templates = load_templates(&site_dir.join("templates"))?;
        let content_dir = site_dir.join("content");
        if !content_dir.is_dir() {
            return Err(format!("{} is not a directory", content_dir.display()));
        }

        let mut files: Vec<(String, String)> = Vec::new();
        for entry in walkdir::WalkDir::new(&content_dir).sort_by_file_name() {
            let entry = entry.map_err(|e| format!("cannot read {}: {e}", content_dir.display()))?;
            if !entry.file_type().is_file() {
                continue;
            }
            let rel = entry
                .path()
                .strip_prefix(&content_dir)
                .map_err(|e| format!("bad path {}: {e}", entry.path().display()))?
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            if !rel.ends_with(".md") || rel.split('/').any(|p| p.starts_with('.')) {
                continue;
            }
            files.push((rel, read(entry.path())?));
        }

        let mut sections = BTreeMap::new();
        let mut pages = BTreeMap::new();
        let mut draft_dirs: Vec<String> = Vec::new();
        // Sections first, so pages can find theirs and drafts propagate.
        for (rel, text) in &files {
            let (dir, file) = match rel.rsplit_once('/') {
                Some((d, f)) => (d.to_string(), f.to_string()),
                None => (String::new(), rel.clone()),
            };
            if file != "_index.md" {
                continue;
            }
            let (fm, body) = frontmatter::parse_section(text).map_err(|e| format!("{rel}: {e}"))?;
            if fm.draft {
                draft_dirs.push(dir);
                continue;
            }
            let components: Vec<String> = if dir.is_empty() {
                Vec::new()
            } else {
                dir.split('/').map(str::to_string).collect()
            };
            let path = section_path(&components);
            let permalink = make_permalink(&config.base_url, &path);
            sections.insert(
                rel.clone(),
                Section {
                    relative_path: rel.clone(),
                    fm,
                    body: body.to_string(),
                    path,
                    permalink,
                    components,
                    ancestors: Vec::new(),
                    content: String::new(),
                    pages: Vec::new(),
                    subsections: Vec::new(),
                },
            );
        }
        let in_draft = |dir: &str| {
            draft_dirs
                .iter()
                .any(|d| d.is_empty() || dir == d || dir.starts_with(&format!("{d}/")))
        };
        sections.retain(|rel, _| {
            let dir = rel.trim_end_matches("_index.md").trim_end_matches('/');
            !in_draft(dir)
        });

        for (rel, text) in &files {
            let (dir, file) = match rel.rsplit_once('/') {
                Some((d, f)) => (d.to_string(), f.to_string()),
                None => (String::new(), rel.clone()),
            };
            if file == "_index.md" {
                continue;
            }
            let stem = file.trim_end_matches(".md");
            if stem.contains('.') {
                return Err(format!(
                    "{rel}: translated content (`name.LANG.md`) is not supported by site-render"
                ));
            }
            if in_draft(&dir) {
                continue;
            }
            let (fm, body) = frontmatter::parse_page(text).map_err(|e| format!("{rel}: {e}"))?;
            if fm.draft {
                continue;
            }
            let mut dir_components: Vec<String> = if dir.is_empty() {
                Vec::new()
            } else {
                dir.split('/').map(str::to_string).collect()
            };
            // Page bundle: `foo/index.md` is the page `foo`, in the section above.
            let default_slug = if stem == "index" {
                dir_components
                    .pop()
                    .ok_or_else(|| format!("{rel}: content/index.md is not a valid Zola page"))?
            } else {
                stem.to_string()
            };
            let slug = slugify(fm.slug.as_deref().unwrap_or(&default_slug));
            let path = page_path(&dir_components, &slug, fm.path.as_deref());
            let permalink = make_permalink(&config.base_url, &path);
            let parent = section_file(&dir_components);
            let parent_section = sections.contains_key(&parent).then_some(parent);
            pages.insert(
                rel.clone(),
                Page {
                    relative_path: rel.clone(),
                    fm,
                    body: body.to_string(),
                    slug,
                    path,
                    permalink,
                    components: dir_components,
                    ancestors: Vec::new(),
                    parent_section,
                    content: String::new(),
                },
            );
        }

        // Ancestors: every existing section from the root down to the parent.
        let ancestors_of = |dir: &[String], sections: &BTreeMap<String, Section>| {
            (0..=dir.len())
                .map(|n| section_file(&dir[..n]))
                .filter(|f| sections.contains_key(f))
                .collect::<Vec<_>>()
        };
        for page in pages.values_mut() {
            page.ancestors = ancestors_of(&page.components, &sections);
            page.components.push(page.slug.clone());
            if page.fm.path.is_some() {
                page.components = page
                    .path
                    .trim_matches('/')
                    .split('/')
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
                    .collect();
            }
        }
        let section_keys: Vec<String> = sections.keys().cloned().collect();
        for key in &section_keys {
            let mut pages_of: Vec<&Page> = pages
                .values()
                .filter(|p| p.parent_section.as_deref() == Some(key.as_str()))
                .collect();
            let subsections_of = |sections: &BTreeMap<String, Section>| {
                let mut subs: Vec<(Option<i64>, String)> = sections
                    .values()
                    .filter(|s| {
                        let n = s.components.len();
                        n > 0 && section_file(&s.components[..n - 1]) == *key
                    })
                    .map(|s| (s.fm.weight, s.relative_path.clone()))
                    .collect();
                subs.sort();
                subs.into_iter().map(|(_, p)| p).collect::<Vec<_>>()
            };
            let subs = subsections_of(&sections);
            let Some(section) = sections.get(key) else {
                continue;
            };
            let ancestors = {
                let n = section.components.len();
                if n == 0 {
                    Vec::new()
                } else {
                    ancestors_of(&section.components[..n - 1], &sections)
                }
            };
            if section.fm.sort_by.as_deref() == Some("weight") {
                // Zola leaves pages without a weight out of a weight-sorted list.
                pages_of.retain(|p| p.fm.weight.is_some());
                pages_of.sort_by(|a, b| {
                    a.fm.weight
                        .cmp(&b.fm.weight)
                        .then_with(|| a.permalink.cmp(&b.permalink))
                });
            } else {
                pages_of.sort_by(|a, b| a.permalink.cmp(&b.permalink));
            }
            let page_list: Vec<String> = pages_of.iter().map(|p| p.relative_path.clone()).collect();
            if let Some(section) = sections.get_mut(key) {
                section.pages = page_list;
                section.subsections = subs;
                section.ancestors = ancestors;
            }
        }

        let mut permalinks = HashMap::new();
        for s in sections.values() {
            permalinks.insert(s.relative_path.clone(), s.permalink.clone());
        }
        for p in pages.values() {
            if let Some((other, _)) = permalinks.iter().find(|(_, v)| **v == p.permalink) {
                return Err(format!(
                    "{}: path {} is already used by {other}",
                    p.relative_path, p.path
                ));
            }
            permalinks.insert(p.relative_path.clone(), p.permalink.clone());
        }

        for s in sections.values_mut() {
            s.content = markdown::render(&s.body, &permalinks, &s.relative_path)?;
        }
        for p in pages.values_mut() {
            p.content = markdown::render(&p.body, &permalinks, &p.relative_path)?;
        }

        Ok(Site {
            config,
            templates,
            sections,
            pages,
            permalinks,
        })
    }

    /// The `page` object templates see.
    pub fn page_context(&self, page: &Page) -> Value {
        let words = markdown::word_count(&page.body);
        let date = page.fm.date.as_ref().map(toml_to_json);
        let updated = page.fm.updated.as_ref().map(toml_to_json);
        json!({
            "relative_path": page.relative_path,
            "colocated_path": null,
            "content": page.content,
            "permalink": page.permalink,
            "slug": page.slug,
            "ancestors": page.ancestors,
            "title": page.fm.title,
            "description": page.fm.description,
            "updated": updated,
            "date": date,
            "year": null,
            "month": null,
            "day": null,
            "taxonomies": {},
            "authors": [],
            "extra": table_to_json(&page.fm.extra),
            "path": page.path,
            "components": page.components,
            "summary": null,
            "toc": [],
            "word_count": words,
            "reading_time": words.div_ceil(200),
            "assets": [],
            "draft": page.fm.draft,
            "lang": self.config.default_language,
            "lower": null,
            "higher": null,
            "translations": [],
            "backlinks": [],
            "weight": page.fm.weight,
        })
    }

    /// The `section` object templates see; `pages` holds full page objects.
    pub fn section_context(&self, section: &Section, metadata_only: bool) -> Value {
        let words = markdown::word_count(&section.body);
        let pages: Vec<Value> = if metadata_only {
            Vec::new()
        } else {
            section
                .pages
                .iter()
                .filter_map(|p| self.pages.get(p))
                .map(|p| self.page_context(p))
                .collect()
        };
        let subsections: Vec<String> = if metadata_only {
            Vec::new()
        } else {
            section.subsections.clone()
        };
        json!({
            "relative_path": section.relative_path,
            "colocated_path": null,
            "content": section.content,
            "permalink": section.permalink,
            "draft": section.fm.draft,
            "ancestors": section.ancestors,
            "title": section.fm.title,
            "description": section.fm.description,
            "extra": table_to_json(&section.fm.extra),
            "path": section.path,
            "components": section.components,
            "toc": [],
            "word_count": words,
            "reading_time": words.div_ceil(200),
            "lang": self.config.default_language,
            "assets": [],
            "pages": pages,
            "subsections": subsections,
            "translations": [],
            "backlinks": [],
            "generate_feeds": false,
            "transparent": false,
        })
    }
}

/// Loads templates like Zola (`templates/**/*.{*ml,md}`), named by their
/// path relative to templates/ with `/` separators.
fn load_templates(dir: &Path) -> Result<BTreeMap<String, String>, String> {
    let mut out = BTreeMap::new();
    if !dir.is_dir() {
        return Ok(out);
    }
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
        if !entry.file_type().is_file() {
            continue;
        }
        let name = entry
            .path()
            .strip_prefix(dir)
            .map_err(|e| format!("bad path {}: {e}", entry.path().display()))?
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/");
        let ext = name.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
        if ext.ends_with("ml") || ext == "md" {
            out.insert(name, read(entry.path())?);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_and_section_paths() {
        assert_eq!(page_path(&[], "privacy", None), "/privacy/");
        assert_eq!(page_path(&["sec".into()], "page", None), "/sec/page/");
        assert_eq!(
            page_path(&["sec".into()], "page", Some("other/x")),
            "/other/x/"
        );
        assert_eq!(page_path(&[], "page", Some("/y/")), "/y/");
        assert_eq!(section_path(&[]), "/");
        assert_eq!(section_path(&["sec".into()]), "/sec/");
        assert_eq!(section_path(&["a".into(), "b".into()]), "/a/b/");
    }

    #[test]
    fn config_parsing() {
        let c = Config::parse(
            "base_url = \"/\"\ntitle = \"T\"\n[extra]\npolicy_version = \"1.0\"\nwhen = 2026-11-23\n",
        )
        .unwrap();
        assert_eq!(c.base_url, "/");
        assert_eq!(c.default_language, "en");
        assert_eq!(c.extra["policy_version"], "1.0");
        assert_eq!(c.extra["when"], "2026-11-23");
        assert!(Config::parse("title = \"no base\"").is_err());
        assert!(Config::parse("base_url = \"/\"\nbuild_search_index = true").is_err());
        assert!(Config::parse("base_url = \"/\"\n[languages.es]\ntitle = \"x\"").is_err());
    }
}
