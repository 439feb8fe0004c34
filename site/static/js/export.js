// "All my data" as a page: GET /api/me/export shown in words (profile, addresses,
// consent history) and every stored item as a list of its fields, so nothing held is
// hidden behind a file. The JSON file stays downloadable.
// ES module, no dependencies, no inline styles (strict CSP).

import { ready } from "./session.js";
import { lang, t } from "./i18n.js";
import { localTime } from "./local-time.js";
import { decisionText, describe } from "./preferences-parts.js";

const status = document.getElementById("export-status");
const box = document.getElementById("export");
const RFC3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;

function el(tag, text, attributes = {}) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  return node;
}

/** A stored value in words: times local, lists joined, objects as nested lists. */
function value(v) {
  if (v === null || v === undefined) return document.createTextNode("–");
  if (typeof v === "boolean") return document.createTextNode(v ? t("x_yes") : t("x_no"));
  if (typeof v === "string" && RFC3339.test(v)) return localTime(v);
  if (Array.isArray(v)) {
    if (v.every((x) => typeof x !== "object" || x === null)) return document.createTextNode(v.join(", ") || "–");
    const list = el("ol");
    for (const x of v) {
      const li = el("li");
      li.append(value(x));
      list.append(li);
    }
    return list;
  }
  if (typeof v === "object") return fields(v);
  return document.createTextNode(String(v));
}

function fields(object) {
  const list = el("dl", null, { class: "export-fields" });
  for (const [key, v] of Object.entries(object)) {
    list.append(el("dt", key));
    const dd = el("dd");
    dd.append(value(v));
    list.append(dd);
  }
  return list;
}

function section(title, id) {
  const s = el("section", null, { "aria-labelledby": id });
  s.append(el("h2", title, { id }));
  box.append(s);
  return s;
}

function render(data) {
  box.textContent = "";
  const me = data.summary;
  const profile = section(t("x_profile"), "x-profile");
  const list = el("dl", null, { class: "export-fields" });
  const facts = [
    [t("x_email"), me.email],
    [t("x_name"), me.display_name],
    [t("x_language"), me.language],
    [t("x_country"), me.country],
    [t("x_phone"), me.phone || "–"],
    [t("x_topics"), (me.topics || []).join(", ") || "–"],
    [t("x_exported"), localTime(data.exported_at)],
  ];
  for (const [term, v] of facts) {
    list.append(el("dt", term));
    const dd = el("dd");
    dd.append(v instanceof Node ? v : document.createTextNode(String(v)));
    list.append(dd);
  }
  profile.append(list);
  const addresses = section(t("x_addresses"), "x-addresses");
  if (!me.addresses.length) addresses.append(el("p", t("x_none")));
  const ul = el("ul");
  for (const a of me.addresses) {
    const { kinds, defaults, text } = describe(a);
    ul.append(el("li", `${kinds}${defaults ? ` (${defaults})` : ""}: ${text}`));
  }
  addresses.append(ul);
  const consents = section(t("x_consents"), "x-consents");
  const ol = el("ol");
  for (const entry of data.consent_history) {
    const li = el("li");
    li.append(localTime(entry.at), document.createTextNode(` · ${t(`p_purpose_${entry.purpose}`)}: ${decisionText(entry)} (${entry.policy_version})`));
    ol.append(li);
  }
  consents.append(ol);
  const items = section(t("x_items"), "x-items");
  items.append(el("p", t("x_items_hint")));
  for (const item of [...data.items, ...data.related_items]) {
    const details = el("details");
    details.append(el("summary", `${item.kind || "item"}${item.SK ? ` · ${item.SK}` : ""}`));
    details.append(fields(item));
    items.append(details);
  }
  status.textContent = "";
}

async function load() {
  try {
    const response = await fetch("/api/me/export", { credentials: "same-origin", headers: { Accept: "application/json", "Accept-Language": lang } });
    if (!response.ok) {
      status.textContent = t("p_load_failed");
      return;
    }
    render(await response.json());
  } catch {
    status.textContent = t("network");
  }
}

if (await ready) await load();
