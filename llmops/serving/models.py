"""Which registered versions answer: loading a version from the registry into an ``Answerer``,
and ``ServedModels``, the champion (and canary challenger, and each access group's own champion)
swapped atomically when the registry aliases move, so a promotion reaches the server without a
restart."""

from __future__ import annotations

import logging
import random
import threading
from collections.abc import Iterable
from dataclasses import dataclass, replace

from llmops.monitor.feedback import served_model_id
from llmops.pii.scrubber import Scrubber
from llmops.registry.models import CHALLENGER, CHAMPION, ModelRegistry
from llmops.retrieval.search import Reranker, Retriever, SearchSettings
from llmops.serving.answerer import Answerer

log = logging.getLogger(__name__)


@dataclass
class RegistryLoader:
    """Loads registered versions of one model into Answerers sharing the retriever and scrubber."""

    registry: ModelRegistry
    retriever: Retriever | None
    scrubber: Scrubber | None = None
    backend: str | None = None  # generation engine (see backends); None: $LLMOPS_BACKEND or transformers
    precision: str = "fp32"  # the transformers engine's weights: fp32, bf16 or auto (see backends.serving_chat)
    languages: tuple[str, ...] = ("en",)  # what the model writes well (Answerer.languages)

    def version(self, alias: str) -> str | None:
        found = self.registry.aliased(alias)
        return found.version if found else None

    def model_id(self, version: str) -> str:
        return served_model_id(self.registry.name, version)

    def load(self, version: str) -> Answerer:
        from llmops.serving.backends import serving_chat

        pyfunc = self.registry.load(version).unwrap_python_model()
        chat = serving_chat(pyfunc, self.registry, version, self.backend, self.precision)  # batched transformers, or llama.cpp
        return Answerer(chat, self.retriever, self.model_id(version), pyfunc.system_prompt, self.scrubber,
                        languages=self.languages)


class ServedModels:
    """The champion (and optional canary challenger) answering now, and the champion of each access
    group that has a model of its own (``groups``), swapped atomically.

    A request picks its Answerer once and keeps the reference, so a swap never touches a request
    in flight: it finishes on the old version, which is freed when the last such request ends.
    Each group model is a whole model in memory (base weights included).
    """

    def __init__(self, champion: Answerer, loader: RegistryLoader | None = None, canary_share: float = 0.0) -> None:
        if not 0.0 <= canary_share <= 1.0:
            raise ValueError(f"canary share must be within [0, 1], got {canary_share}")
        self.champion = champion
        self.challenger: Answerer | None = None
        self.groups: dict[str, Answerer] = {}  # access group -> its own champion, replaced whole on a change
        self.loader = loader
        self.canary_share = canary_share
        self.last_error: str | None = None
        self.swaps = 0
        self._refresh_lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def pick(self, groups: Iterable[str] = ()) -> Answerer:
        """Who answers a caller of ``groups``: the model of the first of their groups (by name) that
        has one, else the champion, or, for the canary share, the challenger. A group model was
        trained only on what its group may read, so any member may be answered by it."""
        own = self.groups
        if held := sorted(set(groups) & set(own)):
            return own[held[0]]
        challenger = self.challenger
        if challenger is not None and random.random() < self.canary_share:
            return challenger
        return self.champion

    def versions(self, groups: Iterable[str] | None = None) -> list[Answerer]:
        """The models answering now; with ``groups``, those a caller of these groups may be answered by."""
        own = self.groups
        shown = own.values() if groups is None else [own[group] for group in sorted(set(groups) & set(own))]
        return [a for a in (self.champion, self.challenger, *shown) if a is not None]

    def refresh(self) -> dict[str, str | None]:
        """Follow the registry aliases: load a changed version fully, then swap it in."""
        if self.loader is None:
            return {"champion": self.champion.model_id, "challenger": None, "groups": {}}
        with self._refresh_lock:
            try:
                self._follow(CHAMPION)
                if self.canary_share > 0:
                    self._follow(CHALLENGER)
                self._follow_groups()
                self.last_error = None
            except Exception as exc:  # a broken registry or version keeps the current model serving
                self.last_error = f"{type(exc).__name__}: {exc}"
                log.exception("model refresh failed; still serving %s", self.champion.model_id)
                raise
        challenger = self.challenger
        return {"champion": self.champion.model_id, "challenger": challenger.model_id if challenger else None,
                "groups": {group: answerer.model_id for group, answerer in self.groups.items()}}

    def _follow(self, alias: str) -> None:
        version = self.loader.version(alias)
        current = self.champion if alias == CHAMPION else self.challenger
        if version is None:
            if alias != CHAMPION:
                self.challenger = None
            return
        wanted = self.loader.model_id(version)
        if current is not None and current.model_id == wanted:
            return
        loaded = next((a for a in self.versions() if a.model_id == wanted), None) or self.loader.load(version)
        if alias == CHAMPION:
            self.champion = loaded
        else:
            self.challenger = loaded
        self.swaps += 1
        log.info("now serving %s as %s", wanted, alias)

    def _follow_groups(self) -> None:
        """Serve the champion of every group model in the registry; a group whose champion was
        retired (or whose model was deleted) is answered by the shared champion again."""
        current, following = self.groups, {}
        for group, registry in self.loader.registry.group_models().items():
            found = registry.champion()
            if found is None:
                continue
            loader = replace(self.loader, registry=registry)
            held = current.get(group)
            following[group] = held if held and held.model_id == loader.model_id(found.version) else loader.load(found.version)
        if following.keys() != current.keys() or any(following[g] is not current[g] for g in following):
            self.groups = following
            self.swaps += 1
            log.info("group models now %s", {group: a.model_id for group, a in following.items()})

    def start_polling(self, interval_s: float) -> None:
        def loop() -> None:
            while not self._stop.wait(interval_s):
                try:
                    self.refresh()
                except Exception:  # already logged and exposed in /readyz; try again next interval
                    pass

        self._thread = threading.Thread(target=loop, name="champion-poller", daemon=True)
        self._thread.start()

    def stop_polling(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)


def load_served_models(model_name: str, tracking_uri: str, lancedb_uri: str, table: str, scrubber: Scrubber | None = None,
                       canary_share: float = 0.0, backend: str | None = None, precision: str = "fp32",
                       search: SearchSettings = SearchSettings(), reranker: Reranker | None = None,
                       languages: tuple[str, ...] = ("en",)) -> ServedModels:
    """The champion (and, with a canary share, the challenger) ready to serve and to follow the
    registry; retrieval reads the live index version and searches it as ``search`` says; questions
    in a language outside ``languages`` are answered by quoting."""
    from llmops.retrieval.embedder import Embedder
    from llmops.train.base_model import use_bf16

    use_bf16(precision)  # a misspelt precision fails here, before anything loads
    loader = RegistryLoader(ModelRegistry.at(tracking_uri, model_name), None, scrubber, backend, precision, languages)
    version = loader.version(CHAMPION)
    if version is None:
        raise LookupError(f"model {model_name!r} has no {CHAMPION!r} alias in {tracking_uri}; run the pipeline first")
    loader.retriever = Retriever(lancedb_uri, Embedder(runtime="onnx"), table, search, reranker=reranker)  # queries off the GIL
    served = ServedModels(loader.load(version), loader, canary_share)
    served.refresh()  # the challenger (with a canary share) and each group's own champion
    # MiniLM loads (and is exported to ONNX, once per cache) on its first query, and spaCy's pipeline
    # warms on its first text: done now, so the port opens, and /readyz passes, only when the first
    # request is as fast as any.
    served.champion.scrub_each(["warm-up"])
    loader.retriever.embedder.encode(["warm-up"])
    return served
