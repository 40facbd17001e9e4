"""Answer quality: today's generation against the grounded modes (auto: generate, verify, fall back to
quotes; extractive: quotes only), on the same retrieved passages, the same questions, the same run.

Sets (each: documents through the chain's reader, scrubber and index; questions with the facts a
correct answer states, and questions no document answers):

- ``debian``: three Debian manuals (``bench/fetch_retrieval_docs.sh``) and the 58 + 15 questions of
  ``bench/answer_eval/debian.jsonl``, written from the pages before any of this ran;
- ``policies``: internal policies of companies made up by ``bench/answer_eval/generate_policies.py``
  (Faker, ten locales), with its questions;
- ``sample``: the sample company (``data/sample``) and its generated questions (a demo, not evidence).

The model is the base SmolLM2-135M-Instruct (no adapter), run by llama.cpp from the package's
Q4_1 GGUF (greedy, like serving; torch on 2 cores takes about 20 s an answer with these prompts,
llama.cpp a fraction of that). Its answers are cached under
``.llmops/bench/answer_quality/`` by prompt, so a rerun (another threshold) generates nothing.
Verification time per answer (extract + verify, the served path) is printed as p50/p95. Usage:

    .venv/bin/python bench/answer_quality.py [--sets debian policies sample] [--limit N]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from retrieval_quality import corpus  # noqa: E402  (bench/ is on the path when run as a script)

from llmops import settings as _settings  # noqa: E402,F401  (offline switches before the model loads)
from llmops.evaluation.answers import Reply, load_items, score, summarize  # noqa: E402
from llmops.grounding.answer import Grounder  # noqa: E402
from llmops.retrieval.embedder import Embedder  # noqa: E402
from llmops.retrieval.index import IndexSettings, build_index  # noqa: E402
from llmops.retrieval.search import Retriever  # noqa: E402

CACHE = REPO / ".llmops" / "bench" / "answer_quality"
TOP_K = 4
MAX_NEW_TOKENS = 96


def sources(name: str, docs: Path) -> tuple[Path, Path]:
    """The documents folder and the question file of a set."""
    if name == "debian":
        if not docs.is_dir():
            sys.exit(f"{docs} is missing: run bench/fetch_retrieval_docs.sh {docs}")
        return docs, REPO / "bench" / "answer_eval" / "debian.jsonl"
    if name == "policies":
        folder = CACHE / "policies"
        if not (folder / "questions.jsonl").exists():
            subprocess.run([sys.executable, str(REPO / "bench" / "answer_eval" / "generate_policies.py"), "--out",
                            str(folder), "--seed", "1"], check=True)
        return folder, folder / "questions.jsonl"
    from llmops.sample.corpus import write_questions

    CACHE.mkdir(parents=True, exist_ok=True)
    return REPO / "data" / "sample", write_questions(CACHE / "sample-questions.jsonl")


class Generations:
    """The model's answers, cached by prompt so that reruns generate only what is new."""

    def __init__(self, path: Path, gguf: Path | None = None, tokenizer: Path | None = None) -> None:
        """Answers of the GGUF model ``gguf`` (default: the base model) cached in ``path``."""
        self.path, self.gguf, self.tokenizer = path, gguf, tokenizer
        self.known = json.loads(path.read_text()) if path.exists() else {}
        self._chat = None

    def answers(self, conversations: list[list[dict]]) -> list[str]:
        keys = [hashlib.sha256(json.dumps(c, sort_keys=True).encode()).hexdigest() for c in conversations]
        missing = [(k, c) for k, c in zip(keys, conversations) if k not in self.known]
        for start in range(0, len(missing), 8):
            batch = missing[start:start + 8]
            for (key, _), completion in zip(batch, self.chat.complete([c for _, c in batch], MAX_NEW_TOKENS)):
                self.known[key] = completion.text
            self.path.write_text(json.dumps(self.known))
            print(f"  generated {min(start + 8, len(missing))}/{len(missing)}", end="\r", flush=True)
        return [self.known[k] for k in keys]

    @property
    def chat(self):
        if self._chat is None:
            from llmops.serving.backends import LlamaCppChatModel
            from llmops.settings import Settings
            from llmops.train.base_model import BaseModelSpec, materialize_base_model
            from llmops.train.chat_model import GenerationSettings

            spec = BaseModelSpec()
            self._chat = LlamaCppChatModel(self.gguf or spec.gguf_path(),
                                           self.tokenizer or materialize_base_model(spec, Settings.from_env().model_cache),
                                           GenerationSettings(max_new_tokens=MAX_NEW_TOKENS), n_threads=1)
        return self._chat


def indexed(docs, embedder: Embedder) -> str:
    """The LanceDB index of a set's documents, built once per content."""
    uri = str(CACHE / f"index-{hashlib.sha256(docs['text'].str.cat().encode()).hexdigest()[:12]}")
    build_index(docs, uri, embedder, IndexSettings())
    return uri


def run_set(name: str, docs_folder: Path, limit: int | None, embedder: Embedder, generations: Generations) -> dict:
    from llmops.serving.answerer import Answerer
    from llmops.train.sft_dataset import DEFAULT_SYSTEM_PROMPT

    folder, questions = sources(name, docs_folder)
    docs = corpus(folder, scrub=True)
    docs = docs[docs["source"] != "questions.jsonl"]
    items = load_items(questions)[:limit]
    retriever = Retriever(indexed(docs, embedder), embedder)
    answerer = Answerer(None, retriever, "bench", DEFAULT_SYSTEM_PROMPT)
    grounder = Grounder(Embedder(runtime="onnx").encode)  # as serving holds answers to passages
    hits = retriever.search_many([i.question for i in items], TOP_K)
    raw = generations.answers([answerer.build_messages([{"role": "user", "content": i.question}], h)
                               for i, h in zip(items, hits)])
    systems = {"generation": [], "auto": [], "extractive": []}
    seconds, relevance = [], []
    for item, found_hits, generated in zip(items, hits, raw):
        texts = tuple(h.text for h in found_hits)
        started = time.perf_counter()
        passages = grounder.passages(texts)
        found = grounder.extract(item.question, passages)
        auto = (grounder.checked(item.question, generated, passages, found) if grounder.answerable(found)
                else grounder.not_found())
        seconds.append(time.perf_counter() - started)
        relevance.append(found.relevance)
        quoted = grounder.extractive(found) if grounder.answerable(found) else grounder.not_found()
        for system, reply in (("generation", Reply(generated, "generated", texts)),
                              ("auto", Reply(auto.text, auto.mode.value, tuple(texts[i] for i in auto.quotes))),
                              ("extractive", Reply(quoted.text, quoted.mode.value, tuple(texts[i] for i in quoted.quotes)))):
            systems[system].append(score(item, reply, passages))
    (CACHE / f"{name}-answers.json").write_text(json.dumps(
        [{"id": s.item.id, "question": s.item.question, "answerable": s.item.answerable,
          "relevance": round(relevance[i], 3), **{system: {"text": scored[i].reply.text, "mode": scored[i].reply.mode,
          "correct": scored[i].correct, "faithfulness": scored[i].faithfulness, "contradiction": scored[i].contradiction,
          "refused": scored[i].refused} for system, scored in systems.items()}}
         for i, s in enumerate(systems["auto"])], indent=1, ensure_ascii=False))
    print(f"\n{name}: {sum(i.answerable for i in items)} answerable, {sum(not i.answerable for i in items)} unanswerable; "
          f"{len(docs)} documents")
    columns = ("correctness", "faithfulness", "contradictions", "citation_precision", "false_refusal", "refusal")
    print(f"{'system':<12}" + "".join(f"{c:>20}" for c in columns))
    figures = {}
    for system, scored in systems.items():
        figures[system] = summarize(scored)
        print(f"{system:<12}" + "".join(f"{figures[system][c]:>20.3f}" for c in columns))
    modes = [s.reply.mode for s in systems["auto"]]
    print("auto modes: " + ", ".join(f"{m} {modes.count(m)}" for m in sorted(set(modes)))
          + f"; per-item answers in {CACHE.relative_to(REPO)}/{name}-answers.json")
    print(f"verification (extract + verify) per answer: p50 {statistics.median(seconds) * 1000:.0f} ms, "
          f"p95 {sorted(seconds)[int(0.95 * (len(seconds) - 1))] * 1000:.0f} ms")
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sets", nargs="+", default=["debian", "policies", "sample"])
    parser.add_argument("--docs", type=Path, default=Path("/tmp/retrieval_docs"), help="the Debian manuals")
    parser.add_argument("--limit", type=int, help="only the first N questions of each set")
    args = parser.parse_args()
    CACHE.mkdir(parents=True, exist_ok=True)
    embedder, generations = Embedder(), Generations(CACHE / "generations.json")
    for name in args.sets:
        run_set(name, args.docs, args.limit, embedder, generations)
    return 0


if __name__ == "__main__":
    sys.exit(main())
