//! The reasons of `GET /api/recommendations`, said in the customer's language.

use super::catalog::LocalText;
use super::customer::Language;
use super::events::EventKind;
use super::recommend::Reason;
use super::segment::BuysFor;

fn text(name: &LocalText, language: Language) -> &str {
    match language {
        Language::En => &name.en,
        Language::Es => &name.es,
    }
}

/// A need's words, for a reason.
fn need_words(need: &str, language: Language) -> &'static str {
    match (need, language) {
        ("gift", Language::En) => "gifts",
        ("gift", Language::Es) => "regalos",
        ("home", Language::En) => "things for the home",
        ("home", Language::Es) => "cosas para el hogar",
        ("event", Language::En) => "things for an event",
        ("event", Language::Es) => "cosas para un evento",
        (_, Language::En) => "things for a business",
        (_, Language::Es) => "cosas para un negocio",
    }
}

/// A `buys_for` reason. It says what the data behind it is: the catalog's range for
/// that need (its word rule), ranked by how many customers had the item; it does not
/// claim why they bought it (the log does not say whether an item was a gift).
fn segment_words(buys_for: BuysFor, language: Language) -> &'static str {
    match (buys_for, language) {
        (BuysFor::Home, Language::En) => "Popular in our range for the home",
        (BuysFor::Home, Language::Es) => "Popular en nuestra gama para el hogar",
        (BuysFor::Gifts, Language::En) => "Popular in our gift range",
        (BuysFor::Gifts, Language::Es) => "Popular en nuestra gama de regalos",
        (BuysFor::Business, Language::En) => "Popular in our range for shops and businesses",
        (BuysFor::Business, Language::Es) => "Popular en nuestra gama para tiendas y negocios",
    }
}

/// The item's name in `language`.
pub fn name_in(name: &LocalText, language: Language) -> String {
    text(name, language).to_string()
}

/// The reason, said in `language`; `topic_label` names a topic id in that language.
pub fn say(reason: &Reason, language: Language, topic_label: impl Fn(&str) -> String) -> String {
    use Language::{En, Es};
    match (reason, language) {
        (Reason::Because { name, kind, .. }, _) => {
            let x = text(name, language);
            match (kind, language) {
                (EventKind::QuoteAccepted, En) => format!("Because you ordered {x}"),
                (EventKind::QuoteAccepted, Es) => format!("Porque pediste {x}"),
                (EventKind::QuoteRequested | EventKind::QuoteDraftAdded, En) => {
                    format!("Because you asked for a price for {x}")
                }
                (EventKind::QuoteRequested | EventKind::QuoteDraftAdded, Es) => {
                    format!("Porque pediste precio de {x}")
                }
                (_, En) => format!("Because you looked at {x}"),
                (_, Es) => format!("Porque miraste {x}"),
            }
        }
        (Reason::Topic(topic), En) => {
            format!("Popular with people who follow {}", topic_label(topic))
        }
        (Reason::Topic(topic), Es) => {
            format!("Popular entre quienes siguen {}", topic_label(topic))
        }
        (Reason::Need(need), En) => format!(
            "Popular with people looking for {}",
            need_words(need, language)
        ),
        (Reason::Need(need), Es) => {
            format!(
                "Popular entre quienes buscan {}",
                need_words(need, language)
            )
        }
        (Reason::Segment(buys_for), _) => segment_words(*buys_for, language).to_string(),
        (Reason::Popular, En) => "Popular in our shop".to_string(),
        (Reason::Popular, Es) => "Popular en nuestra tienda".to_string(),
        (Reason::AlsoBought { name, .. }, En) => {
            format!(
                "Customers who bought {} also bought this",
                text(name, language)
            )
        }
        (Reason::AlsoBought { name, .. }, Es) => {
            format!(
                "Quienes compraron {} también compraron esto",
                text(name, language)
            )
        }
    }
}
