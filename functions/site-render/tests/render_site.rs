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
        assert!(
            header.contains("href=\"/privacy/\""),
            "{name}: header lacks privacy link"
        );
        assert!(
            footer.contains("href=\"/privacy/\""),
            "{name}: footer lacks privacy link"
        );
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
    assert!(html.contains("(version 1.0)"));
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
    assert!(html.contains("Version <strong>1.0</strong>"));
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
        "Stay informed on your terms",
        "Manage my data",
    ] {
        assert!(html.contains(heading), "card {heading}");
    }
    assert!(html.contains("href=\"/signup/\""));
    assert!(!html.contains("href=\"/quote/\""));
    // Every root-relative link points at a file that was rendered.
    for page in html_files(&out) {
        let html = fs::read_to_string(&page).unwrap();
        for part in html.split("href=\"/").skip(1) {
            let target = &part[..part.find('"').unwrap()];
            let path = target.split('#').next().unwrap();
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

trait TapSort {
    fn tap_sort(self) -> Self;
}

impl TapSort for Vec<String> {
    fn tap_sort(mut self) -> Self {
        self.sort();
        self
    }
}
