// The printable quote: GET /api/quotes/{id} with the link's token (visitors) or the
// session cookie (the owner), then fills in the page. Accepting is one POST.
// ES module, no dependencies, no inline styles (strict CSP).

import { money, day, localName, readJson, el, percent, STATUS } from "./quote-format.js";
import { apiDetail, apiHeaders, lang, t } from "./i18n.js";

const params = new URLSearchParams(window.location.search);
const id = params.get("id") || "";
const token = params.get("token");
const query = token ? `?token=${encodeURIComponent(token)}` : "";
const message = document.getElementById("q-message");
const doc = document.getElementById("quote-document");
const acceptButton = document.getElementById("q-accept");

function text(elementId, value) {
  document.getElementById(elementId).textContent = value;
}

function render(quote) {
  const c = quote.currency;
  text("q-number", quote.number);
  text("q-created", day(quote.created_at));
  text("q-valid", day(quote.valid_until));
  text("q-status", STATUS[quote.status] || quote.status);
  doc.dataset.status = quote.status;
  text("q-customer-name", quote.customer.name);
  text("q-customer-email", quote.customer.email);
  text("q-country", quote.country);
  text("q-currency", c);
  const rows = document.getElementById("q-lines");
  rows.textContent = "";
  for (const line of quote.lines) {
    const tr = el("tr");
    const item = el("td");
    item.append(el("span", localName(line.name)), el("span", ` ${line.sku}`, { class: "sku" }));
    tr.append(
      item,
      el("td", line.quantity, { class: "num" }),
      el("td", money(line.unit_price_minor, c), { class: "num" }),
      el("td", line.discount_minor ? `-${money(line.discount_minor, c)}` : "–", { class: "num" }),
      el("td", `${money(line.tax_minor, c)} (${percent(line.tax_rate_bp)})`, { class: "num" }),
      el("td", money(line.total_minor, c), { class: "num" }),
    );
    rows.append(tr);
  }
  text("q-subtotal", money(quote.subtotal_minor, c));
  text("q-discount", quote.discount_minor ? `-${money(quote.discount_minor, c)} (${percent(quote.discount_rate_bp)})` : "–");
  text("q-tax", money(quote.tax_minor, c));
  text("q-total", money(quote.total_minor, c));
  acceptButton.hidden = quote.status !== "issued";
  message.textContent = quote.status === "accepted" ? t("q_accepted_thanks") : "";
  doc.setAttribute("aria-busy", "false");
}

async function load() {
  if (!/^[0-9A-HJKMNP-TV-Z]{26}$/i.test(id)) {
    message.textContent = t("q_link_incomplete");
    return;
  }
  try {
    const response = await fetch(`/api/quotes/${encodeURIComponent(id)}${query}`, {
      credentials: "same-origin",
      headers: { Accept: "application/json", "Accept-Language": lang },
    });
    const body = await readJson(response);
    if (response.ok && body) render(body);
    else message.textContent = t("q_not_found");
  } catch {
    message.textContent = t("q_network_reload");
  }
}

document.getElementById("q-print").addEventListener("click", () => window.print());

acceptButton.addEventListener("click", async () => {
  acceptButton.disabled = true;
  try {
    const response = await fetch(`/api/quotes/${encodeURIComponent(id)}/accept${query}`, {
      method: "POST",
      credentials: "same-origin",
      headers: apiHeaders(),
    });
    const body = await readJson(response);
    if (response.ok && body) render(body);
    else message.textContent = body && body.detail && lang === "en" ? body.detail : t("q_accept_failed");
  } catch {
    message.textContent = t("network");
  } finally {
    acceptButton.disabled = false;
  }
});

load();
