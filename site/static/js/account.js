// The account page: greets the signed-in customer and offers "sign out everywhere".
// ES module, no dependencies, no inline styles (strict CSP).

import { ready } from "./session.js";
import { apiHeaders, localPath, t } from "./i18n.js";

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
      headers: apiHeaders(),
    });
    if (response.status === 204 || response.status === 401) {
      window.location.assign(localPath("/signin/"));
      return;
    }
    status.textContent = t("revoke_failed");
  } catch {
    status.textContent = t("network");
  }
});
