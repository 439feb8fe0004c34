//! One builder for update and condition expressions: it collects `SET`, `REMOVE`,
//! `ADD` and `DELETE` clauses and a condition with their attribute names and values.
//!
//! Every path segment goes through a `#name` placeholder, since many plain words
//! (`status`, `ttl`, `name`, …) are reserved in DynamoDB expressions. DynamoDB refuses
//! names and values the expressions do not use, so only the used ones are sent.

use super::codec::Item;
use aws_sdk_dynamodb::types::AttributeValue;
use std::collections::HashMap;

#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Expr {
    set: Vec<String>,
    remove: Vec<String>,
    add: Vec<String>,
    delete: Vec<String>,
    condition: Option<String>,
    names: HashMap<String, String>,
    values: Item,
    next_value: usize,
}

impl Expr {
    pub fn new() -> Self {
        Self::default()
    }

    /// An expression that is only a condition (for Put, Delete, ConditionCheck).
    pub fn when(condition: impl Into<String>) -> Self {
        let mut e = Self::new();
        e.condition(condition);
        e
    }

    /// The placeholder path for a dotted attribute path: `a.b` becomes `#a.#b`.
    pub fn name(&mut self, path: &str) -> String {
        path.split('.')
            .map(|segment| {
                let placeholder = format!("#{segment}");
                self.names.insert(placeholder.clone(), segment.to_string());
                placeholder
            })
            .collect::<Vec<_>>()
            .join(".")
    }

    /// A fresh value placeholder (`:v0`, `:v1`, …) for `value`.
    pub fn value(&mut self, value: AttributeValue) -> String {
        let placeholder = format!(":v{}", self.next_value);
        self.next_value += 1;
        self.values.insert(placeholder.clone(), value);
        placeholder
    }

    /// A value under a chosen placeholder (`:epoch`), for text written by hand.
    pub fn bind(&mut self, placeholder: &str, value: AttributeValue) -> &mut Self {
        // `:v<n>` belongs to `value`; a chosen name must not shadow one.
        debug_assert!(
            placeholder.starts_with(':')
                && !placeholder
                    .strip_prefix(":v")
                    .is_some_and(|n| n.bytes().all(|b| b.is_ascii_digit()))
        );
        self.values.insert(placeholder.to_string(), value);
        self
    }

    /// `SET path = value`.
    pub fn set(&mut self, path: &str, value: AttributeValue) -> &mut Self {
        let (path, value) = (self.name(path), self.value(value));
        self.set.push(format!("{path} = {value}"));
        self
    }

    /// `SET path = <operand>`, where the operand is written by hand with placeholders
    /// from [`Expr::name`] and [`Expr::bind`] (`if_not_exists(…)`, arithmetic).
    pub fn set_to(&mut self, path: &str, operand: &str) -> &mut Self {
        let path = self.name(path);
        self.set.push(format!("{path} = {operand}"));
        self
    }

    /// `SET path = path + by`: fails (ValidationException) if the attribute is missing,
    /// which suits counters the item is created with.
    pub fn increment(&mut self, path: &str, by: AttributeValue) -> &mut Self {
        let (path, by) = (self.name(path), self.value(by));
        self.set.push(format!("{path} = {path} + {by}"));
        self
    }

    /// `REMOVE path`.
    pub fn remove(&mut self, path: &str) -> &mut Self {
        let path = self.name(path);
        self.remove.push(path);
        self
    }

    /// `ADD path value` (numbers and sets; a missing attribute is created).
    pub fn add(&mut self, path: &str, value: AttributeValue) -> &mut Self {
        let (path, value) = (self.name(path), self.value(value));
        self.add.push(format!("{path} {value}"));
        self
    }

    /// `DELETE path value`: remove these elements from a set.
    pub fn delete(&mut self, path: &str, value: AttributeValue) -> &mut Self {
        let (path, value) = (self.name(path), self.value(value));
        self.delete.push(format!("{path} {value}"));
        self
    }

    /// The condition, written with placeholders from [`Expr::name`] and [`Expr::bind`].
    pub fn condition(&mut self, text: impl Into<String>) -> &mut Self {
        self.condition = Some(text.into());
        self
    }

    /// Add `text` to the condition with `AND` (or make it the condition).
    pub fn and(&mut self, text: &str) -> &mut Self {
        self.condition = Some(match self.condition.take() {
            Some(before) => format!("{before} AND {text}"),
            None => text.to_string(),
        });
        self
    }

    /// The update expression (`SET … REMOVE … ADD …`); `None` when there is nothing to
    /// change.
    pub fn update_text(&self) -> Option<String> {
        let clauses: Vec<String> = [
            ("SET", &self.set),
            ("REMOVE", &self.remove),
            ("ADD", &self.add),
            ("DELETE", &self.delete),
        ]
        .into_iter()
        .filter(|(_, parts)| !parts.is_empty())
        .map(|(verb, parts)| format!("{verb} {}", parts.join(", ")))
        .collect();
        (!clauses.is_empty()).then(|| clauses.join(" "))
    }

    pub fn condition_text(&self) -> Option<String> {
        self.condition.clone()
    }

    /// The names the expressions use; `None` when none (DynamoDB refuses an empty map).
    pub fn names(&self) -> Option<HashMap<String, String>> {
        self.used(&self.names)
    }

    /// The values the expressions use; `None` when none.
    pub fn values(&self) -> Option<Item> {
        self.used(&self.values)
    }

    fn used<V: Clone>(&self, all: &HashMap<String, V>) -> Option<HashMap<String, V>> {
        let texts = [self.update_text(), self.condition_text()];
        let used: HashMap<String, V> = all
            .iter()
            .filter(|(placeholder, _)| texts.iter().flatten().any(|t| mentions(t, placeholder)))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        (!used.is_empty()).then_some(used)
    }
}

/// Whether `text` uses `placeholder` as a whole token (`#a` is not used by `#ab`).
fn mentions(text: &str, placeholder: &str) -> bool {
    text.match_indices(placeholder).any(|(at, _)| {
        let next = text[at + placeholder.len()..].chars().next();
        !next.is_some_and(|c| c.is_alphanumeric() || c == '_')
    })
}

/// SDK request builders that take an [`Expr`].
pub(crate) trait WithExpr: Sized {
    fn expr(self, e: &Expr) -> Self;
}

/// Builders with an update expression.
macro_rules! with_update {
    ($($builder:ty),*) => {$(
        impl WithExpr for $builder {
            fn expr(self, e: &Expr) -> Self {
                self.set_update_expression(e.update_text())
                    .set_condition_expression(e.condition_text())
                    .set_expression_attribute_names(e.names())
                    .set_expression_attribute_values(e.values())
            }
        }
    )*};
}

/// Builders with only a condition.
macro_rules! with_condition {
    ($($builder:ty),*) => {$(
        impl WithExpr for $builder {
            fn expr(self, e: &Expr) -> Self {
                debug_assert!(e.update_text().is_none(), "an update on a condition-only call");
                self.set_condition_expression(e.condition_text())
                    .set_expression_attribute_names(e.names())
                    .set_expression_attribute_values(e.values())
            }
        }
    )*};
}

use aws_sdk_dynamodb::operation::{
    delete_item::builders::DeleteItemFluentBuilder, update_item::builders::UpdateItemFluentBuilder,
};
use aws_sdk_dynamodb::types::builders::{
    ConditionCheckBuilder, DeleteBuilder, PutBuilder, UpdateBuilder,
};

with_update!(UpdateItemFluentBuilder, UpdateBuilder);
with_condition!(
    DeleteItemFluentBuilder,
    DeleteBuilder,
    PutBuilder,
    ConditionCheckBuilder
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::codec::{n, s};

    #[test]
    fn clauses_come_out_in_set_remove_add_order_with_their_placeholders() {
        let mut e = Expr::new();
        e.set("display_name", s("Ana"))
            .set("contact.channels.sms", AttributeValue::Bool(true))
            .remove("phone")
            .add("visits", n(1u32))
            .increment("version", n(1u32));
        let v = e.name("version");
        e.condition(format!("{v} = :expected"))
            .bind(":expected", n(3u32))
            .and("attribute_exists(PK)");
        assert_eq!(
            e.update_text().unwrap(),
            "SET #display_name = :v0, #contact.#channels.#sms = :v1, #version = #version + :v3 \
             REMOVE #phone ADD #visits :v2"
        );
        assert_eq!(
            e.condition_text().unwrap(),
            "#version = :expected AND attribute_exists(PK)"
        );
        let names = e.names().unwrap();
        assert_eq!(names["#sms"], "sms");
        assert_eq!(names.len(), 7);
        let values = e.values().unwrap();
        assert_eq!(values[":v0"], s("Ana"));
        assert_eq!(values[":expected"], n(3u32));
        assert_eq!(values.len(), 5);
    }

    #[test]
    fn unused_names_and_values_are_not_sent() {
        let mut e = Expr::when("session_epoch = :epoch AND version = :version");
        e.bind(":epoch", n(1u32))
            .bind(":version", n(3u32))
            .bind(":unused", n(2u32));
        e.name("ttl");
        assert_eq!(e.update_text(), None);
        assert_eq!(e.names(), None);
        let values = e.values().unwrap();
        assert!(values.contains_key(":epoch") && values.contains_key(":version"));
        assert!(!values.contains_key(":unused"));
    }

    #[test]
    fn a_placeholder_is_used_only_as_a_whole_token() {
        assert!(mentions("#a = :v1", "#a"));
        assert!(mentions("#q.#status = :v1", "#q"));
        assert!(!mentions("#ab = :v10", "#a"));
        assert!(!mentions("#ab = :v10", ":v1"));
        assert!(mentions("x = :v1)", ":v1"));
    }
}
