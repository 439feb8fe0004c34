//! A price preview: what a quote would cost, priced by the same rules as an issued one
//! (`domain::pricing`), without keeping anything. The "Get a price" page calls it as
//! lines change, so the customer sees a running total before giving any contact
//! details; the server stays the one authority on prices.
//!
//! With no `country`, a signed-in customer's country is their default delivery
//! address's, else their profile's: that is where their quote starts from. A visitor
//! must choose one before lines are priced (tax depends on it): no silent default.

use super::{App, AppError, live};
use crate::domain::customer::parse_country;
use crate::domain::pricing::PricedLine;
use crate::domain::quote::{LineRequest, QuoteRequest, check_request, price_request};
use crate::domain::session::SessionClaims;
use crate::site_config;
use crate::store::addresses;
use crate::store::customers::ProfileItem;
use crate::store::quotes as quote_store;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The body of `POST /api/quotes/preview`: the lines so far (none is fine: then only
/// the country is answered) and, optionally, the country.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PreviewRequest {
    /// Required (an empty list is fine), as the schema says.
    #[schema(min_items = 0, max_items = 50)]
    pub lines: Vec<LineRequest>,
    /// Omitted or null: a signed-in customer's own country (see above).
    #[schema(schema_with = crate::openapi::rules::country_or_null)]
    pub country: Option<String>,
}

/// What the lines would cost; nothing is stored.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct QuotePreview {
    /// The country priced for; `null` only for a visitor who sent none.
    #[schema(required = true)]
    pub country: Option<String>,
    /// `null` when there are no lines.
    #[schema(required = true)]
    pub currency: Option<String>,
    pub lines: Vec<PricedLine>,
    pub subtotal_minor: u64,
    pub discount_rate_bp: u32,
    pub discount_minor: u64,
    pub tax_minor: u64,
    pub total_minor: u64,
}

impl QuotePreview {
    fn empty(country: Option<String>) -> Self {
        Self {
            country,
            currency: None,
            lines: Vec::new(),
            subtotal_minor: 0,
            discount_rate_bp: 0,
            discount_minor: 0,
            tax_minor: 0,
            total_minor: 0,
        }
    }
}

/// The member's own country: their default delivery address's, else their profile's.
/// One GetItem, only when they have a default delivery address.
async fn members_country(app: &App, profile: &ProfileItem) -> Result<String, AppError> {
    if let Some(id) = &profile.default_delivery_address
        && let Some(address) = addresses::get(&app.store, &profile.id, id).await?
    {
        return Ok(address.address.country);
    }
    Ok(profile.country.clone())
}

/// Price `request` as a quote would be priced, keeping nothing. Round trips: one
/// BatchGetItem (the lines' items and a member's profile), plus one GetItem for a
/// member's default delivery address when no country is sent.
pub async fn preview(
    app: &App,
    session: Option<&SessionClaims>,
    request: &PreviewRequest,
) -> Result<QuotePreview, AppError> {
    let facts = site_config::facts();
    let lines = request.lines.clone();
    let country = match request.country.as_deref() {
        Some(raw) => Some(parse_country(raw, facts).map_err(|e| AppError::invalid("/country", e))?),
        None => None,
    };
    // The same first pass as a quote (shape, SKUs, duplicates, the country), a
    // member's contact being optional; a stand-in country lets a lines-only or
    // country-less request be checked before the country is known.
    let as_quote = QuoteRequest {
        lines: Some(lines.clone()),
        country: Some(country.clone().unwrap_or_else(|| "GB".into())),
        contact: None,
    };
    let checked = if lines.is_empty() {
        None
    } else {
        Some(check_request(&as_quote, true, facts).map_err(AppError::Invalid)?)
    };
    let skus: Vec<String> = checked
        .as_ref()
        .map(|c| c.lines.iter().map(|(sku, _)| sku.clone()).collect())
        .unwrap_or_default();
    if skus.is_empty() && session.is_none() {
        return Ok(QuotePreview::empty(country));
    }
    let prefetched =
        quote_store::prefetch(&app.store, &skus, session.map(|c| c.cid.as_str()), None).await?;
    let country = match (country, session) {
        (Some(country), _) => country,
        (None, Some(session)) => {
            members_country(app, live(session, prefetched.profile.as_ref())?).await?
        }
        (None, None) => return Err(AppError::invalid("/country", "is required")),
    };
    if let Some(session) = session {
        live(session, prefetched.profile.as_ref())?;
    }
    let Some(mut checked) = checked else {
        return Ok(QuotePreview::empty(Some(country)));
    };
    checked.country = country.clone();
    let priced =
        price_request(&checked, &prefetched.items, session.is_some()).map_err(AppError::Invalid)?;
    Ok(QuotePreview {
        country: Some(country),
        currency: Some(priced.currency),
        lines: priced.lines,
        subtotal_minor: priced.subtotal_minor,
        discount_rate_bp: priced.discount_rate_bp,
        discount_minor: priced.discount_minor,
        tax_minor: priced.tax_minor,
        total_minor: priced.total_minor,
    })
}
