"""The persisted index: Chroma collections for sentences and documents, and a manifest.

Everything the answerer needs lives in Chroma, so a local folder (``PersistentClient``) and a
Chroma server (``HttpClient``) behave the same:

- ``<prefix>-sentences-<generation>``: one record per sentence: its embedding, its text, and its
  document, offsets and ordinal as metadata;
- ``<prefix>-documents-<generation>``: one record per document version: the full text;
- ``<prefix>-contexts-<generation>``: second embeddings. For a sentence that points back ("She was
  succeeded by ..."), it read after the sentence before it (``context_texts``), under its id; for a
  sentence under a long title and heading, it bare (``bare_texts``), under its id and ``BARE``;
- ``<prefix>-meta``: the manifest (model, segmenter, generation, revision, documents) as one record,
  whose metadata carries a random stamp of that write: readers compare the small stamp on every
  question and fetch the manifest (tens of kB at 10k documents) only when it changed.

Writes are ordered so that the manifest is the commit point. New sentences are added under ids that
contain the new content hash; only then is the manifest replaced (one Chroma upsert); only then are
superseded records deleted. Readers trust the manifest and ignore records it does not name, so a
crash or Ctrl-C at any moment leaves the previous index usable. A rebuild writes a whole new
generation of collections and switches the manifest to it the same way. Leftovers of an
interrupted run are removed by a later one.

Several processes may share one Chroma server. A writer announces what it is writing in a
``pending-<run>`` record of the meta collection (refreshed every batch) and withdraws it when done,
also on an error or Ctrl-C; clean-up never deletes what a live writer announced, and a commit
re-reads the manifest and merges documents another writer committed meanwhile instead of
overwriting them. The leftovers of a killed writer are collected once its announcement is older
than ``_PENDING_STALE`` seconds. Readers ask Chroma for the manifest's documents only, when records
of a write in progress (or a killed one) crowd the nearest hits.
"""

from __future__ import annotations

import itertools
import json
import os
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from .documents import Document
from .errors import DocumentError, IndexMissingError, InputError, StoreError
from .manifest import DocumentEntry, Manifest
from .sections import bare_texts, context_texts, embedding_texts
from .sentences import SEGMENTER_VERSION, Sentence, segment
from .settings import Settings
from .snapshot import Snapshot

__all__ = ["FORMAT_VERSION", "IndexReport", "Store"]

FORMAT_VERSION = 14  # 2: documents carry an embedding (document-level retrieval); 3: sections lead sentences;
# 4: a sentence that points back is embedded a second time, after the one before it; 5: numbered headings;
# 6: a table's row is embedded with its header's names for its cells, and the header row is context;
# 7: "Both are ...", "Neither of ..." point back; 8: a sentence under a long lead is embedded bare too;
# 9: a labelled line under others is embedded a second time, after its block's first line;
# 10: not in a block of more than eight lines (a log's records); 11: a plain-text row's figure
# that follows a cell run up to its column with one space is its column's; 12: but not a word, and
# a header cell with figures in brackets only when no row below has a cell of its shape; 13: a header
# cell of words and a year ("Band D 2025/26"), and a row's figure one past its column's start; 14: such
# cells only two or more past the first ("January 2025   Committee meeting" opens a list's line)
_MANIFEST_ID = "manifest"
BARE = "~bare"
"""What a sentence's id ends with for its bare reading in the contexts collection (``bare_texts``)."""
_PENDING = "pending-"  # meta records announcing a write in progress
_PENDING_STALE = 600.0  # seconds without a refresh after which a writer is taken for dead
_BATCH = 256  # sentences per embed + upsert step: small enough for a smooth progress bar
_PAGE = 10_000  # records per Chroma read (see Store._get)

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class IndexReport:
    added: list[str]
    updated: list[str]
    unchanged: list[str]
    removed: list[str]
    duplicates: list[str]
    """Documents skipped because another one (named after the arrow) has the same content."""
    embedded: int
    """Sentences embedded in this run (0 when nothing changed)."""
    rebuilt_because: str = ""
    seconds: float = 0.0
    passed_over: list[str] = field(default_factory=list)
    """Files in the folders given that are not .txt or .md, so were not read."""

    def summary(self) -> str:
        parts = [f"{len(v)} {k}" for k, v in (("added", self.added), ("updated", self.updated),
                                                ("unchanged", self.unchanged), ("removed", self.removed)) if v]
        line = f"indexed: {', '.join(parts) or 'nothing to do'}; {self.embedded} {'sentence' if self.embedded == 1 else 'sentences'} embedded in {self.seconds:.1f} s"
        if self.duplicates:
            line += f"\nskipped (same content as another document): {', '.join(self.duplicates)}"
        if self.passed_over:
            shown = ", ".join(self.passed_over[:5]) + (f" and {len(self.passed_over) - 5} more" if len(self.passed_over) > 5 else "")
            line += f"\nnot read (only .txt and .md files are): {shown}"
        return f"{self.rebuilt_because}\n{line}" if self.rebuilt_because else line


def document_embedding_text(document: Document) -> str:
    """What stands for a whole document in document-level retrieval: its opening.

    The model reads 256 word pieces at most; for a passage that is all of it, for a long report
    its title and first paragraphs, which is what the document is about.
    """
    return document.text[:2000]


def _without_duplicates(documents: Sequence[Document], previous: dict[str, DocumentEntry]) -> tuple[list[Document], list[str]]:
    """Drop documents whose content is already given or indexed under another name.

    Identical copies would only crowd the top of every ranking with the same sentence twice.
    """
    owner = {e.sha256: n for n, e in previous.items()}
    kept, skipped = [], []
    for d in documents:
        first = owner.get(d.sha256)
        if first is not None and first != d.name:
            skipped.append(f"{d.name} -> {first}")
            continue
        owner[d.sha256] = d.name
        kept.append(d)
    return kept, skipped


def _check_sources(changed: Sequence[Document], previous: dict[str, DocumentEntry]) -> None:
    """Refuse a file that would replace another file's text of the same name ("notes.txt" from
    another folder): "1 updated" would lose the first without a word. Updating a file from where it
    was read is no conflict, nor is a file whose recorded source is gone (a moved folder, another
    machine's path): nothing is lost. A copy read unchanged keeps the source it was first read from."""
    clashes = [f"{d.source}: another {d.name} is indexed (from {previous[d.name].source}); rename this file, "
               f"or drop that one first with `assistant index --remove {d.name}`"
               for d in changed if d.name in previous and d.source and previous[d.name].source
               and previous[d.name].source != d.source and Path(previous[d.name].source).is_file()]
    if clashes:
        raise DocumentError("; ".join(clashes))


@dataclass
class _LocalClient:
    """The one embedded Chroma client this process keeps for an index folder.

    Chroma's embedded client caches the vector index in memory and does not see what another
    process writes to the same folder (chroma-core/chroma#3792): a document another process added is
    missing from dense search, and reading its vectors fails ("Error finding id"). So the client
    remembers the manifest stamp it is current with and is reopened, which loads the folder afresh,
    when the stamp shows another process's commit. All Stores of the folder in a process share the
    client and the lock that keeps a reopen from closing it under another thread's call.
    """

    lock: threading.RLock = field(default_factory=threading.RLock)
    client: Any = None
    current: str | None = None
    """The manifest stamp whose writes the client's memory holds."""
    opened: int = 0
    """How many times the client was opened: a Store drops what it built on an older one."""


_LOCAL: dict[str, _LocalClient] = {}
_LOCAL_LOCK = threading.Lock()


def _local_client(path: Path) -> _LocalClient:
    with _LOCAL_LOCK:
        return _LOCAL.setdefault(str(path.resolve()), _LocalClient())


class Store:
    """Opens the index named by the settings; heavy clients load on first use."""

    def __init__(self, settings: Settings, embeddings: Any = None) -> None:
        self.settings = settings
        self._embeddings = embeddings
        self._client: Any = None
        self._snapshot: Snapshot | None = None
        self._snapshot_stamp: str | None = None  # the manifest write the snapshot was built from
        self._previous: Snapshot | None = None  # after a write: what the next snapshot can reuse
        self._vectorstore: Any = None
        # (revision and client, that revision's contexts collection and its record count)
        self._contexts: tuple[Any, Any, int] = (None, None, 0)
        # Local mode: one client and lock per folder and process (see _LocalClient); server mode:
        # a client of this Store's own.
        self._local = None if settings.chroma_url else _local_client(self._chroma_dir())
        self._opened = 0
        self._lock = self._local.lock if self._local else threading.RLock()

    # -- connection -------------------------------------------------------------------------
    @property
    def location(self) -> str:
        return self.settings.chroma_url or str(self.settings.index_dir)

    @property
    def embeddings(self) -> Any:
        if self._embeddings is None:
            from .encoder import MiniLMEmbeddings

            self._embeddings = MiniLMEmbeddings()
        return self._embeddings

    def _chroma_dir(self) -> Path:
        return Path(self.settings.index_dir) / "chroma"

    def files_dir(self) -> Path | None:
        """The folder of the index's own files (None for a Chroma server): not documents, though it may
        be inside a folder of them (``index/`` holds the bundled report and its index)."""
        return None if self.settings.chroma_url else self._chroma_dir()

    def exists(self) -> bool:
        if not self.settings.chroma_url and not self._chroma_dir().exists():
            return False
        return self.read_manifest() is not None

    def client(self, create: bool = False) -> Any:
        with self._lock:
            if self._local is not None and self._local.client is not None:
                if self._opened != self._local.opened:  # reopened (by any Store of this folder)
                    self._opened, self._vectorstore = self._local.opened, None
                return self._local.client
            if self._client is not None:
                return self._client
            return self._open(create)

    def _open(self, create: bool) -> Any:
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        chroma_settings = ChromaSettings(anonymized_telemetry=False)
        if self.settings.chroma_url:
            from urllib.parse import urlparse

            url = urlparse(self.settings.chroma_url)
            if url.scheme not in {"http", "https"} or not url.hostname:
                raise StoreError(f"--chroma-url {self.settings.chroma_url!r} is not a URL like http://HOST:PORT")
            try:
                self._client = chromadb.HttpClient(
                    host=url.hostname, port=url.port or (443 if url.scheme == "https" else 8000),
                    ssl=url.scheme == "https", settings=chroma_settings,
                )
                self._client.heartbeat()
            except Exception as exc:
                self._client = None
                raise StoreError(self._unreachable(exc)) from None
        else:
            path = self._chroma_dir()
            if in_the_way := self._file_in_the_way():
                raise InputError(in_the_way)  # a wrong option, as a missing index is
            if not path.exists() and not create:
                raise IndexMissingError(self._missing_message())
            assert self._local is not None
            try:
                path.mkdir(parents=True, exist_ok=True)
                self._local.client = chromadb.PersistentClient(path=str(path), settings=chroma_settings)
            except Exception as exc:  # a file in the way, no permission, a read-only disk
                raise StoreError(self._unusable(exc)) from None
            self._local.opened += 1
            self._opened, self._vectorstore = self._local.opened, None
            return self._local.client
        return self._client

    def _keep_current(self, stamp: str | None) -> None:
        """Local mode: reopen the client if the index has a commit it has not seen (another process's).

        Called with the lock held, before reading for a new revision and before writing.
        """
        local = self._local
        if local is None or local.client is None or stamp is None or stamp == local.current:
            if local is not None and local.current is None:
                local.current = stamp
            return
        local.client.close()  # the last reference: Chroma stops the embedded system
        local.client = None
        self._open(create=False)
        local.current = stamp

    def _committed(self, stamp: str, merged: bool) -> None:
        """This process committed ``stamp``: its client holds those writes, unless the commit merged
        another process's (their vectors are not in this client's memory)."""
        if self._local is not None and not merged:
            self._local.current = stamp

    def _unusable(self, exc: BaseException) -> str:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc).splitlines()[0][:120] or type(exc).__name__
        folder = self.settings.index_dir
        path = self._chroma_dir()
        if os.access(path if path.exists() else folder, os.W_OK):
            # Writable, so not the folder: what is in it (a new user's zeroed database was told both).
            # Chroma cannot open it even to start over, so `--rebuild` would fail the same way.
            return (f"the index in {folder} is damaged ({reason}); move that folder aside (or delete it) and "
                    f"index again: assistant index YOUR_FILES_OR_FOLDER --index-dir {folder}")
        return (f"cannot use {folder} as an index folder ({reason}); Chroma needs a folder it can write to, even "
                "to read: pass --index-dir another one")

    def _unreachable(self, exc: BaseException) -> str:
        return (f"cannot reach the Chroma server at {self.settings.chroma_url} ({type(exc).__name__}); "
                "check that it is running (`chroma run --host HOST --port PORT`) and the URL is right")

    def _call(self, what: Callable[[], Any]) -> Any:
        """Run a Chroma call, turning a lost server into a one-line StoreError."""
        try:
            return what()
        except (IndexMissingError, StoreError):
            raise
        except Exception as exc:
            if self.settings.chroma_url and _is_connection_error(exc):
                raise StoreError(self._unreachable(exc)) from None
            raise

    def _name(self, kind: str, generation: str = "") -> str:
        prefix = self.settings.collection_prefix
        return f"{prefix}-{kind}-{generation}" if generation else f"{prefix}-{kind}"

    def _collection(self, name: str, create: bool = False, space: str = "cosine", **hnsw: Any) -> Any:
        """A collection; with ``create``, made if missing, with these HNSW settings on top of ours."""
        client = self.client(create=create)
        if create:
            return self._call(lambda: client.get_or_create_collection(
                name=name, embedding_function=None,
                configuration={"hnsw": {"space": space, "ef_search": 200, "ef_construction": 200, **hnsw}},
            ))
        return self._call(lambda: client.get_collection(name=name, embedding_function=None))

    def _meta(self, create: bool = False) -> Any:
        """The meta collection, set to persist its vector segment on every write.

        Chroma keeps every write in a log until each segment of the collection has persisted
        past it, and its HNSW segment persists only every ``sync_threshold`` (default 1000)
        records. The meta collection holds one live manifest, replaced on every commit, so with
        the default its log kept every manifest ever written (600 kB each at 3,300 documents)
        and each write replayed them: 0.7 s per write at 100k sentences, 12 ms after this.
        Indexes made before this are switched on their next write (``get_or_create`` leaves an
        existing collection's settings as they are).
        """
        every_write = {"batch_size": 1, "sync_threshold": 1}
        meta = self._collection(self._name("meta"), create=create, **every_write)
        if create and (meta.configuration or {}).get("hnsw", {}).get("sync_threshold") != 1:
            self._call(lambda: meta.modify(configuration={"hnsw": every_write}))
        return meta

    # -- manifest ---------------------------------------------------------------------------
    def read_manifest(self) -> Manifest | None:
        return self._manifest_record(with_manifest=True)[0]

    def _manifest_stamp(self) -> str | None:
        """The stamp of the current manifest write, without reading the manifest (None: unknown)."""
        return self._manifest_record(with_manifest=False)[1]

    def _manifest_record(self, with_manifest: bool) -> tuple[Manifest | None, str | None]:
        """The manifest (when asked for) and the stamp of its write, read together in one call."""
        with self._lock:
            try:
                meta = self._meta()
            except (StoreError, InputError):
                raise  # an index that cannot be used, or an --index-dir that is a file
            except Exception:  # no index, or no such collection yet
                return None, None
            include = ["documents", "metadatas"] if with_manifest else ["metadatas"]
            got = self._call(lambda: meta.get(ids=[_MANIFEST_ID], include=include))
            if not got["ids"]:
                return None, None
            stamp = ((got["metadatas"] or [None])[0] or {}).get("stamp")
            return (Manifest.from_json(got["documents"][0]) if with_manifest else None), stamp

    def _write_manifest(self, manifest: Manifest) -> str:
        meta = self._meta(create=True)
        # The commit point of every change: one record, replaced in one call. The stamp is unique
        # per write (two writers can both commit revision N+1), so equal stamps mean equal manifests.
        stamp = uuid.uuid4().hex
        self._call(lambda: meta.upsert(ids=[_MANIFEST_ID], documents=[manifest.to_json()], embeddings=[[1.0]],
                                       metadatas=[{"revision": manifest.revision, "stamp": stamp}]))
        return stamp

    def require_manifest(self) -> Manifest:
        manifest = self.read_manifest()
        if manifest is None:
            raise IndexMissingError(self._missing_message())
        return manifest

    def _file_in_the_way(self) -> str:
        """The error for a local ``--index-dir`` that is a file ("" when it is not): said as such, not
        as a missing or damaged index."""
        folder = Path(self.settings.index_dir)
        if self.settings.chroma_url or not folder.exists() or folder.is_dir():
            return ""
        return f"--index-dir {folder} is a file, not a folder; pass a folder (a new one is created on indexing)"

    def _missing_message(self) -> str:
        if in_the_way := self._file_in_the_way():
            return in_the_way
        where = f"--chroma-url {self.settings.chroma_url}" if self.settings.chroma_url else (
            f"--index-dir {self.settings.index_dir}")
        # "assistant index" alone indexes the bundled report: the user's documents must be named.
        return f"no index at {self.location}; run `assistant index YOUR_FILES_OR_FOLDER {where}` first"

    # -- writing ----------------------------------------------------------------------------
    def index(self, documents: Sequence[Document], rebuild: bool = False, progress: Progress | None = None,
              replace_all: bool = False) -> IndexReport:
        """Add or update ``documents``; with ``replace_all``, also drop every document not given."""
        from .encoder import model_id

        started = time.perf_counter()
        with self._lock:
            old, stamp = self._manifest_record(with_manifest=True)
            self._keep_current(stamp)
            model = model_id()
            reason = ""
            if old is not None and not rebuild:
                if old.format != FORMAT_VERSION or old.model != model or old.segmenter != SEGMENTER_VERSION:
                    reason = (f"the index was built with format {old.format}, model {old.model}, segmenter "
                              f"{old.segmenter}; rebuilding it for format {FORMAT_VERSION}, model {model}, "
                              f"segmenter {SEGMENTER_VERSION}")
                    rebuild = True
            fresh = old is None or rebuild
            generation = uuid.uuid4().hex[:10] if fresh else old.generation  # type: ignore[union-attr]
            previous = {} if fresh else dict(old.documents)  # type: ignore[union-attr]
            if fresh and old is not None and not replace_all:
                # A rebuild keeps the documents already indexed: re-read them from the old generation.
                kept = self._documents_of(old, [n for n in old.documents if n not in {d.name for d in documents}])
                documents = list(documents) + kept
            documents, duplicates = _without_duplicates(documents, previous)
            given = {d.name: d for d in documents}
            changed = [d for d in documents if previous.get(d.name) is None or previous[d.name].sha256 != d.sha256]
            _check_sources(changed, previous)
            indexed_before = set(old.documents) if old else set()
            removed = sorted(n for n in indexed_before if replace_all and n not in given)
            run = self._announce(generation, [d.sha256 for d in changed]) if changed else ""
            try:
                sentences_collection = self._collection(self._name("sentences", generation), create=True)
                documents_collection = self._collection(self._name("documents", generation), create=True)
                contexts_collection = self._collection(self._name("contexts", generation), create=True)

                embedded = self._write_documents(changed, sentences_collection, documents_collection,
                                                 contexts_collection, progress,
                                                 heartbeat=lambda: self._announce(generation, [d.sha256 for d in changed], run))

                now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
                written = {d.name: DocumentEntry(d.name, d.sha256, count, len(d.text), now, d.source)
                           for d, count in embedded.items()}
                manifest = self._commit(old, fresh, generation, (FORMAT_VERSION, model, SEGMENTER_VERSION), written,
                                        removed, bool(changed or removed or fresh))
                self._collect_garbage(manifest)
            finally:
                self._withdraw(run)
            self._previous, self._snapshot = self._snapshot or self._previous, None
        return IndexReport(
            added=sorted(d.name for d in changed if d.name not in previous),
            updated=sorted(d.name for d in changed if d.name in previous),
            unchanged=sorted(n for n in given if n not in {d.name for d in changed}),
            removed=removed,
            duplicates=duplicates,
            embedded=sum(embedded.values()),
            rebuilt_because=reason,
            seconds=time.perf_counter() - started,
        )

    def remove(self, names: Iterable[str]) -> Manifest:
        with self._lock:
            manifest, stamp = self._manifest_record(with_manifest=True)
            if manifest is None:
                raise IndexMissingError(self._missing_message())
            self._keep_current(stamp)
            names = list(names)
            missing = [n for n in names if n not in manifest.documents]
            if missing:
                raise IndexMissingError(f"not in the index: {', '.join(missing)}; `assistant index --list` shows what is")
            manifest = self._commit(manifest, False, manifest.generation,
                                    (manifest.format, manifest.model, manifest.segmenter), {}, names, True)
            self._collect_garbage(manifest)
            self._previous, self._snapshot = self._snapshot or self._previous, None
            return manifest

    def _write_documents(self, documents: Sequence[Document], sentences_collection: Any,
                         documents_collection: Any, contexts_collection: Any, progress: Progress | None,
                         heartbeat: Callable[[], Any] | None = None) -> dict[Document, int]:
        plan = []
        for document in documents:
            sentences = segment(document)
            texts = embedding_texts(document.text, sentences)
            plan.append((document, sentences, texts, context_texts(document.text, sentences, texts)))
        rows: list[tuple[Sentence, str, str, str | None]] = [
            (s, t, d.sha256, c) for d, ss, ts, cs in plan for s, t, c in zip(ss, ts, cs)]
        # Second readings, each under its own id: a sentence read after the one before it, and one
        # under a long lead read bare.
        pointing = [(s.id, c, sha) for s, _, sha, c in rows if c is not None]
        pointing += [(s.id + BARE, b, d.sha256) for d, ss, _, _ in plan
                     for s, b in zip(ss, bare_texts(d.text, ss)) if b is not None]
        total = len(rows)  # what the progress counts: sentences (their second readings follow, uncounted)
        done = 0
        if progress:
            progress(0, total)
        # Batches of texts of about the same length: the model pads a batch to its longest text, and
        # batches cut from texts in document order took 1.7 times as long (ClapNQ, bench_core).
        rows.sort(key=lambda row: len(row[1]))
        pointing.sort(key=lambda row: len(row[1]))
        for start in range(0, len(rows), _BATCH):
            batch = rows[start:start + _BATCH]
            vectors = self.embeddings.encode_documents([t for _, t, _, _ in batch])
            self._call(lambda batch=batch, vectors=vectors: sentences_collection.upsert(
                ids=[s.id for s, _, _, _ in batch],
                embeddings=vectors,
                documents=[s.text for s, _, _, _ in batch],
                metadatas=[{"doc": s.doc, "doc_sha": sha, "ordinal": s.ordinal, "start": s.start, "end": s.end}
                           for s, _, sha, _ in batch],
            ))
            done += len(batch)
            if heartbeat:
                heartbeat()
            if progress:
                progress(done, total)
        for start in range(0, len(pointing), _BATCH):
            second = pointing[start:start + _BATCH]
            vectors = self.embeddings.encode_documents([c for _, c, _ in second])
            self._call(lambda second=second, vectors=vectors: contexts_collection.upsert(
                ids=[i for i, _, _ in second], embeddings=vectors, metadatas=[{"doc_sha": sha} for _, _, sha in second],
            ))
            if heartbeat:
                heartbeat()
        by_length = sorted((d for d, _, _, _ in plan), key=lambda d: len(document_embedding_text(d)))
        for start in range(0, len(by_length), _BATCH):
            part = by_length[start:start + _BATCH]
            vectors = self.embeddings.encode_documents([document_embedding_text(d) for d in part])
            self._call(lambda part=part, vectors=vectors: documents_collection.upsert(
                ids=[d.sha256 for d in part], documents=[d.text for d in part],
                metadatas=[{"name": d.name} for d in part], embeddings=vectors,
            ))
        return {d: len(s) for d, s, _, _ in plan}

    # -- several writers on one server --------------------------------------------------------
    def _announce(self, generation: str, shas: Sequence[str], run: str = "") -> str:
        """Tell other writers' clean-up what this run is writing (again each batch: it is alive)."""
        run = run or uuid.uuid4().hex[:12]
        meta = self._meta(create=True)
        record = json.dumps({"generation": generation, "shas": sorted(shas), "at": time.time()})
        self._call(lambda: meta.upsert(ids=[_PENDING + run], documents=[record], embeddings=[[1.0]]))
        return run

    def _withdraw(self, run: str) -> None:
        if not run:
            return
        try:
            meta = self._meta()
            self._call(lambda: meta.delete(ids=[_PENDING + run]))
        except Exception:  # the server is gone: the announcement goes stale and is ignored
            pass

    def _pending(self) -> tuple[set[str], set[str]]:
        """Generations and content hashes that live writers are writing."""
        meta = self._meta(create=True)
        ids = [i for i in self._call(lambda: meta.get(include=[]))["ids"] if i.startswith(_PENDING)]
        got = self._call(lambda: meta.get(ids=ids, include=["documents"])) if ids else {"ids": [], "documents": []}
        generations, shas, stale = set(), set(), []
        for record_id, raw in zip(got["ids"], got["documents"]):
            record = json.loads(raw)
            if time.time() - record["at"] > _PENDING_STALE:
                stale.append(record_id)
                continue
            generations.add(record["generation"])
            shas.update(record["shas"])
        if stale:
            self._call(lambda: meta.delete(ids=stale))
        return generations, shas

    def _commit(self, old: Manifest | None, fresh: bool, generation: str, stamp: tuple[int, str, str],
                written: dict[str, DocumentEntry], removed: Sequence[str], changed: bool) -> Manifest:
        """Write the manifest: this run's documents on top of the latest one (another writer's too).

        Chroma has no compare-and-swap, so the manifest is re-read just before it is replaced: what
        another process committed while this one was embedding is kept, not overwritten.
        """
        latest = self.read_manifest()
        if latest is not None and (old is None or latest.revision != old.revision):
            if fresh or latest.generation != generation:
                raise StoreError("another process rebuilt or replaced the index while this run was writing; "
                                 "nothing was changed, run the command again")
        base = latest if latest is not None and not fresh else None
        entries = {n: e for n, e in (base.documents if base else {}).items() if n not in set(removed)}
        entries.update(written)
        revision = max(latest.revision if latest else 0, old.revision if old else 0) + 1
        manifest = Manifest(*stamp, generation, revision, entries)
        if not changed:
            return latest or manifest
        self._committed(self._write_manifest(manifest),
                        merged=latest is not None and (old is None or latest.revision != old.revision))
        return manifest

    def _get(self, collection: Any, ids: Sequence[str] | None = None, **kwargs: Any) -> dict[str, list[Any]]:
        """``collection.get`` in pages of ``_PAGE`` records: by slices of ``ids``, or by offset.

        Chroma's embedded store fails a read that returns more than about 32,000 records ("too many
        SQL variables"): loading a 100k-sentence index in one call did.
        """
        out: dict[str, list[Any]] = {key: [] for key in ("ids", *kwargs.get("include", ()))}
        if ids is not None:
            pages = [{"ids": list(ids[i:i + _PAGE])} for i in range(0, len(ids), _PAGE)]
        else:
            pages = ({"limit": _PAGE, "offset": offset} for offset in itertools.count(0, _PAGE))
        for page in pages:
            got = self._call(lambda page=page: collection.get(**page, **kwargs))
            for key, values in out.items():
                values.extend(got[key] if got.get(key) is not None else [])
            if ids is None and len(got["ids"]) < _PAGE:
                break
        return out

    def _documents_of(self, manifest: Manifest, names: Sequence[str]) -> list[Document]:
        if not names:
            return []
        collection = self._collection(self._name("documents", manifest.generation))
        shas = [manifest.documents[n].sha256 for n in names]
        got = self._get(collection, ids=shas, include=["documents", "metadatas"])
        by_sha = dict(zip(got["ids"], got["documents"]))
        # A document kept through a rebuild keeps the source it was read from.
        return [Document(name=n, text=by_sha[s], sha256=s, source=manifest.documents[n].source)
                for n, s in zip(names, shas)]

    def _documents_with_vectors(self, manifest: Manifest, only: Iterable[str] | None = None
                                ) -> tuple[dict[str, str], dict[str, np.ndarray]]:
        """Texts and vectors of the manifest's documents (of those named in ``only``, if given)."""
        collection = self._collection(self._name("documents", manifest.generation))
        wanted = set(manifest.documents) if only is None else set(only)
        names = {e.sha256: n for n, e in manifest.documents.items() if n in wanted}
        if not names:
            return {}, {}
        got = self._get(collection, ids=sorted(names), include=["documents", "embeddings"])
        texts = {names[i]: text for i, text in zip(got["ids"], got["documents"])}
        vectors = {names[i]: np.asarray(v, dtype=np.float32) for i, v in zip(got["ids"], got["embeddings"])}
        return texts, vectors

    def sentence_vectors(self, ids: Sequence[str]) -> dict[str, np.ndarray]:
        """Stored embeddings of some sentences (to score lexical-only candidates densely too)."""
        if not ids:
            return {}
        with self._lock:
            snapshot = self.snapshot(refresh=False)
            collection = self._collection(self._name("sentences", snapshot.manifest.generation))
            got = self._call(lambda: collection.get(ids=list(ids), include=["embeddings"]))
            return {i: np.asarray(v, dtype=np.float32) for i, v in zip(got["ids"], got["embeddings"])}

    def _contexts_collection(self) -> tuple[Any, int]:
        """This revision's second embeddings of sentences that point back, and how many there are;
        (None, 0) for an index built before they were made (it is searched without them until
        rebuilt). Looked up once per revision, not on every question."""
        snapshot = self.snapshot(refresh=False)
        client = self.client()
        key = (snapshot.manifest.generation, snapshot.manifest.revision, id(client), self._opened)
        if self._contexts[0] != key:
            try:
                collection = client.get_collection(name=self._name("contexts", snapshot.manifest.generation),
                                                   embedding_function=None)
            except Exception as exc:  # Chroma raises a NotFoundError (a ValueError in older versions)
                if _is_connection_error(exc):
                    raise StoreError(self._unreachable(exc)) from exc
                collection = None
            count = self._call(lambda: collection.count()) if collection is not None else 0
            self._contexts = (key, collection, count)
        return self._contexts[1], self._contexts[2]

    def context_search(self, vector: np.ndarray, k: int) -> list[tuple[str, float]]:
        """``(id, cosine similarity)`` of the ``k`` nearest second embeddings: a sentence's id for its
        reading after the one before it (``context_texts``), its id and ``BARE`` for its bare one."""
        with self._lock:
            collection, count = self._contexts_collection()
            if not count:
                return []
            got = self._call(lambda: collection.query(query_embeddings=[vector.tolist()], n_results=min(k, count),
                                                      include=["distances"]))
            known = self.snapshot(refresh=False).by_id
            return [(i, 1.0 - float(d)) for i, d in zip(got["ids"][0], got["distances"][0])
                    if i.removesuffix(BARE) in known]

    def context_vectors(self, ids: Sequence[str]) -> dict[str, np.ndarray]:
        """Second embeddings of those of ``ids`` that have one."""
        if not ids:
            return {}
        with self._lock:
            collection, count = self._contexts_collection()
            if not count:
                return {}
            got = self._call(lambda: collection.get(ids=list(ids), include=["embeddings"]))
            return {i: np.asarray(v, dtype=np.float32) for i, v in zip(got["ids"], got["embeddings"])}

    def _collect_garbage(self, manifest: Manifest) -> None:
        """Drop what neither the latest manifest nor a live writer names: old generations, old versions."""
        client = self.client()
        manifest = self.read_manifest() or manifest  # another writer may have committed since
        pending_generations, pending_shas = self._pending()
        keep = {self._name("meta")} | {self._name(kind, g) for g in {manifest.generation, *pending_generations}
                                       for kind in ("sentences", "documents", "contexts")}
        prefix = self.settings.collection_prefix + "-"
        for collection in self._call(lambda: client.list_collections()):
            name = collection if isinstance(collection, str) else collection.name
            if name.startswith(prefix) and name not in keep:
                self._call(lambda n=name: client.delete_collection(n))
        live = sorted({e.sha256 for e in manifest.documents.values()} | pending_shas)
        sentences = self._collection(self._name("sentences", manifest.generation))
        documents = self._collection(self._name("documents", manifest.generation))
        expected = sum(e.sentences for e in manifest.documents.values())
        if (not pending_shas and self._call(lambda: sentences.count()) == expected
                and self._call(lambda: documents.count()) == len(live)):
            # Nothing superseded and no leftovers (the usual case when a document is added): skip
            # the filtered delete, which scans every record's metadata (seconds at 100k sentences).
            return
        contexts = self._collection(self._name("contexts", manifest.generation), create=True)
        if live:
            self._call(lambda: sentences.delete(where={"doc_sha": {"$nin": live}}))
            self._call(lambda: contexts.delete(where={"doc_sha": {"$nin": live}}))
            keep = set(live)
            stale = [i for i in self._get(documents, include=[])["ids"] if i not in keep]
            if stale:
                self._call(lambda: documents.delete(ids=stale))
        else:
            for collection in (sentences, contexts):
                ids = self._get(collection, include=[])["ids"]
                if ids:
                    self._call(lambda collection=collection, ids=ids: collection.delete(ids=ids))

    # -- reading ----------------------------------------------------------------------------
    def snapshot(self, refresh: bool = True) -> Snapshot:
        """The current revision in memory; re-read when another process has changed the index.

        ``refresh=False`` reuses the snapshot of this question (no manifest read) when there is one.
        """
        with self._lock:
            if not refresh and self._snapshot is not None:
                return self._snapshot
            if self._snapshot is not None and self._snapshot_stamp is not None:
                if self._manifest_stamp() == self._snapshot_stamp:
                    return self._snapshot
            manifest, stamp = self._manifest_record(with_manifest=True)
            if manifest is None:
                raise IndexMissingError(self._missing_message())
            self._keep_current(stamp)
            if self._snapshot is not None and self._snapshot.manifest == manifest:
                self._snapshot_stamp = stamp
                return self._snapshot
            # Documents the previous snapshot holds unchanged are kept from it; only the others are
            # read from Chroma. Adding one document to a 100k-sentence index then reads one document.
            base = self._snapshot or self._previous
            kept: set[str] = set()
            if base is not None and base.manifest.generation == manifest.generation:
                kept = {n for n, e in manifest.documents.items()
                        if (old := base.manifest.documents.get(n)) is not None and old.sha256 == e.sha256}
            sentences = [s for s in base.sentences if s.doc in kept] if base is not None and kept else []
            texts = {n: base.texts[n] for n in kept} if base is not None else {}
            doc_vectors = ({n: base.doc_vectors[i] for i, n in enumerate(base.doc_names) if n in kept}
                           if base is not None else {})
            fetch = sorted({e.sha256 for n, e in manifest.documents.items() if n not in kept})
            if fetch:
                collection = self._collection(self._name("sentences", manifest.generation))
                got = self._get(collection, where={"doc_sha": {"$in": fetch}}, include=["documents", "metadatas"])
                for sid, text, meta in zip(got["ids"], got["documents"], got["metadatas"]):
                    sentences.append(Sentence(sid, meta["doc"], int(meta["ordinal"]), int(meta["start"]),
                                              int(meta["end"]), text))
                more_texts, more_vectors = self._documents_with_vectors(
                    manifest, [n for n in manifest.documents if n not in kept])
                texts.update(more_texts)
                doc_vectors.update(more_vectors)
            self._snapshot = Snapshot.build(manifest, sentences, texts, doc_vectors, base=base)
            self._snapshot_stamp = stamp
            self._previous = None
            self._vectorstore = None
            return self._snapshot

    def vectorstore(self) -> Any:
        """The sentence collection as a LangChain vector store (queries embed through numpy)."""
        with self._lock:
            snapshot = self.snapshot(refresh=False)
            client = self.client()  # first: a reopened client drops the vector store built on the old one
            if self._vectorstore is None:
                from langchain_chroma import Chroma

                self._vectorstore = Chroma(
                    client=client, collection_name=self._name("sentences", snapshot.manifest.generation),
                    embedding_function=self.embeddings, create_collection_if_not_exists=False,
                )
            return self._vectorstore

    def dense_search(self, vector: np.ndarray, k: int) -> list[tuple[str, float]]:
        """``(sentence id, cosine similarity)`` of the ``k`` nearest sentences, best first."""
        with self._lock:
            store = self.vectorstore()
            snapshot = self.snapshot(refresh=False)
            hits = self._call(lambda: store.similarity_search_by_vector_with_relevance_scores(
                vector.tolist(), k=k))
            # Chroma returns cosine distance; records of an interrupted write are not in the snapshot.
            known = snapshot.by_id
            found = [(doc.id, 1.0 - float(distance)) for doc, distance in hits if doc.id in known]
            if len(found) < len(hits):
                # Records the manifest does not name (a write in progress, or an interrupted one) took
                # places among the nearest: ask again, for the manifest's documents only.
                live = sorted({e.sha256 for e in snapshot.manifest.documents.values()})
                hits = self._call(lambda: store.similarity_search_by_vector_with_relevance_scores(
                    vector.tolist(), k=k, filter={"doc_sha": {"$in": live}}))
                found = [(doc.id, 1.0 - float(distance)) for doc, distance in hits if doc.id in known]
            return found


def _is_connection_error(exc: BaseException) -> bool:
    text = f"{type(exc).__name__} {exc}".lower()
    return any(word in text for word in ("connect", "timeout", "refused", "unreachable", "remote", "network"))
