"""The index: incremental updates, rebuilds, duplicates, and atomicity under a crash."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from assistant.documents import Document
from assistant.errors import DocumentError, IndexMissingError, InputError
from assistant.indexing import index_paths
from assistant.lexical import tokenize
from assistant.manifest import Manifest
from assistant.sections import context_texts, embedding_texts, points_back
from assistant.sentences import segment
from assistant.settings import Settings
from assistant.store import Store

from .conftest import REPORT, ROOT


def test_index_then_reindex_embeds_nothing(fresh_store: Store):
    first = fresh_store.index([Document.from_text("a.txt", "Alpha is first. Beta is second.")])
    assert first.added == ["a.txt"] and first.embedded == 2
    again = fresh_store.index([Document.from_text("a.txt", "Alpha is first. Beta is second.")])
    assert again.embedded == 0 and again.unchanged == ["a.txt"]
    assert fresh_store.require_manifest().revision == first_revision(fresh_store)


def first_revision(store: Store) -> int:
    return store.require_manifest().revision


def test_changed_document_is_reembedded_alone(fresh_store: Store):
    fresh_store.index([Document.from_text("a.txt", "Alpha one."), Document.from_text("b.txt", "Beta two. Beta three.")])
    report = fresh_store.index([Document.from_text("a.txt", "Alpha changed."), Document.from_text("b.txt", "Beta two. Beta three.")])
    assert report.updated == ["a.txt"] and report.unchanged == ["b.txt"] and report.embedded == 1
    snapshot = fresh_store.snapshot()
    assert [s.text for s in snapshot.sentences] == ["Alpha changed.", "Beta two.", "Beta three."]
    # the superseded sentence is gone from Chroma too, not just ignored
    generation = fresh_store.require_manifest().generation
    collection = fresh_store.client().get_collection(f"assistant-sentences-{generation}")
    assert collection.count() == 3


def test_identical_documents_are_indexed_once(fresh_store: Store):
    report = fresh_store.index([Document.from_text("a.txt", "Same text."), Document.from_text("copy.txt", "Same text.")])
    assert report.added == ["a.txt"] and report.duplicates == ["copy.txt -> a.txt"]


def test_remove_and_rebuild(fresh_store: Store):
    fresh_store.index([Document.from_text("a.txt", "Alpha one."), Document.from_text("b.txt", "Beta two.")])
    fresh_store.remove(["a.txt"])
    assert list(fresh_store.require_manifest().documents) == ["b.txt"]
    with pytest.raises(IndexMissingError, match="not in the index: zzz.txt"):
        fresh_store.remove(["zzz.txt"])
    old_generation = fresh_store.require_manifest().generation
    report = fresh_store.index([Document.from_text("c.txt", "Gamma three.")], rebuild=True, replace_all=True)
    manifest = fresh_store.require_manifest()
    assert manifest.generation != old_generation and list(manifest.documents) == ["c.txt"]
    assert report.removed == ["b.txt"]
    names = {c.name for c in fresh_store.client().list_collections()}
    assert names == {"assistant-meta", f"assistant-sentences-{manifest.generation}",
                     f"assistant-documents-{manifest.generation}", f"assistant-contexts-{manifest.generation}"}


def test_a_sentence_that_points_back_is_embedded_again_after_the_one_before():
    text = "# Trustees\nGwen Hartley stepped down. She was succeeded by Marcus Oyelaran. The trust grew.\nIt has 40 staff."
    document = Document.from_text("t.md", text)
    sentences = segment(document)
    texts = context_texts(text, sentences, embedding_texts(text, sentences))
    # The heading leads it; "The trust grew." and a heading do not point back; "It" after a heading would not.
    assert texts == [None, None, "Trustees: Gwen Hartley stepped down. She was succeeded by Marcus Oyelaran.", None,
                     "Trustees: The trust grew. It has 40 staff."]


def test_a_labelled_line_under_others_is_embedded_again_after_its_blocks_first_line():
    text = ("# Notes\n\nEpisode 12: Bringing back the seagrass\nBroadcast: Tuesday 8 April 2025, 7pm\n"
            "Guest: Dr Mara Quinn\n\nRunning time: 42 minutes\nThe next episode is about otters.\n")
    document = Document.from_text("n.md", text)
    sentences = segment(document)
    texts = context_texts(text, sentences, embedding_texts(text, sentences))
    lead = "Notes: Episode 12: Bringing back the seagrass"
    # Not the block's first line, nor a label after a blank line, nor a sentence that is no label.
    assert texts == [None, None, f"{lead} Broadcast: Tuesday 8 April 2025, 7pm", f"{lead} Guest: Dr Mara Quinn",
                     None, None]


def test_a_long_block_of_labelled_lines_is_records_not_facts_about_its_first_line():
    from assistant.sections import BLOCK_LINES, block_leads, block_starts

    def starts(lines: int) -> list[int | None]:
        text = "\n".join(f"Event {i}: the pump started" for i in range(lines)) + "\n\nArea: North Vale\nStart: 1 May\n"
        return block_starts(text, segment(Document.from_text("log.txt", text)))

    assert block_leads(starts(BLOCK_LINES)) == [None] + [0] * (BLOCK_LINES - 1) + [None, BLOCK_LINES]
    # One line more and the log's lines have none; the short block after it keeps its own.
    assert block_leads(starts(BLOCK_LINES + 1)) == [None] * (BLOCK_LINES + 1) + [None, BLOCK_LINES + 1]
    # As records, though, its lines are all the first line's (a role asked of it, ``role_unsaid``).
    assert starts(BLOCK_LINES + 1) == [None] + [0] * BLOCK_LINES + [None, BLOCK_LINES + 1]


def test_a_labelled_line_is_found_by_what_its_block_names(assistant_over):
    # "Broadcast: ..." says when, not what: the block's first line names the episode.
    notes = ("Podcast notes\n\nEpisode 11: Peat bogs and carbon\nBroadcast: Tuesday 1 April 2025, 7pm\n\n"
             "Episode 12: Bringing back the seagrass\nBroadcast: Tuesday 8 April 2025, 7pm\n"
             "Guest: Dr Mara Quinn, marine ecologist\n")
    answer = assistant_over({"notes.txt": notes}).ask("When was the seagrass episode broadcast?")
    assert answer.text.startswith("Tuesday 8 April 2025, 7pm"), answer.text


@pytest.mark.parametrize(("text", "pointing"), [
    ("Both are printed on the rating label.", True),  # the model and serial numbers said before
    ("Neither of them camped there.", True),
    ("Both teams scored twice.", False),
    ("Either way, call us first.", False),
])
def test_both_and_neither_point_back_when_they_stand_for_what_was_said(text, pointing):
    assert points_back(text) is pointing


def test_second_embeddings_go_with_their_document(fresh_store: Store):
    fresh_store.index([Document.from_text("a.txt", "Gwen Hartley stepped down. She was succeeded by Marcus."),
                       Document.from_text("b.txt", "Beta opened. It is open daily.")])
    generation = fresh_store.require_manifest().generation
    contexts = fresh_store.client().get_collection(f"assistant-contexts-{generation}")
    ids = {s.text: s.id for s in fresh_store.snapshot().sentences}
    assert set(contexts.get()["ids"]) == {ids["She was succeeded by Marcus."], ids["It is open daily."]}
    found = dict(fresh_store.context_search(fresh_store.embeddings.query_encoder.encode(["Who followed Gwen Hartley?"])[0], 5))
    assert set(found) == set(contexts.get()["ids"])
    fresh_store.remove(["a.txt"])
    assert contexts.get()["ids"] == [ids["It is open daily."]]


def test_index_built_by_another_format_is_rebuilt_with_a_message(fresh_store: Store):
    fresh_store.index([Document.from_text("a.txt", "Alpha one.")])
    old = fresh_store.require_manifest()
    fresh_store._write_manifest(Manifest(old.format, "some-other-model", old.segmenter, old.generation,
                                         old.revision, old.documents))
    report = fresh_store.index([])
    assert "rebuilding it" in report.rebuilt_because and "some-other-model" in report.rebuilt_because
    assert report.embedded == 1  # the kept document was re-embedded with the current model
    assert fresh_store.require_manifest().model != "some-other-model"


def test_bad_file_leaves_the_index_untouched(fresh_store: Store, tmp_path: Path):
    good = tmp_path / "good.txt"
    good.write_text("Good text here.", encoding="utf-8")
    index_paths(fresh_store, [good])
    before = fresh_store.require_manifest()
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(DocumentError):
        index_paths(fresh_store, [good, bad])
    assert fresh_store.require_manifest() == before


def test_a_file_of_an_indexed_name_from_another_folder_does_not_replace_it(fresh_store: Store, tmp_path: Path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first, other = tmp_path / "a" / "notes.txt", tmp_path / "b" / "notes.txt"
    first.write_text("The boiler was serviced in May.", encoding="utf-8")
    other.write_text("The roof was repaired in June.", encoding="utf-8")
    assert "1 added; 1 sentence embedded in" in index_paths(fresh_store, [first]).summary()
    before = fresh_store.require_manifest()
    assert before.documents["notes.txt"].source == str(first.resolve())
    with pytest.raises(DocumentError) as refused:
        index_paths(fresh_store, [other])
    message = str(refused.value)
    assert "\n" not in message and str(other.resolve()) in message and str(first.resolve()) in message
    assert "assistant index --remove notes.txt" in message
    assert fresh_store.require_manifest() == before
    # Updating it from where it was read is no conflict; nor is a copy of the same text read from
    # elsewhere (a backup), which leaves the index knowing the original.
    first.write_text("The boiler was serviced in March.", encoding="utf-8")
    assert index_paths(fresh_store, [first]).updated == ["notes.txt"]
    other.write_text("The boiler was serviced in March.", encoding="utf-8")
    assert index_paths(fresh_store, [other]).unchanged == ["notes.txt"]
    first.write_text("The boiler was serviced in April.", encoding="utf-8")
    assert index_paths(fresh_store, [first]).updated == ["notes.txt"]
    # A rebuild that keeps it (a new format, say) keeps where it came from.
    fresh_store.index([Document.from_text("other.txt", "Other text.")], rebuild=True)
    assert fresh_store.require_manifest().documents["notes.txt"].source == str(first.resolve())
    # Once the recorded file is gone (its folder moved), the file of that name elsewhere updates it.
    first.unlink()
    other.write_text("The boiler was serviced in May.", encoding="utf-8")
    assert index_paths(fresh_store, [other]).updated == ["notes.txt"]
    assert fresh_store.require_manifest().documents["notes.txt"].source == str(other.resolve())
    # An upload's folder is the server's copy: it may replace a document of its name.
    (tmp_path / "upload").mkdir()
    upload = tmp_path / "upload" / "notes.txt"
    upload.write_text("The roof was repaired in June.", encoding="utf-8")
    assert index_paths(fresh_store, [upload], uploads=True).updated == ["notes.txt"]
    assert fresh_store.require_manifest().documents["notes.txt"].source == ""


def test_a_manifest_written_before_sources_were_kept_still_loads():
    raw = ('{"documents": {"a.txt": {"chars": 5, "indexed_at": "2026-01-01T00:00:00Z", "name": "a.txt", '
           '"sentences": 1, "sha256": "ab"}}, "format": 1, "generation": "g", "model": "m", "revision": 1, '
           '"segmenter": "s"}')
    assert Manifest.from_json(raw).documents["a.txt"].source == ""


def test_missing_index_says_what_to_run(tmp_path: Path):
    store = Store(Settings.from_env(env={}, index_dir=tmp_path / "none"))
    with pytest.raises(IndexMissingError, match="run `assistant index YOUR_FILES_OR_FOLDER --index-dir"):
        store.snapshot()
    assert not (tmp_path / "none").exists()  # asking never creates an index folder


def test_an_index_dir_that_is_a_file_is_said_to_be_one(tmp_path: Path, fresh_store: Store):
    afile = tmp_path / "notes.txt"
    afile.write_text("Not an index.", encoding="utf-8")
    store = Store(Settings.from_env(env={}, index_dir=afile), embeddings=fresh_store.embeddings)
    # Neither "run `assistant index --index-dir notes.txt`" nor "the index may be damaged".
    for attempt in (store.snapshot, lambda: store.index([Document.from_text("a.txt", "Alpha.")])):
        with pytest.raises((IndexMissingError, InputError), match=r"notes\.txt is a file, not a folder; pass a folder"):
            attempt()
    assert afile.read_text(encoding="utf-8") == "Not an index."


def _kill_midway(args: list[str], sig: int, env: dict[str, str]) -> None:
    # A command started in the background by a non-interactive shell (as CI may start this run)
    # inherits SIGINT ignored, and Python then installs no KeyboardInterrupt handler: restore the
    # default, as in a terminal where a person presses Ctrl-C.
    with subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env,
                          preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL)) as process:
        _interrupt_when_embedding(process, sig)


def _interrupt_when_embedding(process: subprocess.Popen, sig: int) -> None:
    os.set_blocking(process.stderr.fileno(), False)
    seen = b""
    deadline = time.monotonic() + 120
    while b"embedding:" not in seen:
        assert process.poll() is None, f"indexing ended before it could be interrupted: {seen[-500:]!r}"
        assert time.monotonic() < deadline, "indexing never showed progress"
        chunk = process.stderr.read()
        seen += chunk or b""
        time.sleep(0.05)
    # The bar appears as embedding starts; some records reach Chroma before the manifest does:
    # interrupt now. (Waiting longer let a fast run finish first on a loaded CI machine.) Python may
    # drop a KeyboardInterrupt that lands in a finaliser ("Exception ignored in ..."), and then the run
    # went on to finish (once in CI): press Ctrl-C again, as a person would, until it stops.
    deadline = time.monotonic() + 60
    while True:
        process.send_signal(sig)
        try:
            code = process.wait(timeout=0.5)
            break
        except subprocess.TimeoutExpired:
            assert time.monotonic() < deadline, "the run did not stop"
    assert code != 0, "the run finished before the signal reached it"


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT], ids=["crash", "ctrl-c"])
def test_interrupted_indexing_leaves_previous_index_usable(tmp_path: Path, sig: int):
    index_dir = tmp_path / "index"
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    assistant = [sys.executable, "-m", "assistant"]
    subprocess.run([*assistant, "index", str(REPORT), "--index-dir", str(index_dir)], check=True, env=env,
                   capture_output=True)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for i in range(240):  # ~2,900 sentences: seconds of embedding, far longer than a scheduling delay
        (corpus / f"doc{i:03}.txt").write_text(
            " ".join(f"Document {i} sentence {j} talks about topic {i * j}." for j in range(12)), encoding="utf-8")
    _kill_midway([*assistant, "index", str(corpus), "--index-dir", str(index_dir)], sig, env)

    asked = subprocess.run([*assistant, "ask", "How many IPR cases did Chinese courts conclude last year?",
                            "--index-dir", str(index_dir), "--json"], env=env, capture_output=True, text=True)
    assert asked.returncode == 0, asked.stderr
    assert "320,000" in asked.stdout
    listed = subprocess.run([*assistant, "index", "--list", "--index-dir", str(index_dir)], env=env,
                            capture_output=True, text=True, check=True)
    assert listed.stdout.strip().splitlines()[0].startswith("china-ipr-cooperation.txt")
    assert len(listed.stdout.strip().splitlines()) == 1
    # and the next run completes, cleaning up what the interrupted one left behind
    done = subprocess.run([*assistant, "index", str(corpus), "--index-dir", str(index_dir)], env=env,
                          capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert "240 added" in done.stdout


def test_a_question_reads_the_manifest_only_after_another_process_changed_it(fresh_store: Store, monkeypatch):
    fresh_store.index([Document.from_text("a.txt", "Alpha is first.")])
    reader = Store(fresh_store.settings, embeddings=fresh_store.embeddings)  # as a second app process
    first = reader.snapshot()
    reads = []
    original = Store.read_manifest
    monkeypatch.setattr(Store, "read_manifest", lambda self: reads.append(1) or original(self))
    assert reader.snapshot() is first and reads == []  # unchanged: only the small stamp was read
    fresh_store.index([Document.from_text("b.txt", "Beta is second.")])
    changed = reader.snapshot()
    assert reads and changed is not first
    assert sorted(s.text for s in changed.sentences) == ["Alpha is first.", "Beta is second."]


def test_a_reload_reads_only_changed_documents_and_equals_a_full_load(fresh_store: Store, monkeypatch):
    fresh_store.index([Document.from_text("a.txt", "Alpha is first. Alpha again."),
                       Document.from_text("b.txt", "Beta is second.")])
    reader = Store(fresh_store.settings, embeddings=fresh_store.embeddings)  # as a second app process
    reader.snapshot()
    fresh_store.index([Document.from_text("c.txt", "Gamma is third."),
                       Document.from_text("b.txt", "Beta changed.")])
    fetched = []
    original = Store._documents_with_vectors
    monkeypatch.setattr(Store, "_documents_with_vectors",
                        lambda self, manifest, only=None: fetched.append(sorted(only or manifest.documents))
                        or original(self, manifest, only))
    tokenized = []
    monkeypatch.setattr("assistant.snapshot.tokenize", lambda text: tokenized.append(text) or tokenize(text))
    reloaded = reader.snapshot()
    assert fetched == [["b.txt", "c.txt"]]  # a.txt came from the snapshot already in memory
    assert sorted(tokenized) == ["Beta changed.", "Gamma is third."]  # ... and so did its terms
    monkeypatch.undo()
    full = Store(fresh_store.settings, embeddings=fresh_store.embeddings).snapshot()
    assert [(s.id, s.doc, s.text) for s in reloaded.sentences] == [(s.id, s.doc, s.text) for s in full.sentences]
    assert reloaded.texts == full.texts and reloaded.doc_names == full.doc_names
    assert (reloaded.doc_vectors == full.doc_vectors).all()
    assert list(reloaded.lexical.scores("gamma")) == list(full.lexical.scores("gamma"))


@pytest.mark.slow
def test_a_running_app_sees_what_another_process_indexes_into_the_same_folder(fresh_store: Store, tmp_path: Path):
    """`assistant index` in a terminal while `assistant serve` runs on the same folder. Chroma's
    embedded client keeps its vector index in memory and misses the other process's writes: before
    the fix, reading the new document's vector failed ("Error finding id") and dense search missed it."""
    fresh_store.index([Document.from_text("a.txt", "Alpha is the first letter. Alpha comes before beta.")])
    question = fresh_store.embeddings.query_encoder.encode(["When was the Kestrel Point lighthouse automated?"])[0]
    assert fresh_store.dense_search(question, 1)  # the app is running: its client is open and warm
    lighthouse = tmp_path / "lighthouse.txt"
    lighthouse.write_text("Kestrel Point Lighthouse\n\nThe Kestrel Point lighthouse was automated in 1987.\n"
                          "Its beam can be seen from 34 kilometres out at sea.\n", encoding="utf-8")
    cli = [sys.executable, "-m", "assistant"]
    where = ["--index-dir", str(fresh_store.settings.index_dir)]
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    subprocess.run([*cli, "index", str(lighthouse), *where], check=True, env=env, capture_output=True)

    snapshot = fresh_store.snapshot()
    assert "lighthouse.txt" in snapshot.texts
    assert snapshot.doc_vectors[snapshot.doc_names.index("lighthouse.txt")].any()  # read from Chroma
    best, _ = fresh_store.dense_search(question, 1)[0]
    assert snapshot.sentences[snapshot.by_id[best]].text == "The Kestrel Point lighthouse was automated in 1987."
    assert fresh_store.sentence_vectors([best])[best].shape == (384,)

    subprocess.run([*cli, "index", "--remove", "lighthouse.txt", *where], check=True, env=env, capture_output=True)
    assert "lighthouse.txt" not in fresh_store.snapshot().texts
    best, _ = fresh_store.dense_search(question, 1)[0]
    assert fresh_store.snapshot().sentences[fresh_store.snapshot().by_id[best]].doc == "a.txt"
    # and this process can still write: its own add is seen without reopening
    fresh_store.index([Document.from_text("b.txt", "Beta is the second letter.")])
    assert sorted(fresh_store.snapshot().texts) == ["a.txt", "b.txt"]


def test_large_reads_go_in_pages_and_load_everything(fresh_store: Store, monkeypatch):
    """Chroma's embedded store fails a read of more than ~32k records, so a 100k-sentence index is
    read in pages; with tiny pages here, a load must still see every sentence, text and vector."""
    fresh_store.index([Document.from_text(f"d{i}.txt", f"Doc {i} starts. It goes on. It ends {i}.") for i in range(4)])
    whole = Store(fresh_store.settings, embeddings=fresh_store.embeddings).snapshot()
    monkeypatch.setattr("assistant.store._PAGE", 2)
    paged = Store(fresh_store.settings, embeddings=fresh_store.embeddings).snapshot()
    assert len(paged.sentences) == 12
    assert [(s.id, s.text) for s in paged.sentences] == [(s.id, s.text) for s in whole.sentences]
    assert paged.texts == whole.texts and (paged.doc_vectors == whole.doc_vectors).all()


def _meta_log_length(store: Store) -> int:
    """Records of the meta collection that Chroma still keeps in its write log (local folder)."""
    import sqlite3

    meta_id = store.client().get_collection("assistant-meta").id
    with sqlite3.connect(store.settings.index_dir / "chroma" / "chroma.sqlite3") as db:
        return db.execute("select count(*) from embeddings_queue where topic like ?", (f"%{meta_id}",)).fetchone()[0]


def test_the_meta_collections_write_log_does_not_grow_with_every_commit(fresh_store: Store):
    """Every commit rewrites the manifest. Chroma replays a collection's unpersisted log on each write
    to it, so a log holding every manifest version made adding a document cost 4 s at 100k sentences.
    An index made with Chroma's default settings is switched over on its next write."""
    fresh_store.client(create=True).get_or_create_collection("assistant-meta")  # as older versions made it
    for i in range(8):
        fresh_store.index([Document.from_text(f"d{i}.txt", f"Document {i} has one sentence.")])
    assert _meta_log_length(fresh_store) <= 2
    assert len(fresh_store.require_manifest().documents) == 8


def test_progress_counts_sentences_not_their_second_readings(fresh_store: Store):
    calls = []
    fresh_store.index([Document.from_text("a.txt", "Gwen Hartley stepped down. She was succeeded by Marcus.")],
                      progress=lambda done, total: calls.append((done, total)))
    assert calls[0] == (0, 2) and calls[-1] == (2, 2)  # "2 sentences", though 3 texts were embedded


def test_a_large_job_says_it_is_splitting_sentences_before_the_progress_bar(tmp_path, fresh_store, monkeypatch, capsys):
    # Splitting comes before embedding and takes about 4 s a megabyte: an 8 MB file printed nothing
    # for minutes. From ANNOUNCE_CHARS on, a line says what is being done; a small job stays quiet.
    from assistant import indexing

    small, large = tmp_path / "small.txt", tmp_path / "large.txt"
    small.write_text("The library opens at 9 a.m. on weekdays.\n", encoding="utf-8")
    large.write_text("Courts concluded 320,000 cases last year.\n" * 30, encoding="utf-8")
    monkeypatch.setattr(indexing, "ANNOUNCE_CHARS", 500)
    index_paths(fresh_store, [small], show_progress=True)
    assert "splitting" not in capsys.readouterr().err
    index_paths(fresh_store, [large], show_progress=True)
    assert "splitting 1 document (0.0 million characters) into sentences" in capsys.readouterr().err
