//! Plain domain types and pure rules. Nothing here does I/O.

pub mod address;
pub mod catalog;
pub mod catalog_import;
pub mod catalog_words;
pub mod clock;
pub mod consent;
pub mod customer;
pub mod email;
pub mod events;
pub mod limits;
pub mod link;
pub mod order;
pub mod pricing;
pub mod profile;
pub mod profile_patch;
pub mod quote;
pub mod recommend;
mod recommend_say;
pub mod segment;
pub mod service;
pub mod service_config;
pub mod session;
pub mod signin;
pub mod staff;
pub mod survey;
pub mod tax;
pub mod validation;
