// A consent receipt as a page: GET /api/me/consents/receipts/{id}, shown in words in
// the page's language (the JSON stays downloadable, as a second link).
// ES module, no dependencies, no inline styles (strict CSP).

import { ready } from "./session.js";
import { lang, localPath, t } from "./i18n.js";
import { localTime } from "./local-time.js";
import { decisionText } from "./preferences-parts.js";

const status = document.getElementById("receipt-status");
const box = document.getElementById("receipt");
const id = new URLSearchParams(window.location.search).get("id") || "";

function el(tag, text, attributes = {}) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  return node;
}

function row(list, term, value) {
  list.append(el("dt", term));
  const dd = el("dd");
  dd.append(value instanceof Node ? value : document.createTextNode(String(value)));
  list.append(dd);
}

function render(receipt, url) {
  const purpose = receipt.purpose;
  box.textContent = "";
  box.append(el("h2", t(`p_purpose_${purpose}`), { id: "receipt-purpose" }));
  box.append(el("p", t(`rc_desc_${purpose}`)));
  const list = el("dl", null, { class: "receipt-facts" });
  row(list, t("rc_decision"), decisionText(receipt));
  row(list, t("rc_when"), localTime(receipt.at));
  row(list, t("rc_data"), t(`rc_data_${purpose}`));
  const policy = el("a", receipt.policy_version, { href: localPath("/privacy/") });
  row(list, t("rc_policy"), policy);
  row(list, t("rc_source"), t(`rc_source_${receipt.source}`));
  row(list, t("rc_controller"), receipt.controller);
  row(list, t("rc_id"), receipt.receipt_id);
  box.append(list);
  const change = el("p");
  const prefs = el("a", t("rc_change_link"), { href: `${localPath("/account/preferences/")}#consents-heading` });
  change.append(document.createTextNode(`${t(purpose === "account" ? "rc_change_account" : "rc_change")} `), prefs, document.createTextNode("."));
  box.append(change);
  const download = el("a", t("rc_download"), { href: url, download: "", id: "receipt-json" });
  const p = el("p");
  p.append(download);
  box.append(p);
  status.textContent = "";
}

async function load() {
  if (!/^[\w:.+-]{1,100}$/.test(id)) {
    status.textContent = t("rc_not_found");
    return;
  }
  const url = `/api/me/consents/receipts/${encodeURIComponent(id)}`;
  try {
    const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json", "Accept-Language": lang } });
    if (!response.ok) {
      status.textContent = t("rc_not_found");
      return;
    }
    render(await response.json(), url);
  } catch {
    status.textContent = t("network");
  }
}

if (await ready) await load();
