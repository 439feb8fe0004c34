// The customer's timeline: GET /api/me/timeline, newest first, one page at a time.
// Labels come from the page (its front matter), in the page's language.
// ES module, no dependencies, no inline styles (strict CSP).

import { localPath } from "./i18n.js";
import { el, readJson } from "./quote-format.js";
import { localTime } from "./local-time.js";

const status = document.getElementById("timeline-status");
const table = document.getElementById("timeline");
const rows = document.getElementById("timeline-rows");
const more = document.getElementById("timeline-more");
const labels = Object.fromEntries(
  [...document.querySelectorAll("#timeline-labels dd")].map((dd) => [dd.dataset.what, dd.textContent]),
);
let cursor = null;

/** Short facts as text: a subject, a quote number, a purpose and its new state. */
function details(entry) {
  const d = entry.detail || {};
  if (d.subject) return d.subject;
  if (d.number) return d.number;
  if (d.purpose) return `${d.purpose}: ${d.step || (d.granted === "true" ? "✓" : "✗")}`;
  return Object.values(d).join(" · ");
}

async function loadPage() {
  more.disabled = true;
  const url = cursor ? `/api/me/timeline?cursor=${encodeURIComponent(cursor)}` : "/api/me/timeline";
  try {
    const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
    if (response.status === 401) {
      const next = encodeURIComponent(window.location.pathname);
      status.replaceChildren(el("a", status.dataset.signin, { href: `${localPath("/signin/")}?next=${next}` }));
      return;
    }
    const body = await readJson(response);
    if (!response.ok || !body) throw new Error("timeline");
    for (const entry of body.entries) {
      const tr = el("tr", null, { "data-what": entry.what });
      const when = el("td");
      when.append(localTime(entry.at));
      tr.append(when, el("td", labels[entry.what] || entry.what), el("td", details(entry)));
      rows.append(tr);
    }
    table.hidden = rows.children.length === 0;
    status.textContent = rows.children.length === 0 ? status.dataset.none : "";
    cursor = body.next_cursor;
    more.hidden = !cursor;
  } catch {
    status.textContent = status.dataset.failed;
  } finally {
    more.disabled = false;
  }
}

more.addEventListener("click", loadPage);
loadPage();
