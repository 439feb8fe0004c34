// "Get a price": browse the catalog by need, pick quantities, send them to
// POST /api/quotes and show the quote at once. Field errors from the API's
// problem+json are shown beside the line or field they name.
// ES module, no dependencies, no inline styles (strict CSP).

import { ready } from "./session.js";
import { money, localName, readJson, el, percent } from "./quote-format.js";
import { apiDetail, apiHeaders, localPath, t } from "./i18n.js";

const form = document.getElementById("quote-form");
const catalogBox = document.getElementById("catalog");
const statusBox = document.getElementById("quote-status");
const submit = document.getElementById("quote-submit");
const result = document.getElementById("quote-result");
let items = [];
let member = false;

function tierText(item) {
  const parts = item.tiers.map((tier) => t("q_each_from", { price: money(tier.unit_price_minor, item.currency), qty: tier.min_quantity }));
  return parts.length ? t("q_volume", { list: parts.join("; ") }) : "";
}

function renderCatalog() {
  catalogBox.textContent = "";
  const list = el("ul", null, { class: "catalog-list", id: "catalog-list" });
  for (const item of items) {
    const id = `qty-${item.sku}`;
    const li = el("li", null, { class: "catalog-item", "data-needs": item.needs.join(" "), "data-sku": item.sku });
    const text = el("div", null, { class: "catalog-text" });
    text.append(el("h3", localName(item.name), { id: `name-${item.sku}` }));
    text.append(el("p", localName(item.description)));
    text.append(el("p", `${t("q_each", { price: money(item.unit_price_minor, item.currency) })} ${tierText(item)}`, { class: "hint", id: `price-${item.sku}` }));
    const qty = el("div", null, { class: "catalog-qty" });
    qty.append(el("label", t("q_quantity"), { for: id }));
    const input = el("input", null, {
      id,
      type: "number",
      inputmode: "numeric",
      min: "0",
      max: String(item.max_quantity),
      step: "1",
      value: "0",
      "data-sku": item.sku,
      "aria-describedby": `name-${item.sku} price-${item.sku} ${id}-error`,
    });
    qty.append(input);
    if (item.min_quantity > 1) qty.append(el("p", t("q_minimum", { n: item.min_quantity }), { class: "hint" }));
    qty.append(el("p", "", { class: "field-error", id: `${id}-error` }));
    li.append(text, qty);
    list.append(li);
  }
  catalogBox.append(list);
  catalogBox.setAttribute("aria-busy", "false");
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
  const table = el("table", null, { class: "quote-lines", id: "quote-lines" });
  const head = el("tr");
  for (const h of [t("q_item"), t("q_quantity"), t("q_unit_price"), t("q_line_total")]) head.append(el("th", h, { scope: "col" }));
  const thead = el("thead");
  thead.append(head);
  table.append(thead);
  const body = el("tbody");
  for (const line of quote.lines) {
    const tr = el("tr");
    tr.append(el("td", localName(line.name)), el("td", line.quantity, { class: "num" }), el("td", money(line.unit_price_minor, quote.currency), { class: "num" }), el("td", money(line.total_minor, quote.currency), { class: "num" }));
    body.append(tr);
  }
  table.append(body);
  summary.append(table);
  const totals = el("dl", null, { class: "quote-totals" });
  totals.append(el("dt", t("q_subtotal")), el("dd", money(quote.subtotal_minor, quote.currency)));
  if (quote.discount_minor > 0) totals.append(el("dt", t("q_members_discount", { rate: percent(quote.discount_rate_bp) })), el("dd", `-${money(quote.discount_minor, quote.currency)}`));
  totals.append(el("dt", t("q_tax")), el("dd", money(quote.tax_minor, quote.currency)));
  totals.append(el("dt", t("q_total")), el("dd", money(quote.total_minor, quote.currency), { id: "quote-total" }));
  summary.append(totals);
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

const customer = await ready;
member = Boolean(customer);
document.getElementById("contact").hidden = member;
document.getElementById("member-note").hidden = !member;

try {
  const response = await fetch("/api/catalog", { headers: { Accept: "application/json" } });
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
