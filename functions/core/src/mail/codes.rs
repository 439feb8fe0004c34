//! Codes that prove an address (sign-in, sign-up, email change) and the notices around
//! them. The code request does not read the profile, so these are written in English
//! and Spanish. The harness reads codes from "code is XXXX-XXXX": keep that wording.

use super::{Compose, Mail, Why, site_link};
use crate::domain::customer::Language;

/// The sign-in code mail.
pub fn sign_in_code_mail(code_for_display: &str, minutes: i64) -> Mail {
    Compose::new(
        "sign_in_code",
        Language::En,
        // No code in the subject: subjects are listed on the customer's timeline.
        "Your sign-in code / Tu código de acceso",
    )
    .bilingual()
    .why(Why::Requested)
    .para(format!(
        "Your sign-in code is {code_for_display}\nIt works once, for {minutes} minutes. If you \
         did not ask for it, ignore this mail: nobody can sign in without the code."
    ))
    .para(format!(
        "Tu código de acceso es {code_for_display}\nSirve una sola vez, durante {minutes} \
         minutos. Si no lo has pedido, ignora este correo: nadie puede entrar sin el código."
    ))
    .build()
}

/// The code that finishes a sign-up: only the owner of the address receives it, so
/// only they can create the account.
pub fn sign_up_code_mail(code_for_display: &str, minutes: i64) -> Mail {
    Compose::new(
        "sign_up_code",
        Language::En,
        "Finish creating your account / Termina de crear tu cuenta",
    )
    .bilingual()
    .why(Why::Requested)
    .para(format!(
        "Your sign-up code is {code_for_display}\nType it on the sign-up page to finish \
         creating your account. It works once, for {minutes} minutes. Until you do, no account \
         exists and nothing you entered is kept for more than a day. If you did not sign up, \
         ignore this mail."
    ))
    .para(format!(
        "Tu código de registro es {code_for_display}\nEscríbelo en la página de registro para \
         terminar de crear tu cuenta. Sirve una sola vez, durante {minutes} minutos. Hasta \
         entonces no existe ninguna cuenta y lo que escribiste no se guarda más de un día. Si \
         no te has registrado, ignora este correo."
    ))
    .build()
}

/// The code that moves an account to a new address, mailed to that address.
pub fn email_change_code_mail(code_for_display: &str, minutes: i64) -> Mail {
    Compose::new(
        "email_change_code",
        Language::En,
        "Confirm your new email address / Confirma tu nueva dirección",
    )
    .bilingual()
    .why(Why::Requested)
    .para(format!(
        "Your email-change code is {code_for_display}\nType it in your account to use this \
         address from now on. It works once, for {minutes} minutes. If you did not ask for \
         this, ignore this mail: nothing changes."
    ))
    .para(format!(
        "Tu código de cambio de correo es {code_for_display}\nEscríbelo en tu cuenta para usar \
         esta dirección a partir de ahora. Sirve una sola vez, durante {minutes} minutos. Si no \
         lo has pedido, ignora este correo: no cambia nada."
    ))
    .build()
}

/// Told to the old address when an account moved to another one, in the customer's
/// language.
pub fn email_changed_notice(language: Language, new_email_masked: &str) -> Mail {
    let contact = &crate::site_config::facts().shop.contact_email;
    match language {
        Language::En => Compose::new(
            "email_changed",
            language,
            "Your account's email address changed",
        )
        .para(format!(
            "The email address of your account was changed to {new_email_masked}, confirmed \
             with a code sent there. From now on we write there, and not to this address."
        ))
        .para(format!("If this was not you, write to {contact} at once.")),
        Language::Es => Compose::new(
            "email_changed",
            language,
            "Ha cambiado el correo de tu cuenta",
        )
        .para(format!(
            "El correo de tu cuenta se ha cambiado a {new_email_masked}, confirmado con un \
             código enviado allí. A partir de ahora escribimos allí, y no a esta dirección."
        ))
        .para(format!(
            "Si no has sido tú, escríbenos enseguida a {contact}."
        )),
    }
    .why(Why::Account)
    .build()
}

/// `a***@example.com`: enough for the owner to recognise an address, not to read it.
pub fn mask_email(email: &str) -> String {
    match email.split_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            format!("{first}***@{domain}")
        }
        None => "***".to_string(),
    }
}

/// Told to an address that already has an account when someone signs up with it: no
/// second account is made, and nothing is changed.
pub fn sign_up_attempt_mail() -> Mail {
    Compose::new(
        "sign_up_attempt",
        Language::En,
        "Someone tried to sign up with your address / Alguien intentó registrarse con tu dirección",
    )
    .bilingual()
    .why(Why::Requested)
    .para(
        "Someone (perhaps you) tried to create an account with this address, which already \
         has one. Nothing was changed. To get in, sign in with a code we mail you:",
    )
    .link("Sign in", site_link(Language::En, "/signin/"))
    .para(
        "Alguien (quizá tú) intentó crear una cuenta con esta dirección, que ya tiene una. No \
         se ha cambiado nada. Para entrar, inicia sesión con un código que te enviamos:",
    )
    .link("Iniciar sesión", site_link(Language::Es, "/signin/"))
    .build()
}
