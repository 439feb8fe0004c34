//! Addresses (`CUSTOMER#<id>` / `ADDRESS#<id>`). Which address is the default of each
//! kind, and how many there are, live on the profile, so "one default of each kind"
//! and the limit hold by construction. Every change also bumps the profile's version
//! (the ETag of `GET /api/me` covers addresses).

use super::codec::{n, s};
use super::customers::ProfileItem;
use super::keys::{self, ItemKind, Key};
use super::session::SessionGuard;
use super::timeline::{self, TimelineEntry, what};
use super::transact::{self, TransactError, transact_with_retry};
use super::update::Expr;
use super::{Store, StoreError};
use crate::domain::address::{Address, MAX_ADDRESSES, ValidAddress};
use aws_sdk_dynamodb::types::TransactWriteItem;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AddressItem {
    #[serde(rename = "PK")]
    pub pk: String,
    #[serde(rename = "SK")]
    pub sk: String,
    pub kind: String,
    pub id: String,
    pub address: Address,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AddressOutcome {
    Done,
    NotFound,
    LimitReached,
    SessionRevoked,
    /// The profile changed between our read and write; nothing was written.
    Conflict,
}

impl AddressItem {
    fn new(customer_id: &str, id: &str, address: &Address, created_at: &str, now: &str) -> Self {
        Self {
            pk: keys::customer_pk(customer_id),
            sk: keys::address_sk(id),
            kind: ItemKind::Address.name().into(),
            id: id.into(),
            address: address.clone(),
            created_at: created_at.into(),
            updated_at: now.into(),
        }
    }
}

/// Point the profile's defaults at this address, or away from it, after its change.
fn default_pointers(e: &mut Expr, id: &str, wanted: (bool, bool), profile: Option<&ProfileItem>) {
    let current = (
        profile.and_then(|p| p.default_billing_address.as_deref()),
        profile.and_then(|p| p.default_delivery_address.as_deref()),
    );
    for (want, now, attribute) in [
        (wanted.0, current.0, "default_billing_address"),
        (wanted.1, current.1, "default_delivery_address"),
    ] {
        if want {
            e.set(attribute, s(id));
        } else if now == Some(id) {
            e.remove(attribute);
        }
    }
}

/// The profile's side of every address change: a new version, and the condition that
/// the session is current (and, unless `version` is `None`, that nothing changed since
/// the caller read it).
fn profile_change(session: &SessionGuard, version: Option<u64>, now: &str) -> Expr {
    let mut e = Expr::new();
    e.increment("version", n(1u32)).set("updated_at", s(now));
    let holds = session.condition(&mut e);
    e.condition(holds);
    if let Some(version) = version {
        let v = e.name("version");
        e.and(&format!("{v} = :version"))
            .bind(":version", n(version));
    }
    e
}

/// Position of the profile's update in every address transaction.
const PROFILE_INDEX: usize = 1;

/// Send an address transaction: the address item's write first, the profile's update
/// second, the timeline entry (`what`) last.
async fn commit(
    store: &Store,
    mut writes: Vec<TransactWriteItem>,
    session: &SessionGuard,
    entry: TimelineEntry,
) -> Result<AddressOutcome, StoreError> {
    writes.push(timeline::write(store, &entry)?);
    match transact_with_retry(store, writes).await {
        Ok(()) => Ok(AddressOutcome::Done),
        Err(TransactError::ConditionFailed(c)) if c.failed(PROFILE_INDEX) => {
            Ok(if session.holds_on(c.old_item(PROFILE_INDEX)) {
                AddressOutcome::Conflict
            } else {
                AddressOutcome::SessionRevoked
            })
        }
        Err(TransactError::ConditionFailed(_)) => Ok(AddressOutcome::NotFound),
        Err(TransactError::Store(e)) => Err(e),
    }
}

/// Add an address: the item and the profile's count (and defaults), at most
/// [`MAX_ADDRESSES`], in one transaction.
pub async fn create(
    store: &Store,
    customer_id: &str,
    session: &SessionGuard,
    id: &str,
    valid: &ValidAddress,
    now: &str,
) -> Result<AddressOutcome, StoreError> {
    let item = AddressItem::new(customer_id, id, &valid.address, now, now);
    let mut e = profile_change(session, None, now);
    let count = e.name("address_count");
    e.set_to(
        "address_count",
        &format!("if_not_exists({count}, :zero) + :one"),
    )
    .bind(":zero", n(0u32))
    .bind(":one", n(1u32))
    .bind(":max", n(MAX_ADDRESSES))
    .and(&format!(
        "(attribute_not_exists({count}) OR {count} < :max)"
    ));
    default_pointers(
        &mut e,
        id,
        (valid.default_billing, valid.default_delivery),
        None,
    );
    let writes = vec![
        transact::put_new(store, &item)?,
        transact::update(store, &Key::profile(customer_id), &e, true)?,
    ];
    let entry = TimelineEntry::new(customer_id, now, what::ADDRESS_ADDED).with("address_id", id);
    match commit(store, writes, session, entry).await? {
        // The profile's condition failed with the session intact: the limit.
        AddressOutcome::Conflict => Ok(AddressOutcome::LimitReached),
        other => Ok(other),
    }
}

/// Replace an address, given the profile as just read (for its defaults and version).
pub async fn replace(
    store: &Store,
    profile: &ProfileItem,
    session: &SessionGuard,
    id: &str,
    valid: &ValidAddress,
    created_at: &str,
    now: &str,
) -> Result<AddressOutcome, StoreError> {
    let item = AddressItem::new(&profile.id, id, &valid.address, created_at, now);
    let mut e = profile_change(session, Some(profile.version), now);
    default_pointers(
        &mut e,
        id,
        (valid.default_billing, valid.default_delivery),
        Some(profile),
    );
    let writes = vec![
        transact::put(store, &item, &Expr::when("attribute_exists(PK)"))?,
        transact::update(store, &Key::profile(&profile.id), &e, true)?,
    ];
    let entry = TimelineEntry::new(&profile.id, now, what::ADDRESS_CHANGED).with("address_id", id);
    commit(store, writes, session, entry).await
}

/// One address of a customer (`None` if there is none).
pub async fn get(
    store: &Store,
    customer_id: &str,
    address_id: &str,
) -> Result<Option<AddressItem>, StoreError> {
    super::get_item(store, &Key::address(customer_id, address_id))
        .await?
        .map(super::codec::decode_owned)
        .transpose()
}

/// Delete an address, given the profile as just read.
pub async fn delete(
    store: &Store,
    profile: &ProfileItem,
    session: &SessionGuard,
    id: &str,
    now: &str,
) -> Result<AddressOutcome, StoreError> {
    let mut e = profile_change(session, Some(profile.version), now);
    let count = e.name("address_count");
    e.set_to("address_count", &format!("{count} - :one"))
        .bind(":one", n(1u32));
    default_pointers(&mut e, id, (false, false), Some(profile));
    let writes = vec![
        transact::delete(
            store,
            &Key::address(&profile.id, id),
            &Expr::when("attribute_exists(PK)"),
        )?,
        transact::update(store, &Key::profile(&profile.id), &e, true)?,
    ];
    let entry = TimelineEntry::new(&profile.id, now, what::ADDRESS_REMOVED).with("address_id", id);
    commit(store, writes, session, entry).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_profile_change_conditions_on_session_and_version_and_moves_defaults() {
        let guard = SessionGuard {
            epoch: 2,
            entry: "9:S".into(),
        };
        let mut e = profile_change(&guard, Some(5), "now");
        default_pointers(&mut e, "A1", (true, false), None);
        assert_eq!(
            e.update_text().unwrap(),
            "SET #version = #version + :v0, #updated_at = :v1, #default_billing_address = :v2"
        );
        assert_eq!(
            e.condition_text().unwrap(),
            "#session_epoch = :epoch AND NOT contains(#revoked_sessions, :session_entry) AND #version = :version"
        );
        let values = e.values().unwrap();
        assert_eq!(
            (&values[":epoch"], &values[":version"]),
            (&n(2u32), &n(5u32))
        );
        assert_eq!(values[":v2"], s("A1"));
    }
}
