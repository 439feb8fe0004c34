//! Lifecycle mails: welcome, quote issued, quote accepted (customer and shop), erasure
//! done.

use super::{Compose, Mail, Why, site_link};
use crate::domain::consent::ConsentState;
use crate::domain::customer::Language;
use crate::domain::quote::Quote;
use crate::site_config;

/// What a new account holds, for the welcome mail.
#[derive(Debug, Clone, Copy)]
pub struct Welcome<'a> {
    pub display_name: &'a str,
    pub country: &'a str,
    pub topics: &'a [String],
    /// As asked for at sign-up (marketing email is pending until confirmed).
    pub consents: ConsentState,
}

/// Welcome, once the email is proven: what was recorded, which consents, where to
/// change them.
pub fn welcome(language: Language, account: Welcome<'_>, preferences_url: String) -> Mail {
    let facts = site_config::facts();
    let es = language == Language::Es;
    let topics = if account.topics.is_empty() {
        if es {
            "ninguno".to_string()
        } else {
            "none".to_string()
        }
    } else {
        account
            .topics
            .iter()
            .map(|t| facts.topic_label(t, es))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let yes_no = |on: bool| match (on, es) {
        (true, false) => "yes",
        (true, true) => "sí",
        (false, false) => "no",
        (false, true) => "no",
    };
    let marketing = match (account.consents.marketing_email, es) {
        (true, false) => "asked for: confirm it from the separate mail we just sent",
        (true, true) => "solicitadas: confírmalo desde el correo aparte que acabamos de enviarte",
        (false, _) => yes_no(false),
    };
    let account_url = site_link(language, "/account/preferences/");
    let (subject, hello, recorded, rows, change) = if es {
        (
            format!("Te damos la bienvenida a {}", facts.business_name),
            format!(
                "Hola {}, tu cuenta ya existe: has demostrado que esta dirección es tuya.",
                account.display_name
            ),
            "Esto es lo que hemos guardado:",
            vec![
                vec!["Nombre".to_string(), account.display_name.to_string()],
                vec!["País".into(), account.country.to_string()],
                vec!["Temas".into(), topics],
                vec![
                    "Cuenta (política versión ".to_string() + &facts.policy_version + ")",
                    "sí".into(),
                ],
                vec!["Novedades por correo".into(), marketing.into()],
                vec![
                    "Recomendaciones personales".into(),
                    yes_no(account.consents.personalisation).into(),
                ],
            ],
            "Puedes cambiar todo esto cuando quieras en Mi cuenta:",
        )
    } else {
        (
            format!("Welcome to {}", facts.business_name),
            format!(
                "Hello {}, your account exists now: you proved that this address is yours.",
                account.display_name
            ),
            "This is what we recorded:",
            vec![
                vec!["Name".to_string(), account.display_name.to_string()],
                vec!["Country".into(), account.country.to_string()],
                vec!["Topics".into(), topics],
                vec![
                    "Account (policy version ".to_string() + &facts.policy_version + ")",
                    "yes".into(),
                ],
                vec!["News by email".into(), marketing.into()],
                vec![
                    "Personal recommendations".into(),
                    yes_no(account.consents.personalisation).into(),
                ],
            ],
            "You can change all of it at any time in My account:",
        )
    };
    let head: [&str; 2] = if es {
        ["Dato", "Valor"]
    } else {
        ["Item", "Value"]
    };
    Compose::new("welcome", language, subject)
        .para(hello)
        .para(recorded)
        .table(&head, rows)
        .para(change)
        .link(if es { "Mi cuenta" } else { "My account" }, account_url)
        .why(Why::Account)
        .preferences(Some(preferences_url))
        .build()
}

/// `12.34 EUR`: integer minor units and the currency (two decimals).
pub fn money(minor: u64, currency: &str) -> String {
    format!("{}.{:02} {currency}", minor / 100, minor % 100)
}

fn quote_rows(quote: &Quote, es: bool) -> Vec<Vec<String>> {
    let mut rows: Vec<Vec<String>> = quote
        .lines
        .iter()
        .map(|line| {
            vec![
                if es {
                    line.name.es.clone()
                } else {
                    line.name.en.clone()
                },
                line.quantity.to_string(),
                money(line.total_minor, &quote.currency),
            ]
        })
        .collect();
    let total = if es {
        "Total (impuestos incluidos)"
    } else {
        "Total (tax included)"
    };
    rows.push(vec![
        total.to_string(),
        String::new(),
        money(quote.total_minor, &quote.currency),
    ]);
    rows
}

fn quote_head(es: bool) -> [&'static str; 3] {
    if es {
        ["Artículo", "Cantidad", "Total"]
    } else {
        ["Item", "Quantity", "Total"]
    }
}

/// Quote issued: the lines, totals, validity and the link that opens it (a visitor's
/// link carries their token).
pub fn quote_issued(
    language: Language,
    quote: &Quote,
    link: String,
    preferences_url: Option<String>,
) -> Mail {
    let es = language == Language::Es;
    let valid = quote.valid_until.to_string();
    let valid = valid.get(..10).unwrap_or(&valid);
    let (subject, intro, validity, open) = if es {
        (
            format!("Tu presupuesto {}", quote.number),
            format!(
                "Hola {}, este es el precio que pediste: presupuesto {}.",
                quote.customer.name, quote.number
            ),
            format!("Válido hasta el {valid} (UTC). Puedes aceptarlo desde el enlace."),
            "Ver, imprimir o aceptar el presupuesto",
        )
    } else {
        (
            format!("Your quote {}", quote.number),
            format!(
                "Hello {}, here is the price you asked for: quote {}.",
                quote.customer.name, quote.number
            ),
            format!("Valid until {valid} (UTC). You can accept it from the link."),
            "View, print or accept the quote",
        )
    };
    Compose::new("quote_issued", language, subject)
        .para(intro)
        .table(&quote_head(es), quote_rows(quote, es))
        .para(validity)
        .link(open, link)
        .why(if preferences_url.is_some() {
            Why::Account
        } else {
            Why::Requested
        })
        .preferences(preferences_url)
        .build()
}

/// Quote accepted: the acknowledgement of the order request, to the customer.
pub fn quote_accepted(
    language: Language,
    quote: &Quote,
    link: String,
    preferences_url: Option<String>,
) -> Mail {
    let es = language == Language::Es;
    let (subject, intro, next, open) = if es {
        (
            format!("Hemos recibido tu pedido {}", quote.number),
            format!(
                "Hola {}, has aceptado el presupuesto {}: lo tenemos como petición de pedido.",
                quote.customer.name, quote.number
            ),
            "Nuestro equipo de pedidos lo prepara y te escribe para el pago y la entrega.",
            "Ver el presupuesto aceptado",
        )
    } else {
        (
            format!("We received your order request {}", quote.number),
            format!(
                "Hello {}, you accepted quote {}: we have it as an order request.",
                quote.customer.name, quote.number
            ),
            "Our order desk prepares it and writes to you about payment and delivery.",
            "View the accepted quote",
        )
    };
    Compose::new("quote_accepted", language, subject)
        .para(intro)
        .table(&quote_head(es), quote_rows(quote, es))
        .para(next)
        .link(open, link)
        .why(if preferences_url.is_some() {
            Why::Account
        } else {
            Why::Requested
        })
        .preferences(preferences_url)
        .build()
}

/// The shop's notification of an accepted quote, to its order address: the lines and
/// who to write to.
pub fn order_notification(quote: &Quote) -> Mail {
    let mut rows: Vec<Vec<String>> = quote
        .lines
        .iter()
        .map(|line| {
            vec![
                line.sku.clone(),
                line.name.en.clone(),
                line.quantity.to_string(),
                money(line.total_minor, &quote.currency),
            ]
        })
        .collect();
    rows.push(vec![
        "TOTAL".into(),
        format!("tax {}", money(quote.tax_minor, &quote.currency)),
        String::new(),
        money(quote.total_minor, &quote.currency),
    ]);
    Compose::new(
        "order_notification",
        Language::En,
        format!("Order request: quote {} accepted", quote.number),
    )
    .para(format!(
        "Quote {} (id {}) was accepted. Customer: {} <{}>, country {}{}.",
        quote.number,
        quote.id,
        quote.customer.name,
        quote.customer.email,
        quote.country,
        if quote.customer_id.is_some() {
            ", member"
        } else {
            ", visitor"
        }
    ))
    .table(&["SKU", "Item", "Quantity", "Total"], rows)
    .why(Why::Staff)
    .build()
}

/// Erasure done: what was erased, and what is kept by law and for how long. Sent to
/// the address that was erased, as the last mail.
pub fn erasure_done(language: Language) -> Mail {
    let es = language == Language::Es;
    let kept = if es {
        "Guardamos, sin tu nombre, tu correo ni tu identificador, los presupuestos que \
         aceptaste (peticiones de pedido): la ley mercantil y fiscal nos obliga a conservar \
         los registros de pedidos durante 6 años. Este correo no se guarda una vez enviado."
    } else {
        "We keep, without your name, email or customer id, the quotes you accepted (order \
         requests): commercial and tax law requires us to keep order records for 6 years. \
         This mail is not kept once sent."
    };
    let (subject, erased) = if es {
        (
            "Tu cuenta se ha borrado",
            "Hemos borrado tu cuenta: perfil, direcciones, temas, preferencias, el registro \
             de consentimientos, tu actividad, tus peticiones de atención, los presupuestos \
             no aceptados (también los que pediste sin cuenta con este correo) y el correo \
             pendiente de enviarte. Todas tus sesiones se han cerrado.",
        )
    } else {
        (
            "Your account was erased",
            "We erased your account: profile, addresses, topics, preferences, the consent \
             record, your activity, your service requests, quotes you did not accept (also \
             those you asked for without an account with this email) and mail waiting to be \
             sent to you. Every session is signed out.",
        )
    };
    Compose::new("erasure_done", language, subject)
        .para(erased)
        .para(kept)
        .why(Why::Account)
        .build()
}
