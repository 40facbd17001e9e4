"""Baidu's LAC 2.1.2 without PaddlePaddle (llmops.pii.lac): Baidu's documented outputs, names in
prose, exact offsets, the ONNX network against a plain numpy copy of Paddle's, the pinned sdist."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from llmops.pii.lac import FOLDER, SDIST_NAME, VARIABLES, Lac, fetch, read_tensor


@pytest.fixture(scope="module")
def lac_folder(model_cache: Path) -> Path:
    """The weights in the project's model cache (``make install`` fetched them from PyPI)."""
    return fetch(model_cache)


@pytest.fixture(scope="module")
def lac(lac_folder: Path) -> Lac:
    return Lac(lac_folder)


def test_baidu_readme_examples(lac: Lac) -> None:
    assert lac.run(["百度是一家高科技公司", "LAC是个优秀的分词工具"]) == [
        [("百度", "ORG"), ("是", "v"), ("一家", "m"), ("高科技", "n"), ("公司", "n")],
        [("LAC", "nz"), ("是", "v"), ("个", "q"), ("优秀", "a"), ("的", "u"), ("分词", "n"), ("工具", "n")],
    ]


@pytest.mark.parametrize(("text", "names"), [
    ("今天下午三点，技术部的陈晓明和市场部刘洋在北京朝阳区开会。", ["陈晓明", "刘洋"]),
    ("张伟昨天在上海参加了公司的年度会议。", ["张伟"]),
    ("项目负责人王芳和李建国一起去了深圳。", ["王芳", "李建国"]),
    ("我们请赵丽华老师给学生讲课。", ["赵丽华"]),
    ("周末孙志强带孩子去公园玩。", ["孙志强"]),
])
def test_names_in_prose_are_people(lac: Lac, text: str, names: list[str]) -> None:
    (words,) = lac.run([text])
    assert [word for word, tag in words if tag == "PER"] == names


def test_places_and_times(lac: Lac) -> None:
    (words,) = lac.run(["今天下午三点，技术部的陈晓明和市场部刘洋在北京朝阳区开会。"])
    assert ("北京", "LOC") in words and ("朝阳区", "LOC") in words and ("今天下午", "TIME") in words


def test_words_concatenate_back_to_the_text(lac: Lac) -> None:
    texts = ["ＬＡＣ是個優秀的分詞工具，ｉＰｈｏｎｅ　１２ 售價５９９９元！",
             "Email: zhang.wei@example.com  2024-05-01\t（测试）\n第二行 abc123 x1y2", "a", "１", "　", ""]
    results = lac.run(texts)
    assert ["".join(word for word, _ in words) for words in results] == texts
    assert results[-1] == []


def test_batch_gives_the_same_results_as_one_text_at_a_time(lac: Lac) -> None:
    texts = ["张伟昨天在上海参加了公司的年度会议。", "好", "我们请赵丽华老师给学生讲课。" * 3]
    assert lac.run(texts) == [lac.run([text])[0] for text in texts]


def _paddle_gru(x: np.ndarray, weight: np.ndarray, bias: np.ndarray, reverse: bool) -> np.ndarray:
    """Paddle's dynamic_gru as written in its docs: gates [update|reset] then candidate,
    h = u*c + (1-u)*h_prev, one time step at a time."""
    hidden = weight.shape[0]
    flat = weight.reshape(-1)
    gates = flat[:2 * hidden * hidden].reshape(hidden, 2 * hidden)
    candidate = flat[2 * hidden * hidden:].reshape(hidden, hidden)
    x = x + bias.reshape(-1)
    h = np.zeros(hidden, np.float32)
    out = np.zeros((len(x), hidden), np.float32)
    for t in (range(len(x) - 1, -1, -1) if reverse else range(len(x))):
        update_reset = 1 / (1 + np.exp(-(x[t, :2 * hidden] + h @ gates)))
        update, reset = update_reset[:hidden], update_reset[hidden:]
        h = update * np.tanh(x[t, 2 * hidden:] + (reset * h) @ candidate) + (1 - update) * h
        out[t] = h
    return out


def test_onnx_network_matches_paddle_layout_in_numpy(lac: Lac, lac_folder: Path) -> None:
    w = {name: read_tensor(lac_folder / name) for name in VARIABLES}
    batch = [lac.encode(text)[0] for text in ("百度是一家高科技公司", "好", "项目负责人王芳和李建国一起去了深圳。")]
    for ids, emissions in zip(batch, lac.emissions(batch)):
        x = w["word_emb"][ids]
        for layer in range(2):
            x = np.concatenate([
                _paddle_gru(x @ w[f"fc_{2 * layer + d}.w_0"] + w[f"fc_{2 * layer + d}.b_0"],
                            w[f"gru_{2 * layer + d}.w_0"], w[f"gru_{2 * layer + d}.b_0"], reverse=d == 1)
                for d in range(2)], axis=1)
        np.testing.assert_allclose(emissions, x @ w["fc_4.w_0"] + w["fc_4.b_0"], atol=1e-4)


def test_sdist_with_another_hash_is_refused(tmp_path: Path) -> None:
    (tmp_path / SDIST_NAME).write_bytes(b"not the LAC release")
    with pytest.raises(ValueError, match="sha256"):
        fetch(tmp_path)
    assert not (tmp_path / FOLDER).exists()
