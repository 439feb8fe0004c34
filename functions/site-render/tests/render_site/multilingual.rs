//! Languages as Zola has them: each language's pages, sections and sitemap entries, and
//! Zola's errors for an unknown language, a missing translation key and a link to a
//! translation that does not exist.

use super::temp_out;
use std::fs;

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
