"""Answers without an LLM: choose the source sentences, lead with the short answer, or abstain.

Confidence is *coverage*: how much of what the question is about (its content terms, weighted by
how rare they are in the corpus) is present in the chosen sentences, either literally (same stem)
or as a close synonym (word embeddings from the same MiniLM model), blended with the dense
similarity of the best sentence. A near miss ("How many patents did China *grant*?" against a
report that only counts patent *infringement cases*) covers everything but its key term and is
refused, naming that term; a paraphrase ("How many people were *detained*?" for "suspects ...
were *arrested*") still matches through the synonym.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

import numpy as np

from .answers import Answer, Citation
from .encoder import NumpyMiniLM
from .lexical import STOPWORDS, LexicalIndex, tokenize
from .questions import AnswerType, Condensed, answer_type
from .retriever import Retrieved
from .sentences import Sentence
from .store import Snapshot

__all__ = ["Evidence", "ExtractiveAnswerer", "find_span"]

_WORD = re.compile(r"[^\W_]+(?:['’][^\W\d_]+)?", re.UNICODE)

# Synonym similarity between two single words: below LOW is no match, above HIGH a full one.
SYNONYM_LOW, SYNONYM_HIGH = 0.45, 0.80
COVERAGE_WEIGHT = 0.7  # confidence = COVERAGE_WEIGHT * coverage + (1 - COVERAGE_WEIGHT) * dense similarity


@dataclass(frozen=True)
class Evidence:
    """How well a set of sentences covers a question."""

    coverage: float
    missing: str
    """The question's most important word not found in the sentences ("" when all are)."""


class _WordVectors:
    """Embeddings of single words, cached: comparing words is how synonyms are recognised."""

    def __init__(self, encoder: NumpyMiniLM, limit: int = 20000) -> None:
        self.encoder = encoder
        self.limit = limit
        self.cache: dict[str, np.ndarray] = {}

    def get(self, words: Sequence[str]) -> np.ndarray:
        todo = [w for w in dict.fromkeys(words) if w not in self.cache]
        if todo:
            if len(self.cache) > self.limit:
                self.cache.clear()
            for w, v in zip(todo, self.encoder.encode(todo)):
                self.cache[w] = v
        return np.stack([self.cache[w] for w in words]) if words else np.zeros((0, 384), np.float32)


def _surface_terms(text: str) -> list[tuple[str, str]]:
    """(stem, word as written) for each distinct content word of ``text``."""
    out: dict[str, str] = {}
    for match in _WORD.finditer(text):
        word = match.group()
        toks = tokenize(word)
        if toks and toks[0] not in out:
            out[toks[0]] = word
    return list(out.items())


class ExtractiveAnswerer:
    def __init__(self, encoder: NumpyMiniLM, threshold: float, max_sentences: int = 2) -> None:
        self.threshold = threshold
        self.max_sentences = max_sentences
        self.words = _WordVectors(encoder)

    # -- evidence ---------------------------------------------------------------------------
    def coverage(self, question: str, sentences: Sequence[Sentence], snapshot: Snapshot) -> Evidence:
        terms = _surface_terms(question)
        if not terms:
            return Evidence(1.0, "")
        lexical: LexicalIndex = snapshot.lexical
        titles = " ".join(snapshot.titles.get(s.doc, "") for s in sentences)
        evidence_text = " ".join(s.text for s in sentences) + " " + titles
        present = set(tokenize(evidence_text))
        weights = np.array([lexical.idf(t) for t, _ in terms])
        matched = np.array([1.0 if t in present else 0.0 for t, _ in terms])
        unmatched = [i for i, m in enumerate(matched) if m == 0]
        if unmatched:
            candidates = [w for w in dict.fromkeys(m.group() for m in _WORD.finditer(evidence_text))
                          if w.lower() not in STOPWORDS]
            if candidates:
                q = self.words.get([terms[i][1].lower() for i in unmatched])
                c = self.words.get([w.lower() for w in candidates])
                best = (q @ c.T).max(axis=1)
                matched[unmatched] = np.clip((best - SYNONYM_LOW) / (SYNONYM_HIGH - SYNONYM_LOW), 0.0, 1.0)
        coverage = float((weights * matched).sum() / weights.sum())
        gaps = weights * (1.0 - matched)
        missing = terms[int(gaps.argmax())][1] if gaps.max() > 0 and matched[int(gaps.argmax())] < 0.5 else ""
        return Evidence(coverage, missing)

    def choose(self, question: str, hits: Sequence[Retrieved], snapshot: Snapshot) -> tuple[list[Retrieved], Evidence]:
        """The top sentence, plus the next ones that cover what it leaves out."""
        chosen = [hits[0]]
        evidence = self.coverage(question, [hits[0].sentence], snapshot)
        for hit in hits[1:4]:
            if len(chosen) >= self.max_sentences or evidence.coverage >= 0.999:
                break
            if hit.score < 0.6 * hits[0].score:
                break
            trial = self.coverage(question, [h.sentence for h in chosen] + [hit.sentence], snapshot)
            if trial.coverage - evidence.coverage >= 0.15:
                chosen.append(hit)
                evidence = trial
        chosen.sort(key=lambda h: (h.sentence.doc, h.sentence.ordinal))
        return chosen, evidence

    # -- answering --------------------------------------------------------------------------
    def answer(self, condensed: Condensed, hits: Sequence[Retrieved], snapshot: Snapshot) -> Answer:
        question = condensed.question
        if not hits:
            return self._abstain(condensed, hits, 0.0, "", snapshot)
        # A follow-up's own words may be all pronouns ("Who said that?"): judge it with its context.
        judged = question if len(_surface_terms(question)) >= 2 or not condensed.follow_up else condensed.query
        chosen, evidence = self.choose(judged, hits, snapshot)
        confidence = COVERAGE_WEIGHT * evidence.coverage + (1 - COVERAGE_WEIGHT) * max(h.dense for h in chosen)
        if confidence < self.threshold:
            return self._abstain(condensed, hits, confidence, evidence.missing, snapshot)
        citations = tuple(Citation(n, h.sentence, h.score, verified=_recheck(h.sentence, snapshot))
                          for n, h in enumerate(chosen, start=1))
        body = " ".join(_with_marker(c.sentence.text, c.n) for c in citations)
        span = find_span(question, [c.sentence for c in citations], answer_type(question), snapshot.texts)
        text = body
        if span is not None:
            n, words = span
            text = f"{words[0].upper()}{words[1:]} [{n}].\n\n{body}"
        return Answer(question, text, False, citations, tuple(hits), confidence, query=condensed.query)

    def _abstain(self, condensed: Condensed, hits: Sequence[Retrieved], confidence: float, missing: str,
                 snapshot: Snapshot) -> Answer:
        what = "the report does" if len(snapshot.manifest.documents) == 1 else "the documents do"
        text = f"Not covered: {what} not answer this question."
        if missing:
            text = f'Not covered: {what} not answer this question (nothing in them is about "{missing}").'
        return Answer(condensed.question, text, True, (), tuple(hits), confidence, query=condensed.query)


def _recheck(sentence: Sentence, snapshot: Snapshot) -> bool:
    text = snapshot.texts.get(sentence.doc)
    return text is not None and text[sentence.start:sentence.end] == sentence.text


def _with_marker(text: str, n: int) -> str:
    """Put ``[n]`` before a sentence's final punctuation: "... last year [1]."."""
    match = re.search(r"([.!?]+[\"'”’)]*)$", text)
    if match:
        return f"{text[:match.start()]} [{n}]{match.group()}"
    return f"{text} [{n}]"


# -- short answers ----------------------------------------------------------------------------
_QUALIFIER = r"(?:(?:nearly|almost|about|around|approximately|roughly|over|more than|less than|fewer than|up to|at least|some|just over|just under)\s+)?"
_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_SCALE = r"(?:\s*(?:hundred|thousand|million|billion|trillion))?"
_CURRENCY_WORD = r"(?:yuan|dollars?|euros?|pounds?|yen|rupees?|renminbi|RMB|USD)"
_PATTERNS: dict[str, re.Pattern[str]] = {
    "percent": re.compile(rf"\b{_QUALIFIER}(?:{_NUMBER})\s*(?:%|percent\b|per cent\b|percentage points?\b)", re.I),
    "money": re.compile(
        rf"(?:\b{_QUALIFIER}[$€£¥]\s?(?:{_NUMBER}){_SCALE}\b|\b{_QUALIFIER}(?:{_NUMBER}){_SCALE}\s+{_CURRENCY_WORD}\b)"
        rf"(?:\s*\([^)]*\))?", re.I),
    "number": re.compile(rf"\b{_QUALIFIER}(?<![\d.,])(?:{_NUMBER}){_SCALE}(?![\d.,]*\s*(?:%|percent))", re.I),
    "date": re.compile(
        r"\b(?:on\s+)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b|"
        r"\b(?:January|February|March|April|May|June|July|August|September|October|November|December)"
        r"(?:\s+\d{1,2})?(?:,?\s+\d{4})?\b|\b(?:in\s+)?(?:1[5-9]|20)\d{2}s?\b|\blast (?:year|month|week)\b|\byesterday\b"),
}
_NAME = re.compile(r"\b[A-Z][\w'’.&-]*(?:\s+(?:of|the|for|and|de|on|du|van|von)?\s*[A-Z][\w'’.&-]*)*")


def _names(text: str, proper: frozenset[str]) -> list[tuple[int, int]]:
    spans = []
    for m in _NAME.finditer(text):
        words = m.group().split()
        start = m.start()
        # A capitalised sentence opener ("Courts", "Last") is a name only if the document also
        # capitalises it mid-sentence.
        at_opening = start == 0 or text[:start].rstrip().endswith((".", "!", "?", ":", '"', "\u201c"))
        if at_opening and words and words[0] not in proper:
            start += len(words[0]) + 1
            words = words[1:]
            while words and words[0].lower() in {"of", "the", "for", "and", "de", "on", "du", "van", "von"}:
                start += len(words[0]) + 1
                words = words[1:]
        if words:
            spans.append((start, start + len(" ".join(words))))
    return spans


@lru_cache(maxsize=64)
def proper_words(document_text: str) -> frozenset[str]:
    """Words the document capitalises where a sentence does not start: names, not openers."""
    return frozenset(m.group(1) for m in re.finditer(r"(?<=[\w,;] )([A-Z][\w'’.&-]*)", document_text))


def find_span(question: str, sentences: Sequence[Sentence], kind: AnswerType,
              texts: dict[str, str] | None = None) -> tuple[int, str] | None:
    """The short answer of the wanted kind in the cited sentences, nearest to the question's words.

    Returns ``(citation number, span text)``; None when the question wants a sentence, not a span,
    or no candidate of that kind is present.
    """
    if kind == "other":
        return None
    question_stems = set(tokenize(question))
    best: tuple[float, int, str] | None = None
    for n, sentence in enumerate(sentences, start=1):
        text = sentence.text
        if kind in _PATTERNS:
            spans = [(m.start(), m.end()) for m in _PATTERNS[kind].finditer(text)]
            if kind == "number" and not spans:
                spans = [(m.start(), m.end()) for m in _PATTERNS["percent"].finditer(text)]
        else:
            spans = _names(text, proper_words((texts or {}).get(sentence.doc, text)))
        anchors = [m.start() for m in _WORD.finditer(text) if tokenize(m.group()) and tokenize(m.group())[0] in question_stems]
        for start, end in spans:
            words = text[start:end].strip(" ,;")
            if not words or set(tokenize(words)) and set(tokenize(words)) <= question_stems:
                continue  # the question already says it
            if kind == "person":
                words = _with_apposition(text, start, end)
            distance = min((abs(a - start) for a in anchors), default=len(text))
            score = distance - (5 if kind == "number" and "," in words else 0)
            if best is None or score < best[0]:
                best = (score, n, words)
    return (best[1], best[2]) if best else None


def _with_apposition(text: str, start: int, end: int) -> str:
    """"Jin Hai, deputy director for general affairs at ..." reads better than "Jin Hai"."""
    match = re.match(r",\s+((?:[a-z-]+\s+){0,3}(?:director|minister|official|spokes\w+|head|chief|president|"
                     r"chairman|secretary|vice-minister|deputy|professor|ceo)[^,.;]*)", text[end:])
    return text[start:end] + (", " + match.group(1) if match else "")

