//! Facts the site and the API must agree on live in one place: the `[extra]` table of
//! the Zola site's `config.toml`. The site renders them; the API validates against them
//! and records the policy version a customer saw.

use serde::Deserialize;
use std::sync::LazyLock;

const SITE_CONFIG_TOML: &str = include_str!("../../../site/config.toml");

#[derive(Debug, Deserialize)]
struct SiteConfigFile {
    extra: SiteFacts,
}

/// The shared facts, as written in `site/config.toml` `[extra]`.
#[derive(Debug, Deserialize)]
pub struct SiteFacts {
    pub business_name: String,
    pub policy_version: String,
    pub policy_date: String,
    /// The origin mail links point to (`https://…`, no trailing slash).
    pub site_url: String,
    pub countries: Vec<String>,
    pub topics: Vec<TopicLabel>,
    pub shop: ShopIdentity,
}

/// Who runs the shop: named in the footer of every page and mail, the privacy policy
/// and printable quotes (`[extra.shop]`).
#[derive(Debug, Deserialize)]
pub struct ShopIdentity {
    pub legal_name: String,
    pub postal_address: String,
    pub contact_email: String,
    pub data_protection_email: String,
    /// Where accepted quotes (order requests) are notified.
    pub order_email: String,
    pub supervisory_authority: String,
    pub supervisory_authority_url: String,
}

#[derive(Debug, Deserialize)]
pub struct TopicLabel {
    pub id: String,
    pub en: String,
    pub es: String,
}

static FACTS: LazyLock<SiteFacts> = LazyLock::new(|| {
    // The file is compiled into the binary, so a parse failure is a build defect that
    // the unit test below catches; it cannot be caused by input or the network.
    match toml::from_str::<SiteConfigFile>(SITE_CONFIG_TOML) {
        Ok(file) => file.extra,
        Err(error) => panic!("site/config.toml [extra] is malformed: {error}"),
    }
});

/// The shared facts, parsed once.
pub fn facts() -> &'static SiteFacts {
    &FACTS
}

impl SiteFacts {
    pub fn is_country(&self, code: &str) -> bool {
        self.countries.iter().any(|c| c == code)
    }

    pub fn is_topic(&self, id: &str) -> bool {
        self.topics.iter().any(|t| t.id == id)
    }

    /// A topic's label in a language (the id itself for an unknown topic).
    pub fn topic_label(&self, id: &str, spanish: bool) -> String {
        self.topics
            .iter()
            .find(|t| t.id == id)
            .map(|t| if spanish { t.es.clone() } else { t.en.clone() })
            .unwrap_or_else(|| id.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_config_parses_and_holds_the_shared_facts() {
        let facts = facts();
        assert!(!facts.policy_version.is_empty());
        assert!(
            time::Date::parse(
                &facts.policy_date,
                time::macros::format_description!("[year]-[month]-[day]")
            )
            .is_ok()
        );
        assert!(facts.countries.len() >= 240, "expected the ISO 3166-1 list");
        assert!(facts.is_country("ES") && facts.is_country("GB"));
        assert!(!facts.is_country("XX") && !facts.is_country("es"));
        assert!(facts.topics.len() >= 5);
        assert!(facts.site_url.starts_with("https://") && !facts.site_url.ends_with('/'));
        let shop = &facts.shop;
        for value in [
            &shop.legal_name,
            &shop.postal_address,
            &shop.supervisory_authority,
        ] {
            assert!(!value.is_empty());
        }
        for email in [
            &shop.contact_email,
            &shop.data_protection_email,
            &shop.order_email,
        ] {
            assert!(crate::domain::email::Email::parse(email).is_ok(), "{email}");
        }
        assert!(
            facts
                .topics
                .iter()
                .all(|t| !t.en.is_empty() && !t.es.is_empty())
        );
    }

    #[test]
    fn countries_are_sorted_unique_alpha2() {
        let c = &facts().countries;
        assert!(c.windows(2).all(|w| w[0] < w[1]));
        assert!(
            c.iter()
                .all(|x| x.len() == 2 && x.chars().all(|ch| ch.is_ascii_uppercase()))
        );
    }
}
