//! Turning outbox items into mail. The sender is a small trait: SES in AWS, the
//! development mailbox in the local runner.

use crate::store::outbox::{self, OutboxItem};
use crate::store::{Store, StoreError};
use std::future::Future;

/// Something that delivers one mail.
pub trait MailSender: Send + Sync {
    fn send(&self, mail: &OutboxItem) -> impl Future<Output = Result<(), String>> + Send;
}

/// Deliver one outbox item, then delete it so it is sent once. A failed send leaves
/// the item for the next attempt (and, in AWS, for the stream's retry and DLQ).
pub async fn deliver<S: MailSender>(
    store: &Store,
    sender: &S,
    mail: &OutboxItem,
) -> Result<(), String> {
    sender.send(mail).await?;
    outbox::delete(store, mail)
        .await
        .map_err(|e| e.to_string())?;
    tracing::info!(mail_id = %mail.id, "mail delivered");
    Ok(())
}

/// Deliver everything pending (the local runner's polling worker). Returns how many
/// mails were delivered.
pub async fn deliver_pending<S: MailSender>(
    store: &Store,
    sender: &S,
) -> Result<usize, StoreError> {
    let pending = outbox::pending(store, 25).await?;
    let mut delivered = 0;
    for mail in &pending {
        match deliver(store, sender, mail).await {
            Ok(()) => delivered += 1,
            Err(error) => tracing::warn!(mail_id = %mail.id, %error, "mail not delivered"),
        }
    }
    Ok(delivered)
}

/// The sign-in code mail, in English and Spanish (the code request does not read the
/// profile, so it cannot know the customer's language).
pub fn sign_in_code_mail(code_for_display: &str, minutes: i64) -> (String, String) {
    let subject = format!("Your sign-in code: {code_for_display} / Tu código de acceso");
    let text = format!(
        "Your sign-in code is {code_for_display}\n\
         It works once, for {minutes} minutes. If you did not ask for it, ignore this mail: \
         nobody can sign in without the code.\n\n\
         Tu código de acceso es {code_for_display}\n\
         Sirve una sola vez, durante {minutes} minutos. Si no lo has pedido, ignora este correo: \
         nadie puede entrar sin el código.\n"
    );
    (subject, text)
}

/// The code that finishes a sign-up, in English and Spanish: only the owner of the
/// address receives it, so only they can create the account.
pub fn sign_up_code_mail(code_for_display: &str, minutes: i64) -> (String, String) {
    let subject =
        format!("Finish creating your account: {code_for_display} / Termina de crear tu cuenta");
    let text = format!(
        "Your sign-up code is {code_for_display}\n\
         Type it on the sign-up page to finish creating your account. It works once, for \
         {minutes} minutes. Until you do, no \
         account exists and nothing you entered is kept for more than a day. If you did not \
         sign up, ignore this mail.\n\n\
         Tu código de registro es {code_for_display}\n\
         Escríbelo en la página de registro para terminar de crear tu cuenta. Sirve una sola vez, durante {minutes} minutos. \
         Hasta entonces no existe ninguna cuenta y lo que escribiste no se guarda más de un \
         día. Si no te has registrado, ignora este correo.\n"
    );
    (subject, text)
}

/// The code that moves an account to a new address, mailed to that address.
pub fn email_change_code_mail(code_for_display: &str, minutes: i64) -> (String, String) {
    let subject =
        format!("Confirm your new email address: {code_for_display} / Confirma tu nueva dirección");
    let text = format!(
        "Your email-change code is {code_for_display}\n\
         Type it in your account to use this address from now on. It works once, for \
         {minutes} minutes. If you did not ask for this, ignore this mail: nothing changes.\n\n\
         Tu código de cambio de correo es {code_for_display}\n\
         Escríbelo en tu cuenta para usar esta dirección a partir de ahora. Sirve una sola \
         vez, durante {minutes} minutos. Si no lo has pedido, ignora este correo: no cambia nada.\n"
    );
    (subject, text)
}

/// Told to the old address when an account moved to another one.
pub fn email_changed_notice(new_email_masked: &str) -> (String, String) {
    let subject =
        "Your account's email address changed / Ha cambiado el correo de tu cuenta".to_string();
    let text = format!(
        "The email address of your account was changed to {new_email_masked}, confirmed with a \
         code sent there. From now on we write there. If this was not you, contact us at once \
         (the contact details are on every page of the site).\n\n\
         El correo de tu cuenta se ha cambiado a {new_email_masked}, confirmado con un código \
         enviado allí. A partir de ahora escribimos allí. Si no has sido tú, escríbenos enseguida \
         (los datos de contacto están en todas las páginas del sitio).\n"
    );
    (subject, text)
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
pub fn sign_up_attempt_mail() -> (String, String) {
    let subject =
        "Someone tried to sign up with your address / Alguien intentó registrarse con tu dirección"
            .to_string();
    let text = "Someone (perhaps you) tried to create an account with this address, which \
                already has one. Nothing was changed. To get in, sign in at /signin/ with a \
                code we mail you.\n\n\
                Alguien (quizá tú) intentó crear una cuenta con esta dirección, que ya tiene \
                una. No se ha cambiado nada. Para entrar, inicia sesión en /es/signin/ con un \
                código que te enviamos por correo.\n"
        .to_string();
    (subject, text)
}
