//! Output paths by Zola's rules: the output directory is cleaned, and every output file
//! of the real site is derived from the content tree by Zola's rules (written
//! independently of the renderer's path code).

use super::{site_dir, temp_out};
use std::fs;

#[test]
fn output_dir_is_cleaned_and_zola_paths_used() {
    let site = temp_out("mini-site");
    fs::create_dir_all(site.join("content/blog")).unwrap();
    fs::create_dir_all(site.join("templates")).unwrap();
    fs::create_dir_all(site.join("static")).unwrap();
    fs::write(
        site.join("config.toml"),
        "base_url = \"https://example.com\"\ntitle = \"Mini\"\n",
    )
    .unwrap();
    fs::write(site.join("content/_index.md"), "+++\n+++\nHome").unwrap();
    fs::write(
        site.join("content/about.md"),
        "+++\ntitle = \"About\"\n+++\nSee [blog](@/blog/_index.md).",
    )
    .unwrap();
    fs::write(
        site.join("content/draft.md"),
        "+++\ndraft = true\n+++\nSecret",
    )
    .unwrap();
    fs::write(
        site.join("content/blog/_index.md"),
        "+++\ntitle = \"Blog\"\nsort_by = \"weight\"\n+++\n",
    )
    .unwrap();
    fs::write(
        site.join("content/blog/b.md"),
        "+++\ntitle = \"B\"\nweight = 2\n+++\n",
    )
    .unwrap();
    fs::write(
        site.join("content/blog/a.md"),
        "+++\ntitle = \"A\"\nweight = 1\nslug = \"First Post\"\n+++\n",
    )
    .unwrap();
    fs::write(site.join("static/robots-extra.txt"), "x").unwrap();
    fs::write(
        site.join("templates/index.html"),
        "{{ section.content | safe }}|{{ get_url(path='@/about.md') }}",
    )
    .unwrap();
    fs::write(
        site.join("templates/page.html"),
        "{{ current_path | safe }}|{{ page.permalink | safe }}|{{ page.content | safe }}",
    )
    .unwrap();
    fs::write(
        site.join("templates/section.html"),
        "{% set s = get_section(path='blog/_index.md', metadata_only=true) %}{% set a = get_page(path='about.md') %}{% set md = '*x*' %}{% for p in section.pages %}{{ p.title }}{% endfor %}|{{ s.title }}|{{ a.title }}|{{ md | markdown(inline=true) | safe }}",
    )
    .unwrap();
    let out = site.join("public");
    fs::create_dir_all(&out).unwrap();
    fs::write(out.join("stale.html"), "old").unwrap();

    let report = site_render::build(&site, &out).unwrap();
    assert!(!out.join("stale.html").exists());
    assert!(!out.join("draft/index.html").exists());
    assert_eq!(
        report.files,
        vec![
            "404.html",
            "about/index.html",
            "blog/first-post/index.html",
            "blog/index.html",
            "blog/b/index.html",
            "index.html",
            "robots-extra.txt",
            "robots.txt",
            "sitemap.xml",
        ]
        .into_iter()
        .map(String::from)
        .collect::<Vec<_>>()
        .tap_sort()
    );
    let read = |p: &str| fs::read_to_string(out.join(p)).unwrap();
    // Like Zola, .html templates are autoescaped: unfiltered URLs come out
    // with `/` as `&#x2F;` (the site's templates use `| safe`).
    assert_eq!(
        read("index.html"),
        "<p>Home</p>\n|https:&#x2F;&#x2F;example.com&#x2F;about&#x2F;"
    );
    assert_eq!(
        read("about/index.html"),
        "/about/|https://example.com/about/|<p>See <a href=\"https://example.com/blog/\">blog</a>.</p>\n"
    );
    assert_eq!(read("blog/index.html"), "AB|Blog|About|<em>x</em>");
    assert!(read("404.html").contains("404 Not Found"));
    assert!(read("robots.txt").contains("Sitemap: https://example.com/sitemap.xml"));
    assert!(read("sitemap.xml").contains("<loc>https://example.com/blog/first-post/</loc>"));
    let _ = fs::remove_dir_all(&site);
}

/// Zola's output location rules, written out independently of the
/// renderer's own path code (Zola 0.19+ `FileInfo::find_language`,
/// `Page::parse`, `Section::parse`): for each Markdown file in `content/`,
/// the file Zola writes, or `None` when it writes none.
fn zola_output_for(
    rel: &str,
    text: &str,
    default_lang: &str,
    langs: &[String],
    draft_dirs: &[(String, String)],
) -> Option<String> {
    let (dir, file) = rel.rsplit_once('/').unwrap_or(("", rel));
    let stem = file.strip_suffix(".md").unwrap();
    let (name, lang) = match stem.split_once('.') {
        Some((n, l)) => {
            assert!(
                langs.iter().any(|x| x == l),
                "{rel}: language `{l}` not in [languages]: Zola fails"
            );
            (n, l)
        }
        None => (stem, default_lang),
    };
    let front = text.trim_start().strip_prefix("+++").unwrap();
    let front: toml::Table = toml::from_str(&front[..front.find("+++").unwrap()]).unwrap();
    let flag = |k: &str, default: bool| front.get(k).and_then(|v| v.as_bool()).unwrap_or(default);
    let in_draft = draft_dirs
        .iter()
        .any(|(d, l)| l == lang && (d.is_empty() || dir == d || dir.starts_with(&format!("{d}/"))));
    if flag("draft", false) || in_draft || !flag("render", true) {
        return None;
    }
    let mut parts: Vec<String> = Vec::new();
    if let Some(p) = front.get("path").and_then(|v| v.as_str()) {
        // A front matter `path` is used as is: no language prefix.
        parts.extend(p.split('/').filter(|s| !s.is_empty()).map(String::from));
    } else {
        if lang != default_lang {
            parts.push(lang.to_string());
        }
        let mut dirs: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
        if name == "_index" {
            parts.extend(dirs.iter().map(|s| s.to_string()));
        } else {
            let from_file = if name == "index" {
                dirs.pop().expect("content/index.md")
            } else {
                name
            };
            parts.extend(dirs.iter().map(|s| s.to_string()));
            let slug = front
                .get("slug")
                .and_then(|v| v.as_str())
                .unwrap_or(from_file);
            // The site keeps file names and slugs already slug-shaped, so
            // Zola's slugify leaves them unchanged.
            assert!(
                slug.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
                "{rel}: slug `{slug}` is not slug-shaped; Zola would rewrite it"
            );
            parts.push(slug.to_string());
        }
    }
    Some(if parts.is_empty() {
        "index.html".to_string()
    } else {
        format!("{}/index.html", parts.join("/"))
    })
}

#[test]
fn output_paths_match_zola_rules() {
    let site = site_dir();
    let config: toml::Table =
        toml::from_str(&fs::read_to_string(site.join("config.toml")).unwrap()).unwrap();
    let default_lang = config
        .get("default_language")
        .and_then(|v| v.as_str())
        .unwrap_or("en")
        .to_string();
    let langs: Vec<String> = config
        .get("languages")
        .and_then(|v| v.as_table())
        .map(|t| t.keys().cloned().collect())
        .unwrap_or_default();
    let content = site.join("content");
    let mut md: Vec<(String, String)> = Vec::new();
    let mut expected: Vec<String> =
        vec!["404.html".into(), "robots.txt".into(), "sitemap.xml".into()];
    for (root, skip_md) in [(site.join("static"), false), (content.clone(), true)] {
        for entry in walkdir::WalkDir::new(&root) {
            let entry = entry.unwrap();
            if !entry.file_type().is_file() {
                continue;
            }
            let rel = entry
                .path()
                .strip_prefix(&root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            if rel.split('/').any(|p| p.starts_with('.')) {
                continue;
            }
            if skip_md && rel.ends_with(".md") {
                md.push((rel, fs::read_to_string(entry.path()).unwrap()));
            } else {
                expected.push(rel);
            }
        }
    }
    let draft_dirs: Vec<(String, String)> = md
        .iter()
        .filter(|(rel, text)| {
            let file = rel.rsplit('/').next().unwrap();
            file.starts_with("_index.") && text.contains("\ndraft = true")
        })
        .map(|(rel, _)| {
            let (dir, file) = rel.rsplit_once('/').unwrap_or(("", rel));
            let lang = file
                .trim_start_matches("_index")
                .trim_end_matches(".md")
                .trim_start_matches('.');
            let lang = if lang.is_empty() { &default_lang } else { lang };
            (dir.to_string(), lang.to_string())
        })
        .collect();
    let mut pages = 0;
    for (rel, text) in &md {
        if let Some(out) = zola_output_for(rel, text, &default_lang, &langs, &draft_dirs) {
            assert!(
                !expected.contains(&out),
                "{rel}: {out} would collide (Zola fails on path collisions)"
            );
            expected.push(out);
            pages += 1;
        }
    }
    expected.sort();
    expected.dedup();

    let out = temp_out("zola-paths");
    let report = site_render::build(&site, &out).unwrap();
    let mut actual = report.files.clone();
    actual.sort();
    let missing: Vec<_> = expected.iter().filter(|f| !actual.contains(f)).collect();
    let extra: Vec<_> = actual.iter().filter(|f| !expected.contains(f)).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "output differs from Zola's locations\n  missing (Zola writes, site-render does not): {missing:?}\n  extra (site-render writes, Zola does not): {extra:?}"
    );
    // Both languages are there, and every default-language page has its translation.
    assert!(pages >= 2);
    for lang in &langs {
        assert!(
            actual.contains(&format!("{lang}/index.html")),
            "no home page for {lang}"
        );
    }
    let html: Vec<&String> = actual
        .iter()
        .filter(|f| f.ends_with("index.html"))
        .collect();
    for f in &html {
        let first = f.split('/').next().unwrap();
        if langs.iter().any(|l| l == first) {
            continue;
        }
        for lang in &langs {
            let translated = format!("{lang}/{f}");
            assert!(
                actual.contains(&translated),
                "{f} has no {lang} translation ({translated})"
            );
        }
    }
    println!("{} pages at Zola's locations", html.len());
}

trait TapSort {
    fn tap_sort(self) -> Self;
}

impl TapSort for Vec<String> {
    fn tap_sort(mut self) -> Self {
        self.sort();
        self
    }
}
