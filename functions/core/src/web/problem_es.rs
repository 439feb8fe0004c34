//! The Spanish side of every problem+json text: titles, details and field messages,
//! in one table. The API words its problems in English where they are made (the
//! domain's rules, `Problem`, `AppError`'s mapping); [`super::localize`] hands a
//! Spanish reader (their `Accept-Language`, which the site sets to the page's
//! language) these texts instead. Messages with numbers or names in them are matched
//! by their fixed parts. A text with no entry stays English rather than becoming a
//! vague "invalid value".

/// Exact English texts and their Spanish.
const EXACT: &[(&str, &str)] = &[
    // Titles.
    ("Invalid request", "Solicitud no válida"),
    (
        "Malformed request body",
        "Cuerpo de la solicitud mal formado",
    ),
    (
        "Request body too large",
        "Cuerpo de la solicitud demasiado grande",
    ),
    ("Unsupported media type", "Tipo de contenido no admitido"),
    ("Conflict", "Conflicto"),
    ("Not found", "No encontrado"),
    ("Method not allowed", "Método no permitido"),
    (
        "Service temporarily unavailable",
        "Servicio no disponible por el momento",
    ),
    ("Internal error", "Error interno"),
    ("Invalid cursor", "Cursor no válido"),
    ("Invalid limit", "Límite no válido"),
    ("Invalid query string", "Parámetros de consulta no válidos"),
    ("Quote not found", "Presupuesto no encontrado"),
    ("Changed meanwhile", "Ha cambiado mientras tanto"),
    ("Sign-in refused", "Inicio de sesión rechazado"),
    ("Quote expired", "Presupuesto caducado"),
    ("Quote changed", "El presupuesto ha cambiado"),
    ("Idempotency-Key already used", "Idempotency-Key ya usada"),
    ("Invalid Idempotency-Key", "Idempotency-Key no válida"),
    ("Not allowed", "No permitido"),
    ("Too many requests", "Demasiadas solicitudes"),
    ("Sign-in required", "Hay que iniciar sesión"),
    (
        "Cross-site request refused",
        "Solicitud desde otro sitio rechazada",
    ),
    ("If-Match required", "Falta If-Match"),
    ("Use the site's address", "Usa la dirección del sitio"),
    // Details.
    ("One field needs attention.", "Hay un campo que revisar."),
    (
        "There is nothing at this address.",
        "No hay nada en esta dirección.",
    ),
    (
        "This address does not accept that HTTP method.",
        "Esta dirección no admite ese método HTTP.",
    ),
    (
        "We could not reach our data store. Nothing was changed; please try again shortly.",
        "No hemos podido acceder a nuestros datos. No se ha cambiado nada; vuelve a intentarlo en un momento.",
    ),
    (
        "Something went wrong on our side. Nothing was changed.",
        "Algo ha fallado por nuestra parte. No se ha cambiado nada.",
    ),
    (
        "Send the request body as JSON with Content-Type: application/json.",
        "Envía el cuerpo de la solicitud como JSON, con Content-Type: application/json.",
    ),
    (
        "There is no quote here that you can see. Sign in, or use the link you were given.",
        "Aquí no hay ningún presupuesto que puedas ver. Inicia sesión o usa el enlace que te dimos.",
    ),
    (
        "Your data changed since you loaded it (perhaps in another window). Nothing was changed: reload and try again.",
        "Tus datos han cambiado desde que los cargaste (quizá en otra ventana). No se ha cambiado nada: recarga y vuelve a intentarlo.",
    ),
    (
        "That code is wrong, used or expired. Check the latest mail, or ask for a new code.",
        "Ese código es incorrecto, ya se usó o ha caducado. Mira el último correo o pide un código nuevo.",
    ),
    (
        "This quote is past its valid-until date and can no longer be accepted. Ask for a new quote.",
        "Este presupuesto ha pasado su fecha de validez y ya no se puede aceptar. Pide uno nuevo.",
    ),
    (
        "The quote changed while it was being accepted. Please try again.",
        "El presupuesto cambió mientras se aceptaba. Vuelve a intentarlo.",
    ),
    (
        "This Idempotency-Key was already used with a different request. Use a new key for a new quote.",
        "Esta Idempotency-Key ya se usó con otra solicitud. Usa una clave nueva para un presupuesto nuevo.",
    ),
    (
        "Idempotency-Key must be 1 to 255 visible ASCII characters, such as a UUID.",
        "Idempotency-Key debe tener de 1 a 255 caracteres ASCII visibles, como un UUID.",
    ),
    (
        "Too many attempts for now. Nothing was done; please try again later.",
        "Demasiados intentos por ahora. No se ha hecho nada; vuelve a intentarlo más tarde.",
    ),
    (
        "Sign in to see or change this.",
        "Inicia sesión para ver o cambiar esto.",
    ),
    (
        "Requests that change data must come from this site.",
        "Las solicitudes que cambian datos deben venir de este sitio.",
    ),
    (
        "Send the ETag from GET /api/me in If-Match, so a change never overwrites one you have not seen.",
        "Envía en If-Match la ETag de GET /api/me, para que un cambio nunca pise otro que no has visto.",
    ),
    (
        "The request changed while this was being saved. Reload it and try again.",
        "La solicitud cambió mientras se guardaba. Recárgala y vuelve a intentarlo.",
    ),
    (
        "This API answers only requests made through the site.",
        "Esta API solo responde a solicitudes hechas a través del sitio.",
    ),
    (
        "The query string could not be read.",
        "No se han podido leer los parámetros de la consulta.",
    ),
    (
        "The request body could not be read.",
        "No se ha podido leer el cuerpo de la solicitud.",
    ),
    (
        "A field has the wrong JSON type.",
        "Un campo tiene un tipo JSON incorrecto.",
    ),
    (
        "The body has a field this API does not know.",
        "El cuerpo tiene un campo que esta API no conoce.",
    ),
    (
        "The body has data after the JSON value.",
        "El cuerpo tiene datos después del valor JSON.",
    ),
    (
        "limit must be a whole number from 1 to 50.",
        "limit debe ser un número entero de 1 a 50.",
    ),
    (
        "cursor must be a next_cursor value from a previous page.",
        "cursor debe ser un valor next_cursor de una página anterior.",
    ),
    // Field messages (they follow the field's name).
    ("is required", "es obligatorio"),
    ("is not a known field", "no es un campo conocido"),
    ("is not in the catalog", "no está en el catálogo"),
    (
        "is not one of the topics offered",
        "no es uno de los temas que ofrecemos",
    ),
    ("is not a contact setting", "no es un ajuste de contacto"),
    (
        "is not a field that can be changed",
        "no es un campo que se pueda cambiar",
    ),
    (
        "is not a contact channel (email, sms, phone, post)",
        "no es un canal de contacto (email, sms, phone, post)",
    ),
    (
        "is required without an account: a name and an email to send the quote to",
        "es obligatorio sin cuenta: un nombre y un correo a los que enviar el presupuesto",
    ),
    ("needs at least one line", "necesita al menos un artículo"),
    (
        "makes the amount too large to quote",
        "hace el importe demasiado grande para presupuestarlo",
    ),
    (
        "must be a JSON object (a merge patch)",
        "debe ser un objeto JSON (un merge patch)",
    ),
    ("must be a JSON object", "debe ser un objeto JSON"),
    (
        "must be a SKU: five digits, then capital letters or digits",
        "debe ser una referencia: cinco cifras y después mayúsculas o cifras",
    ),
    ("must be a date or null", "debe ser una fecha o null"),
    ("must be a list of topic ids", "debe ser una lista de temas"),
    ("must be a string or null", "debe ser un texto o null"),
    ("must be a string", "debe ser un texto"),
    (
        "must be a whole number of at least 1",
        "debe ser un número entero de al menos 1",
    ),
    (
        "must be accepted: an account needs the privacy policy acknowledged",
        "debe aceptarse: una cuenta necesita que se acepte la política de privacidad",
    ),
    (
        "must be an ISO 3166-1 alpha-2 country code, such as ES or GB",
        "debe ser un código de país ISO 3166-1 alfa-2, como ES o GB",
    ),
    (
        "must be an email address like name@example.com",
        "debe ser un correo electrónico como nombre@ejemplo.com",
    ),
    (
        "must be an international number such as +34 600 123 456",
        "debe ser un número internacional, como +34 600 123 456",
    ),
    (
        "must be an object of channel: true/false",
        "debe ser un objeto de canal: true/false",
    ),
    ("must be an object", "debe ser un objeto"),
    (
        "must be immediately, weekly_digest or monthly_digest",
        "debe ser immediately, weekly_digest o monthly_digest",
    ),
    (
        "must be the id of one of your quotes",
        "debe ser el id de uno de tus presupuestos",
    ),
    (
        "must be today or later",
        "debe ser hoy o una fecha posterior",
    ),
    ("must be true or false", "debe ser true o false"),
    (
        "must be within two years",
        "debe estar dentro de los próximos dos años",
    ),
    (
        "must contain at least one letter or digit",
        "debe contener al menos una letra o una cifra",
    ),
    (
        "must include billing, delivery or both",
        "debe incluir facturación, entrega o ambas",
    ),
    ("must not be empty", "no puede estar vacío"),
    (
        "must not contain control characters",
        "no puede contener caracteres de control",
    ),
    (
        "must not contain text-direction control characters",
        "no puede contener caracteres de control de la dirección del texto",
    ),
    (
        "must not stack more than 3 accents on one letter",
        "no puede acumular más de 3 acentos sobre una letra",
    ),
    (
        "the part before @ must use only ASCII letters, digits and symbols",
        "la parte antes de la @ solo puede usar letras, cifras y símbolos ASCII",
    ),
    (
        "only a billing address can be the default billing address",
        "solo una dirección de facturación puede ser la de facturación predeterminada",
    ),
    (
        "only a delivery address can be the default delivery address",
        "solo una dirección de entrega puede ser la de entrega predeterminada",
    ),
    (
        "that code is wrong, used or expired: ask for a new one",
        "ese código es incorrecto, ya se usó o ha caducado: pide uno nuevo",
    ),
    (
        "type the email address of this account to confirm erasing it",
        "escribe el correo de esta cuenta para confirmar que quieres borrarla",
    ),
    (
        "you signed in more than 10 minutes ago: ask for a code (POST /api/sessions) and send it with this request",
        "iniciaste sesión hace más de 10 minutos: pide un código y envíalo con esta solicitud",
    ),
    (
        "your account rests on this consent: to withdraw it, erase your account instead",
        "tu cuenta se basa en este consentimiento: para retirarlo, borra tu cuenta",
    ),
    ("cannot be removed", "no se puede quitar"),
    (
        "cannot be changed from a mailed link",
        "no se puede cambiar desde un enlace de correo",
    ),
];

/// Texts with numbers or names in them: English before and after the variable part,
/// and the Spanish around it (`{}` is the variable part, as sent).
const PATTERNS: &[(&str, &str, &str)] = &[
    ("", " fields need attention.", "{} campos que revisar."),
    (
        "must be at most ",
        " characters",
        "debe tener como máximo {} caracteres",
    ),
    (
        "must be between ",
        " for this item",
        "debe estar entre {} para este artículo",
    ),
    ("must be one of ", "", "debe ser uno de estos: {}"),
    (
        "is not a postal code used in ",
        "",
        "no es un código postal válido en {}",
    ),
    (
        "is already on line ",
        "; put the whole quantity on one line",
        "ya está en la línea {}; pon toda la cantidad en una sola línea",
    ),
    (
        "is priced in ",
        ", and a quote has one currency",
        "tiene otra moneda ({}), y un presupuesto tiene una sola",
    ),
    (
        "has ",
        " lines; a quote can have at most 50",
        "tiene {} líneas; un presupuesto puede tener como máximo 50",
    ),
    (
        "you can keep at most ",
        " addresses: delete one first",
        "puedes guardar como máximo {} direcciones: borra una primero",
    ),
    (
        "The request body must be at most ",
        " bytes.",
        "El cuerpo de la solicitud debe tener como máximo {} bytes.",
    ),
    (
        "The body is not valid JSON (",
        ").",
        "El cuerpo no es JSON válido ({}).",
    ),
];

/// The Spanish of an English problem text, if the table has it.
pub fn spanish(english: &str) -> Option<String> {
    if let Some((_, es)) = EXACT.iter().find(|(en, _)| *en == english) {
        return Some((*es).to_string());
    }
    PATTERNS.iter().find_map(|(before, after, es)| {
        let middle = english.strip_prefix(before)?.strip_suffix(after)?;
        let middle = middle
            .replace(" and ", " y ")
            .replace("line ", "línea ")
            .replace("column ", "columna ");
        (!middle.is_empty()).then(|| es.replace("{}", &middle))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_and_patterned_texts_have_their_spanish() {
        assert_eq!(spanish("is required").as_deref(), Some("es obligatorio"));
        assert_eq!(
            spanish("must be between 5 and 500 for this item").as_deref(),
            Some("debe estar entre 5 y 500 para este artículo")
        );
        assert_eq!(
            spanish("3 fields need attention.").as_deref(),
            Some("3 campos que revisar.")
        );
        assert_eq!(
            spanish("is not a postal code used in ES").as_deref(),
            Some("no es un código postal válido en ES")
        );
        assert_eq!(spanish("something nobody wrote"), None);
    }

    #[test]
    fn every_entry_is_a_translation() {
        for (en, es) in EXACT {
            assert_ne!(en, es);
            assert!(!es.is_empty());
        }
        let mut seen = std::collections::HashSet::new();
        assert!(
            EXACT.iter().all(|(en, _)| seen.insert(*en)),
            "one entry per text"
        );
    }
}
