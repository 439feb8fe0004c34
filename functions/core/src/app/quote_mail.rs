//! The mail a quote sends, written in the quote's own transaction: "quote issued" to
//! the customer; on acceptance, the acknowledgement to the customer and the lines to
//! the shop's order address (`[extra.shop] order_email`).

use super::App;
use super::email_links::{Holder, preference_link};
use crate::domain::customer::Language;
use crate::domain::quote::Quote;
use crate::mail::{self, site_link};
use crate::site_config;
use crate::store::customers::ProfileItem;
use crate::store::outbox::OutboxItem;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum QuoteEvent {
    Issued,
    Accepted,
}

/// The mails for `event`. A member's mail is in their language with their preference
/// link; a visitor's in the page's language (`page_language`), with the link's token.
pub(crate) fn quote_mails(
    app: &App,
    quote: &Quote,
    owner: Option<&ProfileItem>,
    page_language: Language,
    visitor_token: Option<&str>,
    event: QuoteEvent,
) -> Vec<OutboxItem> {
    let language = owner.map_or(page_language, |p| p.language);
    let link = match visitor_token {
        Some(token) => site_link(
            language,
            &format!("/quote/view/?id={}&token={token}", quote.id),
        ),
        None => site_link(language, &format!("/quote/view/?id={}", quote.id)),
    };
    let preferences = owner.map(|p| preference_link(app, Holder::of(p)));
    let customer_id = owner.map(|p| p.id.as_str());
    let now = app.clock.rfc3339();
    let unix = app.clock.unix();
    let to_customer = |m| OutboxItem::new(&quote.customer.email, customer_id, m, now.clone(), unix);
    match event {
        QuoteEvent::Issued => vec![to_customer(mail::lifecycle::quote_issued(
            language,
            quote,
            link,
            preferences,
        ))],
        QuoteEvent::Accepted => vec![
            to_customer(mail::lifecycle::quote_accepted(
                language,
                quote,
                link,
                preferences,
            )),
            OutboxItem::new(
                &site_config::facts().shop.order_email,
                None,
                mail::lifecycle::order_notification(quote),
                now.clone(),
                unix,
            ),
        ],
    }
}
