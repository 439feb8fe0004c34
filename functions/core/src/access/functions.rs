//! Per function and per stream worker, what it does to the store today (see
//! `functions/core/src/store/`).

use super::{FunctionAccess, Operation, TransactWrite};

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
