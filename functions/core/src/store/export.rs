//! The data-subject export (`GET /api/me/export`): every item held about a customer,
//! as plain JSON. Nothing is left out quietly: an item that has no JSON form fails the
//! whole export with `StoreError::Corrupt` (a 500, logged without the item), since an
//! export that silently omits data would misstate what is held.

use super::codec::decode;
use super::customers::ProfileItem;
use super::erasure::items_held_elsewhere;
use super::profile::{self, CustomerRecord, RawItem};
use super::session::SessionGuard;
use super::{Store, StoreError};
use serde_json::Value;

#[derive(Debug, Clone)]
pub struct Export {
    /// The customer's partition, decoded (profile, addresses, consent ledger).
    pub record: CustomerRecord,
    /// The profile; its `session_epoch` is the one the caller asked with.
    pub profile: ProfileItem,
    /// Every item of the customer's partition, as stored.
    pub items: Vec<Value>,
    /// Items about the customer kept outside it: their quotes and their email claim.
    pub related_items: Vec<Value>,
}

/// Everything held about `customer_id`, read for `session`; `contact_key` gives the key
/// a visitor's quotes with the customer's email are indexed under. `None` when the customer
/// does not exist or the session no longer holds (nothing more is read then).
pub async fn export(
    store: &Store,
    customer_id: &str,
    session: &SessionGuard,
    contact_key: &(dyn Fn(&str) -> String + Sync),
) -> Result<Option<Export>, StoreError> {
    let record = profile::load(store, customer_id).await?;
    let profile = match &record.profile {
        Some(profile) if session.holds_for(profile) => profile.clone(),
        _ => return Ok(None),
    };
    let related = items_held_elsewhere(store, &profile, &contact_key(&profile.email)).await?;
    Ok(Some(Export {
        items: items_as_json(&record.raw)?,
        related_items: items_as_json(&related)?,
        record,
        profile,
    }))
}

/// Stored items as plain JSON, for an export; `Corrupt` if any item has no JSON form
/// (a binary attribute, which this code never writes).
pub fn items_as_json(items: &[RawItem]) -> Result<Vec<Value>, StoreError> {
    items.iter().map(decode).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::codec::s;
    use aws_sdk_dynamodb::primitives::Blob;
    use aws_sdk_dynamodb::types::AttributeValue;

    #[test]
    fn an_item_without_a_json_form_fails_the_export() {
        let plain = RawItem::from([("PK".to_string(), s("CUSTOMER#C1"))]);
        let binary = RawItem::from([
            ("PK".to_string(), s("CUSTOMER#C1")),
            ("blob".to_string(), AttributeValue::B(Blob::new(vec![1, 2]))),
        ]);
        let json = items_as_json(std::slice::from_ref(&plain)).unwrap();
        assert_eq!(json, [serde_json::json!({"PK": "CUSTOMER#C1"})]);
        assert!(matches!(
            items_as_json(&[plain, binary]),
            Err(StoreError::Corrupt(_))
        ));
    }
}
