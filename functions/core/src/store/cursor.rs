//! Opaque page cursors: base64url of the last evaluated key's string attributes. The
//! reader of a cursor checks that the key it stands for is one of the caller's own.

use super::codec::Item;
use aws_sdk_dynamodb::types::AttributeValue;
use base64::Engine;
use std::collections::{BTreeMap, HashMap};

/// The cursor for the page after `last_key`.
pub fn encode(last_key: &Item) -> String {
    let map: BTreeMap<&str, &str> = last_key
        .iter()
        .filter_map(|(name, value)| Some((name.as_str(), value.as_s().ok()?.as_str())))
        .collect();
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(serde_json::to_vec(&map).unwrap_or_default())
}

/// The key attributes a cursor names, if it is well formed (the caller still checks
/// whose key it is).
pub fn decode(cursor: &str) -> Option<HashMap<String, String>> {
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(cursor)
        .ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// A checked key map back as a start key.
pub fn start_key(map: HashMap<String, String>) -> Item {
    map.into_iter()
        .map(|(name, value)| (name, AttributeValue::S(value)))
        .collect()
}

/// The start key of a cursor into one partition (`PK` = `pk`, `SK` beginning with
/// `sk_prefix`), or `None` for anything else: a cursor cannot reach another
/// customer's items.
pub fn in_partition(cursor: &str, pk: &str, sk_prefix: &str) -> Option<Item> {
    let map = decode(cursor)?;
    let valid = map.len() == 2
        && map.get(super::keys::PK)? == pk
        && map.get(super::keys::SK)?.starts_with(sk_prefix);
    valid.then(|| start_key(map))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::codec::s;

    #[test]
    fn a_partition_cursor_reads_back_only_in_its_partition() {
        let last: Item = HashMap::from([
            ("PK".into(), s("TIMELINE#C1")),
            ("SK".into(), s("ENTRY#2026#x")),
        ]);
        let cursor = encode(&last);
        assert_eq!(in_partition(&cursor, "TIMELINE#C1", "ENTRY#"), Some(last));
        assert_eq!(in_partition(&cursor, "TIMELINE#C2", "ENTRY#"), None);
        assert_eq!(in_partition(&cursor, "TIMELINE#C1", "CONSENT#"), None);
        assert_eq!(in_partition("%%", "TIMELINE#C1", "ENTRY#"), None);
    }
}
