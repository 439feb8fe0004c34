//! `config.toml`: the subset of Zola 0.19+ settings site-render supports,
//! and the `config` object templates see.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

/// Options of one language (`[languages.CODE]`, or the top level for the
/// default language), as Zola 0.19+ reads them.
#[derive(Debug, Clone, Default)]
pub struct LanguageOptions {
    pub title: Option<String>,
    pub description: Option<String>,
    /// `[translations]` (default language) or `[languages.CODE.translations]`.
    pub translations: Map<String, Value>,
}

impl LanguageOptions {
    fn to_context(&self) -> Value {
        json!({
            "title": self.title,
            "description": self.description,
            "generate_feeds": false,
            "feed_filenames": ["atom.xml"],
            "taxonomies": [],
            "build_search_index": false,
            "translations": self.translations,
        })
    }
}

/// Keys Zola accepts in `[languages.CODE]`; the feature ones must stay off.
const LANGUAGE_KEYS: &[&str] = &[
    "title",
    "description",
    "generate_feeds",
    "generate_feed",
    "feed_filenames",
    "feed_filename",
    "build_search_index",
    "taxonomies",
    "search",
    "translations",
];

#[derive(Debug, Clone)]
pub struct Config {
    pub base_url: String,
    pub title: Option<String>,
    pub description: Option<String>,
    pub default_language: String,
    pub build_search_index: bool,
    pub generate_feeds: bool,
    pub extra: Value,
    /// Every language, the default one included (its options come from the
    /// top level, as in Zola).
    pub languages: BTreeMap<String, LanguageOptions>,
}

fn string_table(v: Option<&toml::Value>, what: &str) -> Result<Map<String, Value>, String> {
    let Some(v) = v else {
        return Ok(Map::new());
    };
    let table = v
        .as_table()
        .ok_or_else(|| format!("config.toml: {what} must be a table"))?;
    let mut out = Map::new();
    for (k, v) in table {
        let s = v
            .as_str()
            .ok_or_else(|| format!("config.toml: {what}.{k} must be a string"))?;
        out.insert(k.clone(), Value::String(s.to_string()));
    }
    Ok(out)
}

impl Config {
    pub fn parse(text: &str) -> Result<Config, String> {
        let table: toml::Table =
            toml::from_str(text).map_err(|e| format!("config.toml: invalid TOML: {e}"))?;
        let base_url = table
            .get("base_url")
            .and_then(|v| v.as_str())
            .ok_or("config.toml: `base_url` (a string) is required")?
            .to_string();
        let get_str = |k: &str| table.get(k).and_then(|v| v.as_str()).map(str::to_string);
        let get_bool = |k: &str| table.get(k).and_then(|v| v.as_bool()).unwrap_or(false);
        let default_language = get_str("default_language").unwrap_or_else(|| "en".to_string());
        let mut languages = BTreeMap::new();
        languages.insert(
            default_language.clone(),
            LanguageOptions {
                title: get_str("title"),
                description: get_str("description"),
                translations: string_table(table.get("translations"), "[translations]")?,
            },
        );
        if let Some(langs) = table.get("languages") {
            let langs = langs
                .as_table()
                .ok_or("config.toml: `languages` must be a table")?;
            for (code, options) in langs {
                if *code == default_language {
                    return Err(format!(
                        "config.toml: the default language `{code}` must not appear in [languages]; \
                         set its options at the top level, as Zola requires"
                    ));
                }
                let options = options
                    .as_table()
                    .ok_or_else(|| format!("config.toml: [languages.{code}] must be a table"))?;
                for (k, v) in options {
                    if !LANGUAGE_KEYS.contains(&k.as_str()) {
                        return Err(format!(
                            "config.toml: unknown key `{k}` in [languages.{code}]"
                        ));
                    }
                    let feature_on = match k.as_str() {
                        "generate_feeds" | "generate_feed" | "build_search_index" => {
                            v.as_bool() == Some(true)
                        }
                        "taxonomies" => v.as_array().is_some_and(|a| !a.is_empty()),
                        "search" => true,
                        _ => false,
                    };
                    if feature_on {
                        return Err(format!(
                            "config.toml: [languages.{code}] {k} is not supported by site-render"
                        ));
                    }
                }
                let opt_str = |k: &str| options.get(k).and_then(|v| v.as_str()).map(str::to_string);
                languages.insert(
                    code.clone(),
                    LanguageOptions {
                        title: opt_str("title"),
                        description: opt_str("description"),
                        translations: string_table(
                            options.get("translations"),
                            &format!("[languages.{code}.translations]"),
                        )?,
                    },
                );
            }
        }
        if get_bool("compile_sass") {
            return Err("config.toml: Sass compilation is not supported by site-render".into());
        }
        if get_bool("generate_feeds") || get_bool("generate_feed") {
            return Err("config.toml: feeds are not supported by site-render".into());
        }
        if get_bool("build_search_index") {
            return Err("config.toml: the search index is not supported by site-render".into());
        }
        if let Some(md) = table.get("markdown").and_then(|v| v.as_table()) {
            for (k, v) in md {
                if v.as_bool() == Some(true) {
                    return Err(format!(
                        "config.toml: [markdown] {k} = true is not supported by site-render"
                    ));
                }
            }
        }
        Ok(Config {
            base_url,
            title: get_str("title"),
            description: get_str("description"),
            default_language,
            build_search_index: false,
            generate_feeds: false,
            extra: table
                .get("extra")
                .map(toml_to_json)
                .unwrap_or_else(|| Value::Object(Map::new())),
            languages,
        })
    }

    /// True when `[languages]` adds at least one language (Zola's
    /// `is_multilingual`).
    pub fn is_multilingual(&self) -> bool {
        self.languages.len() > 1
    }

    /// Codes of the languages other than the default one.
    pub fn other_languages(&self) -> Vec<&str> {
        self.languages
            .keys()
            .map(String::as_str)
            .filter(|l| *l != self.default_language)
            .collect()
    }

    /// Zola's `get_translation`, used by `trans`.
    pub fn get_translation(&self, lang: &str, key: &str) -> Result<String, String> {
        let options = self
            .languages
            .get(lang)
            .ok_or_else(|| format!("Language '{lang}' not found."))?;
        options
            .translations
            .get(key)
            .and_then(Value::as_str)
            .map(str::to_string)
            .ok_or_else(|| format!("Translation key '{key}' for language '{lang}' is missing"))
    }

    /// The `config` object templates see when rendering in `lang` (Zola's
    /// serialized config: title and description of that language, and
    /// `languages` holding every other language).
    pub fn to_context(&self, lang: &str) -> Value {
        let options = self.languages.get(lang).cloned().unwrap_or_default();
        let languages: Map<String, Value> = self
            .languages
            .iter()
            .filter(|(code, _)| code.as_str() != lang)
            .map(|(code, o)| (code.clone(), o.to_context()))
            .collect();
        json!({
            "base_url": self.base_url,
            "mode": "build",
            "title": options.title,
            "description": options.description,
            "default_language": self.default_language,
            "languages": languages,
            "generate_feeds": self.generate_feeds,
            "feed_filenames": ["atom.xml"],
            "taxonomies": [],
            "author": null,
            "build_search_index": self.build_search_index,
            "extra": self.extra,
        })
    }
}

/// Converts TOML to JSON, turning datetimes into their TOML string form.
pub fn toml_to_json(v: &toml::Value) -> Value {
    match v {
        toml::Value::String(s) => Value::String(s.clone()),
        toml::Value::Integer(i) => Value::from(*i),
        toml::Value::Float(f) => Value::from(*f),
        toml::Value::Boolean(b) => Value::Bool(*b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(a) => Value::Array(a.iter().map(toml_to_json).collect()),
        toml::Value::Table(t) => Value::Object(
            t.iter()
                .map(|(k, v)| (k.clone(), toml_to_json(v)))
                .collect(),
        ),
    }
}

pub(crate) fn table_to_json(t: &toml::Table) -> Value {
    toml_to_json(&toml::Value::Table(t.clone()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_parsing() {
        let c = Config::parse(
            "base_url = \"/\"\ntitle = \"T\"\n[extra]\npolicy_version = \"1.0\"\nwhen = 2026-11-23\n",
        )
        .unwrap();
        assert_eq!(c.base_url, "/");
        assert_eq!(c.default_language, "en");
        assert_eq!(c.extra["policy_version"], "1.0");
        assert_eq!(c.extra["when"], "2026-11-23");
        assert!(Config::parse("title = \"no base\"").is_err());
        assert!(Config::parse("base_url = \"/\"\nbuild_search_index = true").is_err());
        assert!(Config::parse("base_url = \"/\"\n[languages.en]\ntitle = \"x\"").is_err());
        assert!(
            Config::parse("base_url = \"/\"\n[languages.es]\nbuild_search_index = true").is_err()
        );
        assert!(Config::parse("base_url = \"/\"\n[languages.es]\nbogus = 1").is_err());
    }

    #[test]
    fn multilingual_config() {
        let c = Config::parse(
            "base_url = \"/\"\ntitle = \"Shop\"\n[translations]\nhome = \"Home\"\n\
             [languages.es]\ntitle = \"Tienda\"\n[languages.es.translations]\nhome = \"Inicio\"\n",
        )
        .unwrap();
        assert!(c.is_multilingual());
        assert_eq!(c.other_languages(), vec!["es"]);
        assert_eq!(c.get_translation("en", "home").unwrap(), "Home");
        assert_eq!(c.get_translation("es", "home").unwrap(), "Inicio");
        assert!(c.get_translation("es", "nope").is_err());
        assert!(c.get_translation("fr", "home").is_err());
        let en = c.to_context("en");
        assert_eq!(en["title"], "Shop");
        assert_eq!(en["languages"]["es"]["title"], "Tienda");
        assert!(en["languages"].get("en").is_none());
        let es = c.to_context("es");
        assert_eq!(es["title"], "Tienda");
        assert_eq!(es["languages"]["en"]["translations"]["home"], "Home");
    }
}
