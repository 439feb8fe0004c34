//! Erasure: every item about a customer goes, except accepted quotes (order requests
//! the business must keep for its accounts), which lose everything that identifies the
//! customer. "Every item" covers what is kept outside their partition too: quotes made
//! as a visitor with their email, the idempotency records that hold copies of quote
//! answers, the email claim, a live sign-in code, and mail still waiting to be sent. The profile is deleted last, so an interrupted erasure can be repeated
//! with the same session, and its deletion revokes every session at once.

use super::batch;
use super::codec::{decode, s};
use super::customers::ProfileItem;
use super::keys::{self, Key};
use super::outbox::OutboxItem;
use super::profile::{CustomerRecord, RawItem};
use super::quotes::{QuoteItem, customer_quotes, quotes_under};
use super::session::SessionGuard;
use super::transact::{self, TransactError, transact_with_retry};
use super::update::{Expr, WithExpr};
use super::{Store, StoreError, unavailable};
use crate::domain::quote::QuoteStatus;
use aws_sdk_dynamodb::types::AttributeValue;
use std::collections::HashMap;

/// The member's quotes (GSI1 `CUSTOMER#<id>` / `QUOTE#…`) and those made as a visitor
/// with their email (GSI1 `CONTACT#<email key>`), every page.
async fn quotes_of(
    store: &Store,
    customer_id: &str,
    contact_key: &str,
) -> Result<Vec<RawItem>, StoreError> {
    let mut quotes: Vec<RawItem> = super::query_all(customer_quotes(store, customer_id)).await?;
    let as_visitor: Vec<RawItem> =
        super::query_all(quotes_under(store, &keys::contact_pk(contact_key))).await?;
    quotes.extend(as_visitor);
    Ok(quotes)
}

/// Mail to `email` still waiting in the outbox (the outbox is small: the worker sends
/// and deletes mail within seconds).
async fn mail_waiting_for(store: &Store, email: &str) -> Result<Vec<RawItem>, StoreError> {
    let pending: Vec<RawItem> = super::query_all(
        store
            .client()
            .query()
            .table_name(store.table())
            .index_name(keys::GSI1)
            .key_condition_expression("GSI1PK = :pk")
            .expression_attribute_values(":pk", s(keys::OUTBOX_GSI1PK)),
    )
    .await?;
    let text = |mail: &RawItem, name: &str| {
        mail.get(name)
            .and_then(|v| v.as_s().ok())
            .cloned()
            .unwrap_or_default()
    };
    // Mail to them, and mail about them to the shop (an order notification names them).
    Ok(pending
        .into_iter()
        .filter(|mail| text(mail, "to") == email || text(mail, "text").contains(email))
        .collect())
}

/// The idempotency records written with these quotes (each holds a copy of an answer).
async fn idempotency_records(
    store: &Store,
    quotes: &[QuoteItem],
) -> Result<Vec<RawItem>, StoreError> {
    let keys: Vec<Key> = quotes
        .iter()
        .filter_map(|q| q.idempotency_pk.as_deref())
        .map(|pk| Key::new(pk, keys::IDEMPOTENCY_SK))
        .collect();
    batch::get_all(store, keys).await
}

/// Anonymise an accepted quote: no customer id, name or email, off the customer's index.
async fn anonymise_quote(store: &Store, quote: &QuoteItem, now: &str) -> Result<(), StoreError> {
    let anonymous = AttributeValue::M(HashMap::from([
        ("name".to_string(), s("(erased)")),
        ("email".to_string(), s("")),
    ]));
    let mut e = Expr::new();
    e.set("quote.customer", anonymous)
        .set("anonymised_at", s(now))
        .remove("quote.customer_id")
        .remove("idempotency_pk")
        .remove(keys::GSI1PK)
        .remove(keys::GSI1SK);
    store
        .client()
        .update_item()
        .table_name(store.table())
        .set_key(Some(Key::new(&quote.pk, &quote.sk).item()))
        .expr(&e)
        .send()
        .await
        .map_err(|e| unavailable(&e))?;
    Ok(())
}

/// Erase the customer whose partition is `record`. `signin_pk` is the key of any live
/// sign-in code for their email (derived from the email with the server's key).
pub async fn erase(
    store: &Store,
    record: &CustomerRecord,
    session: &SessionGuard,
    signin_pk: &str,
    contact_key: &str,
    now: &str,
    farewell: &OutboxItem,
) -> Result<(), StoreError> {
    let Some(profile) = &record.profile else {
        return Ok(());
    };
    // The reads are independent: made at once.
    let (quotes, mail, requests, as_visitor) = tokio::try_join!(
        quotes_of(store, &profile.id, contact_key),
        mail_waiting_for(store, &profile.email),
        super::requests::customer_items(store, &profile.id),
        super::requests::visitor_items(store, contact_key),
    )?;
    // Service requests and their threads go whole (the policy says so), those made as a
    // visitor with this email too; the references and the audit trail of the account
    // are in the customer's service partition, deleted below.
    let mut doomed: Vec<Key> = requests
        .iter()
        .chain(&as_visitor)
        .filter_map(Key::of)
        .collect();
    for item in quotes {
        // Decoded, not guessed: a quote whose status cannot be read must not be
        // deleted as if it were not an order.
        let quote: QuoteItem = decode(&item)?;
        if let Some(pk) = &quote.idempotency_pk {
            doomed.push(Key::new(pk, keys::IDEMPOTENCY_SK));
        }
        if quote.quote.status == QuoteStatus::Accepted {
            anonymise_quote(store, &quote, now).await?;
        } else {
            doomed.push(Key::quote_number(&quote.quote.number));
            doomed.push(Key::new(quote.pk, quote.sk));
        }
    }
    doomed.push(Key::email_claim(&profile.email));
    doomed.push(Key::new(signin_pk, keys::SIGNIN_SK));
    doomed.extend(mail.iter().filter_map(Key::of));
    let profile_key = Key::profile(&profile.id);
    doomed.extend(
        record
            .raw
            .iter()
            .filter_map(Key::of)
            .filter(|key| *key != profile_key),
    );
    batch::delete_all(store, doomed).await?;

    let mut condition = Expr::new();
    let holds = session.condition(&mut condition);
    condition.condition(holds);
    // The last write: the profile goes, and the "erasure done" mail with it.
    let writes = vec![
        transact::delete(store, &profile_key, &condition)?,
        transact::put_new(store, farewell)?,
    ];
    match transact_with_retry(store, writes).await {
        Ok(()) => Ok(()),
        // Revoked meanwhile or already gone: nothing of this session's left to erase.
        Err(TransactError::ConditionFailed(_)) => Ok(()),
        Err(TransactError::Store(e)) => Err(e),
    }
}

/// Items about the customer kept outside their partition: their quotes, as a member
/// and as a visitor with their email (through GSI1), the idempotency records made with
/// them, mail still waiting to be sent to them, and their email claim. Export includes
/// every one; erasure removes (or, for accepted quotes, anonymises) every one.
pub async fn items_held_elsewhere(
    store: &Store,
    profile: &ProfileItem,
    contact_key: &str,
) -> Result<Vec<RawItem>, StoreError> {
    // The reads are independent: made at once (the idempotency records follow from
    // the quotes).
    let claim_key = Key::email_claim(&profile.email);
    let (mut items, mail, claim, requests, as_visitor) = tokio::try_join!(
        quotes_of(store, &profile.id, contact_key),
        mail_waiting_for(store, &profile.email),
        super::get_item(store, &claim_key),
        super::requests::customer_items(store, &profile.id),
        super::requests::visitor_items(store, contact_key),
    )?;
    let quotes = items
        .iter()
        .map(decode)
        .collect::<Result<Vec<QuoteItem>, _>>()?;
    items.extend(idempotency_records(store, &quotes).await?);
    items.extend(mail);
    items.extend(claim);
    items.extend(requests);
    items.extend(as_visitor);
    Ok(items)
}
