// The no-login preference page: the mailed link's fragment carries a token (`#token=`
// for preferences, `#confirm=` for the marketing opt-in). The fragment never reaches a
// server; it is taken out of the address bar at once and kept only in memory.
// ES module, no dependencies, no inline styles (strict CSP).

import { apiHeaders } from "./i18n.js";

const params = new URLSearchParams(window.location.hash.slice(1));
const token = params.get("token");
const confirmToken = params.get("confirm");
if (token || confirmToken) {
  history.replaceState(null, "", window.location.pathname + window.location.search);
  document.getElementById("ep-no-link").hidden = true;
}

const status = document.getElementById("ep-status");

function say(id) {
  const source = document.getElementById(id);
  status.textContent = source ? source.textContent : "";
}

function failed(response) {
  say(response && response.status === 401 ? "ep-msg-link-dead" : "ep-msg-failed");
}

function send(method, url, body) {
  return fetch(url, {
    method,
    credentials: "omit",
    headers: apiHeaders(),
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

function show(prefs) {
  const topics = new Set(prefs.topics || []);
  for (const box of document.querySelectorAll("input[name=topics]")) box.checked = topics.has(box.value);
  const channels = (prefs.contact && prefs.contact.channels) || {};
  for (const box of document.querySelectorAll("input[name=channels]")) box.checked = channels[box.value] === true;
  document.getElementById("ep-frequency").value = (prefs.contact && prefs.contact.frequency) || "weekly_digest";
  document.getElementById("ep-paused-until").value = (prefs.contact && prefs.contact.paused_until) || "";
  document.getElementById("ep-marketing").checked = prefs.marketing_email || prefs.marketing_email_pending;
  document.getElementById("ep-marketing-pending").hidden = !prefs.marketing_email_pending;
}

async function loadPreferences() {
  try {
    const response = await send("GET", "/api/preferences/by-link?token=" + encodeURIComponent(token));
    if (!response.ok) return failed(response);
    show(await response.json());
    document.getElementById("ep-prefs").hidden = false;
  } catch {
    failed();
  }
}

if (token) {
  loadPreferences();
  document.getElementById("ep-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const channels = {};
    for (const box of document.querySelectorAll("input[name=channels]")) channels[box.value] = box.checked;
    const paused = document.getElementById("ep-paused-until").value;
    const body = {
      token,
      topics: [...document.querySelectorAll("input[name=topics]:checked")].map((b) => b.value),
      contact: {
        channels,
        frequency: document.getElementById("ep-frequency").value,
        paused_until: paused === "" ? null : paused,
      },
      marketing_email: document.getElementById("ep-marketing").checked,
    };
    try {
      const response = await send("PUT", "/api/preferences/by-link", body);
      if (!response.ok) return failed(response);
      show(await response.json());
      say("ep-msg-saved");
    } catch {
      failed();
    }
  });
  document.getElementById("ep-unsubscribe").addEventListener("click", async () => {
    try {
      const response = await send("POST", "/api/unsubscribe?token=" + encodeURIComponent(token));
      if (!response.ok) return failed(response);
      show(await response.json());
      say("ep-msg-unsubscribed");
    } catch {
      failed();
    }
  });
}

if (confirmToken) {
  document.getElementById("ep-confirm").hidden = false;
  const button = document.getElementById("ep-confirm-button");
  button.addEventListener("click", async () => {
    button.disabled = true;
    try {
      const response = await send("POST", "/api/consents/confirm", { token: confirmToken });
      if (response.ok) say("ep-msg-confirmed");
      else if (response.status === 409) say("ep-msg-link-used");
      else failed(response);
    } catch {
      button.disabled = false;
      failed();
    }
  });
}
