// Search as you type on "Get a price": GET /api/catalog?q= (with the need chosen on the
// page); "Add" dispatches `catalog:add` {sku, item} on document for quote.js. Marks
// `catalog-search:input` per keystroke and measures `catalog-search:shown` (tests).
import { lang } from "./i18n.js";
import { money, localName } from "./quote-format.js";

const TEXT = {
  en: ["Search all products", "Type a word of the name, in English or Spanish: red, heart, corazón…", "Add", "Add {} to the quote",
    "{} items found.", "{} items shown; type more to narrow them down.", "No product has a word starting like that.",
    "The search did not answer just now. Please try again.", "{} added to your quote.",
    "Product list: the UCI Online Retail data set (Chen, 2015), CC BY 4.0."],
  es: ["Buscar en todos los productos", "Escribe una palabra del nombre, en español o en inglés: rojo, corazón, heart…", "Añadir", "Añadir {} al presupuesto",
    "{} productos encontrados.", "Se muestran {} productos; escribe más para afinar.", "Ningún producto tiene una palabra que empiece así.",
    "La búsqueda no ha respondido. Inténtalo de nuevo.", "{} se ha añadido a tu presupuesto.",
    "Lista de productos: conjunto de datos Online Retail de UCI (Chen, 2015), CC BY 4.0."],
};
const [LABEL, HINT, ADD, ADD_LABEL, FOUND, MORE, NONE, FAILED, ADDED, CREDIT] = TEXT[lang] || TEXT.en;
const say = (text, value = "") => text.replace("{}", value);

function make(tag, attributes = {}, text = null) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  if (text !== null) node.textContent = text;
  return node;
}

function row(item, status) {
  const name = localName(item.name);
  const li = make("li", { class: "catalog-result", "data-sku": item.sku });
  // The placeholder picture: one of six colours by SKU, the name's first letter.
  let shade = 0;
  for (const c of item.sku) shade = (shade * 31 + c.charCodeAt(0)) % 997;
  const thumb = make("span", { class: `catalog-thumb shade-${shade % 6}`, "aria-hidden": "true" }, (item.name.en || "?").charAt(0).toUpperCase());
  const title = make("span", { class: "catalog-result-name" }, name);
  if (lang === "es" && item.name_es_lang === "en") title.setAttribute("lang", "en");
  const text = make("span", { class: "catalog-result-text" });
  text.append(title, make("span", { class: "catalog-result-price" }, money(item.unit_price_minor, item.currency)));
  const add = make("button", { type: "button", class: "button catalog-add", "aria-label": say(ADD_LABEL, name) }, ADD);
  add.addEventListener("click", () => {
    document.dispatchEvent(new CustomEvent("catalog:add", { detail: { sku: item.sku, item } }));
    status.textContent = say(ADDED, name);
  });
  li.append(thumb, text, add);
  return li;
}

const root = document.getElementById("catalog-search");
if (root) {
  const input = make("input", { id: "catalog-q", type: "search", autocomplete: "off", spellcheck: "false", maxlength: "100", "aria-describedby": "catalog-q-hint", "aria-controls": "catalog-results" });
  const status = make("p", { id: "catalog-results-status", class: "hint", role: "status", "aria-live": "polite" });
  const results = make("ul", { id: "catalog-results", class: "catalog-results" });
  root.append(make("label", { for: "catalog-q" }, LABEL), make("p", { id: "catalog-q-hint", class: "hint" }, HINT), input, status, results, make("p", { class: "hint catalog-credit" }, CREDIT));
  let timer = null;
  let inFlight = null;

  const search = async () => {
    const q = input.value.trim();
    if (inFlight) inFlight.abort();
    if (!q) {
      results.textContent = status.textContent = "";
      return;
    }
    const params = new URLSearchParams({ q, limit: "8" });
    const need = document.querySelector("input[name='need']:checked");
    if (need && need.value) params.set("need", need.value);
    const controller = (inFlight = new AbortController());
    try {
      const response = await fetch(`/api/catalog?${params}`, { headers: { Accept: "application/json" }, signal: controller.signal });
      const body = await response.json();
      if (controller.signal.aborted) return;
      if (!response.ok) throw new Error(String(response.status));
      const items = body.items || [];
      results.replaceChildren(...items.map((item) => row(item, status)));
      status.textContent = !items.length ? NONE : say(body.next_cursor ? MORE : FOUND, items.length);
      // No mark when the search came from Enter or a need before any typing.
      if (performance.getEntriesByName("catalog-search:input").length) performance.measure("catalog-search:shown", "catalog-search:input");
    } catch {
      if (controller.signal.aborted) return;
      results.textContent = "";
      status.textContent = FAILED;
    }
  };

  input.addEventListener("input", () => {
    performance.clearMarks("catalog-search:input");
    performance.mark("catalog-search:input");
    clearTimeout(timer);
    timer = setTimeout(search, 60);
  });
  // Enter searches at once and never submits the quote form.
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter") {
      event.preventDefault();
      clearTimeout(timer);
      search();
    }
  });
  document.addEventListener("change", (event) => {
    if (event.target.name === "need" && input.value.trim()) search();
  });
}
