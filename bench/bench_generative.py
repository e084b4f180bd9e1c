"""Generative answers with SmolLM2: load time, time to first token, decode speed, verification time.

    .venv/bin/python bench/bench_generative.py [--index-dir DIR] [--questions N] [--max-new-tokens N]
                                               [--compare-sources N]

Builds a throwaway index of the bundled report unless --index-dir names one. Targets: first token
<= 1.5 s warm, verification <= 10 ms per answer. The machine's load is printed with the numbers:
on a shared two-core machine they move a lot with what else is running, so the CPU time the work
took is printed too (the process's CPU seconds over the same interval): what it would take on a
core of its own.

--compare-sources N asks every question a second time with N sources shown instead of the default,
alternating the two, so both see the same machine load (before/after of ``LOCAL_MAX_SOURCES``).

Verification time is "added after the last token": from the end of the model's stream to the
verified answer (``verify_ms``), which includes waiting for the claims still being embedded.
Measured on SmolLM2's own answers (which seldom need an embedding), and on a two-claim answer that
does (its last claim a paraphrase) replayed through the same streaming path at SmolLM2's measured
decode pace, so that the work done while the model writes is what it would be. Also printed: the
same answer verified from scratch after the last token, i.e. without that overlap.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

QUESTIONS = [
    "How many IPR cases did Chinese courts conclude last year?",
    "How many counterfeit product cases did law enforcement handle last year?",
    "What is Jin Hai's job title?",
    "In how many countries and regions has China set up cooperative customs mechanisms?",
    "What was the total value of the infringement cases involving overseas trademark registrants?",
    "By how much did the number of IPR cases concluded by courts increase?",
]
# Two claims an answer might make: one copied (no embedding needed), one paraphrased (embedded).
CLAIMS = ["Courts across China concluded nearly 320,000 IPR cases of various types last year.",
          "Chinese courts handled almost 320,000 intellectual property cases in the past year."]


def replay_model(text: str, tokenizer: object, seconds_per_token: float) -> object:
    """A chat model that streams ``text`` token by token at a given pace (then one more token's
    time, as a real model spends on its end-of-text token); only for timing what follows it."""
    from langchain_core.language_models.chat_models import BaseChatModel
    from langchain_core.messages import AIMessage, AIMessageChunk
    from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult

    ids = tokenizer(text)["input_ids"]  # type: ignore[operator]
    pieces = [tokenizer.decode(ids[:i + 1])[len(tokenizer.decode(ids[:i])):] for i in range(len(ids))]  # type: ignore[attr-defined]

    class Replay(BaseChatModel):
        @property
        def _llm_type(self) -> str:
            return "replay"

        def _generate(self, messages, stop=None, run_manager=None, **kwargs):  # type: ignore[no-untyped-def]
            return ChatResult(generations=[ChatGeneration(message=AIMessage(content=text))])

        def _stream(self, messages, stop=None, run_manager=None, **kwargs):  # type: ignore[no-untyped-def]
            for piece in pieces:
                time.sleep(seconds_per_token)
                yield ChatGenerationChunk(message=AIMessageChunk(content=piece))
            time.sleep(seconds_per_token)

    return Replay()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index-dir", type=Path)
    parser.add_argument("--questions", type=int, default=len(QUESTIONS))
    parser.add_argument("--max-new-tokens", type=int, default=80)
    parser.add_argument("--compare-sources", type=int, default=0, metavar="N")
    args = parser.parse_args()

    from assistant.chain import Assistant
    from assistant.generative import GenerativeAnswerer
    from assistant.indexing import BUNDLED_REPORT, index_paths
    from assistant.llm import build_chat_model, load_gguf
    from assistant.questions import condense
    from assistant.settings import Settings
    from assistant.store import Store

    index_dir = args.index_dir or Path(tempfile.mkdtemp(prefix="bench-generative-"))
    settings = Settings.from_env(index_dir=index_dir, llm="smollm2")
    if not Store(settings).exists():
        index_paths(Store(settings), [BUNDLED_REPORT])
    assistant = Assistant(settings)
    assistant.warm_up()

    started = time.perf_counter()
    model = build_chat_model(settings.llm, settings).model_copy(update={"max_new_tokens": args.max_new_tokens})
    model.warm_up()  # type: ignore[attr-defined]
    load_s = time.perf_counter() - started
    tokenizer = load_gguf(model.path, model.threads).tokenizer  # type: ignore[attr-defined]
    def answerer(chat_model: object = model, max_sources: int | None = None) -> GenerativeAnswerer:
        return GenerativeAnswerer(chat_model, assistant.store.embeddings.query_encoder, name="smollm2",  # type: ignore[arg-type]
                                  sentence_vectors=assistant.store.sentence_vectors, max_sources=max_sources)

    default = answerer()

    def run(question: str, generative: GenerativeAnswerer = default) -> tuple[float, float, int, float, str, float, float]:
        condensed = condense(question, [])
        hits = assistant.retriever.search(question)
        snapshot = assistant.store.snapshot(refresh=False)
        fallback = assistant.extractive.answer(condensed, hits, snapshot)
        began, began_cpu = time.perf_counter(), time.process_time()
        first = first_cpu = last = 0.0
        final = None
        for item in generative.stream(condensed, hits, snapshot, fallback):
            if isinstance(item, str):
                last = time.perf_counter()
                if not first:
                    first, first_cpu = last - began, time.process_time() - began_cpu
            else:
                final = item
        after_last_ms = (time.perf_counter() - last) * 1000
        assert final is not None
        generation = final.extra["generation"]
        tokens = len(tokenizer(generation.get("raw", ""))["input_ids"])
        # decode speed between the first and the last text piece (the prefill is not decoding)
        decode_s = (generation["last_token_ms"] - generation["first_token_ms"]) / 1000
        rate = (tokens - 1) / decode_s if decode_s > 0 else 0.0
        return first, rate, tokens, generation.get("verify_ms", 0.0), final.mode, first_cpu, after_last_ms

    run("warm up: what does the report say?")
    rows, compared = [], []
    other = answerer(max_sources=args.compare_sources) if args.compare_sources else None
    for question in QUESTIONS[: args.questions]:
        rows.append(run(question))
        if other is not None:
            compared.append(run(question, other))

    # Without working ahead: the whole two-claim answer verified after the last token (the sources'
    # vectors cached, the claims not: a fresh verifier each time, as each answer's claims are new).
    snapshot = assistant.store.snapshot(refresh=False)
    courts = next(s for s in snapshot.sentences if s.text.startswith("Courts across"))
    answerer().verifier.verify([(c, [courts]) for c in CLAIMS], snapshot.texts)
    timings, cpu = [], []
    for _ in range(10):
        verifier = answerer().verifier
        verifier.prepare([courts])
        began, began_cpu = time.perf_counter(), time.process_time()
        verifier.verify([(c, [courts]) for c in CLAIMS], snapshot.texts)
        timings.append((time.perf_counter() - began) * 1000)
        cpu.append((time.process_time() - began_cpu) * 1000)

    # Working ahead: the same answer streamed at SmolLM2's measured pace through the real path.
    pace = 1 / statistics.median(r[1] for r in rows)
    question = QUESTIONS[0]
    shown = assistant.retriever.search(question)[: default.max_sources]
    n = next(i for i, h in enumerate(shown, start=1) if h.sentence.id == courts.id)
    replayed = []
    for _ in range(5):
        replay = replay_model(f"{CLAIMS[0][:-1]} [{n}]. {CLAIMS[1][:-1]} [{n}].", tokenizer, pace)
        first, rate, tokens, verify_ms, mode, _, after_last_ms = run(question, answerer(replay, default.max_sources))
        assert mode == "smollm2", "the replayed answer is supported"
        replayed.append((verify_ms, after_last_ms))

    load = os.getloadavg()
    print(f"machine: {os.cpu_count()} cores, load {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}; "
          f"OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS', 'unset')}")
    print(f"smollm2 load (in-process, GGUF -> torch): {load_s:.2f} s")
    for label, table in ((f"{default.max_sources} sources (default)", rows),
                         (f"{args.compare_sources} sources", compared)):
        if not table:
            continue
        print(f"{label}:")
        for question, (first, rate, tokens, verify_ms, mode, first_cpu, _) in zip(QUESTIONS, table):
            print(f"  first token {first:5.2f} s (cpu {first_cpu:4.2f} s)  decode {rate:5.1f} tok/s  {tokens:3d} tokens  "
                  f"verify {verify_ms:6.2f} ms  -> {mode:10s} {question}")
        print(f"  time to first token, warm: median {statistics.median(r[0] for r in table):.2f} s, "
              f"max {max(r[0] for r in table):.2f} s; cpu median {statistics.median(r[5] for r in table):.2f} s, "
              f"max {max(r[5] for r in table):.2f} s (target <= 1.5 s)")
        print(f"  decode speed: median {statistics.median(r[1] for r in table):.1f} tokens/s")
    print(f"verification added after SmolLM2's answers: median {statistics.median(r[3] for r in rows):.2f} ms, "
          f"max {max(r[3] for r in rows):.2f} ms")
    print(f"two-claim answer, last claim a paraphrase, replayed at {1 / pace:.1f} tokens/s: verification added "
          f"after the model's stream: median {statistics.median(r[0] for r in replayed):.2f} ms, "
          f"max {max(r[0] for r in replayed):.2f} ms (target <= 10 ms); after the last text piece, including "
          f"the model's end-of-text step: median {statistics.median(r[1] for r in replayed):.0f} ms")
    print(f"the same answer verified from scratch after the last token (no work ahead): median "
          f"{statistics.median(timings):.2f} ms, cpu {statistics.median(cpu):.2f} ms")


if __name__ == "__main__":
    main()
