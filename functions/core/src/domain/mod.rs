//! Plain domain types and pure rules. Nothing here does I/O.

pub mod clock;
pub mod consent;
pub mod customer;
pub mod email;
pub mod session;
pub mod signin;
pub mod validation;
