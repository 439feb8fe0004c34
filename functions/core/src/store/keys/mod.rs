//! Key layout of the single table (see ../shared/design.md section 3): every kind of
//! item, its `kind` attribute and how its `PK`/`SK` are made. The key strings are
//! written here and nowhere else.
//!
//! By concern: the kinds ([`ItemKind`]), the keys of a customer's own items, of the
//! catalog and recommendation lists, of quotes, of customer service, and [`Key`]. All are
//! re-exported here, so every path stays `store::keys::…`.

mod catalog;
mod customer;
mod key;
mod kinds;
mod quotes;
mod service;

pub use catalog::*;
pub use customer::*;
pub use key::*;
pub use kinds::*;
pub use quotes::*;
pub use service::*;

pub const PK: &str = "PK";
pub const SK: &str = "SK";
/// The one overloaded index and its keys.
pub const GSI1: &str = "GSI1";
pub const GSI1PK: &str = "GSI1PK";
pub const GSI1SK: &str = "GSI1SK";

#[cfg(test)]
mod tests;
