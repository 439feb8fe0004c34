// Recommendations: the "Find what fits me" page (topics for everyone, "recommended
// for you" with reasons for customers, "often bought together" for an item) and, on the
// quote page, "often bought together" for the items put on the quote. Looking at an
// item's companions, putting it on a quote or browsing a need is sent to /api/events,
// which keeps it only while the customer's personalisation consent is on.
// ES module, no dependencies, no inline styles (strict CSP).

import { apiHeaders, lang, localPath, statusMessage, t } from "./i18n.js";
import { ready } from "./session.js";

const API = "/api/recommendations";

async function lookup(params) {
  const query = new URLSearchParams({ ...params, lang });
  const response = await fetch(`${API}?${query}`, { credentials: "same-origin", headers: apiHeaders() });
  if (!response.ok) throw new Error(statusMessage(response.status));
  return response.json();
}

let signedIn = false;

/** Tell the API what the customer did (kept only with their consent); never blocks. */
async function record(events) {
  if (!signedIn) return;
  try {
    await fetch("/api/events", {
      method: "POST",
      credentials: "same-origin",
      headers: apiHeaders(),
      body: JSON.stringify({ events }),
    });
  } catch {
    // A lost event only makes suggestions a little less fresh.
  }
}

function el(tag, text, attrs = {}) {
  const node = document.createElement(tag);
  if (text) node.textContent = text;
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  return node;
}

/** One suggested item: its name, why, and what one can do with it. */
function renderItem(item, actions) {
  const li = el("li", null, { class: "recs-item", "data-sku": item.sku });
  li.append(el("h3", item.name));
  li.append(el("p", item.reason, { class: "hint recs-reason" }));
  const row = el("p", null, { class: "recs-actions" });
  for (const action of actions(item)) row.append(action, " ");
  li.append(row);
  return li;
}

function renderList(list, items, actions) {
  list.textContent = "";
  if (!items.length) {
    list.append(el("li", t("r_none"), { class: "hint" }));
    return;
  }
  for (const item of items) list.append(renderItem(item, actions));
}

// ------------------------------------------------------------ "Find what fits me"

function fitPage() {
  const personal = document.getElementById("fit-personal");
  const together = document.getElementById("fit-together");
  const togetherList = document.getElementById("fit-together-list");

  const actions = (item) => {
    const price = el("a", t("r_price"), { href: localPath("/quote/"), class: "button" });
    const companions = el("button", t("r_together"), {
      type: "button",
      class: "link-button",
      "aria-controls": "fit-together",
    });
    companions.addEventListener("click", () => showTogether(item));
    return [price, companions];
  };

  async function showTogether(item) {
    await record([{ type: "item_viewed", sku: item.sku }]);
    const body = await lookup({ item: item.sku, limit: "6" });
    document.getElementById("fit-together-heading").textContent = t("r_together_with", { name: item.name });
    renderList(togetherList, body.items, actions);
    together.hidden = false;
    together.scrollIntoView({ block: "nearest" });
    if (signedIn) await showPersonal();
  }

  async function showPersonal() {
    const body = await lookup({ limit: "8" });
    document.getElementById("fit-switch-state").textContent = body.personalised ? t("r_on") : t("r_off");
    document.getElementById("fit-switch-link").textContent = t("r_change");
    document.getElementById("fit-note").textContent = body.note;
    renderList(document.getElementById("fit-list"), body.items, actions);
    personal.hidden = false;
  }

  const form = document.getElementById("fit-topics-form");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const error = document.getElementById("fit-topics-error");
    const topics = [...form.querySelectorAll("input[name=topic]:checked")].map((i) => i.value);
    error.textContent = topics.length ? "" : t("r_pick_one");
    if (!topics.length) return;
    try {
      const body = await lookup({ topic: topics.join(","), limit: "8" });
      document.getElementById("fit-topics-note").textContent = body.note;
      renderList(document.getElementById("fit-topics-list"), body.items, actions);
    } catch (failure) {
      error.textContent = failure.message;
    }
  });

  ready.then(async (customer) => {
    signedIn = Boolean(customer);
    if (signedIn) {
      try {
        await showPersonal();
      } catch (failure) {
        document.getElementById("fit-note").textContent = failure.message;
        personal.hidden = false;
      }
    }
  });
}

// ------------------------------------------------------------ the quote page

function quotePage(catalog) {
  const panel = el("section", null, { id: "recs-together", class: "recs-together", "aria-live": "polite" });
  panel.hidden = true;
  const heading = el("h2", t("r_together"), { id: "recs-together-heading" });
  panel.setAttribute("aria-labelledby", "recs-together-heading");
  const list = el("ol", null, { class: "recs-list" });
  panel.append(heading, list);
  catalog.after(panel);
  const seen = new Set();

  const actions = (item) => {
    const add = el("button", t("r_add", { name: item.name }), { type: "button", class: "link-button" });
    add.addEventListener("click", () => {
      document.dispatchEvent(new CustomEvent("catalog:add", { detail: { sku: item.sku } }));
    });
    return [add];
  };

  catalog.addEventListener("change", async (event) => {
    const input = event.target;
    const sku = input && input.dataset ? input.dataset.sku : null;
    if (!sku || !(Number.parseInt(input.value, 10) > 0) || seen.has(sku)) return;
    seen.add(sku);
    record([{ type: "quote_draft_added", sku }]);
    try {
      const body = await lookup({ item: sku, limit: "4" });
      if (!body.items.length) return;
      const name = input.closest(".catalog-item")?.querySelector("h3")?.textContent || sku;
      heading.textContent = t("r_together_with", { name });
      renderList(list, body.items, actions);
      panel.hidden = false;
    } catch {
      // Suggestions are extra: the quote works without them.
    }
  });
  // Browsing by need ("gift", "home", …) counts too: it brings that need's popular items.
  const needs = document.getElementById("need-choices");
  if (needs) {
    needs.addEventListener("change", (event) => {
      const need = event.target && event.target.name === "need" ? event.target.value : "";
      if (need) record([{ type: "need_viewed", need }]);
    });
  }
  ready.then((customer) => {
    signedIn = Boolean(customer);
  });
}

if (document.getElementById("fit-topics-form")) fitPage();
const catalog = document.getElementById("catalog");
if (catalog) quotePage(catalog);
