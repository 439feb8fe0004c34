//! Instant quotes: price a request from the stored catalog, keep it, show it to its
//! owner or the holder of its link, accept it, and list a member's quotes page by page.
//!
//! A visitor's link token is `HMAC(server secret, "quote-link", quote id)`: an
//! idempotent replay can hand it out again without it ever being stored in clear; only
//! its hash is stored. Anyone else gets "not found", so a quote's existence is not
//! revealed.

use super::quote_mail::{QuoteEvent, quote_mails};
use super::sessions::{contact_key, purpose};
use super::views::QuoteView;
use super::{App, AppError, live};
use crate::domain::clock::Timestamp;
use crate::domain::customer::Language;
use crate::domain::events::{Event, EventKind};
use crate::domain::quote::{
    Contact, Quote, QuoteRequest, ShownStatus, check_request, price_request,
};
use crate::domain::session::SessionClaims;
use crate::site_config;
use crate::store::StoreError;
use crate::store::customers::ProfileItem;
use crate::store::events::{self as event_store, EventItem};
use crate::store::quotes::{
    self as quote_store, Acceptor, CreateQuoteError, IdempotencyItem, NewIdempotency, QuoteItem,
};
use crate::store::session::SessionGuard;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

pub use super::quote_history::{DEFAULT_PAGE, MAX_PAGE, QuotePage, mine};

fn sha256(parts: &[&[u8]]) -> String {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update(part);
        hasher.update([0u8]);
    }
    URL_SAFE_NO_PAD.encode(hasher.finalize())
}

/// Compare two secrets' hashes in constant time.
fn same(a: &str, b: &str) -> bool {
    a.as_bytes().ct_eq(b.as_bytes()).into()
}

fn link_token(app: &App, quote_id: &str) -> String {
    app.secret.keyed_hash(purpose::QUOTE_LINK, quote_id)
}

fn token_hash(token: &str) -> String {
    sha256(&[purpose::QUOTE_LINK.as_bytes(), token.as_bytes()])
}

fn is_quote_id(id: &str) -> bool {
    ulid::Ulid::from_string(id).is_ok()
}

/// A new (or replayed) quote: its view, and for a visitor the link that opens it.
#[derive(Debug, Clone, PartialEq)]
pub struct Created {
    pub id: String,
    pub body: QuoteView,
    pub replayed: bool,
}

impl Created {
    fn new(app: &App, mut body: QuoteView, replayed: bool) -> Self {
        let id = body.id.clone();
        if body.customer_id.is_none() {
            let token = link_token(app, &id);
            body.link = Some(format!("/quote/view/?id={id}&token={token}"));
            body.token = Some(token);
        }
        Self { id, body, replayed }
    }
}

/// Answer a retry from its idempotency record: the same quote, or an error for a
/// different request under the same key.
fn replay(app: &App, record: &IdempotencyItem, request_hash: &str) -> Result<Created, AppError> {
    if !same(&record.request_hash, request_hash) {
        return Err(AppError::IdempotencyKeyReused);
    }
    let body: QuoteView = serde_json::from_str(&record.response)
        .map_err(|e| StoreError::Corrupt(format!("idempotency response: {e}")))?;
    Ok(Created::new(app, body, true))
}

/// Price `request` and store the quote. Round trips: one BatchGetItem (items, profile,
/// idempotency record), one TransactWriteItems (quote, number claim, idempotency
/// record). `session` is the signed session if the request carried one.
pub async fn create(
    app: &App,
    session: Option<&SessionClaims>,
    idempotency_key: Option<&str>,
    request: &QuoteRequest,
    client: Option<String>,
    page_language: Language,
) -> Result<Created, AppError> {
    let member = session.is_some();
    if !member {
        app.limit(vec![(
            "quote-client",
            client,
            app.limits.visitor_quotes_per_client,
        )])
        .await?;
    }
    let checked =
        check_request(request, member, site_config::facts()).map_err(AppError::Invalid)?;
    // Keys are scoped to the member, or to a visitor's contact email: a stranger who
    // sends the same key is never handed another visitor's quote and link.
    let scope = match (session, &checked.contact) {
        (Some(session), _) => format!("member:{}", session.cid),
        (None, Some(contact)) => format!("visitor:{}", contact.email),
        (None, None) => "visitor".to_string(),
    };
    let key_hash =
        idempotency_key.map(|k| sha256(&[b"quote-idempotency", scope.as_bytes(), k.as_bytes()]));
    let request_hash = sha256(&[
        b"quote-request",
        scope.as_bytes(),
        &serde_json::to_vec(request).unwrap_or_default(),
    ]);

    let skus: Vec<String> = checked.lines.iter().map(|(sku, _)| sku.clone()).collect();
    let prefetched = quote_store::prefetch(
        &app.store,
        &skus,
        session.map(|c| c.cid.as_str()),
        key_hash.as_deref(),
    )
    .await?;
    let contact = match (session, checked.contact.clone()) {
        (Some(session), _) => {
            let profile = live(session, prefetched.profile.as_ref())?;
            Contact {
                name: profile.display_name.clone(),
                email: profile.email.clone(),
            }
        }
        (None, Some(contact)) => contact,
        (None, None) => return Err(AppError::Internal("visitor quote without a contact")),
    };
    let now_unix = app.clock.unix();
    if let Some(record) = prefetched
        .idempotency
        .as_ref()
        .filter(|r| r.is_live(now_unix))
    {
        return replay(app, record, &request_hash);
    }
    let priced = price_request(&checked, &prefetched.items, member).map_err(AppError::Invalid)?;
    // A member's quote lines count as interest, while they grant personalisation.
    let events = match (session, prefetched.profile.as_ref()) {
        (Some(session), Some(profile)) if profile.consents.personalisation => {
            line_events(app, &session.cid, &skus, EventKind::QuoteRequested)
        }
        _ => Vec::new(),
    };

    // A new id on the (astronomically rare) clash of quote numbers.
    for _ in 0..3 {
        let id = ulid::Ulid::new();
        let at = app.clock.now();
        let quote = Quote::issue(
            &id,
            at,
            session.map(|c| c.cid.clone()),
            contact.clone(),
            checked.country.clone(),
            priced.clone(),
        );
        let body = QuoteView::of(&quote, Timestamp::at(at));
        let token_hash = (!member).then(|| token_hash(&link_token(app, &quote.id)));
        let response = serde_json::to_string(&body)
            .map_err(|e| StoreError::Corrupt(format!("quote view: {e}")))?;
        let idempotency = key_hash.as_ref().map(|key_hash| NewIdempotency {
            key_hash: key_hash.clone(),
            request_hash: request_hash.clone(),
            response,
            now_unix,
        });
        let mut item =
            QuoteItem::new(&quote, token_hash).with_contact_key(&contact_key(app, &contact.email));
        if let Some(key_hash) = &key_hash {
            item = item.with_idempotency(key_hash);
        }
        let token = (!member).then(|| link_token(app, &quote.id));
        let mails = quote_mails(
            app,
            &quote,
            prefetched.profile.as_ref(),
            page_language,
            token.as_deref(),
            QuoteEvent::Issued,
        );
        match quote_store::create_with_events(
            &app.store,
            &item,
            idempotency.as_ref(),
            &events,
            &mails,
        )
        .await
        {
            Ok(()) => {
                tracing::info!(quote_id = %quote.id, member, lines = quote.lines.len(), "quote issued");
                return Ok(Created::new(app, body, false));
            }
            Err(CreateQuoteError::KeyTaken) => {
                // Another request with this key won the race: answer as it did.
                let hash = key_hash.as_deref().unwrap_or_default();
                return match quote_store::get_idempotency(&app.store, hash).await? {
                    Some(record) => replay(app, &record, &request_hash),
                    None => {
                        Err(StoreError::Unavailable("idempotency record missing".into()).into())
                    }
                };
            }
            Err(CreateQuoteError::Clash) => continue,
            Err(CreateQuoteError::Store(error)) => return Err(error.into()),
        }
    }
    Err(StoreError::Unavailable("quote numbers kept clashing".into()).into())
}

/// Who is asking to see a quote.
#[derive(Debug, Clone)]
pub enum Reader {
    /// The holder of a visitor's link.
    Token(String),
    /// A signed-in member (their session).
    Member(SessionClaims),
}

/// The quote if `reader` may see it.
async fn readable(app: &App, id: &str, reader: &Reader) -> Result<QuoteItem, AppError> {
    readable_with_owner(app, id, reader)
        .await
        .map(|(quote, _)| quote)
}

/// The quote if `reader` may see it, with its member owner's profile (read at once).
async fn readable_with_owner(
    app: &App,
    id: &str,
    reader: &Reader,
) -> Result<(QuoteItem, Option<ProfileItem>), AppError> {
    if !is_quote_id(id) {
        return Err(AppError::QuoteNotFound);
    }
    let quote = match reader {
        Reader::Token(token) => {
            let (quote, _) = quote_store::get(&app.store, id, None).await?;
            quote
                .filter(|q| {
                    q.token_hash
                        .as_deref()
                        .is_some_and(|h| same(h, &token_hash(token)))
                })
                .map(|q| (q, None))
        }
        Reader::Member(claims) => {
            let (quote, profile) = quote_store::get(&app.store, id, Some(&claims.cid)).await?;
            quote
                .filter(|q| {
                    q.quote.customer_id.as_deref() == Some(claims.cid.as_str())
                        && live(claims, profile.as_ref()).is_ok()
                })
                .map(|q| (q, profile))
        }
    };
    quote.ok_or(AppError::QuoteNotFound)
}

/// One quote, for its owner or its link's holder.
pub async fn get(app: &App, id: &str, reader: Option<&Reader>) -> Result<QuoteView, AppError> {
    let reader = reader.ok_or(AppError::QuoteNotFound)?;
    let quote = readable(app, id, reader).await?;
    Ok(QuoteView::of(&quote.quote, app.clock.timestamp()))
}

/// An issued, unexpired quote becomes `accepted` (one conditional write). Accepting an
/// accepted quote again answers it unchanged.
pub async fn accept(
    app: &App,
    id: &str,
    reader: Option<&Reader>,
    page_language: Language,
) -> Result<QuoteView, AppError> {
    let reader = reader.ok_or(AppError::QuoteNotFound)?;
    if !is_quote_id(id) {
        return Err(AppError::QuoteNotFound);
    }
    let now = app.clock.timestamp();
    // Read first: the acknowledgement and the shop's notification carry the lines, and
    // are written in the acceptance's own transaction.
    let (before, owner) = readable_with_owner(app, id, reader).await?;
    let mails = if before.quote.shown_status(now) == ShownStatus::Issued {
        let token = match reader {
            Reader::Token(token) => Some(token.as_str()),
            Reader::Member(_) => None,
        };
        quote_mails(
            app,
            &before.quote,
            owner.as_ref(),
            page_language,
            token,
            QuoteEvent::Accepted,
        )
    } else {
        Vec::new()
    };
    let (hash, guard);
    let by = match reader {
        Reader::Token(token) => {
            hash = token_hash(token);
            Acceptor::TokenHolder { token_hash: &hash }
        }
        Reader::Member(claims) => {
            guard = SessionGuard::of(claims);
            Acceptor::Owner {
                customer_id: &claims.cid,
                session: &guard,
            }
        }
    };
    let accepted = quote_store::accept(&app.store, id, &now.to_string(), by, &mails).await?;
    // Read it back: to answer it, or to say why it could not be accepted.
    let quote = readable(app, id, reader).await?;
    if accepted {
        tracing::info!(quote_id = %id, "quote accepted");
        if let Reader::Member(claims) = reader {
            record_acceptance(app, claims, &quote).await;
        }
    } else {
        match quote.quote.shown_status(now) {
            ShownStatus::Accepted => {}
            ShownStatus::Expired => return Err(AppError::QuoteExpired),
            ShownStatus::Issued => return Err(AppError::QuoteChanged),
        }
    }
    Ok(QuoteView::of(&quote.quote, now))
}

/// Behaviour events for a quote's lines.
fn line_events(app: &App, customer_id: &str, skus: &[String], kind: EventKind) -> Vec<EventItem> {
    let events: Vec<Event> = skus
        .iter()
        .map(|sku| Event {
            kind,
            subject: sku.clone(),
        })
        .collect();
    super::events::items(app, customer_id, &events)
}

/// An accepted quote's lines as events, kept only while the owner grants
/// personalisation (its own transaction checks the consent). The acceptance stands
/// whatever happens here, so a failure is logged, not answered.
async fn record_acceptance(app: &App, claims: &SessionClaims, quote: &QuoteItem) {
    let skus: Vec<String> = quote.quote.lines.iter().map(|l| l.sku.clone()).collect();
    let events = line_events(app, &claims.cid, &skus, EventKind::QuoteAccepted);
    let guard = SessionGuard::of(claims);
    let recorded = event_store::record(&app.store, &claims.cid, &guard, &events, &skus).await;
    if let Err(error) = recorded {
        tracing::warn!(%error, "accepted quote's events not recorded");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_separate_their_parts() {
        assert_ne!(sha256(&[b"ab", b"c"]), sha256(&[b"a", b"bc"]));
        assert!(same("abc", "abc") && !same("abc", "abd") && !same("abc", "ab"));
    }
}
