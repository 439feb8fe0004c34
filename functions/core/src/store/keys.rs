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
