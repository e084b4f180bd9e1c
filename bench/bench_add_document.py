"""Adding one document to a large index, as two app processes see it.

    .venv/bin/python bench/bench_add_document.py INDEX_DIR [--chroma-url URL] [--rounds 3]

INDEX_DIR is a built index (e.g. one kept by `bench/bench_scale.py --keep`). A reader (an app
process that has answered questions) and a writer (another process, or an upload) share it. Each
round the writer adds one new small document; we time:
  - the add itself (embed, write, commit, clean up), end to end;
  - the reader's next question, which sees the new revision and reloads only what changed, and
    whether it cites the new document;
  - for comparison, in the same round, a full load of the same revision by a fresh store.
Then the document is removed again so the index ends as it began. Prints one row per round and
the ratio of the incremental reload to the full load.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

TEXT = """Kestrel Point Lighthouse, survey {n}

The Kestrel Point lighthouse was automated in {year}, after 112 years of keepers living on the headland.
Its beam can be seen from 34 kilometres out at sea.
"""
QUESTION = "When was the Kestrel Point lighthouse automated?"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("index_dir", type=Path)
    parser.add_argument("--chroma-url", default="")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    from assistant.chain import Assistant
    from assistant.encoder import MiniLMEmbeddings
    from assistant.indexing import index_paths
    from assistant.settings import Settings
    from assistant.store import Store

    settings = Settings.from_env(env={}, index_dir=args.index_dir, chroma_url=args.chroma_url)
    embeddings = MiniLMEmbeddings()
    writer = Store(settings, embeddings=embeddings)
    reader = Assistant(settings, store=Store(settings))
    started = time.perf_counter()
    reader.warm_up()
    sentences = len(reader.store.snapshot().sentences)
    print(f"{sentences:,} sentences; reader ready in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    embeddings.encode_documents(["warm up"])
    reader.ask("What is this about?")

    rows = []
    folder = Path(tempfile.mkdtemp(prefix="bench-add-"))
    for n in range(args.rounds):
        path = folder / f"kestrel-{n}.txt"
        path.write_text(TEXT.format(n=n, year=1980 + n), encoding="utf-8")
        t0 = time.perf_counter()
        report = index_paths(writer, [path])
        add = time.perf_counter() - t0
        t0 = time.perf_counter()
        answer = reader.ask(QUESTION)
        reload_ask = time.perf_counter() - t0
        t0 = time.perf_counter()
        Store(settings).snapshot()
        full = time.perf_counter() - t0
        cites = any(c.sentence.doc == path.name for c in answer.citations)
        rows.append((add, reload_ask, full))
        print(f"round {n + 1}: add {add:.2f} s ({report.embedded} sentences); next question {reload_ask:.2f} s, "
              f"cites the new document: {cites}; a full load of the same index {full:.2f} s")
        writer.remove([path.name])
        reader.ask(QUESTION)  # back to the original revision (also incremental)
    add, reload_ask, full = (statistics.median(r[i] for r in rows) for i in range(3))
    print(f"median: add one document {add:.2f} s; next question {reload_ask:.2f} s against a full load "
          f"{full:.2f} s (ratio {reload_ask / full:.2f})")


if __name__ == "__main__":
    main()
