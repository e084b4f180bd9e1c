"""The days of the week a question asks about and a sentence is about.

Timetables and opening hours give one line per day or run of days ("On Saturdays the first bus
leaves at 06:30", "Mondays to Fridays: 05:50"), and the lines read alike but for the days. A
question that names a day ("on a Sunday", "on weekdays") is answered by the line whose days hold it;
a line about other days only does not answer it (``fits``).
"""

from __future__ import annotations

import re

from .answer_kinds import DAYS

__all__ = ["DAY_LINE", "WEEK", "asked_days", "days_named", "fits", "named_day"]

WEEK = frozenset(range(7))
_SHORT = {"mon": 0, "tue": 1, "tues": 1, "wed": 2, "thu": 3, "thur": 3, "thurs": 3, "fri": 4, "sat": 5, "sun": 6}
_SHORT_DAY = r"(?:Mon|Tue|Tues|Wed|Thu|Thur|Thurs|Fri|Sat|Sun|MON|TUE|TUES|WED|THU|THUR|THURS|FRI|SAT|SUN)\.?"
_DAY = rf"(?:(?i:{'|'.join(DAYS)})s?|{_SHORT_DAY}(?=\s*(?:[-–—,:;/&)]|\d|$|to\b|and\b)))"
"""A day in full, or short ("Mon", "Sat") only where a list, a span or a time follows: "Sun loungers"
and "Sat nav" name no day."""
_LAST_DAY = rf"(?:(?i:{'|'.join(DAYS)})s?|{_SHORT_DAY})"
"""The day that ends a run: short, whatever follows ("| Mon–Thu |")."""
_RANGE = re.compile(rf"\b({_DAY})\s*(?:-|–|—|to|until|till|through|thru)\s*({_LAST_DAY})(?![\w])|"
                    rf"\bbetween\s+({_DAY})\s+and\s+({_LAST_DAY})(?![\w])")
_ONE = re.compile(rf"\b({_DAY})(?![\w])")
_CELL_DAY = re.compile(rf"(?<![\w-])({_SHORT_DAY})(?=\s*\||\s{{2,}}|\t|\s*$)", re.M)
"""A day written short that ends a table's cell ("| Fri | Sat |", "Fri    Sat"): a day only beside
another, or heading a row of hours (``_ROW_OF_HOURS``), since a lone "| Sun |" may head a plant's
sunlight."""
_ROW_OF_HOURS = re.compile(rf"^\s*\|?\s*{_SHORT_DAY}\s*(?:\||\s{{2,}}|\t).*(?:\d[:.]\d\d|\d\s*[ap]\.?m\b|\b(?i:closed|open)\b)")
"""A row that opens with a day and gives hours: "| Sat | 10:00 to 16:00 |", "| Sun | Closed |"."""
_WEEKDAYS = re.compile(r"\b(?i:week-?days?|working days?)\b")
_WEEKEND = re.compile(r"\b(?i:week-?ends?)\b")
DAY_LINE = re.compile(rf"^[#*\s]*(?:day\s+(?:\d{{1,2}}|one|two|three|four|five|six|seven)\s*[-–—:,.]?\s*)?"
                      rf"(?:{'|'.join(DAYS)})s?\b[\w\s,.:–—-]{{0,24}}$", re.I)
"""A line that only names a day, as programmes and timetables head each day: "SATURDAY 14 JUNE", "##
Day 2 — Thursday 11 September"."""
_EVERY_DAY = re.compile(r"\b(?i:daily|every day|each day|all week|(?:seven|7) days a week|every day of the week)\b")


def _index(day: str) -> int:
    word = day.rstrip(".").lower()
    for n, name in enumerate(DAYS):
        if word in (name.lower(), name.lower() + "s"):
            return n
    return _SHORT[word]


def days_named(text: str) -> frozenset[int]:
    """The days of the week ``text`` names (0 is Monday), runs of days included ("Mondays to
    Fridays", "Mon–Fri"), "weekdays", "weekends" and "daily", and the short days of a table's header
    ("| Mon–Thu | Fri | Sat |"); empty when it names none."""
    if _EVERY_DAY.search(text):
        return WEEK
    days = set(_days_written(text))
    for line in text.splitlines() if ("|" in text or "  " in text or "\t" in text) else ():
        cells = {_index(m.group(1)) for m in _CELL_DAY.finditer(line)}
        if len(cells) >= 2 or cells and (_days_written(line) or _ROW_OF_HOURS.match(line)):
            days |= cells
    return frozenset(days)


def _days_written(text: str) -> set[int]:
    """The days ``text`` names in full, in runs, or short before a list, a span or a time."""
    days: set[int] = set()
    for m in _RANGE.finditer(text):
        first, last = (_index(g) for g in m.groups() if g)
        days |= {(first + k) % 7 for k in range((last - first) % 7 + 1)}
    for m in _ONE.finditer(_RANGE.sub(" ", text)):
        days.add(_index(m.group(1)))
    if _WEEKDAYS.search(text):
        days |= set(range(5))
    if _WEEKEND.search(text):
        days |= {5, 6}
    return days


def asked_days(question: str) -> frozenset[int]:
    """The days a question asks about: "on a Sunday" -> {6}, "on weekdays" -> {0..4}; empty when it
    names none, or every day."""
    days = days_named(question)
    return frozenset() if days == WEEK else days


def fits(asked: frozenset[int], text: str) -> bool | None:
    """Whether ``text`` is about a day the question asks about: None when either names no day."""
    named = days_named(text)
    if not asked or not named:
        return None
    return bool(asked & named)


def named_day(question: str) -> str:
    """How the question names the day it asks about ("Sunday", "weekdays"), or "" if it names none."""
    named = _ONE.search(question) or _WEEKDAYS.search(question) or _WEEKEND.search(question)
    return named.group() if named else ""
