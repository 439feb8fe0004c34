//! Key layout of the single table (see ../shared/design.md section 3).

pub const PK: &str = "PK";
pub const SK: &str = "SK";

pub fn customer_pk(customer_id: &str) -> String {
    format!("CUSTOMER#{customer_id}")
}

pub const PROFILE_SK: &str = "PROFILE";

pub fn email_pk(normalised_email: &str) -> String {
    format!("EMAIL#{normalised_email}")
}

pub const EMAIL_SK: &str = "EMAIL";

pub fn consent_sk(at: &str, purpose: &str) -> String {
    format!("CONSENT#{at}#{purpose}")
}

/// Sign-in codes are keyed by a keyed hash of the email, never the email itself.
pub fn signin_pk(email_hash: &str) -> String {
    format!("SIGNIN#{email_hash}")
}

pub const SIGNIN_SK: &str = "SIGNIN";

pub fn outbox_pk(mail_id: &str) -> String {
    format!("OUTBOX#{mail_id}")
}

pub const OUTBOX_SK: &str = "OUTBOX";
/// Pending mail is listed on GSI1 under this partition, oldest first.
pub const OUTBOX_GSI1PK: &str = "OUTBOX";

pub fn item_pk(sku: &str) -> String {
    format!("ITEM#{sku}")
}

pub const ITEM_SK: &str = "ITEM";
/// Every catalog item is listed on GSI1 under this partition, by SKU.
pub const CATALOG_GSI1PK: &str = "CATALOG";

pub fn quote_pk(quote_id: &str) -> String {
    format!("QUOTE#{quote_id}")
}

pub const QUOTE_SK: &str = "QUOTE";

/// A member's quotes are listed on GSI1 under `CUSTOMER#<id>` by this sort key.
pub fn quote_gsi1sk(created_at: &str) -> String {
    format!("QUOTE#{created_at}")
}

/// Makes quote numbers unique.
pub fn quote_number_pk(number: &str) -> String {
    format!("QUOTENO#{number}")
}

pub const QUOTE_NUMBER_SK: &str = "QUOTENO";

/// Idempotency records are keyed by a hash of the scope and the client's key.
pub fn idempotency_pk(key_hash: &str) -> String {
    format!("IDEMPOTENCY#{key_hash}")
}

pub const IDEMPOTENCY_SK: &str = "IDEMPOTENCY";

pub fn address_sk(address_id: &str) -> String {
    format!("ADDRESS#{address_id}")
}

pub const ADDRESS_PREFIX: &str = "ADDRESS#";
pub const CONSENT_PREFIX: &str = "CONSENT#";
pub const EVENT_PREFIX: &str = "EVENT#";
