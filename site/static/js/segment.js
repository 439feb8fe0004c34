// What "who you buy for" changes on the page, for a signed-in customer who said
// (GET /api/me `buys_for`): <html data-buys-for> for the styles (business buyers see
// prices before tax first and volume prices highlighted on the quote page), and the
// home page's needs in that segment's order (`data-order-<segment>` on #need-cards).
// Visitors and customers who did not say see the page unchanged.
// ES module, no dependencies, no inline styles (strict CSP).

import { ready } from "./session.js";

const customer = await ready;
if (customer) {
  try {
    const response = await fetch("/api/me", { credentials: "same-origin", headers: { Accept: "application/json" } });
    const me = response.ok ? await response.json() : null;
    const segment = me && me.buys_for;
    if (segment) {
      document.documentElement.dataset.buysFor = segment;
      const cards = document.getElementById("need-cards");
      const order = cards && cards.dataset[`order${segment[0].toUpperCase()}${segment.slice(1)}`];
      if (order) {
        for (const id of order.split(",")) {
          const card = document.getElementById(id);
          if (card) cards.append(card);
        }
      }
    }
  } catch {
    // The page stays as it is: the order is a convenience, not a function.
  }
}
