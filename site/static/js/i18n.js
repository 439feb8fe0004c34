// Every message the site's scripts show, in English (i18n-en.js) and Spanish
// (i18n-es.js). Scripts pick the language of the page (<html lang>), so a Spanish page
// speaks Spanish; only that language's file is loaded.
// ES module, no dependencies.

/** The page's language: "en" or "es". */
export const lang = document.documentElement.lang === "es" ? "es" : "en";

const { default: MESSAGES } = await import(lang === "es" ? "./i18n-es.js" : "./i18n-en.js");

/** The message `key` in the page's language, with `{name}` placeholders filled in. */
export function t(key, vars = {}) {
  const text = MESSAGES[key] ?? key;
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

/** An API field detail in the page's language. The API answers in the language of
 * `Accept-Language` (apiHeaders sends the page's): a Spanish text is shown as sent; an
 * English one (a call made without the header) is translated when known. */
export function apiDetail(detail) {
  const text = typeof detail === "string" && detail ? detail : t("field_invalid");
  if (lang === "en") return text;
  for (const [pattern, render] of DETAILS_ES) {
    const match = text.match(pattern);
    if (match) return render(match);
  }
  return /^(debe|es |no |ya |tiene|hace|necesita|solo|escribe|iniciaste|tu |ese |puedes|la parte)/.test(text) ? text : t("field_invalid");
}

/** Dates shown to people, in the page's language: "23 November 2026", "23 de noviembre de 2026". */
export const dateLocale = lang === "es" ? "es-ES" : "en-GB";

/** True if there is a message for `key`. */
export function has(key) {
  return key in MESSAGES;
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
