//! Consent mails: the marketing opt-in confirmation and the readable receipt of a
//! consent change.
