// Chat page: streams /v1/chat/completions (server-sent events) and rates answers via /v1/feedback.
// Plain browser JavaScript, no build step. The key stays in this tab's sessionStorage only.
"use strict";

const $ = (id) => document.getElementById(id);
let responseId = null;

// Back from the company sign-in (/auth/callback): the ID token comes in the URL fragment, which is
// never sent to a server; it is kept like a typed key and the fragment is dropped from the address.
if (location.hash.startsWith("#id_token=")) {
  sessionStorage.setItem("llmops-key", decodeURIComponent(location.hash.slice("#id_token=".length)));
  history.replaceState(null, "", location.pathname);
}
$("key").value = sessionStorage.getItem("llmops-key") || "";
fetch("/auth/config").then((r) => r.json()).then((c) => { $("sign-in-row").hidden = !c.sign_in; }).catch(() => {});
$("key").addEventListener("change", () => sessionStorage.setItem("llmops-key", $("key").value.trim()));

function headers() {
  return { "Content-Type": "application/json", "Authorization": "Bearer " + $("key").value.trim() };
}

async function errorText(response) {
  try { return (await response.json()).error.message; } catch { return response.statusText; }
}

// The page's words in English and Chinese; the first of the browser's preferred languages that
// is one of them wins (English otherwise). `modes` say how an answer was made (its answer_mode).
const LABELS = {
  en: {
    title: "Company assistant",
    intro: "Answers come from the company's fine-tuned model and its document index. Personal data is removed from answers.",
    key: "API key", keyHint: "llmk_…  (ask your administrator)", question: "Question",
    signIn: "Sign in with your company account",
    extractive: "Only quote the documents", send: "Ask", sources: "Sources",
    correction: "Correction (optional, sent with 👎)", thanks: "Thanks, your rating was stored.", model: "model",
    modes: {
      generated: "Verified: every sentence is supported by the highlighted passages",
      verified: "Verified: unsupported sentences were removed",
      extractive: "Quoted from the documents",
      not_found: "Not in the documents: the nearest passages are listed",
      ungrounded: "Not checked: no documents were searched",
    },
  },
  zh: {
    title: "企业助手",
    intro: "回答来自公司微调的模型及其文档索引。回答中的个人信息已被移除。",
    key: "API 密钥", keyHint: "llmk_…（请向管理员索取）", question: "问题",
    signIn: "使用公司账号登录",
    extractive: "仅引用文档原文", send: "提问", sources: "来源",
    correction: "更正（可选，随 👎 一起提交）", thanks: "谢谢，您的评价已保存。", model: "模型",
    modes: {
      generated: "已核实：每句话都有高亮段落支持",
      verified: "已核实：无依据的句子已删除",
      extractive: "引用自文档",
      not_found: "文档中没有答案：下面列出最相近的段落",
      ungrounded: "未核实：没有检索文档",
    },
  },
};
const LANG = (navigator.languages || [navigator.language]).map((tag) => tag.slice(0, 2).toLowerCase())
  .find((code) => code in LABELS) || "en";
const T = LABELS[LANG];
document.documentElement.lang = LANG === "zh" ? "zh-CN" : "en";
document.title = T.title;
document.querySelectorAll("[data-i18n]").forEach((element) => { element.textContent = T[element.dataset.i18n]; });
$("key").placeholder = T.keyHint;

function showMode(mode) {
  $("mode").textContent = T.modes[mode] || mode;
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
  $("meta").textContent = T.model + " " + chunk.model;
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
  if (response.ok) $("rated").textContent = T.thanks;
  else $("status").textContent = await errorText(response);
}
$("up").addEventListener("click", () => rate(1));
$("down").addEventListener("click", () => rate(-1));
