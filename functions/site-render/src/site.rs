//! The site model (sections, pages, templates) and loading it from a Zola
//! site directory: config.toml, templates/ and content/, with Zola's paths,
//! permalinks, drafts and translations, Markdown rendered and internal
//! links checked.

use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::content_paths::{page_path, section_file, section_path, split_dir, split_language};
use crate::frontmatter::{self, PageFrontMatter, SectionFrontMatter};
use crate::markdown::{self, InternalLink};
use crate::urls::make_permalink;
use crate::{hierarchy, link_check};

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
    /// Ids of the headings of the Markdown content (Zola's `toc` ids).
    pub heading_ids: Vec<String>,
    /// Internal links of the Markdown content, for the anchor check.
    pub links: Vec<InternalLink>,
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
    /// Ids of the headings of the Markdown content (Zola's `toc` ids).
    pub heading_ids: Vec<String>,
    /// Internal links of the Markdown content, for the anchor check.
    pub links: Vec<InternalLink>,
}

#[derive(Debug, Clone)]
pub struct Site {
    pub config: Config,
    /// Absolute path of `content/` (Zola serializes file paths in `translations`).
    pub content_dir: PathBuf,
    pub templates: BTreeMap<String, String>,
    pub sections: BTreeMap<String, Section>,
    pub pages: BTreeMap<String, Page>,
    /// content-relative path (`privacy.md`, `privacy.es.md`, `_index.md`) -> permalink
    pub permalinks: HashMap<String, String>,
    /// canonical path -> relative paths of every language version (multilingual only)
    pub translations: HashMap<String, Vec<String>>,
}

/// One Markdown file of content/.
struct ContentFile {
    /// Path relative to content/, with `/` separators.
    rel: String,
    /// Its directory, relative to content/ (empty at the top).
    dir: String,
    /// File name without `.md` and without the language code.
    name: String,
    lang: String,
    text: String,
}

impl ContentFile {
    /// Directory and name without the language code: translations share it.
    fn canonical(&self) -> String {
        if self.dir.is_empty() {
            self.name.clone()
        } else {
            format!("{}/{}", self.dir, self.name)
        }
    }
}

/// Directories (and languages) of draft sections: nothing under them is
/// loaded.
struct Drafts(Vec<(String, String)>);

impl Drafts {
    fn contain(&self, dir: &str, lang: &str) -> bool {
        self.0.iter().any(|(d, l)| {
            l == lang && (d.is_empty() || dir == d || dir.starts_with(&format!("{d}/")))
        })
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
        let content_dir = content_dir
            .canonicalize()
            .map_err(|e| format!("cannot resolve {}: {e}", content_dir.display()))?;
        let files = read_content(&content_dir, &config)?;
        let (mut sections, drafts) = load_sections(&files, &config)?;
        let mut pages = load_pages(&files, &config, &sections, &drafts)?;
        hierarchy::link(&mut sections, &mut pages, &config.default_language);
        let permalinks = permalinks_of(&sections, &pages)?;
        let translations = if config.is_multilingual() {
            translations_of(&sections, &pages)
        } else {
            HashMap::new()
        };
        render_markdown(&mut sections, &mut pages, &permalinks)?;
        let site = Site {
            config,
            content_dir,
            templates,
            sections,
            pages,
            permalinks,
            translations,
        };
        link_check::check_internal_anchors(&site)?;
        Ok(site)
    }
}

fn read(path: &Path) -> Result<String, String> {
    fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

/// Path of `path` relative to `base`, with `/` separators.
fn relative(base: &Path, path: &Path) -> Result<String, String> {
    Ok(path
        .strip_prefix(base)
        .map_err(|e| format!("bad path {}: {e}", path.display()))?
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/"))
}

/// Every Markdown file of content/ (hidden ones skipped, as in Zola), sorted.
fn read_content(content_dir: &Path, config: &Config) -> Result<Vec<ContentFile>, String> {
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(content_dir).sort_by_file_name() {
        let entry = entry.map_err(|e| format!("cannot read {}: {e}", content_dir.display()))?;
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = relative(content_dir, entry.path())?;
        if !rel.ends_with(".md") || rel.split('/').any(|p| p.starts_with('.')) {
            continue;
        }
        let (dir, file) = match rel.rsplit_once('/') {
            Some((d, f)) => (d.to_string(), f.to_string()),
            None => (String::new(), rel.clone()),
        };
        let (name, lang) = split_language(file.trim_end_matches(".md"), config, &rel)?;
        let text = read(entry.path())?;
        files.push(ContentFile {
            rel,
            dir,
            name,
            lang,
            text,
        });
    }
    Ok(files)
}

/// `LANG/` prefix of a path in a non-default language.
fn prefix_of(config: &Config, lang: &str) -> Option<String> {
    (lang != config.default_language).then(|| lang.to_string())
}

/// The sections (`_index*.md`) that are not drafts nor under a draft, and
/// the draft directories.
fn load_sections(
    files: &[ContentFile],
    config: &Config,
) -> Result<(BTreeMap<String, Section>, Drafts), String> {
    let mut sections = BTreeMap::new();
    let mut drafts = Drafts(Vec::new());
    for f in files.iter().filter(|f| f.name == "_index") {
        let rel = &f.rel;
        let (fm, body) = frontmatter::parse_section(&f.text).map_err(|e| format!("{rel}: {e}"))?;
        if fm.draft {
            drafts.0.push((f.dir.clone(), f.lang.clone()));
            continue;
        }
        let components = split_dir(&f.dir);
        let path = section_path(&components, prefix_of(config, &f.lang).as_deref());
        let permalink = make_permalink(&config.base_url, &path);
        let section = Section {
            relative_path: rel.clone(),
            fm,
            body: body.to_string(),
            lang: f.lang.clone(),
            canonical: f.canonical(),
            path,
            permalink,
            components,
            ancestors: Vec::new(),
            content: String::new(),
            heading_ids: Vec::new(),
            links: Vec::new(),
            pages: Vec::new(),
            subsections: Vec::new(),
        };
        sections.insert(rel.clone(), section);
    }
    sections.retain(|_, s| !drafts.contain(&s.components.join("/"), &s.lang));
    Ok((sections, drafts))
}

/// The pages that are not drafts nor under a draft section.
fn load_pages(
    files: &[ContentFile],
    config: &Config,
    sections: &BTreeMap<String, Section>,
    drafts: &Drafts,
) -> Result<BTreeMap<String, Page>, String> {
    let mut pages = BTreeMap::new();
    for f in files.iter().filter(|f| f.name != "_index") {
        let rel = &f.rel;
        if drafts.contain(&f.dir, &f.lang) {
            continue;
        }
        let (fm, body) = frontmatter::parse_page(&f.text).map_err(|e| format!("{rel}: {e}"))?;
        if fm.draft {
            continue;
        }
        let mut dir_components = split_dir(&f.dir);
        // Page bundle: `foo/index.md` is the page `foo`, in the section above.
        let default_slug = if f.name == "index" {
            dir_components
                .pop()
                .ok_or_else(|| format!("{rel}: content/index.md is not supported by site-render"))?
        } else {
            f.name.clone()
        };
        // Zola's `slugify_paths` with the default strategy, `on`.
        let slug = slug::slugify(fm.slug.as_deref().unwrap_or(&default_slug));
        let path = page_path(
            &dir_components,
            &slug,
            fm.path.as_deref(),
            prefix_of(config, &f.lang).as_deref(),
        );
        let permalink = make_permalink(&config.base_url, &path);
        let parent = section_file(&dir_components, &f.lang, &config.default_language);
        let parent_section = sections.contains_key(&parent).then_some(parent);
        let components = path
            .trim_matches('/')
            .split('/')
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect();
        let page = Page {
            relative_path: rel.clone(),
            fm,
            body: body.to_string(),
            lang: f.lang.clone(),
            canonical: f.canonical(),
            slug,
            path,
            permalink,
            components,
            dir: dir_components,
            ancestors: Vec::new(),
            parent_section,
            content: String::new(),
            heading_ids: Vec::new(),
            links: Vec::new(),
        };
        pages.insert(rel.clone(), page);
    }
    Ok(pages)
}

/// content-relative path -> permalink of every section and page; an error
/// when two rendered ones share a path.
fn permalinks_of(
    sections: &BTreeMap<String, Section>,
    pages: &BTreeMap<String, Page>,
) -> Result<HashMap<String, String>, String> {
    let mut permalinks = HashMap::new();
    let mut by_path: HashMap<&str, &str> = HashMap::new();
    let all = sections
        .values()
        .map(|s| (&s.relative_path, &s.path, &s.permalink, s.fm.render))
        .chain(
            pages
                .values()
                .map(|p| (&p.relative_path, &p.path, &p.permalink, p.fm.render)),
        );
    for (rel, path, permalink, render) in all {
        if render != Some(false) {
            if let Some(other) = by_path.insert(path, rel) {
                return Err(format!("{rel}: path {path} is already used by {other}"));
            }
        }
        permalinks.insert(rel.clone(), permalink.clone());
    }
    Ok(permalinks)
}

/// canonical path -> relative paths of its language versions (sections, and
/// pages that are rendered).
fn translations_of(
    sections: &BTreeMap<String, Section>,
    pages: &BTreeMap<String, Page>,
) -> HashMap<String, Vec<String>> {
    let mut translations: HashMap<String, Vec<String>> = HashMap::new();
    let all = sections
        .values()
        .map(|s| (&s.canonical, &s.relative_path))
        .chain(
            pages
                .values()
                .filter(|p| p.fm.render != Some(false))
                .map(|p| (&p.canonical, &p.relative_path)),
        );
    for (canonical, rel) in all {
        translations
            .entry(canonical.clone())
            .or_default()
            .push(rel.clone());
    }
    translations
}

/// Renders the Markdown of every section and page, keeping its heading ids
/// and internal links.
fn render_markdown(
    sections: &mut BTreeMap<String, Section>,
    pages: &mut BTreeMap<String, Page>,
    permalinks: &HashMap<String, String>,
) -> Result<(), String> {
    for s in sections.values_mut() {
        let r = markdown::render(&s.body, permalinks, Some(&s.relative_path))?;
        (s.content, s.heading_ids, s.links) = (r.html, r.heading_ids, r.links);
    }
    for p in pages.values_mut() {
        let r = markdown::render(&p.body, permalinks, Some(&p.relative_path))?;
        (p.content, p.heading_ids, p.links) = (r.html, r.heading_ids, r.links);
    }
    Ok(())
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
        let name = relative(dir, entry.path())?;
        let ext = name.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
        if ext.ends_with("ml") || ext == "md" {
            out.insert(name, read(entry.path())?);
        }
    }
    Ok(out)
}
