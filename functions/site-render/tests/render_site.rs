//! Renders the real `site/` into a temporary directory and checks the
//! output the way a browser test and a CSP would see it.

use std::fs;
use std::path::{Path, PathBuf};

fn site_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../site")
}

fn temp_out(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("site-render-test-{}-{name}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    dir
}

fn html_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(dir) {
        let entry = entry.unwrap();
        if entry.path().extension().is_some_and(|e| e == "html") {
            out.push(entry.path().to_path_buf());
        }
    }
    out.sort();
    out
}

/// The slice of `html` between `start` and `end` markers.
fn between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let s = html.find(start).unwrap_or_else(|| panic!("no {start}"));
    let rest = &html[s..];
    let e = rest.find(end).unwrap_or_else(|| panic!("no {end}"));
    &rest[..e]
}

/// True if the HTML has an ` onxxx=` attribute (inline event handler).
fn has_event_handler(html: &str) -> bool {
    html.match_indices(" on").any(|(i, _)| {
        let rest = &html[i + 3..];
        let letters = rest.chars().take_while(|c| c.is_ascii_lowercase()).count();
        letters > 0 && rest[letters..].starts_with('=')
    })
}

#[test]
fn renders_real_site() {
    let out = temp_out("real");
    let report = site_render::build(&site_dir(), &out).unwrap();
    for f in [
        "index.html",
        "privacy/index.html",
        "signup/index.html",
        "404.html",
        "js/signup.js",
        "css/site.css",
        "sitemap.xml",
        "robots.txt",
    ] {
        assert!(out.join(f).is_file(), "missing {f}");
        assert!(report.files.iter().any(|r| r == f), "not reported: {f}");
    }

    let pages = html_files(&out);
    assert!(pages.len() >= 4);
    for page in &pages {
        let html = fs::read_to_string(page).unwrap();
        let name = page.display();
        let header = between(&html, "<header", "</header>");
        let footer = between(&html, "<footer", "</footer>");
        let rel = page
            .strip_prefix(&out)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let (lang, privacy) = if rel.starts_with("es/") {
            ("es", "href=\"/es/privacy/\"")
        } else {
            ("en", "href=\"/privacy/\"")
        };
        assert!(
            html.contains(&format!("<html lang=\"{lang}\">")),
            "{name}: not lang {lang}"
        );
        assert!(
            header.contains(privacy),
            "{name}: header lacks privacy link"
        );
        assert!(
            footer.contains(privacy),
            "{name}: footer lacks privacy link"
        );
        // The language switch leads to the same page in the other language.
        if rel.ends_with("index.html") {
            let other = if lang == "es" {
                format!(
                    "/{}",
                    rel.trim_start_matches("es/").trim_end_matches("index.html")
                )
            } else {
                format!("/es/{}", rel.trim_end_matches("index.html"))
            };
            assert!(
                header.contains(&format!("href=\"{other}\" hreflang=")),
                "{name}: language switch does not lead to {other}"
            );
        }
        assert!(!html.contains("style="), "{name}: inline style attribute");
        assert!(!html.contains("<style"), "{name}: inline style element");
        let mut rest = html.as_str();
        while let Some(i) = rest.find("<script") {
            let tag_end = rest[i..].find('>').unwrap() + i;
            let tag = &rest[i..tag_end];
            assert!(tag.contains(" src=\""), "{name}: inline script {tag}");
            rest = &rest[tag_end..];
        }
        assert!(
            !has_event_handler(&html),
            "{name}: inline event handler attribute"
        );
        assert!(
            !html.contains("{{") && !html.contains("{%"),
            "{name}: unrendered template"
        );
    }
}

#[test]
fn signup_form_contract() {
    let out = temp_out("signup");
    site_render::build(&site_dir(), &out).unwrap();
    let html = fs::read_to_string(out.join("signup/index.html")).unwrap();
    assert!(html.contains("<script type=\"module\" src=\"/js/signup.js\"></script>"));
    assert!(html.contains("id=\"signup-form\""));
    assert!(html.contains(" novalidate"));
    for (id, name) in [
        ("email", "email"),
        ("display_name", "display_name"),
        ("language", "language"),
        ("country", "country"),
        ("consent_account", "consent_account"),
        ("consent_marketing_email", "consent_marketing_email"),
        ("consent_personalisation", "consent_personalisation"),
    ] {
        assert!(
            html.contains(&format!("id=\"{id}\" name=\"{name}\"")),
            "field {id}"
        );
        assert!(html.contains(&format!("<label for=\"{id}\"")), "label {id}");
        assert!(
            html.contains(&format!("aria-describedby=\"{id}-hint {id}-error\"")),
            "describedby {id}"
        );
        assert!(
            html.contains(&format!("id=\"{id}-error\"")),
            "error box {id}"
        );
    }
    assert!(html.contains("id=\"topics-error\""));
    assert!(html.contains("type=\"email\""));
    assert!(html.contains("<option value=\"en\" selected>English</option>"));
    assert!(html.contains("<option value=\"\" selected>Choose…</option>"));
    assert_eq!(html.matches("<option value=\"").count(), 2 + 1 + 249);
    assert!(html.contains("<option value=\"ES\">ES</option>"));
    for topic in [
        "home_decor",
        "kitchen",
        "gifts",
        "seasonal",
        "garden",
        "crafts",
        "kids",
        "accessories",
    ] {
        assert!(
            html.contains(&format!(
                "id=\"topic-{topic}\" name=\"topics\" value=\"{topic}\""
            )),
            "topic {topic}"
        );
    }
    assert!(html.contains("Home decoration"));
    let config: toml::Table =
        toml::from_str(&fs::read_to_string(site_dir().join("config.toml")).unwrap()).unwrap();
    let version = config["extra"]["policy_version"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(html.contains(&format!("(version {version})")));
    assert!(html.contains("id=\"signup-submit\""));
    assert!(html.contains("id=\"signup-status\" class=\"form-status\" role=\"status\""));
    assert!(html.contains("id=\"signup-success\" class=\"success\" hidden"));
    for anchor in [
        "data-email",
        "data-display-name",
        "data-language",
        "data-country",
        "data-topics",
        "purpose-account",
        "purpose-marketing-email",
        "purpose-personalisation",
    ] {
        assert!(
            html.contains(&format!("href=\"/privacy/#{anchor}\"")),
            "link #{anchor}"
        );
    }
    // Optional consents are off by default.
    assert!(!html.contains("checked"));
}

#[test]
fn privacy_policy_anchors_and_version() {
    let out = temp_out("privacy");
    site_render::build(&site_dir(), &out).unwrap();
    let html = fs::read_to_string(out.join("privacy/index.html")).unwrap();
    for id in [
        "summary",
        "purpose-account",
        "purpose-marketing-email",
        "purpose-personalisation",
        "data-email",
        "data-display-name",
        "data-language",
        "data-country",
        "data-topics",
        "data-consents",
        "your-rights",
        "retention",
    ] {
        assert!(html.contains(&format!(" id=\"{id}\"")), "missing #{id}");
    }
    let config: toml::Table =
        toml::from_str(&fs::read_to_string(site_dir().join("config.toml")).unwrap()).unwrap();
    let version = config["extra"]["policy_version"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(html.contains(&format!("Version <strong>{version}</strong>")));
    // Every piece of data held has a row in the table, in both languages.
    for page in ["privacy/index.html", "es/privacy/index.html"] {
        let html = fs::read_to_string(out.join(page)).unwrap();
        for id in [
            "data-signin-codes",
            "data-session",
            "data-outbox",
            "data-quotes",
            "data-personalisation",
        ] {
            assert!(
                html.contains(&format!("<tr id=\"{id}\">")),
                "{page}: no row {id}"
            );
        }
        assert!(html.contains("<table class=\"data-table\">"));
        assert!(
            html.contains("/privacy/versions/"),
            "{page}: no link to versions"
        );
    }
    for page in ["privacy/versions/index.html", "privacy/v1-0/index.html"] {
        assert!(out.join(page).is_file(), "{page}");
    }
    assert!(html.contains("2026-11-23"));
    let summary = html.find("id=\"summary\"").unwrap();
    let full = html.find("id=\"what-we-collect\"").unwrap();
    assert!(summary < full, "summary must come first");
}

#[test]
fn home_links_only_to_existing_pages() {
    let out = temp_out("home");
    site_render::build(&site_dir(), &out).unwrap();
    let html = fs::read_to_string(out.join("index.html")).unwrap();
    for heading in [
        "Get a price",
        "Find what fits me",
        "Stay informed on my terms",
        "Manage my data",
    ] {
        assert!(html.contains(heading), "card {heading}");
    }
    assert!(html.contains("href=\"/signup/\""));
    // Every root-relative link points at a file that was rendered.
    for page in html_files(&out) {
        let html = fs::read_to_string(&page).unwrap();
        for part in html.split("href=\"/").skip(1) {
            let target = &part[..part.find('"').unwrap()];
            let path = target.split(['#', '?']).next().unwrap();
            if path.starts_with("api/") {
                continue; // served by the API, not the site
            }
            let file = if path.is_empty() || path.ends_with('/') {
                out.join(path).join("index.html")
            } else {
                out.join(path)
            };
            assert!(file.is_file(), "{}: broken link /{target}", page.display());
        }
    }
}

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

#[test]
fn multilingual_like_zola() {
    let site = temp_out("multi-site");
    for d in ["content/blog/post", "templates", "static"] {
        fs::create_dir_all(site.join(d)).unwrap();
    }
    let w = |p: &str, t: &str| fs::write(site.join(p), t).unwrap();
    w(
        "config.toml",
        "base_url = \"https://example.com\"\ntitle = \"Shop\"\ndefault_language = \"en\"\n\
         [translations]\nhello = \"Hello\"\n\
         [languages.es]\ntitle = \"Tienda\"\n[languages.es.translations]\nhello = \"Hola\"\n",
    );
    w("content/_index.md", "+++\ntitle = \"Home\"\n+++\n");
    w("content/_index.es.md", "+++\ntitle = \"Inicio\"\n+++\n");
    w("content/about.md", "+++\ntitle = \"About\"\n+++\n");
    w(
        "content/about.es.md",
        "+++\ntitle = \"Acerca\"\n+++\n[x](@/about.md) [y](@/about.es.md)",
    );
    w("content/only-en.md", "+++\ntitle = \"Only\"\n+++\n");
    w("content/fixed.es.md", "+++\npath = \"fijo\"\n+++\n");
    w(
        "content/blog/_index.md",
        "+++\ntitle = \"Blog\"\npage_template = \"post.html\"\n+++\n",
    );
    w(
        "content/blog/_index.es.md",
        "+++\ntitle = \"Bitácora\"\npage_template = \"post.html\"\n+++\n",
    );
    w("content/blog/post/index.md", "+++\ntitle = \"Post\"\n+++\n");
    w(
        "content/blog/post/index.es.md",
        "+++\ntitle = \"Entrada\"\n+++\n",
    );
    let page_tpl = "{{ lang }}|{{ config.title }}|{{ trans(key='hello', lang=lang) }}|\
        {% for t in page.translations %}{{ t.lang }}={{ t.permalink | safe }};{% endfor %}|\
        {{ get_url(path='@/about.md', lang=lang) | safe }}|{{ page.ancestors | join(sep=',') | safe }}|\
        {% for l, o in config.languages %}{{ l }}:{{ o.title }}{% endfor %}|{{ page.content | safe }}";
    w("templates/page.html", page_tpl);
    w("templates/post.html", &format!("post|{page_tpl}"));
    w(
        "templates/index.html",
        "{{ lang }}|{{ section.title }}|{% for t in section.translations %}{{ t.lang }};{% endfor %}|{{ section.subsections | join(sep=',') | safe }}",
    );
    w(
        "templates/section.html",
        "{{ lang }}|{% for p in section.pages %}{{ p.title }}{% endfor %}|{{ section.ancestors | join(sep=',') | safe }}",
    );
    let out = site.join("public");
    let report = site_render::build(&site, &out).unwrap();
    let mut expected: Vec<String> = [
        "404.html",
        "about/index.html",
        "blog/index.html",
        "blog/post/index.html",
        "es/about/index.html",
        "es/blog/index.html",
        "es/blog/post/index.html",
        "es/index.html",
        "fijo/index.html",
        "index.html",
        "only-en/index.html",
        "robots.txt",
        "sitemap.xml",
    ]
    .into_iter()
    .map(String::from)
    .collect();
    expected.sort();
    assert_eq!(report.files, expected);
    let read = |p: &str| fs::read_to_string(out.join(p)).unwrap();
    assert_eq!(
        read("es/about/index.html"),
        "es|Tienda|Hola|en=https://example.com/about/;es=https://example.com/es/about/;|\
         https://example.com/es/about/|_index.es.md|en:Shop|\
         <p><a href=\"https://example.com/about/\">x</a> <a href=\"https://example.com/es/about/\">y</a></p>\n"
    );
    assert!(read("about/index.html").starts_with(
        "en|Shop|Hello|en=https://example.com/about/;es=https://example.com/es/about/;|https://example.com/about/|_index.md|es:Tienda|"
    ));
    assert!(
        read("only-en/index.html").starts_with("en|Shop|Hello|en=https://example.com/only-en/;|")
    );
    assert!(read("es/blog/post/index.html").starts_with(
        "post|es|Tienda|Hola|en=https://example.com/blog/post/;es=https://example.com/es/blog/post/;|https://example.com/es/about/|_index.es.md,blog/_index.es.md|"
    ));
    assert_eq!(read("es/index.html"), "es|Inicio|en;es;|blog/_index.es.md");
    assert_eq!(read("index.html"), "en|Home|en;es;|blog/_index.md");
    assert_eq!(read("es/blog/index.html"), "es|Entrada|_index.es.md");
    assert!(read("sitemap.xml").contains("<loc>https://example.com/es/blog/post/</loc>"));

    // Zola's errors: an unknown language code, and a missing translation key.
    w("content/x.fr.md", "+++\n+++\n");
    let err = site_render::build(&site, &out).unwrap_err();
    assert!(err.contains("isn't present"), "{err}");
    fs::remove_file(site.join("content/x.fr.md")).unwrap();
    w(
        "templates/page.html",
        "{{ trans(key='missing', lang=lang) }}",
    );
    let err = site_render::build(&site, &out).unwrap_err();
    assert!(err.contains("Translation key 'missing'"), "{err}");
    w(
        "templates/page.html",
        "{{ get_url(path='@/only-en.md', lang='es') }}",
    );
    let err = site_render::build(&site, &out).unwrap_err();
    assert!(err.contains("only-en.es.md"), "{err}");
    let _ = fs::remove_dir_all(&site);
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
