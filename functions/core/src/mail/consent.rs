//! Consent mails: the marketing opt-in confirmation and the readable receipt of a
//! consent change.

use super::{Compose, Mail, Why};
use crate::domain::consent::{ConsentReceipt, ConsentStep, Purpose};
use crate::domain::customer::Language;
use crate::domain::link::LinkPurpose;

fn purpose_name(purpose: Purpose, language: Language) -> &'static str {
    match (purpose, language) {
        (Purpose::Account, Language::En) => "Your account",
        (Purpose::Account, Language::Es) => "Tu cuenta",
        (Purpose::MarketingEmail, Language::En) => "News and offers by email",
        (Purpose::MarketingEmail, Language::Es) => "Novedades y ofertas por correo",
        (Purpose::Personalisation, Language::En) => "Personal recommendations",
        (Purpose::Personalisation, Language::Es) => "Recomendaciones personales",
    }
}

/// The mail that turns a pending marketing consent into a granted one: only its link
/// (a page that asks for one click, so a mail scanner's visit confirms nothing) does.
pub fn opt_in_confirmation(
    language: Language,
    display_name: &str,
    confirm_url: String,
    preferences_url: Option<String>,
) -> Mail {
    let days = LinkPurpose::ConfirmMarketing.ttl_seconds() / 86_400;
    match language {
        Language::En => Compose::new(
            "marketing_confirm",
            language,
            "Confirm that you want our news by email",
        )
        .para(format!(
            "Hello {display_name}, you asked to receive our news and offers by email. We send \
             nothing of the kind until you confirm that this address is yours and that you \
             want them."
        ))
        .link("Yes, send me news by email", confirm_url)
        .para(format!(
            "The link works once, for {days} days. If you did not ask for this, ignore this \
             mail: nothing will be sent."
        )),
        Language::Es => Compose::new(
            "marketing_confirm",
            language,
            "Confirma que quieres nuestras novedades por correo",
        )
        .para(format!(
            "Hola {display_name}, has pedido recibir nuestras novedades y ofertas por correo. \
             No enviamos nada de eso hasta que confirmes que esta dirección es tuya y que las \
             quieres."
        ))
        .link("Sí, enviadme novedades por correo", confirm_url)
        .para(format!(
            "El enlace sirve una vez, durante {days} días. Si no lo has pedido, ignora este \
             correo: no se enviará nada."
        )),
    }
    .why(Why::Requested)
    .preferences(preferences_url)
    .build()
}

/// A consent change's receipt, readable: what changed, when, under which policy
/// version, and how to change it again.
pub fn consent_receipt(
    language: Language,
    receipt: &ConsentReceipt,
    preferences_url: Option<String>,
) -> Mail {
    let es = language == Language::Es;
    let name = purpose_name(receipt.purpose, language);
    let state = match (receipt.step, receipt.granted, es) {
        (Some(ConsentStep::Pending), _, false) => "asked for, waiting for your confirmation",
        (Some(ConsentStep::Pending), _, true) => "solicitado, pendiente de tu confirmación",
        (Some(ConsentStep::Confirmed), _, false) => "confirmed from the link we mailed you",
        (Some(ConsentStep::Confirmed), _, true) => "confirmado desde el enlace que te enviamos",
        (None, true, false) => "given",
        (None, true, true) => "dado",
        (None, false, false) => "withdrawn",
        (None, false, true) => "retirado",
    };
    let yes_no = |v: Option<bool>| match (v, es) {
        (Some(true), false) => "given",
        (Some(true), true) => "dado",
        (Some(false), false) => "not given",
        (Some(false), true) => "no dado",
        (None, false) => "none (first decision)",
        (None, true) => "ninguno (primera decisión)",
    };
    let rows = if es {
        vec![
            vec!["Finalidad".into(), name.into()],
            vec!["Estado".into(), state.into()],
            vec!["Antes".into(), yes_no(receipt.previous).into()],
            vec!["Fecha (UTC)".into(), receipt.at.clone()],
            vec![
                "Versión de la política".into(),
                receipt.policy_version.clone(),
            ],
            vec!["Responsable".into(), receipt.controller.clone()],
            vec!["Recibo".into(), receipt.receipt_id.clone()],
        ]
    } else {
        vec![
            vec!["Purpose".into(), name.into()],
            vec!["State".into(), state.into()],
            vec!["Before".into(), yes_no(receipt.previous).into()],
            vec!["Time (UTC)".into(), receipt.at.clone()],
            vec!["Policy version".into(), receipt.policy_version.clone()],
            vec!["Controller".into(), receipt.controller.clone()],
            vec!["Receipt".into(), receipt.receipt_id.clone()],
        ]
    };
    let (subject, intro, head, again) = if es {
        (
            format!("Recibo de tu consentimiento: {name}"),
            "Hemos registrado este cambio en tu consentimiento:",
            ["", ""],
            "Puedes cambiarlo de nuevo cuando quieras desde Mi cuenta o desde el enlace de \
             preferencias de abajo; retirar es tan fácil como dar.",
        )
    } else {
        (
            format!("Your consent receipt: {name}"),
            "We recorded this change to your consent:",
            ["", ""],
            "You can change it again at any time in My account or from the preferences link \
             below; withdrawing is as easy as giving.",
        )
    };
    Compose::new("consent_changed", language, subject)
        .para(intro)
        .table(&head, rows)
        .para(again)
        .why(Why::Account)
        .preferences(preferences_url)
        .build()
}
