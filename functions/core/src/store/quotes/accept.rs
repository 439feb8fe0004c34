//! Accepting a quote: by its signed-in owner (a transaction that also checks the
//! session epoch) or by a visitor holding the link token (one conditional update).

use crate::domain::quote::QuoteStatus;
use crate::store::codec::{encode_value, n, s};
use crate::store::keys::Key;
use crate::store::session::SessionGuard;
use crate::store::timeline::{self, TimelineEntry, what};
use crate::store::transact::{self, TransactError, transact_with_retry};
use crate::store::update::{Expr, WithExpr};
use crate::store::{Store, StoreError, is_condition_failure, unavailable};

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

/// The quote's change, on condition that it is still issued and valid at `now`.
fn acceptance(now: &str) -> Result<Expr, StoreError> {
    let mut e = Expr::new();
    e.set("quote.status", encode_value(&QuoteStatus::Accepted)?)
        .set("quote.accepted_at", s(now))
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
) -> Result<bool, StoreError> {
    let mut e = acceptance(now)?;
    let quote = Key::quote(quote_id);
    match by {
        Acceptor::TokenHolder { token_hash } => {
            let token = e.name("token_hash");
            e.and(&format!("{token} = :token"))
                .bind(":token", s(token_hash));
            let result = store
                .client()
                .update_item()
                .table_name(store.table())
                .set_key(Some(quote.item()))
                .expr(&e)
                .send()
                .await;
            match result {
                Ok(_) => Ok(true),
                Err(error) if is_condition_failure(&error) => Ok(false),
                Err(error) => Err(unavailable(&error)),
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
            let writes = vec![
                transact::update(store, &Key::profile(customer_id), &holds, false)?,
                transact::update(store, &quote, &e, false)?,
                timeline::write(store, &entry)?,
            ];
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
            "SET #quote.#status = :v0, #quote.#accepted_at = :v1 REMOVE #ttl"
        );
        let values = e.values().unwrap();
        assert_eq!(values[":v0"], s("accepted"));
        assert_eq!(values[":issued"], s("issued"));
        assert_eq!(e.names().unwrap()["#ttl"], "ttl");
    }
}
