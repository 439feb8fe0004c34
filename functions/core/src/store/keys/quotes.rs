//! The keys of quotes: the quote, its number claim, a visitor's contact index and the
//! idempotency records.

use super::*;

pub fn quote_pk(quote_id: &str) -> String {
    format!("{}{quote_id}", ItemKind::Quote.pk_prefix())
}

pub const QUOTE_SK: &str = ItemKind::Quote.sk();

/// A member's quotes are listed on GSI1 under `CUSTOMER#<id>` by `QUOTE#<time>`.
pub const QUOTE_GSI1SK_PREFIX: &str = "QUOTE#";

pub fn quote_gsi1sk(created_at: &str) -> String {
    format!("{QUOTE_GSI1SK_PREFIX}{created_at}")
}

/// Makes quote numbers unique.
pub fn quote_number_pk(number: &str) -> String {
    format!("{}{number}", ItemKind::QuoteNumber.pk_prefix())
}

pub const QUOTE_NUMBER_SK: &str = ItemKind::QuoteNumber.sk();

/// Idempotency records are keyed by a hash of the scope and the client's key.
/// GSI1 partition of a visitor's quotes made with one contact email, keyed by a keyed
/// hash of the email (never the email): erasure and export find them there.
pub const CONTACT_PREFIX: &str = "CONTACT#";

pub fn contact_pk(email_key: &str) -> String {
    format!("{CONTACT_PREFIX}{email_key}")
}

pub fn idempotency_pk(key_hash: &str) -> String {
    format!("{}{key_hash}", ItemKind::Idempotency.pk_prefix())
}

pub const IDEMPOTENCY_SK: &str = ItemKind::Idempotency.sk();
