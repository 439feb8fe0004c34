//! The build fails where `zola build` fails on internal links: a link to a
//! missing page, or to an anchor that the target's Markdown does not have.

use std::fs;
use std::path::{Path, PathBuf};

fn site_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../site")
}

/// A small site in a fresh temporary directory: `files` are
/// (path under content/, text); templates print the content.
fn mini_site(name: &str, files: &[(&str, &str)]) -> PathBuf {
    let site =
        std::env::temp_dir().join(format!("site-render-links-{}-{name}", std::process::id()));
    let _ = fs::remove_dir_all(&site);
    fs::create_dir_all(site.join("templates")).unwrap();
    fs::write(
        site.join("config.toml"),
        "base_url = \"/\"\ntitle = \"T\"\n",
    )
    .unwrap();
    for t in ["index.html", "section.html", "page.html"] {
        fs::write(
            site.join("templates").join(t),
            "{% block content %}{% endblock %}",
        )
        .unwrap();
    }
    // The template adds an id: anchors only a template adds do not count.
    fs::write(
        site.join("templates/page.html"),
        "<h2 id=\"from-template\">T</h2>{{ page.content | safe }}",
    )
    .unwrap();
    let mut all = vec![("_index.md", "+++\n+++\n# Home\n")];
    all.extend_from_slice(files);
    for (path, text) in all {
        let file = site.join("content").join(path);
        fs::create_dir_all(file.parent().unwrap()).unwrap();
        fs::write(file, text).unwrap();
    }
    site
}

fn build(site: &Path) -> Result<site_render::Report, String> {
    let result = site_render::build(site, &site.join("public"));
    let _ = fs::remove_dir_all(site);
    result
}

const TARGET: &str = "+++\ntitle = \"Target\"\n+++\n\
    ## Section one {#one}\n\n## Second part\n\n<span id=\"raw-html\"></span>\n";

#[test]
fn link_to_missing_page_fails() {
    let site = mini_site(
        "missing-page",
        &[("from.md", "+++\n+++\nSee [it](@/nowhere.md).\n")],
    );
    let err = build(&site).unwrap_err();
    assert!(err.contains("from.md"), "no source file: {err}");
    assert!(err.contains("`@/nowhere.md`"), "no link: {err}");
    assert!(err.contains("not found in content/"), "no reason: {err}");
}

#[test]
fn link_to_missing_page_with_anchor_fails() {
    let site = mini_site(
        "missing-page-anchor",
        &[("sec/_index.md", "+++\n+++\n[x](@/sec/gone.md#top)\n")],
    );
    let err = build(&site).unwrap_err();
    assert!(err.contains("sec/_index.md"), "{err}");
    assert!(err.contains("`@/sec/gone.md#top`"), "{err}");
}

#[test]
fn link_to_missing_anchor_fails() {
    let site = mini_site(
        "missing-anchor",
        &[
            ("target.md", TARGET),
            (
                "from.md",
                "+++\n+++\n[a](@/target.md#nope) [b](@/target.md#from-template) [c](#mine)\n",
            ),
        ],
    );
    let err = build(&site).unwrap_err();
    assert!(
        err.starts_with("Found 3 broken internal anchor link(s)"),
        "{err}"
    );
    for link in ["@/target.md#nope", "@/target.md#from-template", "#mine"] {
        let line = err
            .lines()
            .find(|l| l.contains(&format!("`{link}`")))
            .unwrap_or_else(|| panic!("{link} not reported: {err}"));
        assert!(line.contains("from.md: the anchor in the link"), "{line}");
        assert!(line.contains("does not exist"), "{line}");
    }
    assert!(err.contains("`nope` is neither the id of a Markdown heading of target.md"));
}

#[test]
fn link_to_section_anchor_needs_a_heading() {
    // Sections know only their heading ids (not raw HTML ids), as in Zola.
    let site = mini_site(
        "section-anchor",
        &[
            (
                "blog/_index.md",
                "+++\n+++\n## Posts\n\n<a id=\"raw\"></a>\n",
            ),
            (
                "from.md",
                "+++\n+++\n[a](@/blog/_index.md#posts) [b](@/blog/_index.md#raw)\n",
            ),
        ],
    );
    let err = build(&site).unwrap_err();
    assert!(
        err.starts_with("Found 1 broken internal anchor link(s)"),
        "{err}"
    );
    assert!(err.contains("`@/blog/_index.md#raw`"), "{err}");
    assert!(err.contains("the section blog/_index.md"), "{err}");
}

#[test]
fn link_to_existing_heading_anchor_passes() {
    let site = mini_site(
        "existing-anchor",
        &[
            ("target.md", TARGET),
            (
                "from.md",
                "+++\n+++\n## Here\n\n[explicit](@/target.md#one) [slug](@/target.md#second-part) \
                 [raw](@/target.md#raw-html) [home](@/_index.md#home) [self](#here) [page](@/target.md)\n",
            ),
        ],
    );
    let out = site.join("public");
    let result = site_render::build(&site, &out);
    let html = fs::read_to_string(out.join("from/index.html")).unwrap_or_default();
    let _ = fs::remove_dir_all(&site);
    result.unwrap();
    assert!(html.contains("href=\"/target/#one\""), "{html}");
    assert!(html.contains("href=\"/target/#second-part\""), "{html}");
    assert!(html.contains("href=\"/#home\""), "{html}");
}

#[test]
fn real_site_passes_the_link_check() {
    let site = site_render::Site::load(&site_dir()).unwrap();
    let checked: usize = site
        .pages
        .values()
        .map(|p| p.links.iter().filter(|l| l.anchor.is_some()).count())
        .sum();
    assert!(checked >= 14, "only {checked} anchored links checked");
    // The deep links of the privacy policy land on the sections of the
    // preferences page, in both languages.
    for (privacy, preferences) in [
        ("privacy.md", "account/preferences.md"),
        ("privacy.es.md", "account/preferences.es.md"),
    ] {
        let links = &site.pages[privacy].links;
        let target = &site.pages[preferences];
        for id in [
            "profile-heading",
            "addresses-heading",
            "consents-heading",
            "export-heading",
            "erase-heading",
        ] {
            assert!(
                links
                    .iter()
                    .any(|l| l.target == preferences && l.anchor.as_deref() == Some(id)),
                "{privacy} does not link to {preferences}#{id}"
            );
            assert!(target.heading_ids.iter().any(|h| h == id), "{id}");
        }
    }
}

#[test]
fn preferences_headings_sit_in_their_sections() {
    let out = std::env::temp_dir().join(format!("site-render-links-{}-real", std::process::id()));
    let _ = fs::remove_dir_all(&out);
    site_render::build(&site_dir(), &out).unwrap();
    for page in [
        "account/preferences/index.html",
        "es/account/preferences/index.html",
    ] {
        let html = fs::read_to_string(out.join(page)).unwrap();
        for id in [
            "profile-heading",
            "addresses-heading",
            "consents-heading",
            "export-heading",
            "erase-heading",
        ] {
            let attr = format!("id=\"{id}\"");
            assert_eq!(html.matches(&attr).count(), 1, "{page}: {id} not once");
            let section = format!("<section aria-labelledby=\"{id}\">\n  <h2 {attr}>");
            assert!(
                html.contains(&section),
                "{page}: {id} not heading its section"
            );
        }
        // The intro comes before the first section, once.
        let intro = html.find("</h1>\n<p>").expect("intro after the title");
        assert!(intro < html.find("<section").unwrap(), "{page}");
    }
    let _ = fs::remove_dir_all(&out);
}
