//! A primary key (`PK`, `SK`), with a constructor per kind read or written by key.

use super::*;
use crate::store::codec::{Item, s};
use std::collections::HashMap;

/// A primary key (`PK`, `SK`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Key {
    pub pk: String,
    pub sk: String,
}

impl Key {
    pub fn new(pk: impl Into<String>, sk: impl Into<String>) -> Self {
        Self {
            pk: pk.into(),
            sk: sk.into(),
        }
    }

    pub fn profile(customer_id: &str) -> Self {
        Self::new(customer_pk(customer_id), PROFILE_SK)
    }

    pub fn email_claim(normalised_email: &str) -> Self {
        Self::new(email_pk(normalised_email), EMAIL_SK)
    }

    pub fn address(customer_id: &str, address_id: &str) -> Self {
        Self::new(customer_pk(customer_id), address_sk(address_id))
    }

    pub fn signin(email_hash: &str) -> Self {
        Self::new(signin_pk(email_hash), SIGNIN_SK)
    }

    pub fn catalog_item(sku: &str) -> Self {
        Self::new(item_pk(sku), ITEM_SK)
    }

    pub fn catalog_version() -> Self {
        Self::new(
            format!("{}VERSION", ItemKind::CatalogVersion.pk_prefix()),
            ItemKind::CatalogVersion.sk(),
        )
    }

    pub fn neighbours(sku: &str) -> Self {
        Self::new(item_pk(sku), NEIGHBOURS_SK)
    }

    pub fn recs_list(list: &str) -> Self {
        Self::new(recs_list_pk(list), RECS_LIST_SK)
    }

    pub fn quote(quote_id: &str) -> Self {
        Self::new(quote_pk(quote_id), QUOTE_SK)
    }

    pub fn quote_number(number: &str) -> Self {
        Self::new(quote_number_pk(number), QUOTE_NUMBER_SK)
    }

    pub fn idempotency(key_hash: &str) -> Self {
        Self::new(idempotency_pk(key_hash), IDEMPOTENCY_SK)
    }

    /// The key of a stored item; `None` when it lacks either key attribute.
    pub fn of(item: &Item) -> Option<Self> {
        let text = |name: &str| item.get(name)?.as_s().ok().cloned();
        Some(Self::new(text(PK)?, text(SK)?))
    }

    /// The key as the attribute map that GetItem, UpdateItem, DeleteItem and the batch
    /// calls take.
    pub fn item(&self) -> Item {
        HashMap::from([(PK.to_string(), s(&self.pk)), (SK.to_string(), s(&self.sk))])
    }
}
