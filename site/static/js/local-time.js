// Times shown to people: in the browser's time zone and the page's language, with the
// exact UTC value in `title` (and `datetime`) for anyone who needs it.
// ES module, no dependencies.

import { dateLocale } from "./i18n.js";

const format = new Intl.DateTimeFormat(dateLocale, { dateStyle: "medium", timeStyle: "short" });

/** A <time> element for an RFC 3339 UTC time. */
export function localTime(rfc3339) {
  const node = document.createElement("time");
  const date = new Date(rfc3339);
  if (Number.isNaN(date.getTime())) {
    node.textContent = rfc3339 || "";
    return node;
  }
  node.dateTime = rfc3339;
  node.textContent = format.format(date);
  node.title = `${rfc3339.replace(/\.\d+Z$/, "Z")} (UTC)`;
  return node;
}
