// The staff inbox (/staff/): sign in with a mailed code, requests by status and due
// time, one request (audited on the server) with reply and status change, and order
// requests by status with their moves. The inbox is polled every 20 s.
// ES module, no dependencies, no inline styles (strict CSP).

import { call, describe, el, renderThread, w } from "./service-common.js";

const status = document.getElementById("service-status");
const signin = document.getElementById("staff-signin");
const desk = document.getElementById("staff-desk");
const POLL_MS = 20000;
let current = null;
let pendingEmail = "";

function say(text) {
  status.textContent = text;
}

function problemText(body) {
  return (body && body.detail) || w("failed");
}

async function whoAmI() {
  const { status: code, body } = await call("GET", "/api/staff/sessions/current");
  if (code === 200 && body) {
    signin.hidden = true;
    desk.hidden = false;
    document.getElementById("staff-who").textContent = w("signed_in", { who: body.staff });
    await Promise.all([loadInbox(), loadOrders()]);
  } else {
    signin.hidden = false;
    desk.hidden = true;
  }
}

async function loadInbox() {
  const which = document.getElementById("inbox-status").value;
  const { status: code, body } = await call("GET", `/api/staff/requests?status=${encodeURIComponent(which)}`);
  const list = document.getElementById("inbox");
  list.replaceChildren();
  if (code !== 200 || !body) return say(problemText(body));
  for (const request of body.requests) {
    const li = el("li", null, { "data-request-id": request.id });
    const open = el("button", `${request.reference}: ${request.subject}`, { type: "button", class: "link-button" });
    open.addEventListener("click", () => openRequest(request.id));
    li.append(open, el("p", describe(request)));
    list.append(li);
  }
  if (!body.requests.length) list.append(el("li", w("none")));
}

async function openRequest(id) {
  current = id;
  const { status: code, body } = await call("GET", `/api/staff/requests/${encodeURIComponent(id)}`);
  if (code !== 200 || !body) return say(problemText(body));
  const section = document.getElementById("staff-request");
  section.hidden = false;
  const request = body.request;
  document.getElementById("request-heading").textContent = `${request.reference}: ${request.subject}`;
  document.getElementById("request-meta").textContent = describe(request);
  document.getElementById("request-customer").textContent = `${body.customer.name} <${body.customer.email}>`;
  document.getElementById("request-quote").hidden = !body.quote;
  document.getElementById("request-quote-number").textContent = body.quote ? body.quote.number : "";
  renderThread(document.getElementById("request-messages"), body.messages, { customer: w("you"), staff: w("staff") });
}

async function loadOrders() {
  const which = document.getElementById("orders-status").value;
  const { status: code, body } = await call("GET", `/api/staff/orders?status=${encodeURIComponent(which)}`);
  const list = document.getElementById("orders");
  list.replaceChildren();
  if (code !== 200 || !body) return say(problemText(body));
  const next = { received: ["confirmed", "cancelled"], confirmed: ["shipped", "cancelled"] };
  for (const order of body.orders) {
    const li = el("li", null, { "data-quote-id": order.quote_id });
    li.append(el("p", `${order.number} · ${w(`or_${order.status}`)} · ${(order.total_minor / 100).toFixed(2)} ${order.currency}`));
    for (const to of next[order.status] || []) {
      const reasonId = `reason-${order.quote_id}-${to}`;
      const form = el("form", null, { class: "order-move" });
      const button = el("button", `${w("move")} ${w(`or_${to}`)}`, { type: "submit", class: "button" });
      if (to === "cancelled") {
        form.append(el("label", w("reason"), { for: reasonId }), el("input", null, { id: reasonId, name: "reason", maxlength: "500" }));
      }
      form.append(button);
      form.addEventListener("submit", async (event) => {
        event.preventDefault();
        const reason = form.querySelector("input");
        const payload = { status: to };
        if (reason && reason.value.trim()) payload.reason = reason.value.trim();
        const { status: moved, body: answer } = await call("PUT", `/api/staff/orders/${encodeURIComponent(order.quote_id)}/status`, payload);
        say(moved === 200 ? w("sent") : problemText(answer));
        await loadOrders();
      });
      li.append(form);
    }
    list.append(li);
  }
  if (!body.orders.length) list.append(el("li", w("none")));
}

document.getElementById("staff-code-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  pendingEmail = new FormData(event.currentTarget).get("email");
  const { status: code, body } = await call("POST", "/api/staff/sessions", { email: pendingEmail });
  say(code === 202 ? w("code_sent") : problemText(body));
});

document.getElementById("staff-verify-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const code = new FormData(event.currentTarget).get("code");
  const email = pendingEmail || document.getElementById("staff-email").value;
  const { status: answer, body } = await call("POST", "/api/staff/sessions/verify", { email, code });
  if (answer === 200) {
    say("");
    await whoAmI();
  } else {
    say(problemText(body));
  }
});

document.getElementById("staff-signout").addEventListener("click", async () => {
  await call("DELETE", "/api/staff/sessions/current");
  window.location.reload();
});

document.getElementById("staff-reply").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.currentTarget;
  const { status: code, body } = await call("POST", `/api/staff/requests/${encodeURIComponent(current)}/messages`, {
    body: new FormData(form).get("body"),
  });
  if (code === 201) form.reset();
  say(code === 201 ? w("sent") : problemText(body));
  await Promise.all([openRequest(current), loadInbox()]);
});

document.getElementById("staff-status").addEventListener("submit", async (event) => {
  event.preventDefault();
  const value = new FormData(event.currentTarget).get("status");
  const { status: code, body } = await call("PUT", `/api/staff/requests/${encodeURIComponent(current)}/status`, { status: value });
  say(code === 200 ? w("sent") : problemText(body));
  await Promise.all([openRequest(current), loadInbox()]);
});

document.getElementById("inbox-status").addEventListener("change", loadInbox);
document.getElementById("orders-status").addEventListener("change", loadOrders);
// The inbox is polled, not the open request: opening one is an audited read of the
// customer's data, and the trail should show people reading, not a timer.
setInterval(() => {
  if (!desk.hidden && !document.hidden) loadInbox();
}, POLL_MS);

whoAmI().catch(() => say(w("failed")));
