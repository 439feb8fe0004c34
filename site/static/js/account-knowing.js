// The account page's offers: the one survey on offer (GET /api/me/surveys/next; each
// question says what it is for and what the customer gets; answer, skip, or "don't ask
// again") and a suggestion about who the customer buys for (GET /api/me/suggestions;
// nothing changes until they accept). Texts come from the page, in its language.
// ES module, no dependencies, no inline styles (strict CSP).

import { apiHeaders } from "./i18n.js";
import { el, readJson } from "./quote-format.js";

const survey = document.getElementById("survey");
const surveyStatus = document.getElementById("survey-status");
let surveyId = null;

function question(q) {
  const fieldset = el("fieldset", null, { class: "survey-question", "data-question": q.id });
  fieldset.append(el("legend", q.text));
  fieldset.append(el("p", `${survey.dataset.for} ${q.purpose}`, { class: "form-hint" }));
  fieldset.append(el("p", `${survey.dataset.get} ${q.benefit}`, { class: "form-hint" }));
  for (const option of q.options) {
    const id = `survey-${q.id}-${option.id}`;
    const label = el("label", null, { for: id });
    const input = el("input", null, { type: "radio", name: q.id, value: option.id, id });
    label.append(input, document.createTextNode(` ${option.label}`));
    fieldset.append(el("div", null, { class: "check" }));
    fieldset.lastChild.append(label);
  }
  return fieldset;
}

async function loadSurvey() {
  const response = await fetch("/api/me/surveys/next", { credentials: "same-origin", headers: { Accept: "application/json" } });
  if (response.status !== 200) return;
  const body = await readJson(response);
  if (!body) return;
  surveyId = body.id;
  document.getElementById("survey-title").textContent = body.title;
  document.getElementById("survey-intro").textContent = body.intro;
  document.getElementById("survey-questions").replaceChildren(...body.questions.map(question));
  document.getElementById("survey-kept").textContent = survey.dataset.kept.replace("{days}", body.retention_days);
  survey.hidden = false;
}

async function post(path, body, done) {
  try {
    const response = await fetch(path, {
      method: "POST",
      credentials: "same-origin",
      headers: apiHeaders(),
      body: JSON.stringify(body),
    });
    if (response.status === 204) {
      survey.hidden = true;
      surveyStatus.textContent = done;
      return;
    }
    surveyStatus.textContent = survey.dataset.failed;
  } catch {
    surveyStatus.textContent = survey.dataset.failed;
  }
}

document.getElementById("survey-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const answers = {};
  for (const input of survey.querySelectorAll("input[type=radio]:checked")) answers[input.name] = input.value;
  post(`/api/me/surveys/${encodeURIComponent(surveyId)}/answers`, { answers }, survey.dataset.thanks);
});
document.getElementById("survey-skip").addEventListener("click", () =>
  post(`/api/me/surveys/${encodeURIComponent(surveyId)}/skip`, {}, survey.dataset.skipped),
);
document.getElementById("survey-never").addEventListener("click", () =>
  post(`/api/me/surveys/${encodeURIComponent(surveyId)}/skip`, { dont_ask_again: true }, survey.dataset.skipped),
);

const suggestion = document.getElementById("suggestion");
let suggestionId = null;

async function loadSuggestion() {
  const response = await fetch("/api/me/suggestions", { credentials: "same-origin", headers: { Accept: "application/json" } });
  const body = response.ok ? await readJson(response) : null;
  const first = body && body.suggestions[0];
  if (!first) return;
  suggestionId = first.id;
  document.getElementById("suggestion-reason").textContent = first.reason;
  suggestion.hidden = false;
}

async function answerSuggestion(action) {
  const status = document.getElementById("suggestion-status");
  const response = await fetch(`/api/me/suggestions/${encodeURIComponent(suggestionId)}/${action}`, {
    method: "POST",
    credentials: "same-origin",
    headers: apiHeaders(),
  });
  if (response.status === 204) {
    for (const button of suggestion.querySelectorAll("button")) button.hidden = true;
    status.textContent = status.dataset.done;
  }
}

document.getElementById("suggestion-yes").addEventListener("click", () => answerSuggestion("accept"));
document.getElementById("suggestion-no").addEventListener("click", () => answerSuggestion("dismiss"));

loadSurvey();
loadSuggestion();
