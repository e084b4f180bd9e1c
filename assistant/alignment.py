"""Whether every word of a question finds a counterpart in the sentence that is to answer it.

A sentence can be close to a question as a whole and still not answer it: "How many patents did
China grant?" is near "... 77,000 cases involving patent infringement", but nothing in that
sentence stands for "grant". Each content word of the question is matched, in context, to the
sentence's closest word piece (BERTScore's recall, with MiniLM's last layer); the answer is as good
as the question's worst-matched word. Paraphrases still match ("wrap up" finds "concluded" in
context), which exact or stemmed word overlap would miss.
"""

from __future__ import annotations

import re

from .encoder import NumpyMiniLM
from .lexical import STOPWORDS

__all__ = ["weakest_word"]

_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*", re.UNICODE)


def weakest_word(question: str, text: str, encoder: NumpyMiniLM) -> float:
    """Cosine similarity (about 0..1) between ``text`` and the question word it matches worst.

    A word's match is the mean, over its word pieces, of each piece's best similarity to any piece
    of ``text``. A question with no content word ("Who said that?") has nothing unmatched: 1.0.
    """
    words = [(m.start(), m.end()) for m in _WORD.finditer(question)
             if len(m.group()) > 2 and m.group().lower() not in STOPWORDS]
    if not words:
        return 1.0
    offsets, question_vectors = encoder.encode_tokens(question)
    _, text_vectors = encoder.encode_tokens(text)
    if not len(question_vectors) or not len(text_vectors):
        return 1.0 if not len(question_vectors) else 0.0
    best = (question_vectors @ text_vectors.T).max(axis=1)
    matches = []
    for start, end in words:
        pieces = [i for i, (a, b) in enumerate(offsets) if a >= start and b <= end]
        if pieces:
            matches.append(float(best[pieces].mean()))
    return min(matches) if matches else 1.0
