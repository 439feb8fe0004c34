// Every message the site's scripts show, in English and Spanish, in one place.
// Scripts pick the language of the page (<html lang>), so a Spanish page speaks Spanish.
// ES module, no dependencies.

const MESSAGES = {
  en: {
    network: "We could not reach our server. Check your connection and try again.",
    error_generic: "Something went wrong (error {status}). Please try again.",
    error_400: "We could not read what was sent. Please reload the page and try again.",
    error_401: "Please sign in again.",
    error_404: "We could not find that.",
    error_409: "An account already uses this email address. Sign in instead.",
    error_413: "That is too much text to send at once.",
    error_422: "Please check the fields marked below.",
    error_429: "Too many attempts. Please wait a minute and try again.",
    error_503: "Our service is busy right now. Please try again in a minute.",
    my_account_named: "My account ({name})",
    // Sign-up form: one message per field, for an empty and for a wrong value.
    email_empty: "Enter your email address.",
    email_invalid: "Enter an email address like ana@example.com.",
    display_name_empty: "Tell us what to call you.",
    display_name_invalid: "Use up to 100 letters, without special control characters.",
    language_invalid: "Choose English or Spanish.",
    country_empty: "Choose the country you live in.",
    country_invalid: "Choose a country from the list.",
    topics_invalid: "Choose topics from the list.",
    consent_account_empty: "Tick this box to create your account: we cannot keep an account without it.",
    consent_invalid: "This choice could not be saved. Please tick or untick it again.",
    field_invalid: "This value is not valid.",
    // Sign-in.
    signin_email_invalid: "Enter the email address you signed up with, like ana@example.com.",
    signin_code_invalid: "That code did not work. Check it, or ask for a new one.",
    signup_code_resent: "We sent a new code. Use the newest one.",
    // Account.
    revoke_failed: "We could not sign you out everywhere just now. Please try again.",
    // Quotes.
    q_each: "{price} each.",
    q_each_from: "{price} each from {qty}",
    q_volume: "Volume prices: {list}.",
    q_quantity: "Quantity",
    q_minimum: "Minimum {n}",
    q_item: "Item",
    q_unit_price: "Unit price",
    q_line_total: "Line total",
    q_subtotal: "Subtotal",
    q_members_discount: "Members' discount ({rate})",
    q_tax: "Tax",
    q_total: "Total",
    q_net: "Net",
    q_new_price: "Get a new price",
    q_discount: "Discount",
    q_net_total: "Net total",
    q_items_caption: "Items on this quote",
    q_running: "Total {total} ({n} items, tax included)",
    q_preview_empty: "Choose a quantity for an item to see its price here, with tax for your country.",
    q_preview_country: "Choose the country the order is for to see the total with tax.",
    q_preview_fix: "Please check the items marked above.",
    countries_likely: "Likely",
    countries_all: "All countries",
    q_this_item: "This item {detail}",
    q_selection: "Your selection {detail}",
    q_country: "Country {detail}",
    q_name: "Name {detail}",
    q_email: "Email {detail}",
    q_give_contact: "Please give your name and email.",
    q_choose_one: "Choose a quantity for at least one item.",
    q_nothing: "Nothing chosen yet.",
    q_working: "Working out your price…",
    q_something_wrong: "Something went wrong.",
    q_check_fields: "Please check the highlighted fields.",
    q_catalog_failed: "The catalog could not be loaded just now. Please reload the page.",
    q_accepted_thanks: "Thank you: you accepted this quote. We will be in touch to confirm your order.",
    q_link_incomplete: "This link is not complete. Open the link exactly as you received it.",
    q_not_found: "We could not find this quote. If you have an account, sign in first; otherwise use the full link you were given.",
    q_network_reload: "We could not reach the server. Check your connection and reload the page.",
    q_accept_failed: "The quote could not be accepted just now. Please try again.",
    q_status_issued: "Issued",
    q_status_accepted: "Accepted",
    q_status_expired: "Expired",
    h_signin: "Sign in to see your quotes",
    h_none: "You have no quotes yet.",
    h_failed: "Your quotes could not be loaded just now. Please reload the page.",
    // Preference centre.
    p_something_wrong: "Something went wrong.",
    p_load_failed: "We could not load your data just now. Please reload the page.",
    p_saved: "Saved.",
    p_email_changed: "Done: we write to your new address from now on, and told the old one.",
    p_conflict: "Your data changed in another window. We reloaded it: check and save again.",
    p_edit: "Edit",
    p_edit_address: "Edit address: {address}",
    p_delete: "Delete",
    p_delete_address: "Delete address: {address}",
    p_edit_title: "Edit address",
    p_add_title: "Add an address",
    p_address_saved: "Address saved.",
    p_address_added: "Address added.",
    p_address_deleted: "Address deleted.",
    p_address_delete_failed: "We could not delete that address. Please try again.",
    p_purpose_account: "Account",
    p_purpose_marketing_email: "News by email",
    p_purpose_personalisation: "Personalisation",
    p_given: "Given",
    p_withdrawn: "Withdrawn",
    p_receipt: "Receipt",
    p_consent_given: "Consent given. Your receipt is in the history.",
    p_consent_withdrawn: "Consent withdrawn. Your receipt is in the history.",
    p_consent_failed: "We could not save that choice. Please try again.",
    p_erase_confirm: "Type the email address of this account.",
    p_erase_code_sent: "If that is this account's address, a code is on its way. Type it above.",
  },
  es: {
    network: "No hemos podido conectar con nuestro servidor. Comprueba tu conexión y vuelve a intentarlo.",
    error_generic: "Algo ha fallado (error {status}). Vuelve a intentarlo.",
    error_400: "No hemos podido leer lo enviado. Recarga la página y vuelve a intentarlo.",
    error_401: "Vuelve a iniciar sesión.",
    error_404: "No lo hemos encontrado.",
    error_409: "Ya hay una cuenta con este correo. Inicia sesión.",
    error_413: "Es demasiado texto para enviarlo de una vez.",
    error_422: "Revisa los campos marcados abajo.",
    error_429: "Demasiados intentos. Espera un minuto y vuelve a intentarlo.",
    error_503: "Nuestro servicio está ocupado ahora mismo. Vuelve a intentarlo en un minuto.",
    my_account_named: "Mi cuenta ({name})",
    email_empty: "Escribe tu correo electrónico.",
    email_invalid: "Escribe un correo electrónico como ana@ejemplo.com.",
    display_name_empty: "Dinos cómo quieres que te llamemos.",
    display_name_invalid: "Usa hasta 100 letras, sin caracteres de control.",
    language_invalid: "Elige inglés o español.",
    country_empty: "Elige el país en el que vives.",
    country_invalid: "Elige un país de la lista.",
    topics_invalid: "Elige temas de la lista.",
    consent_account_empty: "Marca esta casilla para crear tu cuenta: sin ella no podemos guardar una cuenta.",
    consent_invalid: "No hemos podido guardar esta elección. Márcala o desmárcala de nuevo.",
    field_invalid: "Este valor no es válido.",
    signin_email_invalid: "Escribe el correo con el que te registraste, como ana@ejemplo.com.",
    signin_code_invalid: "Ese código no ha funcionado. Revísalo o pide uno nuevo.",
    signup_code_resent: "Hemos enviado un código nuevo. Usa el más reciente.",
    revoke_failed: "Ahora mismo no hemos podido cerrar tu sesión en todas partes. Vuelve a intentarlo.",
    q_each: "{price} la unidad.",
    q_each_from: "{price} la unidad desde {qty}",
    q_volume: "Precios por volumen: {list}.",
    q_quantity: "Cantidad",
    q_minimum: "Mínimo {n}",
    q_item: "Artículo",
    q_unit_price: "Precio unitario",
    q_line_total: "Total de la línea",
    q_subtotal: "Subtotal",
    q_members_discount: "Descuento de cliente ({rate})",
    q_tax: "Impuestos",
    q_total: "Total",
    q_net: "Neto",
    q_new_price: "Pedir un precio nuevo",
    q_discount: "Descuento",
    q_net_total: "Total neto",
    q_items_caption: "Artículos de este presupuesto",
    q_running: "Total {total} ({n} artículos, impuestos incluidos)",
    q_preview_empty: "Elige una cantidad de algún artículo para ver aquí su precio, con los impuestos de tu país.",
    q_preview_country: "Elige el país al que va el pedido para ver el total con impuestos.",
    q_preview_fix: "Revisa los artículos marcados arriba.",
    countries_likely: "Más probables",
    countries_all: "Todos los países",
    q_this_item: "Este artículo: {detail}",
    q_selection: "Tu selección: {detail}",
    q_country: "País: {detail}",
    q_name: "Nombre: {detail}",
    q_email: "Correo: {detail}",
    q_give_contact: "Indica tu nombre y tu correo.",
    q_choose_one: "Elige una cantidad de al menos un artículo.",
    q_nothing: "Aún no has elegido nada.",
    q_working: "Calculando tu precio…",
    q_something_wrong: "Algo ha fallado.",
    q_check_fields: "Revisa los campos marcados.",
    q_catalog_failed: "Ahora mismo no hemos podido cargar el catálogo. Recarga la página.",
    q_accepted_thanks: "Gracias: has aceptado este presupuesto. Te escribiremos para confirmar tu pedido.",
    q_link_incomplete: "Este enlace está incompleto. Ábrelo exactamente como lo recibiste.",
    q_not_found: "No hemos encontrado este presupuesto. Si tienes cuenta, inicia sesión primero; si no, usa el enlace completo que te dimos.",
    q_network_reload: "No hemos podido conectar con el servidor. Comprueba tu conexión y recarga la página.",
    q_accept_failed: "Ahora mismo no se ha podido aceptar el presupuesto. Vuelve a intentarlo.",
    q_status_issued: "Emitido",
    q_status_accepted: "Aceptado",
    q_status_expired: "Caducado",
    h_signin: "Inicia sesión para ver tus presupuestos",
    h_none: "Aún no tienes presupuestos.",
    h_failed: "Ahora mismo no hemos podido cargar tus presupuestos. Recarga la página.",
    p_something_wrong: "Algo ha fallado.",
    p_load_failed: "Ahora mismo no hemos podido cargar tus datos. Recarga la página.",
    p_saved: "Guardado.",
    p_email_changed: "Hecho: a partir de ahora te escribimos a la nueva dirección, y avisamos a la anterior.",
    p_conflict: "Tus datos cambiaron en otra ventana. Los hemos vuelto a cargar: revísalos y guarda de nuevo.",
    p_edit: "Editar",
    p_edit_address: "Editar la dirección: {address}",
    p_delete: "Borrar",
    p_delete_address: "Borrar la dirección: {address}",
    p_edit_title: "Editar la dirección",
    p_add_title: "Añadir una dirección",
    p_address_saved: "Dirección guardada.",
    p_address_added: "Dirección añadida.",
    p_address_deleted: "Dirección borrada.",
    p_address_delete_failed: "No hemos podido borrar esa dirección. Vuelve a intentarlo.",
    p_purpose_account: "Cuenta",
    p_purpose_marketing_email: "Novedades por correo",
    p_purpose_personalisation: "Personalización",
    p_given: "Dado",
    p_withdrawn: "Retirado",
    p_receipt: "Justificante",
    p_consent_given: "Consentimiento dado. Tienes el justificante en el historial.",
    p_consent_withdrawn: "Consentimiento retirado. Tienes el justificante en el historial.",
    p_consent_failed: "No hemos podido guardar esa elección. Vuelve a intentarlo.",
    p_erase_confirm: "Escribe el correo de esta cuenta.",
    p_erase_code_sent: "Si es el correo de esta cuenta, el código ya va de camino. Escríbelo arriba.",
  },
};

/** The page's language: "en" or "es". */
export const lang = document.documentElement.lang === "es" ? "es" : "en";

/** The message `key` in the page's language, with `{name}` placeholders filled in. */
export function t(key, vars = {}) {
  const text = MESSAGES[lang][key] ?? MESSAGES.en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in vars ? String(vars[name]) : whole));
}

// API details are short English phrases ("is required", "must be between 5 and 500");
// on Spanish pages the known ones are translated, the rest become a general message.
const DETAILS_ES = [
  [/^is required\.?$/i, () => "es obligatorio."],
  [/^must be between (\d+) and (\d+)\.?$/i, (m) => `debe estar entre ${m[1]} y ${m[2]}.`],
  [/^must be at least (\d+)\.?$/i, (m) => `debe ser al menos ${m[1]}.`],
  [/^must be at most (\d+)\.?$/i, (m) => `debe ser como máximo ${m[1]}.`],
  [/^is not (a known|an? )/i, () => "no es válido."],
  [/^needs at least one line\.?$/i, () => "necesita al menos un artículo."],
  [/^must not contain control characters\.?$/i, () => "no puede contener caracteres de control."],
];

/** An API field detail in the page's language. */
export function apiDetail(detail) {
  const text = typeof detail === "string" && detail ? detail : t("field_invalid");
  if (lang === "en") return text;
  for (const [pattern, render] of DETAILS_ES) {
    const match = text.match(pattern);
    if (match) return render(match);
  }
  return t("field_invalid");
}

/** Dates shown to people, in the page's language: "23 November 2026", "23 de noviembre de 2026". */
export const dateLocale = lang === "es" ? "es-ES" : "en-GB";

/** True if there is a message for `key`. */
export function has(key) {
  return key in MESSAGES.en;
}

/** A site path in the page's language: "/signin/" is "/es/signin/" on Spanish pages. */
export function localPath(path) {
  return lang === "en" ? path : `/${lang}${path}`;
}

/** The message for an HTTP error status from the API, in the page's language. */
export function statusMessage(status) {
  return has(`error_${status}`) ? t(`error_${status}`) : t("error_generic", { status });
}

/** Headers for calls to the API: JSON, and the page's language. */
export function apiHeaders(extra = {}) {
  return {
    "Content-Type": "application/json",
    Accept: "application/json, application/problem+json",
    "Accept-Language": lang,
    ...extra,
  };
}
