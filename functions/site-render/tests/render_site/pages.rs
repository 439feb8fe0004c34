//! The real site's pages as a browser and a CSP see them: no inline code, the sign-up
//! form's contract with the API, the privacy policy's anchors and version, and home's
//! links.

use super::{between, has_event_handler, html_files, site_dir, temp_out};
use std::fs;

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
