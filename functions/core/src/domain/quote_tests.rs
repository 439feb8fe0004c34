//! Unit tests of `domain::quote` (kept apart so each file stays readable).

use super::*;
use crate::domain::catalog::tests::item;
use crate::site_config::facts;
use serde_json::json;

fn request(value: serde_json::Value) -> QuoteRequest {
    serde_json::from_value(value).unwrap()
}

fn pointers(errors: &[FieldError]) -> Vec<&str> {
    errors.iter().map(|e| e.pointer.as_str()).collect()
}

fn visitor() -> serde_json::Value {
    json!({"name": "Ana", "email": "Ana@Example.com"})
}

#[test]
fn a_valid_visitor_request() {
    let r = request(json!({
        "lines": [{"sku": "A", "quantity": 3}, {"sku": " B ", "quantity": 1}],
        "country": "es", "contact": visitor()
    }));
    let checked = check_request(&r, false, facts()).unwrap();
    assert_eq!(checked.lines, [("A".into(), 3), ("B".into(), 1)]);
    assert_eq!(checked.country, "ES");
    assert_eq!(checked.contact.unwrap().email, "ana@example.com");
    // Members need no contact, and a valid one sent is ignored.
    let checked = check_request(&r, true, facts()).unwrap();
    assert_eq!(checked.contact, None);
}

#[test]
fn a_members_contact_is_checked_when_sent() {
    // The schema says what a contact is for everyone; the server agrees, members too.
    let lines = json!([{"sku": "A", "quantity": 3}]);
    let r = request(json!({"lines": lines, "country": "es"}));
    assert_eq!(check_request(&r, true, facts()).unwrap().contact, None);
    let r = request(json!({"lines": lines, "country": "es", "contact": null}));
    assert_eq!(check_request(&r, true, facts()).unwrap().contact, None);
    let r = request(json!({"lines": lines, "country": "es", "contact": {"name": "Ana María"}}));
    let errors = check_request(&r, true, facts()).unwrap_err();
    assert_eq!(pointers(&errors), ["/contact/email"]);
    let r = request(json!({"lines": lines, "country": "es", "contact": {"email": "x"}}));
    let errors = check_request(&r, true, facts()).unwrap_err();
    assert_eq!(pointers(&errors), ["/contact/name", "/contact/email"]);
}

#[test]
fn every_problem_is_named() {
    let r = request(json!({
        "lines": [
            {"sku": "A", "quantity": 0},
            {"quantity": 2},
            {"sku": "A", "quantity": 1},
            {"sku": "no such", "quantity": -4},
        ],
        "country": "XX",
        "contact": {"email": "nope"}
    }));
    let errors = check_request(&r, false, facts()).unwrap_err();
    assert_eq!(
        pointers(&errors),
        [
            "/lines/0/quantity",
            "/lines/1/sku",
            "/lines/2/sku",
            "/lines/3/sku",
            "/lines/3/quantity",
            "/country",
            "/contact/name",
            "/contact/email"
        ]
    );
    assert!(errors[2].detail.contains("line 0"));
    let errors = check_request(&QuoteRequest::default(), false, facts()).unwrap_err();
    assert_eq!(pointers(&errors), ["/lines", "/country", "/contact"]);
}

#[test]
fn at_most_fifty_lines() {
    let lines: Vec<_> = (0..51)
        .map(|i| json!({"sku": format!("S{i}"), "quantity": 1}))
        .collect();
    let mut r = request(json!({"lines": lines, "country": "GB", "contact": visitor()}));
    let errors = check_request(&r, false, facts()).unwrap_err();
    assert_eq!(pointers(&errors), ["/lines"]);
    r.lines.as_mut().unwrap().pop();
    assert_eq!(check_request(&r, false, facts()).unwrap().lines.len(), 50);
    r.lines = Some(vec![]);
    assert!(check_request(&r, false, facts()).is_err());
}

#[test]
fn catalog_rules_name_the_line() {
    let mut limited = item("LIM", 100, &[]);
    limited.min_quantity = 5;
    limited.max_quantity = 10;
    let mut euro = item("EUR", 100, &[]);
    euro.currency = "EUR".into();
    let items: HashMap<_, _> = [item("A", 100, &[]), limited, euro]
        .into_iter()
        .map(|i| (i.sku.clone(), i))
        .collect();
    let checked = |lines: Vec<(&str, u32)>| CheckedRequest {
        lines: lines.into_iter().map(|(s, q)| (s.to_string(), q)).collect(),
        country: "GB".into(),
        contact: None,
    };
    let errors = price_request(
        &checked(vec![("A", 1), ("ZZZ", 1), ("LIM", 4)]),
        &items,
        false,
    )
    .unwrap_err();
    assert_eq!(pointers(&errors), ["/lines/1/sku", "/lines/2/quantity"]);
    assert!(errors[1].detail.contains("between 5 and 10"));
    assert!(price_request(&checked(vec![("LIM", 11)]), &items, false).is_err());
    assert!(price_request(&checked(vec![("LIM", 5), ("LIM", 10)]), &items, false).is_ok());
    let errors = price_request(
        &checked(vec![("A", 1), ("LIM", 5), ("EUR", 1)]),
        &items,
        false,
    )
    .unwrap_err();
    assert_eq!(pointers(&errors), ["/lines/2/sku"]);
    assert!(errors[0].detail.contains("one currency"));
}

#[test]
fn quote_numbers_and_validity() {
    let id = ulid::Ulid::new();
    let at = time::macros::datetime!(2026-11-23 18:00:00 UTC);
    let number = quote_number(&id, at);
    assert!(number.starts_with("Q-2026-"), "{number}");
    assert_eq!(number.len(), "Q-2026-XXXX-XXXX".len());
    assert_eq!(&number[7..11], &id.to_string()[10..14]);
    let priced = pricing::price(&[(&item("A", 100, &[]), 1)], "GB", false).unwrap();
    let contact = Contact {
        name: "Ana".into(),
        email: "ana@example.com".into(),
    };
    let quote = Quote::issue(&id, at, None, contact, "GB".into(), priced);
    assert_eq!(quote.valid_until.to_string(), "2026-12-23T18:00:00.000000Z");
    assert_eq!(
        quote.shown_status(ts("2026-12-23T17:59:59.999999Z")),
        ShownStatus::Issued
    );
    assert_eq!(
        quote.shown_status(ts("2026-12-23T18:00:00.000000Z")),
        ShownStatus::Expired
    );
    // The answer's JSON: the shown status, and no customer_id for a visitor's quote.
    let view = serde_json::to_value(crate::app::views::QuoteView::of(
        &quote,
        ts("2026-11-24T00:00:00.000000Z"),
    ))
    .unwrap();
    assert_eq!(view["status"], "issued");
    assert_eq!(view["total_minor"], 120);
    assert!(view.get("customer_id").is_none());
    assert!(view["accepted_at"].is_null());
}

fn ts(text: &str) -> crate::domain::clock::Timestamp {
    crate::domain::clock::Timestamp::parse(text).unwrap()
}
