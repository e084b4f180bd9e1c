"""Hybrid retrieval: dense (MiniLM in Chroma) and lexical (BM25) rankings fused into one.

Dense retrieval finds paraphrases; BM25 finds rare names and figures that a small embedding model
blurs. Neither wins everywhere (on the bundled report lexical beats dense, on Wikipedia passages
the reverse), so both rankings are fused with reciprocal rank fusion, and two signals that every
corpus has are added: the strength of a sentence's document (the best fused score among its
sentences: a question is usually about one document) and of its immediate neighbours (a sentence
right after a strong match is often the one that answers).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document as LCDocument
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from .sentences import Sentence
from .store import Snapshot, Store

__all__ = ["Mode", "Retrieved", "HybridRetriever", "rank"]

Mode = Literal["hybrid", "dense", "lexical"]

RRF_K = 20  # small: the top few ranks, where the answer usually is, should count most
DOC_WEIGHT = 0.5
NEIGHBOUR_WEIGHT = 0.1


@dataclass(frozen=True)
class Retrieved:
    """A ranked sentence with the scores that ranked it."""

    sentence: Sentence
    score: float
    """Fused score used for ranking (higher is better)."""
    dense: float
    """Cosine similarity between question and sentence embedding (0 when not a dense candidate)."""
    lexical: float
    """BM25 score normalised by the best BM25 score for this question (0..1)."""


def _rrf(order: np.ndarray, size: int, weight: float) -> np.ndarray:
    scores = np.zeros(size, dtype=np.float64)
    scores[order] = weight / (RRF_K + np.arange(1, len(order) + 1))
    return scores


def rank(snapshot: Snapshot, dense_hits: list[tuple[str, float]], lexical_scores: np.ndarray,
         k: int, mode: Mode = "hybrid", dense_weight: float = 0.5, candidates: int = 50) -> list[Retrieved]:
    """Fuse the two rankings and return the best ``k`` sentences."""
    size = len(snapshot.sentences)
    if size == 0:
        return []
    dense = np.zeros(size, dtype=np.float64)
    dense_order = np.array([snapshot.by_id[sid] for sid, _ in dense_hits], dtype=np.int64)
    dense[dense_order] = [score for _, score in dense_hits]
    best_lexical = float(lexical_scores.max()) if len(lexical_scores) else 0.0
    lexical = lexical_scores / best_lexical if best_lexical > 0 else np.zeros(size)
    lexical_order = np.argsort(-lexical_scores, kind="stable")[:candidates]
    lexical_order = lexical_order[lexical_scores[lexical_order] > 0]

    fused = np.zeros(size, dtype=np.float64)
    if mode in ("hybrid", "dense"):
        fused += _rrf(dense_order, size, dense_weight if mode == "hybrid" else 1.0)
    if mode in ("hybrid", "lexical"):
        fused += _rrf(lexical_order, size, (1.0 - dense_weight) if mode == "hybrid" else 1.0)
    if mode == "hybrid":
        fused = _with_context(snapshot, fused)
    order = np.argsort(-fused, kind="stable")[:k]
    return [
        Retrieved(snapshot.sentences[i], float(fused[i]), float(dense[i]), float(lexical[i]))
        for i in order if fused[i] > 0
    ]


def _with_context(snapshot: Snapshot, fused: np.ndarray) -> np.ndarray:
    boosted = fused.copy()
    for first, last in snapshot.doc_ranges.values():
        part = fused[first:last]
        if not part.any():
            continue
        boosted[first:last] += DOC_WEIGHT * part.max()
        if last - first > 1:
            neighbours = np.maximum(np.r_[0.0, part[:-1]], np.r_[part[1:], 0.0])
            boosted[first:last] += NEIGHBOUR_WEIGHT * neighbours
    # Only sentences that one of the retrievers found compete; context alone ranks nothing.
    return np.where(fused > 0, boosted, 0.0)


class HybridRetriever(BaseRetriever):
    """LangChain retriever over a ``Store``; documents carry the sentence and its scores."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    store: Store
    k: int = 8
    candidates: int = 50
    mode: Mode = "hybrid"
    dense_weight: float = 0.5

    def search(self, query: str) -> list[Retrieved]:
        snapshot = self.store.snapshot()
        dense_hits: list[tuple[str, float]] = []
        if self.mode != "lexical" and snapshot.sentences:
            vector = self.store.embeddings.query_encoder.encode([query])[0]
            dense_hits = self.store.dense_search(vector, min(self.candidates, len(snapshot.sentences)))
        lexical = snapshot.lexical.scores(query) if self.mode != "dense" else np.zeros(len(snapshot.sentences))
        return rank(snapshot, dense_hits, lexical, self.k, self.mode, self.dense_weight, self.candidates)

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[LCDocument]:
        return [to_langchain(hit) for hit in self.search(query)]


def to_langchain(hit: Retrieved) -> LCDocument:
    s = hit.sentence
    return LCDocument(
        id=s.id, page_content=s.text,
        metadata={"sentence_id": s.id, "doc": s.doc, "ordinal": s.ordinal, "start": s.start, "end": s.end,
                  "score": hit.score, "dense": hit.dense, "lexical": hit.lexical},
    )


def from_langchain(document: LCDocument, snapshot: Snapshot) -> Retrieved:
    m: dict[str, Any] = document.metadata
    return Retrieved(snapshot.sentences[snapshot.by_id[m["sentence_id"]]], m["score"], m["dense"], m["lexical"])
