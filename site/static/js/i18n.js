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
    // Account.
    revoke_failed: "We could not sign you out everywhere just now. Please try again.",
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
    revoke_failed: "Ahora mismo no hemos podido cerrar tu sesión en todas partes. Vuelve a intentarlo.",
  },
};

/** The page's language: "en" or "es". */
export const lang = document.documentElement.lang === "es" ? "es" : "en";

/** The message `key` in the page's language, with `{name}` placeholders filled in. */
export function t(key, vars = {}) {
  const text = MESSAGES[lang][key] ?? MESSAGES.en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in vars ? String(vars[name]) : whole));
}

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
