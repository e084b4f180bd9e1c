"""Generative answers with SmolLM2: load time, time to first token, decode speed, verification time.

    .venv/bin/python bench/bench_generative.py [--index-dir DIR] [--questions N] [--max-new-tokens N]

Builds a throwaway index of the bundled report unless --index-dir names one. Targets: first token
<= 1.5 s warm, verification <= 10 ms per answer. The machine's load is printed with the numbers:
on a shared two-core machine they move a lot with what else is running, so the CPU time the work
took is printed too (the process's CPU seconds over the same interval): what it would take on a
core of its own.
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index-dir", type=Path)
    parser.add_argument("--questions", type=int, default=len(QUESTIONS))
    parser.add_argument("--max-new-tokens", type=int, default=80)
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
    answerer = GenerativeAnswerer(model, assistant.store.embeddings.query_encoder, name="smollm2",
                                  sentence_vectors=assistant.store.sentence_vectors)

    def run(question: str) -> tuple[float, float, int, float, str, float]:
        condensed = condense(question, [])
        hits = assistant.retriever.search(question)
        snapshot = assistant.store.snapshot(refresh=False)
        fallback = assistant.extractive.answer(condensed, hits, snapshot)
        began, began_cpu = time.perf_counter(), time.process_time()
        first = first_cpu = 0.0
        final = None
        for item in answerer.stream(condensed, hits, snapshot, fallback):
            if isinstance(item, str):
                if not first:
                    first, first_cpu = time.perf_counter() - began, time.process_time() - began_cpu
            else:
                final = item
        assert final is not None
        generation = final.extra["generation"]
        tokens = len(tokenizer(generation.get("raw", ""))["input_ids"])
        decode_s = generation.get("generation_ms", 0) / 1000 - first
        rate = tokens / decode_s if decode_s > 0 else 0.0
        return first, rate, tokens, generation.get("verify_ms", 0.0), final.mode, first_cpu

    run("warm up: what does the report say?")
    rows = [run(q) for q in QUESTIONS[: args.questions]]

    verifier = answerer.verifier
    snapshot = assistant.store.snapshot(refresh=False)
    courts = next(s for s in snapshot.sentences if s.text.startswith("Courts across"))
    verifier.verify([(c, [courts]) for c in CLAIMS], snapshot.texts)
    timings, cpu = [], []
    for _ in range(20):
        began, began_cpu = time.perf_counter(), time.process_time()
        verifier.verify([(c, [courts]) for c in CLAIMS], snapshot.texts)
        timings.append((time.perf_counter() - began) * 1000)
        cpu.append((time.process_time() - began_cpu) * 1000)

    load = os.getloadavg()
    print(f"machine: {os.cpu_count()} cores, load {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}; "
          f"OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS', 'unset')}")
    print(f"smollm2 load (in-process, GGUF -> torch): {load_s:.2f} s")
    for question, (first, rate, tokens, verify_ms, mode, first_cpu) in zip(QUESTIONS, rows):
        print(f"  first token {first:5.2f} s (cpu {first_cpu:4.2f} s)  decode {rate:5.1f} tok/s  {tokens:3d} tokens  "
              f"verify {verify_ms:6.2f} ms  -> {mode:10s} {question}")
    print(f"time to first token, warm: median {statistics.median(r[0] for r in rows):.2f} s, "
          f"cpu {statistics.median(r[5] for r in rows):.2f} s (target <= 1.5 s)")
    print(f"decode speed: median {statistics.median(r[1] for r in rows):.1f} tokens/s")
    print(f"verification of SmolLM2's answers: median {statistics.median(r[3] for r in rows):.2f} ms")
    print(f"verification of a two-claim answer (one claim embedded): median {statistics.median(timings):.2f} ms, "
          f"cpu {statistics.median(cpu):.2f} ms (target <= 10 ms)")


if __name__ == "__main__":
    main()
