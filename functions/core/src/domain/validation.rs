//! Field-level validation results: every problem names the field at fault with a JSON
//! pointer (RFC 6901), so the API can answer all of them at once.

use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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
