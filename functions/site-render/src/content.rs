//! Loading a Zola site: config.toml and content/ (sections and pages), with
//! Zola's paths, permalinks and the template context objects.

use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::path::Path;

use serde_json::{json, Map, Value};

use crate::frontmatter::{self, PageFrontMatter, SectionFrontMatter};
use crate::markdown;
use crate::urls::{make_permalink, slugify};

/// Options of one language (`[languages.CODE]`, or the top level for the
/// default language), as Zola 0.19+ reads them.
#[derive(Debug, Clone, Default)]
pub struct LanguageOptions {
    pub title: Option<String>,
    pub description: Option<String>,
    /// `[translations]` (default language) or `[languages.CODE.translations]`.
    pub translations: Map<String, Value>,
}

impl LanguageOptions {
    fn to_context(&self) -> Value {
        json!({
            "title": self.title,
            "description": self.description,
            "generate_feeds": false,
            "feed_filenames": ["atom.xml"],
            "taxonomies": [],
            "build_search_index": false,
            "translations": self.translations,
        })
    }
}

/// Keys Zola accepts in `[languages.CODE]`; the feature ones must stay off.
const LANGUAGE_KEYS: &[&str] = &[
    "title",
    "description",
    "generate_feeds",
    "generate_feed",
    "feed_filenames",
    "feed_filename",
    "build_search_index",
    "taxonomies",
    "search",
    "translations",
];

#[derive(Debug, Clone)]
pub struct Config {
    pub base_url: String,
    pub title: Option<String>,
    pub description: Option<String>,
    pub default_language: String,
    pub build_search_index: bool,
    pub generate_feeds: bool,
    pub extra: Value,
    /// Every language, the default one included (its options come from the
    /// top level, as in Zola).
    pub languages: BTreeMap<String, LanguageOptions>,
}

fn string_table(v: Option<&toml::Value>, what: &str) -> Result<Map<String, Value>, String> {
    let Some(v) = v else {
        return Ok(Map::new());
    };
    let table = v
        .as_table()
        .ok_or_else(|| format!("config.toml: {what} must be a table"))?;
    let mut out = Map::new();
    for (k, v) in table {
        let s = v
            .as_str()
            .ok_or_else(|| format!("config.toml: {what}.{k} must be a string"))?;
        out.insert(k.clone(), Value::String(s.to_string()));
    }
    Ok(out)
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
        let default_language = get_str("default_language").unwrap_or_else(|| "en".to_string());
        let mut languages = BTreeMap::new();
        languages.insert(
            default_language.clone(),
            LanguageOptions {
                title: get_str("title"),
                description: get_str("description"),
                translations: string_table(table.get("translations"), "[translations]")?,
            },
        );
        if let Some(langs) = table.get("languages") {
            let langs = langs
                .as_table()
                .ok_or("config.toml: `languages` must be a table")?;
            for (code, options) in langs {
                if *code == default_language {
                    return Err(format!(
                        "config.toml: the default language `{code}` must not appear in [languages]; \
                         set its options at the top level, as Zola requires"
                    ));
                }
                let options = options
                    .as_table()
                    .ok_or_else(|| format!("config.toml: [languages.{code}] must be a table"))?;
                for (k, v) in options {
                    if !LANGUAGE_KEYS.contains(&k.as_str()) {
                        return Err(format!(
                            "config.toml: unknown key `{k}` in [languages.{code}]"
                        ));
                    }
                    let feature_on = match k.as_str() {
                        "generate_feeds" | "generate_feed" | "build_search_index" => {
                            v.as_bool() == Some(true)
                        }
                        "taxonomies" => v.as_array().is_some_and(|a| !a.is_empty()),
                        "search" => true,
                        _ => false,
                    };
                    if feature_on {
                        return Err(format!(
                            "config.toml: [languages.{code}] {k} is not supported by site-render"
                        ));
                    }
                }
                let opt_str = |k: &str| options.get(k).and_then(|v| v.as_str()).map(str::to_string);
                languages.insert(
                    code.clone(),
                    LanguageOptions {
                        title: opt_str("title"),
                        description: opt_str("description"),
                        translations: string_table(
                            options.get("translations"),
                            &format!("[languages.{code}.translations]"),
                        )?,
                    },
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
            default_language,
            build_search_index: false,
            generate_feeds: false,
            extra: table
                .get("extra")
                .map(toml_to_json)
                .unwrap_or_else(|| Value::Object(Map::new())),
            languages,
        })
    }

    /// True when `[languages]` adds at least one language (Zola's
    /// `is_multilingual`).
    pub fn is_multilingual(&self) -> bool {
        self.languages.len() > 1
    }

    /// Codes of the languages other than the default one.
    pub fn other_languages(&self) -> Vec<&str> {
        self.languages
            .keys()
            .map(String::as_str)
            .filter(|l| *l != self.default_language)
            .collect()
    }

    /// Zola's `get_translation`, used by `trans`.
    pub fn get_translation(&self, lang: &str, key: &str) -> Result<String, String> {
        let options = self
            .languages
            .get(lang)
            .ok_or_else(|| format!("Language '{lang}' not found."))?;
        options
            .translations
            .get(key)
            .and_then(Value::as_str)
            .map(str::to_string)
            .ok_or_else(|| format!("Translation key '{key}' for language '{lang}' is missing"))
    }

    /// The `config` object templates see when rendering in `lang` (Zola's
    /// serialized config: title and description of that language, and
    /// `languages` holding every other language).
    pub fn to_context(&self, lang: &str) -> Value {
        let options = self.languages.get(lang).cloned().unwrap_or_default();
        let languages: Map<String, Value> = self
            .languages
            .iter()
            .filter(|(code, _)| code.as_str() != lang)
            .map(|(code, o)| (code.clone(), o.to_context()))
            .collect();
        json!({
            "base_url": self.base_url,
            "mode": "build",
            "title": options.title,
            "description": options.description,
            "default_language": self.default_language,
            "languages": languages,
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
    pub lang: String,
    /// Directory and name without the language code: translations share it.
    pub canonical: String,
    pub path: String,
    pub permalink: String,
    /// Content directories down to this section (no language prefix).
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
    pub lang: String,
    /// Directory and name without the language code: translations share it.
    pub canonical: String,
    pub slug: String,
    pub path: String,
    pub permalink: String,
    /// Components of the page's URL path, like Zola's `page.components`.
    pub components: Vec<String>,
    /// Content directories of the section the page belongs to.
    pub dir: Vec<String>,
    pub ancestors: Vec<String>,
    pub parent_section: Option<String>,
    pub content: String,
}

#[derive(Debug, Clone)]
pub struct Site {
    pub config: Config,
    /// Absolute path of `content/` (Zola serializes file paths in `translations`).
    pub content_dir: std::path::PathBuf,
    pub templates: BTreeMap<String, String>,
    pub sections: BTreeMap<String, Section>,
    pub pages: BTreeMap<String, Page>,
    /// content-relative path (`privacy.md`, `privacy.es.md`, `_index.md`) -> permalink
    pub permalinks: HashMap<String, String>,
    /// canonical path -> relative paths of every language version (multilingual only)
    pub translations: HashMap<String, Vec<String>>,
}

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

fn read(path: &Path) -> Result<String, String> {
    fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

/// The section file of `dir` in `lang`: `_index.md` for the default
/// language, `_index.LANG.md` otherwise.
fn section_file(dir: &[String], lang: &str, default_language: &str) -> String {
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
fn split_language(stem: &str, config: &Config, rel: &str) -> Result<(String, String), String> {
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

fn split_dir(dir: &str) -> Vec<String> {
    if dir.is_empty() {
        Vec::new()
    } else {
        dir.split('/').map(str::to_string).collect()
    }
}

impl Site {
    pub fn load(site_dir: &Path) -> Result<Site, String> {
        let config = Config::parse(&read(&site_dir.join("config.toml"))?)?;
        let default_language = config.default_language.clone();
        let templates = load_templates(&site_dir.join("templates"))?;
        let content_dir = site_dir.join("content");
        if !content_dir.is_dir() {
            return Err(format!("{} is not a directory", content_dir.display()));
        }
        let content_dir = content_dir
            .canonicalize()
            .map_err(|e| format!("cannot resolve {}: {e}", content_dir.display()))?;

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

        // (relative path, directory, name without language, language, text)
        let mut entries = Vec::new();
        for (rel, text) in &files {
            let (dir, file) = match rel.rsplit_once('/') {
                Some((d, f)) => (d.to_string(), f.to_string()),
                None => (String::new(), rel.clone()),
            };
            let stem = file.trim_end_matches(".md");
            let (name, lang) = split_language(stem, &config, rel)?;
            entries.push((rel.clone(), dir, name, lang, text.as_str()));
        }
        let prefix_of = |lang: &str| (lang != default_language).then(|| lang.to_string());

        let mut sections = BTreeMap::new();
        let mut pages = BTreeMap::new();
        let mut draft_dirs: Vec<(String, String)> = Vec::new();
        // Sections first, so pages can find theirs and drafts propagate.
        for (rel, dir, name, lang, text) in &entries {
            if name != "_index" {
                continue;
            }
            let (fm, body) = frontmatter::parse_section(text).map_err(|e| format!("{rel}: {e}"))?;
            if fm.draft {
                draft_dirs.push((dir.clone(), lang.clone()));
                continue;
            }
            let components = split_dir(dir);
            let path = section_path(&components, prefix_of(lang).as_deref());
            let permalink = make_permalink(&config.base_url, &path);
            let canonical = if dir.is_empty() {
                name.clone()
            } else {
                format!("{dir}/{name}")
            };
            sections.insert(
                rel.clone(),
                Section {
                    relative_path: rel.clone(),
                    fm,
                    body: body.to_string(),
                    lang: lang.clone(),
                    canonical,
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
        let in_draft = |dir: &str, lang: &str| {
            draft_dirs.iter().any(|(d, l)| {
                l == lang && (d.is_empty() || dir == d || dir.starts_with(&format!("{d}/")))
            })
        };
        sections.retain(|_, s| !in_draft(&s.components.join("/"), &s.lang));

        for (rel, dir, name, lang, text) in &entries {
            if name == "_index" {
                continue;
            }
            if in_draft(dir, lang) {
                continue;
            }
            let (fm, body) = frontmatter::parse_page(text).map_err(|e| format!("{rel}: {e}"))?;
            if fm.draft {
                continue;
            }
            let mut dir_components = split_dir(dir);
            // Page bundle: `foo/index.md` is the page `foo`, in the section above.
            let default_slug = if name == "index" {
                dir_components.pop().ok_or_else(|| {
                    format!("{rel}: content/index.md is not supported by site-render")
                })?
            } else {
                name.clone()
            };
            let slug = slugify(fm.slug.as_deref().unwrap_or(&default_slug));
            let path = page_path(
                &dir_components,
                &slug,
                fm.path.as_deref(),
                prefix_of(lang).as_deref(),
            );
            let permalink = make_permalink(&config.base_url, &path);
            let parent = section_file(&dir_components, lang, &default_language);
            let parent_section = sections.contains_key(&parent).then_some(parent);
            let components = path
                .trim_matches('/')
                .split('/')
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect();
            let canonical = if dir.is_empty() {
                name.clone()
            } else {
                format!("{dir}/{name}")
            };
            pages.insert(
                rel.clone(),
                Page {
                    relative_path: rel.clone(),
                    fm,
                    body: body.to_string(),
                    lang: lang.clone(),
                    canonical,
                    slug,
                    path,
                    permalink,
                    components,
                    dir: dir_components,
                    ancestors: Vec::new(),
                    parent_section,
                    content: String::new(),
                },
            );
        }

        // Section ancestors, as Zola: the root section of the language, then
        // every existing section of the same language down to the parent.
        let section_keys: Vec<String> = sections.keys().cloned().collect();
        let mut section_ancestors: HashMap<String, Vec<String>> = HashMap::new();
        for key in &section_keys {
            let Some(s) = sections.get(key) else { continue };
            let n = s.components.len();
            let ancestors = if n == 0 {
                Vec::new()
            } else {
                let mut a = vec![section_file(&[], &s.lang, &default_language)];
                for k in 1..n {
                    let f = section_file(&s.components[..k], &s.lang, &default_language);
                    if sections.contains_key(&f) {
                        a.push(f);
                    }
                }
                a
            };
            section_ancestors.insert(key.clone(), ancestors);
        }
        for page in pages.values_mut() {
            if let Some(parent) = &page.parent_section {
                let mut a = section_ancestors.get(parent).cloned().unwrap_or_default();
                a.push(parent.clone());
                page.ancestors = a;
            }
        }
        for key in &section_keys {
            let mut pages_of: Vec<&Page> = pages
                .values()
                .filter(|p| p.parent_section.as_deref() == Some(key.as_str()))
                .collect();
            let Some(section) = sections.get(key) else {
                continue;
            };
            let mut subs: Vec<(Option<i64>, String)> = sections
                .values()
                .filter(|s| {
                    let n = s.components.len();
                    n > 0
                        && s.lang == section.lang
                        && section_file(&s.components[..n - 1], &s.lang, &default_language) == *key
                })
                .map(|s| (s.fm.weight, s.relative_path.clone()))
                .collect();
            subs.sort();
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
            let ancestors = section_ancestors.remove(key).unwrap_or_default();
            if let Some(section) = sections.get_mut(key) {
                section.pages = page_list;
                section.subsections = subs.into_iter().map(|(_, p)| p).collect();
                section.ancestors = ancestors;
            }
        }

        let mut permalinks: HashMap<String, String> = HashMap::new();
        let mut by_path: HashMap<String, String> = HashMap::new();
        let rendered = sections
            .values()
            .map(|s| {
                (
                    &s.relative_path,
                    &s.path,
                    &s.permalink,
                    s.fm.render != Some(false),
                )
            })
            .chain(pages.values().map(|p| {
                (
                    &p.relative_path,
                    &p.path,
                    &p.permalink,
                    p.fm.render != Some(false),
                )
            }));
        for (rel, path, permalink, render) in rendered {
            if render {
                if let Some(other) = by_path.insert(path.clone(), rel.clone()) {
                    return Err(format!("{rel}: path {path} is already used by {other}"));
                }
            }
            permalinks.insert(rel.clone(), permalink.clone());
        }

        let mut translations: HashMap<String, Vec<String>> = HashMap::new();
        if config.is_multilingual() {
            for s in sections.values() {
                translations
                    .entry(s.canonical.clone())
                    .or_default()
                    .push(s.relative_path.clone());
            }
            for p in pages.values().filter(|p| p.fm.render != Some(false)) {
                translations
                    .entry(p.canonical.clone())
                    .or_default()
                    .push(p.relative_path.clone());
            }
        }

        for s in sections.values_mut() {
            s.content = markdown::render(&s.body, &permalinks, &s.relative_path)?;
        }
        for p in pages.values_mut() {
            p.content = markdown::render(&p.body, &permalinks, &p.relative_path)?;
        }

        Ok(Site {
            config,
            content_dir,
            templates,
            sections,
            pages,
            permalinks,
            translations,
        })
    }

    /// The template Zola picks for a page: its own, else the nearest
    /// ancestor section's `page_template`, else `page.html`.
    pub fn page_template(&self, page: &Page) -> String {
        page.fm
            .template
            .clone()
            .or_else(|| {
                page.ancestors
                    .iter()
                    .rev()
                    .filter_map(|a| self.sections.get(a))
                    .find_map(|s| s.fm.page_template.clone())
            })
            .unwrap_or_else(|| "page.html".to_string())
    }

    /// Zola's `translations` of a page or section: every language version
    /// (itself included), as `{lang, permalink, title, path}`. Zola keeps
    /// them in a hash set; here they are ordered by language, the default
    /// language first.
    pub fn translations_of(&self, canonical: &str) -> Vec<Value> {
        let mut out: Vec<(bool, String, Value)> = Vec::new();
        for rel in self.translations.get(canonical).into_iter().flatten() {
            let (lang, permalink, title) = if let Some(s) = self.sections.get(rel) {
                (&s.lang, &s.permalink, &s.fm.title)
            } else if let Some(p) = self.pages.get(rel) {
                (&p.lang, &p.permalink, &p.fm.title)
            } else {
                continue;
            };
            let file = self.content_dir.join(rel);
            out.push((
                *lang != self.config.default_language,
                lang.clone(),
                json!({
                    "lang": lang,
                    "permalink": permalink,
                    "title": title,
                    "path": file.to_string_lossy(),
                }),
            ));
        }
        out.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
        out.into_iter().map(|(_, _, v)| v).collect()
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
            "lang": page.lang,
            "lower": null,
            "higher": null,
            "translations": self.translations_of(&page.canonical),
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
            "components": section.path.trim_matches('/').split('/').filter(|s| !s.is_empty()).collect::<Vec<_>>(),
            "toc": [],
            "word_count": words,
            "reading_time": words.div_ceil(200),
            "lang": section.lang,
            "assets": [],
            "pages": pages,
            "subsections": subsections,
            "translations": self.translations_of(&section.canonical),
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
        assert!(Config::parse("base_url = \"/\"\n[languages.en]\ntitle = \"x\"").is_err());
        assert!(
            Config::parse("base_url = \"/\"\n[languages.es]\nbuild_search_index = true").is_err()
        );
        assert!(Config::parse("base_url = \"/\"\n[languages.es]\nbogus = 1").is_err());
    }

    #[test]
    fn multilingual_config() {
        let c = Config::parse(
            "base_url = \"/\"\ntitle = \"Shop\"\n[translations]\nhome = \"Home\"\n\
             [languages.es]\ntitle = \"Tienda\"\n[languages.es.translations]\nhome = \"Inicio\"\n",
        )
        .unwrap();
        assert!(c.is_multilingual());
        assert_eq!(c.other_languages(), vec!["es"]);
        assert_eq!(c.get_translation("en", "home").unwrap(), "Home");
        assert_eq!(c.get_translation("es", "home").unwrap(), "Inicio");
        assert!(c.get_translation("es", "nope").is_err());
        assert!(c.get_translation("fr", "home").is_err());
        let en = c.to_context("en");
        assert_eq!(en["title"], "Shop");
        assert_eq!(en["languages"]["es"]["title"], "Tienda");
        assert!(en["languages"].get("en").is_none());
        let es = c.to_context("es");
        assert_eq!(es["title"], "Tienda");
        assert_eq!(es["languages"]["en"]["translations"]["home"], "Home");
    }
}
