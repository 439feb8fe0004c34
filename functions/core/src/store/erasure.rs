//! Erasure: every item about a customer goes, except accepted quotes (order requests
//! the business must keep for its accounts), which lose everything that identifies the
//! customer. The profile is deleted last, so an interrupted erasure can be repeated
//! with the same session, and its deletion revokes every session at once.

use super::consents::delete_keys;
use super::keys::{self, EMAIL_SK, PROFILE_SK, QUOTE_NUMBER_SK, SIGNIN_SK};
use super::profile::{CustomerRecord, RawItem};
use super::{Store, StoreError, is_condition_failure, unavailable};
use aws_sdk_dynamodb::types::AttributeValue;
use std::collections::HashMap;

fn s(value: &str) -> AttributeValue {
    AttributeValue::S(value.to_string())
}

fn key(pk: String, sk: &str) -> RawItem {
    HashMap::from([
        (keys::PK.to_string(), s(&pk)),
        (keys::SK.to_string(), s(sk)),
    ])
}

/// The member's quotes (GSI1 `CUSTOMER#<id>` / `QUOTE#…`), all pages.
async fn quotes_of(store: &Store, customer_id: &str) -> Result<Vec<RawItem>, StoreError> {
    let mut quotes = Vec::new();
    let mut start = None;
    loop {
        let page = store
            .client()
            .query()
            .table_name(store.table())
            .index_name("GSI1")
            .key_condition_expression("GSI1PK = :pk AND begins_with(GSI1SK, :quote)")
            .expression_attribute_values(":pk", s(&keys::customer_pk(customer_id)))
            .expression_attribute_values(":quote", s("QUOTE#"))
            .set_exclusive_start_key(start.take())
            .send()
            .await
            .map_err(|e| unavailable(&e))?;
        quotes.extend(page.items().iter().cloned());
        match page.last_evaluated_key() {
            Some(k) if !k.is_empty() => start = Some(k.clone()),
            _ => return Ok(quotes),
        }
    }
}

fn quote_field<'a>(item: &'a RawItem, field: &str) -> Option<&'a str> {
    item.get("quote")?
        .as_m()
        .ok()?
        .get(field)?
        .as_s()
        .ok()
        .map(String::as_str)
}

/// Anonymise an accepted quote: no customer id, name or email, off the customer's index.
async fn anonymise_quote(store: &Store, quote: &RawItem, now: &str) -> Result<(), StoreError> {
    let anonymous = AttributeValue::M(HashMap::from([
        ("name".to_string(), s("(erased)")),
        ("email".to_string(), s("")),
    ]));
    store
        .client()
        .update_item()
        .table_name(store.table())
        .set_key(Some(key(
            quote.get(keys::PK).and_then(|v| v.as_s().ok()).cloned().unwrap_or_default(),
            keys::QUOTE_SK,
        )))
        .update_expression("SET #quote.customer = :anonymous, anonymised_at = :now REMOVE #quote.customer_id, GSI1PK, GSI1SK")
        .expression_attribute_names("#quote", "quote")
        .expression_attribute_values(":anonymous", anonymous)
        .expression_attribute_values(":now", s(now))
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
    epoch: u64,
    signin_pk: &str,
    now: &str,
) -> Result<(), StoreError> {
    let Some(profile) = &record.profile else {
        return Ok(());
    };
    let mut doomed: Vec<RawItem> = Vec::new();
    for quote in quotes_of(store, &profile.id).await? {
        if quote_field(&quote, "status") == Some("accepted") {
            anonymise_quote(store, &quote, now).await?;
        } else {
            if let Some(number) = quote_field(&quote, "number") {
                doomed.push(key(keys::quote_number_pk(number), QUOTE_NUMBER_SK));
            }
            doomed.push(quote);
        }
    }
    doomed.push(key(keys::email_pk(&profile.email), EMAIL_SK));
    doomed.push(key(signin_pk.to_string(), SIGNIN_SK));
    doomed.extend(
        record
            .raw
            .iter()
            .filter(|item| {
                item.get(keys::SK)
                    .and_then(|v| v.as_s().ok())
                    .map(String::as_str)
                    != Some(PROFILE_SK)
            })
            .cloned(),
    );
    delete_keys(store, doomed).await?;

    let deleted = store
        .client()
        .delete_item()
        .table_name(store.table())
        .set_key(Some(key(keys::customer_pk(&profile.id), PROFILE_SK)))
        .condition_expression("session_epoch = :epoch")
        .expression_attribute_values(":epoch", AttributeValue::N(epoch.to_string()))
        .send()
        .await;
    match deleted {
        Ok(_) => Ok(()),
        // Revoked meanwhile or already gone: nothing of this session's left to erase.
        Err(error) if is_condition_failure(&error) => Ok(()),
        Err(error) => Err(unavailable(&error)),
    }
}

/// Items about the customer kept outside their partition: their quotes (through GSI1)
/// and their email claim. Export includes them; erasure removes them.
pub async fn items_held_elsewhere(
    store: &Store,
    profile: &super::customers::ProfileItem,
) -> Result<Vec<RawItem>, StoreError> {
    let mut items = quotes_of(store, &profile.id).await?;
    let claim = store
        .client()
        .get_item()
        .table_name(store.table())
        .set_key(Some(key(keys::email_pk(&profile.email), EMAIL_SK)))
        .consistent_read(true)
        .send()
        .await
        .map_err(|e| unavailable(&e))?;
    items.extend(claim.item().cloned());
    Ok(items)
}
