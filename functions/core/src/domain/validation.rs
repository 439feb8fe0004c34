//! Field-level validation results: every problem names the field at fault with a JSON
//! pointer (RFC 6901), so the API can answer all of them at once.

use serde::Serialize;
use utoipa::ToSchema;

/// One field at fault.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct FieldError {
    /// JSON pointer into the request body, e.g. `/consents/account`.
    pub pointer: String,
    pub detail: String,
}

impl FieldError {
    pub fn new(pointer: impl Into<String>, detail: impl Into<String>) -> Self {
        Self {
            pointer: pointer.into(),
            detail: detail.into(),
        }
    }
}

/// Collects field errors while a request is checked.
#[derive(Debug, Default)]
pub struct Violations(Vec<FieldError>);

impl Violations {
    pub fn add(&mut self, pointer: impl Into<String>, detail: impl Into<String>) {
        self.0.push(FieldError::new(pointer, detail));
    }

    /// Take a required value, recording `detail` when it is missing.
    pub fn required<T>(&mut self, value: Option<T>, pointer: &str) -> Option<T> {
        if value.is_none() {
            self.add(pointer, "is required");
        }
        value
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn into_vec(self) -> Vec<FieldError> {
        self.0
    }
}

/// Escape one reference token for a JSON pointer (RFC 6901 section 4).
pub fn pointer_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// An optional whole number as JSON Schema counts one: `5`, and also `5.0` (JSON
/// Schema's `integer` admits a number whose fraction is zero, so the OpenAPI document
/// and the server agree on it); `5.5`, strings and numbers past `i64` are type errors.
/// Use as `#[serde(default, deserialize_with = "whole_number")]`.
pub fn whole_number<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<i64>, D::Error> {
    use serde::de::{Error, Unexpected, Visitor};

    struct WholeNumber;

    impl<'de> Visitor<'de> for WholeNumber {
        type Value = Option<i64>;

        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a whole number")
        }

        fn visit_none<E: Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_unit<E: Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_any(self)
        }

        fn visit_i64<E: Error>(self, v: i64) -> Result<Self::Value, E> {
            Ok(Some(v))
        }

        fn visit_u64<E: Error>(self, v: u64) -> Result<Self::Value, E> {
            i64::try_from(v)
                .map(Some)
                .map_err(|_| E::invalid_value(Unexpected::Unsigned(v), &self))
        }

        fn visit_f64<E: Error>(self, v: f64) -> Result<Self::Value, E> {
            // 2^63 is the first float past i64::MAX; every float below it in magnitude
            // with no fraction converts exactly.
            const LIMIT: f64 = 9_223_372_036_854_775_808.0;
            if v.fract() == 0.0 && (-LIMIT..LIMIT).contains(&v) {
                Ok(Some(v as i64))
            } else {
                Err(E::invalid_type(Unexpected::Float(v), &self))
            }
        }
    }

    deserializer.deserialize_option(WholeNumber)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn required_records_missing_values() {
        let mut v = Violations::default();
        assert_eq!(v.required(Some(1), "/a"), Some(1));
        assert_eq!(v.required::<i32>(None, "/b"), None);
        assert_eq!(v.into_vec(), vec![FieldError::new("/b", "is required")]);
    }

    #[test]
    fn pointer_tokens_are_escaped() {
        assert_eq!(pointer_token("a/b~c"), "a~1b~0c");
    }
}
