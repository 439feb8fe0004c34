//! What each function does to the store: the one list the SAM template's per-function
//! IAM policies are generated from and tested against (`tests/tests/infra_template.rs`).
//!
//! Write down the DynamoDB *operations* the code calls; the IAM *actions* follow from
//! them. They are not the same list: IAM has no `TransactWriteItems` action. Each item
//! inside a transaction is authorised as its own action (`Put` as `dynamodb:PutItem`,
//! `Update` as `dynamodb:UpdateItem`, `Delete` as `dynamodb:DeleteItem`,
//! `ConditionCheck` as `dynamodb:ConditionCheckItem`; `TransactGetItems` as
//! `dynamodb:GetItem`), see "Using IAM with DynamoDB transactions" in the DynamoDB
//! developer guide.
//!
//! Beside the store: [`SECRETS`], which Secrets Manager secrets each function reads
//! (the template's `secretsmanager:GetSecretValue` statements and ARN variables).
//!
//! When a store module starts calling a new operation, add it here, run
//! `cargo test -p ecrm-e2e --test e2e -- infra_template::`, and copy the actions it prints into
//! `infra/template.yaml`.

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

/// Per function, what it does to the store today (see `functions/core/src/store/`).
pub const ACCESS: &[FunctionAccess] = &[
    FunctionAccess {
        function: "registration",
        // store::signin: issue (a ConditionCheck on the email claim plus Puts of the
        // code and its mail), start_sign_up / mail_owner (the same shape), and the
        // transactions a right code finishes: a sign-up (Puts of the spent code,
        // profile, email claim and consent entries) or an email change (Put of the
        // spent code, Update of the profile, Delete of the old claim and the old
        // address's code, Puts of the new claim and the notice). GetItem: email claim,
        // sign-in code, profile. UpdateItem: attempt counter, session epoch, a signed-out
        // session. DeleteItem: consuming a code.
        operations: &[
            Operation::TransactWriteItems(&[
                TransactWrite::Put,
                TransactWrite::ConditionCheck,
                TransactWrite::Update,
                TransactWrite::Delete,
            ]),
            Operation::GetItem,
            Operation::UpdateItem,
            Operation::DeleteItem,
        ],
        gsi1: false,
    },
    FunctionAccess {
        function: "preferences",
        // store::profile::load (Query of the partition), erasure (Query on GSI1: the
        // customer's quotes, a visitor's quotes with their email, mail waiting in the
        // outbox; BatchGetItem: idempotency records); GetItem: profile, email claim,
        // sign-in code (a fresh proof for erasure). UpdateItem: profile change, quote
        // anonymisation, a code's attempt counter. TransactWriteItems: starting an email
        // change (ConditionCheck + Puts), addresses (Put/Delete + Update), consents
        // (Update + Put), survey responses and suggestions (Put/Update + Update + the
        // timeline entry's Put), an export's timeline entry (ConditionCheck + Put), the
        // end of an erasure (the profile's Delete + the "erasure done" mail's Put); every
        // consent change Puts its mail (receipt or opt-in link).
        // BatchWriteItem and DeleteItem: erasure, consuming a code and deleting
        // behaviour events.
        operations: &[
            Operation::Query,
            Operation::GetItem,
            Operation::BatchGetItem,
            Operation::UpdateItem,
            Operation::DeleteItem,
            Operation::BatchWriteItem,
            Operation::TransactWriteItems(&[
                TransactWrite::Put,
                TransactWrite::Update,
                TransactWrite::Delete,
                TransactWrite::ConditionCheck,
            ]),
        ],
        gsi1: true,
    },
    FunctionAccess {
        function: "quotes",
        // store::quotes: BatchGetItem (catalog items, profile, idempotency record; a
        // quote with its owner's profile), GetItem (idempotency record after a lost
        // race), Query on the table (a page of the catalog index: a list or a word)
        // and on GSI1 (a member's quotes), TransactWriteItems (Puts of
        // quote, number claim and idempotency record; acceptance by the owner is an
        // Update with a ConditionCheck on the profile's session epoch; each with the
        // Puts of its mail: quote issued, or the acknowledgement and the shop's
        // notification), UpdateItem (acceptance by a link holder when no mail goes). Seeding the catalog (BatchWriteItem) is done by
        // the runner or a deploy step, not by this function.
        operations: &[
            Operation::BatchGetItem,
            Operation::GetItem,
            Operation::Query,
            Operation::TransactWriteItems(&[
                TransactWrite::Put,
                TransactWrite::Update,
                TransactWrite::ConditionCheck,
            ]),
            Operation::UpdateItem,
        ],
        gsi1: true,
    },
    FunctionAccess {
        function: "recommendations",
        // store::events::record: a ConditionCheck on the profile (personalisation
        // granted, session holds) and Puts of the events, in one TransactWriteItems.
        // store::events::recent (Query of the customer's events) and store::recs::read
        // (BatchGetItem: profile, lists, neighbours) for a lookup.
        operations: &[
            Operation::TransactWriteItems(&[TransactWrite::Put, TransactWrite::ConditionCheck]),
            Operation::Query,
            Operation::BatchGetItem,
        ],
        gsi1: false,
    },
    FunctionAccess {
        function: "staff",
        // app::staff over store::requests: sign-in codes (TransactWriteItems: Puts of
        // the code and its mail; GetItem to check, UpdateItem to count a wrong try,
        // DeleteItem to consume), abuse counters (Update in a transaction), the inbox
        // (Query on GSI1 `DUE#<status>`), a request and its linked quote (BatchGetItem),
        // its thread (Query), the audit entry for a read (PutItem), and each change (a
        // TransactWriteItems of Puts: request, message, audit entry, mail).
        operations: &[
            Operation::TransactWriteItems(&[TransactWrite::Put, TransactWrite::Update]),
            Operation::GetItem,
            Operation::BatchGetItem,
            Operation::Query,
            Operation::PutItem,
            Operation::UpdateItem,
            Operation::DeleteItem,
        ],
        gsi1: true,
    },
];

/// What the stream workers do to the table itself (stream reads are granted on the
/// stream ARN separately, by the template, and are not table actions).
pub const WORKER_ACCESS: &[FunctionAccess] = &[
    FunctionAccess {
        function: "mailer",
        // crate::mail::deliver: deletes the outbox item it sent.
        operations: &[Operation::DeleteItem],
        gsi1: false,
    },
    FunctionAccess {
        function: "neighbours",
        // app::recs_upkeep::apply: the customer's recent events (Query), the touched
        // neighbour lists and the popularity list (BatchGetItem), the changed lists
        // written back (BatchWriteItem).
        operations: &[
            Operation::Query,
            Operation::BatchGetItem,
            Operation::BatchWriteItem,
        ],
        gsi1: false,
    },
    FunctionAccess {
        function: "escalator",
        // app::service_worker::escalate_overdue, on a schedule: overdue requests (Query
        // on GSI1 `DUE#open`, `DUE#waiting_on_shop`), each read fresh (BatchGetItem) and
        // raised a level with its mail (TransactWriteItems of Puts).
        operations: &[
            Operation::Query,
            Operation::BatchGetItem,
            Operation::TransactWriteItems(&[TransactWrite::Put]),
        ],
        gsi1: true,
    },
];

/// A Secrets Manager secret a function reads once, at cold start. The template gives a
/// function the secret's ARN in [`Secret::arn_variable`] and `secretsmanager:GetSecretValue`
/// on that one secret, and nothing else of it: the value is never in an environment
/// variable, so `lambda:GetFunctionConfiguration` does not reveal it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Secret {
    /// The server's one secret: signs session cookies, keys the hashes of sign-in codes
    /// and link tokens (`App::secret`).
    Server,
    /// The value CloudFront sends in `X-Origin-Verify` with every API request; a
    /// function refuses requests without it (they did not come through CloudFront).
    Origin,
}

impl Secret {
    /// The environment variable holding the secret's ARN in a deployed function.
    pub const fn arn_variable(self) -> &'static str {
        match self {
            Secret::Server => "ECRM_SECRET_ARN",
            Secret::Origin => "ECRM_ORIGIN_SECRET_ARN",
        }
    }

    /// The environment variable that may hold the value itself, for a run outside AWS
    /// (never set by the template).
    pub const fn value_variable(self) -> &'static str {
        match self {
            Secret::Server => "ECRM_SESSION_KEY",
            Secret::Origin => "ECRM_ORIGIN_SECRET",
        }
    }

    /// The `AWS::SecretsManager::Secret` resource in `infra/template.yaml`.
    pub const fn template_resource(self) -> &'static str {
        match self {
            Secret::Server => "SessionKeySecret",
            Secret::Origin => "OriginVerifySecret",
        }
    }
}

/// Per function, the secrets it reads. Every API function checks the origin header;
/// only the functions that sign or verify sessions or tokens read the server secret.
/// `recommendations` verifies sessions (events and a customer's recommendations).
pub const SECRETS: &[(&str, &[Secret])] = &[
    ("registration", &[Secret::Server, Secret::Origin]),
    ("preferences", &[Secret::Server, Secret::Origin]),
    ("quotes", &[Secret::Server, Secret::Origin]),
    ("recommendations", &[Secret::Server, Secret::Origin]),
    ("staff", &[Secret::Server, Secret::Origin]),
    // The mail worker renders and sends what the outbox item holds: no secret.
    ("mailer", &[]),
    // The recommendation worker reads events and writes neighbour lists: no secret.
    ("neighbours", &[]),
    // The escalation worker signs and verifies nothing.
    ("escalator", &[]),
];

/// The secrets `function` reads; `None` for a name not in [`crate::routes::FUNCTIONS`] or
/// [`crate::routes::WORKERS`].
pub fn secrets(function: &str) -> Option<&'static [Secret]> {
    SECRETS
        .iter()
        .find(|(name, _)| *name == function)
        .map(|(_, secrets)| *secrets)
}

/// What `function` does to the store; `None` for a name not in [`crate::routes::FUNCTIONS`].
pub fn access(function: &str) -> Option<&'static FunctionAccess> {
    ACCESS
        .iter()
        .chain(WORKER_ACCESS)
        .find(|a| a.function == function)
}

#[cfg(test)]
mod tests {
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
                Operation::TransactWriteItems(&[
                    TransactWrite::Update,
                    TransactWrite::ConditionCheck,
                ]),
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
}
