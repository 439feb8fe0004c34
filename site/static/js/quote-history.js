// The customer's quote history: GET /api/me/quotes, newest first, one page at a time.
// ES module, no dependencies, no inline styles (strict CSP).

import { money, day, el, readJson, STATUS } from "./quote-format.js";
import { localPath, t } from "./i18n.js";

const status = document.getElementById("history-status");
const table = document.getElementById("history");
const rows = document.getElementById("history-rows");
const more = document.getElementById("history-more");
let cursor = null;

function signInLink() {
  status.textContent = "";
  const next = encodeURIComponent(window.location.pathname);
  const a = el("a", t("h_signin"), { href: `${localPath("/signin/")}?next=${next}`, id: "history-signin" });
  status.append(a, document.createTextNode("."));
}

/** The quote's status and, once accepted, its order request's (with the reason of a
 * cancellation). */
function shownStatus(quote) {
  const base = STATUS[quote.status] || quote.status;
  if (!quote.order) return base;
  const reason = quote.order.reason ? ` (${quote.order.reason})` : "";
  return `${base} · ${t(`o_status_${quote.order.status}`)}${reason}`;
}

async function loadPage() {
  more.disabled = true;
  const url = cursor ? `/api/me/quotes?cursor=${encodeURIComponent(cursor)}` : "/api/me/quotes";
  try {
    const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
    if (response.status === 401) {
      signInLink();
      return;
    }
    const body = await readJson(response);
    if (!response.ok || !body) throw new Error("history");
    for (const quote of body.quotes) {
      const tr = el("tr", null, { "data-quote-id": quote.id });
      const link = el("a", quote.number, { href: `${localPath("/quote/view/")}?id=${encodeURIComponent(quote.id)}` });
      const first = el("td");
      first.append(link);
      tr.append(first, el("td", day(quote.created_at)), el("td", money(quote.total_minor, quote.currency), { class: "num" }), el("td", shownStatus(quote)));
      rows.append(tr);
    }
    table.hidden = rows.children.length === 0;
    status.textContent = rows.children.length === 0 ? t("h_none") : "";
    cursor = body.next_cursor;
    more.hidden = !cursor;
  } catch {
    status.textContent = t("h_failed");
  } finally {
    more.disabled = false;
  }
}

more.addEventListener("click", loadPage);
loadPage();
