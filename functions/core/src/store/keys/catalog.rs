//! The keys of the catalog (items, the word index, the seeded version) and of the
//! recommendation lists beside it.

use super::*;

pub fn item_pk(sku: &str) -> String {
    format!("{}{sku}", ItemKind::CatalogItem.pk_prefix())
}

pub const ITEM_SK: &str = ItemKind::CatalogItem.sk();
/// Every catalog item is listed on GSI1 under this partition, featured first
/// ([`catalog_rank_sk`]).
pub const CATALOG_GSI1PK: &str = "CATALOG";

/// The word partition holding every index word that starts like `word`.
pub fn catalog_word_pk(word: &str) -> String {
    let first = word.chars().next().map(String::from).unwrap_or_default();
    format!("{}{first}", ItemKind::CatalogWord.pk_prefix())
}

/// The GSI1 sort key of a catalog item: featured items (rank 0) before the rest
/// (rank 1), then by SKU.
pub fn catalog_rank_sk(featured: bool, sku: &str) -> String {
    format!("{}#{sku}", if featured { '0' } else { '1' })
}

pub fn catalog_word_sk(word: &str, chunk: usize) -> String {
    format!("{word}#{chunk:03}")
}

pub const NEIGHBOURS_SK: &str = ItemKind::Neighbours.sk();
pub const OWNED_SK: &str = ItemKind::OwnedItems.sk();
pub const RECS_LIST_SK: &str = ItemKind::RecsList.sk();

/// A precomputed list: `popular`, or `topic#<id>`.
pub fn recs_list_pk(list: &str) -> String {
    format!("{}{list}", ItemKind::RecsList.pk_prefix())
}
