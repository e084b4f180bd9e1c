"""`assistant serve` on a large index, as its users see it: start-up, peak memory, questions through
Gradio's client, and the first question after another process adds a document.

    .venv/bin/python bench/bench_serve.py INDEX_DIR [--chroma-url URL] [--questions 30]

INDEX_DIR is a built index (e.g. one kept by `bench/bench_scale.py --keep`). The server runs in its
own process, exactly as `assistant serve` starts; this process is its client and, once, a second
app process that adds one small document to the index. Printed:
  - start-up: from launch to "ready" (index loaded, models warm, first question answered);
  - question latency p50/p95 through `gradio_client` (`/ask`), the report eval set's questions;
  - adding one document from another process (embed, write, commit) and the server's next
    question, which loads only what changed, and whether that answer cites the new document;
  - the server's peak RSS (VmHWM) against the issue's 2.5 GB.
The added document is removed again at the end, so the index ends as it began.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

NAME = "kestrel-point-serve-bench.txt"
TEXT = """Kestrel Point Lighthouse

The Kestrel Point lighthouse was automated in 1987, after 112 years of keepers living on the headland.
Its beam can be seen from 34 kilometres out at sea.
"""
QUESTION = "When was the Kestrel Point lighthouse automated?"
TARGET_RSS_MB = 2500


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def start_server(args: argparse.Namespace) -> tuple[subprocess.Popen[str], str, float, str]:
    port = free_port()
    command = [str(ROOT / ".venv" / "bin" / "assistant"), "serve", "--index-dir", str(args.index_dir),
               "--port", str(port)]
    if args.chroma_url:
        command += ["--chroma-url", args.chroma_url]
    started = time.perf_counter()
    server = subprocess.Popen(command, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    assert server.stderr is not None
    for line in server.stderr:
        if line.startswith("Report Assistant on"):
            return server, f"http://127.0.0.1:{port}/", time.perf_counter() - started, line.strip()
    raise SystemExit(f"serve exited ({server.wait()}) before it was ready")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("index_dir", type=Path)
    parser.add_argument("--chroma-url", default="")
    parser.add_argument("--questions", type=int, default=30)
    args = parser.parse_args()

    from gradio_client import Client

    from assistant.documents import Document
    from assistant.encoder import MiniLMEmbeddings
    from assistant.evaluation.evalset import load_evalset
    from assistant.settings import Settings
    from assistant.store import Store

    questions = [i.question for i in load_evalset(ROOT / "evals" / "report.jsonl") if not i.history][: args.questions]
    server, url, ready_s, ready_line = start_server(args)
    try:
        client = Client(url, verbose=False, download_files=False)
        client.predict(questions[0], api_name="/ask")
        latencies = []
        for q in questions:
            t0 = time.perf_counter()
            client.predict(q, api_name="/ask")
            latencies.append((time.perf_counter() - t0) * 1000)

        settings = Settings.from_env(env={}, index_dir=args.index_dir, chroma_url=args.chroma_url)
        writer = Store(settings, embeddings=MiniLMEmbeddings())
        writer.embeddings.encode_documents(["warm up"])  # the writer is a running app, not a cold start
        sentences = sum(e.sentences for e in writer.require_manifest().documents.values())
        t0 = time.perf_counter()
        writer.index([Document.from_text(NAME, TEXT)])
        add_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        answer = client.predict(QUESTION, api_name="/ask")
        next_s = time.perf_counter() - t0
        cites_new = any(c["doc"] == NAME for c in answer["citations"])
        writer.remove([NAME])
        client.predict(questions[0], api_name="/ask")  # the server reloads the original revision
        rss = peak_rss_mb(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=30)

    print(f"index: {args.index_dir} ({sentences:,} sentences{', server ' + args.chroma_url if args.chroma_url else ''})")
    print(f"start-up to ready: {ready_s:.1f} s  [{ready_line}]")
    print(f"questions through gradio_client (/ask), {len(latencies)} of them: "
          f"p50 {statistics.median(latencies):.0f} ms, p95 {percentile(latencies, 95):.0f} ms")
    print(f"another process adds one document: {add_s:.2f} s; the server's next question: {next_s:.2f} s "
          f"(cites the new document: {cites_new}); add + next question {add_s + next_s:.2f} s")
    print(f"serve peak RSS: {rss:,.0f} MB (target {TARGET_RSS_MB:,} MB: ratio {rss / TARGET_RSS_MB:.2f})")


if __name__ == "__main__":
    main()
