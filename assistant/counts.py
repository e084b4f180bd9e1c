"""What a "How many ...?" question counts, and what the figures of a sentence count.

"How many patents did China grant?" is not answered by "215,000 cases involving counterfeit
products": that figure counts cases. The words after a figure say what it counts ("5,600 criminal
suspects", "190 agreements"); when no figure of the cited sentences counts anything like what the
question counts, the sentences do not answer it. "Like" is judged by the embedding model, so that
"people" is counted by "criminal suspects" (cosine 0.35) and "calories" by "kcal" (0.57), while
"foreign companies" is not by "IPR cases" (0.20).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import numpy as np

from .lexical import relative_key, tokenize, uses_relative
from .spans import pattern_spans, ranges

__all__ = ["COUNTED_LIKE", "counted_thing", "figure_things", "uncounted"]

COUNTED_LIKE = 0.25
"""The least cosine between what a question counts and what a figure counts for the figure to count
it. Over the eleven eval sets, every answered "How many ...?" question whose figure was right
scored 0.33 or more, or shared a word; the answers to unanswerable ones that this refuses scored
0.10 to 0.22. Hypernyms and near-synonyms a reader would accept score above it ("people" and
"deaths" 0.35, "seats" and "places" 0.34, "units" and "homes" 0.26)."""

_AUX = r"(?:did|do|does|were|was|are|is|has|have|had|will|would|can|could|should|may|might|must)"
# "How many foreign companies filed ...", "How many patents did China grant?": the words between
# "how many" and the verb. Not "how many of the X" (``extractive.unnamed_subset``), "how many
# times" (a count of events, said in many ways: "twice", "every week"), nor "how many more".
_ASKS = re.compile(rf"\bhow many\s+(?!(?:of|times|more|fewer|less)\b)(?P<thing>(?:[\w'’-]+\s+){{0,4}}?[\w'’-]+?)"
                   rf"\s+(?:{_AUX}|[a-z]+ed)\b", re.IGNORECASE)
_WORD = re.compile(r"\s+([^\W\d_][\w'’-]*)")
_PARTICIPLE = re.compile(r"(?:ed|ing)$")
_LINKS = frozenset("since during until till after before across between through over under per than via within "
                   "without while whose".split())
"""Words that end what a figure counts, beyond BM25's stop words: "1,150 volunteers since 2021"."""
THING_WORDS = 3


def counted_thing(question: str) -> str:
    """What a "How many ...?" question counts ("foreign companies"), or "" for any other question."""
    asked = _ASKS.search(question)
    return asked.group("thing") if asked else ""


def figure_things(text: str) -> list[str]:
    """For each count in ``text`` (not a year, date, percentage or amount of money), the words after
    it up to a function word or a participle: "More than 5,600 criminal suspects involved in ..."
    -> "criminal suspects"; "" when none follow ("rose to 5,210 in June"). A range is one count:
    "20 to 25 minutes" -> "minutes" (``spans.ranges``)."""
    things = []
    for _, end in ranges(text, pattern_spans(text, "number")):
        words: list[str] = []
        while len(words) < THING_WORDS and (word := _WORD.match(text, end)):
            if (not tokenize(word.group(1)) or word.group(1).lower() in _LINKS
                    or (words and _PARTICIPLE.search(word.group(1)))):
                break  # "cases of ...", "agreements signed"; "registered volunteers" is one thing
            words.append(word.group(1))
            end = word.end()
        things.append(" ".join(words))
    return things


def uncounted(question: str, texts: Sequence[str], encode: Callable[[Sequence[str]], np.ndarray]) -> str:
    """What a "How many ...?" question counts, when the figures of ``texts`` all count other things
    (each followed by what it counts, none sharing a word with it nor close in meaning); else ""."""
    thing = counted_thing(question)
    if not thing:
        return ""
    things = [t for text in texts for t in figure_things(text)]
    if not things or not all(things):
        return ""  # a figure that does not say what it counts may count anything
    if uses_relative(thing, frozenset(relative_key(t) for other in things for t in tokenize(other))):
        return ""
    vectors = encode([thing, *things])
    if float((vectors[1:] @ vectors[0]).max()) >= COUNTED_LIKE:
        return ""
    return thing
