// Shared by the customer's requests page and the staff inbox: the page's words (from
// its <template id="service-text">), JSON calls, and the conversation as a list.
// ES module, no dependencies, no inline styles (strict CSP).

import { el, readJson } from "./quote-format.js";
import { localTime } from "./local-time.js";

const words = {};
const source = document.getElementById("service-text");
if (source) {
  for (const span of source.content.querySelectorAll("[data-k]")) words[span.dataset.k] = span.textContent;
}

/** The page's word for `key`, with `{name}` filled from `vars`. */
export function w(key, vars = {}) {
  const text = words[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in vars ? String(vars[name]) : whole));
}

/** A JSON call with the session cookie; resolves to {status, body}. */
export async function call(method, url, body) {
  const init = { method, credentials: "same-origin", headers: { Accept: "application/json" } };
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  const response = await fetch(url, init);
  return { status: response.status, body: await readJson(response) };
}

/** Replace the children of `list` with the messages, oldest first. */
export function renderThread(list, messages, names) {
  list.replaceChildren();
  for (const message of messages) {
    const li = el("li", null, { class: `from-${message.author}`, "data-author": message.author });
    const who = el("span", names[message.author] || message.author, { class: "who" });
    li.append(who, localTime(message.at), el("p", message.body, { class: "body" }));
    list.append(li);
  }
}

/** How a request stands, in words: status, target, waiting time, due, escalation. */
export function describe(request) {
  const parts = [w(`st_${request.status}`)];
  parts.push(w("target", { hours: Math.round(request.first_response_target_minutes / 6) / 10 }));
  if (request.waiting_minutes !== null && request.waiting_minutes !== undefined) {
    parts.push(w("waited", { minutes: request.waiting_minutes }));
  }
  if (request.level > 0) parts.push(w("level", { level: request.level, max: request.max_level }));
  return parts.join(" · ");
}

export { el, localTime };
