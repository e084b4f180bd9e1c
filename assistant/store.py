"""The persisted index: Chroma collections for sentences and documents, and a manifest.

Everything the answerer needs lives in Chroma, so a local folder (``PersistentClient``) and a
Chroma server (``HttpClient``) behave the same:

- ``<prefix>-sentences-<generation>``: one record per sentence: its embedding, its text, and its
  document, offsets and ordinal as metadata;
- ``<prefix>-documents-<generation>``: one record per document version: the full text;
- ``<prefix>-meta``: one record, the manifest (model, segmenter, generation, revision, documents).

Writes are ordered so that the manifest is the commit point. New sentences are added under ids that
contain the new content hash; only then is the manifest replaced (one Chroma upsert); only then are
superseded records deleted. Readers trust the manifest and ignore records it does not name, so a
crash or Ctrl-C at any moment leaves the previous index usable. A rebuild writes a whole new
generation of collections and switches the manifest to it the same way. Leftovers of an
interrupted run are removed by the next one.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

import numpy as np

from .documents import Document
from .errors import IndexMissingError, StoreError
from .sentences import SEGMENTER_VERSION, Sentence, segment
from .settings import Settings

__all__ = ["FORMAT_VERSION", "DocumentEntry", "Manifest", "IndexReport", "Snapshot", "Store", "embedding_text"]

FORMAT_VERSION = 1
_MANIFEST_ID = "manifest"
_BATCH = 256  # sentences per embed + upsert step: small enough for a smooth progress bar

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class DocumentEntry:
    name: str
    sha256: str
    sentences: int
    chars: int
    indexed_at: str


@dataclass(frozen=True)
class Manifest:
    format: int
    model: str
    segmenter: str
    generation: str
    revision: int
    documents: dict[str, DocumentEntry] = field(default_factory=dict)

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def from_json(cls, raw: str) -> "Manifest":
        data = json.loads(raw)
        data["documents"] = {k: DocumentEntry(**v) for k, v in data.get("documents", {}).items()}
        return cls(**data)


@dataclass(frozen=True)
class IndexReport:
    added: list[str]
    updated: list[str]
    unchanged: list[str]
    removed: list[str]
    embedded: int
    """Sentences embedded in this run (0 when nothing changed)."""
    rebuilt_because: str = ""
    seconds: float = 0.0

    def summary(self) -> str:
        parts = [f"{len(v)} {k}" for k, v in (("added", self.added), ("updated", self.updated),
                                                ("unchanged", self.unchanged), ("removed", self.removed)) if v]
        line = f"indexed: {', '.join(parts) or 'nothing to do'}; {self.embedded} sentences embedded in {self.seconds:.1f} s"
        return f"{self.rebuilt_because}\n{line}" if self.rebuilt_because else line


def embedding_text(sentences: Sequence[Sentence], i: int, title: str) -> str:
    """What is embedded for sentence ``i``: the sentence, led by its document's title.

    The cited unit stays the bare sentence; the title only tells the model what the sentence is
    about ("It was founded in 1820." means little without "Dubuque, Iowa").
    """
    text = sentences[i].text
    return f"{title}: {text}" if title and title != text else text


def document_title(document_text: str, sentences: Sequence[Sentence]) -> str:
    """A heading-like first line (short, no final full stop), else nothing."""
    if not sentences:
        return ""
    first = sentences[0].text.lstrip("# ").strip()
    first_line_end = document_text.find("\n")
    is_whole_line = first_line_end == -1 or sentences[0].end <= first_line_end
    if is_whole_line and len(first) <= 120 and not first.endswith((".", "?", "!", ":")) and len(sentences) > 1:
        return first
    return ""


@dataclass
class Snapshot:
    """What one manifest revision holds, in memory: sentences in order, document texts, BM25."""

    manifest: Manifest
    sentences: list[Sentence]
    texts: dict[str, str]
    """Document name -> full text."""
    titles: dict[str, str]
    by_id: dict[str, int]
    doc_ranges: dict[str, tuple[int, int]]
    """Document name -> [first, last+1) positions in ``sentences``."""
    lexical: Any

    @classmethod
    def build(cls, manifest: Manifest, sentences: list[Sentence], texts: dict[str, str]) -> "Snapshot":
        from .lexical import LexicalIndex

        order = {name: i for i, name in enumerate(sorted(manifest.documents))}
        sentences = sorted(sentences, key=lambda s: (order[s.doc], s.ordinal))
        by_id = {s.id: i for i, s in enumerate(sentences)}
        ranges: dict[str, tuple[int, int]] = {}
        for i, s in enumerate(sentences):
            first, _ = ranges.get(s.doc, (i, i))
            ranges[s.doc] = (first, i + 1)
        titles = {}
        for name, (a, b) in ranges.items():
            titles[name] = document_title(texts[name], sentences[a:b])
        lexical_texts = [embedding_text(sentences, i, titles[s.doc]) for i, s in enumerate(sentences)]
        return cls(manifest, sentences, texts, titles, by_id, ranges, LexicalIndex(lexical_texts))

    def neighbours(self, position: int, before: int = 1, after: int = 1) -> list[Sentence]:
        s = self.sentences[position]
        first, last = self.doc_ranges[s.doc]
        return self.sentences[max(first, position - before): min(last, position + after + 1)]


class Store:
    """Opens the index named by the settings; heavy clients load on first use."""

    def __init__(self, settings: Settings, embeddings: Any = None) -> None:
        self.settings = settings
        self._embeddings = embeddings
        self._client: Any = None
        self._snapshot: Snapshot | None = None
        self._vectorstore: Any = None
        self._lock = threading.RLock()

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

    def exists(self) -> bool:
        if not self.settings.chroma_url and not self._chroma_dir().exists():
            return False
        return self.read_manifest() is not None

    def client(self, create: bool = False) -> Any:
        if self._client is not None:
            return self._client
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
            if not path.exists() and not create:
                raise IndexMissingError(f"no index in {self.settings.index_dir}; run `assistant index` first")
            path.mkdir(parents=True, exist_ok=True)
            self._client = chromadb.PersistentClient(path=str(path), settings=chroma_settings)
        return self._client

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

    def _collection(self, name: str, create: bool = False, space: str = "cosine") -> Any:
        client = self.client(create=create)
        if create:
            return self._call(lambda: client.get_or_create_collection(
                name=name, embedding_function=None,
                configuration={"hnsw": {"space": space, "ef_search": 200, "ef_construction": 200}},
            ))
        return self._call(lambda: client.get_collection(name=name, embedding_function=None))

    # -- manifest ---------------------------------------------------------------------------
    def read_manifest(self) -> Manifest | None:
        try:
            meta = self._collection(self._name("meta"))
        except IndexMissingError:
            return None
        except StoreError:
            raise
        except Exception:  # no such collection yet
            return None
        got = self._call(lambda: meta.get(ids=[_MANIFEST_ID], include=["documents"]))
        if not got["ids"]:
            return None
        return Manifest.from_json(got["documents"][0])

    def _write_manifest(self, manifest: Manifest) -> None:
        meta = self._collection(self._name("meta"), create=True)
        # The commit point of every change: one record, replaced in one call.
        self._call(lambda: meta.upsert(ids=[_MANIFEST_ID], documents=[manifest.to_json()], embeddings=[[1.0]]))

    def require_manifest(self) -> Manifest:
        manifest = self.read_manifest()
        if manifest is None:
            hint = f" --chroma-url {self.settings.chroma_url}" if self.settings.chroma_url else (
                f" --index-dir {self.settings.index_dir}")
            raise IndexMissingError(f"no index at {self.location}; run `assistant index{hint}` first")
        return manifest

    # -- writing ----------------------------------------------------------------------------
    def index(self, documents: Sequence[Document], rebuild: bool = False, progress: Progress | None = None,
              replace_all: bool = False) -> IndexReport:
        """Add or update ``documents``; with ``replace_all``, also drop every document not given."""
        from .encoder import model_id

        started = time.perf_counter()
        with self._lock:
            old = self.read_manifest()
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
            given = {d.name: d for d in documents}
            changed = [d for d in documents if previous.get(d.name) is None or previous[d.name].sha256 != d.sha256]
            removed = sorted(n for n in previous if replace_all and n not in given)
            sentences_collection = self._collection(self._name("sentences", generation), create=True)
            documents_collection = self._collection(self._name("documents", generation), create=True, space="l2")

            embedded = self._write_documents(changed, sentences_collection, documents_collection, progress)

            now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
            entries = {n: e for n, e in previous.items() if n not in removed}
            for d, count in embedded.items():
                entries[d.name] = DocumentEntry(d.name, d.sha256, count, len(d.text), now)
            manifest = Manifest(FORMAT_VERSION, model, SEGMENTER_VERSION, generation,
                                (old.revision + 1) if old else 1, entries)
            if changed or removed or fresh:
                self._write_manifest(manifest)
            self._collect_garbage(manifest)
            self._snapshot = None
        return IndexReport(
            added=sorted(d.name for d in changed if d.name not in previous),
            updated=sorted(d.name for d in changed if d.name in previous),
            unchanged=sorted(n for n in given if n not in {d.name for d in changed}),
            removed=removed,
            embedded=sum(embedded.values()),
            rebuilt_because=reason,
            seconds=time.perf_counter() - started,
        )

    def remove(self, names: Iterable[str]) -> Manifest:
        with self._lock:
            manifest = self.require_manifest()
            names = list(names)
            missing = [n for n in names if n not in manifest.documents]
            if missing:
                raise IndexMissingError(f"not in the index: {', '.join(missing)}; `assistant index --list` shows what is")
            entries = {n: e for n, e in manifest.documents.items() if n not in names}
            manifest = Manifest(manifest.format, manifest.model, manifest.segmenter, manifest.generation,
                                manifest.revision + 1, entries)
            self._write_manifest(manifest)
            self._collect_garbage(manifest)
            self._snapshot = None
            return manifest

    def _write_documents(self, documents: Sequence[Document], sentences_collection: Any,
                         documents_collection: Any, progress: Progress | None) -> dict[Document, int]:
        plan = []
        for document in documents:
            sentences = segment(document)
            title = document_title(document.text, sentences)
            plan.append((document, sentences, [embedding_text(sentences, i, title) for i in range(len(sentences))]))
        total = sum(len(s) for _, s, _ in plan)
        done = 0
        if progress:
            progress(0, total)
        rows: list[tuple[Sentence, str, str]] = [(s, t, d.sha256) for d, ss, ts in plan for s, t in zip(ss, ts)]
        for start in range(0, len(rows), _BATCH):
            batch = rows[start:start + _BATCH]
            vectors = self.embeddings.encode_documents([t for _, t, _ in batch])
            self._call(lambda: sentences_collection.upsert(
                ids=[s.id for s, _, _ in batch],
                embeddings=vectors,
                documents=[s.text for s, _, _ in batch],
                metadatas=[{"doc": s.doc, "doc_sha": sha, "ordinal": s.ordinal, "start": s.start, "end": s.end}
                           for s, _, sha in batch],
            ))
            done += len(batch)
            if progress:
                progress(done, total)
        for document, sentences, _ in plan:
            self._call(lambda d=document: documents_collection.upsert(
                ids=[d.sha256], documents=[d.text], metadatas=[{"name": d.name}], embeddings=[[0.0]],
            ))
        return {d: len(s) for d, s, _ in plan}

    def _documents_of(self, manifest: Manifest, names: Sequence[str]) -> list[Document]:
        if not names:
            return []
        collection = self._collection(self._name("documents", manifest.generation))
        shas = [manifest.documents[n].sha256 for n in names]
        got = self._call(lambda: collection.get(ids=shas, include=["documents", "metadatas"]))
        by_sha = dict(zip(got["ids"], got["documents"]))
        return [Document(name=n, text=by_sha[s], sha256=s) for n, s in zip(names, shas)]

    def _collect_garbage(self, manifest: Manifest) -> None:
        """Drop what the manifest no longer names: old generations and superseded versions."""
        client = self.client()
        keep = {self._name("sentences", manifest.generation), self._name("documents", manifest.generation),
                self._name("meta")}
        prefix = self.settings.collection_prefix + "-"
        for collection in self._call(lambda: client.list_collections()):
            name = collection if isinstance(collection, str) else collection.name
            if name.startswith(prefix) and name not in keep:
                self._call(lambda n=name: client.delete_collection(n))
        live = [e.sha256 for e in manifest.documents.values()]
        sentences = self._collection(self._name("sentences", manifest.generation))
        documents = self._collection(self._name("documents", manifest.generation))
        if live:
            self._call(lambda: sentences.delete(where={"doc_sha": {"$nin": live}}))
            stale = [i for i in self._call(lambda: documents.get(include=[]))["ids"] if i not in set(live)]
            if stale:
                self._call(lambda: documents.delete(ids=stale))
        else:
            ids = self._call(lambda: sentences.get(include=[]))["ids"]
            if ids:
                self._call(lambda: sentences.delete(ids=ids))

    # -- reading ----------------------------------------------------------------------------
    def snapshot(self, refresh: bool = True) -> Snapshot:
        """The current revision in memory; re-read when another process has changed the index.

        ``refresh=False`` reuses the snapshot of this question (no manifest read) when there is one.
        """
        with self._lock:
            if not refresh and self._snapshot is not None:
                return self._snapshot
            manifest = self.require_manifest()
            if self._snapshot is not None and self._snapshot.manifest == manifest:
                return self._snapshot
            live = {e.sha256 for e in manifest.documents.values()}
            sentences: list[Sentence] = []
            texts: dict[str, str] = {}
            if live:
                collection = self._collection(self._name("sentences", manifest.generation))
                got = self._call(lambda: collection.get(where={"doc_sha": {"$in": sorted(live)}},
                                                        include=["documents", "metadatas"]))
                for sid, text, meta in zip(got["ids"], got["documents"], got["metadatas"]):
                    sentences.append(Sentence(sid, meta["doc"], int(meta["ordinal"]), int(meta["start"]),
                                              int(meta["end"]), text))
                texts = {d.name: d.text for d in self._documents_of(manifest, sorted(manifest.documents))}
            self._snapshot = Snapshot.build(manifest, sentences, texts)
            self._vectorstore = None
            return self._snapshot

    def vectorstore(self) -> Any:
        """The sentence collection as a LangChain vector store (queries embed through numpy)."""
        snapshot = self.snapshot(refresh=False)
        if self._vectorstore is None:
            from langchain_chroma import Chroma

            self._vectorstore = Chroma(
                client=self.client(), collection_name=self._name("sentences", snapshot.manifest.generation),
                embedding_function=self.embeddings, create_collection_if_not_exists=False,
            )
        return self._vectorstore

    def dense_search(self, vector: np.ndarray, k: int) -> list[tuple[str, float]]:
        """``(sentence id, cosine similarity)`` of the ``k`` nearest sentences, best first."""
        store = self.vectorstore()
        hits = self._call(lambda: store.similarity_search_by_vector_with_relevance_scores(
            vector.tolist(), k=k))
        # Chroma returns cosine distance; records of an interrupted write are not in the snapshot.
        known = self.snapshot(refresh=False).by_id
        return [(doc.id, 1.0 - float(distance)) for doc, distance in hits if doc.id in known]


def _is_connection_error(exc: BaseException) -> bool:
    text = f"{type(exc).__name__} {exc}".lower()
    return any(word in text for word in ("connect", "timeout", "refused", "unreachable", "remote", "network"))
