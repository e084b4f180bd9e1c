"""Many users at once: concurrent Gradio client sessions against a live UI server.

Each session asks a different question from the bundled eval set through ``/ask`` at the same
moment; every one must get its own answer, identical to the answer the same question gets when
asked alone in-process (so concurrency mixes nothing up), and the client-side latencies are
reported (p50/p95), for a few queue concurrency limits. The server runs in its own process, as for
real users; on a small machine the clients' own CPU (gradio_client costs ~150 ms of CPU a request)
competes with it, and the output says how much.

    .venv/bin/python bench/bench_ui_concurrency.py [--sessions 20] [--limits 1,2,4,8] [--index-dir DIR]
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

from gradio_client import Client  # noqa: E402

from assistant import ui  # noqa: E402
from assistant.chain import Assistant  # noqa: E402
from assistant.evaluation.evalset import load_evalset  # noqa: E402
from assistant.indexing import ensure_index  # noqa: E402
from assistant.settings import Settings  # noqa: E402
from assistant.store import Store  # noqa: E402

EVALSET = ROOT / "evals" / "report.jsonl"
VOLATILE = {"latency_ms"}  # differs between two runs of the same question


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def stable(answer: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in answer.items() if k not in VOLATILE}


def run_round(url: str, questions: list[str]) -> tuple[list[dict[str, Any]], list[float], float, float]:
    """All sessions connect first, then ask together: answers, per-request seconds, wall seconds, and
    this process's CPU seconds per request (gradio_client's own cost, on the server's cores too)."""
    clients = [Client(url, verbose=False, download_files=False) for _ in questions]
    answers: list[dict[str, Any]] = [{} for _ in questions]
    seconds = [0.0 for _ in questions]
    errors: list[BaseException] = []
    start = threading.Barrier(len(questions) + 1)

    def session(i: int) -> None:
        start.wait()
        began = time.perf_counter()
        try:
            answers[i] = clients[i].predict(questions[i], api_name="/ask")
        except BaseException as exc:  # reported below, with the question
            errors.append(exc)
        seconds[i] = time.perf_counter() - began

    threads = [threading.Thread(target=session, args=(i,)) for i in range(len(questions))]
    for t in threads:
        t.start()
    start.wait()
    began, cpu = time.perf_counter(), time.process_time()
    for t in threads:
        t.join()
    wall, cpu = time.perf_counter() - began, time.process_time() - cpu
    for c in clients:
        c.close()
    if errors:
        raise RuntimeError(f"{len(errors)} sessions failed; first: {errors[0]!r}")
    return answers, seconds, wall, cpu / len(questions)


def serve(index_dir: Path, port: int, limit: int) -> None:
    """Server mode: the UI app in its own process, as users would reach it (not sharing our GIL)."""
    settings = Settings.from_env(index_dir=index_dir, port=port)
    assistant = Assistant(settings)
    assistant.warm_up()
    assistant.ask(ui.EXAMPLES[0])
    app = ui.build_app(settings, assistant, concurrency=limit)
    ui.launch(app, settings, prevent_thread_lock=True)
    print("ready", flush=True)
    app.block_thread()


def start_server(index_dir: Path, limit: int) -> tuple[subprocess.Popen[str], str]:
    port = free_port()
    process = subprocess.Popen([sys.executable, __file__, "--serve", str(port), "--limit", str(limit),
                                "--index-dir", str(index_dir)], stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    for line in process.stdout:
        if line.strip() == "ready":
            return process, f"http://127.0.0.1:{port}/"
    raise RuntimeError(f"the server exited with {process.wait()} before it was ready")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3, help="measured rounds per limit, pooled")
    parser.add_argument("--limits", default=f"1,2,{ui.CONCURRENCY},8",
                        help="queue concurrency limits to measure (comma-separated)")
    parser.add_argument("--index-dir", type=Path, help="an index to use (default: a fresh one of the bundled report)")
    parser.add_argument("--serve", type=int, metavar="PORT", help=argparse.SUPPRESS)
    parser.add_argument("--limit", type=int, default=ui.CONCURRENCY, help=argparse.SUPPRESS)
    args = parser.parse_args()

    index_dir = args.index_dir or Path(tempfile.mkdtemp(prefix="bench-ui-"))
    if args.serve:
        serve(index_dir, args.serve, args.limit)
        return 0
    settings = Settings.from_env(index_dir=index_dir)
    store = Store(settings)
    ensure_index(store, show_progress=False)
    assistant = Assistant(settings, store)
    assistant.warm_up()

    items = [i for i in load_evalset(EVALSET) if i.answerable and not i.history]
    questions = [i.question for i in items][:args.sessions]
    if len(questions) < args.sessions:
        raise SystemExit(f"only {len(questions)} distinct questions in {EVALSET.name}")
    # The reference: each question asked alone, in-process, before any concurrency.
    assistant.ask(questions[0])
    alone = []
    for q in questions:
        began = time.perf_counter()
        expected = stable(assistant.ask(q).to_json())
        alone.append((expected, time.perf_counter() - began))
    gold = {i.question: set(i.reference_contexts) for i in items}
    cited_gold = sum(bool({c["text"] for c in e["citations"]} & gold[e["question"]]) for e, _ in alone)
    print(f"{len(questions)} questions; asked alone in-process: p50 {statistics.median(s for _, s in alone) * 1000:.0f} ms; "
          f"{cited_gold}/{len(questions)} cite a gold sentence")

    for limit in (int(x) for x in args.limits.split(",")):
        process, url = start_server(index_dir, limit)
        try:
            run_round(url, questions)  # connections and the server's first requests warm up
            rounds = [run_round(url, questions) for _ in range(args.rounds)]
        finally:
            process.terminate()
            process.wait(timeout=30)
        wrong = sorted({q for answers, *_ in rounds for q, a, (e, _) in zip(questions, answers, alone)
                        if stable(a) != e})
        seconds = [s for _, took, _, _ in rounds for s in took]
        server_ms = [a["latency_ms"] for answers, *_ in rounds for a in answers]
        wall = statistics.median(w for _, _, w, _ in rounds)
        client_cpu = statistics.mean(c for *_, c in rounds)
        print(f"concurrency limit {limit}: {len(questions)} sessions in {wall:.2f} s (median of {args.rounds}); "
              f"client latency "
              f"p50 {percentile(seconds, 50) * 1000:.0f} ms, p95 {percentile(seconds, 95) * 1000:.0f} ms, "
              f"max {max(seconds) * 1000:.0f} ms; Assistant.ask p50 {percentile(server_ms, 50):.0f} ms, "
              f"p95 {percentile(server_ms, 95):.0f} ms; client CPU {client_cpu * 1000:.0f} ms a request; own correct answers: {len(questions) - len(wrong)}/{len(questions)}")
        if wrong:
            print(f"  MISMATCH for: {wrong[:3]}")
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
