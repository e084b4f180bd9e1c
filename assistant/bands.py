"""Bands of age, time, money or size a text sorts things by, and whether a question's own figure falls in one.

Leaflets, policies and price lists give one line per band: "Children aged 6 to 11 years", "2 to 5
years' service: 27 days", "More than 2 years' service: ...", "Junior swim (under 16)". Those lines
read alike, so their words cannot tell which one answers "How much leave do I get after 3 years?"
or "And for my three-year-old?"; the figure can: 3 lies in "2 to 5" and not in "6 to 11".

Time is read (years, months, weeks, days; an age is in years), as a text's bands mostly are; a band
without a unit counts as years only after "aged" or "age". So are amounts of money, for the table
rows a band of money keys ("£25,000 to £99,999   3.60%"), and sizes or weights, for the columns a
header's range names ("Price (chest 36in to 46in)").
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["Band", "amount_fits", "asked_ages", "asked_amounts", "asked_sizes", "band_spans", "bands", "fits",
           "money_band_spans", "size_fits"]

_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
          "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
          "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20}
_ARTICLES = {"a": 1, "an": 1}  # "a year" in a question (``_ASKED``), never in a text's band
_N = rf"(\d{{1,3}}(?:\.\d+)?|{'|'.join(_WORDS)})"
_UNIT = r"(years?|yrs?|months?|weeks?|days?)\b"
_IN_YEARS = {"y": 1.0, "m": 1 / 12, "w": 7 / 365, "d": 1 / 365}

# The question's figure: "a three-year-old", "after 3 years", "I've been here 18 months", "aged 7",
# "my son is 7".
_ASKED = [
    re.compile(rf"\b{_N}[\s-]*{_UNIT}[\s-]*old\b", re.I),
    re.compile(rf"\b{_N}\s+{_UNIT}(?![\s-]*old)", re.I),
    re.compile(rf"\b(?:aged?|I'm|I am|(?:son|daughter|child|kid|baby|boy|girl|he|she) is|he's|she's)\s+{_N}\b"
               rf"(?!\s*(?:%|percent|[a-z]))", re.I),
    # "I've only been here a year", "after a month": one, where a length of time is said, not a rate
    # ("30 days a year").
    re.compile(rf"\b(?:for|after|been(?:\s+here|\s+there)?|worked(?:\s+here)?|only|just|over)\s+(?:about\s+)?(an?)\s+"
               rf"{_UNIT}", re.I),
]
# A text's bands: "aged 6 to 11 years", "Six months to 2 years", "between 2 and 5 years", "4-6 and
# 7-10", "under 16", "over-65s", "12 and over".
_RANGE = re.compile(rf"\b(aged?\s+|ages\s+)?(?:between\s+)?{_N}\s*(?:{_UNIT})?'?\s*(?:to|-|–|and)\s*{_N}\s*(?:{_UNIT})?",
                    re.I)
_BELOW = re.compile(rf"\b(under|less than|below|fewer than|younger than|up to)[\s-]+{_N}(s\b)?\s*(?:{_UNIT})?", re.I)
_ABOVE = re.compile(rf"\b(over|more than|above|older than|at least)[\s-]+{_N}(s\b)?\s*(?:{_UNIT})?", re.I)
_AND_OVER = re.compile(rf"\b(aged?\s+)?{_N}\s*(?:{_UNIT})?'?\s*(?:and over|and above|or over|or more|and older|\+)",
                       re.I)
_INCLUSIVE = {"up to", "at least"}


@dataclass(frozen=True)
class Band:
    """Ages or lengths of time from ``low`` to ``high`` years (either may be open: -inf or inf), written
    in ``units`` ("y", "m", "w", "d": an age without a unit is in years)."""

    low: float
    high: float
    units: frozenset[str] = frozenset({"y"})

    def holds(self, years: float) -> bool:
        return self.low <= years <= self.high


def _number(word: str) -> float:
    return float(_WORDS.get(word.lower(), 0) or _ARTICLES.get(word.lower(), 0) or word)


def _unit(unit: str | None) -> str:
    return unit[0].lower() if unit else "y"


def _years(number: str, unit: str | None) -> float:
    return _number(number) * _IN_YEARS[_unit(unit)]


def asked_ages(question: str) -> list[tuple[float, str]]:
    """The ages or lengths of time the question gives, in years, each with the unit it is written
    in ("for my three-year-old": (3.0, "y"); "after 18 months": (1.5, "m"))."""
    found: list[tuple[float, str]] = []
    taken: list[tuple[int, int]] = []
    for pattern in _ASKED:
        for m in pattern.finditer(question):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue
            unit = m.group(2) if (m.lastindex or 0) >= 2 else None
            years = _years(m.group(1), unit)
            # "more than 5 years" is past the band that ends at 5 ("2 to 5 years"); "under 2" before
            # the one that starts at 2. A step of a tenth of the unit keeps it in the next band.
            if side := _BEYOND.search(question, 0, m.start()):
                step = _IN_YEARS[_unit(unit)] / 10
                years += step if side.group(1).lower() in ("more than", "over", "above", "longer than") else -step
            found.append((years, _unit(unit)))
            taken.append(m.span())
    return found


_BEYOND = re.compile(r"\b(more than|over|above|longer than|less than|under|below|fewer than|shorter than)\s+$", re.I)
"""Words right before an age or time that put it past a band's edge: "more than 5 years"."""


def bands(text: str) -> list[Band]:
    """The bands of age or time ``text`` gives; one without a unit only after "aged"."""
    return [band for band, _ in _found(text)]


def band_spans(text: str, asked: Sequence[tuple[float, str]]) -> list[tuple[int, int]]:
    """Where ``text`` gives bands in the unit of an age or time the question gives (``asked_ages``):
    their figures say which band, not how many or how much ("2 to 5 years' service: 27 days" is 27
    after 3 years)."""
    units = {unit for _, unit in asked}
    return [span for band, span in _found(text) if band.units & units]


def _found(text: str) -> list[tuple[Band, tuple[int, int]]]:
    out = []
    aged = False  # "aged 4-6 and 7-10": the second band is of age too
    for m in _RANGE.finditer(text):
        said_aged, low, low_unit, high, high_unit = m.groups()
        aged = aged or bool(said_aged)
        if not (aged or low_unit or high_unit):
            continue  # "3 to 4" of what?
        units = frozenset(_unit(u) for u in (low_unit, high_unit) if u) or frozenset({"y"})
        out.append((Band(_years(low, low_unit or high_unit), _years(high, high_unit or low_unit), units), m.span()))
    for m in _AND_OVER.finditer(text):
        said_aged, number, unit = m.groups()
        if said_aged or unit:
            out.append((Band(_years(number, unit), math.inf, frozenset({_unit(unit)})), m.span()))
    for pattern, below in ((_BELOW, True), (_ABOVE, False)):
        for m in pattern.finditer(text):
            word, number, plural, unit = m.groups()
            # "under 16)" and "over-65s" are ages; "more than 40 people" and "over 50," are no bands.
            if not unit and not plural and not re.match(r"\s*(?:-?year|\)|only\b)", text[m.end():]):
                continue
            edge = _years(number, unit)
            # "More than 2 years" does not hold 2; "up to 16" and "at least 26 weeks" do.
            step = 0.0 if word.lower() in _INCLUSIVE else 1e-6
            band = Band(-math.inf, edge - step) if below else Band(edge + step, math.inf)
            out.append((Band(band.low, band.high, frozenset({_unit(unit)})), m.span()))
    return out


# Bands of money: "£25,000 to £99,999", "£100,000 and over", "orders under £60", "up to $500". A
# savings leaflet's rate tiers and a delivery price list read alike but for the amount.
_SIGN = r"([£$€])"
_AMOUNT = r"(\d[\d,]*(?:\.\d+)?)\s?(k|m|million|thousand)?\b"
_MONEY_RANGE = re.compile(rf"{_SIGN}\s?{_AMOUNT}\s*(?:to|-|–)\s*[£$€]?\s?{_AMOUNT}", re.I)
_MONEY_AND_OVER = re.compile(rf"{_SIGN}\s?{_AMOUNT}\s*(?:and over|and above|or more|or over|and upwards|\+)", re.I)
_MONEY_EDGE = re.compile(rf"\b(under|less than|below|up to|over|more than|above|at least|exceeding)\s+{_SIGN}\s?{_AMOUNT}",
                         re.I)
_MONEY_ASKED = re.compile(rf"{_SIGN}\s?{_AMOUNT}", re.I)
_SCALE = {"k": 1e3, "thousand": 1e3, "m": 1e6, "million": 1e6}


def _money(figure: str, scale: str | None) -> float:
    return float(figure.replace(",", "")) * _SCALE.get((scale or "").lower(), 1.0)


def asked_amounts(question: str) -> list[tuple[float, str]]:
    """The amounts of money the question gives, each with its currency sign ("for a balance of
    £50,000": (50000.0, "£")); not one it gives as a band ("orders under £60")."""
    edges = money_band_spans(question)
    return [(_money(m.group(2), m.group(3)), m.group(1)) for m in _MONEY_ASKED.finditer(question)
            if not any(a <= m.start() < b for a, b in edges)]


def _money_bands(text: str) -> list[Band]:
    out = [Band(_money(m.group(2), m.group(3)), _money(m.group(4), m.group(5)), frozenset(m.group(1)))
           for m in _MONEY_RANGE.finditer(text)]
    out += [Band(_money(m.group(2), m.group(3)), math.inf, frozenset(m.group(1))) for m in _MONEY_AND_OVER.finditer(text)]
    for m in _MONEY_EDGE.finditer(text):
        word, sign, figure, scale = m.groups()
        edge = _money(figure, scale)
        step = 0.0 if word.lower() in _INCLUSIVE else 1e-6
        below = word.lower() in ("under", "less than", "below", "up to")
        out.append(Band(-math.inf, edge - step, frozenset(sign)) if below else Band(edge + step, math.inf, frozenset(sign)))
    return out


def money_band_spans(text: str) -> list[tuple[int, int]]:
    """Where ``text`` gives bands of money ("£1 to £24,999", "£100,000 and over", "up to £500")."""
    return [m.span() for pattern in (_MONEY_RANGE, _MONEY_AND_OVER, _MONEY_EDGE) for m in pattern.finditer(text)]


def amount_fits(asked: Sequence[tuple[float, str]], text: str) -> bool | None:
    """As ``fits``, for amounts of money (``asked_amounts``) and the bands of money ``text`` gives in
    their currency: "£25,000 to £99,999   3.60%" holds a balance of £50,000, "£1 to £24,999" does not."""
    given = [(band, amount) for band in _money_bands(text) for amount, sign in asked if sign in band.units]
    if not given:
        return None
    return any(band.holds(amount) for band, amount in given)


# Ranges of size or weight a table's header gives its columns: "Price (chest 36in to 46in)", "Fee
# (up to 15kg)". A size the question gives in the same unit ("a 40in chest") says which column.
_SIZE_UNIT = r"(in|cm|mm|m|km|kg|g|lbs?|oz|ml|l|ft|\")"
_SIZE_ASKED = re.compile(rf"(?<![\w.,])(\d{{1,4}}(?:\.\d+)?)\s?{_SIZE_UNIT}(?![\w\"])", re.I)
_SIZE_RANGE = re.compile(rf"(?<![\w.,])(\d{{1,4}}(?:\.\d+)?)\s?{_SIZE_UNIT}?\s*(?:to|-|–)\s*(\d{{1,4}}(?:\.\d+)?)\s?"
                         rf"{_SIZE_UNIT}(?![\w\"])", re.I)
_SIZE_UP_TO = re.compile(rf"\b(?:up to|under|below|less than|max(?:imum)?)\s+(\d{{1,4}}(?:\.\d+)?)\s?{_SIZE_UNIT}(?![\w\"])",
                         re.I)


def asked_sizes(question: str) -> list[tuple[str, str]]:
    """The sizes or weights the question gives, each with its unit ("40in", "12 kg", '40"')."""
    return _SIZE_ASKED.findall(question)


def size_fits(size: tuple[str, str], text: str) -> bool:
    """Whether ``text`` (a header's cell) gives a range in the unit of ``size`` that holds it."""
    figure, unit = float(size[0]), size[1].lower()
    return (any(unit == m.group(4).lower() and m.group(2) in (None, "", m.group(4)) and float(m.group(1)) <= figure
                <= float(m.group(3)) for m in _SIZE_RANGE.finditer(text))
            or any(unit == m.group(2).lower() and figure <= float(m.group(1)) for m in _SIZE_UP_TO.finditer(text)))


def fits(asked: Sequence[tuple[float, str]], text: str) -> bool | None:
    """True when ``text`` gives a band that holds an age or time the question gives (``asked_ages``,
    in a unit the band is written in), False when it gives such bands and none holds one, None when
    there is nothing to compare ("a 12 month membership" is no age of "Under 18s")."""
    given = [(band, years) for band in bands(text) for years, unit in asked if unit in band.units]
    if not given:
        return None
    return any(band.holds(years) for band, years in given)
