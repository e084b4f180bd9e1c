"""What a short answer of each kind looks like in a text: figures, amounts, percentages, dates and
times, email, phone and web addresses, and the units a measure is given in.

``spans`` chooses among these (and among names) the one that answers a question; ``extractive``
asks whether the cited sentences hold one at all.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .lexical import tokenize
from .questions import ASKS_LENGTH, ASKS_PART, ASKS_WEIGHT, AnswerType, parts

__all__ = ["says_how_long", "ASKS_DAY", "ASKS_TIME_OF_DAY", "DAY", "DAYS", "DAY_DATE", "ISO_DATE", "FREE", "MONTH", "PATTERNS", "RATE", "UNIT", "UNIT_OF_TIME_AND_PART",
           "WRITTEN_CODE",
           "clock_times", "code_key", "code_series", "fits", "numbered_in", "open_series", "pattern_spans"]

_QUALIFIER = (r"(?:(?:nearly|almost|about|around|approximately|roughly|over|(?:no )?more than|(?:no )?less than|"
              r"(?:no )?fewer than|up to|at least|at most|some|just over|just under)\s+)?")
""""No more than two" is at most two: the "no" is the answer's, as much as "more than" is."""
_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_SCALE = r"(?:\s*(?:hundred|thousand|million|billion|trillion))?"
# Counts written out ("one overtime period", "twelve jurors"): answers too, though rarer than digits.
_NUMBER_WORD = (r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
                r"sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|"
                r"a dozen|dozens|hundreds|thousands|millions|billions|twice|thrice)")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
MONTH = rf"(?-i:{'|'.join(MONTHS)})"
_MONTH_ABBREVIATION = r"(?-i:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.?"
"""As tables and timelines write months ("30 Jun 2025", "Oct 3, 2024"): a date only with its year,
since "Jan 14" may be a name and a count, and "Jan 12, Feb 9" counts by month."""
_DAY_OF_MONTH = r"(?:[1-9]|[12]\d|3[01])(?:st|nd|rd|th)?"
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
DAY = rf"(?-i:{'|'.join(DAYS)})"
"""Written with a capital, or "20 may attend" would be a date."""
ISO_DATE = r"(?:1[5-9]|20)\d{2}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])"
DAY_DATE = re.compile(rf"\b{ISO_DATE}\b|\b\d{{1,2}}(?:st|nd|rd|th)?\s+{MONTH}(?:,?\s+\d{{4}})?\b|"
                      rf"\b{MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?\b(?:,?\s+\d{{4}})?")
"""A day's date: "2025-03-04", "1 October 2025", "October 1st, 2025"."""
"""A date as ISO 8601 writes it ("2025-03-04"), as changelogs, logs and data files do."""
# "4 p.m.", "7.45pm", "noon", and the 24-hour clock of timetables ("05:52", "23:10").
_SPELLED_HOUR = r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
_OPENS_AT = "|".join(rf"(?<=\b{verb} {word} )" for verb in ("opens", "open", "closes", "close", "starts", "start",
                                                             "begins", "begin", "finishes", "ends", "leaves", "departs",
                                                             "arrives", "shuts", "is", "are")
                     for word in ("at", "until", "till"))
"""Where an hour in words may follow: "opens at ten", "open until eleven", "is at nine"."""
_HOUR_WORD = r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\d{1,2})"
_TIME = (r"\b(?:\d{1,2}(?:[:.]\d{2})?\s*(?:a\.m\.|p\.m\.|am\b|pm\b)|(?<![\d:.])(?:[01]?\d|2[0-3]):[0-5]\d\b(?![:.]\d)|"
        # "at 23.05", "from 11.30 until 14.30": a dot only after a word that says a time follows
        # (a figure with a unit after it is none: ``_measure_not_time``).
        r"(?:(?<=\bat )|(?<=\bfrom )|(?<=\buntil )|(?<=\btill )|(?<=\bto )|(?<=\band )|(?<=\bby ))(?:[01]?\d|2[0-3])\.[0-5]\d\b"
        r"(?![.,]?\d)|"
        rf"(?:half|quarter) (?:past|to) {_HOUR_WORD}\b|{_HOUR_WORD} o['’]clock\b|noon\b|midnight\b|"
        # In words, as leaflets write hours: "opens at nine in the morning", "closes at six." Only after
        # a word that says a time follows: "take 2 in the morning" is a dose, "stood at nine" a count.
        rf"(?:{_OPENS_AT})(?:{_SPELLED_HOUR})(?: in the (?:morning|afternoon|evening)| at night)?"
        r"(?=\s*(?:[.,;:)]|and\b|on\b|every\b|each\b|in the\b|at night\b|$)))")
ASKS_DAY = re.compile(r"\b(?:date|day|year|month|week)s?\b", re.I)
ASKS_TIME_OF_DAY = re.compile(r"\bwhat time\b(?!\s+(?:of\s+(?:the\s+)?(?:year|month|week|season|life)|period|frame|"
                              r"zone|scale|span|limit))|\b(?:at )?what hour\b|\bhow (?:late|early)\b", re.I)
_CURRENCY_WORD = (r"(?:yuan|dollars?|euros?|pounds?(?: sterling)?|yen|rupees?|renminbi|RMB|USD|EUR|GBP|cents?|pence|"
                  r"francs?|pesos?|roubles?|rubles?|rand|krona|kronor|krone|kroner|crowns?|korunas?|marks?|guilders?|"
                  r"shillings?|baht|ringgit|rupiah|naira|cedis?|kwacha|leva|dinars?|dirhams?|riyals?|rials?|"
                  r"shekels?|zlotys?|forints?|hryvnias?|tenge|reais|lira|liras|kuna|bucks|quid)")
_CURRENCY_CODE = (r"(?-i:USD|EUR|GBP|SEK|NOK|DKK|ISK|CHF|JPY|CNY|RMB|NZD|AUD|CAD|HKD|SGD|INR|ZAR|BRL|MXN|PLN|CZK|HUF|"
                  r"KRW|AED|SAR|TRY|Rs\.?)")
# "4.6 million Canadian dollars", "300 Swiss francs", "20 US dollars": whose currency, between the two.
_CURRENCY_OF = r"(?:(?-i:US|[A-Z][a-z]+(?: [A-Z][a-z]+)?)\s+)?"
_COUNTED = (r"(?:[a-z]+s|people|children|men|women|staff|sheep|deer|feet|(?-i:km|kg|cm|mm|ml|mph|kW|Wh|mAh)|"
            r"metres?|meters?|miles?|litres?|liters?|grams?|kilos?|%)")
"""What a figure after "in", "by", "around" ... counts or measures, which makes it no year: "by 140
children", "after 500 km" (short units as written, none of one letter: "In 1066 W. Smith ...")."""
PATTERNS: dict[str, re.Pattern[str]] = {
    # "about 15 to 20%": a range is one percentage, its first figure no count (``_percentages``
    # keeps only a rising range that no "from" opens).
    "percent": re.compile(rf"\b{_QUALIFIER}(?:(?<![\d.,]){_NUMBER}\s*(?:to|-|–)\s*)?(?:{_NUMBER}|{_NUMBER_WORD}(?:[\s-]+{_NUMBER_WORD})*+)\s*"
                          rf"(?:%|percent\b|per cent\b|percentage points?\b)", re.I),
    "money": re.compile(
        # "£3.1m", "€1.2bn", "£120k" in full, never cut to "£3"; "85p" is pence.
        rf"(?:(?<![\w$]){_QUALIFIER}(?:US|HK|NZ|A|C|S)?[$€£¥₹₩₽₺₪₦₱฿]\s?(?:{_NUMBER})(?:{_SCALE}|\s?(?:k|m|mn|bn))(?![\w]|[.,]\d)|"
        rf"\b{_QUALIFIER}(?:{_NUMBER}|{_NUMBER_WORD}(?:[\s-]+{_NUMBER_WORD})*){_SCALE}\s+(?:{_CURRENCY_OF}{_CURRENCY_WORD}|"
        rf"{_CURRENCY_CODE})\b|"
        # "SEK 640 million", "EUR 780,000": a currency's code before the figure.
        rf"\b{_QUALIFIER}{_CURRENCY_CODE}\s?(?:{_NUMBER})(?:{_SCALE}|\s?(?:k|m|mn|bn))(?![\w]|[.,]\d)|"
        rf"(?<![\w.,])\d{{1,3}}p\b)"
        rf"(?:\s*\([^)]*\))?", re.I),
    "number": re.compile(rf"\b{_QUALIFIER}(?<![\d.,])(?:{_NUMBER}){_SCALE}(?![\d.,]*\s*(?:%|percent))|"
                         rf"\b{_QUALIFIER}(?<!\bno )(?<!\bany)(?:{_NUMBER_WORD}\b(?:[\s-]+{_NUMBER_WORD}\b)*+)(?! of\b){_SCALE}"
                         rf"(?!\s*(?:%|percent))", re.I),
    "date": re.compile(
        # "14 March 1952", "4 April 2024": the day first, as British and most non-US texts write it.
        rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+{MONTH}(?:,?\s+\d{{4}})?\b|"
        rf"\b{ISO_DATE}\b(?!-)|"
        rf"\b{_DAY_OF_MONTH} {_MONTH_ABBREVIATION},? (?:1[5-9]|20)\d\d\b|"
        rf"\b{_MONTH_ABBREVIATION} (?:{_DAY_OF_MONTH},? )?(?:1[5-9]|20)\d\d\b|"
        # A time of day, or hours ("10 a.m. to 4 p.m."), answers "what time" and "when does it open".
        rf"(?:between\s+{_TIME}\s+and\s+{_TIME}|{_TIME}(?:\s*(?:to|until|till|-|–)\s*{_TIME})?)|"
        rf"\b(?:on\s+)?(?:{DAY}s?\s*(?:to|until|till|through|-|–)\s*{DAY}s?|{DAY}s?)\b|\b{MONTH}"
        r"(?:\s+\d{1,2})?(?:,?\s+\d{4})?\b|\b(?:in\s+)?(?:1[5-9]|20)\d{2}s?\b|\blast (?:year|month|week)\b|\byesterday\b|"
        # Times said relative to now: "at the end of the year", "next month", "later this year".
        r"\b(?:at|by|before|until|towards?|in|from) the (?:end|beginning|start|middle|turn) of (?:the |this |next |last )?"
        r"(?:year|month|week|quarter|decade|century|season)\b|"
        r"\b(?:next|this|later this|early next|late next|earlier this) (?:year|month|week|quarter|spring|summer|autumn|fall|winter)\b|"
        # A numbered week of a term or a course, with its capital: "due in Week 27", "Week 24: Reading
        # week" ("in week 27, usually on 3 July" is read by its date).
        r"\b(?:in\s+)?(?-i:Week)\s+\d{1,2}\b(?!\s*(?:%|percent))|"
        # Older years need a word saying so: "in 868", "1066 AD", "the 12th century".
        # ... but "attended by 140 children" counts them, and so does "around 640 new homes" (a year
        # before 1000 is rare enough for a word or two between the figure and what it counts).
        r"\b(?:in|by|since|from|until|till|before|after|around|circa|c\.)\s+(?:\d{3}\b(?![\s-]+(?:(?!(?:by|of|the|a|an|and|in|on|at|to|for|from|with|when|after|before)\b)[a-z]+\s+){0,2}"
        rf"{_COUNTED}\b)|\d{{4}}\b(?![\s-]+{_COUNTED}\b))|\b\d{{1,4}}\s*(?:BCE?|AD|CE)\b|"
        r"\b(?:\d{1,2}(?:st|nd|rd|th)|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|"
        r"twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|"
        r"twenty-first)[\s-]+century\b", re.I),
}
# Contact details. A phone number is checked for its digits too (``pattern_spans``): "2024-25" is none.
# An address may be written to fool spam robots: "ill [at] northvale.ac.uk".
PATTERNS["email"] = re.compile(r"(?<![\w.+-])[\w.+-]+(?:@|\s*[\[(]at[\])]\s*)[\w-]+(?:(?:\.|\s*[\[(]dot[\])]\s*)[\w-]+)+")
PATTERNS["phone"] = re.compile(r"(?<![\w+.,])(?:\+\d{1,3}[\s.-]?)?(?:\(\d{1,5}\)[\s.-]?)?\d{1,5}(?:[\s.-]?\(?\d{1,5}\)?){1,5}"
                                r"(?![\w-]|[.,]\d)")
# A web address: "www." or "https://", or a domain of lower-case letters ("kiwitrails.org.nz/volunteer",
# "doc.govt.nz"), whose first label has two characters at least ("e.g." is none).
PATTERNS["web"] = re.compile(r"(?<![\w@.])(?:https?://\S+|(?:www\.)?[A-Za-z0-9][\w-]+(?:\.[a-z0-9-]+)*"
                              r"\.(?!(?:pdf|docx?|xlsx?|pptx?|txt|csv|js|py|png|jpe?g|gif|zip|exe|md|json)\b)[a-z]{2,12}\b"
                              r"(?![.@]?\w)(?:/[^\s,;)]*)?)")  # "report.pdf" and "Node.js" are files
_PHONE_DIGITS = 7
_DIAL = re.compile(r"\b(?:call|dial|ring|phone|text|telephone|on|number is|line is)\s*$", re.I)
_NOT_A_PHONE = re.compile(r"(?:1[5-9]|20)\d{2}(?:\s*[-–/]\s*(?:(?:1[5-9]|20)?\d{2}))?|\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|" + ISO_DATE)
# Units a measured figure is given in: part of the answer ("30 minutes"), unlike the things counted.
# One table, by dimension, so that what is shown with a figure and what a question for a weight or a
# length accepts never disagree.
_TIME_UNITS = r"seconds?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?|decades?|centuries"
_LENGTH_UNITS = (r"metres?|meters?|m|kilometres?|kilometers?|km|centimetres?|centimeters?|millimetres?|millimeters?|nautical miles?|miles?|feet|foot|ft|inches|inch|cm|mm|"
                 r"yards?|light[\s-]years?")
_WEIGHT_UNITS = r"kg|kilos?|kilograms?|kilogrammes?|grams?|grammes?|g|tonnes?|tons?|pounds?|lbs?|ounces?|oz|stone"
_OTHER_UNITS = r"litres?|liters?|gallons?|mph|km/h|bar|degrees?|°C|°F|acres?|hectares?"
_DATA_UNITS = (r"bytes?|[KMGTP]i?B|[kmgt]b|kilobytes?|megabytes?|gigabytes?|terabytes?|petabytes?|bits?|"
               r"[KMG]bps|[kmg]bps")
_POWER_UNITS = r"[kM]?Wh|mAh|[kM]W|watts?|volts?|amps?|[kMG]?Hz|nits|lumens?|dB|rpm|psi"
"""Not a lone "W", "V" or "A": "2 v 1" is a score, "Plan A" a name."""


# "45 consecutive days", "two full years", "10 working days": a word between a figure and its unit.
_UNIT_MODIFIER = (r"(?:(?:consecutive|full|whole|straight|working|business|calendar|clear|additional|extra|more|"
                  r"further)\s+)?")


def _units(*alternatives: str) -> re.Pattern[str]:
    return re.compile(rf"[\s-]?{_UNIT_MODIFIER}(?:square |cubic )?(?:{'|'.join(alternatives)})(?![\w°])"
                      r"(?:\s+(?:per|a|an)\s+(?:second|minute|hour|day|week|month|year|person|page))?")


UNIT = _units(_TIME_UNITS, _LENGTH_UNITS, _WEIGHT_UNITS, _OTHER_UNITS, _DATA_UNITS, _POWER_UNITS)
UNIT_OF_TIME_AND_PART = re.compile(r"\s?(?:(?:h|hrs?|hours?)\s+(?:and\s+)?\d{1,2}\s?(?:m|mins?|minutes?)|"
                                   r"(?:mins?|minutes?)\s+(?:and\s+)?\d{1,2}\s?(?:s|secs?|seconds?))(?![\w°])", re.I)
"""A time given in two units, after its first figure: "3 h 35 min", "2 hours and 30 minutes", "1 min 20 s".
The answer is the whole of it; "3" alone, or "2 hours", says another time."""
RATE = re.compile(
    r"\s+(?:a|an|per|each|every)\s+(?:day|night|hour|week|fortnight|month|quarter|year|annum|person|head|adult|"
    r"child|student|page|visit|session|item|ticket|room|lesson|class|trip|journey|mile|kilometre|km|kilo|kg|litre|"
    r"unit|copy|household|member|user|seat|vehicle|car|block|term|course)\b(?!\s+(?:ago|earlier|before|later|after|previously)\b)|"
    # "£2.95 per four weeks", "£30 every 2 months"
    r"\s+(?:per|every)\s+(?:two|three|four|five|six|\d{1,2})\s+(?:days|weeks|months|years|hours)\b|"
    r"\s+each(?:\s+way)?\b|\s*/\s*(?:day|night|hour|hr|week|month|year|yr|person|kg|page)\b", re.I)
"""What a price is for, after it: "£40 a day", "$120 per night", "€85 each way", "£9.50/hour" ("$3.5
million a year ago" says when, not how often)."""
_DOTTED = re.compile(r"\d{1,2}\.\d{2}(?:\s*(?:to|until|till|-|–)\s*\d{1,2}\.\d{2})?")
"""A time written with a dot ("23.05", "2.45 to 3.10"), which may be a figure instead."""
# A unit or a percent sign after a figure, maybe after the end of a range ("2.45 to 3.10 metres").
_PERCENT = r"%|per\s?cent\b|percent\b"
"""A percent sign, as a text may write it."""
_MEASURED = re.compile(rf"(?:\s*(?:to|until|till|-|–)\s*\d{{1,2}}\.\d{{2}})?(?:{UNIT.pattern}|\s*(?:{_PERCENT}|"
                       r"points?\b|pts\b))", re.I)
_NO_UNIT = re.compile(rf"(?!{UNIT.pattern}|\s*(?:{_PERCENT}))", re.I)
"""What follows a count: no unit, and no percent sign ("How many participants ...?" is not "4 percent")."""
# A question for a weight or a length wants a figure in a unit of it: "How much does the filter
# weigh?" is not answered by "one cartridge". ("How long" may be a time or a length, or said in
# words, "a year"; "how high" and "how fast" may ask for a rate or a price: all left out.)
_ASKS_LENGTH = re.compile(ASKS_LENGTH, re.I)
_DIMENSIONS: tuple[tuple[re.Pattern[str], re.Pattern[str]], ...] = (
    (re.compile(ASKS_WEIGHT, re.I), _units(_WEIGHT_UNITS)),
    # "How much RAM does it need?": a size in bytes, not the "42" of "user-42" in an example.
    (re.compile(r"\bhow much (?:RAM|memory|disk(?: space)?|storage|space|bandwidth)\b", re.I), _units(_DATA_UNITS)),
    (_ASKS_LENGTH, _units(_LENGTH_UNITS)),
    # "How warm is the pool?": a temperature, not the "0.9 metres" beside it.
    (re.compile(r"\bhow (?:warm|hot|cold|cool)\b|\bwhat temperature\b", re.I), _units(r"degrees?|°C|°F|°")),
    (re.compile(r"\bhow soon\b", re.I), _units(_TIME_UNITS)),
    (re.compile(r"\bhow much (?:more |less |extra )?(?:time|notice|leave|holiday|annual leave|paid leave)\b", re.I),
     _units(_TIME_UNITS)),
    # A distance may be said as the time it takes ("a 10-minute walk"); "How far back does it go?"
    # and "How far ahead?" ask for a time only.
    (re.compile(r"\bhow far(?! (?:back|ahead|in advance|into|forward))\b", re.I), _units(_LENGTH_UNITS, _TIME_UNITS)),
)
_HOW_MANY = re.compile(r"\bhow many\s+(?:more\s+|of\s+(?:the|these|those)\s+)?", re.I)
# "no fee", "free of charge", "waived": an answer to "What is the fee?" that holds no figure.
FREE = re.compile(r"(?<![-\w])(?<!feel )(?:free(?: of charge)?(?!\s+to\b)|no (?:fee|charge|cost)|waived|"
                   r"at no (?:extra )?cost)\b", re.I)
"""("smoke-free" and "feel free to ask" are not prices.)"""
_ALSO_A_NOUN = re.compile(r"\b(?:pounds?|marks?|crowns?|bucks|quid|rand|lira|liras)\b", re.I)
"""Currencies whose names are also weights or things counted ("weighs 20 pounds", "scored 85 marks"):
an amount in them without a currency sign is left to be a number too."""
_LIST_MARKER = re.compile(r"^\s*(\d{1,2})[.)]\s|^\s*(?=\d{1,2}\.\d{1,2}(?:\.\d{1,2})*\.?\s+(?:[A-Z][a-z]{2,}|[\"“'‘(]))"
                          r"(\d[\d.]*\d)", re.M)
"""The number of a step in a list ("6. Run the tap ...") or of a clause ("7.3 The Chair reported ..."),
not a figure with its unit ("1.5 TB of storage ...")."""

_NAMED_VERSION = re.compile(r"(?<=[A-Z]{2}/)\d+(?:\.\d+)*|(?<=[A-Za-z]/)\d+(?:\.\d+)+|\b\d+(?:\.\d+)*(?=\.[xX*]\b)|(?<![\d.])\d+(?:\.\d+){2,}(?![\d.]*\d)")
"""A version, no count: "HTTP/2", "HTTP/1.1", the "2" of a branch "2.x", a release "2.6.0"; not a
second unit ("24 lb/11 kg")."""
_AGE_GROUP = re.compile(r"\b(?:over|under)[\s-]?(\d{1,3})s\b", re.I)
"""An age that names a group: "over-65s", "under 18s", "the under-5s"."""

_YEAR_PAIR = re.compile(r"(?<![\d.,])((?:1[5-9]|20)\d{2})\s?[/–-]\s?(\d{4}|\d{2})(?![\d.,]\d|\d)")
"""A financial or school year: "2026/27", "2025-26", "2024/2025"."""


def _year_pairs(text: str) -> list[tuple[int, int]]:
    """Where ``text`` writes a year and the next one as one span ("the 2026/27 budget"): its "27" is no
    count. (Not "2000-2500 people": the second number must be the year after the first.)"""
    return [m.span() for m in _YEAR_PAIR.finditer(text)
            if int(m.group(2)) == (int(m.group(1)) + 1) % 10 ** len(m.group(2))]

WRITTEN_CODE = re.compile(r"(?<![\w-])[A-Z][A-Za-z]{0,5}[\s-]?\d+[A-Za-z]?(?:-\d+)?(?![\w-])", re.IGNORECASE)
"""A model, route or part number as a text may write it, with a space too ("BW 8120") and with one
digit ("Toller T9"): what a question's ``questions.CODE`` is looked up in. ("at 14" is collected
too, harmlessly: it is only looked up.)"""


_SERIES = (r"(?i:years?|stages?|phases?|weeks?|days?|seasons?|rounds?|series|terms?|levels?|grades?|parts?|modules?|"
           r"units?|zones?|tiers?|bands?|blocks?|waves?|cohorts?|groups?|categor(?:y|ies)|class(?:es)?|types?)")
_ONE_OF = r"(?:\d{1,3}|[A-HJ-Z])(?:s|['’]s)?"  # "Year 11s"; not "I", a pronoun or a roman one
_BETWEEN = r"\s*(?:,|&|/|\band\b|\bor\b|\bto\b|\bthrough\b|-|–)\s*"
SERIES_NUMBERED = re.compile(rf"(?<!\d\s)\b({_SERIES})\s+({_ONE_OF}(?:{_BETWEEN}{_ONE_OF}){{0,12}})(?![\w.,]*\d)(?!\w)")
"""A numbered or lettered one of a series: "Year 2", "Stage 3", "Band C", "Group B", "Type 2", "Years 5
and 6", "Weeks 3-5", "Year 10/11". Not a length of time: "2 years 6 months"."""


_OPEN_NUMBERED = re.compile(rf"\b({_SERIES})\s+(?:\d{{1,3}}\s*(?:\+|(?:or|and)\s+(?:above|over|higher|more|better|below|"
                           rf"under|less|lower|beyond)\b)|[IVX]{{2,}}\b)|\b(?:up to|until|till|from|before|after|by|"
                           rf"below|above|under|over)\s+({_SERIES})\s+\d")
"""A series whose numbers a text writes as a bound or in roman numerals ("grade 4 or above", "up to
week 4", "Stage II"): it covers more of them than it writes."""


def _series(word: str) -> str:
    """A series' name as ``numbered_in`` keys it, singular: "Years" -> "year", "Categories" ->
    "category", "Classes" -> "class" ("series" and "class" stay)."""
    word = word.lower()
    if word in ("series", "class"):
        return word
    if word.endswith("ies"):
        return word[:-3] + "y"
    return word[:-2] if word.endswith("sses") else word.removesuffix("s")


def open_series(text: str) -> set[str]:
    """The series ``text`` writes as a bound or in roman numerals (``_OPEN_NUMBERED``)."""
    return {_series(m.group(1) or m.group(2)) for m in _OPEN_NUMBERED.finditer(text)}


def numbered_in(text: str) -> set[tuple[str, str]]:
    """The (series, number) pairs ``text`` writes: "Years 3 to 5" -> ("year", "3"), ("year", "4"),
    ("year", "5"); "Parts A-C" -> ("part", "A"), ("part", "B"), ("part", "C")."""
    found = set()
    for m in SERIES_NUMBERED.finditer(text):
        series = _series(m.group(1))
        values = re.findall(r"\d{1,3}|[A-Z]", m.group(2))
        if re.search(r"\bto\b|\bthrough\b|-|–", m.group(2)) and len(values) == 2:
            low, high = sorted(values, key=lambda v: (len(v), v))  # "grades 9 to 4" is 4 to 9
            if low.isdigit() == high.isdigit():
                ordinals = range(int(low), int(high) + 1) if low.isdigit() else range(ord(low), ord(high) + 1)
                values = [str(n) if low.isdigit() else chr(n) for n in ordinals]  # at most 1,000: three digits
        found |= {(series, v) for v in values}
    return found


def code_key(code: str) -> str:
    """The same code however it is written: "KAF-560", "kaf560" and "KAF 560" give "kaf560"."""
    return re.sub(r"[\W_]+", "", code).lower()


def code_series(key: str) -> str:
    """The series a code's key (``code_key``) belongs to, its letters: "kaf" for "kaf560", "e" for "e4"."""
    return re.match(r"[a-z]*", key).group()  # type: ignore[union-attr]


_CLOCK = re.compile(_TIME)


def _measure_not_time(text: str, start: int, end: int) -> bool:
    """Whether a time written with a dot is a figure with a unit instead ("from 2.45 to 3.10 metres")."""
    return bool(_DOTTED.fullmatch(text, start, end) and _MEASURED.match(text, end))


def _spans(pattern: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in pattern.finditer(text)]


def clock_times(text: str) -> list[tuple[int, int]]:
    """Where ``text`` gives a time of day; "from 2.45 to 3.10 metres" gives none."""
    return [(a, b) for a, b in _spans(_CLOCK, text) if not _measure_not_time(text, a, b)]


def pattern_spans(text: str, kind: AnswerType) -> list[tuple[int, int]]:
    """Where ``text`` holds an answer of ``kind`` (a figure, an amount, a percentage, a date or time,
    an address): (start, end) pairs, in order."""
    return list(_pattern_spans(text, kind))


@lru_cache(maxsize=8192)
def _pattern_spans(text: str, kind: AnswerType) -> tuple[tuple[int, int], ...]:
    # Cached: one question scans the same retrieved sentences several times (ranking by the kind
    # asked, choosing the short answer, what a figure counts), and a server's questions come back to
    # the same sentences. The date pattern alone costs ~0.2 ms a sentence.
    return tuple(_uncached_pattern_spans(text, kind))


_RANGE_START = re.compile(rf"{_QUALIFIER}({_NUMBER})\s*(?:to|-|–)\s*", re.I)
_FROM_BEFORE = re.compile(r"\bfrom\s+$", re.I)


def _percentages(text: str) -> list[tuple[int, int]]:
    """The percentages of ``text``; a range is one ("15 to 20%") when it rises and no "from" opens
    it: "rose from 5 to 7%" gives 7%, "320 - 64%" (a count, then its share) gives 64%."""
    out = []
    for a, b in _spans(PATTERNS["percent"], text):
        if (lead := _RANGE_START.match(text, a, b)) and (
                _FROM_BEFORE.search(text, 0, a) or not _ascending(lead.group(1), text[lead.end():b])):
            a = lead.end()
        out.append((a, b))
    return out


def _ascending(first: str, second: str) -> bool:
    """Whether a range's first figure is below its second's ("15" and "20%")."""
    numbers = [re.search(r"\d[\d,]*(?:\.\d+)?", x) for x in (first, second)]
    if not all(numbers):
        return False
    low, high = (float(n.group().replace(",", "")) for n in numbers)  # type: ignore[union-attr]
    return low < high


def _uncached_pattern_spans(text: str, kind: AnswerType) -> list[tuple[int, int]]:
    spans = _percentages(text) if kind == "percent" else _spans(PATTERNS[kind], text)
    money = list(PATTERNS["money"].finditer(text)) if kind in ("number", "phone", "date") else []
    if kind == "number":
        # A year is when, not how many: "In 2020 the port will train more pilots" gives no count;
        # nor is the figure of an amount ("€24.90") a count or a weight.
        taken = _dates(text, _spans(PATTERNS["date"], text), money)
        taken += [(m.start(), m.end()) for m in money
                  if re.search(r"[^\w\s.,()]", m.group()) or not _ALSO_A_NOUN.search(m.group())]
        # Nor is the number of a step in a list ("6. Run the tap for five minutes"), nor an age that
        # names a group ("over-65s", "under-18s"): "concessions for over-65s" counts nobody.
        taken += [m.span(1) if m.group(1) else m.span(2) for m in _LIST_MARKER.finditer(text)]
        taken += [m.span(1) for m in _AGE_GROUP.finditer(text)] + _year_pairs(text)
        # Nor a version in a name ("HTTP/1.1 servers" counts no servers; nor does the "2.x" branch),
        # nor the first figure of a range of percentages ("15 to 20%").
        percentages = _percentages(text)
        taken += [m.span() for m in _NAMED_VERSION.finditer(text)] + percentages
        spans = [(a, b) for a, b in spans if not any(c <= a and b <= d for c, d in taken)]
        # Nor the hour of a time ("around 04" of "around 04:00"); "over 2000 people" is a count.
        clock = clock_times(text)
        spans = [(a, b) for a, b in spans if not any(a < d and c < b for c, d in clock)]
        if not spans:
            spans = percentages
    elif kind == "phone":
        # Seven digits or more, or three after "call" ("call 101"); not years ("2019-2023"), a date
        # ("12.03.2025") or an amount. Digits run together are a phone number only if they start
        # like one ("01632960000", "+4420..."), not a charity's number ("1098342").
        spans = [(a, b) for a, b in spans
                 if (sum(c.isdigit() for c in text[a:b]) >= _PHONE_DIGITS
                     and (not text[a:b].isdigit() or text[a] in "0+")
                     or (sum(c.isdigit() for c in text[a:b]) >= 3 and _DIAL.search(text, 0, a)))
                 and not _NOT_A_PHONE.fullmatch(text[a:b]) and not any(a < m.end() and m.start() < b for m in money)]
        # "(telephone 01632 774 355)": the bracket that closes the aside is not the number's.
        spans = [(a, b - 1 if text[b - 1] == ")" and text.count(")", a, b) > text.count("(", a, b) else b)
                 for a, b in spans]
    elif kind == "web":
        emails = _spans(PATTERNS["email"], text)
        spans = [(a, b - len(text[a:b]) + len(text[a:b].rstrip(".,;:!?'\")"))) for a, b in spans
                 if not any(a < d and c < b for c, d in emails)]  # the domain of an email address
    elif kind == "date":
        spans = _dates(text, spans, money)
    return spans


def _dates(text: str, spans: list[tuple[int, int]], money: list[re.Match[str]]) -> list[tuple[int, int]]:
    """The date candidates ``spans`` that are dates: an amount is no year ("£2090" answers no "In what
    year ...?"), nor is "from 2.45 to 3.10 metres" a time."""
    return [(a, b) for a, b in spans if not any(m.start() <= a < m.end() for m in money)
            and not _measure_not_time(text, a, b)]


def fits(question: str, text: str, end: int) -> bool:
    """Whether the figure ending at ``end`` is of what the question asks: a weight for "How much does
    it weigh?", a height and not a length for "How tall ...?" ("40 metres long" is none), and for
    "How many books ...?" a count, not a measure such as "21 days". "How long ...?" may want a time or
    a length, but not a size or a weight: "Exporting the 2.1 GB dataset takes about 40 seconds"."""
    if _ASKS_HOW_LONG.search(question) and (_NOT_HOW_LONG.match(text, end) or (
            _WORD_AFTER.match(text, end) and not _HOW_LONG_UNIT.match(text, end))):
        return False  # "at 150 nits", "five of the six testers": no time, no length
    units, dimension = _units_wanted(question)
    if units is None:
        return True
    if units is _NO_UNIT and _ENDS_PERCENT.search(text, 0, end) and not ASKS_PART.search(question):
        # A percentage counts nothing ("How many panels?": not "about 10 percent more efficient"),
        # unless it is of what is counted ("How many students passed?": "92% of students passed").
        of = _PERCENT_OF.match(text, end)
        return of is not None and bool(set(tokenize(of.group(1))) & set(tokenize(question)))
    measured = units.match(text, end)
    if measured is None:
        return False
    said = _DIMENSION_SAID.match(text, measured.end())
    return not (dimension and said and _DIMENSION_OF[said.group(1).lower()] != dimension)


def says_how_long(question: str, text: str, end: int) -> bool:
    """Whether the figure ending at ``end`` is said in a unit of time or length and ``question`` asks
    "How long ...?": of the figures that fit, the likelier answer ("for 20 to 25 minutes", not the
    "gas mark 4" beside it)."""
    return bool(_ASKS_HOW_LONG.search(question) and _HOW_LONG_UNIT.match(text, end))


_ENDS_PERCENT = re.compile(rf"(?:{_PERCENT})$", re.I)
_PERCENT_OF = re.compile(r"\s+of\s+(?:the\s+|all\s+|its\s+|their\s+|our\s+)?([A-Za-z-]+)")
_ASKS_HOW_LONG = re.compile(r"\bhow long\b", re.I)
_NOT_HOW_LONG = _units(_DATA_UNITS, _WEIGHT_UNITS, _PERCENT, r"degrees?|°C|°F|°")
_HOW_LONG_UNIT = _units(_TIME_UNITS, _LENGTH_UNITS, r"s|ms|secs?|h|min|yrs?|mths?|mos?|wks?|nights?|terms?|semesters?|"
                        r"sessions?|laps?|characters?|chars?|digits?|letters?|words?|pages?|lines?|episodes?")
_WORD_AFTER = re.compile(r"[\s-]+[A-Za-z]")
"""A word right after a figure, which for "How long ...?" must be a unit of time or length (or of a
text's length): "a 12-week course", "11 h 40 min", "at least 12 characters", but not "at 150 nits" or
"five of the six testers"."""


_DIMENSION_OF = {"tall": "height", "high": "height", "height": "height", "wide": "width", "width": "width",
                 "across": "width", "deep": "depth", "depth": "depth", "long": "length", "length": "length"}
_DIMENSION_SAID = re.compile(r"\s+(?:in\s+)?(tall|high|height|wide|width|across|deep|depth|long|length)\b", re.I)


@lru_cache(maxsize=256)  # asked for every candidate figure of every sentence a question looks at
def _units_wanted(question: str) -> tuple[re.Pattern[str] | None, str | None]:
    """What must follow a figure for it to answer ``question``: a unit of the dimension asked, no
    unit at all for a count (``_NO_UNIT``), or anything (None); and the dimension a size question
    names ("height" for "How tall ...?"), which a figure must not be said to be another of."""
    if len(parts(question)) > 1:
        return None, None  # which part a figure answers is not known here
    for asks, units in _DIMENSIONS:
        if found := asks.search(question):
            return units, _DIMENSION_OF[found.group(1).lower()] if asks is _ASKS_LENGTH else None
    counted = _HOW_MANY.search(question)
    # "How many minutes ...?" asks for a measure, in whatever unit the text gives ("4 hours").
    if counted and not UNIT.match(" " + question[counted.end():]):
        return _NO_UNIT, None
    return None, None


