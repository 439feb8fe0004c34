//! The `page` and `section` objects templates see, their `translations`,
//! and the template Zola picks for a page.

use serde_json::{json, Value};

use crate::config::{table_to_json, toml_to_json};
use crate::markdown;
use crate::site::{Page, Section, Site};

impl Site {
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
