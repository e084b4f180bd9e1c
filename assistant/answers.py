"""The answer a user gets: text with ``[n]`` markers, the citations they point to, and what was
retrieved. Serialised in DESIGN.md's JSON shape."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .retriever import Retrieved
from .sentences import Sentence

__all__ = ["Citation", "Claim", "Answer", "THRESHOLD_FREE_REASONS"]

THRESHOLD_FREE_REASONS = frozenset({"no_answer_kind", "unknown_name", "other_language"})
"""Abstentions that no threshold would turn into answers (see ``Answer.abstain_reason``)."""


@dataclass(frozen=True)
class Citation:
    n: int
    """The number used in the answer's ``[n]`` markers, from 1."""
    sentence: Sentence
    score: float = 0.0
    verified: bool = False
    """True when ``sentence.text`` was re-checked against ``document[start:end]``."""

    def to_json(self) -> dict[str, Any]:
        s = self.sentence
        return {"n": self.n, "doc": s.doc, "sentence_id": s.id, "start": s.start, "end": s.end, "text": s.text,
                "ordinal": s.ordinal, "score": round(self.score, 6), "verified": self.verified}


@dataclass(frozen=True)
class Claim:
    """One sentence of a generated answer and whether its citations support it."""

    text: str
    citations: tuple[int, ...]
    supported: bool
    reason: str

    def to_json(self) -> dict[str, Any]:
        return {"text": self.text, "citations": list(self.citations), "supported": self.supported,
                "reason": self.reason}


@dataclass(frozen=True)
class Answer:
    question: str
    text: str
    abstained: bool
    citations: tuple[Citation, ...]
    retrieved: tuple[Retrieved, ...]
    confidence: float
    """0..1: how well the best evidence covers the question; below the threshold means abstain."""
    query: str = ""
    """What was searched for: the question, or for a follow-up the question with its context."""
    notice: str = ""
    """Something the user should know (e.g. the question was truncated)."""
    abstain_reason: str = ""
    """Why an abstention: "low_confidence" (below the threshold), "no_answer_kind" (the question
    wants a figure or date the closest sentences lack) or "unknown_name" (the documents never use a
    name, year or version number the question does) or "other_language" (the question is in another
    language than the documents). The last three hold whatever the threshold."""
    mode: str = "extractive"
    claims: tuple[Claim, ...] = ()
    latency_ms: float = 0.0
    extra: dict[str, Any] = field(default_factory=dict)

    def to_json(self, id: str | None = None) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if id is not None:
            out["id"] = id
        out.update({
            "question": self.question,
            "answer": self.text,
            "abstained": self.abstained,
            "citations": [c.to_json() for c in self.citations],
            "retrieved": [
                {"doc": r.sentence.doc, "sentence_id": r.sentence.id, "start": r.sentence.start,
                 "end": r.sentence.end, "text": r.sentence.text, "score": round(r.score, 6),
                 "dense": round(r.dense, 6), "lexical": round(r.lexical, 6)}
                for r in self.retrieved
            ],
            "confidence": round(self.confidence, 6),
            "mode": self.mode,
            "latency_ms": round(self.latency_ms, 3),
        })
        if self.abstained and self.abstain_reason:
            out["abstain_reason"] = self.abstain_reason
        if self.claims:
            out["claims"] = [c.to_json() for c in self.claims]
        if self.notice:
            out["notice"] = self.notice
        out.update(self.extra)
        return out
