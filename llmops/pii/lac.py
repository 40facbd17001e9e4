"""Baidu's LAC 2.1.2 lexical analyser (word segmentation, part of speech, PER/LOC/ORG/TIME) without
PaddlePaddle: the original weights of the PyPI release ``LAC==2.1.2``, run through onnxruntime.

Chinese has no spaces, so a scrubber that looks for names in prose needs a segmenter that also
tags people; LAC is Baidu's, trained on their corpus, and its PyPI package is the only published
copy of the weights. PaddlePaddle itself is a large, pinned dependency for one small network, so
this module reads Paddle's parameter files directly and rebuilds the network (embedding, two
bidirectional GRU layers, a linear layer, a CRF) as an ONNX graph, kept next to the weights.

The pre- and post-processing copy Baidu's code (``LAC/segment.py``, ``reader.py``, ``models.py``):
the text is cut by a max-probability DAG over ``small_seg.dic``; a piece that is in the vocabulary
gets one id, otherwise each character its own (after the full-width/traditional ``q2b.dic``
mapping); after decoding, a piece's tag is re-expanded over its characters and B/I tags merge
characters into words. Words always concatenate back to the input text.

``python -m llmops.pii.lac fetch [CACHE_DIR]`` puts the weights into the model cache.
"""

from __future__ import annotations

import argparse
import hashlib
import struct
import tarfile
import urllib.request
import uuid
from math import log
from pathlib import Path

import numpy as np
import onnx
import onnxruntime
from onnx import TensorProto, helper, numpy_helper

SDIST_URL = ("https://files.pythonhosted.org/packages/c3/88/966e99c95cac93730a7f3cdf92a17e2a0e924bea61b9a86ae"
             "7995feaa4fe/LAC-2.1.2.tar.gz")
SDIST_SHA256 = "22fcde0d5082d2044205ea6f6a7a9cd1f0d63e7b21b2dd5c9c73f27e7c0a3ef1"
SDIST_NAME = "LAC-2.1.2.tar.gz"
FOLDER = "lac-2.1.2"
_MEMBER_ROOT = "LAC-2.1.2/LAC/lac_model/"
VARIABLES = ("word_emb", "crfw", *(f"{layer}_{i}.{p}_0" for layer, n in (("fc", 5), ("gru", 4))
                                   for i in range(n) for p in ("w", "b")))
DICTIONARIES = ("word.dic", "tag.dic", "q2b.dic", "small_seg.dic")
# Bump when _build_graph changes, so a cache written by an older version is not reused.
_GRAPH = "emissions-v1.onnx"
# Padded tokens per onnxruntime call: bounds memory when one text of a batch is very long.
_BATCH_TOKENS = 16384


def fetch(cache_dir: Path) -> Path:
    """``<cache_dir>/lac-2.1.2``, holding the model variables and dictionaries of the sdist.

    Downloads the sdist from PyPI's file host when it is not in ``cache_dir`` yet and refuses one
    whose sha256 is not the pinned one. Only the listed members are read, each written to a name
    this module chooses (never a path from the archive), under a temporary name then renamed, so
    concurrent callers never see a half-written file.
    """
    folder = cache_dir / FOLDER
    wanted = {_MEMBER_ROOT + "model/" + name: name for name in VARIABLES}
    wanted |= {_MEMBER_ROOT + "conf/" + name: name for name in DICTIONARIES}
    if all((folder / name).is_file() for name in wanted.values()):
        return folder
    sdist = cache_dir / SDIST_NAME
    if not sdist.exists():
        _download(sdist)
    _check_sha256(sdist)
    folder.mkdir(parents=True, exist_ok=True)
    with tarfile.open(sdist, "r:gz") as archive:
        for member in archive:
            name = wanted.pop(member.name, None)
            if name is None:
                continue
            source = archive.extractfile(member) if member.isfile() else None
            if source is None:
                raise ValueError(f"{sdist}: {member.name} is not a regular file")
            partial = folder / f"{name}.{uuid.uuid4().hex}.partial"
            partial.write_bytes(source.read())
            partial.replace(folder / name)
    if wanted:
        raise ValueError(f"{sdist}: missing {sorted(wanted)}")
    return folder


def _download(target: Path) -> None:
    """The sdist from PyPI, written under a temporary name and renamed only once its hash is right."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f"{target.name}.{uuid.uuid4().hex}.partial")
    try:
        with urllib.request.urlopen(SDIST_URL, timeout=120) as response, partial.open("wb") as out:
            while chunk := response.read(1 << 20):
                out.write(chunk)
        _check_sha256(partial)
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)


def _check_sha256(path: Path) -> None:
    digest = hashlib.sha256()
    with path.open("rb") as source:
        while chunk := source.read(1 << 20):
            digest.update(chunk)
    if digest.hexdigest() != SDIST_SHA256:
        raise ValueError(f"{path}: sha256 {digest.hexdigest()}, expected {SDIST_SHA256} for {SDIST_URL}; "
                         "delete the file and fetch again")


def read_tensor(path: Path) -> np.ndarray:
    """One float32 variable saved by Paddle (``fluid.io.save_inference_model``, one file each).

    Layout: uint32 version, uint64 LoD level count and the levels, uint32 tensor version, int32
    size of a ``TensorDesc`` protobuf (field 1: data type, field 2: dims), then the raw data.
    """
    data = path.read_bytes()
    offset = 4
    (levels,) = struct.unpack_from("<Q", data, offset)
    offset += 8
    for _ in range(levels):
        (size,) = struct.unpack_from("<Q", data, offset)
        offset += 8 + size
    (desc_size,) = struct.unpack_from("<i", data, offset + 4)
    offset += 8
    dtype, dims = _tensor_desc(data[offset:offset + desc_size])
    offset += desc_size
    if dtype != 5:  # VarType.FP32
        raise ValueError(f"{path}: data type {dtype}, expected FP32")
    count = int(np.prod(dims))
    if offset + 4 * count != len(data):
        raise ValueError(f"{path}: {len(data) - offset} data bytes for dims {dims}")
    return np.frombuffer(data, "<f4", count, offset).reshape(dims).copy()


def _tensor_desc(message: bytes) -> tuple[int, list[int]]:
    """The data type and dims of a ``TensorDesc`` (dims packed or not)."""
    def varint(buffer: bytes, i: int) -> tuple[int, int]:
        value = shift = 0
        while True:
            byte = buffer[i]
            i += 1
            value |= (byte & 0x7F) << shift
            shift += 7
            if byte < 0x80:
                return value, i

    dtype, dims, i = -1, [], 0
    while i < len(message):
        key, i = varint(message, i)
        if key == (1 << 3):
            dtype, i = varint(message, i)
        elif key == (2 << 3):
            dim, i = varint(message, i)
            dims.append(dim)
        elif key == (2 << 3) | 2:
            size, i = varint(message, i)
            end = i + size
            while i < end:
                dim, i = varint(message, i)
                dims.append(dim)
        else:
            raise ValueError(f"unexpected TensorDesc field {key}")
    return dtype, dims


def _read_pairs(path: Path) -> list[tuple[str, str]]:
    """Baidu's ``load_kv_dict``: tab-separated pairs, lines without exactly two fields skipped."""
    with path.open(encoding="utf-8") as lines:
        return [(terms[0], terms[1]) for line in lines if len(terms := line.strip("\n").split("\t")) == 2]


def _build_graph(folder: Path) -> onnx.ModelProto:
    """Token ids [batch, time] and lengths [batch] to CRF emissions [batch, time, tags].

    Each of Paddle's GRU directions is an ``fc`` projection (weights [in, 3H], gates in the order
    update, reset, candidate) followed by ``dynamic_gru`` (bias [1, 3H]; recurrent weights [H, 3H]
    stored as an [H, 2H] block for update|reset, then [H, H] for the candidate), with
    h = u*c + (1-u)*h_prev. ONNX's GRU has h = (1-z)*c + z*h_prev, so z = 1-u = sigmoid(-a_u): its z
    weights and bias are the negated update ones. The candidate multiplies the reset gate into
    h_prev before the recurrent weights (``linear_before_reset=0``).
    """
    weights = {name: read_tensor(folder / name) for name in VARIABLES}
    hidden = weights["gru_0.w_0"].shape[0]
    flip = np.concatenate([-np.ones(hidden), np.ones(2 * hidden)]).astype(np.float32)
    initializers = [numpy_helper.from_array(weights["word_emb"], "word_emb"),
                    numpy_helper.from_array(np.array([0, 0, 2 * hidden], np.int64), "merge_directions"),
                    numpy_helper.from_array(weights["fc_4.w_0"], "fc_4.w"),
                    numpy_helper.from_array(weights["fc_4.b_0"], "fc_4.b")]
    nodes = [helper.make_node("Gather", ["word_emb", "ids"], ["embedded"]),
             helper.make_node("Transpose", ["embedded"], ["x0"], perm=[1, 0, 2])]
    for layer in range(2):
        w, r, b = [], [], []
        for direction in (2 * layer, 2 * layer + 1):
            recurrent = weights[f"gru_{direction}.w_0"].reshape(-1)
            update_reset = recurrent[:2 * hidden * hidden].reshape(hidden, 2 * hidden)
            candidate = recurrent[2 * hidden * hidden:].reshape(hidden, hidden)
            w.append((weights[f"fc_{direction}.w_0"] * flip).T)
            r.append(np.concatenate([update_reset, candidate], axis=1).T * flip[:, None])
            bias = (weights[f"fc_{direction}.b_0"] + weights[f"gru_{direction}.b_0"].reshape(-1)) * flip
            b.append(np.concatenate([bias, np.zeros(3 * hidden, np.float32)]))
        names = [f"gru{layer}.{part}" for part in "WRB"]
        initializers += [numpy_helper.from_array(np.stack(a).astype(np.float32), n) for a, n in zip((w, r, b), names)]
        nodes += [helper.make_node("GRU", [f"x{layer}", *names, "lengths"], [f"y{layer}"], hidden_size=hidden,
                                   direction="bidirectional", linear_before_reset=0),
                  helper.make_node("Transpose", [f"y{layer}"], [f"t{layer}"], perm=[0, 2, 1, 3]),
                  helper.make_node("Reshape", [f"t{layer}", "merge_directions"], [f"x{layer + 1}"])]
    nodes += [helper.make_node("Transpose", ["x2"], ["features"], perm=[1, 0, 2]),
              helper.make_node("MatMul", ["features", "fc_4.w"], ["projected"]),
              helper.make_node("Add", ["projected", "fc_4.b"], ["emissions"])]
    tags = weights["fc_4.b_0"].shape[0]
    graph = helper.make_graph(
        nodes, "lac_2_1_2",
        [helper.make_tensor_value_info("ids", TensorProto.INT64, ["batch", "time"]),
         helper.make_tensor_value_info("lengths", TensorProto.INT32, ["batch"])],
        [helper.make_tensor_value_info("emissions", TensorProto.FLOAT, ["batch", "time", tags])],
        initializers)
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], ir_version=8)


class Lac:
    """LAC 2.1.2 loaded from a folder written by `fetch`; build once per process, then `run`."""

    def __init__(self, folder: Path) -> None:
        self._vocabulary = {word: int(i) for i, word in _read_pairs(folder / "word.dic")}
        self._oov = self._vocabulary["OOV"]
        self._replace = dict(_read_pairs(folder / "q2b.dic"))
        self._labels = dict(_read_pairs(folder / "tag.dic"))  # later lines win, as in Baidu's reader
        self._prefixes, self._log_total = _segment_dictionary(folder / "small_seg.dic")
        crf = read_tensor(folder / "crfw")
        self._start, self._end, self._into = crf[0], crf[1], np.ascontiguousarray(crf[2:].T)
        graph = folder / _GRAPH
        if not graph.exists():
            partial = folder / f"{_GRAPH}.{uuid.uuid4().hex}.partial"
            onnx.save(_build_graph(folder), partial)
            partial.replace(graph)
        options = onnxruntime.SessionOptions()
        # one thread: callers scale by forking worker processes
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        self._session = onnxruntime.InferenceSession(str(graph), options, providers=["CPUExecutionProvider"])

    def run(self, texts: list[str]) -> list[list[tuple[str, str]]]:
        """Each text as (word, tag) pairs whose words concatenate back to the text.

        Tags are Baidu's: PER, LOC, ORG, TIME and the part-of-speech tags (n, v, nz, w, ...); a
        stretch the model tags "O" (some runs of Latin text and symbols) gets "", as in Baidu's output.
        """
        encoded = [self.encode(text) for text in texts]
        scores = self.emissions([ids for ids, _ in encoded])
        paths: list[list[int]] = [[] for _ in texts]
        for chunk in _chunks([len(ids) for ids, _ in encoded]):
            for i, path in zip(chunk, self._viterbi([scores[i] for i in chunk])):
                paths[i] = path
        results = []
        for text, (_, lengths), path in zip(texts, encoded, paths):
            tags = []
            for tag_id, length in zip(path, lengths):
                tag = self._labels[str(tag_id)]
                tags += [tag] + [tag[:-2] + "-I"] * (length - 1)
            words: list[list[str]] = []
            for char, tag in zip(text, tags):
                if not words or tag.endswith("B") or tag.endswith("S"):
                    words.append([char, tag[:-2]])
                else:  # the word takes its last character's tag
                    words[-1] = [words[-1][0] + char, tag[:-2]]
            results.append([(word, tag) for word, tag in words])
        return results

    def is_word(self, text: str) -> bool:
        """Whether ``text`` is one entry of LAC's vocabulary (a common word, or a name common enough)."""
        return text in self._vocabulary

    def encode(self, text: str) -> tuple[list[int], list[int]]:
        """Token ids of ``text`` and how many characters each covers (``Dataset.text_to_ids``)."""
        ids, lengths = [], []
        for piece in self._cut(text):
            if piece in self._vocabulary:
                ids.append(self._vocabulary.get(self._replace.get(piece, piece), self._oov))
                lengths.append(len(piece))
            else:
                ids += [self._vocabulary.get(self._replace.get(char, char), self._oov) for char in piece]
                lengths += [1] * len(piece)
        return ids, lengths

    def emissions(self, batch: list[list[int]]) -> list[np.ndarray]:
        """CRF emissions [len(ids), tags] of each id sequence, run in length-sorted padded batches."""
        out = [np.zeros((0, len(self._end)), np.float32) for _ in batch]
        for chunk in _chunks([len(ids) for ids in batch]):
            lengths = np.array([len(batch[i]) for i in chunk], np.int32)
            ids = np.zeros((len(chunk), lengths.max()), np.int64)
            for row, i in enumerate(chunk):
                ids[row, :lengths[row]] = batch[i]
            (scores,) = self._session.run(None, {"ids": ids, "lengths": lengths})
            for row, i in enumerate(chunk):
                out[i] = scores[row, :lengths[row]]
        return out

    def _viterbi(self, emissions: list[np.ndarray]) -> list[list[int]]:
        """Best tag paths, as Paddle's ``crf_decoding`` (crfw rows: start, end, then transitions),
        over a padded batch: a finished sequence keeps its scores and points back to itself."""
        lengths = np.array([len(e) for e in emissions])
        batch, steps, tags = len(emissions), int(lengths.max()), len(self._end)
        padded = np.zeros((batch, steps, tags), np.float32)
        for row, emission in enumerate(emissions):
            padded[row, :len(emission)] = emission
        alpha = self._start + padded[:, 0]
        pointers = np.empty((steps, batch, tags), np.intp)
        for step in range(1, steps):
            scores = alpha[:, None, :] + self._into  # [sequence, to, from]: reduce the contiguous axis
            best = scores.argmax(axis=2)
            advanced = scores.max(axis=2) + padded[:, step]
            live = (step < lengths)[:, None]
            alpha = np.where(live, advanced, alpha)
            pointers[step] = np.where(live, best, np.arange(tags))
        paths = np.empty((batch, steps), np.intp)
        paths[:, -1] = (alpha + self._end).argmax(axis=1)
        rows = np.arange(batch)
        for step in range(steps - 1, 0, -1):
            paths[:, step - 1] = pointers[step][rows, paths[:, step]]
        return [paths[row, :length].tolist() for row, length in enumerate(lengths)]

    def _cut(self, text: str) -> list[str]:
        """Baidu's ``Segment.fast_cut``, bug for bug.

        Its prefix dictionary stores a word's length where jieba stores its count, so a piece
        scores log(length) - log(total count); runs of single ASCII letters and digits are glued.
        """
        size = len(text)
        route: dict[int, tuple[float, int]] = {size: (0, 0)}
        for start in range(size - 1, -1, -1):
            ends = [start]
            end = start + 1
            while end <= size and (word := text[start:end]) in self._prefixes:
                if self._prefixes[word]:
                    ends.append(end - 1)
                end += 1
            route[start] = max((log(self._prefixes.get(text[start:last + 1]) or 1) - self._log_total
                                + route[last + 1][0], last) for last in ends)
        pieces, glued, start = [], "", 0
        while start < size:
            end = route[start][1] + 1
            piece = text[start:end]
            if len(piece) == 1 and piece.isascii() and piece.isalnum():
                glued += piece
            else:
                if glued:
                    pieces.append(glued)
                    glued = ""
                pieces.append(piece)
            start = end
        if glued:
            pieces.append(glued)
        return pieces


def _chunks(lengths: list[int]) -> list[list[int]]:
    """Indices of the non-empty sequences, sorted by length and grouped so that a padded batch
    holds at most _BATCH_TOKENS tokens (or is one sequence)."""
    order = sorted((i for i, length in enumerate(lengths) if length), key=lengths.__getitem__)
    chunks: list[list[int]] = []
    for i in order:
        if chunks and (len(chunks[-1]) + 1) * lengths[i] <= _BATCH_TOKENS:
            chunks[-1].append(i)
        else:
            chunks.append([i])
    return chunks


def _segment_dictionary(path: Path) -> tuple[dict[str, int | None], float]:
    """Baidu's ``TriedTree``: every word maps to its length, every proper prefix of one to None."""
    prefixes: dict[str, int | None] = {}
    total = 0
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            word, count = line.strip().split(" ")
            prefixes[word] = len(word)
            for i in range(1, len(word)):
                prefixes.setdefault(word[:i], None)
            total += int(count)
    return prefixes, log(total)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m llmops.pii.lac", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    fetch_command = commands.add_parser("fetch", help="download and unpack the LAC 2.1.2 weights")
    fetch_command.add_argument("cache_dir", nargs="?", type=Path,
                               help="model cache (default: LLMOPS_MODEL_CACHE, else LLMOPS_HOME/models)")
    args = parser.parse_args()
    if args.cache_dir is None:
        from llmops.settings import Settings

        args.cache_dir = Settings.from_env().model_cache
    print(fetch(args.cache_dir))


if __name__ == "__main__":
    main()
