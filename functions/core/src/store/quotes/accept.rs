//! Accepting a quote: by its signed-in owner (a transaction that also checks the
//! session epoch) or by a visitor holding the link token, each one transaction with the
//! order request's index item and the mail that goes with it.

use crate::domain::clock::Timestamp;
use crate::domain::order::{OrderState, OrderStatus};
use crate::domain::quote::QuoteStatus;
use crate::store::codec::corrupt;
use crate::store::codec::{encode_value, n, s};
use crate::store::keys::Key;
use crate::store::outbox::OutboxItem;
use crate::store::requests::OrderIndexItem;
use crate::store::session::SessionGuard;
use crate::store::timeline::{self, TimelineEntry, what};
use crate::store::transact::{self, TransactError, transact_with_retry};
use crate::store::update::Expr;
use crate::store::{Store, StoreError};

/// The profile's count of the quotes its customer accepted.
pub const ACCEPTED_QUOTES: &str = "accepted_quotes";

/// Who accepts a quote.
#[derive(Debug, Clone)]
pub enum Acceptor<'a> {
    /// The signed-in owner, whose session epoch must still be current.
    Owner {
        customer_id: &'a str,
        session: &'a SessionGuard,
    },
    /// A visitor holding the link token (by its hash).
    TokenHolder { token_hash: &'a str },
}

/// The quote's change, on condition that it is still issued and valid at `now`: it
/// becomes an order request, `received`.
fn acceptance(now: &str) -> Result<Expr, StoreError> {
    let at = Timestamp::parse(now).map_err(corrupt)?;
    let mut e = Expr::new();
    e.set("quote.status", encode_value(&QuoteStatus::Accepted)?)
        .set("quote.accepted_at", s(now))
        .set("quote.order", encode_value(&OrderState::received(at))?)
        // An accepted quote is an order request the business keeps: no more expiry.
        .remove("ttl");
    let (status, valid_until) = (e.name("quote.status"), e.name("quote.valid_until"));
    e.condition(format!(
        "attribute_exists(PK) AND {status} = :issued AND {valid_until} > :now"
    ))
    .bind(":issued", encode_value(&QuoteStatus::Issued)?)
    .bind(":now", s(now));
    Ok(e)
}

/// Turn an issued, unexpired quote into `accepted`, on condition that `by` may and that
/// it is still issued and valid at `now`. `Ok(false)` when a condition did not hold
/// (the caller reads the quote to say which).
pub async fn accept(
    store: &Store,
    quote_id: &str,
    now: &str,
    by: Acceptor<'_>,
    mails: &[OutboxItem],
) -> Result<bool, StoreError> {
    let mut e = acceptance(now)?;
    let quote = Key::quote(quote_id);
    // The staff inbox finds new order requests through this index item, written with
    // the acceptance.
    let order_index = OrderIndexItem::new(quote_id, OrderStatus::Received, now);
    let order_index = transact::put(store, &order_index, &Expr::new())?;
    match by {
        Acceptor::TokenHolder { token_hash } => {
            let token = e.name("token_hash");
            e.and(&format!("{token} = :token"))
                .bind(":token", s(token_hash));
            // The acknowledgement and the shop's notification go with the change.
            let mut writes = vec![transact::update(store, &quote, &e, false)?, order_index];
            for mail in mails {
                writes.push(transact::put_new(store, mail)?);
            }
            match transact_with_retry(store, writes).await {
                Ok(()) => Ok(true),
                Err(TransactError::ConditionFailed(_)) => Ok(false),
                Err(TransactError::Store(e)) => Err(e),
            }
        }
        Acceptor::Owner {
            customer_id,
            session,
        } => {
            let owner = e.name("quote.customer_id");
            e.and(&format!("{owner} = :cid"))
                .bind(":cid", s(customer_id));
            // The profile counts accepted quotes (what a survey can be offered
            // after), under the session's condition.
            let mut holds = Expr::new();
            holds.add(ACCEPTED_QUOTES, n(1u32));
            let condition = session.condition(&mut holds);
            holds.condition(condition);
            let entry = TimelineEntry::new(customer_id, now, what::QUOTE_ACCEPTED)
                .with("quote_id", quote_id);
            let mut writes = vec![
                transact::update(store, &Key::profile(customer_id), &holds, false)?,
                transact::update(store, &quote, &e, false)?,
                timeline::write(store, &entry)?,
                order_index,
            ];
            for mail in mails {
                writes.push(transact::put_new(store, mail)?);
            }
            match transact_with_retry(store, writes).await {
                Ok(()) => Ok(true),
                Err(TransactError::ConditionFailed(_)) => Ok(false),
                Err(TransactError::Store(e)) => Err(e),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn acceptance_names_reserved_words_and_keeps_the_quote() {
        let e = acceptance("2026-01-01T00:00:00Z").unwrap();
        assert_eq!(
            e.update_text().unwrap(),
            "SET #quote.#status = :v0, #quote.#accepted_at = :v1, #quote.#order = :v2 REMOVE #ttl"
        );
        let values = e.values().unwrap();
        assert_eq!(values[":v0"], s("accepted"));
        assert_eq!(values[":issued"], s("issued"));
        assert_eq!(e.names().unwrap()["#ttl"], "ttl");
    }
}
