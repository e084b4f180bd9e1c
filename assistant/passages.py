"""Check a passage against the documents: is it there verbatim, and if not, what is closest and how
does it differ (numbers first)?

People paste a quote from an answer, a colleague's summary or another tool's output; a quote that is
almost right (330,000 for 320,000) is the dangerous case, so differing numbers are called out. The
UI's passage check and ``assistant check`` both call ``check_passage``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import TYPE_CHECKING

from .errors import InputError

if TYPE_CHECKING:
    from .chain import Assistant

__all__ = ["Occurrence", "WordDiff", "Near", "PassageCheck", "CLOSE_MATCH", "find_verbatim", "word_differences",
           "number_difference", "check_passage"]


@dataclass(frozen=True)
class Occurrence:
    doc: str
    start: int
    end: int
    """``texts[doc][start:end]`` is the passage as written in the document."""


@dataclass(frozen=True)
class WordDiff:
    """How a claim differs from a sentence, as (start, end, is_number) spans of each text."""

    claim_marks: tuple[tuple[int, int, bool], ...]
    """Claim words the sentence does not have (in that order)."""
    source_marks: tuple[tuple[int, int, bool], ...]
    """Sentence words, within the stretch the claim covers, that the claim replaced or left out."""
    numbers: tuple[tuple[str, str], ...]
    """(number in the claim, number in the sentence) where they disagree; '' when one side has none."""
    shared: float
    """Share of the claim's words found in the sentence, in order (1.0: only differences of form)."""
    negations: tuple[str, ...] = ()
    """Words of negation ("not", "never", "no") that one side has where the other does not: a claim
    that drops a "not" says the opposite, however many words it shares."""
    negated: str = ""
    """Which side has those words: "source" or "claim" ("" when neither)."""


@dataclass(frozen=True)
class Near:
    doc: str
    ordinal: int
    text: str
    score: float
    diff: WordDiff | None
    """None when the sentence is only loosely related: marking every word of it would be noise."""
    start: int = 0
    end: int = 0
    """``texts[doc][start:end]`` is the sentence, to find it in its document as a citation is found."""


@dataclass(frozen=True)
class PassageCheck:
    passage: str
    found: tuple[Occurrence, ...]
    nearest: tuple[Near, ...] = ()
    other_case: tuple[Occurrence, ...] = ()
    """Where the passage occurs but for its letter case, when it is not found as written: a quote
    that capitalises a sentence's first word ("Dogs are allowed ..." of "... dogs are allowed ...")."""


def _fold(text: str) -> tuple[str, list[int]]:
    """``text`` with each whitespace run as one space, and the original offset of every kept char."""
    chars, where = [], []
    for m in re.finditer(r"\s+|\S+", text):
        if m.group()[0].isspace():
            chars.append(" ")
            where.append(m.start())
        else:
            chars.append(m.group())
            where.extend(range(m.start(), m.end()))
    return "".join(chars), where


def find_verbatim(texts: dict[str, str], passage: str, limit: int = 20, ignore_case: bool = False) -> list[Occurrence]:
    """Where ``passage`` occurs exactly (case and punctuation kept, whitespace runs folded); with
    ``ignore_case``, whatever the letter case."""
    needle = " ".join(passage.split())
    found: list[Occurrence] = []
    if not needle:
        return found
    if ignore_case:
        needle = needle.lower()
    for doc in sorted(texts):
        folded, where = _fold(texts[doc])
        if ignore_case and len(lowered := folded.lower()) == len(folded):  # lower() keeps offsets for nearly every text
            folded = lowered
        at = folded.find(needle)
        while at != -1 and len(found) < limit:
            found.append(Occurrence(doc, where[at], where[at + len(needle) - 1] + 1))
            at = folded.find(needle, at + 1)
    return found


_WORD = re.compile(r"\d+(?:[.,]\d+)*|\w+(?:['’]\w+)*")
CLOSE_MATCH = 0.5  # below this share of shared words, a sentence is shown without marks


_NEGATION = re.compile(r"(?i:not|no|never|none|nor|neither|nobody|nothing|cannot|without|non|\w+n['’]t)")


def number_difference(claim: str, source: str, noun: str = "passage",
                      mark: Callable[[str], str] = lambda number: number) -> str:
    """One differing number of ``WordDiff.numbers`` in words: "the passage says 330,000, the source
    says 320,000"; a number on one side only is said to be missing from the other ("the source also
    says 20 here, the passage does not"), not to be "(no number)"."""
    if claim and source:
        return f"the {noun} says {mark(claim)}, the source says {mark(source)}"
    if claim:
        return f"the {noun} says {mark(claim)}, the source does not"
    return f"the source also says {mark(source)} here, the {noun} does not"


def _as_written(text: str, number: re.Match[str]) -> str:
    """A number with the currency sign before it and the percent sign after it: "15%" and "10%" are
    what differ, not "15" and "10"."""
    start = number.start() - 1 if number.start() and text[number.start() - 1] in "£$€¥" else number.start()
    end = number.end() + 1 if text[number.end():number.end() + 1] == "%" else number.end()
    return text[start:end]


def word_differences(claim: str, source: str) -> WordDiff:
    """Word-level differences between a claim and a source sentence, numbers called out.

    Source words outside the stretch the claim covers are context, not differences, so they stay
    unmarked: a claim quoting half a sentence differs from it only where the halves disagree.
    """
    a, b = list(_WORD.finditer(claim)), list(_WORD.finditer(source))
    ops = SequenceMatcher(None, [m.group().lower() for m in a], [m.group().lower() for m in b],
                          autojunk=False).get_opcodes()
    equal = [op for op in ops if op[0] == "equal"]
    lo, hi = (equal[0][3], equal[-1][4]) if equal else (0, len(b))
    is_number = lambda m: m.group()[0].isdigit()  # noqa: E731
    claim_marks: list[tuple[int, int, bool]] = []
    source_marks: list[tuple[int, int, bool]] = []
    numbers: list[tuple[str, str]] = []
    for tag, i1, i2, j1, j2 in ops:
        if tag == "equal":
            continue
        claim_marks += [(m.start(), m.end(), is_number(m)) for m in a[i1:i2]]
        inside = b[max(j1, lo):min(j2, hi)]
        if tag == "replace" and not inside:
            # Words the claim has in their place, where it ends or starts, are no context: "£1,500"
            # stands for the last word of "... group C is £1,250", as many words as the claim has.
            inside = b[j1:j1 + i2 - i1] if j1 >= hi else b[max(j1, j2 - (i2 - i1)):j2]
        source_marks += [(m.start(), m.end(), is_number(m)) for m in inside]
        left = [_as_written(claim, m) for m in a[i1:i2] if is_number(m)]
        right = [_as_written(source, m) for m in inside if is_number(m)]
        for k in range(max(len(left), len(right))):
            numbers.append((left[k] if k < len(left) else "", right[k] if k < len(right) else ""))
    shared = sum(i2 - i1 for tag, i1, i2, _, _ in equal) / len(a) if a else 0.0
    said = {side: [text[x:y] for x, y, _ in marks if _NEGATION.fullmatch(text[x:y])]
            for side, text, marks in (("claim", claim, claim_marks), ("source", source, source_marks))}
    negated = "source" if said["source"] and not said["claim"] else "claim" if said["claim"] and not said["source"] else ""
    return WordDiff(tuple(claim_marks), tuple(source_marks), tuple(numbers), shared,
                    tuple(said[negated]) if negated else (), negated)


def check_passage(assistant: Assistant, passage: str, nearest: int = 3) -> PassageCheck:
    """Is ``passage`` verbatim in the documents? If not, the closest sentences and how they differ."""
    if not passage or not passage.strip():
        raise InputError("the passage is empty; paste a quote or claim to check")
    snapshot = assistant.store.snapshot()
    found = find_verbatim(snapshot.texts, passage)
    if found:
        return PassageCheck(passage, tuple(found))
    near = []
    for hit in assistant.retriever.search(passage)[:nearest]:
        s = hit.sentence
        diff = word_differences(passage, s.text)
        near.append(Near(s.doc, s.ordinal, s.text, hit.score, diff if diff.shared >= CLOSE_MATCH else None,
                         s.start, s.end))
    other_case = find_verbatim(snapshot.texts, passage, ignore_case=True)
    return PassageCheck(passage, (), tuple(near), tuple(other_case))
