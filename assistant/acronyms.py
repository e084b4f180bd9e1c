"""Acronyms a question uses for names its documents spell out: "CFO" for "Chief Financial Officer".

Neither embedding nor BM25 relates the two: MiniLM reads "CFO" as a few word pieces, and the
documents never contain the token. A question's acronym that no document uses, but that is the
initials of a capitalised phrase one does use, is read as that phrase too.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from .lexical import STOPWORDS

__all__ = ["Acronyms", "expand", "spelled_out"]

_ACRONYM = re.compile(r"\b[A-Z]{2,6}s?\b")
# Runs of capitalised words, with the small words names are made with ("Bank of England").
_RUN = re.compile(r"[A-Z][\w'’-]*(?:\s+(?:(?:of|and|for|the|on|&)\s+)*[A-Z][\w'’-]*)+")
_SMALL = {"of", "and", "for", "the", "on", "&"}
LONGEST = 6
"""Acronyms of more words than this are rare, and sub-runs of longer names are still found."""


@dataclass(frozen=True)
class Acronyms:
    """What capitalised phrases' initials stand for in some documents, and the acronyms they use."""

    phrases: dict[str, str]
    """Initials -> the most frequent capitalised phrase with those initials."""
    used: frozenset[str]
    """All-capital words the documents themselves use ("EU", "AIDS"): left as they are."""


def spelled_out(texts: Iterable[str]) -> Acronyms:
    """The phrases capitalised words spell out in ``texts``, and the acronyms ``texts`` use."""
    counts: Counter[tuple[str, str]] = Counter()
    used: set[str] = set()
    for text in texts:
        used.update(_ACRONYM.findall(text))
        for run in _RUN.finditer(text):
            words = run.group().split()
            capitals = [i for i, w in enumerate(words) if w not in _SMALL]
            for a in range(len(capitals)):
                for b in range(a + 2, min(a + LONGEST, len(capitals)) + 1):
                    phrase = words[capitals[a]:capitals[b - 1] + 1]
                    initials = "".join(w[0] for w in phrase if w not in _SMALL).upper()
                    counts[(initials, " ".join(phrase))] += 1
    best: dict[str, tuple[int, str]] = {}
    for (initials, phrase), n in counts.items():
        if initials not in best or n > best[initials][0]:
            best[initials] = (n, phrase)
    return Acronyms({initials: phrase for initials, (_, phrase) in best.items()}, frozenset(used))


def expand(question: str, acronyms: Acronyms) -> str:
    """``question`` with "(phrase)" after each acronym that no document uses but one spells out.

    Only acronyms of three letters or more: two capitals are the initials of too many things (any
    "Ian Thomas" spells "IT"). A question written in capitals ("HOW DO I GET THERE?") has no
    acronyms to read.
    """
    if sum(c.isupper() for c in question) > 0.5 * sum(c.isalpha() for c in question):
        return question

    def spell(match: re.Match[str]) -> str:
        acronym = match.group()
        bare = acronym[:-1] if acronym.endswith("s") and acronym[:-1] in acronyms.phrases else acronym
        phrase = acronyms.phrases.get(bare)
        if (phrase is None or len(bare) < 3 or acronym in acronyms.used or bare in acronyms.used
                or bare.lower() in STOPWORDS or phrase.lower() in question.lower()):
            return acronym
        return f"{acronym} ({phrase})"

    return _ACRONYM.sub(spell, question)
