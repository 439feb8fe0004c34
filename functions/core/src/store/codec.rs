//! One way to turn a row struct into an item and an item back into a row struct.
//!
//! A failed decode is `StoreError::Corrupt` naming the row type and the attribute path,
//! never the value: serde's own messages quote the offending value, which can be an
//! email or a name, and the HTTP layer logs the error.

use super::StoreError;
use aws_sdk_dynamodb::types::AttributeValue;
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::collections::HashMap;

/// One item as DynamoDB sends and takes it.
pub type Item = HashMap<String, AttributeValue>;

pub(crate) fn corrupt(why: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(why.to_string())
}

/// The item for a row struct.
pub(crate) fn encode<T: Serialize>(row: &T) -> Result<Item, StoreError> {
    serde_dynamo::to_item(row).map_err(|e| corrupt(format!("encoding {}: {e}", type_name::<T>())))
}

/// One attribute value, serialised the way `encode` does it (for update expressions).
pub(crate) fn encode_value<T: Serialize>(value: &T) -> Result<AttributeValue, StoreError> {
    serde_dynamo::to_attribute_value(value)
        .map_err(|e| corrupt(format!("encoding {}: {e}", type_name::<T>())))
}

/// The row struct an item holds.
pub(crate) fn decode<T: DeserializeOwned>(item: &Item) -> Result<T, StoreError> {
    decode_owned(item.clone())
}

/// Like [`decode`], consuming the item.
pub(crate) fn decode_owned<T: DeserializeOwned>(item: Item) -> Result<T, StoreError> {
    let value = serde_dynamo::AttributeValue::from(AttributeValue::M(item));
    let deserializer = serde_dynamo::Deserializer::from_attribute_value(value);
    serde_path_to_error::deserialize(deserializer).map_err(|e| {
        let message = e.inner().to_string();
        corrupt(format!(
            "decoding {} at `{}`: {}",
            type_name::<T>(),
            e.path(),
            safe_reason(&message)
        ))
    })
}

pub(crate) fn s(value: &str) -> AttributeValue {
    AttributeValue::S(value.to_string())
}

pub(crate) fn n(value: impl Into<i128>) -> AttributeValue {
    AttributeValue::N(value.into().to_string())
}

/// A string attribute of an item, if present and a string.
pub(crate) fn text<'a>(item: &'a Item, name: &str) -> Option<&'a str> {
    item.get(name)?.as_s().ok().map(String::as_str)
}

/// The last segment of the type's path (`ProfileItem`, not `ecrm_core::store::…`).
fn type_name<T>() -> &'static str {
    let full = std::any::type_name::<T>();
    let outer = full.split('<').next().unwrap_or(full);
    outer.rsplit("::").next().unwrap_or(outer)
}

/// The kind of a serde error without the value it quotes ("invalid type", "missing
/// field `email`" keeps the field name, which is ours, not the customer's).
fn safe_reason(message: &str) -> &str {
    if message.starts_with("missing field") {
        return message;
    }
    let end = message.find([':', '"', '`', ',']).unwrap_or(message.len());
    message[..end].trim()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Row {
        email: String,
        count: u32,
    }

    #[test]
    fn rows_round_trip() {
        let row = Row {
            email: "ana@example.com".into(),
            count: 2,
        };
        let item = encode(&row).unwrap();
        assert_eq!(item["count"], n(2u32));
        assert_eq!(decode::<Row>(&item).unwrap(), row);
    }

    #[test]
    fn a_failed_decode_names_the_path_but_not_the_value() {
        let item = Item::from([
            ("email".to_string(), s("ana@example.com")),
            ("count".to_string(), s("secret@example.com")),
        ]);
        let StoreError::Corrupt(why) = decode::<Row>(&item).unwrap_err() else {
            panic!("a decode failure is Corrupt");
        };
        assert!(why.contains("Row") && why.contains("`count`"), "{why}");
        assert!(!why.contains("example.com"), "{why}");

        let missing = Item::from([("count".to_string(), n(1u32))]);
        let StoreError::Corrupt(why) = decode::<Row>(&missing).unwrap_err() else {
            panic!("a decode failure is Corrupt");
        };
        assert!(why.contains("missing field `email`"), "{why}");
    }
}
