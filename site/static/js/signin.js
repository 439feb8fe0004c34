// Passwordless sign-in: email first, then the one-time code from the mail.
// ES module, no dependencies, no inline styles (strict CSP).

import { apiHeaders, localPath, statusMessage, t } from "./i18n.js";

const emailForm = document.getElementById("signin-email-form");
const codeForm = document.getElementById("signin-code-form");
const status = document.getElementById("signin-status");
const emailInput = document.getElementById("signin-email");
const codeInput = document.getElementById("signin-code");


/** Only a path on this site: never another origin (no open redirect). */
export function safeNext(raw) {
  // Parse the way the browser will navigate (tabs, newlines and backslashes are
  // normalised by the URL parser), then accept only a path on this site's own origin.
  const fallback = localPath("/account/");
  if (typeof raw !== "string" || !raw.startsWith("/")) return fallback;
  let url;
  try {
    url = new URL(raw, window.location.origin);
  } catch {
    return fallback;
  }
  if (url.origin !== window.location.origin) return fallback;
  return url.pathname + url.search + url.hash;
}

function setError(input, box, message) {
  box.textContent = message || "";
  if (message) input.setAttribute("aria-invalid", "true");
  else input.removeAttribute("aria-invalid");
}

async function problemOf(response) {
  try {
    return await response.json();
  } catch {
    return {};
  }
}

async function post(url, body) {
  return fetch(url, { method: "POST", credentials: "same-origin", headers: apiHeaders(), body: JSON.stringify(body) });
}

function networkError() {
  status.textContent = t("network");
}

emailForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  const box = document.getElementById("signin-email-error");
  setError(emailInput, box, "");
  status.textContent = "";
  const button = document.getElementById("signin-email-submit");
  button.disabled = true;
  try {
    const response = await post("/api/sessions", { email: emailInput.value });
    if (response.status === 202) {
      emailForm.hidden = true;
      codeForm.hidden = false;
      codeInput.focus();
      return;
    }
    const problem = await problemOf(response);
    const fieldError = (problem.errors || []).find((e) => e.pointer === "/email");
    if (fieldError) {
      setError(emailInput, box, t("signin_email_invalid"));
      emailInput.focus();
    } else {
      status.textContent = statusMessage(response.status);
    }
  } catch {
    networkError();
  } finally {
    button.disabled = false;
  }
});

codeForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  const box = document.getElementById("signin-code-error");
  setError(codeInput, box, "");
  status.textContent = "";
  const button = document.getElementById("signin-code-submit");
  button.disabled = true;
  try {
    const keep = document.getElementById("signin-keep");
    const response = await post("/api/sessions/verify", {
      email: emailInput.value,
      code: codeInput.value,
      keep_other_sessions: Boolean(keep && keep.checked),
    });
    if (response.ok) {
      const next = new URLSearchParams(window.location.search).get("next");
      window.location.assign(safeNext(next));
      return;
    }
    const message = response.status === 429 || response.status >= 500 ? statusMessage(response.status) : t("signin_code_invalid");
    setError(codeInput, box, message);
    codeInput.focus();
  } catch {
    networkError();
  } finally {
    button.disabled = false;
  }
});

document.getElementById("signin-restart").addEventListener("click", () => {
  codeForm.hidden = true;
  emailForm.hidden = false;
  codeInput.value = "";
  emailInput.focus();
});
