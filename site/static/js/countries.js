// Country lists in people's words: every <select> of ISO codes (rendered by the site
// from config.toml) shows country names in the page's language (Intl.DisplayNames),
// with likely countries first: the customer's own, the regions of the browser's
// languages, then the shop's main markets; the rest follow by name. There is no
// silent default: a select with an empty "Choose…" option keeps it until someone
// chooses (or a known country of the customer's is set by the page).
// ES module, no dependencies.

import { lang, t } from "./i18n.js";

/** The shop's main markets, after the customer's own and the browser's. */
const MARKETS = ["GB", "ES", "IE", "FR", "DE", "PT", "IT", "NL", "US"];

/** Regions of the browser's languages ("es-MX" -> "MX"). */
function browserRegions() {
  const regions = [];
  for (const tag of navigator.languages || [navigator.language || ""]) {
    try {
      const region = new Intl.Locale(tag).maximize().region;
      if (region) regions.push(region);
    } catch {
      // Not a language tag: nothing to learn from it.
    }
  }
  return regions;
}

function displayNames() {
  try {
    return new Intl.DisplayNames([lang], { type: "region" });
  } catch {
    return null;
  }
}

/**
 * Name and order the options of `select`. `own` are the customer's countries (most
 * likely first). Safe to call again (for example once the customer is known).
 */
export function nameCountries(select, own = []) {
  if (!select) return;
  const names = displayNames();
  const options = Array.from(select.querySelectorAll("option")).filter((o) => o.value !== "");
  for (const option of options) {
    // The site renders `<option>ES</option>` (the code is the value until named).
    option.value = option.value;
    let name = option.value;
    try {
      name = (names && names.of(option.value)) || option.value;
    } catch {
      // Keep the code as the visible text.
    }
    option.textContent = name;
  }
  if (!select.querySelector("option[value='']")) {
    // No silent default: until a country is known or chosen, the select says so.
    const placeholder = document.createElement("option");
    placeholder.value = "";
    placeholder.textContent = t("choose_country");
    select.prepend(placeholder);
    if (!select.dataset.named) select.value = "";
  }
  select.dataset.named = "true";
  const byCode = new Map(options.map((o) => [o.value, o]));
  const likely = [];
  for (const code of [...own, ...browserRegions(), ...MARKETS]) {
    const option = byCode.get(code);
    if (option && !likely.includes(option)) likely.push(option);
  }
  const collator = new Intl.Collator(lang);
  const rest = options.filter((o) => !likely.includes(o)).sort((a, b) => collator.compare(a.textContent, b.textContent));
  const chosen = select.value;
  for (const group of select.querySelectorAll("optgroup")) group.remove();
  const first = document.createElement("optgroup");
  first.label = t("countries_likely");
  first.append(...likely);
  const all = document.createElement("optgroup");
  all.label = t("countries_all");
  all.append(...rest);
  select.append(first, all);
  select.value = chosen;
}

/** Every country select on the page (`select[autocomplete=country]`). */
export function nameAllCountries(own = []) {
  for (const select of document.querySelectorAll("select[autocomplete='country']")) nameCountries(select, own);
}
