//! What each function does to the store: the one list the SAM template's per-function
//! IAM policies are generated from and tested against
//! (`tests/tests/infra_template_access.rs`).
//!
//! Write down the DynamoDB *operations* the code calls; the IAM *actions* follow from
//! them. They are not the same list: IAM has no `TransactWriteItems` action. Each item
//! inside a transaction is authorised as its own action (`Put` as `dynamodb:PutItem`,
//! `Update` as `dynamodb:UpdateItem`, `Delete` as `dynamodb:DeleteItem`,
//! `ConditionCheck` as `dynamodb:ConditionCheckItem`; `TransactGetItems` as
//! `dynamodb:GetItem`), see "Using IAM with DynamoDB transactions" in the DynamoDB
//! developer guide.
//!
//! The lists are in `access/functions.rs` ([`ACCESS`], [`WORKER_ACCESS`]). Beside the
//! store: [`SECRETS`] in `access/secrets.rs`, which Secrets Manager secrets each function
//! reads (the template's `secretsmanager:GetSecretValue` statements and ARN variables).
//!
//! When a store module starts calling a new operation, add it to [`ACCESS`], run
//! `cargo test -p ecrm-e2e --test e2e -- infra_template`, and copy the actions it prints
//! into `infra/template.yaml`.

mod functions;
mod secrets;

pub use functions::*;
pub use secrets::*;

/// One kind of write inside a `TransactWriteItems` request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransactWrite {
    Put,
    Update,
    Delete,
    ConditionCheck,
}

/// A DynamoDB API operation that a function's code calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operation {
    GetItem,
    BatchGetItem,
    BatchWriteItem,
    Query,
    PutItem,
    UpdateItem,
    DeleteItem,
    /// `TransactWriteItems` with the kinds of item it carries.
    TransactWriteItems(&'static [TransactWrite]),
    TransactGetItems,
}

impl Operation {
    /// The IAM actions this operation needs.
    pub const fn iam_actions(self) -> &'static [&'static str] {
        match self {
            Operation::GetItem | Operation::TransactGetItems => &["dynamodb:GetItem"],
            Operation::BatchGetItem => &["dynamodb:BatchGetItem"],
            Operation::BatchWriteItem => &["dynamodb:BatchWriteItem"],
            Operation::Query => &["dynamodb:Query"],
            Operation::PutItem => &["dynamodb:PutItem"],
            Operation::UpdateItem => &["dynamodb:UpdateItem"],
            Operation::DeleteItem => &["dynamodb:DeleteItem"],
            // The items decide; see `TransactWrite::iam_action`.
            Operation::TransactWriteItems(_) => &[],
        }
    }
}

impl TransactWrite {
    pub const fn iam_action(self) -> &'static str {
        match self {
            TransactWrite::Put => "dynamodb:PutItem",
            TransactWrite::Update => "dynamodb:UpdateItem",
            TransactWrite::Delete => "dynamodb:DeleteItem",
            TransactWrite::ConditionCheck => "dynamodb:ConditionCheckItem",
        }
    }
}

/// What one function does to the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FunctionAccess {
    /// Function name, as in [`crate::routes::FUNCTIONS`].
    pub function: &'static str,
    /// Every DynamoDB operation its code calls today.
    pub operations: &'static [Operation],
    /// Whether it reads the `GSI1` index (the policy then also covers
    /// `<table arn>/index/GSI1`).
    pub gsi1: bool,
}

impl FunctionAccess {
    /// The IAM actions the function needs on the table: sorted, without duplicates.
    /// Empty when it does not touch the store (its role then has no DynamoDB policy).
    pub fn iam_actions(&self) -> Vec<&'static str> {
        let mut actions: Vec<&'static str> = Vec::new();
        for op in self.operations {
            actions.extend_from_slice(op.iam_actions());
            if let Operation::TransactWriteItems(items) = op {
                actions.extend(items.iter().map(|i| i.iam_action()));
            }
        }
        actions.sort_unstable();
        actions.dedup();
        actions
    }
}

/// What `function` does to the store; `None` for a name not in [`crate::routes::FUNCTIONS`].
pub fn access(function: &str) -> Option<&'static FunctionAccess> {
    ACCESS
        .iter()
        .chain(WORKER_ACCESS)
        .find(|a| a.function == function)
}

#[cfg(test)]
mod tests;
