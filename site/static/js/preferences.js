// The preference centre: everything held about the signed-in customer, each part
// changeable on its own. Profile changes are JSON Merge Patches under If-Match, so a
// change never overwrites one made meanwhile in another window.
// ES module, no dependencies, no inline styles (strict CSP).

import { ready } from "./session.js";
import { apiDetail, apiHeaders, lang, localPath, t } from "./i18n.js";
import { nameCountries } from "./countries.js";
import { localTime } from "./local-time.js";
import { confirmDelete, decisionText, describe, stateOf } from "./preferences-parts.js";
import { readJson } from "./quote-format.js";

const JSON_HEADERS = apiHeaders();
const status = document.getElementById("prefs-status");
let etag = null;
let me = null;

const $ = (id) => document.getElementById(id);

function say(message) {
  status.textContent = message;
}

/** "Saved" beside the button that was pressed (a live region, so screen readers
 * hear it too), cleared after a while so the next save is announced again. */
function saidBy(id, message) {
  const box = $(id);
  if (!box) return say(message);
  box.textContent = message;
  clearTimeout(box.clearTimer);
  box.clearTimer = setTimeout(() => {
    box.textContent = "";
  }, 8000);
}

/** Put each problem's field errors beside the matching field (`prefix` + pointer name). */
function showErrors(problem, prefix, fallbackBox) {
  let shown = false;
  for (const error of problem.errors || []) {
    const name = (error.pointer || "").split("/")[1] || "";
    const box = $(`${prefix}${name}-error`) || (name === "topics" ? $(`${prefix}topics-error`) : null);
    if (box) {
      box.textContent = apiDetail(error.detail);
      const input = $(`${prefix}${name}`);
      if (input) input.setAttribute("aria-invalid", "true");
      shown = true;
    }
  }
  if (!shown) (fallbackBox || status).textContent = (lang === "en" && (problem.detail || problem.title)) || t("p_something_wrong");
}

function clearErrors(form) {
  for (const box of form.querySelectorAll(".field-error")) box.textContent = "";
  for (const input of form.querySelectorAll("[aria-invalid]")) input.removeAttribute("aria-invalid");
  say("");
}

async function load() {
  const response = await fetch("/api/me", { credentials: "same-origin", headers: { Accept: "application/json", "Accept-Language": lang } });
  if (response.status === 401) {
    window.location.replace(`${localPath("/signin/")}?next=${encodeURIComponent(window.location.pathname)}`);
    return;
  }
  if (!response.ok) {
    say(t("p_load_failed"));
    return;
  }
  etag = response.headers.get("ETag");
  me = await response.json();
  fillProfile();
  fillAddresses();
  await loadConsents();
}

function fillProfile() {
  $("pref-email").value = me.email;
  $("pref-display_name").value = me.display_name;
  $("pref-language").value = me.language;
  $("pref-country").value = me.country;
  $("pref-phone").value = me.phone || "";
  $("pref-buys_for").value = me.buys_for || "";
  for (const box of document.querySelectorAll('input[name="topics"]')) box.checked = me.topics.includes(box.value);
  for (const box of document.querySelectorAll('input[name="channels"]')) box.checked = Boolean(me.contact.channels[box.value]);
  followConsents();
  $("pref-frequency").value = me.contact.frequency;
  $("pref-paused_until").value = me.contact.paused_until || "";
}

$("profile-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.currentTarget;
  clearErrors(form);
  const channels = {};
  for (const box of document.querySelectorAll('input[name="channels"]')) channels[box.value] = box.checked;
  const phone = $("pref-phone").value.trim();
  const paused = $("pref-paused_until").value;
  const patch = {
    email: $("pref-email").value,
    display_name: $("pref-display_name").value,
    language: $("pref-language").value,
    country: $("pref-country").value,
    phone: phone === "" ? null : phone,
    topics: [...document.querySelectorAll('input[name="topics"]:checked')].map((b) => b.value),
    // Sent only when changed, so saving other fields keeps where the value came from.
    ...($("pref-buys_for").value !== (me.buys_for || "") ? { buys_for: $("pref-buys_for").value || null } : {}),
    contact: { channels, frequency: $("pref-frequency").value, paused_until: paused === "" ? null : paused },
  };
  const response = await fetch("/api/me", {
    method: "PATCH",
    credentials: "same-origin",
    headers: { ...JSON_HEADERS, "Content-Type": "application/merge-patch+json", "If-Match": etag || "" },
    body: JSON.stringify(patch),
  });
  if (response.status === 202) {
    // A new email address is used once the code mailed there comes back.
    etag = response.headers.get("ETag");
    const body = await response.json();
    Object.assign(me, body.profile);
    askForEmailCode(patch.email.trim());
    return;
  }
  if (response.ok) {
    etag = response.headers.get("ETag");
    Object.assign(me, await response.json());
    saidBy("profile-saved", t("p_saved"));
    return;
  }
  const problem = (await readJson(response)) || {};
  if (response.status === 412) {
    say(t("p_conflict"));
    await load();
    return;
  }
  for (const error of problem.errors || []) {
    if ((error.pointer || "").startsWith("/contact")) {
      $("pref-contact-error").textContent = error.detail;
    }
  }
  showErrors(problem, "pref-");
});

function fillAddresses() {
  const list = $("address-list");
  list.replaceChildren();
  for (const address of me.addresses) {
    const { kinds, defaults, text } = describe(address);
    const item = document.createElement("li");
    item.dataset.addressId = address.id;
    const title = document.createElement("p");
    title.textContent = `${kinds}${defaults ? ` (${defaults})` : ""}`;
    const body = document.createElement("p");
    body.textContent = text;
    const edit = document.createElement("button");
    edit.type = "button";
    edit.className = "link-button";
    edit.textContent = t("p_edit");
    edit.setAttribute("aria-label", t("p_edit_address", { address: text }));
    edit.addEventListener("click", () => editAddress(address));
    const remove = document.createElement("button");
    remove.type = "button";
    remove.className = "link-button";
    remove.textContent = t("p_delete");
    remove.setAttribute("aria-label", t("p_delete_address", { address: text }));
    remove.addEventListener("click", () => confirmDelete(item, text, () => deleteAddress(address.id)));
    item.append(title, body, edit, document.createTextNode(" · "), remove);
    list.append(item);
  }
}

const ADDRESS_FIELDS = ["name", "line1", "line2", "city", "region", "postal_code"];

function editAddress(address) {
  $("addr-id").value = address.id;
  $("address-form-title").textContent = t("p_edit_title");
  $("addr-billing").checked = address.kinds.includes("billing");
  $("addr-delivery").checked = address.kinds.includes("delivery");
  for (const field of ADDRESS_FIELDS) $(`addr-${field}`).value = address[field] || "";
  $("addr-country").value = address.country;
  $("addr-default_billing").checked = address.default_billing;
  $("addr-default_delivery").checked = address.default_delivery;
  $("address-cancel").hidden = false;
  $("addr-name").focus();
}

function resetAddressForm() {
  const form = $("address-form");
  form.reset();
  $("addr-id").value = "";
  $("address-form-title").textContent = t("p_add_title");
  $("address-cancel").hidden = true;
  $("addr-country").value = me ? me.country : "";
}

$("address-cancel").addEventListener("click", resetAddressForm);

$("address-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.currentTarget;
  clearErrors(form);
  const body = {
    kinds: ["billing", "delivery"].filter((k) => $(`addr-${k}`).checked),
    country: $("addr-country").value,
    default_billing: $("addr-default_billing").checked,
    default_delivery: $("addr-default_delivery").checked,
  };
  for (const field of ADDRESS_FIELDS) {
    const value = $(`addr-${field}`).value.trim();
    if (value) body[field] = value;
  }
  const id = $("addr-id").value;
  const response = await fetch(id ? `/api/me/addresses/${encodeURIComponent(id)}` : "/api/me/addresses", {
    method: id ? "PUT" : "POST",
    credentials: "same-origin",
    headers: JSON_HEADERS,
    body: JSON.stringify(body),
  });
  if (response.ok) {
    resetAddressForm();
    await load();
    saidBy("address-saved", id ? t("p_address_saved") : t("p_address_added"));
    return;
  }
  showErrors((await readJson(response)) || {}, "addr-", $("addr-form-error"));
});

async function deleteAddress(id) {
  const response = await fetch(`/api/me/addresses/${encodeURIComponent(id)}`, {
    method: "DELETE",
    credentials: "same-origin",
    headers: JSON_HEADERS,
  });
  say(response.ok ? t("p_address_deleted") : t("p_address_delete_failed"));
  await load();
}

let consentState = null;

/** No channel is ticked without its consent: email news needs the marketing email
 * consent, so without it the Email channel is unticked and cannot be ticked. */
function followConsents() {
  const box = $("pref-channel-email");
  if (!box || !consentState) return;
  const allowed = Boolean(consentState.marketing_email);
  if (!allowed) box.checked = false;
  box.disabled = !allowed;
  const hint = $("pref-channel-email-hint");
  if (hint) hint.hidden = allowed;
}

const PURPOSES = {
  account: t("p_purpose_account"),
  marketing_email: t("p_purpose_marketing_email"),
  personalisation: t("p_purpose_personalisation"),
};

async function loadConsents() {
  const response = await fetch("/api/me/consents", { credentials: "same-origin", headers: { Accept: "application/json" } });
  if (!response.ok) return;
  const consents = await response.json();
  consentState = consents.current;
  for (const purpose of ["marketing_email", "personalisation"]) {
    $(`consent-${purpose}`).checked = Boolean(consents.current[purpose]);
    const state = $(`consent-${purpose}-state`);
    if (state) state.textContent = t(`p_state_${stateOf(purpose, consents)}`);
  }
  followConsents();
  const body = $("consent-history").querySelector("tbody");
  body.replaceChildren();
  // Newest first, as the API sends it.
  for (const entry of consents.history) {
    const row = document.createElement("tr");
    const when = document.createElement("td");
    when.append(localTime(entry.at));
    row.append(when);
    const cells = [PURPOSES[entry.purpose] || entry.purpose, decisionText(entry), entry.policy_version];
    for (const text of cells) {
      const cell = document.createElement("td");
      cell.textContent = text;
      row.append(cell);
    }
    const receiptCell = document.createElement("td");
    const link = document.createElement("a");
    link.href = `${localPath("/account/receipt/")}?id=${encodeURIComponent(entry.receipt_id)}`;
    link.textContent = t("p_receipt");
    const json = document.createElement("a");
    json.href = entry.receipt_url;
    json.setAttribute("download", "");
    json.textContent = "JSON";
    json.setAttribute("aria-label", t("p_receipt_json"));
    receiptCell.append(link, document.createTextNode(" · "), json);
    row.append(receiptCell);
    body.append(row);
  }
}

for (const purpose of ["marketing_email", "personalisation"]) {
  $(`consent-${purpose}`).addEventListener("change", async (event) => {
    const granted = event.currentTarget.checked;
    const response = await fetch(`/api/me/consents/${purpose}`, {
      method: "PUT",
      credentials: "same-origin",
      headers: JSON_HEADERS,
      body: JSON.stringify({ granted }),
    });
    const answer = response.ok ? await response.json().catch(() => ({})) : null;
    const pending = Boolean(answer && answer.receipt && answer.receipt.step === "pending");
    say(!answer ? t("p_consent_failed") : pending ? t("p_consent_pending") : granted ? t("p_consent_given") : t("p_consent_withdrawn"));
    await load();
  });
}

$("erase-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  clearErrors(event.currentTarget);
  const response = await fetch("/api/me", {
    method: "DELETE",
    credentials: "same-origin",
    headers: JSON_HEADERS,
    body: JSON.stringify({ confirm_email: $("erase-confirm").value, code: $("erase-code").value.trim() || undefined }),
  });
  if (response.status === 204) {
    window.location.assign(localPath("/account/erased/"));
    return;
  }
  const problem = (await readJson(response)) || {};
  const pointers = (problem.errors || []).map((e) => e.pointer);
  if (pointers.includes("/confirm_email")) {
    $("erase-confirm-error").textContent = t("p_erase_mismatch");
    $("erase-confirm").setAttribute("aria-invalid", "true");
    $("erase-confirm").focus();
  } else if (pointers.includes("/code")) {
    $("erase-code-error").textContent = t("p_erase_code_needed");
    $("erase-code").setAttribute("aria-invalid", "true");
    $("erase-code").focus();
  } else {
    $("erase-confirm-error").textContent = response.status === 422 ? t("p_erase_confirm") : t("p_something_wrong");
  }
});

$("erase-send-code").addEventListener("click", async () => {
  const email = $("erase-confirm").value.trim();
  if (!email) {
    $("erase-confirm-error").textContent = t("p_erase_confirm");
    $("erase-confirm").focus();
    return;
  }
  const response = await fetch("/api/sessions", {
    method: "POST",
    credentials: "same-origin",
    headers: JSON_HEADERS,
    body: JSON.stringify({ email }),
  });
  $("erase-code-error").textContent = response.ok ? "" : t("p_something_wrong");
  say(response.ok ? t("p_erase_code_sent") : t("p_something_wrong"));
  $("erase-code").focus();
});

let pendingEmail = "";

function askForEmailCode(address) {
  pendingEmail = address;
  $("email-change-to").textContent = address;
  $("email-change").hidden = false;
  $("pref-email-code").value = "";
  $("pref-email-code").focus();
}

$("email-change-submit").addEventListener("click", async () => {
  $("pref-email-code-error").textContent = "";
  $("pref-email-code").removeAttribute("aria-invalid");
  const response = await fetch("/api/sessions/verify", {
    method: "POST",
    credentials: "same-origin",
    headers: JSON_HEADERS,
    body: JSON.stringify({ email: pendingEmail, code: $("pref-email-code").value }),
  });
  if (response.ok) {
    $("email-change").hidden = true;
    await load();
    say(t("p_email_changed"));
    return;
  }
  $("pref-email-code-error").textContent = t("signin_code_invalid");
  $("pref-email-code").setAttribute("aria-invalid", "true");
  $("pref-email-code").focus();
});

if (await ready) {
  await load();
  const own = me ? [me.country] : [];
  nameCountries($("pref-country"), own);
  nameCountries($("addr-country"), own);
  if (me) {
    $("pref-country").value = me.country;
    if (!$("addr-id").value) $("addr-country").value = me.country;
  }
}
