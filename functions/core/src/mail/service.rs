//! Customer service mail: the staff sign-in code, notices to the shop's service and
//! escalation addresses, and the customer's notices (a staff reply, a status change of
//! a request or an order request). Customers' mails are in their language; the shop's
//! in English and Spanish. Shop notices carry the request's reference and a link to
//! the staff inbox, never the customer's name or message.

use super::{Compose, Mail, Why, site_link};
use crate::domain::customer::Language;

/// A staff member's sign-in code ("code is XXXX-XXXX", as the customers' mail says).
pub fn staff_code_mail(code_for_display: &str, minutes: i64) -> Mail {
    Compose::new(
        "staff_sign_in_code",
        Language::En,
        format!("Staff sign-in code: {code_for_display} / Código de acceso del personal"),
    )
    .bilingual()
    .why(Why::Requested)
    .para(format!(
        "Your staff sign-in code is {code_for_display}\nIt works once, for {minutes} minutes, \
         on the staff inbox only."
    ))
    .para(format!(
        "Tu código de acceso del personal es {code_for_display}\nSirve una sola vez, durante \
         {minutes} minutos, solo en la bandeja del personal."
    ))
    .build()
}

fn inbox_link() -> String {
    site_link(Language::En, "/staff/")
}

/// To the service address: a customer opened a request or wrote in one.
pub fn shop_notice(reference: &str, new_request: bool) -> Mail {
    let (en, es) = if new_request {
        ("New service request", "Nueva solicitud de atención")
    } else {
        ("New customer message", "Nuevo mensaje de cliente")
    };
    Compose::new(
        "service_shop_notice",
        Language::En,
        format!("{en} {reference} / {es}"),
    )
    .bilingual()
    .why(Why::Staff)
    .para(format!(
        "{en}: {reference}. Answer it from the staff inbox."
    ))
    .para(format!(
        "{es}: {reference}. Respóndela desde la bandeja del personal."
    ))
    .link("Staff inbox / Bandeja del personal", inbox_link())
    .build()
}

/// To the escalation address: a request went up a level.
pub fn escalation_notice(reference: &str, level: u8, by_customer: bool) -> Mail {
    let (who_en, who_es) = if by_customer {
        ("by the customer", "por el cliente")
    } else {
        ("automatically (overdue)", "automáticamente (vencida)")
    };
    Compose::new(
        "service_escalation",
        Language::En,
        format!("Escalated to level {level}: {reference} / Escalada al nivel {level}"),
    )
    .bilingual()
    .why(Why::Staff)
    .para(format!(
        "Request {reference} was escalated to level {level} {who_en}. The customer has \
         waited past the promised response time."
    ))
    .para(format!(
        "La solicitud {reference} se escaló al nivel {level} {who_es}. El cliente ha esperado \
         más del tiempo de respuesta prometido."
    ))
    .link("Staff inbox / Bandeja del personal", inbox_link())
    .build()
}

/// To the customer: the shop answered their request. `query` opens it (`id=…`, and a
/// visitor's `&token=…`).
pub fn reply_notice(language: Language, reference: &str, query: &str) -> Mail {
    let link = site_link(language, &format!("/requests/?{query}"));
    match language {
        Language::En => Compose::new(
            "service_reply",
            language,
            format!("We answered your request {reference}"),
        )
        .para(format!(
            "We answered your request {reference}. Read the answer and reply on the site."
        ))
        .link("Open the conversation", link),
        Language::Es => Compose::new(
            "service_reply",
            language,
            format!("Hemos respondido a tu solicitud {reference}"),
        )
        .para(format!(
            "Hemos respondido a tu solicitud {reference}. Lee la respuesta y contesta en la web."
        ))
        .link("Abrir la conversación", link),
    }
    .why(Why::Account)
    .build()
}

fn status_words(language: Language, status: &str) -> &'static str {
    match (language, status) {
        (Language::En, "waiting_on_shop") => "we are working on it",
        (Language::En, "waiting_on_customer") => "waiting for your answer",
        (Language::En, "resolved") => "resolved (reply within 14 days to reopen it)",
        (Language::En, "closed") => "closed",
        (Language::En, "received") => "received",
        (Language::En, "confirmed") => "confirmed",
        (Language::En, "shipped") => "shipped",
        (Language::En, "cancelled") => "cancelled",
        (Language::Es, "waiting_on_shop") => "estamos en ello",
        (Language::Es, "waiting_on_customer") => "esperando tu respuesta",
        (Language::Es, "resolved") => "resuelta (responde en 14 días para reabrirla)",
        (Language::Es, "closed") => "cerrada",
        (Language::Es, "received") => "recibido",
        (Language::Es, "confirmed") => "confirmado",
        (Language::Es, "shipped") => "enviado",
        (Language::Es, "cancelled") => "cancelado",
        (_, _) => "open / abierta",
    }
}

/// To the customer: staff changed the status of their request.
pub fn request_status_notice(
    language: Language,
    reference: &str,
    query: &str,
    status: &str,
) -> Mail {
    let link = site_link(language, &format!("/requests/?{query}"));
    let words = status_words(language, status);
    match language {
        Language::En => Compose::new(
            "service_status",
            language,
            format!("Your request {reference}: {words}"),
        )
        .para(format!("Your request {reference} is now: {words}."))
        .link("Open the conversation", link),
        Language::Es => Compose::new(
            "service_status",
            language,
            format!("Tu solicitud {reference}: {words}"),
        )
        .para(format!("Tu solicitud {reference} está ahora: {words}."))
        .link("Abrir la conversación", link),
    }
    .why(Why::Account)
    .build()
}

/// To the customer: the order request from their accepted quote changed status.
pub fn order_status_notice(
    language: Language,
    quote_number: &str,
    status: &str,
    reason: Option<&str>,
) -> Mail {
    let link = site_link(language, "/account/quotes/");
    let words = status_words(language, status);
    let compose = match language {
        Language::En => Compose::new(
            "order_status",
            language,
            format!("Your order {quote_number}: {words}"),
        )
        .para(format!(
            "Your order request {quote_number} is now: {words}."
        ))
        .para(reason.map(|r| format!("Reason: {r}")).unwrap_or_default())
        .link("See your quotes and orders", link),
        Language::Es => Compose::new(
            "order_status",
            language,
            format!("Tu pedido {quote_number}: {words}"),
        )
        .para(format!("Tu pedido {quote_number} está ahora: {words}."))
        .para(reason.map(|r| format!("Motivo: {r}")).unwrap_or_default())
        .link("Ver tus presupuestos y pedidos", link),
    };
    compose.why(Why::Account).build()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mails_name_the_reference_and_keep_the_code_wording() {
        let code = staff_code_mail("ABCD-EFGH", 10);
        assert!(code.text.contains("code is ABCD-EFGH"));
        let reply = reply_notice(Language::Es, "SR-1", "id=01ID");
        assert!(reply.subject.contains("SR-1") && reply.text.contains("/es/requests/?id=01ID"));
        let order = order_status_notice(Language::En, "Q-1", "cancelled", Some("out of stock"));
        assert!(order.text.contains("cancelled") && order.text.contains("out of stock"));
        assert!(escalation_notice("SR-2", 1, false).text.contains("level 1"));
    }
}
