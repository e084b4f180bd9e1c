"""Server mode for real: a Chroma server started from the ``chroma`` command, the CLI run against it.

Every command runs as a user runs it (``python -m assistant ... --chroma-url URL`` in a new process),
so what is checked is what two app processes sharing one server see: the same answers as the local
folder, a document indexed by one used by the other on its next question, a one-line error naming
the URL when the server is gone, and an interrupted run that leaves the previous index usable.
"""

from __future__ import annotations

import json
import math
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
CHROMA = Path(sys.executable).with_name("chroma")
EVALSET = ROOT / "evals" / "report.jsonl"
QUESTION = "How many IPR cases did Chinese courts conclude last year?"
REPORT_NAME = "china-ipr-cooperation.txt"
# Nothing in the environment of the test run (an ASSISTANT_CHROMA_URL in the shell, say) may leak in.
ENV = {**{k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}, "HF_HUB_OFFLINE": "1"}

EXTRA_NAME = "kestrel-point.txt"
EXTRA_TEXT = """Kestrel Point Lighthouse

The Kestrel Point lighthouse was automated in 1987, after 112 years of keepers living on the headland.
Its beam can be seen from 34 kilometres out at sea.
The keeper's cottage now houses a small maritime museum run by Maria Okonkwo.
"""
EXTRA_QUESTION = "When was the Kestrel Point lighthouse automated?"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _die_with_parent() -> None:
    """In the child: be terminated if the test run dies without its clean-up (Linux), not left running."""
    if sys.platform == "linux":
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


class ChromaServer:
    """``chroma run`` on a loopback port; stop() and start() again keep the same data and URL."""

    def __init__(self, path: Path, port: int) -> None:
        self.path, self.port = path, port
        self.url = f"http://127.0.0.1:{port}"
        self.log = path.parent / f"chroma-{port}.log"
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 60) -> None:
        assert CHROMA.exists(), f"{CHROMA} is missing: the chromadb package installs it"
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [str(CHROMA), "run", "--path", str(self.path), "--host", "127.0.0.1", "--port", str(self.port)],
                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, env=ENV, preexec_fn=_die_with_parent)
        deadline = time.monotonic() + timeout
        while True:
            if self.process.poll() is not None:
                raise AssertionError(f"chroma run exited with {self.process.returncode}: {self.log.read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(f"{self.url}/api/v2/heartbeat", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                pass
            if time.monotonic() > deadline:
                self.stop()
                raise AssertionError(f"no heartbeat from {self.url} in {timeout} s: {self.log.read_text()[-2000:]}")
            time.sleep(0.2)

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=20)

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    # What is on the server, read over its REST API (urllib closes every connection, so no socket
    # of a client outlives a server restart).
    def rest(self, method: str, path: str, body: dict | None = None):
        request = urllib.request.Request(
            f"{self.url}/api/v2/tenants/default_tenant/databases/default_database/{path}", method=method,
            data=None if body is None else json.dumps(body).encode(), headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read())

    def collections(self) -> dict[str, str]:
        """Name -> id of every collection."""
        return {c["name"]: c["id"] for c in self.rest("GET", "collections")}

    def count(self, name: str) -> int:
        return self.rest("GET", f"collections/{self.collections()[name]}/count")

    def manifest(self, prefix: str = "assistant") -> dict:
        got = self.rest("POST", f"collections/{self.collections()[f'{prefix}-meta']}/get",
                        {"ids": ["manifest"], "include": ["documents"]})
        return json.loads(got["documents"][0])

    def stored_sentences(self, manifest: dict, prefix: str = "assistant") -> int:
        """How many sentences of the manifest's documents the server holds."""
        shas = sorted({d["sha256"] for d in manifest["documents"].values()})
        collection = self.collections()[f"{prefix}-sentences-{manifest['generation']}"]
        got = self.rest("POST", f"collections/{collection}/get", {"where": {"doc_sha": {"$in": shas}}, "include": []})
        return len(got["ids"])


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[ChromaServer]:
    chroma = ChromaServer(tmp_path_factory.mktemp("chroma-server") / "db", free_port())
    chroma.start()
    try:
        yield chroma
    finally:
        chroma.stop()


@pytest.fixture(scope="module")
def indexed(server: ChromaServer) -> ChromaServer:
    """The server holding the bundled report (indexed by the CLI, as a user would)."""
    done = cli("index", url=server.url)
    assert done.returncode == 0, done.stderr
    assert "indexed: 1 added; 16 sentences embedded" in done.stdout
    return server


@pytest.fixture(scope="module")
def report_answer(report_index: Path) -> dict:
    """The answer of `ask QUESTION --json` on a local index of the report: what the server must give."""
    local = cli("ask", QUESTION, "--json", index_dir=report_index)
    assert local.returncode == 0, local.stderr
    return without_latency(json.loads(local.stdout))


@pytest.fixture
def live(indexed: ChromaServer) -> ChromaServer:
    """The indexed server, running: restarted if a test stopped it and failed before restarting it."""
    if not indexed.running:
        indexed.start()
    return indexed


def cli(*args: str, url: str | None = None, index_dir: Path | None = None, env: dict[str, str] | None = None,
        timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run(_command(*args, url=url, index_dir=index_dir), capture_output=True, text=True,
                          env=env or ENV, cwd=ROOT, timeout=timeout)


def _command(*args: str, url: str | None = None, index_dir: Path | None = None) -> list[str]:
    command = [sys.executable, "-m", "assistant", *args]
    if url is not None:
        command += ["--chroma-url", url]
    if index_dir is not None:
        command += ["--index-dir", str(index_dir)]
    return command


def without_latency(answer: dict) -> dict:
    return {k: v for k, v in answer.items() if k != "latency_ms"}


def scrub(value):
    """``value`` with every float replaced by None: what must be equal exactly."""
    if isinstance(value, dict):
        return {k: scrub(v) for k, v in value.items()}
    if isinstance(value, list):
        return [scrub(v) for v in value]
    return None if isinstance(value, float) else value


def same_answer(a: dict, b: dict) -> bool:
    """Equal answers: texts, citations, offsets, rankings exactly; scores to float32 precision.

    Two indexes of the same documents embedded by two processes may differ in a vector's last bits.
    """
    return scrub(a) == scrub(b) and close(a, b)


def close(a, b, tolerance: float = 1e-5) -> bool:
    """The floats of two equally shaped values agree within ``tolerance``."""
    if isinstance(a, dict):
        return all(close(a[k], b[k], tolerance) for k in a)
    if isinstance(a, list):
        return all(close(x, y, tolerance) for x, y in zip(a, b))
    return (abs(a - b) <= tolerance or math.isnan(a) and math.isnan(b)) if isinstance(a, float) else True


def error_lines(stderr: str) -> list[str]:
    """What a user reads on stderr, progress bars (redrawn with \\r) and model-loading bars aside."""
    lines = [part.strip() for line in stderr.splitlines() for part in line.split("\r")]
    return [line for line in lines if line and not line.startswith(("embedding", "Loading weights"))]


def assert_unreachable(stderr: str, url: str) -> None:
    lines = error_lines(stderr)
    assert len(lines) == 1, stderr
    assert lines[0].startswith(f"error: cannot reach the Chroma server at {url} "), lines[0]
    assert "check that it is running" in lines[0] and "Traceback" not in stderr


class Chat:
    """``assistant chat`` in a process of its own, driven one question at a time."""

    def __init__(self, *args: str, env: dict[str, str] | None = None, log: Path) -> None:
        self.stderr = log.open("wb")
        self.process = subprocess.Popen([sys.executable, "-m", "assistant", "chat", *args], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=self.stderr, env=env or ENV, cwd=ROOT)
        os.set_blocking(self.process.stdout.fileno(), False)
        self.log = log
        self.banner = self._reply()

    def _reply(self, timeout: float = 180) -> str:
        """Everything printed up to the next prompt."""
        out = b""
        deadline = time.monotonic() + timeout
        while not out.endswith(b"\n> "):
            if self.process.poll() is not None:
                out += self.process.stdout.read() or b""
                raise AssertionError(f"chat exited with {self.process.returncode}: {out.decode()!r} "
                                     f"{self.log.read_text()[-2000:]!r}")
            assert time.monotonic() < deadline, f"no prompt from chat in {timeout} s: {out.decode()!r}"
            out += self.process.stdout.read() or b""
            time.sleep(0.05)
        return out.decode()[:-2]

    def ask(self, question: str) -> str:
        self.process.stdin.write(question.encode() + b"\n")
        self.process.stdin.flush()
        return self._reply()

    def close(self) -> int:
        try:
            if self.process.poll() is None:
                self.process.stdin.write(b"\n")
                self.process.stdin.flush()
                return self.process.wait(timeout=60)
            return self.process.returncode
        except (BrokenPipeError, subprocess.TimeoutExpired):
            self.process.kill()
            return self.process.wait(timeout=60)
        finally:
            for stream in (self.process.stdin, self.process.stdout, self.stderr):
                stream.close()


# -- the same index and answers as the local folder ----------------------------------------------

def test_reindex_on_the_server_embeds_nothing(indexed: ChromaServer):
    again = cli("index", url=indexed.url)
    assert again.returncode == 0, again.stderr
    assert "indexed: 1 unchanged; 0 sentences embedded" in again.stdout
    listed = cli("index", "--list", url=indexed.url)
    assert listed.returncode == 0, listed.stderr
    assert [line.split("\t")[:2] for line in listed.stdout.splitlines()] == [
        ["china-ipr-cooperation.txt", "16 sentences"]]


def test_ask_gives_the_same_answer_as_the_local_folder(live: ChromaServer, report_answer: dict):
    server = cli("ask", QUESTION, "--json", url=live.url)
    assert server.returncode == 0, server.stderr
    answer = json.loads(server.stdout)
    assert answer["answer"].startswith("Nearly 320,000 [1].") and answer["citations"][0]["start"] == 2156
    assert same_answer(without_latency(answer), report_answer)


def test_eval_summary_and_answers_equal_local_mode(live: ChromaServer, report_index: Path, tmp_path: Path):
    runs = {}
    for mode, where in (("server", {"url": live.url}), ("local", {"index_dir": report_index})):
        out = tmp_path / f"{mode}.jsonl"
        runs[mode] = (out, subprocess.Popen(_command("eval", str(EVALSET), "--json", "--out", str(out), **where),
                                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV,
                                            cwd=ROOT))
    results = {}
    for mode, (out, process) in runs.items():
        stdout, stderr = process.communicate(timeout=600)
        assert process.returncode == 0, stderr
        data = json.loads(stdout)
        for key in ("latency_p50_ms", "latency_p95_ms"):
            data["summary"].pop(key)
        data.pop("seconds")
        rows = [without_latency(json.loads(line)) for line in out.read_text(encoding="utf-8").splitlines()]
        for row in rows:
            row["metrics"].pop("latency_ms")
        results[mode] = (data, rows)
    assert results["server"][0]["counts"]["questions"] == len(EVALSET.read_text(encoding="utf-8").splitlines()) > 0
    summaries = [json.dumps(results[mode][0]["summary"], sort_keys=True) for mode in ("server", "local")]
    assert summaries[0] == summaries[1]  # every metric, exactly (NaN for NaN)
    assert same_answer(results["server"][0], results["local"][0])  # counts, threshold, risk-coverage curve
    # and every answer, citation and ranking
    assert all(same_answer(a, b) for a, b in zip(results["server"][1], results["local"][1], strict=True))


def test_chat_follow_up_with_the_url_from_the_environment(live: ChromaServer):
    env = {**ENV, "ASSISTANT_CHROMA_URL": live.url}
    script = f"{QUESTION}\nAnd how big an increase was that?\n\n"
    done = subprocess.run([sys.executable, "-m", "assistant", "chat"], input=script, capture_output=True, text=True,
                          env=env, cwd=ROOT, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "Nearly 320,000 [1]." in done.stdout and "41.6 percent [1]." in done.stdout


# -- two processes, one server -------------------------------------------------------------------

def test_a_document_indexed_by_one_process_is_used_by_another(live: ChromaServer, tmp_path: Path):
    extra = tmp_path / EXTRA_NAME
    extra.write_text(EXTRA_TEXT, encoding="utf-8")
    # B is running before the document exists ...
    b = Chat("--chroma-url", live.url, log=tmp_path / "b.log")
    try:
        before = b.ask(EXTRA_QUESTION)
        assert EXTRA_NAME not in before and "Not covered" in before, before
        # ... A indexes it ...
        a = cli("index", str(extra), url=live.url)
        assert a.returncode == 0, a.stderr
        assert "indexed: 1 added" in a.stdout and "1 unchanged" not in a.stdout  # the report is not re-read
        # ... and B uses it on its next question, without a restart.
        after = b.ask(EXTRA_QUESTION)
        assert after.startswith("In 1987 [1].") and f"[1] {EXTRA_NAME}:" in after and "(verified)" in after, after
        # C, started afterwards, gives the same answer, word for word and offset for offset.
        c = cli("ask", EXTRA_QUESTION, url=live.url)
        assert c.returncode == 0, c.stderr
        assert c.stdout.strip() == after.strip()
        # and the report is still answered as before, by both.
        assert "Nearly 320,000 [1]." in b.ask(QUESTION)
        assert b.close() == 0
    finally:
        b.close()
        removed = cli("index", "--remove", EXTRA_NAME, url=live.url)
        assert removed.returncode == 0, removed.stderr
    listed = cli("index", "--list", url=live.url)
    assert EXTRA_NAME not in listed.stdout and "china-ipr-cooperation.txt" in listed.stdout


# -- failures: nothing half-way, one line naming the URL -----------------------------------------

def _corpus(folder: Path, tag: str, documents: int = 120) -> Path:
    """12 sentences a document: with 120, 1,440 sentences, interrupted after the first of 6 batches.

    Each test has its own ``tag``, so its sentences are new to the server (same text, same ids).
    """
    folder.mkdir()
    for i in range(documents):
        (folder / f"{tag}{i:03}.txt").write_text(
            " ".join(f"Document {i} sentence {j} talks about topic {i * j} ({tag})." for j in range(12)),
            encoding="utf-8")
    return folder


def _start_index_and_wait_for_a_written_batch(server: ChromaServer, corpus: Path) -> subprocess.Popen:
    """Start ``index CORPUS`` and return once some new sentences are on the server but not the manifest."""
    sentences = f"assistant-sentences-{server.manifest()['generation']}"
    before = server.count(sentences)
    process = subprocess.Popen(_command("index", str(corpus), url=server.url), stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, env=ENV, cwd=ROOT)
    deadline = time.monotonic() + 180
    while server.count(sentences) == before:
        assert process.poll() is None, f"indexing ended before it could be interrupted: {process.communicate()}"
        assert time.monotonic() < deadline, "indexing never wrote a batch"
        time.sleep(0.1)
    return process


def _check_previous_index_intact(server: ChromaServer, report_answer: dict) -> None:
    manifest = server.manifest()
    assert list(manifest["documents"]) == [REPORT_NAME]
    assert server.stored_sentences(manifest) == manifest["documents"][REPORT_NAME]["sentences"] == 16
    asked = cli("ask", QUESTION, "--json", url=server.url)
    assert asked.returncode == 0, asked.stderr
    # The same answer as the local folder, the orphaned batches still in the collection.
    assert same_answer(without_latency(json.loads(asked.stdout)), report_answer)


def test_killed_indexer_leaves_the_server_index_as_it_was(live: ChromaServer, report_answer: dict, tmp_path: Path):
    process = _start_index_and_wait_for_a_written_batch(live, _corpus(tmp_path / "corpus", "killed"))
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=60)
    _check_previous_index_intact(live, report_answer)
    # and the next run completes, over what the killed one left behind
    done = cli("index", url=live.url)
    assert done.returncode == 0, done.stderr
    assert "indexed: 1 unchanged; 0 sentences embedded" in done.stdout
    _check_previous_index_intact(live, report_answer)


def test_server_lost_while_indexing_one_line_and_nothing_half_written(live: ChromaServer, report_answer: dict,
                                                                      tmp_path: Path):
    process = _start_index_and_wait_for_a_written_batch(live, _corpus(tmp_path / "corpus", "lost"))
    live.stop()
    try:
        stdout, stderr = process.communicate(timeout=120)
        assert process.returncode == 1, (stdout, stderr)
        assert_unreachable(stderr, live.url)
        assert "indexed:" not in stdout
    finally:
        live.start()
    _check_previous_index_intact(live, report_answer)


def test_two_writers_at_once_lose_nothing_and_readers_are_undisturbed(live: ChromaServer, assistant, tmp_path: Path):
    corpus = _corpus(tmp_path / "corpus", "both", documents=60)  # B has 2 batches to write after its pause
    extra = tmp_path / EXTRA_NAME
    extra.write_text(EXTRA_TEXT, encoding="utf-8")
    near = "What does document 7 sentence 3 talk about?"
    b = _start_index_and_wait_for_a_written_batch(live, corpus)
    try:
        b.send_signal(signal.SIGSTOP)  # B is mid-write: batches on the server, its manifest not yet written
        try:
            # A reader meanwhile, while B's records are the nearest to its question ...
            during = cli("ask", near, "--json", url=live.url)
            # ... and A adds a document, start to finish, while B is paused.
            a = cli("index", str(extra), url=live.url)
        finally:
            b.send_signal(signal.SIGCONT)
        _, b_stderr = b.communicate(timeout=600)
    finally:
        if b.poll() is None:
            b.kill()
            b.communicate()
    try:
        assert during.returncode == 0, during.stderr
        local = json.loads(json.dumps(assistant.ask(near).to_json()))
        server = json.loads(during.stdout)
        # the reader got what the committed index gives (the local folder of the report)
        assert scrub(without_latency(server)) == scrub(without_latency(local))
        assert a.returncode == 0, a.stderr
        assert b.returncode == 0, b_stderr
        manifest = live.manifest()
        names = sorted(p.name for p in corpus.iterdir())
        assert sorted(manifest["documents"]) == sorted([REPORT_NAME, EXTRA_NAME, *names])  # nobody's lost
        assert live.stored_sentences(manifest) == sum(d["sentences"] for d in manifest["documents"].values())
        asked = cli("ask", EXTRA_QUESTION, url=live.url)
        assert asked.stdout.startswith("In 1987 [1]."), (asked.stdout, asked.stderr)
    finally:
        others = [n for n in live.manifest()["documents"] if n != REPORT_NAME]
        if others:
            removed = cli("index", "--remove", *others, url=live.url)
            assert removed.returncode == 0, removed.stderr


def test_server_stopped_mid_session_then_back(live: ChromaServer, tmp_path: Path):
    chat = Chat("--chroma-url", live.url, log=tmp_path / "chat.log")
    try:
        assert "Nearly 320,000 [1]." in chat.ask(QUESTION)
        live.stop()
        try:
            lost = chat.ask(QUESTION)
            assert_unreachable(lost, live.url)  # chat says so in one line and keeps going
            started = cli("ask", QUESTION, url=live.url)
            assert started.returncode == 1
            assert_unreachable(started.stderr, live.url)
        finally:
            live.start()
        assert "Nearly 320,000 [1]." in chat.ask(QUESTION)  # the same session works again
        assert chat.close() == 0
    finally:
        chat.close()


def test_every_command_says_in_one_line_when_no_server_listens(tmp_path: Path):
    url = f"http://127.0.0.1:{free_port()}"
    commands = {
        "index": ["index"], "ask": ["ask", QUESTION], "chat": ["chat"],
        "eval": ["eval", str(EVALSET)], "serve": ["serve", "--port", str(free_port())],
    }
    processes = {name: subprocess.Popen(_command(*args, url=url), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE, text=True, env=ENV, cwd=ROOT)
                 for name, args in commands.items()}
    env_only = cli("ask", QUESTION, env={**ENV, "ASSISTANT_CHROMA_URL": url})
    for name, process in processes.items():
        stdout, stderr = process.communicate(timeout=300)
        assert process.returncode == 1, (name, stdout, stderr)
        assert_unreachable(stderr, url)
    assert env_only.returncode == 1
    assert_unreachable(env_only.stderr, url)


def test_a_url_that_is_not_one_says_so():
    done = cli("ask", QUESTION, url="localhost:8000")
    assert done.returncode == 1
    assert done.stderr == "error: --chroma-url 'localhost:8000' is not a URL like http://HOST:PORT\n"


def test_serve_uses_the_server(live: ChromaServer, tmp_path: Path):
    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("wb") as err:
        process = subprocess.Popen(_command("serve", "--port", str(port), url=live.url), stdin=subprocess.DEVNULL,
                                   stdout=subprocess.DEVNULL, stderr=err, env=ENV, cwd=ROOT)
    try:
        deadline = time.monotonic() + 180
        while "Report Assistant on" not in log.read_text():
            assert process.poll() is None, log.read_text()
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.2)
        assert "No index" not in log.read_text()  # it found the server's index instead of building one
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=30) as response:
            assert response.status == 200
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=30)


def test_a_meta_collection_made_with_chroma_defaults_is_switched_over_on_the_server(live: ChromaServer, embeddings,
                                                                                    tmp_path: Path):
    """Indexes made before the meta collection persisted on every write (its write log held every
    manifest version, 0.7 s per write at 100k sentences) are switched over on their next write,
    over HTTP too."""
    from assistant.documents import Document
    from assistant.settings import Settings
    from assistant.store import Store

    live.rest("POST", "collections", {"name": "legacy-meta"})  # Chroma's default configuration
    settings = Settings.from_env(env={}, index_dir=tmp_path, chroma_url=live.url, collection_prefix="legacy")
    store = Store(settings, embeddings=embeddings)
    for i in range(3):
        store.index([Document.from_text(f"d{i}.txt", f"Document {i} has one sentence.")])
    meta = next(c for c in live.rest("GET", "collections") if c["name"] == "legacy-meta")
    assert meta["configuration_json"]["hnsw"]["sync_threshold"] == 1
    assert sorted(live.manifest("legacy")["documents"]) == ["d0.txt", "d1.txt", "d2.txt"]
