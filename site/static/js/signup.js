// Sign-up form: sends the customer's answers to the eCRM API as JSON and
// shows RFC 9457 problem details beside the matching fields.
// ES module, no dependencies, no inline styles (strict CSP friendly).

import { apiHeaders, localPath, statusMessage, t } from "./i18n.js";

const API_URL = "/api/customers";

const FIELDS = [
  "email",
  "display_name",
  "language",
  "country",
  "topics",
  "consent_account",
  "consent_marketing_email",
  "consent_personalisation",
];

const form = document.getElementById("signup-form");
const statusBox = document.getElementById("signup-status");
const submitButton = document.getElementById("signup-submit");
const success = document.getElementById("signup-success");
const codeForm = document.getElementById("signup-code-form");
const codeInput = document.getElementById("signup-code");
const codeError = document.getElementById("signup-code-error");
const codeStatus = document.getElementById("signup-code-status");
const codeSubmit = document.getElementById("signup-code-submit");
const resendButton = document.getElementById("signup-code-resend");

/** What the visitor sent, kept to finish (or resend) once the code comes back. */
let pending = null;

/** Maps a JSON pointer from the API (e.g. "/consents/account", "/topics/2") to a form field. */
export function fieldForPointer(pointer) {
  if (typeof pointer !== "string" || !pointer.startsWith("/")) return null;
  const parts = pointer
    .slice(1)
    .split("/")
    .map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"));
  if (parts[0] === "consents") {
    const name = parts.length > 1 ? `consent_${parts[1]}` : null;
    return FIELDS.includes(name) ? name : null;
  }
  return FIELDS.includes(parts[0]) ? parts[0] : null;
}

/** Elements that carry aria-invalid for a field. */
function controlsFor(field) {
  if (field === "topics") {
    return [document.getElementById("topics"), ...form.querySelectorAll('input[name="topics"]')];
  }
  const el = document.getElementById(field);
  return el ? [el] : [];
}

function clearErrors() {
  for (const field of FIELDS) {
    const box = document.getElementById(`${field}-error`);
    if (box) box.textContent = "";
    for (const el of controlsFor(field)) el.removeAttribute("aria-invalid");
  }
  statusBox.textContent = "";
  statusBox.classList.remove("is-error");
}

/** The message for a field the API rejected, in the page's language. */
function fieldMessage(field) {
  const control = document.getElementById(field);
  const empty =
    field === "consent_account"
      ? !control.checked
      : control && "value" in control && String(control.value).trim() === "";
  if (empty && ["email", "display_name", "country", "consent_account"].includes(field)) {
    return t(`${field}_empty`);
  }
  if (field.startsWith("consent_")) return t("consent_invalid");
  return t(`${field}_invalid`);
}

function showFieldError(field, message) {
  const box = document.getElementById(`${field}-error`);
  if (!box) return false;
  box.textContent = box.textContent ? `${box.textContent} ${message}` : message;
  for (const el of controlsFor(field)) el.setAttribute("aria-invalid", "true");
  return true;
}

function showStatus(lines) {
  statusBox.textContent = "";
  lines.filter(Boolean).forEach((line, i) => {
    if (i > 0) statusBox.append(document.createElement("br"));
    statusBox.append(document.createTextNode(line));
  });
  statusBox.classList.add("is-error");
}

function focusFirstInvalid() {
  for (const field of FIELDS) {
    const [first, ...rest] = controlsFor(field);
    if (first && first.getAttribute("aria-invalid") === "true") {
      const target = field === "topics" ? rest[0] : first;
      if (target) target.focus();
      return;
    }
  }
}

/** Who the customer buys for, if they chose: an optional question. */
function buysFor() {
  const chosen = form.querySelector('input[name="buys_for"]:checked');
  return chosen ? { buys_for: chosen.value } : {};
}

function collect() {
  const value = (id) => document.getElementById(id).value;
  const checked = (id) => document.getElementById(id).checked;
  return {
    email: value("email").trim(),
    display_name: value("display_name").trim(),
    language: value("language"),
    country: value("country"),
    topics: Array.from(form.querySelectorAll('input[name="topics"]:checked'), (el) => el.value),
    ...buysFor(),
    consents: {
      account: checked("consent_account"),
      marketing_email: checked("consent_marketing_email"),
      personalisation: checked("consent_personalisation"),
    },
  };
}

async function readJson(response) {
  const type = response.headers.get("Content-Type") || "";
  if (!/json/i.test(type)) return null;
  try {
    return await response.json();
  } catch {
    return null;
  }
}

/** Shows a problem+json answer: field errors beside fields, the rest in #signup-status. */
function showProblem(problem, httpStatus) {
  const general = [];
  const errors = problem && Array.isArray(problem.errors) ? problem.errors : [];
  if (httpStatus === 409) {
    showFieldError("email", t("error_409"));
    // "Sign in instead" is a link to the sign-in page, not just words.
    const box = document.getElementById("email-error");
    if (box) {
      const link = document.createElement("a");
      link.href = localPath("/signin/");
      link.textContent = t("signin_instead");
      box.append(" ", link);
    }
    focusFirstInvalid();
    return;
  }
  let placed = 0;
  const placedFields = new Set();
  for (const err of errors) {
    const field = fieldForPointer(err && err.pointer);
    if (field && !placedFields.has(field) && showFieldError(field, fieldMessage(field))) {
      placedFields.add(field);
      placed += 1;
    } else if (!field) {
      general.push(t("field_invalid"));
    }
  }
  if (placed === 0 || general.length > 0 || httpStatus === 422) {
    showStatus([statusMessage(httpStatus), ...new Set(general)]);
  }
  focusFirstInvalid();
}

function showSuccess(body, data) {
  form.hidden = true;
  if (body && body.id !== undefined && body.id !== null) {
    success.dataset.customerId = String(body.id);
  }
  const name = document.getElementById("signup-success-name");
  if (name && data.display_name) name.textContent = `, ${data.display_name}`;
  success.hidden = false;
  success.focus();
  // The code signed the customer in: the header says so at once.
  if (body && body.display_name) document.dispatchEvent(new CustomEvent("session:signed-in", { detail: body }));
}

async function post(url, data) {
  return fetch(url, {
    method: "POST",
    headers: apiHeaders(),
    credentials: "same-origin",
    body: JSON.stringify(data),
  });
}

/** The form was accepted: the account exists once the mailed code comes back. */
function askForCode(data) {
  pending = data;
  form.hidden = true;
  document.getElementById("signup-code-email").textContent = data.email.trim();
  codeForm.hidden = false;
  codeInput.focus();
}

async function onSubmit(event) {
  event.preventDefault();
  clearErrors();
  const data = collect();
  submitButton.disabled = true;
  form.setAttribute("aria-busy", "true");
  try {
    let response;
    try {
      response = await post(API_URL, data);
    } catch {
      showStatus([t("network")]);
      return;
    }
    const body = await readJson(response);
    if (response.ok) {
      askForCode(data);
      return;
    }
    showProblem(body, response.status);
  } finally {
    submitButton.disabled = false;
    form.removeAttribute("aria-busy");
  }
}

function setCodeError(message) {
  codeError.textContent = message || "";
  if (message) codeInput.setAttribute("aria-invalid", "true");
  else codeInput.removeAttribute("aria-invalid");
}

async function onCode(event) {
  event.preventDefault();
  setCodeError("");
  codeStatus.textContent = "";
  const code = codeInput.value.trim();
  if (!code) {
    setCodeError(t("signin_code_invalid"));
    codeInput.focus();
    return;
  }
  codeSubmit.disabled = true;
  try {
    let response;
    try {
      response = await post("/api/sessions/verify", { email: pending.email, code });
    } catch {
      codeStatus.textContent = t("network");
      return;
    }
    const body = await readJson(response);
    if (response.ok) {
      codeForm.hidden = true;
      showSuccess(body, pending);
      return;
    }
    if (response.status === 401 || response.status === 422) {
      setCodeError(t("signin_code_invalid"));
      codeInput.focus();
      return;
    }
    codeStatus.textContent = statusMessage(response.status);
  } finally {
    codeSubmit.disabled = false;
  }
}

/** Send the same answers again: a new code replaces the old one. */
async function onResend() {
  setCodeError("");
  resendButton.disabled = true;
  try {
    const response = await post(API_URL, pending);
    codeStatus.textContent = response.ok ? t("signup_code_resent") : statusMessage(response.status);
  } catch {
    codeStatus.textContent = t("network");
  } finally {
    resendButton.disabled = false;
    codeInput.focus();
  }
}

/** Replaces country codes with names in the page language, sorted by name. */
function nameCountries() {
  const select = document.getElementById("country");
  if (!select || typeof Intl === "undefined" || typeof Intl.DisplayNames !== "function") return;
  let names;
  try {
    names = new Intl.DisplayNames([document.documentElement.lang || "en"], { type: "region" });
  } catch {
    return;
  }
  const options = Array.from(select.options).filter((o) => o.value !== "");
  for (const option of options) {
    try {
      const name = names.of(option.value);
      if (name && name !== option.value) option.textContent = name;
    } catch {
      // Keep the code as visible text.
    }
  }
  const collator = new Intl.Collator(document.documentElement.lang || "en");
  options
    .sort((a, b) => collator.compare(a.textContent, b.textContent))
    .forEach((o) => select.append(o));
}

if (form && statusBox && submitButton && success && codeForm) {
  nameCountries();
  form.addEventListener("submit", onSubmit);
  codeForm.addEventListener("submit", onCode);
  resendButton.addEventListener("click", onResend);
}
