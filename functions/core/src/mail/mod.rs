//! Every mail the system sends, composed in one place: one file per group of templates
//! (`codes.rs`: sign-in and address proofs; `lifecycle.rs`: welcome, quotes, erasure;
//! `consent.rs`: opt-in confirmation and receipts), all built with [`Compose`].
//!
//! The API, kept small on purpose:
//!
//! ```text
//! let mail: Mail = Compose::new("quote_issued", Language::Es, "Tu presupuesto Q-12")
//!     .para("Gracias por pedir precio.")
//!     .table(&["Artículo", "Cantidad", "Total"], rows)
//!     .link("Ver el presupuesto", &site_link(Language::Es, "/quote/view/?id=…"))
//!     .why(Why::Transactional)                 // the footer's "why you get this"
//!     .preferences(Some(preference_link))        // the no-login preference page
//!     .build();                                  // plain text + HTML, footer included
//! let item = OutboxItem::new(to, Some(customer_id), mail, created_at, now_unix);
//! ```
//!
//! [`Compose::marketing`] adds the RFC 8058 one-click `List-Unsubscribe` (and
//! `List-Unsubscribe-Post`) headers; only marketing mail carries them. The footer
//! always names the shop (`site/config.toml` `[extra.shop]`, see [`crate::site_config`])
//! and says why the reader gets the mail. Links are absolute, to the shop's
//! `site_url`; the local runner's mailbox re-points them to itself.

mod codes;
mod compose;
pub mod consent;
mod deliver;
pub mod lifecycle;
pub mod service;

pub use codes::{
    email_change_code_mail, email_changed_notice, mask_email, sign_in_code_mail,
    sign_up_attempt_mail, sign_up_code_mail,
};
pub use compose::{Compose, Why, escape_html, site_link};
pub use deliver::{MailSender, deliver, deliver_pending};

use crate::domain::customer::Language;
use serde::{Deserialize, Serialize};

/// One composed mail: what the outbox stores and the sender sends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mail {
    /// Which template made it (`welcome`, `sign_in_code`…): for timelines and tests.
    pub template: String,
    pub language: Language,
    pub subject: String,
    /// The plain-text part.
    pub text: String,
    /// The HTML part (same content as the text).
    pub html: String,
    /// Marketing mail only: the one-click unsubscribe URL (`List-Unsubscribe`, with
    /// `List-Unsubscribe-Post: List-Unsubscribe=One-Click`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub list_unsubscribe: Option<String>,
}

impl Mail {
    /// The extra headers a sender must set (empty for non-marketing mail).
    pub fn headers(list_unsubscribe: Option<&str>) -> Vec<(&'static str, String)> {
        match list_unsubscribe {
            Some(url) => vec![
                ("List-Unsubscribe", format!("<{url}>")),
                (
                    "List-Unsubscribe-Post",
                    "List-Unsubscribe=One-Click".to_string(),
                ),
            ],
            None => Vec::new(),
        }
    }
}
