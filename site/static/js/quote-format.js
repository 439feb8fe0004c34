// Formatting for quotes: money from integer minor units (no floating point anywhere),
// and UTC RFC 3339 dates shown as plain dates. ES module, no dependencies.

import { dateLocale, lang, t } from "./i18n.js";

const SYMBOLS = { GBP: "£", EUR: "€", USD: "$" };

/** 123456, "GBP" -> "£1,234.56". Amounts are integers of minor units. */
export function money(minor, currency) {
  const value = BigInt(minor);
  const sign = value < 0n ? "-" : "";
  const abs = value < 0n ? -value : value;
  const whole = (abs / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  const cents = (abs % 100n).toString().padStart(2, "0");
  const symbol = SYMBOLS[currency];
  return symbol ? `${sign}${symbol}${whole}.${cents}` : `${sign}${whole}.${cents} ${currency}`;
}

/** "2026-11-23T18:01:20.123456Z" -> "23 November 2026" (UTC). */
export function day(rfc3339) {
  const date = new Date(rfc3339);
  if (Number.isNaN(date.getTime())) return rfc3339 || "";
  return date.toLocaleDateString(dateLocale, { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
}

/** Basis points as a percentage: 2000 -> "20%", 550 -> "5.5%". */
export function percent(bp) {
  const whole = Math.trunc(bp / 100);
  const rest = bp % 100;
  return rest ? `${whole}.${String(rest).padStart(2, "0").replace(/0$/, "")}%` : `${whole}%`;
}

export const STATUS = {
  issued: t("q_status_issued"),
  accepted: t("q_status_accepted"),
  expired: t("q_status_expired"),
};

/** The item's name in the page's language. */
export function localName(text) {
  return (text && (text[lang] || text.en)) || "";
}

/** A problem+json body (or null). */
export async function readJson(response) {
  const type = response.headers.get("Content-Type") || "";
  if (!/json/i.test(type)) return null;
  try {
    return await response.json();
  } catch {
    return null;
  }
}

/** Build an element with text content and attributes (never innerHTML). */
export function el(tag, text, attributes = {}) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  return node;
}
