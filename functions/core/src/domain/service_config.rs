//! Customer service settings: who is staff, where the shop's service and escalation
//! mail goes, and the first-response target per category. Code defaults, overridden
//! by the environment (`ECRM_STAFF`, `ECRM_SERVICE_EMAIL`, `ECRM_ESCALATION_EMAIL`,
//! `ECRM_RESPONSE_TARGETS`); the runner takes `--staff EMAIL` too.

use super::email::Email;
use super::service::Category;

/// First-response targets in minutes. One business day is written as 24 hours:
/// weekends and holidays are not skipped (the shop answers every day).
const DEFAULT_TARGETS: [(Category, u32); 4] = [
    (Category::QuoteOrOrder, 8 * 60),
    (Category::Product, 24 * 60),
    (Category::MyData, 24 * 60),
    (Category::Other, 24 * 60),
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceConfig {
    /// Staff email addresses (normalised): they may sign in to `/staff/`.
    pub staff: Vec<String>,
    /// Where a customer's new request or message is announced.
    pub service_address: String,
    /// Where escalations are announced.
    pub escalation_address: String,
    /// Minutes to the first response, per category.
    pub targets: Vec<(Category, u32)>,
}

impl Default for ServiceConfig {
    fn default() -> Self {
        Self {
            staff: Vec::new(),
            service_address: "service@shop.example".into(),
            escalation_address: "escalations@shop.example".into(),
            targets: DEFAULT_TARGETS.to_vec(),
        }
    }
}

impl ServiceConfig {
    /// From the environment, over the defaults. Entries that do not parse are skipped
    /// with a warning (no personal data is logged).
    pub fn from_env() -> Self {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        let mut config = Self::default();
        if let Some(list) = var("ECRM_STAFF") {
            config = config.with_staff(list.split(','));
        }
        if let Some(address) = var("ECRM_SERVICE_EMAIL") {
            config.service_address = address.trim().to_string();
        }
        if let Some(address) = var("ECRM_ESCALATION_EMAIL") {
            config.escalation_address = address.trim().to_string();
        }
        if let Some(targets) = var("ECRM_RESPONSE_TARGETS") {
            for entry in targets.split(',') {
                let parsed = entry.split_once('=').and_then(|(name, minutes)| {
                    let category = Category::ALL
                        .into_iter()
                        .find(|c| c.name() == name.trim())?;
                    Some((category, minutes.trim().parse::<u32>().ok()?))
                });
                match parsed {
                    Some((category, minutes)) => config = config.with_target(category, minutes),
                    None => {
                        tracing::warn!("ECRM_RESPONSE_TARGETS: an entry was not category=minutes")
                    }
                }
            }
        }
        config
    }

    /// Add staff addresses (normalised like every email; invalid ones are skipped).
    pub fn with_staff<'a>(mut self, emails: impl IntoIterator<Item = &'a str>) -> Self {
        for raw in emails {
            match Email::parse(raw) {
                Ok(email) => {
                    let email = email.as_str().to_string();
                    if !self.staff.contains(&email) {
                        self.staff.push(email);
                    }
                }
                Err(_) => tracing::warn!("a staff address is not a valid email; skipped"),
            }
        }
        self
    }

    pub fn with_target(mut self, category: Category, minutes: u32) -> Self {
        self.targets.retain(|(c, _)| *c != category);
        self.targets.push((category, minutes));
        self
    }

    /// Whether `email` (normalised) is staff.
    pub fn is_staff(&self, email: &str) -> bool {
        self.staff.iter().any(|s| s == email)
    }

    /// Minutes to the first response for `category`.
    pub fn target_minutes(&self, category: Category) -> u32 {
        self.targets
            .iter()
            .find(|(c, _)| *c == category)
            .map_or(24 * 60, |(_, m)| *m)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn staff_are_normalised_and_targets_overridable() {
        let config = ServiceConfig::default()
            .with_staff([" Eva@Shop.Example ", "nope", "eva@shop.example"])
            .with_target(Category::Other, 5);
        assert_eq!(config.staff, ["eva@shop.example"]);
        assert!(config.is_staff("eva@shop.example"));
        assert!(!config.is_staff("ana@example.com"));
        assert_eq!(config.target_minutes(Category::Other), 5);
        assert_eq!(config.target_minutes(Category::QuoteOrOrder), 480);
    }
}
