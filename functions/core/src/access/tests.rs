//! Unit tests of `access` (kept apart so each file stays under 400 lines).

use super::*;
use crate::routes::FUNCTIONS;

#[test]
fn every_function_is_listed_once() {
    for function in FUNCTIONS {
        assert_eq!(
            ACCESS.iter().filter(|a| a.function == function).count(),
            1,
            "{function}"
        );
    }
    assert_eq!(ACCESS.len(), FUNCTIONS.len());
    let workers: Vec<_> = WORKER_ACCESS.iter().map(|a| a.function).collect();
    assert_eq!(workers, crate::routes::WORKERS);
}

#[test]
fn every_function_and_worker_names_its_secrets_once() {
    let names: Vec<&str> = SECRETS.iter().map(|(name, _)| *name).collect();
    let expected: Vec<&str> = FUNCTIONS
        .iter()
        .chain(crate::routes::WORKERS.iter())
        .copied()
        .collect();
    assert_eq!(names, expected);
    // Every API function checks the origin; the worker has no HTTP surface.
    for function in FUNCTIONS {
        assert!(
            secrets(function).unwrap().contains(&Secret::Origin),
            "{function}"
        );
    }
    assert_eq!(secrets("mailer"), Some(&[][..]));
    assert!(
        secrets("recommendations")
            .unwrap()
            .contains(&Secret::Server)
    );
    assert!(secrets("nope").is_none());
}

#[test]
fn registration_needs_exactly_what_sign_up_and_sign_in_do() {
    let registration = access("registration").unwrap();
    assert_eq!(
        registration.iam_actions(),
        [
            "dynamodb:ConditionCheckItem",
            "dynamodb:DeleteItem",
            "dynamodb:GetItem",
            "dynamodb:PutItem",
            "dynamodb:UpdateItem"
        ]
    );
    assert_eq!(
        access("quotes").unwrap().iam_actions(),
        [
            "dynamodb:BatchGetItem",
            "dynamodb:ConditionCheckItem",
            "dynamodb:GetItem",
            "dynamodb:PutItem",
            "dynamodb:Query",
            "dynamodb:UpdateItem"
        ]
    );
    assert!(access("nope").is_none());
}

#[test]
fn actions_are_sorted_and_unique() {
    let a = FunctionAccess {
        function: "x",
        operations: &[
            Operation::Query,
            Operation::TransactWriteItems(&[TransactWrite::Update, TransactWrite::ConditionCheck]),
            Operation::UpdateItem,
            Operation::TransactGetItems,
        ],
        gsi1: true,
    };
    assert_eq!(
        a.iam_actions(),
        [
            "dynamodb:ConditionCheckItem",
            "dynamodb:GetItem",
            "dynamodb:Query",
            "dynamodb:UpdateItem"
        ]
    );
}
