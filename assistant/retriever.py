"""Hybrid retrieval: dense (MiniLM in Chroma) and lexical (BM25) evidence fused into one ranking.

Dense similarity finds paraphrases; BM25 finds rare names and figures that a small embedding model
blurs. Neither wins everywhere, so a sentence's score adds up evidence that every corpus has:

    score = cosine(question, sentence)                       the sentence says the same thing
            (or, for one that points back, of it read after the one before, less POINTS_BACK;
             for one under a long title and heading, of it read bare, less BARE)
          + LEXICAL  * BM25(sentence) / best BM25             it shares the question's rare words
          + DOC_DENSE * cosine(question, its document)        its document is about the question
          + DOC_LEXICAL * BM25(its document) / best           ... and uses its words
          + KIND * [it holds the kind of answer asked for]    a "when" question wants a date
          + LABEL * [a "Label: value" line, its label the question's, its value the kind asked]
          - ECHO * [a heading-like line of the question's words]  it repeats, it does not answer

Candidates are the union of Chroma's nearest sentences and BM25's best; a lexical-only candidate
gets its dense score from its stored embedding, so no candidate is scored on half the evidence.
A follow-up adds the scores of its context (the turn it refers to) at a lower weight, so "What
about the EU?" stays about the EU while "Anything else?" leans on what came before. It also gets a
small discourse prior: the sentence after the one the last answer rests on gains a little (a text
goes on about one thing for a few sentences), a question that asks for more ("Anything else?",
"What about the EU?") moves away from that sentence, and one about it ("Who said that?") towards it.
A message that says something before it asks ("I've forgotten my password. Where do I go to reset
it?") is searched for whole, and its question once more as its context, without that prior.

The weights were chosen with ``bench/retrieval_grid.py`` on the report and ClapNQ dev sets: the
same weights serve a one-document report and 597 Wikipedia passages.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document as LCDocument
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from .answer_kinds import PATTERNS, WRITTEN_CODE, code_key, code_series, pattern_spans
from .bands import amount_fits, asked_ages, asked_amounts, fits
from .instructions import asks_how_to, gives_instruction
from .lexical import tokenize
from .questions import (
    PERIOD,
    REFERS_BACK,
    SPAN_KINDS,
    YES_OR_NO,
    AnswerType,
    answer_type,
    contraries,
    numbered_item,
    parts,
    preamble,
    says_contrary,
)
from .sections import LABELLED, goes_on, is_list_item, items_after, may_read_after
from .sentences import Sentence
from .settings import Mode
from .snapshot import Snapshot
from .spans import has_answer_kind
from .store import BARE, Store
from .tables import table_layout
from .weekdays import DAY_LINE, asked_days
from .weekdays import fits as day_fits

# "Anything else?", or "What about the EU?" (a new name): the last answer's sentence is not wanted.
# "What about its location?" asks more about the same thing, so it is not one of these.
_ELSE = r"\b(?:else|another|besides|apart from|in addition|any more)\b"
_ASKS_FOR_MORE = re.compile(rf"(?i:{_ELSE})|^\s*(?i:(and\s+)?(what|how) about\s+(the\s+)?)[A-Z]")
# "Anything else?", "What other steps ...?": more of what the last answer gave.
_ASKS_FOR_ELSE = re.compile(rf"{_ELSE}|\bother\b", re.I)
# "Who said that?", "When was this announced?": about the last answer's own statement. Not "What
# does he say it will cost?" nor "Is it reported that ...?": there "it" and "that" open a new clause.
_ASKS_ABOUT_THAT = re.compile(r"\b(?:said|say|says|claimed|claims|announced|stated|wrote|reported)\s+(?:so|that|this|it)\s*(?:[?.!,]|$)|"
                              r"\b(?:was|were|is)\s+(?:that|this|it)\s+(?:said|claimed|announced|stated|written|reported)\b"
                              r"(?!\s+(?:that|to)\b)", re.I)
_ASKED_CODE = re.compile(r"(?<![\w-])[A-Z]{1,3}-?\d{1,4}[A-Za-z]?(?![\w-])")
"""A code a question names, of one digit too ("E4", "X7", "KAF-560"); a quarter ("Q3") is none."""
_FIGURE_SAID = re.compile(r"[£$€¥]\s?\d[\d,.]*\d|[£$€¥]\s?\d|\d[\d,.]*\s?%")
"""A figure an answer said with its currency or percent sign, which BM25 reads as a bare number."""
ECHO_WORDS = 6
"""Lines this short or shorter can be headings (see ``_penalise_echoes``)."""
_STATES = re.compile(r"\b(?:is|are|was|were|has|have|had|can|cannot|will|would|must|may|might|should|could|do|does|"
                     r"did|no|not|never|none|nothing|without|\w+n['’]t)\b", re.I)
"""A verb or a negation: a short line with one, of three words or more and ending as a sentence or a
list's lead-in does, states something ("There is no dishwasher.", "Pets are allowed.", "The policy
does not cover:"), which no heading does ("The Vietnam War.", a contents line "- Who can apply"); a
table's "No" does not."""

# Two-part questions: a part's best sentence is cited for it when it scores at least PART_FLOOR for
# the part, the first sentence does not answer the part (scores under ANSWERED times as much, or
# lacks the kind of answer the part asks for), and it scores at least ``extractive.PART_SHARE`` of
# the first sentence's score overall.
ANSWERED = 0.9
"""A part of a two-part question is answered by the first sentence when it matches the part with at
least this share of the part's best sentence's score (and holds the kind of answer it asks for)."""
PART_FLOOR = 0.3
"""A part's best sentence must score at least this (on the 0..1 scale of ``search``) to be cited for
it: "what's the point?" matches every sentence a little and none well."""

__all__ = ["Mode", "Retrieved", "HybridRetriever", "Weights"]


def _day_fits(snapshot: Snapshot, days: frozenset[int], p: int) -> bool | None:
    """Whether sentence ``p`` is about one of ``days`` (``weekdays.fits``); a line that names no day
    is about the days its section's heading names ("Monday to Friday" above "Departures from
    Portskail: 07:15, ..."). None when neither names a day."""
    fitted = day_fits(days, snapshot.sentences[p].text)
    if fitted is not None:
        return fitted
    heading = int(snapshot.heading_above[p])
    if heading < 0 or not DAY_LINE.match(snapshot.sentences[heading].text):
        return None
    return day_fits(days, snapshot.sentences[heading].text)

@dataclass(frozen=True)
class Weights:
    lexical: float = 0.1
    doc_dense: float = 0.3
    doc_lexical: float = 0.3
    kind: float = 0.05
    context: float = 0.4
    """Weight of a follow-up's context relative to the question itself."""
    other_document: float = 0.5
    """A follow-up's penalty for the sentences of other documents than the one the previous answer
    rests on (a penalty, not a bonus: with one document, nothing changes)."""
    next_sentence: float = 0.1
    """A follow-up's bonus for the sentence after the one the previous answer rests on."""
    echo: float = 1.0
    """Penalty for a heading-like line made only of the question's words ("The Vietnam War."): it
    tells the reader nothing they did not ask."""
    novelty: float = 0.2
    """A follow-up asking for something else ("Anything else?", "What about the EU?"): penalty for
    the sentence the previous answer rests on."""
    said: float = 1.0
    """Finding the sentence the last answer rests on: weight of its BM25 match to the words the answer
    said (0..1), added to its match to the context. The context's embedding leans on the last
    question, which matches sentences that answer other things; the answer quotes its own sentence."""
    holds_more: float = 0.2
    """A follow-up asking for a kind of answer (a date, a figure) that the sentence the last answer
    rests on holds and the answer did not say: bonus for that sentence. A table row or a full
    sentence answers more than one question. (0.1 was too little once "Week 12" became a date: the
    exam's row beat the essay's for "When do I have to hand it in?" after the essay's weight.)"""
    about_that: float = 0.3
    """A follow-up about the last answer's own statement ("Who said that?", "When was this
    announced?"): bonus for the sentence it rests on, which says who made it and when ("..., a customs
    official said on Wednesday"). Such a question has no words of its own to match: without it,
    any sentence with a quote or a name outranks the statement."""
    band: float = 0.1
    """A question that gives an age or a length of time ("after 3 years", "my three-year-old"), or an
    amount of money ("for a balance of £50,000"): bonus for a sentence whose band holds it ("2 to 5
    years' service", or a table's row for "£25,000 to £99,999"), and as much off one whose bands do
    not ("More than 5 years' service", "£100,000 and over"), unless the question asks yes or no. The
    lines of such a list read alike but for the band."""
    day: float = 0.05
    """A question that names a day of the week ("on a Sunday", "on weekdays"): bonus for a sentence
    about that day ("Mondays to Fridays: 05:50"), and as much off one about other days only ("On
    Saturdays ..."), unless the question asks yes or no. A timetable's lines read alike but for the
    days."""
    contrary: float = 0.05
    """A sentence that says the contrary of the question's word and not the word itself ("the last
    bus" for "the first bus", "closes" for "opens"): penalty. A timetable's lines read alike but for
    it."""
    code: float = 0.05
    """A question that names a code ("E4", "route X7", "KAF-560"): bonus for a sentence that writes
    it, and as much off one that writes another of its series and not it ("If E3 appears again").
    An error-code table's rows read alike but for the code."""
    numbered: float = 0.5
    """A question that names a clause, step or rule by its number ("What does clause 4.2 say?", "What is
    step 3?"): bonus for the line that opens with it. Its number says which line is meant; its words
    ("say", "step") match none."""
    label: float = 0.05
    """A line that labels its value ("Broadcast: Tuesday 8 April 2025", "Policy owner: Natasha
    Brightwell"), whose label names what the question asks about and whose value holds the kind of
    answer it asks for: bonus. Fact sheets, forms and headers say in two words what a sentence would
    say in ten, and a short line embeds far from a long question."""
    instruction: float = 0.05
    """A how-to question ("How do I turn off the child lock?"): bonus for a sentence that tells the
    reader to do something ("To turn the child lock off, press and hold ..."), over one that shares
    its words and describes ("If a key symbol is showing, the child lock is on.")."""
    bare: float = 0.05
    """A sentence under a long title and heading scores by the better of its two readings, with and
    without them (``sections.bare_texts``), the bare one at this much less cosine: the lead says what
    the sentence is about, and the bare sentence would match another document's question as well.
    Over the fifteen eval sets, 0.05 kept the citation and false-abstention gains of no penalty and
    lost less hit@1 on the development sets; 0.08 did no better on them."""
    points_back: float = 0.06
    """A sentence that points back ("She was succeeded by ...") is also scored read after the sentence
    before it, at this much less cosine: that sentence's words are not its own, so it wins only when
    its own words add to the match ("Who succeeded Gwen Hartley?"), not for what the one before says."""


@dataclass(frozen=True)
class Retrieved:
    """A ranked sentence with the scores that ranked it."""

    sentence: Sentence
    score: float
    """Fused score used for ranking (higher is better)."""
    dense: float
    """Cosine similarity between the question (or a follow-up's context) and the sentence's embedding."""
    lexical: float
    """BM25 score divided by the best BM25 score for this question (0..1), or for a follow-up's context."""
    part: int = 0
    """For a question asking two things at once: 1, 2, ... when this sentence is the best match for
    that part of it (see ``questions.parts``); else 0."""


@dataclass
class _Query:
    """One query text looked up: its vector, dense hits (position -> cosine), normalised BM25."""

    text: str
    vector: np.ndarray
    dense: dict[int, float]
    """Cosines of Chroma's hits, and of other candidates as they are scored (``_fill_dense``)."""
    lexical: np.ndarray
    top_lexical: set[int]
    top_dense: frozenset[int] = frozenset()
    """Chroma's hits alone: the candidates, however many other rankings have filled in ``dense``."""
    read_after: dict[int, float] = field(default_factory=dict)
    """Cosines of the second embeddings (a sentence that points back, read after the one before it)."""
    bare: dict[int, float] = field(default_factory=dict)
    """Cosines of the bare readings of sentences under a long lead (``sections.bare_texts``)."""
    boosted: dict[int, float] = field(default_factory=dict)
    """A sentence's dense score where its second embedding raised it (``HybridRetriever._read_after``)."""

    def cosine(self, p: int) -> float:
        return self.boosted.get(p, self.dense.get(p, 0.0))


def _cell_named(snapshot: Snapshot, position: int, query: str) -> str:
    """The cell of a table's row (at ``position``) whose column's header shares a word with ``query``
    ("Room" for "Which room is that in?"); "" when there is none, or the row is no table's."""
    sentence = snapshot.sentences[position]
    text = snapshot.texts.get(sentence.doc, "")
    layout = table_layout(text)
    header = layout.header_at(text, sentence.start)
    if not header:
        return ""
    asked = set(tokenize(query))
    row = layout.cells(text, sentence.start, sentence.text)
    return next((cell for name, cell in zip(header, row) if cell and set(tokenize(name)) & asked), "")


def _row_key(snapshot: Snapshot, position: int) -> str:
    """The first cell of a table's row (at ``position``), what the row is for ("£25,000 to £99,999" in
    a savings leaflet's rate tiers); "" for a sentence that is no row. A band of money in prose is
    as often a cap, a price range or a rule ("Claims are paid up to £1,000 per item", "The hall
    costs £300 to £450 a day") as a tier, and the amount a question gives may be for anything."""
    sentence = snapshot.sentences[position]
    text = snapshot.texts.get(sentence.doc, "")
    layout = table_layout(text)
    if not layout.in_table(text, sentence.start):
        return ""
    cells = layout.cells(text, sentence.start, sentence.text)
    return cells[0] if cells else ""


def _normalised(scores: np.ndarray) -> np.ndarray:
    best = float(scores.max()) if len(scores) else 0.0
    return scores / best if best > 0 else np.zeros_like(scores)


class HybridRetriever(BaseRetriever):
    """LangChain retriever over a ``Store``; documents carry the sentence and its scores."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    store: Store
    k: int = 8
    candidates: int = 50
    mode: Mode = "hybrid"
    weights: Weights = Weights()
    context: str = ""
    """For a follow-up: the conversation it refers to (set per call with ``with_context``)."""
    said: str = ""
    """For a follow-up: what the last answer said, to find the sentence it rests on."""

    def with_context(self, context: str, said: str = "") -> HybridRetriever:
        return self.model_copy(update={"context": context, "said": said})

    # -- scoring ----------------------------------------------------------------------------
    def _query(self, snapshot: Snapshot, text: str, vector: np.ndarray | None = None) -> _Query:
        """Embed (unless given its vector) and look up one query text: dense hits from Chroma, BM25
        over every sentence."""
        if vector is None:
            vector = self.store.embeddings.query_encoder.encode([text])[0]
        dense: dict[int, float] = {}
        if self.mode != "lexical":
            for sid, similarity in self.store.dense_search(vector, min(self.candidates, len(snapshot.sentences))):
                dense[snapshot.by_id[sid]] = similarity
        read_after: dict[int, float] = {}
        bare: dict[int, float] = {}
        if self.mode == "hybrid":
            for sid, similarity in self.store.context_search(vector, min(self.candidates, len(snapshot.sentences))):
                if sid.endswith(BARE):
                    bare[snapshot.by_id[sid.removesuffix(BARE)]] = similarity
                else:
                    read_after[snapshot.by_id[sid]] = similarity
        bm25 = snapshot.lexical.scores(text) if self.mode != "dense" else np.zeros(len(snapshot.sentences))
        top_lexical = {int(p) for p in np.argsort(-bm25, kind="stable")[: self.candidates] if bm25[p] > 0}
        return _Query(text, vector, dense, _normalised(bm25), top_lexical,
                      frozenset(dense) | frozenset(read_after) | frozenset(bare), read_after, bare)

    def _score(self, snapshot: Snapshot, q: _Query, positions: list[int]) -> np.ndarray:
        if self.mode == "dense":
            return np.array([q.dense.get(p, 0.0) for p in positions])
        if self.mode == "lexical":
            return q.lexical[positions]
        w = self.weights
        docs = snapshot.doc_of[positions]
        doc_dense = snapshot.doc_vectors @ q.vector
        doc_lexical = _normalised(snapshot.doc_lexical.scores(q.text))
        dense = np.array([q.cosine(p) for p in positions])
        return dense + w.lexical * q.lexical[positions] + w.doc_dense * doc_dense[docs] + w.doc_lexical * doc_lexical[docs]

    def _fill_dense(self, snapshot: Snapshot, queries: list[_Query], positions: list[int]) -> None:
        """Give every candidate a dense score, from its stored embedding when Chroma did not return it;
        a sentence that points back may score as read after the one before it (``_read_after``)."""
        pointing = self._read_after(snapshot, queries, positions)
        after = {p: snapshot.read_after(p) for p in pointing}
        wanted = sorted(set(positions) | set(after.values()))  # the sentences they are read after, too
        missing = sorted({p for q in queries for p in wanted if p not in q.dense})
        stored = self.store.sentence_vectors([snapshot.sentences[p].id for p in missing])
        for q in queries:
            for p in wanted:
                if p not in q.dense:
                    vector = stored.get(snapshot.sentences[p].id)
                    q.dense[p] = float(vector @ q.vector) if vector is not None else 0.0
            for p in pointing:
                # Only when it matches better than the sentence it is read after alone: then its own
                # words add to the match. Otherwise it would only repeat what that sentence says.
                if p in q.read_after and q.read_after[p] > q.dense[after[p]]:
                    q.boosted[p] = max(q.dense[p], q.read_after[p] - self.weights.points_back)
        self._read_bare(snapshot, queries, wanted)

    def _read_bare(self, snapshot: Snapshot, queries: list[_Query], positions: list[int]) -> None:
        """A sentence under a long lead scores by the better of its readings, the bare one less
        ``Weights.bare`` (its cosine from Chroma's hits, or else from the stored vector)."""
        under = [p for p in positions if snapshot.bare[p]]
        unread = sorted({p for q in queries for p in under if p not in q.bare})
        stored = self.store.context_vectors([snapshot.sentences[p].id + BARE for p in unread])
        for q in queries:
            for p in under:
                vector = stored.get(snapshot.sentences[p].id + BARE)
                if p not in q.bare and vector is not None:
                    q.bare[p] = float(vector @ q.vector)
                if p in q.bare and q.bare[p] - self.weights.bare > q.cosine(p):
                    q.boosted[p] = q.bare[p] - self.weights.bare

    def _read_after(self, snapshot: Snapshot, queries: list[_Query], positions: list[int]) -> list[int]:
        """The candidates that point back, or are labelled lines under others, and have a second embedding
        (``sections.context_texts``), with its cosine in each query's
        ``read_after`` (from Chroma's hits, or else from the stored vector)."""
        unread = sorted({p for q in queries for p in positions
                         if p not in q.read_after and may_read_after(snapshot.sentences[p].text)})
        second = self.store.context_vectors([snapshot.sentences[p].id for p in unread])
        pointing = set()
        for q in queries:
            for p in positions:
                vector = second.get(snapshot.sentences[p].id)
                if p not in q.read_after and vector is not None:
                    q.read_after[p] = float(vector @ q.vector)
                if p in q.read_after:
                    pointing.add(p)
        return sorted(pointing)

    def search(self, query: str, context: str = "") -> list[Retrieved]:
        snapshot = self.store.snapshot()
        if not snapshot.sentences:
            return []
        context = context or self.context
        follow_up = bool(context)  # its context is the turn it refers to
        said_first, asking = preamble(query) if self.mode == "hybrid" and not follow_up else ("", query)
        if said_first:
            # "I've forgotten my work password. Where do I go to reset it?": the whole message is
            # searched for, and what it asks once more as its context, so that the question weighs
            # more than what is said around it; what is said may matter ("I only work three days
            # a week. Do I still get the full holiday?").
            context = asking
        if self.mode != "dense":  # an acronym the documents spell out finds its phrase ("CFO")
            query, context = snapshot.expand_acronyms(query), snapshot.expand_acronyms(context)
        looked_up: dict[str, _Query] = {}  # a two-part question looks the whole up more than once
        # What the last answer said, matched once for every ranking below (the whole and each part).
        said = _normalised(snapshot.lexical.scores(self.said)) if self.said and self.mode == "hybrid" else None
        asked = parts(query) if self.mode == "hybrid" else [query]
        whole = f"{query} {context}".strip()  # a part's context
        if len(asked) > 1 or context and self.mode == "hybrid":
            # One pass of the model for all the texts: a batch of a few short texts costs a little
            # less than as many passes.
            texts = [t for t in dict.fromkeys([query, context, *([whole, *asked] if len(asked) > 1 else [])]) if t]
            for text, vector in zip(texts, self.store.embeddings.query_encoder.encode(texts)):
                looked_up[text] = self._query(snapshot, text, vector)
        ranked = self._rank(snapshot, query, context, looked_up, said, follow_up)
        found: list[dict[int, Retrieved]] = []
        if len(asked) > 1:
            # Two questions in one ("Who got the contract, and what was the price?"): each part is
            # searched too, with the whole question (and the conversation) as its context, so that
            # "what was the price" means this contract's price. A sentence ranks by its best match
            # to the whole or to a part: the answer to the second part is seldom the best match
            # for the whole.
            found = [self._rank(snapshot, part, whole, looked_up, said) for part in asked]
            for ranking in found:
                for p, hit in ranking.items():
                    if p not in ranked or hit.score > ranked[p].score:
                        ranked[p] = hit
        # The same sentence in two documents (a file added twice, a page quoting another) is shown
        # once, where it ranks best: a second copy would take the place of other evidence.
        unique: dict[str, int] = {}
        for p in sorted(ranked, key=lambda p: -ranked[p].score):
            unique.setdefault(" ".join(ranked[p].sentence.text.split()), p)
        ranked = {p: ranked[p] for p in unique.values()}
        if found:
            self._mark_parts(snapshot, ranked, asked, found)
        return list(ranked.values())[: self.k]

    @staticmethod
    def _mark_parts(snapshot: Snapshot, ranked: dict[int, Retrieved], asked: list[str],
                    found: list[dict[int, Retrieved]]) -> None:
        """Mark each part's best sentence in the first one's document (``Retrieved.part``), when it
        matches its part well and the first sentence does not answer that part: "What is planned,
        and what's the point?" may be answered by one sentence, and a vague part ("what's the
        point?") matches every sentence a little. ``ranked`` is in rank order."""
        first = next(iter(ranked))
        doc = ranked[first].sentence.doc
        for n, (part, ranking) in enumerate(zip(asked, found), start=1):
            top = next((p for p, hit in ranking.items() if p in ranked and hit.sentence.doc == doc), None)
            if top is None or top == first or ranked[top].part or ranking[top].score < PART_FLOOR:
                continue
            # Scores for a part include the whole question, as its context: the first sentence
            # may score close to the part's best only because of the other part's words. It
            # answers the part only if it also holds the kind of answer the part asks for.
            kind = answer_type(part)
            holds = kind not in SPAN_KINDS or has_answer_kind(
                ranked[first].sentence.text, kind, set(tokenize(part)), snapshot.texts.get(doc, ""), part)
            if first not in ranking or ranking[first].score < ANSWERED * ranking[top].score or not holds:
                ranked[top] = replace(ranked[top], part=n)

    def _rank(self, snapshot: Snapshot, query: str, context: str, looked_up: dict[str, _Query],
              said: np.ndarray | None = None, follow_up: bool = True) -> dict[int, Retrieved]:
        """The best ``k`` sentences for one query (and its context), by position, in rank order;
        ``said`` is the normalised BM25 of what the last answer said, over every sentence.
        ``follow_up``: the context is a turn the answer may go on from (``_add_discourse_prior``),
        not what a message says besides its question."""
        texts = [query, context] if context and self.mode == "hybrid" else [query]
        for text in texts:
            if text not in looked_up:
                looked_up[text] = self._query(snapshot, text)
        queries = [looked_up[text] for text in texts]
        numbered: set[int] = set()
        if self.mode == "lexical":
            pool = set(queries[0].top_lexical)
        elif self.mode == "dense":
            pool = set(queries[0].top_dense)
        else:
            pool = set().union(*(q.top_dense | q.top_lexical for q in queries))
            # "What does clause 4.2 say?": the clause is a candidate, whatever its words.
            numbered = self._numbered(snapshot, query)
            pool |= numbered
        # Headings are context, not answers; one that dates its section answers "When ...?" (a
        # release's "## 4.0.0 — 2025-03-04"), though it says nothing of what happened then.
        kind = answer_type(query)
        positions = sorted(p for p in pool if not snapshot.is_title[p] or kind == "date" and snapshot.dated_heading[p])
        if not positions:
            return {}
        if self.mode == "hybrid":
            self._fill_dense(snapshot, queries, positions)
        anchor = following = None
        if len(queries) > 1:
            in_context = self._score(snapshot, queries[1], positions)
        if len(queries) > 1 and follow_up:
            # A follow-up: its context scored once, for the ranking and to find the sentence the
            # previous turn rests on; the sentence after that one joins the candidates.
            found_in = in_context if said is None else in_context + self.weights.said * said[positions]
            if figures := _FIGURE_SAID.findall(self.said):
                # "£32 per bag.": the sentence that writes "£32", not one that writes "32 kg" (BM25
                # reads both as "32").
                found_in = found_in + self.weights.said * np.array(
                    [any(f in snapshot.sentences[p].text for f in figures) for p in positions], dtype=float)
            anchor, following = self._anchor(snapshot, positions, found_in)
            if following is not None and following not in positions:
                positions.append(following)
                self._fill_dense(snapshot, queries, [following])
                in_context = np.append(in_context, self._score(snapshot, queries[1], [following]))
        total = self._score(snapshot, queries[0], positions)
        if len(queries) > 1:
            total = total + self.weights.context * in_context
        score = dict(zip(positions, total.tolist()))
        if anchor is not None:
            self._add_discourse_prior(snapshot, query, kind, anchor, following, score)
        if anchor is not None and self.context and REFERS_BACK.search(query):
            # A follow-up that points back is about the document the last answer came from: "When do
            # I have to hand it in?" after the essay's weight is the handbook's deadline, not a card
            # game's "hand". One that names its own topic ("And how much is a bus fare?") may move on.
            same = snapshot.doc_of[anchor]
            for p in score:
                if snapshot.doc_of[p] != same:
                    score[p] -= self.weights.other_document
        if self.mode == "hybrid":
            self._add_kind_bonus(snapshot, query, kind, score)
            # "Can my 14-year-old use the sauna?" is answered by the band that leaves them out
            # ("over-16s only"), and "Is there a ceilidh on Sunday?" by the Saturday one: a yes-or-no
            # question takes no penalty for a band or a day.
            yes_or_no = bool(YES_OR_NO.match(query))
            if ages := asked_ages(query):
                self._reward_fits(snapshot, score, lambda p: fits(ages, snapshot.sentences[p].text), self.weights.band,
                                  yes_or_no)
            if amounts := asked_amounts(query):
                self._reward_fits(snapshot, score, lambda p: amount_fits(amounts, _row_key(snapshot, p)),
                                  self.weights.band, yes_or_no)
            self._add_label_bonus(snapshot, query, kind, score)
            if days := asked_days(query):
                self._reward_fits(snapshot, score, lambda p: _day_fits(snapshot, days, p), self.weights.day, yes_or_no)
            self._penalise_contraries(snapshot, query, score)
            self._add_code_bonus(snapshot, query, score)
            for p in numbered:
                if p in score:
                    score[p] += self.weights.numbered
            if asks_how_to(query):  # an instruction gains; a description loses nothing
                self._reward_fits(snapshot, score, lambda p: gives_instruction(snapshot.sentences[p].text) or None,
                                  self.weights.instruction, yes_or_no)
            self._penalise_echoes(snapshot, query, score)
            # On a 0..1 scale (the most every signal can add), so that scores mean the same for every
            # question and corpus and can serve as the answer's confidence.
            w = self.weights
            best = (1.0 + w.lexical + w.doc_dense + w.doc_lexical + w.kind) * (1.0 + w.context * (len(queries) - 1))
            score = {p: v / best for p, v in score.items()}
        ranked = sorted(score, key=lambda p: -score[p])[: self.k]
        # A follow-up's sentence is judged against the question or the turn it continues, whichever
        # it matches better ("Who said that?" shares nothing with the sentence that answers it).
        return {p: Retrieved(snapshot.sentences[p], float(score[p]), max(q.cosine(p) for q in queries),
                             max(float(q.lexical[p]) for q in queries))
                for p in ranked}

    @staticmethod
    def _anchor(snapshot: Snapshot, positions: list[int], in_context: np.ndarray) -> tuple[int, int | None]:
        """The sentence the previous turn rests on (what its context, and the words its answer said,
        match best), and the one after it in the same document (None at the document's end)."""
        anchor = positions[int(np.argmax(in_context))]
        following = anchor + 1
        _, last = snapshot.doc_ranges[snapshot.sentences[anchor].doc]
        if following >= last or snapshot.is_title[following]:
            return anchor, None
        return anchor, following

    @staticmethod
    def _items_under(snapshot: Snapshot, anchor: int) -> list[int]:
        """The positions of the list items on the lines right under ``anchor`` (no blank line between),
        when it is no item itself: an item's next items are its siblings, about other things."""
        if is_list_item(snapshot.sentences[anchor].text):
            return []
        first, last = snapshot.doc_ranges[snapshot.sentences[anchor].doc]
        items = items_after(snapshot.sentences[anchor], snapshot.sentences[first:last],
                            snapshot.texts.get(snapshot.sentences[anchor].doc, ""), blank_lines=0)
        return [first + s.ordinal for item in items for s in item]

    def _add_discourse_prior(self, snapshot: Snapshot, query: str, kind: AnswerType, anchor: int,
                             following: int | None, score: dict[int, float]) -> None:
        """A follow-up's answer is often where the last one was, or just after it (a text goes on
        about one thing for a few sentences); "Anything else?" and "What about the EU?" ask for news,
        "Who said that?" about the last answer's own sentence.
        "Anything else?" is answered first by a next sentence that says it goes on ("They will also
        ..."): it counts twice then."""
        if following is not None:
            score[following] += self.weights.next_sentence
            if _ASKS_FOR_ELSE.search(query) and goes_on(snapshot.sentences[following].text):
                score[following] += self.weights.next_sentence
            # The list right under the last answer's line is about what that line named: after
            # "**Essential plan**: £16.50 a month", "How many hygienist visits does it include?" is
            # its "- 2 hygienist visits" and not the next plan's "- 4 hygienist visits". Only for a
            # follow-up that points back: "And how many come with the Family plan?" names its own.
            # (The first item is ``following``, which has its bonus already.)
            if REFERS_BACK.search(query):
                for p in self._items_under(snapshot, anchor)[1:]:
                    if p in score:
                        score[p] += self.weights.next_sentence
        if _ASKS_FOR_MORE.search(query):
            score[anchor] -= self.weights.novelty
        elif self.said and _ASKS_ABOUT_THAT.search(query):
            score[anchor] += self.weights.about_that
        elif asked_ages(query):
            pass  # "And if I've only been here a year?": another band's row, not the last answer's
        elif self.said and kind in PATTERNS and has_answer_kind(
                (text := snapshot.sentences[anchor].text), kind, set(tokenize(query)),
                snapshot.texts.get(snapshot.sentences[anchor].doc, ""), query) and not _said_in(self.said, text, kind):
            # "When do I have to hand it in?" after "50% of the module mark; it's 3,000 words": the
            # row that gave the weight gives the deadline too. Only for what the last answer did
            # not already say; names are left out, a sentence names several people.
            score[anchor] += self.weights.holds_more
        elif self.said and (cell := _cell_named(snapshot, anchor, query)) and cell.lower() not in self.said.lower():
            # "Which room is that in?" after a talk's title read from its agenda row: the row's
            # "Room" cell answers it.
            score[anchor] += self.weights.holds_more

    def _penalise_echoes(self, snapshot: Snapshot, query: str, score: dict[int, float]) -> None:
        """A heading-like line (a few words, no figure, no verb) made only of the question's words says
        nothing new. A full sentence may repeat the question and still answer it ("Did courts conclude
        320,000 cases?", "Does the kitchen have a dishwasher?": "There is no dishwasher."), so only
        short lines that state nothing are penalised."""
        asked = set(tokenize(query))
        for p in score:
            text = snapshot.sentences[p].text
            words = text.split()
            states = len(words) >= 3 and _STATES.search(text) and text.rstrip().endswith((".", "!", ":"))
            if len(words) <= ECHO_WORDS and not any(c.isdigit() for c in text) and not states and set(tokenize(text)) <= asked:
                score[p] -= self.weights.echo

    def _leading(self, score: dict[int, float]) -> list[int]:
        """The best-scored candidates, those a bonus or penalty can still reorder."""
        return sorted(score, key=lambda p: -score[p])[: max(self.k * 2, 10)]

    def _reward_fits(self, snapshot: Snapshot, score: dict[int, float], fit: Callable[[int], bool | None],
                     weight: float, yes_or_no: bool) -> None:
        """A sentence that ``fit`` says holds what the question gives (its age or time, ``bands.fits``;
        its day of the week, ``weekdays.fits``) gains ``weight``; one that gives others and not it
        loses as much, unless the question asks yes or no. Lines of a list read alike but for that."""
        penalty = 0.0 if yes_or_no else weight
        for p in self._leading(score):
            fitted = fit(p)
            if fitted is not None:
                score[p] += weight if fitted else -penalty

    @staticmethod
    def _numbered(snapshot: Snapshot, query: str) -> set[int]:
        """The sentences that are the clause, step or rule the question names by its number
        (``questions.numbered_item``): "4.2 The tenant must ...", "3. Fill the jug ..."."""
        opens = numbered_item(query)
        if opens is None:
            return set()
        return {p for p, sentence in enumerate(snapshot.sentences) if opens.match(sentence.text)}

    def _add_code_bonus(self, snapshot: Snapshot, query: str, score: dict[int, float]) -> None:
        """A sentence that writes the code the question names gains; one that writes only others of
        its series ("E3" for "E4") loses."""
        asked = {code_key(m.group()) for m in _ASKED_CODE.finditer(query) if not PERIOD.fullmatch(m.group())}
        if not asked:
            return
        series = {code_series(key) for key in asked}
        for p in self._leading(score):
            written = {code_key(m.group()) for m in WRITTEN_CODE.finditer(snapshot.sentences[p].text)}
            if written & asked:
                score[p] += self.weights.code
            elif any(code_series(key) in series for key in written):
                score[p] -= self.weights.code

    def _penalise_contraries(self, snapshot: Snapshot, query: str, score: dict[int, float]) -> None:
        """A sentence with the contrary of the question's word ("last" for "first") and not the word
        loses (``questions.contraries``)."""
        asked = contraries(query)
        if not asked:
            return
        for p in self._leading(score):
            if says_contrary(asked, snapshot.sentences[p].text):
                score[p] -= self.weights.contrary

    def _add_label_bonus(self, snapshot: Snapshot, query: str, kind: AnswerType, score: dict[int, float]) -> None:
        """A labelled line whose label shares at least half its words with the question and whose
        value holds the kind of answer asked for gains (``Weights.label``)."""
        if kind == "other":
            return
        stems = set(tokenize(query))
        for p in self._leading(score):
            s = snapshot.sentences[p]
            labelled = LABELLED.match(s.text)
            if labelled is None:
                continue
            named = set(tokenize(labelled.group("label")))
            if not named or 2 * len(named & stems) < len(named):
                continue
            if has_answer_kind(s.text[labelled.end("label"):], kind, stems, snapshot.texts.get(s.doc, ""), query):
                score[p] += self.weights.label

    def _add_kind_bonus(self, snapshot: Snapshot, query: str, kind: AnswerType, score: dict[int, float]) -> None:
        """A question asking for a date, number or name prefers sentences that hold one."""
        if kind == "other":
            return
        stems = set(tokenize(query))
        best = self._leading(score)
        for p in best:
            s = snapshot.sentences[p]
            if has_answer_kind(s.text, kind, stems, snapshot.texts.get(s.doc, ""), query):
                score[p] += self.weights.kind

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[LCDocument]:
        return [to_langchain(hit) for hit in self.search(query)]


def _said_in(said: str, text: str, kind: AnswerType) -> bool:
    """Whether every answer of ``kind`` in ``text`` is one the last answer already said."""
    spans = pattern_spans(text, kind)
    return bool(spans) and all(text[a:b].lower() in said.lower() for a, b in spans)


def to_langchain(hit: Retrieved) -> LCDocument:
    s = hit.sentence
    return LCDocument(
        id=s.id, page_content=s.text,
        metadata={"sentence_id": s.id, "doc": s.doc, "ordinal": s.ordinal, "start": s.start, "end": s.end,
                  "score": hit.score, "dense": hit.dense, "lexical": hit.lexical, "part": hit.part},
    )


def from_langchain(document: LCDocument, snapshot: Snapshot) -> Retrieved:
    m: dict[str, Any] = document.metadata
    return Retrieved(snapshot.sentences[snapshot.by_id[m["sentence_id"]]], m["score"], m["dense"], m["lexical"],
                     m.get("part", 0))
