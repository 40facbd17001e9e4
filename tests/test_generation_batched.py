"""Continuous batching on the real base model: concurrent answers equal the unbatched ones.

Tolerance: none, the texts must be identical. Rows in one batch only share padded (masked)
cache slots, and positions come from each row's own mask, so the only possible difference is
float rounding from different matrix shapes; in fp32 it has not flipped a greedy choice on
these prompts, and a real bug (wrong positions, leaking padding, lost cache rows) changes
the text within a few tokens, so exact equality is the check that can catch it.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from llmops.serving.batched_generation import BatchedChatModel
from llmops.train.chat_model import Sampling

QUESTIONS = [
    "What is the capital of France?",
    "hi",
    "Explain in detail how a vacation request is approved at a company, step by step, with examples.",
    "List three colors.",
    "Tell me a long story about a dragon who learned to code in Python and then built a startup with friends.",
]
LIMIT = 24


def conversation(question: str) -> list[dict[str, str]]:
    return [{"role": "user", "content": question}]


@pytest.fixture(scope="module")
def unbatched(chat) -> list[str]:
    return [chat.complete([conversation(q)], LIMIT)[0].text for q in QUESTIONS]


def test_staggered_concurrent_streams_match_unbatched(chat, unbatched) -> None:
    batched = BatchedChatModel(chat, max_batch=4)

    def streamed(index: int) -> str:
        time.sleep(0.2 * index)  # later requests join a batch that is already decoding
        return "".join(c.text for c in batched.stream(conversation(QUESTIONS[index]), LIMIT))

    with ThreadPoolExecutor(len(QUESTIONS)) as pool:
        assert list(pool.map(streamed, range(len(QUESTIONS)))) == unbatched
    sizes = list(batched.batch_sizes)
    assert max(sizes) > 1 and max(sizes) <= 4
    assert any(later > earlier for earlier, later in zip(sizes, sizes[1:]))  # rows joined mid-flight


def test_complete_through_the_batcher(chat, unbatched) -> None:
    batched = BatchedChatModel(chat)
    completions = batched.complete([conversation(q) for q in QUESTIONS], LIMIT)
    assert [c.text for c in completions] == unbatched
    reference = chat.complete([conversation(QUESTIONS[2])], LIMIT)[0]
    assert completions[2] == reference


def test_seeded_sampling_in_a_shared_batch_matches_alone(chat, unbatched) -> None:
    """Sampling rows draw with their own generators, so greedy and seeded rows decoding in one
    batch give the answers each gives alone."""
    hot = Sampling(temperature=1.2, seed=11)
    alone = [chat.complete([conversation(q)], LIMIT, hot)[0].text for q in QUESTIONS[:3]]
    batched = BatchedChatModel(chat, max_batch=8, wait_s=0.5)

    def streamed(index: int) -> str:
        sampling = hot if index < 3 else Sampling()
        return "".join(c.text for c in batched.stream(conversation(QUESTIONS[index]), LIMIT, sampling))

    with ThreadPoolExecutor(len(QUESTIONS)) as pool:
        assert list(pool.map(streamed, range(len(QUESTIONS)))) == alone + unbatched[3:]
    assert max(batched.batch_sizes) > 1
    assert [c.text for c in batched.complete([conversation(q) for q in QUESTIONS[:3]], LIMIT, hot)] == alone


def test_an_abandoned_stream_leaves_the_batch(chat, unbatched) -> None:
    batched = BatchedChatModel(chat)
    abandoned = batched.stream(conversation(QUESTIONS[2]), LIMIT)
    next(abandoned)
    kept = batched.stream(conversation(QUESTIONS[4]), LIMIT)
    abandoned.close()
    assert "".join(c.text for c in kept) == unbatched[4]
    assert batched.batch_sizes[-1] == 1  # the abandoned row was dropped before the end


def test_bad_arguments_are_refused(chat) -> None:
    with pytest.raises(ValueError, match="max_batch"):
        BatchedChatModel(chat, max_batch=0)
    with pytest.raises(ValueError, match="at least 1"):
        BatchedChatModel(chat).stream(conversation("hi"), 0)
