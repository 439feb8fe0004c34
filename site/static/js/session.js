// Signed-in state for every page: asks the API who is signed in, switches the header
// between "Sign in" and "My account / Sign out", sends visitors of pages that need a
// customer to the sign-in page (coming back afterwards) and signed-in customers away
// from the sign-up page (to their account). Header links whose words mean something
// else once signed in (`data-signed-in-href`) go there instead. A page that signs the
// customer in (sign-up's code) announces it with a `session:signed-in` event.
// ES module, no dependencies, no inline styles (strict CSP).

import { localPath, t } from "./i18n.js";

const CURRENT = "/api/sessions/current";

/** The signed-in customer ({id, display_name}) or null. */
export async function currentCustomer() {
  try {
    const response = await fetch(CURRENT, { credentials: "same-origin", headers: { Accept: "application/json" } });
    return response.ok ? await response.json() : null;
  } catch {
    return null;
  }
}

/** Where to come back to after signing in: this page. */
export function signInUrl() {
  const next = window.location.pathname + window.location.search;
  return `${localPath("/signin/")}?next=${encodeURIComponent(next)}`;
}

function showSignedIn(customer) {
  for (const el of document.querySelectorAll(".nav-signed-in")) el.hidden = !customer;
  for (const el of document.querySelectorAll(".nav-signed-out")) el.hidden = Boolean(customer);
  const account = document.getElementById("nav-account");
  if (account && customer) account.textContent = t("my_account_named", { name: customer.display_name });
  for (const link of document.querySelectorAll("a[data-signed-in-href]")) {
    if (!link.dataset.signedOutHref) link.dataset.signedOutHref = link.getAttribute("href");
    link.setAttribute("href", customer ? link.dataset.signedInHref : link.dataset.signedOutHref);
  }
  document.documentElement.dataset.session = customer ? "signed-in" : "signed-out";
}

document.addEventListener("session:signed-in", (event) => {
  if (event.detail && event.detail.display_name) showSignedIn(event.detail);
});

async function signOut() {
  try {
    await fetch(CURRENT, { method: "DELETE", credentials: "same-origin", headers: { "Content-Type": "application/json" } });
  } finally {
    window.location.assign(localPath("/"));
  }
}

export const ready = (async () => {
  const customer = await currentCustomer();
  showSignedIn(customer);
  const main = document.getElementById("main");
  if (main && main.hasAttribute("data-requires-session") && !customer) {
    window.location.replace(signInUrl());
  }
  if (main && main.hasAttribute("data-signed-out-only") && customer) {
    window.location.replace(localPath("/account/"));
  }
  const button = document.getElementById("nav-signout");
  if (button) button.addEventListener("click", signOut);
  return customer;
})();
