"""Greedy decoding of ChatModel on the real base model: complete, stream and thread safety."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest


QUESTIONS = [
    "What is the capital of France?",
    "hi",
    "Explain in detail how a vacation request is approved at a company, step by step, with examples.",
]
LIMIT = 24


def conversation(question: str) -> list[dict[str, str]]:
    return [{"role": "user", "content": question}]


@pytest.fixture(scope="module")
def completions(chat):
    return chat.complete([conversation(q) for q in QUESTIONS], LIMIT)


def test_complete_picks_the_same_tokens_as_transformers_generate(chat, completions) -> None:
    """Our decoding loop must be exactly greedy search with the repetition penalty."""
    import torch

    for question, completion in zip(QUESTIONS, completions):
        ids = torch.tensor([chat.encode(conversation(question))])
        with torch.inference_mode():
            output = chat.model.generate(input_ids=ids, attention_mask=torch.ones_like(ids), max_new_tokens=LIMIT,
                                         do_sample=False, repetition_penalty=chat.generation.repetition_penalty,
                                         pad_token_id=chat.tokenizer.pad_token_id)
        row = output[0, ids.shape[1] :].tolist()
        stopped = chat.tokenizer.eos_token_id in row
        tokens = row[: row.index(chat.tokenizer.eos_token_id)] if stopped else row
        assert completion.text == chat.tokenizer.decode(tokens, skip_special_tokens=True).strip()
        assert completion.completion_tokens == len(tokens)
        assert completion.finish_reason == ("stop" if stopped else "length")
    assert {c.finish_reason for c in completions} == {"stop", "length"}


def test_stream_joins_to_the_completion(chat, completions) -> None:
    for question, completion in zip(QUESTIONS, completions):
        chunks = list(chat.stream(conversation(question), LIMIT))
        assert "".join(c.text for c in chunks) == completion.text
        assert [c.finish_reason for c in chunks[:-1]] == [None] * (len(chunks) - 1)
        last = chunks[-1]
        assert (last.finish_reason, last.completion_tokens, last.prompt_tokens) == (
            completion.finish_reason, completion.completion_tokens, completion.prompt_tokens)
        assert len(chunks) > 2  # text really arrives piece by piece


def test_concurrent_calls_give_the_sequential_answers(chat, completions) -> None:
    def streamed(question: str) -> str:
        return "".join(c.text for c in chat.stream(conversation(question), LIMIT))

    with ThreadPoolExecutor(4) as pool:
        streams = [pool.submit(streamed, q) for q in QUESTIONS]
        completes = [pool.submit(chat.complete, [conversation(q)], LIMIT) for q in QUESTIONS]
        assert [f.result() for f in streams] == [c.text for c in completions]
        assert [f.result()[0].text for f in completes] == [c.text for c in completions]


def test_max_new_tokens_must_be_positive(chat) -> None:
    with pytest.raises(ValueError, match="at least 1"):
        list(chat.stream(conversation("hi"), 0))
