// Chat page: streams /v1/chat/completions (server-sent events) and rates answers via /v1/feedback.
// Plain browser JavaScript, no build step. The key stays in this tab's sessionStorage only.
"use strict";

const $ = (id) => document.getElementById(id);
let responseId = null;

$("key").value = sessionStorage.getItem("llmops-key") || "";
$("key").addEventListener("change", () => sessionStorage.setItem("llmops-key", $("key").value.trim()));

function headers() {
  return { "Content-Type": "application/json", "Authorization": "Bearer " + $("key").value.trim() };
}

async function errorText(response) {
  try { return (await response.json()).error.message; } catch { return response.statusText; }
}

// How the answer was made (the response's answer_mode), in words.
const MODES = {
  generated: "Verified: every sentence is supported by the highlighted passages",
  verified: "Verified: unsupported sentences were removed",
  extractive: "Quoted from the documents",
  not_found: "Not in the documents: the nearest passages are listed",
  ungrounded: "Not checked: no documents were searched",
};

function showMode(mode) {
  $("mode").textContent = MODES[mode] || mode;
  $("mode").className = mode;
  $("mode").dataset.mode = mode;
  $("mode").hidden = false;
}

// Each source: its title, where it is ("manuals/guide.pdf, page 176 — Install > Network"), and the
// sentences the answer quotes or rests on, highlighted.
function showSources(sources) {
  const list = $("sources");
  list.replaceChildren(...sources.map((s) => {
    const item = document.createElement("li");
    const where = document.createElement("span");
    where.className = "muted citation";
    where.textContent = s.citation;
    item.append(s.title + " ", where);
    for (const quote of s.quotes || []) {
      const mark = document.createElement("mark");
      mark.textContent = quote;
      item.append(mark);
    }
    item.dataset.docId = s.doc_id;
    return item;
  }));
  $("cited").hidden = sources.length === 0;
}

// Each SSE event is "data: <json>\n\n"; the stream ends with "data: [DONE]".
function handleEvent(data) {
  if (data === "[DONE]") return true;
  const chunk = JSON.parse(data);
  if (chunk.error) throw new Error(chunk.error.message);
  responseId = chunk.id;
  $("meta").textContent = "model " + chunk.model;
  if (chunk.sources) showSources(chunk.sources);
  if (chunk.answer_mode) showMode(chunk.answer_mode);
  for (const choice of chunk.choices) {
    if (choice.delta && choice.delta.content) $("answer").textContent += choice.delta.content;
  }
  return false;
}

$("ask").addEventListener("submit", async (event) => {
  event.preventDefault();
  sessionStorage.setItem("llmops-key", $("key").value.trim());
  $("answer").textContent = ""; $("status").textContent = ""; $("rated").textContent = "";
  $("rate").hidden = true; $("cited").hidden = true; $("mode").hidden = true; $("send").disabled = true;
  try {
    const response = await fetch("/v1/chat/completions", {
      method: "POST", headers: headers(),
      body: JSON.stringify({ stream: true, answer_mode: $("extractive").checked ? "extractive" : "auto",
                             messages: [{ role: "user", content: $("question").value }] }),
    });
    if (!response.ok) throw new Error(await errorText(response));
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = "", done = false;
    while (!done) {
      const part = await reader.read();
      if (part.done) break;
      buffer += part.value;
      let cut;
      while (!done && (cut = buffer.indexOf("\n\n")) >= 0) {
        const event = buffer.slice(0, cut); buffer = buffer.slice(cut + 2);
        if (event.startsWith("data: ")) done = handleEvent(event.slice(6));
      }
    }
    $("rate").hidden = responseId === null;
  } catch (error) {
    $("status").textContent = error.message;
  } finally {
    $("send").disabled = false;
  }
});

async function rate(rating) {
  const correction = $("correction").value.trim();
  const body = { response_id: responseId, rating: rating };
  if (rating < 0 && correction) body.correction = correction;
  const response = await fetch("/v1/feedback", { method: "POST", headers: headers(), body: JSON.stringify(body) });
  if (response.ok) $("rated").textContent = "Thanks, your rating was stored.";
  else $("status").textContent = await errorText(response);
}
$("up").addEventListener("click", () => rate(1));
$("down").addEventListener("click", () => rate(-1));
