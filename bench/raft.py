"""Retrieval-augmented fine-tuning (``SFTSettings(context="retrieved")``, the RAFT recipe) against
today's closed-book SFT and the base model, on the answer evaluation of ``bench/answer_quality.py``.

Per set (``policies``: Faker-made companies in ten locales, nobody here wrote them; ``sample``: the
demo company), each adapter is trained by the pipeline's own code on the set's scrubbed documents
(``build_examples`` → ``train_lora``, same LoRA recipe and step count; the retrieved context needs
a longer ``max_length``), registered in a throwaway MLflow registry, exported to GGUF
(``ensure_export``) and asked the set's questions by llama.cpp over the same retrieved passages (top
4, the served prompt). Each system is scored as the model wrote it (``generated_*``) and as serving
sends it after verification (``answer_*``), by ``AnswerSuite``. The questions are the set's question
file; those that also occur as an SFT question (the sample's FAQ headings) are scored apart too,
so the held-out figures stand alone. Usage:

    .venv/bin/python bench/raft.py [--sets policies sample] [--limit 32] [--steps 40]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from answer_quality import CACHE, TOP_K, Generations, indexed, sources  # noqa: E402  (bench/ on the path)
from retrieval_quality import corpus  # noqa: E402

from llmops.evaluation.answers import AnswerSuite, load_items, select_items  # noqa: E402
from llmops.grounding.answer import Grounder  # noqa: E402
from llmops.retrieval.embedder import Embedder  # noqa: E402
from llmops.retrieval.search import Retriever  # noqa: E402
from llmops.train.sft_dataset import DEFAULT_SYSTEM_PROMPT, SFTSettings, build_examples, save_dataset  # noqa: E402

MAX_LENGTH = {"closed_book": 384, "retrieved": 1024}


def adapter_gguf(docs, settings: SFTSettings, steps: int, work: Path) -> tuple[Path, Path, dict]:
    """Train, register and export one adapter (cached by its dataset version and steps)."""
    from llmops.registry.export import ensure_export
    from llmops.registry.models import ModelRegistry
    from llmops.registry.tracking import configure_mlflow
    from llmops.settings import Settings
    from llmops.train.base_model import BaseModelSpec
    from llmops.train.lora_adapter import TrainSettings, train_lora

    context = settings.context
    build = build_examples(docs, settings)
    target = CACHE / "raft" / f"{context}-{build.version}-{steps}"
    info = {"examples": build.counts(), **(build.context_counts() if context == "retrieved" else {})}
    if (target / "model.gguf").exists():
        return target / "model.gguf", target / "merged", json.loads((target / "info.json").read_text())
    save_dataset(build, work / context)
    uri = f"sqlite:///{work}/mlflow.db"
    configure_mlflow(uri, "raft-bench", str(work / "artifacts"))
    started = time.perf_counter()
    result = train_lora(work / context, work / f"train-{context}", BaseModelSpec(), Settings.from_env().model_cache,
                        TrainSettings(max_steps=steps, max_length=MAX_LENGTH[context]), DEFAULT_SYSTEM_PROMPT)
    info.update(train_s=round(time.perf_counter() - started), train_loss=round(result.train_loss, 3),
                eval_loss=result.eval_loss and round(result.eval_loss, 3), tokens=result.tokens)
    registry = ModelRegistry.at(uri, f"raft-bench-{context}")
    exported = ensure_export(registry, registry.register(result.model_uri), work / "exports")
    target.mkdir(parents=True, exist_ok=True)
    exported.gguf_path.replace(target / "model.gguf")
    exported.merged_dir.replace(target / "merged")
    (target / "info.json").write_text(json.dumps(info))
    return target / "model.gguf", target / "merged", info


def run_set(name: str, docs_folder: Path, limit: int, steps: int, embedder: Embedder, raft: SFTSettings) -> None:
    from llmops.serving.answerer import Answerer

    folder, questions = sources(name, docs_folder)
    docs = corpus(folder, scrub=True)
    docs = docs[docs["source"] != "questions.jsonl"]
    retriever = Retriever(indexed(docs, embedder), embedder)
    items = select_items(load_items(questions), limit)
    hits = retriever.search_many([i.question for i in items], TOP_K)
    suite = AnswerSuite(items, hits, Grounder(Embedder(runtime="onnx").encode))
    prompts = suite.prompts(DEFAULT_SYSTEM_PROMPT)
    assert prompts == [Answerer(None, retriever, "bench", DEFAULT_SYSTEM_PROMPT).build_messages(
        [{"role": "user", "content": i.question}], h) for i, h in zip(items, hits)]  # the served prompt
    trained = {e["prompt"][-1]["content"].casefold() for rows in build_examples(docs).examples.values() for e in rows}
    print(f"\n{name}: {len(docs)} documents; {sum(i.answerable for i in items)} answerable and "
          f"{sum(not i.answerable for i in items)} unanswerable questions, "
          f"{sum(i.question.casefold() in trained for i in items)} of them also an SFT question")
    held_out = [n for n, i in enumerate(items) if i.question.casefold() not in trained]
    unseen = AnswerSuite([items[n] for n in held_out], [hits[n] for n in held_out], suite.grounder)
    rows, unseen_rows = {}, {}
    with tempfile.TemporaryDirectory() as work:
        for system in ("base", "closed_book", "retrieved"):
            if system == "base":
                generations, info = Generations(CACHE / "generations.json"), {}
            else:
                settings = raft if system == "retrieved" else SFTSettings()
                gguf, tokenizer, info = adapter_gguf(docs, settings, steps, Path(work))
                key = hashlib.sha256(gguf.parent.name.encode()).hexdigest()[:12]
                generations = Generations(CACHE / f"generations-{key}.json", gguf, tokenizer)
            answers = generations.answers(prompts)
            rows[system], _ = suite.score(answers)
            unseen_rows[system], _ = unseen.score([answers[n] for n in held_out])
            print(f"  {system}: {info}")
    for title, table in (("all questions", rows), (f"the {len(held_out)} that are no SFT question", unseen_rows)):
        columns = sorted(next(iter(table.values())))
        print(f"{title}:\n{'system':<12}" + "".join(f"{c:>24}" for c in columns))
        for system, figures in table.items():
            print(f"{system:<12}" + "".join(f"{figures[c]:>24.3f}" for c in columns))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sets", nargs="+", default=["policies", "sample"])
    parser.add_argument("--docs", type=Path, default=Path("/tmp/retrieval_docs"))
    parser.add_argument("--limit", type=int, default=32, help="questions per set (a quarter unanswerable)")
    parser.add_argument("--steps", type=int, default=40, help="training steps of each adapter")
    parser.add_argument("--oracle-fraction", type=float, default=SFTSettings.oracle_fraction)
    parser.add_argument("--passage-chars", type=int, default=SFTSettings.passage_chars)
    args = parser.parse_args()
    CACHE.mkdir(parents=True, exist_ok=True)
    embedder = Embedder()
    raft = SFTSettings(context="retrieved", oracle_fraction=args.oracle_fraction, passage_chars=args.passage_chars)
    for name in args.sets:
        run_set(name, args.docs, args.limit, args.steps, embedder, raft)
    return 0


if __name__ == "__main__":
    sys.exit(main())
