// The account page: greets the signed-in customer and offers "sign out everywhere".
// ES module, no dependencies, no inline styles (strict CSP).

import { ready } from "./session.js";

const customer = await ready;
if (customer) {
  document.getElementById("account-name").textContent = customer.display_name;
}

document.getElementById("revoke-all").addEventListener("click", async () => {
  const status = document.getElementById("revoke-status");
  try {
    const response = await fetch("/api/me/sessions/revoke", {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json, application/problem+json" },
    });
    if (response.status === 204 || response.status === 401) {
      window.location.assign("/signin/");
      return;
    }
    status.textContent = "We could not sign you out everywhere just now. Please try again.";
  } catch {
    status.textContent = "We could not reach the server. Check your connection and try again.";
  }
});
