"""Lexical side of retrieval: one tokenizer for BM25 and for matching question terms to sentences.

Tokens are lower-cased words, numbers with their thousands separators removed (``215,000`` and
``215000`` are the same token), Snowball-stemmed (PyStemmer) and stripped of English stop words.
BM25 itself is ``bm25s`` (sparse-matrix BM25, fast to build and to score).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import numpy as np

__all__ = ["STOPWORDS", "LexicalIndex", "content_terms", "tokenize", "stem"]

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


@lru_cache(maxsize=500_000)
def _term(word: str, keep_stopwords: bool) -> str:
    """The token a word as written becomes ("" for a stop word). Cached: loading a 100k-sentence
    index tokenizes ~2 million words, nearly all of them repeats, and this was half the load time."""
    token = _normalise(word)
    if not token or (not keep_stopwords and token in STOPWORDS):
        return ""
    return token if token[0].isdigit() else stem(token)


def tokenize(text: str, keep_stopwords: bool = False) -> list[str]:
    """Stemmed, normalised tokens of ``text`` (stop words dropped unless asked)."""
    return [t for t in (_term(word, keep_stopwords) for word in _TOKEN.findall(text)) if t]


def content_terms(text: str) -> list[str]:
    """The distinct stemmed content terms of ``text``, in order of appearance."""
    return list(dict.fromkeys(tokenize(text)))


class LexicalIndex:
    """BM25 over a fixed list of texts; ``scores`` returns one score per text."""

    def __init__(self, texts: Sequence[str] = (), tokens: Sequence[list[str]] | None = None) -> None:
        """BM25 over ``texts``, or over their ``tokens`` when the caller has them already."""
        import bm25s

        tokens = [row or ["_empty_"] for row in (tokens if tokens is not None else [tokenize(t) for t in texts])]
        self.size = len(tokens)
        self._bm25 = bm25s.BM25()
        self._bm25.index(tokens, show_progress=False)
        self._document_frequency: dict[str, int] = {}
        for row in tokens:
            for token in set(row):
                self._document_frequency[token] = self._document_frequency.get(token, 0) + 1

    def scores(self, query: str) -> np.ndarray:
        terms = [t for t in tokenize(query) if t in self._document_frequency]
        if not terms or self.size == 0:
            return np.zeros(self.size, dtype=np.float32)
        return np.asarray(self._bm25.get_scores(terms), dtype=np.float32)

    def idf(self, term: str) -> float:
        """Inverse document frequency of a term (terms absent from the corpus get the maximum)."""
        df = self._document_frequency.get(term, 0)
        return float(np.log(1.0 + (self.size - df + 0.5) / (df + 0.5)))

    def document_frequency(self, term: str) -> int:
        return self._document_frequency.get(term, 0)
