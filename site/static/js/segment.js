// "Who you buy for" (GET /api/me buys_for) on the page: <html data-buys-for> for the
// styles, and the home page's needs in that segment's order (#need-cards data-order-*).
import { ready } from "./session.js";

if (await ready) {
  try {
    const response = await fetch("/api/me", { credentials: "same-origin" });
    const segment = response.ok && (await response.json()).buys_for;
    if (segment) {
      document.documentElement.dataset.buysFor = segment;
      const cards = document.getElementById("need-cards");
      for (const id of (cards?.getAttribute(`data-order-${segment}`) || "").split(",")) {
        const card = id && document.getElementById(id);
        if (card) cards.append(card);
      }
    }
  } catch {
    // The page stays as it is: the order is a convenience.
  }
}
