//! Plain domain types and pure rules. Nothing here does I/O.

pub mod address;
pub mod catalog;
pub mod clock;
pub mod consent;
pub mod customer;
pub mod email;
pub mod limits;
pub mod pricing;
pub mod profile;
pub mod profile_patch;
pub mod quote;
pub mod session;
pub mod signin;
pub mod tax;
pub mod validation;
