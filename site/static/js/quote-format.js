// Formatting for quotes: money from integer minor units, percentages from basis
// points, dates, and the one way a quote's lines and totals are drawn (the "Get a
// price" page and the printable quote share it). ES module, no dependencies.

import { dateLocale, lang, t } from "./i18n.js";

const moneyFormats = new Map();

function moneyFormat(currency) {
  if (!moneyFormats.has(currency)) {
    let format = null;
    try {
      format = new Intl.NumberFormat(dateLocale, { style: "currency", currency, currencyDisplay: "narrowSymbol" });
    } catch {
      format = null;
    }
    moneyFormats.set(currency, format);
  }
  return moneyFormats.get(currency);
}

/** 123456, "GBP" -> "£1,234.56" (en) or "1234,56 £" (es). Amounts are integers of
 * minor units: they are handed to Intl as exact decimal strings, never as floats. */
export function money(minor, currency) {
  const value = BigInt(minor);
  const sign = value < 0n ? "-" : "";
  const abs = value < 0n ? -value : value;
  const decimal = `${sign}${abs / 100n}.${(abs % 100n).toString().padStart(2, "0")}`;
  const format = moneyFormat(currency);
  return format ? format.format(decimal) : `${decimal} ${currency}`;
}

/** "2026-11-23T18:01:20.123456Z" -> "23 November 2026" (UTC: a quote's dates are the
 * business's dates, the same for everyone who reads it). */
export function day(rfc3339) {
  const date = new Date(rfc3339);
  if (Number.isNaN(date.getTime())) return rfc3339 || "";
  return date.toLocaleDateString(dateLocale, { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
}

const percentFormat = new Intl.NumberFormat(dateLocale, { style: "percent", maximumFractionDigits: 2 });

/** Basis points as a percentage: 2000 -> "20%" (en) or "20 %" (es); 550 -> "5.5%". */
export function percent(bp) {
  return percentFormat.format(`${Math.trunc(bp / 10000)}.${String(bp % 10000).padStart(4, "0")}`);
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

/** A cell that, on narrow screens, shows its column's name beside its value
 * (`data-label`, drawn by quote.css) so a line reads as a small card. */
function cell(tag, text, label, className = "num") {
  return el(tag, text, { class: className, "data-label": label });
}

/**
 * A quote's lines as a shop's quote: per line the item, unit price, quantity, net
 * (unit price × quantity), discount, tax with its rate, and the line total; then the
 * totals, each the sum of its column, so they visibly add up. `quote` is a QuoteView
 * or a QuotePreview. Returns a <table> with `id` (and ids `${id}-…` on the totals).
 */
export function quoteTable(quote, id, caption) {
  const c = quote.currency;
  const m = (minor) => money(minor, c);
  const cols = [t("q_item"), t("q_unit_price"), t("q_quantity"), t("q_net"), t("q_discount"), t("q_tax"), t("q_line_total")];
  const table = el("table", null, { class: "quote-lines", id });
  table.append(el("caption", caption, { class: "visually-hidden" }));
  const head = el("tr");
  cols.forEach((h, i) => head.append(el("th", h, { scope: "col", class: i === 0 ? "item" : "num" })));
  const thead = el("thead");
  thead.append(head);
  const body = el("tbody");
  for (const line of quote.lines) {
    const tr = el("tr", null, { "data-sku": line.sku });
    const item = el("th", null, { scope: "row", class: "item" });
    item.append(el("span", localName(line.name)), el("span", ` ${line.sku}`, { class: "sku" }));
    tr.append(
      item,
      cell("td", m(line.unit_price_minor), cols[1]),
      cell("td", line.quantity, cols[2]),
      cell("td", m(line.subtotal_minor), cols[3]),
      cell("td", line.discount_minor ? `−${m(line.discount_minor)}` : "–", cols[4]),
      cell("td", `${m(line.tax_minor)} (${percent(line.tax_rate_bp)})`, cols[5]),
      cell("td", m(line.total_minor), cols[6], "num line-total"),
    );
    body.append(tr);
  }
  const foot = el("tfoot");
  const total = (key, label, value, extra = "") => {
    const tr = el("tr", null, { class: `sum ${extra}`.trim() });
    tr.append(el("th", label, { scope: "row", colspan: "6" }), el("td", value, { class: "num", id: `${id}-${key}` }));
    foot.append(tr);
  };
  total("net", t("q_net_total"), m(quote.subtotal_minor));
  if (quote.discount_minor > 0) total("discount", t("q_members_discount", { rate: percent(quote.discount_rate_bp) }), `−${m(quote.discount_minor)}`);
  total("tax", t("q_tax"), m(quote.tax_minor));
  total("total", t("q_total"), m(quote.total_minor), "quote-total");
  table.append(thead, body, foot);
  return table;
}
