//! Key layout of the single table (see ../shared/design.md section 3): every kind of
//! item, its `kind` attribute and how its `PK`/`SK` are made. The key strings are
//! written here and nowhere else.

use super::codec::{Item, s};
use std::collections::HashMap;

pub const PK: &str = "PK";
pub const SK: &str = "SK";
/// The one overloaded index and its keys.
pub const GSI1: &str = "GSI1";
pub const GSI1PK: &str = "GSI1PK";
pub const GSI1SK: &str = "GSI1SK";

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
    /// it; `ttl` [`EVENT_TTL_SECONDS`].
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

pub fn customer_pk(customer_id: &str) -> String {
    format!("{}{customer_id}", ItemKind::Profile.pk_prefix())
}

pub const PROFILE_SK: &str = ItemKind::Profile.sk();

/// The consent ledger's partition (its own: it only grows, and `GET /api/me` must cost
/// the same after a thousand changes as after one).
pub fn ledger_pk(customer_id: &str) -> String {
    format!("{}{customer_id}", ItemKind::Consent.pk_prefix())
}

/// The timeline's partition.
pub fn timeline_pk(customer_id: &str) -> String {
    format!("{}{customer_id}", ItemKind::TimelineEntry.pk_prefix())
}

/// A timeline entry's sort key: time, then a unique suffix (entries written at the same
/// instant, like a sign-up and its welcome mail, both stay).
pub fn timeline_sk(at: &str, seq: &str) -> String {
    format!("{}{at}#{seq}", ItemKind::TimelineEntry.sk())
}

pub fn survey_sk(survey_id: &str) -> String {
    format!("{}{survey_id}", ItemKind::SurveyResponse.sk())
}

/// Every partition that belongs to one customer (the profile's and those kept apart so
/// profile reads stay small): export reads them all, erasure deletes them all. A new
/// per-customer partition must be listed here.
pub fn customer_partitions(customer_id: &str) -> [String; 5] {
    [
        customer_pk(customer_id),
        ledger_pk(customer_id),
        timeline_pk(customer_id),
        events_pk(customer_id),
        service_pk(customer_id),
    ]
}

/// The sort-key range `GET /api/me` reads: the addresses and the profile, nothing else
/// (`ADDRESS#…` < `CONSENT#…` < `EVENT#…` < `PROFILE` < `SURVEY#…`; the ledger and the
/// events live in partitions of their own).
pub const ME_RANGE: (&str, &str) = (ItemKind::Address.sk(), ItemKind::Profile.sk());

pub fn email_pk(normalised_email: &str) -> String {
    format!("{}{normalised_email}", ItemKind::EmailClaim.pk_prefix())
}

pub const EMAIL_SK: &str = ItemKind::EmailClaim.sk();

pub fn consent_sk(at: &str, purpose: &str) -> String {
    format!("{CONSENT_PREFIX}{at}#{purpose}")
}

/// Sign-in codes are keyed by a keyed hash of the email, never the email itself.
pub fn signin_pk(email_hash: &str) -> String {
    format!("{}{email_hash}", ItemKind::SignIn.pk_prefix())
}

pub const SIGNIN_SK: &str = ItemKind::SignIn.sk();

pub fn outbox_pk(mail_id: &str) -> String {
    format!("{}{mail_id}", ItemKind::Outbox.pk_prefix())
}

pub const OUTBOX_SK: &str = ItemKind::Outbox.sk();
/// Pending mail is listed on GSI1 under this partition, oldest first.
pub const OUTBOX_GSI1PK: &str = "OUTBOX";

pub fn item_pk(sku: &str) -> String {
    format!("{}{sku}", ItemKind::CatalogItem.pk_prefix())
}

pub const ITEM_SK: &str = ItemKind::CatalogItem.sk();
/// Every catalog item is listed on GSI1 under this partition, featured first
/// ([`catalog_rank_sk`]).
pub const CATALOG_GSI1PK: &str = "CATALOG";

/// The word partition holding every index word that starts like `word`.
pub fn catalog_word_pk(word: &str) -> String {
    let first = word.chars().next().map(String::from).unwrap_or_default();
    format!("{}{first}", ItemKind::CatalogWord.pk_prefix())
}

/// The GSI1 sort key of a catalog item: featured items (rank 0) before the rest
/// (rank 1), then by SKU.
pub fn catalog_rank_sk(featured: bool, sku: &str) -> String {
    format!("{}#{sku}", if featured { '0' } else { '1' })
}

pub fn catalog_word_sk(word: &str, chunk: usize) -> String {
    format!("{word}#{chunk:03}")
}

pub fn quote_pk(quote_id: &str) -> String {
    format!("{}{quote_id}", ItemKind::Quote.pk_prefix())
}

pub const QUOTE_SK: &str = ItemKind::Quote.sk();

/// A member's quotes are listed on GSI1 under `CUSTOMER#<id>` by `QUOTE#<time>`.
pub const QUOTE_GSI1SK_PREFIX: &str = "QUOTE#";

pub fn quote_gsi1sk(created_at: &str) -> String {
    format!("{QUOTE_GSI1SK_PREFIX}{created_at}")
}

/// Makes quote numbers unique.
pub fn quote_number_pk(number: &str) -> String {
    format!("{}{number}", ItemKind::QuoteNumber.pk_prefix())
}

pub const QUOTE_NUMBER_SK: &str = ItemKind::QuoteNumber.sk();

/// Idempotency records are keyed by a hash of the scope and the client's key.
/// GSI1 partition of a visitor's quotes made with one contact email, keyed by a keyed
/// hash of the email (never the email): erasure and export find them there.
pub const CONTACT_PREFIX: &str = "CONTACT#";

pub fn contact_pk(email_key: &str) -> String {
    format!("{CONTACT_PREFIX}{email_key}")
}

pub fn idempotency_pk(key_hash: &str) -> String {
    format!("{}{key_hash}", ItemKind::Idempotency.pk_prefix())
}

pub const IDEMPOTENCY_SK: &str = ItemKind::Idempotency.sk();

pub fn address_sk(address_id: &str) -> String {
    format!("{ADDRESS_PREFIX}{address_id}")
}

pub const ADDRESS_PREFIX: &str = ItemKind::Address.sk();
pub const CONSENT_PREFIX: &str = ItemKind::Consent.sk();

/// Behaviour events expire this long after they happen (the privacy policy says so).
pub const EVENT_TTL_SECONDS: i64 = 180 * 24 * 60 * 60;

/// The partition of a customer's behaviour events.
pub fn events_pk(customer_id: &str) -> String {
    format!("{}{customer_id}", ItemKind::Event.pk_prefix())
}

/// An event's sort key: time first (fixed-width RFC 3339, so newest sorts last), then
/// what happened and its place in its batch (events of one request share the time).
pub fn event_sk(at: &str, kind: &str, n: usize) -> String {
    format!("{at}#{kind}#{n:02}")
}

pub const NEIGHBOURS_SK: &str = ItemKind::Neighbours.sk();
pub const OWNED_SK: &str = ItemKind::OwnedItems.sk();
pub const RECS_LIST_SK: &str = ItemKind::RecsList.sk();

/// A precomputed list: `popular`, or `topic#<id>`.
pub fn recs_list_pk(list: &str) -> String {
    format!("{}{list}", ItemKind::RecsList.pk_prefix())
}

/// A customer's service partition: their requests (references) and the audit trail of
/// staff reads and actions. Its own partition, so profile reads never touch it.
pub fn service_pk(customer_id: &str) -> String {
    format!("{}{customer_id}", ItemKind::RequestRef.pk_prefix())
}

pub fn request_pk(request_id: &str) -> String {
    format!("{}{request_id}", ItemKind::ServiceRequest.pk_prefix())
}

pub const REQUEST_SK: &str = ItemKind::ServiceRequest.sk();
pub const MESSAGE_PREFIX: &str = ItemKind::RequestMessage.sk();
pub const REQUEST_REF_PREFIX: &str = ItemKind::RequestRef.sk();
pub const AUDIT_PREFIX: &str = ItemKind::AuditEntry.sk();
pub const ORDER_SK: &str = ItemKind::OrderIndex.sk();

pub fn message_sk(at: &str, message_id: &str) -> String {
    format!("{MESSAGE_PREFIX}{at}#{message_id}")
}

pub fn request_ref_sk(request_id: &str) -> String {
    format!("{REQUEST_REF_PREFIX}{request_id}")
}

pub fn audit_sk(at: &str, entry_id: &str) -> String {
    format!("{AUDIT_PREFIX}{at}#{entry_id}")
}

/// GSI1 partition of requests in one status (the staff inbox; the worker reads the
/// statuses where the shop owes an answer), sorted by [`due_gsi1sk`].
pub fn due_gsi1pk(status: &str) -> String {
    format!("DUE#{status}")
}

pub fn due_gsi1sk(due_at: &str, request_id: &str) -> String {
    format!("{due_at}#{request_id}")
}

/// GSI1 partition of order requests in one status, oldest first.
pub fn orders_gsi1pk(status: &str) -> String {
    format!("ORDERS#{status}")
}

/// A primary key (`PK`, `SK`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Key {
    pub pk: String,
    pub sk: String,
}

impl Key {
    pub fn new(pk: impl Into<String>, sk: impl Into<String>) -> Self {
        Self {
            pk: pk.into(),
            sk: sk.into(),
        }
    }

    pub fn profile(customer_id: &str) -> Self {
        Self::new(customer_pk(customer_id), PROFILE_SK)
    }

    pub fn email_claim(normalised_email: &str) -> Self {
        Self::new(email_pk(normalised_email), EMAIL_SK)
    }

    pub fn address(customer_id: &str, address_id: &str) -> Self {
        Self::new(customer_pk(customer_id), address_sk(address_id))
    }

    pub fn signin(email_hash: &str) -> Self {
        Self::new(signin_pk(email_hash), SIGNIN_SK)
    }

    pub fn catalog_item(sku: &str) -> Self {
        Self::new(item_pk(sku), ITEM_SK)
    }

    pub fn catalog_version() -> Self {
        Self::new(
            format!("{}VERSION", ItemKind::CatalogVersion.pk_prefix()),
            ItemKind::CatalogVersion.sk(),
        )
    }

    pub fn neighbours(sku: &str) -> Self {
        Self::new(item_pk(sku), NEIGHBOURS_SK)
    }

    pub fn recs_list(list: &str) -> Self {
        Self::new(recs_list_pk(list), RECS_LIST_SK)
    }

    pub fn quote(quote_id: &str) -> Self {
        Self::new(quote_pk(quote_id), QUOTE_SK)
    }

    pub fn quote_number(number: &str) -> Self {
        Self::new(quote_number_pk(number), QUOTE_NUMBER_SK)
    }

    pub fn idempotency(key_hash: &str) -> Self {
        Self::new(idempotency_pk(key_hash), IDEMPOTENCY_SK)
    }

    /// The key of a stored item; `None` when it lacks either key attribute.
    pub fn of(item: &Item) -> Option<Self> {
        let text = |name: &str| item.get(name)?.as_s().ok().cloned();
        Some(Self::new(text(PK)?, text(SK)?))
    }

    /// The key as the attribute map that GetItem, UpdateItem, DeleteItem and the batch
    /// calls take.
    pub fn item(&self) -> Item {
        HashMap::from([(PK.to_string(), s(&self.pk)), (SK.to_string(), s(&self.sk))])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_have_the_designed_shape() {
        assert_eq!(Key::profile("C1"), Key::new("CUSTOMER#C1", "PROFILE"));
        assert_eq!(Key::email_claim("a@b.c"), Key::new("EMAIL#a@b.c", "EMAIL"));
        assert_eq!(
            Key::address("C1", "A1"),
            Key::new("CUSTOMER#C1", "ADDRESS#A1")
        );
        assert_eq!(consent_sk("T", "account"), "CONSENT#T#account");
        assert_eq!(Key::signin("h"), Key::new("SIGNIN#h", "SIGNIN"));
        assert_eq!(Key::catalog_item("S1"), Key::new("ITEM#S1", "ITEM"));
        assert_eq!(
            Key::catalog_version(),
            Key::new("CATALOG#VERSION", "VERSION")
        );
        assert_eq!(catalog_word_pk("heart"), "CATWORD#h");
        assert_eq!(catalog_word_sk("heart", 2), "heart#002");
        assert_eq!(catalog_rank_sk(false, "22423"), "1#22423");
        assert_eq!(Key::quote("Q1"), Key::new("QUOTE#Q1", "QUOTE"));
        assert_eq!(quote_gsi1sk("T"), "QUOTE#T");
        assert_eq!(Key::quote_number("N"), Key::new("QUOTENO#N", "QUOTENO"));
        assert_eq!(
            Key::idempotency("h"),
            Key::new("IDEMPOTENCY#h", "IDEMPOTENCY")
        );
        assert_eq!(outbox_pk("M"), "OUTBOX#M");
        assert_eq!(OUTBOX_SK, "OUTBOX");
        assert_eq!(events_pk("C1"), "EVENTS#C1");
        assert_eq!(event_sk("T", "item_viewed", 3), "T#item_viewed#03");
        assert_eq!(Key::neighbours("S1"), Key::new("ITEM#S1", "NEIGHBOURS"));
        assert_eq!(Key::recs_list("popular"), Key::new("RECS#popular", "LIST"));
        assert_eq!(ledger_pk("C1"), "LEDGER#C1");
        assert_eq!(
            Key::new(timeline_pk("C1"), timeline_sk("T", "S")),
            Key::new("TIMELINE#C1", "ENTRY#T#S")
        );
        assert_eq!(survey_sk("s1"), "SURVEY#s1");
    }

    #[test]
    fn the_profile_range_holds_only_addresses_and_the_profile() {
        let (from, to) = ME_RANGE;
        let inside = |sk: &str| from <= sk && sk <= to;
        assert!(inside("ADDRESS#01J") && inside("PROFILE"));
        assert!(!inside("SURVEY#s1"));
        // Kinds kept in the customer's partition besides these sort outside the range
        // or live elsewhere.
        for kind in ItemKind::ALL {
            if kind.pk_prefix() == "CUSTOMER#"
                && !matches!(kind, ItemKind::Profile | ItemKind::Address)
            {
                assert!(!inside(kind.sk()), "{kind:?}");
            }
        }
    }

    #[test]
    fn kinds_round_trip_through_their_names_and_sort_keys() {
        for kind in ItemKind::ALL {
            let item = HashMap::from([("kind".to_string(), s(kind.name()))]);
            assert_eq!(ItemKind::of(&item), Some(kind));
        }
        let sk = |k: &str| ItemKind::in_customer_partition(k);
        assert_eq!(sk("PROFILE"), Some(ItemKind::Profile));
        assert_eq!(sk("ADDRESS#A1"), Some(ItemKind::Address));
        assert_eq!(sk("CONSENT#T#account"), Some(ItemKind::Consent));
        assert_eq!(sk("EVENT#T"), None);
        assert_eq!(sk("PROFILEX"), None);
        assert_eq!(sk("SOMETHING#else"), None);
    }

    #[test]
    fn service_keys_have_the_designed_shape() {
        assert_eq!(service_pk("C1"), "SERVICE#C1");
        assert_eq!(request_pk("R1"), "REQUEST#R1");
        assert_eq!(REQUEST_SK, "REQUEST");
        assert_eq!(message_sk("T", "M1"), "MESSAGE#T#M1");
        assert_eq!(request_ref_sk("R1"), "REQUEST#R1");
        assert_eq!(audit_sk("T", "A1"), "AUDIT#T#A1");
        assert_eq!(due_gsi1pk("open"), "DUE#open");
        assert_eq!(due_gsi1sk("T", "R1"), "T#R1");
        assert_eq!(orders_gsi1pk("received"), "ORDERS#received");
        assert_eq!(ORDER_SK, "ORDER");
        // The service partition is one of the customer's: export reads it, erasure
        // deletes it.
        assert!(customer_partitions("C1").contains(&"SERVICE#C1".to_string()));
    }

    #[test]
    fn a_key_reads_back_from_its_item() {
        let key = Key::quote("Q1");
        let mut item = key.item();
        item.insert("kind".into(), s("quote"));
        assert_eq!(Key::of(&item), Some(key));
        assert_eq!(Key::of(&HashMap::new()), None);
    }
}
