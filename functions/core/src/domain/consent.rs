//! Consent purposes. `account` is required to have an account at all (it acknowledges
//! the privacy policy version shown); the others are optional and off by default.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ConsentSource {
    SignUp,
    PreferenceCentre,
    /// A link mailed to the customer: the opt-in confirmation, the no-login preference
    /// page or the one-click unsubscribe.
    EmailLink,
}

/// Marketing email is opted into in two steps: asked for (`pending`: nothing is sent
/// yet but the confirmation mail) and confirmed from the mailed link (`confirmed`).
/// Other entries have no step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ConsentStep {
    Pending,
    Confirmed,
}

/// One customer's choice for every purpose.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[schema(as = Consents)]
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

impl Purpose {
    pub fn parse(raw: &str) -> Option<Self> {
        Purpose::ALL.into_iter().find(|p| p.as_str() == raw)
    }

    /// What the purpose is, in a sentence, for receipts.
    pub fn description(self) -> &'static str {
        match self {
            Purpose::Account => {
                "Keeping your account: signing you in, answering your requests, keeping your quotes."
            }
            Purpose::MarketingEmail => {
                "Sending you news and offers by email, at the frequency you choose."
            }
            Purpose::Personalisation => {
                "Using what you do on the site (items you view or ask prices for) to recommend items to you."
            }
        }
    }

    /// The data the purpose uses, for receipts.
    pub fn data_used(self) -> &'static [&'static str] {
        match self {
            Purpose::Account => &[
                "email",
                "display name",
                "preferred language",
                "country",
                "consent choices",
            ],
            Purpose::MarketingEmail => &[
                "email",
                "display name",
                "preferred language",
                "topics of interest",
            ],
            Purpose::Personalisation => &["topics of interest", "items viewed", "items quoted"],
        }
    }
}

/// One decision from the consent ledger.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decision<'a> {
    pub purpose: Purpose,
    pub granted: bool,
    pub previous: Option<bool>,
    pub at: &'a str,
    pub policy_version: &'a str,
    pub source: ConsentSource,
    pub step: Option<ConsentStep>,
}

impl Decision<'_> {
    /// Receipt ids name the ledger entry: its time and purpose.
    pub fn receipt_id(&self) -> String {
        format!("{}_{}", self.at, self.purpose.as_str())
    }
}

/// A consent receipt: who, which purpose, what data, when, under which policy version,
/// and how to withdraw.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
#[schema(as = Receipt)]
pub struct ConsentReceipt {
    /// `<time>_<purpose>`.
    pub receipt_id: String,
    /// Who keeps the data (the business).
    pub controller: String,
    pub customer_id: String,
    pub purpose: Purpose,
    pub purpose_description: &'static str,
    pub data_used: Vec<&'static str>,
    pub granted: bool,
    /// The state before this change; `null` for the first decision.
    pub previous: Option<bool>,
    pub at: String,
    pub policy_version: String,
    pub policy_url: &'static str,
    pub source: ConsentSource,
    /// For marketing email: `pending` (asked for, waiting for the mailed confirmation)
    /// or `confirmed`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub step: Option<ConsentStep>,
    pub how_to_withdraw: &'static str,
}

/// The receipt of one decision.
pub fn receipt(controller: &str, customer_id: &str, decision: &Decision<'_>) -> ConsentReceipt {
    let Decision {
        purpose,
        granted,
        previous,
        at,
        policy_version,
        source,
        step,
    } = *decision;
    ConsentReceipt {
        receipt_id: decision.receipt_id(),
        controller: controller.to_string(),
        customer_id: customer_id.to_string(),
        purpose,
        purpose_description: purpose.description(),
        data_used: purpose.data_used().to_vec(),
        granted,
        previous,
        at: at.to_string(),
        policy_version: policy_version.to_string(),
        policy_url: "/privacy/",
        source,
        step,
        how_to_withdraw: if purpose.is_required() {
            "This consent is what your account rests on: to withdraw it, erase your account from My account (DELETE /api/me)."
        } else {
            "Switch it off in My account, or send PUT /api/me/consents/{purpose} with {\"granted\": false}. Withdrawing is as easy as giving and takes effect at once."
        },
    }
}
