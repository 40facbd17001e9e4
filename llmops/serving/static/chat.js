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

// Each source: its title, then where it is: "manuals/guide.pdf, page 176 — Install > Network".
function showSources(sources) {
  const list = $("sources");
  list.replaceChildren(...sources.map((s) => {
    const item = document.createElement("li");
    const where = document.createElement("span");
    where.className = "muted citation";
    where.textContent = s.citation;
    item.append(s.title + " ", where);
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
  for (const choice of chunk.choices) {
    if (choice.delta && choice.delta.content) $("answer").textContent += choice.delta.content;
  }
  return false;
}

$("ask").addEventListener("submit", async (event) => {
  event.preventDefault();
  sessionStorage.setItem("llmops-key", $("key").value.trim());
  $("answer").textContent = ""; $("status").textContent = ""; $("rated").textContent = "";
  $("rate").hidden = true; $("cited").hidden = true; $("send").disabled = true;
  try {
    const response = await fetch("/v1/chat/completions", {
      method: "POST", headers: headers(),
      body: JSON.stringify({ stream: true, messages: [{ role: "user", content: $("question").value }] }),
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
