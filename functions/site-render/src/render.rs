//! Tera rendering with Zola's context variables, global functions
//! (`get_url`, `get_page`, `get_section`, `trans`) and the `markdown` filter.

use std::collections::HashMap;
use std::sync::Arc;

use serde_json::{json, Value};
use tera::{Context, Tera};

use crate::site::Site;
use crate::{markdown, output_file_for, urls};

const BUILTIN_404: &str = "<!doctype html>\n<title>404 Not Found</title>\n<h1>404 Not Found</h1>\n";
const BUILTIN_ROBOTS: &str =
    "User-agent: *\nDisallow:\nAllow: /\nSitemap: {{ get_url(path=\"sitemap.xml\") }}\n";
const BUILTIN_SITEMAP: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
    {%- for sitemap_entry in entries %}
    <url>
        <loc>{{ sitemap_entry.permalink | escape_xml | safe }}</loc>
        {%- if sitemap_entry.updated %}
        <lastmod>{{ sitemap_entry.updated }}</lastmod>
        {%- endif %}
    </url>
    {%- endfor %}
</urlset>
"#;

/// Formats a Tera error with its whole source chain (Tera hides the cause
/// of template errors in `source()`).
fn tera_err(what: &str, e: &tera::Error) -> String {
    let mut msg = format!("{what}: {e}");
    let mut cur: Option<&dyn std::error::Error> = std::error::Error::source(e);
    while let Some(c) = cur {
        msg.push_str(&format!(": {c}"));
        cur = c.source();
    }
    msg
}

fn arg_str<'a>(args: &'a HashMap<String, Value>, fname: &str, name: &str) -> tera::Result<&'a str> {
    args.get(name)
        .and_then(Value::as_str)
        .ok_or_else(|| tera::Error::msg(format!("`{fname}` requires a string argument `{name}`")))
}

fn arg_bool(args: &HashMap<String, Value>, fname: &str, name: &str) -> tera::Result<bool> {
    match args.get(name) {
        None => Ok(false),
        Some(Value::Bool(b)) => Ok(*b),
        Some(_) => Err(tera::Error::msg(format!(
            "`{fname}`: `{name}` must be a boolean"
        ))),
    }
}

/// Builds the Tera instance: the site's templates, Zola's built-in
/// templates it does not override, and Zola's functions and filters.
pub fn make_tera(site: &Site) -> Result<Tera, String> {
    let mut tera = Tera::default();
    let mut all: Vec<(String, String)> = site
        .templates
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    for (name, text) in [
        ("__zola_builtins/404.html", BUILTIN_404),
        ("__zola_builtins/robots.txt", BUILTIN_ROBOTS),
        ("__zola_builtins/sitemap.xml", BUILTIN_SITEMAP),
    ] {
        all.push((name.to_string(), text.to_string()));
    }
    tera.add_raw_templates(all)
        .map_err(|e| tera_err("cannot load templates", &e))?;

    let permalinks = Arc::new(site.permalinks.clone());

    let links = Arc::clone(&permalinks);
    let config = Arc::new(site.config.clone());
    let cfg = Arc::clone(&config);
    tera.register_function("get_url", move |args: &HashMap<String, Value>| {
        let path = arg_str(args, "get_url", "path")?;
        let trailing_slash = arg_bool(args, "get_url", "trailing_slash")?;
        if arg_bool(args, "get_url", "cachebust")? {
            return Err(tera::Error::msg(
                "`get_url`: cachebust is not supported by site-render",
            ));
        }
        let lang = match args.get("lang") {
            None => cfg.default_language.as_str(),
            Some(Value::String(l)) => l.as_str(),
            Some(_) => return Err(tera::Error::msg("`get_url`: `lang` must be a string.")),
        };
        urls::get_url_in(&cfg, &links, path, lang, trailing_slash)
            .map(Value::String)
            .map_err(tera::Error::msg)
    });

    let cfg = Arc::clone(&config);
    tera.register_function("trans", move |args: &HashMap<String, Value>| {
        let key = arg_str(args, "trans", "key")?;
        let lang = match args.get("lang") {
            None => cfg.default_language.as_str(),
            Some(Value::String(l)) => l.as_str(),
            Some(_) => return Err(tera::Error::msg("`trans`: `lang` must be a string.")),
        };
        cfg.get_translation(lang, key)
            .map(Value::String)
            .map_err(|e| tera::Error::msg(format!("Failed to retrieve term translation: {e}")))
    });

    let pages: Arc<HashMap<String, Value>> = Arc::new(
        site.pages
            .values()
            .map(|p| (p.relative_path.clone(), site.page_context(p)))
            .collect(),
    );
    tera.register_function("get_page", move |args: &HashMap<String, Value>| {
        let path = arg_str(args, "get_page", "path")?;
        pages.get(path).cloned().ok_or_else(|| {
            tera::Error::msg(format!("`get_page`: page `{path}` not found in content/"))
        })
    });

    let full: HashMap<String, Value> = site
        .sections
        .values()
        .map(|s| (s.relative_path.clone(), site.section_context(s, false)))
        .collect();
    let meta: HashMap<String, Value> = site
        .sections
        .values()
        .map(|s| (s.relative_path.clone(), site.section_context(s, true)))
        .collect();
    let sections = Arc::new((full, meta));
    tera.register_function("get_section", move |args: &HashMap<String, Value>| {
        let path = arg_str(args, "get_section", "path")?;
        let metadata_only = arg_bool(args, "get_section", "metadata_only")?;
        let map = if metadata_only {
            &sections.1
        } else {
            &sections.0
        };
        map.get(path).cloned().ok_or_else(|| {
            tera::Error::msg(format!(
                "`get_section`: section `{path}` not found in content/"
            ))
        })
    });

    let links = Arc::clone(&permalinks);
    tera.register_filter(
        "markdown",
        move |value: &Value, args: &HashMap<String, Value>| {
            let text = value
                .as_str()
                .ok_or_else(|| tera::Error::msg("`markdown` filter expects a string"))?;
            let inline = arg_bool(args, "markdown", "inline")?;
            let mut html = markdown::render(text, &links, None)
                .map_err(tera::Error::msg)?
                .html;
            if inline {
                html = html
                    .trim_start_matches("<p>")
                    .replacen("</p>\n", "", 1)
                    .to_string();
            }
            Ok(Value::String(html))
        },
    );
    Ok(tera)
}

fn render_one(tera: &Tera, template: &str, ctx: &Context, what: &str) -> Result<String, String> {
    if !tera.get_template_names().any(|n| n == template) {
        return Err(format!(
            "{what}: template `{template}` not found in templates/"
        ));
    }
    tera.render(template, ctx)
        .map_err(|e| tera_err(&format!("{what}: cannot render `{template}`"), &e))
}

/// Renders every page, section, 404.html, sitemap.xml and robots.txt.
/// Returns (output path relative to the output dir, contents).
pub fn render_all(site: &Site) -> Result<Vec<(String, String)>, String> {
    let tera = make_tera(site)?;
    let configs: HashMap<&str, Value> = site
        .config
        .languages
        .keys()
        .map(|l| (l.as_str(), site.config.to_context(l)))
        .collect();
    let config = site.config.to_context(&site.config.default_language);
    let lang = site.config.default_language.clone();
    let base = |lang: &str, current_path: &str, current_url: &str| {
        let mut ctx = Context::new();
        ctx.insert("config", configs.get(lang).unwrap_or(&config));
        ctx.insert("lang", lang);
        ctx.insert("current_path", current_path);
        ctx.insert("current_url", current_url);
        ctx
    };
    let mut out = Vec::new();
    let mut sitemap: Vec<Value> = Vec::new();

    for section in site.sections.values() {
        if section.fm.render == Some(false) {
            continue;
        }
        let template = section.fm.template.clone().unwrap_or_else(|| {
            if section.components.is_empty() {
                "index.html".to_string()
            } else {
                "section.html".to_string()
            }
        });
        let mut ctx = base(&section.lang, &section.path, &section.permalink);
        ctx.insert("section", &site.section_context(section, false));
        let html = render_one(&tera, &template, &ctx, &section.relative_path)?;
        out.push((output_file_for(&section.path), html));
        sitemap.push(json!({ "permalink": section.permalink, "updated": null, "extra": null }));
    }

    for page in site.pages.values() {
        if page.fm.render == Some(false) {
            continue;
        }
        let template = site.page_template(page);
        let mut ctx = base(&page.lang, &page.path, &page.permalink);
        ctx.insert("page", &site.page_context(page));
        let html = render_one(&tera, &template, &ctx, &page.relative_path)?;
        out.push((output_file_for(&page.path), html));
        let updated = page
            .fm
            .updated
            .as_ref()
            .or(page.fm.date.as_ref())
            .map(crate::config::toml_to_json);
        sitemap.push(json!({ "permalink": page.permalink, "updated": updated, "extra": null }));
    }

    // 404.html, sitemap.xml and robots.txt: the site's template if it has
    // one, else Zola's built-in.
    let pick = |name: &str| {
        if site.templates.contains_key(name) {
            name.to_string()
        } else {
            format!("__zola_builtins/{name}")
        }
    };
    let mut ctx = Context::new();
    ctx.insert("config", &config);
    ctx.insert("lang", &lang);
    out.push((
        "404.html".to_string(),
        render_one(&tera, &pick("404.html"), &ctx, "404.html")?,
    ));
    out.push((
        "robots.txt".to_string(),
        render_one(&tera, &pick("robots.txt"), &ctx, "robots.txt")?,
    ));
    sitemap.sort_by(|a, b| a["permalink"].as_str().cmp(&b["permalink"].as_str()));
    ctx.insert("entries", &sitemap);
    out.push((
        "sitemap.xml".to_string(),
        render_one(&tera, &pick("sitemap.xml"), &ctx, "sitemap.xml")?,
    ));
    Ok(out)
}
