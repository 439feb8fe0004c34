//! Every kind of item the table holds: its `kind` attribute, partition-key prefix and
//! sort key.

use crate::store::codec::Item;

/// Every kind of item the table holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ItemKind {
    /// `CUSTOMER#<id>` / `PROFILE`.
    Profile,
    /// `EMAIL#<normalised email>` / `EMAIL`: makes emails unique.
    EmailClaim,
    /// `CUSTOMER#<id>` / `ADDRESS#<id>`.
    Address,
    /// `LEDGER#<id>` / `CONSENT#<time>#<purpose>`: the append-only consent ledger, in
    /// its own partition so reading the profile never reads it (it only grows).
    Consent,
    /// `EVENTS#<customer id>` / `<time>#<kind>#<n>`: behaviour, kept only with the
    /// personalisation consent, in a partition of its own so profile reads never touch
    /// it; `ttl` [`EVENT_TTL_SECONDS`](super::EVENT_TTL_SECONDS).
    Event,
    /// `SIGNIN#<keyed hash of email>` / `SIGNIN`.
    SignIn,
    /// `OUTBOX#<id>` / `OUTBOX`.
    Outbox,
    /// `ITEM#<sku>` / `ITEM`.
    CatalogItem,
    /// `QUOTE#<id>` / `QUOTE`.
    Quote,
    /// `QUOTENO#<number>` / `QUOTENO`: makes quote numbers unique.
    QuoteNumber,
    /// `IDEMPOTENCY#<hash>` / `IDEMPOTENCY`.
    Idempotency,
    /// `LIMIT#<what>#<whose key>#<window>` / `LIMIT`: an abuse-limit counter, with TTL.
    Limit,
    /// `TIMELINE#<id>` / `ENTRY#<time>#<seq>`: one line of the customer's timeline, in
    /// its own partition (read page by page, never with the profile).
    TimelineEntry,
    /// `CUSTOMER#<id>` / `SURVEY#<survey id>`: the customer's answer to (or skip of)
    /// one survey; sorts after `PROFILE`, outside the range `GET /api/me` reads.
    SurveyResponse,
    /// `REQUEST#<id>` / `REQUEST`: a service request; on GSI1 under `DUE#<status>` /
    /// `<due time>#<id>` (the staff inbox and the escalation worker read that index).
    ServiceRequest,
    /// `REQUEST#<id>` / `MESSAGE#<time>#<id>`: one message of a request's thread.
    RequestMessage,
    /// `SERVICE#<customer id>` / `REQUEST#<request id>`: a customer's request, listed in
    /// their service partition (kept apart so profile reads never touch it).
    RequestRef,
    /// `SERVICE#<customer id>` / `AUDIT#<time>#<id>`: one staff read or action on the
    /// customer's data; append-only, exported with the customer's data.
    AuditEntry,
    /// `QUOTE#<id>` / `ORDER`: an order request (an accepted quote) on GSI1 under
    /// `ORDERS#<status>` / `<time>#<quote id>`, for the staff inbox.
    OrderIndex,
    /// `ITEM#<sku>` / `NEIGHBOURS`: the item's top co-occurring items with scores.
    Neighbours,
    /// `RECS#<list>` / `LIST`: a precomputed list (`popular`, `topic#<id>`).
    RecsList,
    /// `EVENTS#<customer id>` / `~OWNED`: the SKUs of the customer's accepted quotes
    /// (never recommended again), beside their events; sorts after every event, so the
    /// newest-first Query of the events reads it first.
    OwnedItems,
    /// `CATWORD#<first character>` / `<word>#<chunk>`: the catalog items holding one
    /// word in their names (copies, written by the seed), so a word prefix is one
    /// Query of a key range.
    CatalogWord,
    /// `CATALOG#VERSION` / `VERSION`: which catalog the seed last wrote whole.
    CatalogVersion,
}

impl ItemKind {
    pub const ALL: [ItemKind; 24] = [
        ItemKind::Profile,
        ItemKind::EmailClaim,
        ItemKind::Address,
        ItemKind::Consent,
        ItemKind::Event,
        ItemKind::SignIn,
        ItemKind::Outbox,
        ItemKind::CatalogItem,
        ItemKind::Quote,
        ItemKind::QuoteNumber,
        ItemKind::Idempotency,
        ItemKind::Limit,
        ItemKind::TimelineEntry,
        ItemKind::SurveyResponse,
        ItemKind::Neighbours,
        ItemKind::RecsList,
        ItemKind::OwnedItems,
        ItemKind::ServiceRequest,
        ItemKind::RequestMessage,
        ItemKind::RequestRef,
        ItemKind::AuditEntry,
        ItemKind::OrderIndex,
        ItemKind::CatalogWord,
        ItemKind::CatalogVersion,
    ];

    /// The `kind` attribute every item carries (stream consumers and tests filter on it).
    pub const fn name(self) -> &'static str {
        match self {
            ItemKind::Profile => "customer",
            ItemKind::EmailClaim => "email_claim",
            ItemKind::Address => "address",
            ItemKind::Consent => "consent",
            ItemKind::Event => "event",
            ItemKind::SignIn => "signin",
            ItemKind::Outbox => "outbox",
            ItemKind::CatalogItem => "catalog_item",
            ItemKind::Quote => "quote",
            ItemKind::QuoteNumber => "quote_number",
            ItemKind::Idempotency => "idempotency",
            ItemKind::Limit => "limit",
            ItemKind::TimelineEntry => "timeline_entry",
            ItemKind::SurveyResponse => "survey_response",
            ItemKind::ServiceRequest => "service_request",
            ItemKind::RequestMessage => "request_message",
            ItemKind::RequestRef => "request_ref",
            ItemKind::AuditEntry => "audit_entry",
            ItemKind::OrderIndex => "order",
            ItemKind::Neighbours => "neighbours",
            ItemKind::RecsList => "recs_list",
            ItemKind::OwnedItems => "owned_items",
            ItemKind::CatalogWord => "catalog_word",
            ItemKind::CatalogVersion => "catalog_version",
        }
    }

    /// The partition key's prefix; the owner's or the item's own id follows it.
    pub const fn pk_prefix(self) -> &'static str {
        match self {
            ItemKind::Profile | ItemKind::Address | ItemKind::SurveyResponse => "CUSTOMER#",
            ItemKind::Event | ItemKind::OwnedItems => "EVENTS#",
            ItemKind::Consent => "LEDGER#",
            ItemKind::TimelineEntry => "TIMELINE#",
            ItemKind::EmailClaim => "EMAIL#",
            ItemKind::SignIn => "SIGNIN#",
            ItemKind::Outbox => "OUTBOX#",
            ItemKind::CatalogItem | ItemKind::Neighbours => "ITEM#",
            ItemKind::Quote => "QUOTE#",
            ItemKind::QuoteNumber => "QUOTENO#",
            ItemKind::Idempotency => "IDEMPOTENCY#",
            ItemKind::Limit => "LIMIT#",
            ItemKind::ServiceRequest | ItemKind::RequestMessage => "REQUEST#",
            ItemKind::RequestRef | ItemKind::AuditEntry => "SERVICE#",
            ItemKind::OrderIndex => "QUOTE#",
            ItemKind::RecsList => "RECS#",
            ItemKind::CatalogWord => "CATWORD#",
            ItemKind::CatalogVersion => "CATALOG#",
        }
    }

    /// The sort key of a kind with one item per partition, or the sort key's prefix of
    /// a kind with many items in the customer's partition (ending in `#`).
    pub const fn sk(self) -> &'static str {
        match self {
            ItemKind::Profile => "PROFILE",
            ItemKind::EmailClaim => "EMAIL",
            ItemKind::Address => "ADDRESS#",
            ItemKind::Consent => "CONSENT#",
            // Events own their partition: the sort key is `<time>#<kind>#<n>`.
            ItemKind::Event => "",
            ItemKind::SignIn => "SIGNIN",
            ItemKind::Outbox => "OUTBOX",
            ItemKind::CatalogItem => "ITEM",
            ItemKind::Quote => "QUOTE",
            ItemKind::QuoteNumber => "QUOTENO",
            ItemKind::Idempotency => "IDEMPOTENCY",
            ItemKind::Limit => "LIMIT",
            ItemKind::TimelineEntry => "ENTRY#",
            ItemKind::SurveyResponse => "SURVEY#",
            ItemKind::ServiceRequest => "REQUEST",
            ItemKind::RequestMessage => "MESSAGE#",
            ItemKind::RequestRef => "REQUEST#",
            ItemKind::AuditEntry => "AUDIT#",
            ItemKind::OrderIndex => "ORDER",
            ItemKind::Neighbours => "NEIGHBOURS",
            ItemKind::RecsList => "LIST",
            ItemKind::OwnedItems => "~OWNED",
            // Sort keys are the words themselves: no fixed prefix.
            ItemKind::CatalogWord => "",
            ItemKind::CatalogVersion => "VERSION",
        }
    }

    /// The kind named by an item's `kind` attribute.
    pub fn of(item: &Item) -> Option<ItemKind> {
        let name = item.get("kind")?.as_s().ok()?;
        ItemKind::ALL.into_iter().find(|k| k.name() == name)
    }

    /// The kind of an item in one of a customer's partitions, by its sort key.
    pub fn in_customer_partition(sk: &str) -> Option<ItemKind> {
        [
            ItemKind::Profile,
            ItemKind::Address,
            ItemKind::Consent,
            ItemKind::SurveyResponse,
            ItemKind::TimelineEntry,
        ]
        .into_iter()
        .find(|k| {
            let tag = k.sk();
            if tag.ends_with('#') {
                sk.starts_with(tag)
            } else {
                sk == tag
            }
        })
    }
}
