"""Bands of age or time a text sorts things by, and whether a question's own figure falls in one.

Leaflets, policies and price lists give one line per band: "Children aged 6 to 11 years", "2 to 5
years' service: 27 days", "More than 2 years' service: ...", "Junior swim (under 16)". Those lines
read alike, so their words cannot tell which one answers "How much leave do I get after 3 years?"
or "And for my three-year-old?"; the figure can: 3 lies in "2 to 5" and not in "6 to 11".

Only time is read (years, months, weeks, days; an age is in years), as a text's bands mostly are;
a band without a unit counts as years only after "aged" or "age".
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

__all__ = ["Band", "asked_ages", "band_spans", "bands", "fits"]

_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
          "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
          "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20}
_N = rf"(\d{{1,3}}(?:\.\d+)?|{'|'.join(_WORDS)})"
_UNIT = r"(years?|yrs?|months?|weeks?|days?)"
_IN_YEARS = {"y": 1.0, "m": 1 / 12, "w": 7 / 365, "d": 1 / 365}

# The question's figure: "a three-year-old", "after 3 years", "I've been here 18 months", "aged 7".
_ASKED = [
    re.compile(rf"\b{_N}[\s-]*{_UNIT}[\s-]*old\b", re.I),
    re.compile(rf"\b{_N}\s+{_UNIT}\b(?![\s-]*old)", re.I),
    re.compile(rf"\b(?:aged?|I'm|I am|is|he's|she's)\s+{_N}\b(?!\s*(?:%|percent|{_UNIT[1:-1]}|[a-z]))", re.I),
]
# A text's bands: "aged 6 to 11 years", "Six months to 2 years", "under 16", "over-65s", "12 and over".
_RANGE = re.compile(rf"\b(aged?\s+|ages\s+)?{_N}\s*{_UNIT}?'?\s*(?:to|-|–|and)\s*{_N}\s*{_UNIT}?", re.I)
_BELOW = re.compile(rf"\b(under|less than|below|fewer than|younger than|up to)[\s-]+{_N}s?\s*{_UNIT}?", re.I)
_ABOVE = re.compile(rf"\b(over|more than|above|older than|at least)[\s-]+{_N}s?\s*{_UNIT}?", re.I)
_AND_OVER = re.compile(rf"\b(aged?\s+)?{_N}\s*{_UNIT}?'?\s*(?:and over|and above|or over|or more|and older|\+)", re.I)


@dataclass(frozen=True)
class Band:
    """Ages or lengths of time from ``low`` to ``high`` years (either may be open: -inf or inf)."""

    low: float
    high: float

    def holds(self, years: float) -> bool:
        return self.low <= years <= self.high


def _number(word: str) -> float:
    return float(_WORDS.get(word.lower(), 0) or word)


def _years(number: str, unit: str | None) -> float:
    return _number(number) * _IN_YEARS[unit[0].lower()] if unit else _number(number)


def asked_ages(question: str) -> list[float]:
    """The ages or lengths of time the question gives, in years ("for my three-year-old": 3.0)."""
    found: list[float] = []
    taken: list[tuple[int, int]] = []
    for pattern in _ASKED:
        for m in pattern.finditer(question):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue
            unit = m.group(2) if m.lastindex and m.lastindex >= 2 else None
            found.append(_years(m.group(1), unit))
            taken.append(m.span())
    return found


def bands(text: str) -> list[Band]:
    """The bands of age or time ``text`` gives; one without a unit only after "aged"."""
    return [band for band, _ in _found(text)]


def band_spans(text: str) -> list[tuple[int, int]]:
    """Where ``text`` gives its bands: their figures say which band, not how many or how much."""
    return [span for _, span in _found(text)]


def _found(text: str) -> list[tuple[Band, tuple[int, int]]]:
    out = []
    for m in _RANGE.finditer(text):
        aged, low, low_unit, high, high_unit = m.groups()
        if not (aged or low_unit or high_unit):
            continue  # "3 to 4" of what?
        out.append((Band(_years(low, low_unit or high_unit), _years(high, high_unit or low_unit)), m.span()))
    for m in _AND_OVER.finditer(text):
        aged, number, unit = m.groups()
        if aged or unit:
            out.append((Band(_years(number, unit), math.inf), m.span()))
    for pattern, below in ((_BELOW, True), (_ABOVE, False)):
        for m in pattern.finditer(text):
            _, number, unit = m.groups()
            # "under 16" and "over-65s" are ages; "more than 40 people" is no band.
            if not unit and not re.match(r"\s*(?:s\b|-?year|\)|,|:|$|only)", text[m.end():]) and not m.group().rstrip().endswith("s"):
                continue
            edge = _years(number, unit)
            # Strictly below or above: "More than 2 years" does not hold 2 (small steps stay inside).
            out.append((Band(-math.inf, edge - 1e-6) if below else Band(edge + 1e-6, math.inf), m.span()))
    return out


def fits(question: str, text: str) -> bool | None:
    """True when ``text`` gives a band that holds an age or time the question gives, False when it
    gives bands and none holds one, None when there is nothing to compare."""
    asked = asked_ages(question)
    if not asked:
        return None
    given = bands(text)
    if not given:
        return None
    return any(band.holds(years) for band in given for years in asked)
