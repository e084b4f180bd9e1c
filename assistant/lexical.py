"""Lexical side of retrieval: one tokenizer for BM25 and for matching question terms to sentences.

Tokens are lower-cased words, numbers with their thousands separators removed (``215,000`` and
``215000`` are the same token), Snowball-stemmed (PyStemmer) and stripped of English stop words.
BM25 scores as bm25s does (Lucene's variant), over a matrix that a reload extends instead of
rebuilding from text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import cached_property, lru_cache
from typing import Any

import numpy as np

__all__ = ["STOPWORDS", "LexicalIndex", "content_terms", "relative_key", "term_ids", "tokenize", "stem", "uses_relative"]

# NLTK's English stop words plus the words questions are made of; none of them says what a
# question is about.
STOPWORDS = frozenset(
    """a about above after again against all am an and any are aren't as at be because been before
    being below between both but by can could couldn't did didn't do does doesn't doing don't down
    during each few for from further had hadn't has hasn't have haven't having he her here hers
    herself him himself his how i if in into is isn't it it's its itself just me more most my myself
    no nor not now of off on once only or other our ours ourselves out over own same she should so
    some such than that that's the their theirs them themselves then there these they this those
    through to too under until up very was wasn't we were weren't what when where which while who
    whom why will with won't would you your yours yourself yourselves also tell give list name many
    much say said says according whose kind type sort way thing things please exactly approximately
    one ones get got let us
    """.split()
)

_TOKEN = re.compile(r"\d+(?:[.,]\d+)*%?|[^\W\d_]+(?:['’][^\W\d_]+)?", re.UNICODE)


@lru_cache(maxsize=1)
def _stemmer() -> Any:
    import Stemmer

    return Stemmer.Stemmer("english")


@lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    return _stemmer().stemWord(word)


def _normalise(token: str) -> str:
    token = token.lower().replace("’", "'")
    if token[0].isdigit():
        token = token.rstrip("%")
        # 215,000 -> 215000 but keep decimals: 41.6 stays 41.6
        if re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d+)?", token):
            token = token.replace(",", "")
        return token
    if token.endswith("'s"):
        token = token[:-2]
    return token


_ACRONYM_PLURAL = re.compile(r"[A-Z]{2,}s")


@lru_cache(maxsize=500_000)
def _term(word: str, keep_stopwords: bool) -> str:
    """The token a word as written becomes ("" for a stop word). Cached: loading a 100k-sentence
    index tokenizes ~2 million words, nearly all of them repeats, and this was half the load time."""
    if _ACRONYM_PLURAL.fullmatch(word):
        word = word[:-1]  # "DVDs" is "DVD"'s plural; the stemmer keeps the "s" of a word without vowels
    token = _normalise(word)
    if not token or (not keep_stopwords and token in STOPWORDS):
        return ""
    return token if token[0].isdigit() else stem(token)


def tokenize(text: str, keep_stopwords: bool = False) -> list[str]:
    """Stemmed, normalised tokens of ``text`` (stop words dropped unless asked)."""
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)  # "Zu\u0308rich" is one word, as "Zürich" is
    return [t for t in (_term(word, keep_stopwords) for word in _TOKEN.findall(text)) if t]


def content_terms(text: str) -> list[str]:
    """The distinct stemmed content terms of ``text``, in order of appearance."""
    return list(dict.fromkeys(tokenize(text)))


def _unaccented(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


PREFIX = 4
"""Letters two words must share to count as relatives (see ``LexicalIndex.knows``)."""

EMPTY = "_empty_"
"""The token an empty row holds, as in bm25s: every row has a length of at least one."""


def relative_key(term: str) -> str:
    """What relatives share: the first ``PREFIX`` letters, accents aside (see ``LexicalIndex.knows``)."""
    return _unaccented(term[:PREFIX])


def uses_relative(word: str, keys: frozenset[str]) -> bool:
    """Whether ``word``, or a relative of it, is among the terms whose ``relative_key``s are ``keys``."""
    return any(relative_key(t) in keys for t in tokenize(word, keep_stopwords=True))


def term_ids(tokens: Sequence[str], vocabulary: dict[str, int]) -> np.ndarray:
    """The ids of ``tokens`` in ``vocabulary``, adding the terms it does not have yet."""
    return np.fromiter((vocabulary.setdefault(t, len(vocabulary)) for t in tokens), dtype=np.int32, count=len(tokens))


class LexicalIndex:
    """BM25 over rows of terms (sentences, or whole documents); ``scores`` returns one score per row.

    The scoring is bm25s's default, Lucene's BM25 (k1 = 1.5, b = 0.75,
    idf = log(1 + (N - df + 0.5) / (df + 0.5))), and a test checks the scores against bm25s's own.
    The matrix is assembled here with numpy, from term ids the caller keeps, because bm25s can only
    index a corpus from scratch (xhluca/bm25s#5): re-tokenizing and re-indexing 100k sentences
    whenever one document was added took about 7 s. From ids, the whole build takes a fraction of it.
    """

    K1 = 1.5
    B = 0.75

    def __init__(self, row: np.ndarray, term: np.ndarray, size: int, vocabulary: dict[str, int]) -> None:
        """BM25 over ``size`` rows that hold one token ``term[i]`` in row ``row[i]`` for every i.

        ``vocabulary`` maps terms to the ids in ``term``; the index reads it and never changes it
        after this call.
        """
        row = np.asarray(row, dtype=np.int64)
        term = np.asarray(term, dtype=np.int64)
        lengths = np.bincount(row, minlength=size)
        empty = np.flatnonzero(lengths == 0)
        if len(empty):
            row = np.concatenate([row, empty])
            term = np.concatenate([term, np.full(len(empty), vocabulary.setdefault(EMPTY, len(vocabulary)))])
            lengths[empty] = 1
        self.size = size
        self._vocabulary = vocabulary
        # One entry per (term, row) with the term's count in the row, sorted by term: a term's
        # rows are then one slice, as in a CSC matrix.
        pairs, tf = np.unique(term * max(size, 1) + row, return_counts=True)
        columns, rows = np.divmod(pairs, max(size, 1))
        self._df = np.bincount(columns, minlength=len(vocabulary))
        self._start = np.concatenate([[0], np.cumsum(self._df)])
        self._rows = rows.astype(np.int32)
        average = lengths.mean() if size else 1.0
        df = self._df[columns]
        idf = np.log1p((size - df + 0.5) / (df + 0.5))
        self._weights = (idf * tf / (tf + self.K1 * (1 - self.B + self.B * lengths[rows] / average))).astype(np.float32)

    @classmethod
    def from_tokens(cls, rows: Sequence[Sequence[str]]) -> LexicalIndex:
        vocabulary: dict[str, int] = {}
        ids = [term_ids(r, vocabulary) for r in rows]
        lengths = [len(r) for r in ids]
        flat = np.concatenate(ids) if ids else np.zeros(0, dtype=np.int32)
        return cls(np.repeat(np.arange(len(ids)), lengths), flat, len(ids), vocabulary)

    @classmethod
    def from_texts(cls, texts: Sequence[str]) -> LexicalIndex:
        return cls.from_tokens([tokenize(t) for t in texts])

    def scores(self, query: str) -> np.ndarray:
        """BM25 of every row for the query's terms (a repeated term counts again, as in bm25s)."""
        scores = np.zeros(self.size, dtype=np.float32)
        for term in tokenize(query):
            i = self._vocabulary.get(term, len(self._df))
            if i < len(self._df):
                start, end = self._start[i], self._start[i + 1]
                scores[self._rows[start:end]] += self._weights[start:end]
        return scores

    def document_frequency(self, term: str) -> int:
        i = self._vocabulary.get(term, len(self._df))
        return int(self._df[i]) if i < len(self._df) else 0

    @cached_property
    def _prefixes(self) -> frozenset[str]:
        present = (t for t, i in self._vocabulary.items() if i < len(self._df) and self._df[i] > 0)
        return frozenset(relative_key(t) for t in present)

    def knows(self, word: str) -> bool:
        """Whether the rows use the word or a relative of it: a term with the same first letters
        ("African" for "Africa", "China" for "Chinese"), accents aside ("Zurich" for "Zürich"), so that
        a different ending or spelling is not "unknown"."""
        return uses_relative(word, self._prefixes)

    def idf(self, term: str) -> float:
        """Inverse document frequency of a term (terms absent from the corpus get the maximum)."""
        df = self.document_frequency(term)
        return float(np.log(1.0 + (self.size - df + 0.5) / (df + 0.5)))
