// Catalog search on "Get a price": as the customer types, GET /api/catalog?q= (with
// the need chosen on the page) shows the first matching items with their name, price
// and a placeholder picture, each with an "Add" button. Adding dispatches the DOM
// event `catalog:add` with `{sku, item}` on `document`; the quote form (quote.js) puts
// the item among the lines. ES module, no dependencies, no inline styles (strict CSP).
//
// Timing: each keystroke marks `catalog-search:input`; each shown answer measures
// `catalog-search:shown` from the last keystroke (the browser test reads it).

import { lang } from "./i18n.js";
import { money, localName } from "./quote-format.js";

const TEXT = {
  en: {
    label: "Search all products",
    hint: "Type a word of the name, in English or Spanish: red, heart, corazón…",
    add: "Add",
    add_label: "Add {name} to the quote",
    found: "{n} items found.",
    more: "{n} items shown; type more to narrow them down.",
    none: "No product has a word starting like that.",
    failed: "The search did not answer just now. Please try again.",
    credit: "Product list: the UCI Online Retail data set (Chen, 2015), CC BY 4.0.",
    added: "{name} added to your quote.",
  },
  es: {
    label: "Buscar en todos los productos",
    hint: "Escribe una palabra del nombre, en español o en inglés: rojo, corazón, heart…",
    add: "Añadir",
    add_label: "Añadir {name} al presupuesto",
    found: "{n} productos encontrados.",
    more: "Se muestran {n} productos; escribe más para afinar.",
    none: "Ningún producto tiene una palabra que empiece así.",
    failed: "La búsqueda no ha respondido. Inténtalo de nuevo.",
    credit: "Lista de productos: conjunto de datos Online Retail de UCI (Chen, 2015), CC BY 4.0.",
    added: "{name} se ha añadido a tu presupuesto.",
  },
};

const SHOWN = 8;
const DEBOUNCE_MS = 60;

function say(key, vars = {}) {
  const text = (TEXT[lang] || TEXT.en)[key];
  return text.replace(/\{(\w+)\}/g, (_, name) => String(vars[name] ?? ""));
}

function make(tag, attributes = {}, text = null) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  if (text !== null) node.textContent = text;
  return node;
}

/** A stable picture colour per SKU, from six CSS classes. */
function shade(sku) {
  let sum = 0;
  for (const c of sku) sum = (sum * 31 + c.charCodeAt(0)) % 997;
  return `catalog-thumb shade-${sum % 6}`;
}

/** The item's name in the page's language, marked English where it is not translated. */
function nameNode(item) {
  const name = localName(item.name);
  const node = make("span", { class: "catalog-result-name" }, name);
  if (lang === "es" && item.name_es_lang === "en") node.setAttribute("lang", "en");
  return node;
}

function mount(root) {
  const input = make("input", {
    id: "catalog-q",
    type: "search",
    autocomplete: "off",
    spellcheck: "false",
    maxlength: "100",
    "aria-describedby": "catalog-q-hint",
    "aria-controls": "catalog-results",
  });
  const status = make("p", { id: "catalog-results-status", class: "hint", role: "status", "aria-live": "polite" });
  const results = make("ul", { id: "catalog-results", class: "catalog-results" });
  root.append(
    make("label", { for: "catalog-q" }, say("label")),
    make("p", { id: "catalog-q-hint", class: "hint" }, say("hint")),
    input,
    status,
    results,
    make("p", { class: "hint catalog-credit" }, say("credit")),
  );
  return { input, status, results };
}

function render(ui, body) {
  ui.results.textContent = "";
  const items = body.items || [];
  for (const item of items) {
    const li = make("li", { class: "catalog-result", "data-sku": item.sku });
    const thumb = make("span", { class: shade(item.sku), "aria-hidden": "true" });
    thumb.textContent = (item.name.en || "?").trim().charAt(0).toUpperCase();
    const text = make("span", { class: "catalog-result-text" });
    text.append(nameNode(item), make("span", { class: "catalog-result-price" }, money(item.unit_price_minor, item.currency)));
    const add = make("button", { type: "button", class: "button catalog-add", "aria-label": say("add_label", { name: localName(item.name) }) }, say("add"));
    add.addEventListener("click", () => {
      document.dispatchEvent(new CustomEvent("catalog:add", { detail: { sku: item.sku, item } }));
      ui.status.textContent = say("added", { name: localName(item.name) });
    });
    li.append(thumb, text, add);
    ui.results.append(li);
  }
  if (!items.length) ui.status.textContent = say("none");
  else if (body.next_cursor) ui.status.textContent = say("more", { n: items.length });
  else ui.status.textContent = say("found", { n: items.length });
}

function chosenNeed() {
  const chosen = document.querySelector("input[name='need']:checked");
  return chosen ? chosen.value : "";
}

const root = document.getElementById("catalog-search");
if (root) {
  const ui = mount(root);
  let timer = null;
  let inFlight = null;

  const search = async () => {
    const q = ui.input.value.trim();
    if (inFlight) inFlight.abort();
    if (!q) {
      ui.results.textContent = "";
      ui.status.textContent = "";
      return;
    }
    const params = new URLSearchParams({ q, limit: String(SHOWN) });
    const need = chosenNeed();
    if (need) params.set("need", need);
    const controller = new AbortController();
    inFlight = controller;
    try {
      const response = await fetch(`/api/catalog?${params}`, { headers: { Accept: "application/json" }, signal: controller.signal });
      const body = await response.json();
      if (controller.signal.aborted) return;
      if (!response.ok) throw new Error(String(response.status));
      render(ui, body);
      // No mark when the search came from Enter or a need before any typing.
      if (performance.getEntriesByName("catalog-search:input").length) {
        performance.measure("catalog-search:shown", "catalog-search:input");
      }
    } catch {
      if (controller.signal.aborted) return;
      ui.results.textContent = "";
      ui.status.textContent = say("failed");
    } finally {
      if (inFlight === controller) inFlight = null;
    }
  };

  ui.input.addEventListener("input", () => {
    performance.clearMarks("catalog-search:input");
    performance.mark("catalog-search:input");
    clearTimeout(timer);
    timer = setTimeout(search, DEBOUNCE_MS);
  });
  // Enter searches at once and never submits the quote form.
  ui.input.addEventListener("keydown", (event) => {
    if (event.key === "Enter") {
      event.preventDefault();
      clearTimeout(timer);
      search();
    }
  });
  document.addEventListener("change", (event) => {
    if (event.target && event.target.name === "need" && ui.input.value.trim()) search();
  });
}
