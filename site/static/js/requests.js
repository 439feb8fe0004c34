// The customer's requests (/requests/): the list, a form to open one, and one request's
// conversation (?id=) with a reply form and, when overdue, escalation. An open
// conversation is polled every 20 s for the shop's answer.
// ES module, no dependencies, no inline styles (strict CSP).

import { call, describe, el, localTime, renderThread, w } from "./service-common.js";
import { localPath } from "./i18n.js";
import { ready } from "./session.js";

const status = document.getElementById("service-status");
const list = document.getElementById("requests");
const none = document.getElementById("requests-none");
const listSection = document.getElementById("request-list");
const newSection = document.getElementById("request-new");
const threadSection = document.getElementById("request-thread");
const POLL_MS = 20000;
let current = null;
// A visitor's secret link token (from ?token=), sent with every call instead of a session.
let token = null;

function withToken(url) {
  return token ? `${url}${url.includes("?") ? "&" : "?"}token=${encodeURIComponent(token)}` : url;
}

function say(text) {
  status.textContent = text;
}

function linkTo(id) {
  return `${localPath("/requests/")}?id=${encodeURIComponent(id)}`;
}

async function loadList() {
  const { status: code, body } = await call("GET", "/api/requests");
  if (code !== 200 || !body) return say(w("failed"));
  list.replaceChildren();
  for (const request of body.requests) {
    const li = el("li", null, { "data-request-id": request.id });
    const a = el("a", `${request.reference}: ${request.subject}`, { href: linkTo(request.id) });
    li.append(a, el("p", describe(request)));
    list.append(li);
  }
  none.hidden = body.requests.length > 0;
}

/** The customer's recent quotes, to name one in a new request (`?quote=` preselects). */
async function loadQuotes() {
  const { status: code, body } = await call("GET", "/api/me/quotes?limit=20");
  if (code !== 200 || !body) return;
  const select = document.getElementById("rq-quote");
  const wanted = new URLSearchParams(window.location.search).get("quote");
  for (const quote of body.quotes) {
    const option = el("option", quote.number, { value: quote.id });
    if (quote.id === wanted) option.selected = true;
    select.append(option);
  }
  if (wanted && select.value === wanted) document.getElementById("rq-category").value = "quote_or_order";
}

function showRequest(request, messages) {
  document.getElementById("thread-heading").textContent = `${request.reference}: ${request.subject}`;
  const meta = document.getElementById("thread-meta");
  meta.replaceChildren(document.createTextNode(describe(request)));
  if (request.due_at) {
    const [before, after] = w("due", { time: "\u0000" }).split("\u0000");
    meta.append(document.createTextNode(` · ${before}`), localTime(request.due_at), document.createTextNode(after || ""));
  }
  if (request.overdue) meta.append(el("span", ` ${w("overdue")}`, { class: "overdue" }));
  const escalations = document.getElementById("thread-escalations");
  escalations.replaceChildren();
  for (const step of request.escalations) {
    const by = step.by === "customer" ? w("by_customer") : w("by_schedule");
    escalations.append(el("li", w("escalated_by", { level: step.level, time: new Date(step.at).toLocaleString(), by, reason: step.reason })));
  }
  renderThread(document.getElementById("thread-messages"), messages, { customer: w("you"), staff: w("shop") });
  document.getElementById("thread-escalate").hidden = !request.can_escalate;
  document.getElementById("thread-reply").hidden = request.status === "closed";
}

async function loadThread() {
  const { status: code, body } = await call("GET", withToken(`/api/requests/${encodeURIComponent(current)}`));
  if (code !== 200 || !body) return say(w("failed"));
  showRequest(body.request, body.messages);
}

async function send(form, url, payload) {
  const button = form.querySelector("button");
  button.disabled = true;
  try {
    const { status: code, body } = await call("POST", url, payload);
    if (code >= 200 && code < 300) {
      form.reset();
      say(w("sent"));
      return body;
    }
    say((body && body.detail) || w("failed"));
    return null;
  } catch {
    say(w("failed"));
    return null;
  } finally {
    button.disabled = false;
  }
}

document.getElementById("new-request").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.currentTarget;
  const data = new FormData(form);
  const payload = { subject: data.get("subject"), category: data.get("category"), message: data.get("message") };
  if (data.get("quote_id")) payload.quote_id = data.get("quote_id");
  const visitor = !document.getElementById("rq-visitor").hidden;
  if (visitor) {
    payload.contact = { name: data.get("name"), email: data.get("email") };
    payload.language = document.documentElement.lang === "es" ? "es" : "en";
  }
  const body = await send(form, "/api/requests", payload);
  if (body) window.location.assign(body.link ? localPath(body.link) : linkTo(body.request.id));
});

document.getElementById("thread-reply").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.currentTarget;
  const data = new FormData(form);
  if (await send(form, withToken(`/api/requests/${encodeURIComponent(current)}/messages`), { body: data.get("body") })) await loadThread();
});

document.getElementById("thread-escalate").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.currentTarget;
  const data = new FormData(form);
  if (await send(form, withToken(`/api/requests/${encodeURIComponent(current)}/escalate`), { reason: data.get("reason") })) await loadThread();
});

async function start() {
  await ready;
  const query = new URLSearchParams(window.location.search);
  current = query.get("id");
  token = query.get("token");
  const signedIn = document.documentElement.dataset.session === "signed-in";
  if (!signedIn && !(current && token)) {
    // A visitor without a link: they may ask by email (the answer comes with a link).
    listSection.hidden = true;
    document.getElementById("rq-visitor").hidden = false;
    document.getElementById("rq-quote").closest("p").hidden = true;
    document.getElementById("rq-name").required = true;
    document.getElementById("rq-email").required = true;
    return;
  }
  if (current) {
    listSection.hidden = true;
    newSection.hidden = true;
    threadSection.hidden = false;
    const back = document.getElementById("thread-back");
    back.href = localPath("/requests/");
    back.hidden = !signedIn;
    await loadThread();
    setInterval(loadThread, POLL_MS);
    document.addEventListener("visibilitychange", () => {
      if (!document.hidden) loadThread();
    });
  } else {
    await Promise.all([loadList(), loadQuotes()]);
  }
}

start().catch(() => say(w("failed")));
