//! How sections and pages hang together, as in Zola: each section's
//! ancestors, pages (in Zola's order) and subsections, and each page's
//! ancestors.

use std::collections::{BTreeMap, HashMap};

use crate::content_paths::section_file;
use crate::site::{Page, Section};

/// Fills `ancestors`, `pages` and `subsections` of every section and
/// `ancestors` of every page. Both maps are keyed by relative path.
pub(crate) fn link(
    sections: &mut BTreeMap<String, Section>,
    pages: &mut BTreeMap<String, Page>,
    default_language: &str,
) {
    let mut section_ancestors = ancestors_of_sections(sections, default_language);
    for page in pages.values_mut() {
        if let Some(parent) = &page.parent_section {
            let mut a = section_ancestors.get(parent).cloned().unwrap_or_default();
            a.push(parent.clone());
            page.ancestors = a;
        }
    }
    let section_keys: Vec<String> = sections.keys().cloned().collect();
    for key in &section_keys {
        let Some(section) = sections.get(key) else {
            continue;
        };
        let page_list = pages_of(section, pages);
        let subsections = subsections_of(key, section, sections, default_language);
        let ancestors = section_ancestors.remove(key).unwrap_or_default();
        if let Some(section) = sections.get_mut(key) {
            section.pages = page_list;
            section.subsections = subsections;
            section.ancestors = ancestors;
        }
    }
}

/// Section ancestors, as Zola: the root section of the language, then every
/// existing section of the same language down to the parent.
fn ancestors_of_sections(
    sections: &BTreeMap<String, Section>,
    default_language: &str,
) -> HashMap<String, Vec<String>> {
    let mut out = HashMap::new();
    for (key, s) in sections {
        let n = s.components.len();
        let ancestors = if n == 0 {
            Vec::new()
        } else {
            let mut a = vec![section_file(&[], &s.lang, default_language)];
            for k in 1..n {
                let f = section_file(&s.components[..k], &s.lang, default_language);
                if sections.contains_key(&f) {
                    a.push(f);
                }
            }
            a
        };
        out.insert(key.clone(), ancestors);
    }
    out
}

/// Relative paths of the pages of `section`, in Zola's order: by weight
/// (pages without one are left out, as in Zola) with `sort_by = "weight"`,
/// else by permalink.
fn pages_of(section: &Section, pages: &BTreeMap<String, Page>) -> Vec<String> {
    let key = section.relative_path.as_str();
    let mut list: Vec<&Page> = pages
        .values()
        .filter(|p| p.parent_section.as_deref() == Some(key))
        .collect();
    if section.fm.sort_by.as_deref() == Some("weight") {
        list.retain(|p| p.fm.weight.is_some());
        list.sort_by(|a, b| {
            a.fm.weight
                .cmp(&b.fm.weight)
                .then_with(|| a.permalink.cmp(&b.permalink))
        });
    } else {
        list.sort_by(|a, b| a.permalink.cmp(&b.permalink));
    }
    list.iter().map(|p| p.relative_path.clone()).collect()
}

/// Relative paths of the sections directly below `section` (same
/// language), by weight.
fn subsections_of(
    key: &str,
    section: &Section,
    sections: &BTreeMap<String, Section>,
    default_language: &str,
) -> Vec<String> {
    let mut subs: Vec<(Option<i64>, String)> = sections
        .values()
        .filter(|s| {
            let n = s.components.len();
            n > 0
                && s.lang == section.lang
                && section_file(&s.components[..n - 1], &s.lang, default_language) == key
        })
        .map(|s| (s.fm.weight, s.relative_path.clone()))
        .collect();
    subs.sort();
    subs.into_iter().map(|(_, p)| p).collect()
}
