"""Scale benchmark (issue 6): how indexing, storage, memory and questions grow with the corpus,
in local mode (a folder, Chroma's PersistentClient) and server mode (a `chroma run` server, HttpClient).

The corpus is generated, nothing is downloaded: variations of the ClapNQ passages in
../shared/evals/clapnq/corpus and of the bundled report (sentences rotated, numbers shifted, a
variant number in the title), so every document is new content and its sentences read like real text.

For every size and mode, one fresh worker process (so peak memory is its own):
  1. indexes the whole corpus from empty: sentences/s, against bare `encode` of the same texts;
  2. loads the index as a question does (manifest, sentences, BM25): seconds; reads the manifest
     (done when another process changed the index) and its stamp (done by every question): ms;
  3. adds one new document: seconds to index it, and seconds of the next question (which reloads);
     that question must cite the new document.
Then the index's size on disk (the folder, or the server's --path folder) and peak memory (the
worker's max RSS, indexing and answering as `serve` does; in server mode the server's too).
Last, one process opens every index at once and asks the eval sets' questions, each question on
every index in turn, so that all sizes and modes share the machine's load: p50/p95 latency.

    .venv/bin/python bench/bench_scale.py                       # 1k, 10k, 100k sentences (hours here)
    .venv/bin/python bench/bench_scale.py --sentences 5000      # sizes up to 5,000: 1k and 5k
    .venv/bin/python bench/bench_scale.py --sizes 1000,10000 --modes local

Indexing runs ~25 sentences/s on a 2-core machine (document vectors included), so 100k sentences
take about an hour. Sizes from --serve-copy up (default 100,000) are embedded once: the server row
serves a copy of the local row's folder (`chroma run --path` reads the same on-disk format as
PersistentClient), so its question, add-one-document, disk and memory figures are real server
figures, and its indexing rate is "-".
A table is printed, the numbers are saved as JSON, and a plot as SVG (matplotlib when installed,
else an SVG written here) next to it, under build/ by default.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

REPORT = ROOT / "index" / "china-ipr-cooperation.txt"
CLAPNQ = ROOT.parent / "shared" / "evals" / "clapnq"
EVALSETS = [ROOT / "evals" / "report.jsonl", CLAPNQ / "clapnq_dev.jsonl"]
CHROMA = Path(sys.executable).with_name("chroma")


# -- the corpus --------------------------------------------------------------------------------

def _base_passages() -> list[tuple[str, list[str]]]:
    """(title, sentences) of every ClapNQ passage and of the report, segmented as the index will."""
    from assistant.documents import load_documents
    from assistant.sections import document_title
    from assistant.sentences import segment

    files = [REPORT, *sorted((CLAPNQ / "corpus").glob("*.txt"))]
    passages = []
    for document in load_documents(files):
        sentences = segment(document)
        title = document_title(document.text, sentences)
        body = [s.text for s in sentences if not (title and s.ordinal == 0)]
        if body:
            passages.append((title or document.name.rsplit(".", 1)[0], body))
    return passages


def _vary(sentences: list[str], variant: int) -> list[str]:
    """The same sentences, rotated, with every number shifted: new content, same shape."""
    if variant == 0:
        return sentences
    shift = variant % len(sentences)
    rotated = sentences[shift:] + sentences[:shift]
    return [re.sub(r"\d+", lambda m: str(int(m.group()) + variant), s) for s in rotated]


def write_corpus(folder: Path, target: int, per_document: int = 4) -> tuple[int, int]:
    """Documents holding about ``target`` sentences (titles included); returns (documents, sentences).

    Each document is ``per_document`` passages, one paragraph each under its own heading line, the
    way a report has sections: ~30 sentences a document, as in the bundled report.
    """
    from assistant.documents import Document
    from assistant.sentences import segment

    folder.mkdir(parents=True, exist_ok=True)
    passages = _base_passages()
    total = documents = 0
    variant = 0
    while total < target:
        for start in range(0, len(passages), per_document):
            if total >= target:
                break
            sections = []
            for title, sentences in passages[start:start + per_document]:
                heading = title if variant == 0 else f"{title} (variant {variant})"
                sections.append(f"{heading}\n\n{' '.join(_vary(sentences, variant))}\n")
            name, text = f"{variant:03}-{start:04}.txt", "\n".join(sections)
            (folder / name).write_text(text, encoding="utf-8")
            # Counted as the index will split it: joined into paragraphs, pysbd merges some of the
            # passages' sentences (4% of them), and a count of the parts fell short of the target.
            total += len(segment(Document.from_text(name, text)))
            documents += 1
        variant += 1
    return documents, total


ADDED_TEXT = """Kestrel Point Lighthouse

The Kestrel Point lighthouse was automated in 1987, after 112 years of keepers living on the headland.
Its beam can be seen from 34 kilometres out at sea.
The keeper's cottage now houses a small maritime museum run by Maria Okonkwo.
"""
ADDED_QUESTION = "When was the Kestrel Point lighthouse automated?"


def new_document(folder: Path) -> Path:
    """One small document in no corpus, with a question only it answers."""
    path = folder / "kestrel-point.txt"
    path.write_text(ADDED_TEXT, encoding="utf-8")
    return path


def questions(limit: int) -> list[str]:
    from assistant.evaluation.evalset import load_evalset

    out: list[str] = []
    for path in EVALSETS:
        if path.exists():
            out += [item.question for item in load_evalset(path) if not item.history]
    random.Random(6).shuffle(out)
    return out[:limit]


# -- a Chroma server -------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, path: Path) -> None:
        self.path, self.port = path, free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = (path.parent / "chroma.log").open("ab")
        self.process = subprocess.Popen(
            [str(CHROMA), "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(self.port)],
            stdin=subprocess.DEVNULL, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while True:
            if self.process.poll() is not None:
                raise SystemExit(f"chroma run exited with {self.process.returncode}; see {path.parent / 'chroma.log'}")
            try:
                with urllib.request.urlopen(f"{self.url}/api/v2/heartbeat", timeout=2):
                    return
            except OSError:
                if time.monotonic() > deadline:
                    self.stop()
                    raise SystemExit(f"no heartbeat from {self.url} in 60 s") from None
                time.sleep(0.2)

    def peak_rss_mb(self) -> float:
        try:
            for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
        except OSError:
            pass
        return float("nan")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=30)
        self.log.close()


# -- one measurement, in a process of its own -------------------------------------------------

def _percentile(values: list[float], q: float) -> float:
    from assistant.evaluation.metrics import percentile

    return percentile(values, q)


def worker(args: argparse.Namespace) -> dict[str, Any]:
    from assistant.chain import Assistant
    from assistant.documents import load_documents
    from assistant.encoder import MiniLMEmbeddings
    from assistant.indexing import index_paths
    from assistant.sections import embedding_texts
    from assistant.sentences import segment
    from assistant.settings import Settings
    from assistant.store import Store

    corpus, workdir = Path(args.corpus), Path(args.workdir)
    settings = Settings.from_env(env={}, index_dir=workdir / "index", chroma_url=args.chroma_url or "")
    embeddings = MiniLMEmbeddings()
    # Bare encode of a sample of the texts the index embeds, the model warm: the floor of indexing.
    sample_docs = load_documents(sorted(corpus.glob("*.txt"))[:60])
    texts = []
    for d in sample_docs:
        ss = segment(d)
        texts += embedding_texts(d.text, ss)
    texts = texts[: args.bare_sample]
    embeddings.encode_documents(texts[:64])
    t0 = time.perf_counter()
    embeddings.encode_documents(texts)
    bare_rate = len(texts) / (time.perf_counter() - t0)

    store = Store(settings, embeddings=embeddings)
    if args.prebuilt:  # served from a copy of the local row's folder: nothing to embed
        if new_document(workdir).name in store.require_manifest().documents:
            store.remove([new_document(workdir).name])  # the local row added it: add it anew below
        manifest = store.require_manifest()
        indexed, documents = sum(e.sentences for e in manifest.documents.values()), len(manifest.documents)
        index_seconds = float("nan")
    else:
        t0 = time.perf_counter()
        report = index_paths(store, [corpus])
        index_seconds = time.perf_counter() - t0
        indexed, documents = report.embedded, len(report.added)

    bot = Assistant(settings, store=Store(settings, embeddings=embeddings))
    t0 = time.perf_counter()
    bot.store.snapshot()
    load_seconds = time.perf_counter() - t0
    bot.warm_up()
    reads, stamps = [], []
    for _ in range(20):
        t0 = time.perf_counter()
        bot.store.read_manifest()  # only when another process changed the index
        reads.append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        bot.store._manifest_stamp()  # every question: is the index still the one in memory?
        stamps.append((time.perf_counter() - t0) * 1000)
    extra = new_document(workdir)
    t0 = time.perf_counter()
    added = index_paths(store, [extra])
    add_seconds = time.perf_counter() - t0
    t0 = time.perf_counter()
    answer = bot.ask(ADDED_QUESTION)
    next_question = time.perf_counter() - t0
    uses_new = any(c.sentence.doc == extra.name for c in answer.citations)

    import resource

    return {
        "sentences": indexed, "documents": documents, "index_s": index_seconds,
        "index_rate": indexed / index_seconds, "bare_rate": bare_rate, "load_s": load_seconds,
        "manifest_ms": _percentile(reads, 50), "stamp_ms": _percentile(stamps, 50),
        "add_s": add_seconds, "added_sentences": added.embedded, "next_question_s": next_question,
        "next_question_uses_new": uses_new,
        "worker_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def latency_worker(args: argparse.Namespace) -> dict[str, Any]:
    """Question latency of every index at once, interleaved: one question on each index in turn,
    so that every size and mode sees the same machine load (two shared cores are noisy)."""
    from assistant.chain import Assistant
    from assistant.settings import Settings

    targets = json.loads(args.targets)
    bots = {}
    for key, target in targets.items():
        settings = Settings.from_env(env={}, index_dir=Path(target.get("index_dir", ".")),
                                     chroma_url=target.get("chroma_url", ""))
        bots[key] = Assistant(settings)
        bots[key].warm_up()
    qs = questions(args.questions)
    for q in qs[:5]:
        for bot in bots.values():
            bot.ask(q)
    latencies: dict[str, list[float]] = {key: [] for key in bots}
    for q in qs:
        for key, bot in bots.items():
            t0 = time.perf_counter()
            bot.ask(q)
            latencies[key].append((time.perf_counter() - t0) * 1000)
    return {key: {"p50_ms": _percentile(v, 50), "p95_ms": _percentile(v, 95), "questions": len(v)}
            for key, v in latencies.items()}


def measure_latency(rows: list[dict[str, Any]], scratch: Path, args: argparse.Namespace) -> None:
    """Fill p50/p95 of every row from one interleaved run over the kept indexes."""
    servers, targets = [], {}
    try:
        for r in rows:
            workdir = scratch / f"{r['mode']}-{r['size']}"
            key = f"{r['mode']}-{r['size']}"
            if r["mode"] == "server":
                servers.append(Server(workdir / "chroma-server"))
                targets[key] = {"chroma_url": servers[-1].url, "index_dir": str(workdir / "index")}
            else:
                targets[key] = {"index_dir": str(workdir / "index")}
        command = [sys.executable, __file__, "--latency-worker", "--targets", json.dumps(targets),
                   "--questions", str(args.questions)]
        result = json.loads(subprocess.run(command, check=True, stdout=subprocess.PIPE).stdout)
    finally:
        for server in servers:
            server.stop()
    for r in rows:
        r.update(result[f"{r['mode']}-{r['size']}"])


def measure(size: int, mode: str, corpus: Path, scratch: Path, args: argparse.Namespace,
            copy_of: Path | None = None) -> dict[str, Any]:
    """One row; in server mode with ``copy_of``, the server serves a copy of that local index."""
    workdir = scratch / f"{mode}-{size}"
    workdir.mkdir()
    if copy_of is not None:
        shutil.copytree(copy_of, workdir / "chroma-server")
    server = Server(workdir / "chroma-server") if mode == "server" else None
    try:
        command = [sys.executable, __file__, "--worker", "--corpus", str(corpus), "--workdir", str(workdir),
                   "--questions", str(args.questions), "--bare-sample", str(args.bare_sample)]
        if server:
            command += ["--chroma-url", server.url]
        if copy_of is not None:
            command += ["--prebuilt"]
        out = workdir / "result.json"
        with out.open("w") as stdout:
            process = subprocess.Popen(command, stdout=stdout)
            _, status, usage = os.wait4(process.pid, 0)
            process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            raise SystemExit(f"worker for {size} sentences ({mode}) failed with {process.returncode}")
        row = json.loads(out.read_text())
        row.update(size=size, mode=mode, worker_rss_mb=usage.ru_maxrss / 1024)
        on_disk = server.path if server else workdir / "index"
        row["disk_mb"] = sum(f.stat().st_size for f in on_disk.rglob("*") if f.is_file()) / 2**20
        row["server_rss_mb"] = server.peak_rss_mb() if server else None
        return row
    finally:
        if server:
            server.stop()


# -- output ------------------------------------------------------------------------------------

def _num(value: float, width: int, digits: int) -> str:
    """A figure, or "-" where it was not measured (NaN)."""
    return f"{'-':>{width}}" if value != value else f"{value:>{width}.{digits}f}"


def table(rows: list[dict[str, Any]]) -> str:
    head = (f"{'sentences':>9} {'mode':<6} {'docs':>5} {'index/s':>8} {'bare/s':>7} {'ratio':>5} {'load s':>7} "
            f"{'manif ms':>8} {'stamp ms':>8} "
            f"{'p50 ms':>7} {'p95 ms':>7} {'add 1 doc s':>11} {'next q s':>8} {'disk MB':>8} {'RSS MB':>7} {'srv RSS':>7}")
    lines = [head, "-" * len(head)]
    for r in rows:
        server = f"{r['server_rss_mb']:.0f}" if r.get("server_rss_mb") else "-"
        lines.append(
            f"{r['sentences']:>9,} {r['mode']:<6} {r['documents']:>5} {_num(r['index_rate'], 8, 1)} {r['bare_rate']:>7.1f} "
            f"{_num(r['index_rate'] / r['bare_rate'], 5, 2)} {r['load_s']:>7.2f} {r['manifest_ms']:>8.1f} "
            f"{r.get('stamp_ms', float('nan')):>8.1f} "
            f"{r['p50_ms']:>7.1f} {r['p95_ms']:>7.1f} "
            f"{r['add_s']:>11.2f} {r['next_question_s']:>8.2f} {r['disk_mb']:>8.1f} {r['worker_rss_mb']:>7.0f} {server:>7}")
    return "\n".join(lines)


PANELS = [("index_rate", "indexing, sentences/s"), ("p95_ms", "question latency p95, ms"),
          ("add_s", "add one document, s"), ("disk_mb", "size on disk, MB")]
COLOURS = {"local": "#1f77b4", "server": "#d62728"}


def plot(rows: list[dict[str, Any]], path: Path) -> None:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        path.write_text(svg(rows), encoding="utf-8")
        return
    fig, axes = plt.subplots(1, len(PANELS), figsize=(4 * len(PANELS), 3.2))
    for ax, (key, title) in zip(axes, PANELS):
        for mode in sorted({r["mode"] for r in rows}):
            points = sorted((r["sentences"], r[key]) for r in rows if r["mode"] == mode and r[key] == r[key])
            ax.plot([x for x, _ in points], [y for _, y in points], "o-", label=mode, color=COLOURS.get(mode))
        ax.set_xscale("log")
        ax.set_title(title, fontsize=10)
        ax.set_xlabel("sentences")
    axes[0].legend()
    fig.tight_layout()
    fig.savefig(path)


def svg(rows: list[dict[str, Any]]) -> str:
    """Small multiples (log x) without matplotlib: one panel per measure, one line per mode."""
    import math

    w, h, pad = 270, 200, 50
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w * len(PANELS)}" height="{h + 30}" '
             'font-family="sans-serif" font-size="11">', '<rect width="100%" height="100%" fill="white"/>']
    sizes = sorted({r["sentences"] for r in rows})
    lo, hi = math.log10(min(sizes)), math.log10(max(sizes))
    for k, (key, title) in enumerate(PANELS):
        x0 = k * w
        top = max((r[key] for r in rows if r[key] == r[key]), default=1.0) * 1.1 or 1.0

        def px(n: float, x0: int = x0) -> float:
            return x0 + pad + (w - 1.5 * pad) * ((math.log10(n) - lo) / (hi - lo) if hi > lo else 0.5)

        def py(v: float, top: float = top) -> float:
            return h - pad + 10 - (h - 1.5 * pad) * v / top

        parts.append(f'<text x="{x0 + w / 2}" y="16" text-anchor="middle" font-weight="bold">{title}</text>')
        parts.append(f'<line x1="{x0 + pad}" y1="{py(0)}" x2="{x0 + w - pad / 2}" y2="{py(0)}" stroke="#888"/>')
        parts.append(f'<line x1="{x0 + pad}" y1="{py(0)}" x2="{x0 + pad}" y2="{py(top)}" stroke="#888"/>')
        parts.append(f'<text x="{x0 + pad - 4}" y="{py(top) + 4}" text-anchor="end">{top:.4g}</text>')
        parts.append(f'<text x="{x0 + pad - 4}" y="{py(0) + 4}" text-anchor="end">0</text>')
        for n in sizes:
            parts.append(f'<text x="{px(n)}" y="{py(0) + 14}" text-anchor="middle">{n:,}</text>')
        for j, mode in enumerate(sorted({r["mode"] for r in rows})):
            points = sorted((r["sentences"], r[key]) for r in rows if r["mode"] == mode and r[key] == r[key])
            colour = COLOURS.get(mode, "#333")
            coords = " ".join(f"{px(x):.1f},{py(y):.1f}" for x, y in points)
            parts.append(f'<polyline points="{coords}" fill="none" stroke="{colour}" stroke-width="2"/>')
            parts += [f'<circle cx="{px(x):.1f}" cy="{py(y):.1f}" r="3" fill="{colour}"/>' for x, y in points]
            if k == 0:
                parts.append(f'<text x="{x0 + pad + 8}" y="{34 + 14 * j}" fill="{colour}">{mode}</text>')
        parts.append(f'<text x="{x0 + w / 2}" y="{h + 24}" text-anchor="middle">sentences (log scale)</text>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000", help="corpus sizes in sentences, comma-separated")
    parser.add_argument("--sentences", type=int, help="largest size to run: smaller --sizes, and this one")
    parser.add_argument("--modes", default="local,server", help="local, server or both")
    parser.add_argument("--questions", type=int, default=40, help="questions timed per size and mode")
    parser.add_argument("--bare-sample", type=int, default=512, help="sentences encoded bare for the floor")
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "bench-scale.json",
                        help="results as JSON; the plot is saved beside it (.svg)")
    parser.add_argument("--keep", action="store_true", help="keep the indexes (in a temp folder, named at the start)")
    parser.add_argument("--serve-copy", type=int, default=100_000,
                        help="from this size up, the server serves a copy of the local index (embedded once)")
    parser.add_argument("--prebuilt", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--latency-worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--targets", help=argparse.SUPPRESS)
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--corpus", help=argparse.SUPPRESS)
    parser.add_argument("--workdir", help=argparse.SUPPRESS)
    parser.add_argument("--chroma-url", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args)))
        return
    if args.latency_worker:
        print(json.dumps(latency_worker(args)))
        return

    sizes = sorted({int(s) for s in args.sizes.split(",") if s.strip()})
    if args.sentences:
        sizes = sorted({s for s in sizes if s < args.sentences} | {args.sentences})
    modes = [m.strip() for m in args.modes.split(",") if m.strip()]
    if not set(modes) <= {"local", "server"}:
        parser.error("--modes takes local, server or both")
    if "server" in modes and not CHROMA.exists():
        parser.error(f"{CHROMA} is missing (it comes with the chromadb package)")

    rows: list[dict[str, Any]] = []
    # With --keep the folder is never removed, even when a step fails: a 100k index takes an hour.
    scratch = Path(tempfile.mkdtemp(prefix="bench-scale-"))
    if args.keep:
        print(f"indexes are kept in {scratch}", file=sys.stderr)
    try:
        for size in sizes:
            corpus = scratch / f"corpus-{size}"
            documents, sentences = write_corpus(corpus, size)
            print(f"corpus: {documents} documents, {sentences:,} sentences", file=sys.stderr)
            for mode in modes:
                started = time.perf_counter()
                local_index = scratch / f"local-{size}" / "index" / "chroma"
                copy_of = local_index if mode == "server" and size >= args.serve_copy and local_index.exists() else None
                rows.append(measure(size, mode, corpus, scratch, args, copy_of))
                print(f"  {mode}: done in {time.perf_counter() - started:.0f} s", file=sys.stderr)
            shutil.rmtree(corpus, ignore_errors=True)
        print("question latency, every index in turn ...", file=sys.stderr)
        measure_latency(rows, scratch, args)
    finally:
        if not args.keep:
            shutil.rmtree(scratch, ignore_errors=True)

    print(table(rows))
    largest = max(rows, key=lambda r: r["sentences"])
    for r in rows:
        if r["sentences"] == largest["sentences"]:
            print(f"add one document ({r['added_sentences']} sentences) to the largest index, {r['mode']}: "
                  f"{r['add_s']:.2f} s; the next question (reloading the index) {r['next_question_s']:.2f} s; "
                  f"uses the new document: {r['next_question_uses_new']}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"rows": rows, "cores": os.cpu_count(), "load": os.getloadavg()}, indent=2))
    plot_path = args.out.with_suffix(".svg")
    plot(rows, plot_path)
    print(f"saved {args.out} and {plot_path}")


if __name__ == "__main__":
    main()
