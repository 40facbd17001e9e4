"""Decoding of ChatModel on the real base model: greedy and sampled, complete, stream and thread safety."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from llmops.train.chat_model import Sampling, TokenSampler


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


def test_token_sampler_draws_from_the_tempered_nucleus() -> None:
    """Frequencies follow softmax(logits / temperature); top_p keeps the fewest most likely tokens
    whose mass reaches it; a seed repeats the draws."""
    import torch

    logits = torch.tensor([2.0, 1.0, 0.0, -1.0])
    for temperature in (0.5, 1.0, 2.0):
        sampler = TokenSampler(Sampling(temperature, seed=1))
        counts = torch.bincount(torch.tensor([sampler.draw(logits) for _ in range(4000)]), minlength=4)
        expected = torch.softmax(logits / temperature, dim=-1)
        assert torch.allclose(counts / 4000, expected, atol=0.03), (temperature, counts)
    probs = torch.softmax(logits, dim=-1)  # about 0.64, 0.24, 0.09, 0.03
    nucleus = TokenSampler(Sampling(1.0, top_p=0.8, seed=2))
    assert {nucleus.draw(logits) for _ in range(500)} == {0, 1}
    assert float(probs[:2].sum()) >= 0.8 > float(probs[0])
    same_seed = [TokenSampler(Sampling(1.0, seed=5)) for _ in range(2)]
    assert [same_seed[0].draw(logits) for _ in range(50)] == [same_seed[1].draw(logits) for _ in range(50)]
    with pytest.raises(ValueError, match="top_p"):
        Sampling(1.0, top_p=0)
    with pytest.raises(ValueError, match="temperature"):
        Sampling(-0.1)


def test_sampling_by_temperature_top_p_and_seed(chat, completions) -> None:
    """A seed repeats an answer exactly, whole or streamed; different seeds at a high temperature
    give different answers; a nucleus too small for more than the top token is greedy decoding."""
    question = conversation(QUESTIONS[2])
    hot = Sampling(temperature=1.3, seed=7)
    answer = chat.complete([question], LIMIT, hot)[0]
    assert chat.complete([question], LIMIT, hot)[0] == answer
    assert "".join(c.text for c in chat.stream(question, LIMIT, hot)) == answer.text
    assert len({chat.complete([question], LIMIT, Sampling(1.3, seed=seed))[0].text for seed in range(4)}) > 1
    narrow = Sampling(temperature=1.0, top_p=1e-6, seed=3)
    assert chat.complete([conversation(q) for q in QUESTIONS], LIMIT, narrow) == completions
