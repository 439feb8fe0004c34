// Parts of the preference centre that only display: the state of a consent in words,
// and the in-place "are you sure?" before deleting an address.
// ES module, no dependencies, no inline styles (strict CSP).

import { lang, t } from "./i18n.js";

/** granted, withdrawn (was granted, now not), declined (asked, never given),
 * pending (marketing email waiting for the mailed confirmation) or never_asked. */
export function stateOf(purpose, consents) {
  // The ledger comes newest first, one page at a time (GET /api/me/consents).
  const entries = consents.history.filter((e) => e.purpose === purpose);
  const last = entries[0];
  if (consents.current[purpose]) return "granted";
  // A pending opt-in is recorded as not in force (granted: false, step: pending).
  if (consents.marketing_email_pending && purpose === "marketing_email") return "pending";
  if (last && last.step === "pending") return "pending";
  if (entries.some((e) => e.granted) || (last && last.previous === true)) return "withdrawn";
  return entries.length ? "declined" : "never_asked";
}

export function decisionText(entry) {
  if (entry.step === "pending") return t("p_state_pending");
  if (entry.granted) return t("p_state_granted");
  return entry.previous === true ? t("p_state_withdrawn") : t("p_state_declined");
}

/** Deleting asks first, in place: "Delete this address?" with the two answers. */
export function confirmDelete(item, text, onYes) {
  if (item.querySelector(".confirm-delete")) return;
  const box = document.createElement("p");
  box.className = "confirm-delete";
  box.setAttribute("role", "group");
  box.setAttribute("aria-label", t("p_delete_address", { address: text }));
  const question = document.createElement("span");
  question.textContent = `${t("p_delete_confirm")} `;
  const yes = document.createElement("button");
  yes.type = "button";
  yes.className = "button danger";
  yes.textContent = t("p_delete_yes");
  yes.addEventListener("click", onYes);
  const no = document.createElement("button");
  no.type = "button";
  no.className = "link-button";
  no.textContent = t("p_delete_no");
  no.addEventListener("click", () => {
    box.remove();
    item.querySelector("button").focus();
  });
  box.append(question, yes, document.createTextNode(" "), no);
  item.append(box);
  no.focus();
}


function countryName(code) {
  try {
    return new Intl.DisplayNames([lang], { type: "region" }).of(code) || code;
  } catch {
    return code;
  }
}

/** An address in words: its kinds, its defaults and one line of text. */
export function describe(address) {
  const kinds = new Intl.ListFormat(lang, { type: "conjunction" }).format(address.kinds.map((k) => t(`p_kind_${k}`)));
  const defaults = [address.default_billing ? t("p_default_billing") : "", address.default_delivery ? t("p_default_delivery") : ""]
    .filter(Boolean)
    .join(", ");
  const lines = [address.name, address.line1, address.line2, `${address.postal_code || ""} ${address.city}`.trim(), address.region, countryName(address.country)];
  return { kinds, defaults, text: lines.filter(Boolean).join(", ") };
}

