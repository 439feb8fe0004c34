//! Consent purposes. `account` is required to have an account at all (it acknowledges
//! the privacy policy version shown); the others are optional and off by default.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Purpose {
    Account,
    MarketingEmail,
    Personalisation,
}

impl Purpose {
    pub const ALL: [Purpose; 3] = [
        Purpose::Account,
        Purpose::MarketingEmail,
        Purpose::Personalisation,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Purpose::Account => "account",
            Purpose::MarketingEmail => "marketing_email",
            Purpose::Personalisation => "personalisation",
        }
    }

    pub fn is_required(self) -> bool {
        matches!(self, Purpose::Account)
    }
}

/// Where a consent change was made; recorded in the ledger.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsentSource {
    SignUp,
    PreferenceCentre,
}

/// One customer's choice for every purpose.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentState {
    pub account: bool,
    pub marketing_email: bool,
    pub personalisation: bool,
}

impl ConsentState {
    pub fn get(&self, purpose: Purpose) -> bool {
        match purpose {
            Purpose::Account => self.account,
            Purpose::MarketingEmail => self.marketing_email,
            Purpose::Personalisation => self.personalisation,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_match_the_api() {
        let names: Vec<_> = Purpose::ALL.iter().map(|p| p.as_str()).collect();
        assert_eq!(names, ["account", "marketing_email", "personalisation"]);
        assert_eq!(
            serde_json::to_string(&Purpose::MarketingEmail).unwrap(),
            "\"marketing_email\""
        );
        assert!(Purpose::Account.is_required() && !Purpose::Personalisation.is_required());
    }
}
