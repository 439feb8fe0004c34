// "Get a price": browse the catalog by need, pick quantities and see a running total
// (POST /api/quotes/preview, debounced: the server prices, the page only shows), then
// keep the quote (POST /api/quotes). Field errors from the API's problem+json are
// shown beside the line or field they name. A member's country starts from their
// default delivery address, else their profile; a visitor chooses (no default).
// ES module, no dependencies, no inline styles (strict CSP).

import { ready } from "./session.js";
import { money, localName, readJson, el, quoteTable } from "./quote-format.js";
import { nameCountries } from "./countries.js";
import { apiDetail, apiHeaders, localPath, statusMessage, t } from "./i18n.js";

const form = document.getElementById("quote-form");
const catalogBox = document.getElementById("catalog");
const statusBox = document.getElementById("quote-status");
const submit = document.getElementById("quote-submit");
const result = document.getElementById("quote-result");
let items = [];
let member = false;

function tierText(item) {
  const parts = (item.tiers || []).map((tier) => t("q_each_from", { price: money(tier.unit_price_minor, item.currency), qty: tier.min_quantity }));
  return parts.length ? t("q_volume", { list: parts.join("; ") }) : "";
}

function renderItem(item) {
  const id = `qty-${item.sku}`;
  const li = el("li", null, { class: "catalog-item", "data-needs": (item.needs || []).join(" "), "data-sku": item.sku });
  const text = el("div", null, { class: "catalog-text" });
  text.append(el("h3", localName(item.name), { id: `name-${item.sku}` }));
  text.append(el("p", localName(item.description), { class: "catalog-description" }));
  text.append(el("p", `${t("q_each", { price: money(item.unit_price_minor, item.currency) })} ${tierText(item)}`, { class: "hint", id: `price-${item.sku}` }));
  const qty = el("div", null, { class: "catalog-qty" });
  qty.append(el("label", t("q_quantity"), { for: id }));
  const input = el("input", null, {
    id,
    type: "number",
    inputmode: "numeric",
    min: "0",
    max: String(item.max_quantity || 99999),
    step: "1",
    value: "0",
    "data-sku": item.sku,
    "data-min": String(item.min_quantity || 1),
    "aria-describedby": `name-${item.sku} price-${item.sku} ${id}-error`,
  });
  qty.append(input);
  if (item.min_quantity > 1) qty.append(el("p", t("q_minimum", { n: item.min_quantity }), { class: "hint" }));
  qty.append(el("p", "", { class: "field-error", id: `${id}-error` }));
  li.append(text, qty);
  return li;
}

function renderCatalog() {
  catalogBox.textContent = "";
  const list = el("ul", null, { class: "catalog-list", id: "catalog-list" });
  for (const item of items) list.append(renderItem(item));
  catalogBox.append(list);
  catalogBox.setAttribute("aria-busy", "false");
}

/** An item chosen elsewhere on the page (catalog search sends `catalog:add` with
 * `{sku}` or `{sku, item}`): at least its minimum quantity, and focus on it. */
function addItem(detail) {
  const sku = detail && detail.sku;
  if (!sku) return;
  let input = document.getElementById(`qty-${sku}`);
  if (!input && detail.item && detail.item.sku === sku) {
    let list = document.getElementById("catalog-list");
    if (!list) {
      catalogBox.textContent = "";
      list = el("ul", null, { class: "catalog-list", id: "catalog-list" });
      catalogBox.append(list);
    }
    list.prepend(renderItem(detail.item));
    input = document.getElementById(`qty-${sku}`);
  }
  if (!input) return;
  const li = input.closest(".catalog-item");
  if (li) li.hidden = false;
  if (!(Number.parseInt(input.value, 10) > 0)) input.value = input.dataset.min || "1";
  input.focus();
  schedulePreview();
}

function filterByNeed(need) {
  for (const li of catalogBox.querySelectorAll(".catalog-item")) {
    li.hidden = Boolean(need) && !li.dataset.needs.split(" ").includes(need);
  }
}

function chosenLines() {
  const lines = [];
  for (const input of catalogBox.querySelectorAll("input[data-sku]")) {
    const quantity = Number.parseInt(input.value, 10);
    if (Number.isFinite(quantity) && quantity > 0) lines.push({ sku: input.dataset.sku, quantity });
  }
  return lines;
}

function clearErrors() {
  for (const box of form.querySelectorAll(".field-error")) box.textContent = "";
  for (const input of form.querySelectorAll("[aria-invalid]")) input.removeAttribute("aria-invalid");
  statusBox.textContent = "";
  statusBox.classList.remove("is-error");
}

function showError(id, message) {
  const box = document.getElementById(`${id}-error`);
  const input = document.getElementById(id);
  if (!box) return false;
  box.textContent = box.textContent ? `${box.textContent} ${message}` : message;
  if (input) input.setAttribute("aria-invalid", "true");
  return true;
}

/** Place each error of a problem+json answer beside what it names. */
function showProblem(problem, lines) {
  const general = [];
  for (const error of (problem && problem.errors) || []) {
    const pointer = String(error.pointer || "");
    const detail = apiDetail(error.detail);
    const line = pointer.match(/^\/lines\/(\d+)\/(sku|quantity)$/);
    let placed = false;
    if (line && lines[Number(line[1])]) placed = showError(`qty-${lines[Number(line[1])].sku}`, t("q_this_item", { detail: apiDetail(error.detail) }));
    else if (pointer === "/lines") placed = showError("lines", t("q_selection", { detail: apiDetail(error.detail) }));
    else if (pointer === "/country") placed = showError("country", t("q_country", { detail: apiDetail(error.detail) }));
    else if (pointer === "/contact/name" || pointer === "/contact") placed = showError("contact_name", pointer === "/contact" ? t("q_give_contact") : t("q_name", { detail: apiDetail(error.detail) }));
    else if (pointer === "/contact/email") placed = showError("contact_email", t("q_email", { detail: apiDetail(error.detail) }));
    if (!placed) general.push(detail);
  }
  const first = form.querySelector("[aria-invalid='true']");
  statusBox.textContent = `${t("q_something_wrong")} ${general.join(" ") || t("q_check_fields")}`;
  statusBox.classList.add("is-error");
  if (first) first.focus();
}

/** The API's link to a quote (`/quote/view/?…`), on this page's language version. */
function localizeLink(link) {
  return typeof link === "string" && link.startsWith("/quote/view/") ? localPath(link) : link;
}

function showQuote(quote) {
  document.getElementById("quote-number").textContent = quote.number;
  const summary = document.getElementById("quote-summary");
  summary.textContent = "";
  summary.append(quoteTable(quote, "quote-lines", t("q_items_caption")));
  const link = localizeLink(quote.link) || `${localPath("/quote/view/")}?id=${encodeURIComponent(quote.id)}`;
  const a = document.getElementById("quote-view-link");
  a.href = link;
  document.getElementById("quote-keep").hidden = !quote.token;
  result.hidden = false;
  result.dataset.quoteId = quote.id;
  result.focus();
}

function newKey() {
  return globalThis.crypto && crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random()}`;
}

// One Idempotency-Key per distinct request: a retry of the same request (double
// click, flaky network) cannot create two quotes.
let pending = { body: "", key: "" };

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  clearErrors();
  const lines = chosenLines();
  if (lines.length === 0) {
    showError("lines", t("q_choose_one"));
    statusBox.textContent = t("q_nothing");
    statusBox.classList.add("is-error");
    return;
  }
  const request = { lines, country: document.getElementById("country").value };
  if (!member) {
    request.contact = {
      name: document.getElementById("contact_name").value.trim(),
      email: document.getElementById("contact_email").value.trim(),
    };
  }
  const body = JSON.stringify(request);
  if (pending.body !== body) pending = { body, key: newKey() };
  submit.disabled = true;
  statusBox.textContent = t("q_working");
  let response;
  let answer = null;
  try {
    response = await fetch("/api/quotes", {
      method: "POST",
      credentials: "same-origin",
      headers: apiHeaders({ "Idempotency-Key": pending.key }),
      body,
    });
    answer = await readJson(response);
  } catch {
    statusBox.textContent = t("network");
    statusBox.classList.add("is-error");
    return;
  } finally {
    submit.disabled = false;
  }
  if (response.status === 201 && answer) {
    statusBox.textContent = "";
    showQuote(answer);
  } else {
    showProblem(answer, lines);
  }
});

document.getElementById("need-choices").addEventListener("change", (event) => {
  if (event.target && event.target.name === "need") filterByNeed(event.target.value);
});

// The running total: the server prices the lines as they change (debounced), the
// newest answer wins, and the total stays in sight at the foot of a phone's screen.
const previewBox = document.getElementById("preview-box");
const previewStatus = document.getElementById("preview-status");
const runningBar = document.getElementById("running-total");
const runningText = document.getElementById("running-total-text");
const countrySelect = document.getElementById("country");
let previewTimer = 0;
let previewSeq = 0;

function clearLineErrors() {
  for (const input of catalogBox.querySelectorAll("input[data-sku]")) {
    input.removeAttribute("aria-invalid");
    const box = document.getElementById(`${input.id}-error`);
    if (box) box.textContent = "";
  }
}

function showPreview(preview) {
  previewBox.textContent = "";
  if (!preview.lines.length) {
    previewStatus.textContent = t("q_preview_empty");
    runningBar.hidden = true;
    return;
  }
  previewStatus.textContent = "";
  previewBox.append(quoteTable(preview, "preview-lines", t("q_items_caption")));
  const total = money(preview.total_minor, preview.currency);
  runningText.textContent = t("q_running", { total, n: preview.lines.length });
  runningBar.hidden = false;
}

async function runPreview() {
  const seq = ++previewSeq;
  const lines = chosenLines();
  clearLineErrors();
  if (lines.length === 0) {
    showPreview({ lines: [] });
    return;
  }
  if (!countrySelect.value) {
    previewBox.textContent = "";
    previewStatus.textContent = t("q_preview_country");
    runningBar.hidden = true;
    return;
  }
  previewStatus.textContent = t("q_working");
  let response;
  let answer = null;
  try {
    response = await fetch("/api/quotes/preview", {
      method: "POST",
      credentials: "same-origin",
      headers: apiHeaders(),
      body: JSON.stringify({ lines, country: countrySelect.value }),
    });
    answer = await readJson(response);
  } catch {
    if (seq === previewSeq) previewStatus.textContent = t("network");
    return;
  }
  if (seq !== previewSeq) return;
  if (response.ok && answer) {
    showPreview(answer);
  } else {
    previewBox.textContent = "";
    runningBar.hidden = true;
    const placed = [];
    for (const error of (answer && answer.errors) || []) {
      const line = String(error.pointer || "").match(/^\/lines\/(\d+)\/(sku|quantity)$/);
      if (line && lines[Number(line[1])]) {
        showError(`qty-${lines[Number(line[1])].sku}`, t("q_this_item", { detail: apiDetail(error.detail) }));
        placed.push(lines[Number(line[1])].sku);
      }
    }
    previewStatus.textContent = placed.length ? t("q_preview_fix") : statusMessage(response.status);
  }
}

function schedulePreview() {
  clearTimeout(previewTimer);
  previewTimer = setTimeout(runPreview, 250);
}

catalogBox.addEventListener("input", (event) => {
  if (event.target && event.target.dataset && event.target.dataset.sku) schedulePreview();
});
countrySelect.addEventListener("change", schedulePreview);
document.addEventListener("catalog:add", (event) => addItem(event.detail));

/** A member's own country (default delivery address, else profile), from a preview
 * of no lines; null for visitors or when it cannot be had. */
async function membersCountry() {
  try {
    const response = await fetch("/api/quotes/preview", {
      method: "POST",
      credentials: "same-origin",
      headers: apiHeaders(),
      body: JSON.stringify({ lines: [] }),
    });
    const body = await readJson(response);
    return response.ok && body ? body.country : null;
  } catch {
    return null;
  }
}

const customer = await ready;
member = Boolean(customer);
document.getElementById("contact").hidden = member;
document.getElementById("member-note").hidden = !member;

const [own] = await Promise.all([
  member ? membersCountry() : Promise.resolve(null),
  (async () => {
    try {
      const response = await fetch("/api/catalog?featured=true&limit=100", { headers: { Accept: "application/json" } });
      const body = await readJson(response);
      if (!response.ok || !body) throw new Error("catalog");
      items = body.items;
      renderCatalog();
      const chosen = form.querySelector("input[name='need']:checked");
      filterByNeed(chosen ? chosen.value : "");
    } catch {
      catalogBox.textContent = "";
      catalogBox.append(el("p", t("q_catalog_failed"), { class: "notice" }));
    }
  })(),
]);
nameCountries(countrySelect, own ? [own] : []);
if (own && !countrySelect.value) countrySelect.value = own;
form.dataset.ready = "true";
schedulePreview();
