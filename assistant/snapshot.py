"""What one manifest revision holds, in memory: sentences in order, document texts, BM25.

The store (``store.py``) builds a ``Snapshot`` when the manifest changes; retrieval and answering read
only it, so one question sees one consistent index.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from .acronyms import Acronyms, expand, spelled_out
from .answer_kinds import DAY_DATE, WRITTEN_CODE, code_key, code_series, numbered_in
from .lexical import LexicalIndex, relative_key, term_ids, tokenize, uses_relative
from .manifest import Manifest
from .sections import block_leads, block_starts, document_title, reads_bare, section_headings
from .sentences import Sentence
from .weekdays import days_named

__all__ = ["Snapshot"]

_CODE_AS_WRITTEN = re.compile(r"(?<![\w-])[A-Z][A-Za-z]{0,5}-?\d+[A-Za-z]?(?![\w-])")
"""A code written as one ("T4", "B1", "KAF-550"): ``answer_kinds.WRITTEN_CODE`` without its space and
with its capital, for a short code's series (``Snapshot.other_code``)."""


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
    lexical: LexicalIndex
    """BM25 over the sentences (each with its document's title and its section's heading)."""
    doc_names: list[str]
    """Document names in the order of ``doc_vectors`` rows and ``doc_lexical`` entries."""
    doc_vectors: np.ndarray
    doc_lexical: LexicalIndex
    """BM25 over whole documents."""
    doc_of: np.ndarray
    """For each sentence position, the row of its document in ``doc_names``."""
    is_title: np.ndarray
    """True for sentences that are their document's title line or a heading (``is_heading``): context
    for the others, never an answer."""
    vocabulary: dict[str, int]
    """Term -> id for both BM25 indexes; a later snapshot extends a copy, so ids stay valid."""
    terms: np.ndarray
    """The term ids of every sentence, one after another: what a reload reuses instead of tokenizing."""
    term_offsets: np.ndarray
    """Sentence ``i``'s term ids are ``terms[term_offsets[i]:term_offsets[i + 1]]``."""
    dated_heading: np.ndarray
    """True for a heading that dates its section ("## 4.0.0 — 2025-03-04"): it says when, so it may
    answer a question asking when, and leads its section's sentences all the same."""
    bare: np.ndarray
    """True for a sentence under a long lead, embedded bare too (``sections.bare_texts``)."""
    heading_above: np.ndarray
    """For each sentence, the position of the nearest title or heading line above it in its document
    (-1 if none): a timetable line is about the days its heading names."""
    _relatives: dict[str, frozenset[str]] = field(default_factory=dict, repr=False)
    """Document name -> the ``relative_key``s of its words, filled by ``mentions`` as asked."""
    _blocks: dict[str, tuple[list[int | None], list[int | None]]] = field(default_factory=dict, repr=False)
    """Document name -> ``sections.block_starts`` and ``sections.block_leads`` of its sentences, filled
    as asked (``read_after``, ``block_start``)."""

    @classmethod
    def build(cls, manifest: Manifest, sentences: list[Sentence], texts: dict[str, str],
              doc_vectors: dict[str, np.ndarray] | None = None, base: Snapshot | None = None) -> Snapshot:
        """The snapshot of ``manifest``; sentences that ``base`` holds too keep its term ids."""
        order = {name: i for i, name in enumerate(sorted(manifest.documents))}
        sentences = sorted(sentences, key=lambda s: (order[s.doc], s.ordinal))
        by_id = {s.id: i for i, s in enumerate(sentences)}
        ranges: dict[str, tuple[int, int]] = {}
        for i, s in enumerate(sentences):
            first, _ = ranges.get(s.doc, (i, i))
            ranges[s.doc] = (first, i + 1)
        titles = {name: document_title(texts[name], sentences[a:b]) for name, (a, b) in ranges.items()}
        doc_names = sorted(ranges)
        row = {name: i for i, name in enumerate(doc_names)}
        vectors = np.zeros((len(doc_names), 384), dtype=np.float32)
        for name, vector in (doc_vectors or {}).items():
            if name in row:
                vectors[row[name]] = vector
        doc_of = np.array([row[s.doc] for s in sentences], dtype=np.int64)
        headings = [h for name in doc_names
                    for h in section_headings(texts[name], sentences[ranges[name][0]:ranges[name][1]], titles[name])]
        is_title = np.array([bool(titles[s.doc]) and s.ordinal == 0 or h is None for s, h in zip(sentences, headings)],
                            dtype=bool)
        bare = np.array([reads_bare(titles[s.doc], h, s) for s, h in zip(sentences, headings)], dtype=bool)
        latest = np.maximum.accumulate(np.where(is_title, np.arange(len(sentences)), -1))
        heading_above = np.concatenate([[-1], latest[:-1]])[: len(sentences)].astype(np.int64)
        first_of_doc = np.array([ranges[name][0] for name in doc_names], dtype=np.int64)[doc_of]
        heading_above[heading_above < first_of_doc] = -1  # another document's
        # A heading that holds a day's date dates its section (a release's, a meeting's, a diary day's).
        dated_heading = np.array([h is None and not (titles[s.doc] and s.ordinal == 0) and bool(DAY_DATE.search(s.text))
                                  for s, h in zip(sentences, headings)], dtype=bool)

        # Terms, flat, with each sentence's slice in ``term_offsets``. A document whose content the
        # base snapshot holds too keeps its term ids (the base's vocabulary is extended, never
        # renumbered); only the other documents are tokenized.
        vocabulary = dict(base.vocabulary) if base is not None else {}
        pieces: list[np.ndarray] = []
        counts: list[np.ndarray] = []
        for name in doc_names:
            a, b = ranges[name]
            if base is not None and base.holds(name, manifest.documents[name].sha256, b - a):
                first, last = base.doc_ranges[name]
                pieces.append(base.terms[base.term_offsets[first]:base.term_offsets[last]])
                counts.append(np.diff(base.term_offsets[first:last + 1]))
            else:
                fresh = [term_ids(tokenize(s.text), vocabulary) for s in sentences[a:b]]
                pieces.extend(fresh)
                counts.append(np.array([len(x) for x in fresh], dtype=np.int64))
        terms = np.concatenate(pieces) if pieces else np.zeros(0, dtype=np.int32)
        lengths = np.concatenate(counts) if counts else np.zeros(0, dtype=np.int64)
        offsets = np.concatenate([[0], np.cumsum(lengths)])
        rows = np.repeat(np.arange(len(sentences)), lengths)
        # A sentence's BM25 entry is its document's title, its section's heading and itself (as in
        # embedding_texts); a document's entry is its sentences' terms.
        title_ids = {name: term_ids(tokenize(title), vocabulary) for name, title in titles.items() if title}
        heading_ids = {h: term_ids(tokenize(h), vocabulary) for h in set(headings) if h}
        empty = np.zeros(0, dtype=np.int32)
        lead_ids = [np.concatenate([title_ids[s.doc] if titles[s.doc] and titles[s.doc] != s.text else empty,
                                    heading_ids[h] if h else empty]) for s, h in zip(sentences, headings)]
        led = [i for i, ids in enumerate(lead_ids) if len(ids)]
        led_ids = [lead_ids[i] for i in led]
        led_rows = np.repeat(np.array(led, dtype=np.int64), [len(a) for a in led_ids])
        led_flat = np.concatenate(led_ids) if led_ids else np.zeros(0, dtype=np.int32)
        lexical = LexicalIndex(np.concatenate([rows, led_rows]), np.concatenate([terms, led_flat]),
                               len(sentences), vocabulary)
        doc_lexical = LexicalIndex(doc_of[rows], terms, len(doc_names), vocabulary)
        return cls(manifest, sentences, texts, titles, by_id, ranges, lexical, doc_names, vectors, doc_lexical,
                   doc_of, is_title, vocabulary, terms, offsets, dated_heading, bare, heading_above)

    def mentions(self, doc: str, word: str) -> bool:
        """Whether document ``doc`` uses ``word`` or a relative of it (``LexicalIndex.knows``, for one document)."""
        keys = self._relatives.get(doc)
        if keys is None:
            keys = self._relatives[doc] = frozenset(relative_key(t) for t in tokenize(self.texts.get(doc, ""),
                                                                                     keep_stopwords=True))
        return uses_relative(word, keys)

    def _blocks_of(self, doc: str) -> tuple[list[int | None], list[int | None]]:
        blocks = self._blocks.get(doc)
        if blocks is None:
            first, last = self.doc_ranges[doc]
            starts = block_starts(self.texts.get(doc, ""), self.sentences[first:last])
            blocks = self._blocks[doc] = (starts, block_leads(starts))
        return blocks

    def read_after(self, p: int) -> int:
        """The position of the sentence that sentence ``p``'s second reading reads it after, as
        ``sections.context_texts`` chose it: a labelled line's block's first line, else the one before."""
        first, _ = self.doc_ranges[self.sentences[p].doc]
        lead = self._blocks_of(self.sentences[p].doc)[1][p - first]
        return p - 1 if lead is None else first + lead

    def block_start(self, p: int) -> int | None:
        """The position of the first line of the block of labelled lines sentence ``p`` stands under,
        however long the block (``sections.block_starts``); None when it stands under none."""
        first, _ = self.doc_ranges[self.sentences[p].doc]
        start = self._blocks_of(self.sentences[p].doc)[0][p - first]
        return None if start is None else first + start

    @cached_property
    def codes(self) -> tuple[str, ...]:
        """The model, route and part numbers the documents use ("KAF-550D" as "kaf550d"), sorted, to
        tell a question about another model ("KAF-560") from one about these."""
        return tuple(sorted({code_key(m.group()) for text in self.texts.values() for m in WRITTEN_CODE.finditer(text)}
                            # "Years 5 and 6" writes Year 6 too
                            | {code_key(f"{series} {n}") for text in self.texts.values() for series, n in numbered_in(text)}))

    def other_code(self, code: str) -> bool:
        """Whether ``code`` ("KAF-560") is another of a series the documents number ("KAF-550",
        "KAF-550D"): they use its letters with other digits, and never it (or a longer code that
        starts with it). "COVID-19" is none, in a text that only says "COVID"."""
        key = code_key(code)
        letters = code_series(key)
        i = bisect.bisect_left(self.codes, key)
        if i < len(self.codes) and self.codes[i].startswith(key):
            return False
        # A short code's series is only what is written as codes: "a 24 hour period" numbers no A series.
        series = self.written_codes if re.fullmatch(r"[a-z]{1,2}\d", key) else self.codes
        j = bisect.bisect_left(series, letters)
        return j < len(series) and re.match(rf"{letters}\d", series[j]) is not None

    @cached_property
    def written_codes(self) -> tuple[str, ...]:
        """The codes the documents write as codes, a capital first and no space ("T4", "B1"), as
        ``codes`` keys them."""
        return tuple(sorted({code_key(m.group()) for text in self.texts.values() for m in _CODE_AS_WRITTEN.finditer(text)}))

    @cached_property
    def days_written(self) -> frozenset[int]:
        """The days of the week the documents name (0 is Monday), short and in runs too: a timetable
        headed "Mon–Thu | Fri" names Tuesday and Friday, though it never writes them."""
        return frozenset().union(*(days_named(text) for text in self.texts.values()))

    @cached_property
    def acronyms(self) -> Acronyms:
        """What initials stand for in these documents, and the acronyms they use (``acronyms.py``)."""
        return spelled_out(self.texts.values())

    def expand_acronyms(self, question: str) -> str:
        """The question with what its acronyms stand for here, when the documents spell them out."""
        return expand(question, self.acronyms)

    def holds(self, name: str, sha256: str, sentences: int) -> bool:
        """Whether this snapshot has document ``name`` with this content, all its sentences loaded."""
        entry = self.manifest.documents.get(name)
        first, last = self.doc_ranges.get(name, (0, 0))
        return entry is not None and entry.sha256 == sha256 and last - first == sentences

    def neighbours(self, position: int, before: int = 1, after: int = 1) -> list[Sentence]:
        s = self.sentences[position]
        first, last = self.doc_ranges[s.doc]
        return self.sentences[max(first, position - before): min(last, position + after + 1)]
