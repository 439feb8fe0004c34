// The printable quote: GET /api/quotes/{id} with the link's token (visitors) or the
// session cookie (the owner), then fills in the page. Accepting is one POST.
// ES module, no dependencies, no inline styles (strict CSP).

import { day, el, readJson, quoteTable, STATUS } from "./quote-format.js";
import { apiDetail, apiHeaders, lang, localPath, t } from "./i18n.js";

/** "ES" -> "Spain" / "España". */
function countryName(code) {
  try {
    return new Intl.DisplayNames([lang], { type: "region" }).of(code) || code;
  } catch {
    return code;
  }
}

/** A clear message instead of an empty quote, with a way on. */
function fail(key) {
  message.textContent = `${t(key)} `;
  message.classList.add("is-error");
  message.append(el("a", t("q_new_price"), { href: localPath("/quote/") }));
  doc.setAttribute("aria-busy", "false");
}

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
  text("q-currency", c);
  const box = document.getElementById("q-lines-box");
  box.textContent = "";
  box.append(quoteTable(quote, "q-lines", t("q_items_caption")));
  text("q-country", countryName(quote.country));
  document.getElementById("q-meta").hidden = false;
  document.getElementById("q-body").hidden = false;
  document.getElementById("q-print").hidden = false;
  acceptButton.hidden = quote.status !== "issued";
  message.textContent = quote.status === "accepted" ? t("q_accepted_thanks") : "";
  doc.setAttribute("aria-busy", "false");
}

async function load() {
  if (!/^[0-9A-HJKMNP-TV-Z]{26}$/i.test(id)) {
    fail("q_link_incomplete");
    return;
  }
  try {
    const response = await fetch(`/api/quotes/${encodeURIComponent(id)}${query}`, {
      credentials: "same-origin",
      headers: { Accept: "application/json", "Accept-Language": lang },
    });
    const body = await readJson(response);
    if (response.ok && body) render(body);
    else fail("q_not_found");
  } catch {
    fail("q_network_reload");
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
