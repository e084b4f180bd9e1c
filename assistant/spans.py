"""Short answers inside a sentence: the number, amount, percentage, date, address or name a question
asks for, chosen among the candidates of its kind (``answer_kinds``, and names here) by closeness to
the question's own words."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache

from .answer_kinds import (
    ASKS_DAY,
    ASKS_TIME_OF_DAY,
    DAY,
    DAY_DATE,
    FREE,
    MONTH,
    PATTERNS,
    RATE,
    UNIT,
    UNIT_OF_TIME_AND_PART,
    clock_times,
    fits,
    pattern_spans,
    says_how_long,
)
from .bands import asked_ages, asked_amounts, asked_sizes, band_spans, money_band_spans, size_fits
from .lexical import tokenize
from .questions import (
    ASKS_PART,
    ASKS_WHO_IS,
    PINNED,
    SPAN_KINDS,
    YEAR,
    YES_OR_NO,
    AnswerType,
    contraries,
    says_contrary,
)
from .sentences import Sentence
from .tables import column_at, table_layout
from .weekdays import asked_days, days_named
from .weekdays import fits as day_fits

__all__ = ["row_named", "CALENDAR_WORD", "describes_in_full", "find_span", "has_answer_kind", "proper_words", "ranges", "table_cell"]

_WORD = re.compile(r"[^\W_]+(?:['’][^\W\d_]+)?", re.UNICODE)
_CONNECTORS = {"of", "the", "for", "and", "de", "on", "du", "van", "von", "&"}


_AT = "in|at|near|into|outside|inside|across|throughout"
# What a place follows ("in Beijing", "from Arabia"); a person may follow "from" ("a letter from Ann").
_LOCATIVE = re.compile(rf"\b({_AT}|from)\s+(the\s+)?$", re.I)
_WHERE = re.compile(rf"\b({_AT})\s+(the\s+)?$", re.I)
# "Ann Lee said", "Ann Lee, the minister, said": the speaker comes before the verb, maybe with a title.
_SAID_AFTER = re.compile(r"(?:\s*,[^,.;]{1,60},)?\s*(said|says|told|stated|announced|added)\b", re.I)
_SPEECH = re.compile(r"\b(said|says|say|told|stated|announced|added|according to)\b", re.I)
# Words that give a cause or a purpose: what a "why" question wants the sentence to hold.
_REASON = re.compile(r"\b(because|due to|owing to|thanks to|as a result|result of|resulted in|led to|leading to|"
                     r"caused|so that|in order to|in an effort to|aim(?:s|ed)? to|the reason|reasons)\b", re.I)
_DESCRIBES = re.compile(r"\s+(?:(?:is|are|was|were|of)\s+)?([A-Za-z-]+)")
"""The word right after a figure (and its unit, and an "is" or "of"): what it counts or measures
("nine depots", "1.4 litres is filtered water")."""
_CLAUSE_BREAK = re.compile(r";|,\s+(?:and|but|while|whereas|of which|of whom)\b|"
                           r"(?<=\d)(?:\s+[^\W\d]+){0,3}\s+(?:and|but|while|whereas)\s+(?=(?:a|an|the|each|every|this|that|these|those)\s)")
"""Where one clause of a sentence ends and another, about something else, begins: after a comma
("holds 2.4 litres in total, of which 1.4 litres is filtered water"), or
after a figure and a few words ("A full plot costs £45 per year and a half plot costs £25 per
year"), not between the nouns of one subject ("Members of the choir and the orchestra pay £15")."""
_CLAUSE_GAP = 30
_OTHER_CELL = re.compile(r"\s\|\s")
"""Between two cells of a table's row: a name in another cell than the question's words is farther."""
_NAMED_KINDS = frozenset({"person", "place", "organisation"})
CLAUSE_WORD = 4
"""How much nearer (in characters) each distinct question word in a candidate's clause brings it."""
_SELECTORS = frozenset(tokenize("first last final earliest latest next previous highest lowest largest smallest "
                                "biggest most least oldest newest youngest longest shortest"))
"""Words that pick one of several like things ("the first bus ..., and the last ...")."""
# ", deputy director for general affairs at the General Administration of Customs": lower-case, and
# not a clause ("Mary Smith, who joined in 2021,").
_APPOSITION = re.compile(r",\s+(?!(?:who|whom|whose|which|that|and|or|but|however|although|though|while|said|says|"
                         r"told|added)\b)([a-z][^,.;:!?]*?)\s*(?=,|\.?\s*$)")
# "The office manager, Priya Shah, approves ...": the description before the name.
_APPOSITION_BEFORE = re.compile(r"\b(?:[Tt]he|[Ii]ts|[Hh]is|[Hh]er|[Tt]heir|[Oo]ur|[Aa]n?)\s+([a-z][\w'’ -]*?),\s*$")
# A month or a day is not a person; "May" alone may be one (a surname), "May 15" is not.
_CALENDAR = re.compile(rf"{MONTH}\s+\d{{1,2}}|(?!May\b){MONTH}|{DAY}")
_ANY_CALENDAR = re.compile(rf"{MONTH}(?:\s+\d{{1,2}})?|{DAY}")
"""For a place or an organisation, "May" is a month too."""
_BEFORE_MONTH = re.compile(r"\b(?:in|for|during|since|until|till|early|late|mid|last|next|this)[\s-]+$",
                           re.IGNORECASE)
CALENDAR_WORD = re.compile(rf"\b(?:{MONTH}|{DAY})\b")
"""A month or a day of the week, by name."""
# Titles before a person's name: "Chief Financial Officer Tomasz Nowak", "Ms. Rosa Klein". Only a
# run ending in a title proper is left out: "Financial Conduct Authority" and "General Motors" stay.
_TITLE_HEAD = re.compile(
    r"(?:(?:Chief|Executive|Financial|Operating|Technology|Vice|Deputy|General|Head|Senior|Assistant|Acting)\s+)*"
    r"(?:Mr|Mrs|Ms|Mx|Dr|Prof|Professor|Sir|Dame|Lord|Lady|President|Officer|Director|Minister|Secretary|Senator|"
    r"Governor|Mayor|Judge|Justice|Chairman|Chairwoman|Chair|Manager|King|Queen|Prince|Princess|Captain|Colonel|"
    r"Rev|Reverend|CEO|CFO|COO|CTO)\b\.?\s+")
_OPENERS = frozenset(
    "yesterday today tomorrow tonight last next earlier later now then however meanwhile instead overall "
    "finally first second third also still here there every each many most several both such "
    "contact email call ask see write visit phone please".split())
"""Words that often open a sentence in front of a name ("Yesterday Ann Lee said ...", "Contact Sam
Patel ..."); so do adverbs in -ly ("Unfortunately Tom Reyes ...")."""
_MARKER = r"(?:[-*•–]|\d{1,2}[.)]|\d{1,2}(?:\.\d{1,2})+\.?)"
"""A list item's marker or a clause's number ("3.4 Unused leave ..."): the word after it opens a sentence."""
_BULLET = re.compile(rf"\s*{_MARKER}\s+")
_LINE_MARKER = re.compile(rf"(?m)^[ \t]*(?!(?:[01]?\d|2[0-3])\.[0-5]\d\b){_MARKER}[ \t]+")
"""A marker opening a line; "10.30 Madonna performs" opens with a time, and "Madonna" is a name."""
_ORGANISATION_END = re.compile(r"\b(?:Ltd|Limited|Inc|plc|LLC|Corp|Corporation|Company|Co|Council|University|"
                               r"Department|Ministry|Office|Administration|Authority|Association|Bank|Group|"
                               r"Centre|Center|Institute|School|Hospital|Museum|Trust)\.?$")
_NAME = re.compile(r"\b[A-Z][\w'’.&-]*(?:\s+(?:of|the|for|and|de|on|du|van|von|&)?\s*[A-Z][\w'’.&-]*)*")


def _name_spans(text: str, document_text: str) -> list[tuple[int, int]]:
    proper, lower = proper_words(document_text), _lower_words(document_text)
    spans = []
    for m in _NAME.finditer(text):
        words = m.group().split()
        start = m.start()
        # A capitalised sentence opener ("Courts", "Last year") is a name only if the document also
        # capitalises it mid-sentence, or never writes it in lower case and it starts a longer name
        # ("Halden Civil Works built ...").
        # A table cell opens like a sentence, for a word alone: "| Afternoon break |" names no one,
        # but "| Mark Evans |" is a name though the document says "mark the date".
        at_opening = start == 0 or text[:start].rstrip().endswith((".", "!", "?", ":", '"', "\u201c")) \
            or bool(_BULLET.fullmatch(text[:start])) or (len(words) == 1 and text[:start].rstrip().endswith("|"))
        opener = words[0].lower()
        opener_is_name = words[0] in proper or (len(words) > 1 and opener not in lower and bool(tokenize(opener))
                                                and opener not in _OPENERS and not opener.endswith("ly"))
        if at_opening and words and not opener_is_name:
            start += len(words[0]) + 1
            words = words[1:]
            while words and words[0].lower() in _CONNECTORS:
                start += len(words[0]) + 1
                words = words[1:]
        name = " ".join(words)
        # "The" alone is no name, but "IT" and "WHO" are, though they spell stop words; "I" is neither.
        if words and name != "I" and (tokenize(name) or name.replace(".", "").isupper()):
            spans.append((start, start + len(name)))
    return spans


@lru_cache(maxsize=1024)  # per document, asked again for each of its sentences
def proper_words(document_text: str) -> frozenset[str]:
    """Words the document capitalises where a sentence does not start: names, not openers."""
    # A line's list marker or clause number is no word before it: "3.4 Unused leave ..." opens a sentence.
    text = _LINE_MARKER.sub("", document_text)
    return frozenset(m.group(1) for m in re.finditer(r"(?<=[\w,;] )([A-Z][\w'’.&-]*)", text))


@lru_cache(maxsize=1024)  # per document, asked again for each of its sentences
def _lower_words(document_text: str) -> frozenset[str]:
    """Words the document writes in lower case somewhere: common words, whatever opens a sentence."""
    return frozenset(re.findall(r"\b[a-z][\w'’-]*", document_text))


_PER = frozenset(tokenize("per"))


def find_span(question: str, sentences: Sequence[Sentence], kind: AnswerType,
              texts: dict[str, str] | None = None) -> tuple[int, str] | None:
    """The short answer of the wanted kind in the cited sentences, nearest to the question's words.

    Returns ``(citation number, span text)``; None when the question wants a sentence, not a span,
    or no candidate of that kind is present.
    """
    if kind not in SPAN_KINDS:
        return None
    if kind == "person" and (who := ASKS_WHO_IS.match(question)):
        # "Who is Jin Hai?" already says who: the answer is what the text says he is.
        # The full name in any sentence before the surname alone: "Tom Smith, senior planning
        # officer" says nothing of Mary Smith.
        for whole in (True, False):
            for n, sentence in enumerate(sentences, start=1):
                if (found := _description(who, sentence.text, whole)) is not None:
                    return n, sentence.text[found[0]:found[1]]
        return None
    # "per" says what a figure is counted by, not where it is: "How much is the Plus plan per month?"
    # is no nearer "Excess per claim" for it.
    question_stems = set(tokenize(question)) - _PER
    asked = set(tokenize(question, keep_stopwords=True))  # the stems and the stop words
    # The years and months the question names ("in 2024", "in April"; "May I ...?" names none).
    years = {m.group() for m in PINNED.finditer(question) if m.group().isdigit()}
    contrary = contraries(question)  # "the first bus" is not read from "the last weekday departure"
    months = {m.group() for m in _MONTH_WORD.finditer(question.strip()) if m.start() > 0}
    ages = asked_ages(question)  # "after 3 years": a band's figures are no answer
    amounts = asked_amounts(question)
    # "Customs officials from which places ...?": the places are named after "officials of (the)".
    owner = _OWNER_ASKED.search(question)
    owned = re.compile(rf"\b{re.escape(owner.group(1)[:-1])}\w*\s+(?:of|from|in|at)\s+(?:the\s+)?$",
                       re.I) if owner and len(owner.group(1)) > 3 else None
    # "rises from £3.40 to £3.60": the figure now, unless the question asks what it was.
    # ... and when the question names a year or month that a figure is written beside, that decides
    # ("from £40 in 2023 to £45 this year"); "from October" of a change written without one does not.
    old_ok = bool(_ASKS_OLD_VALUE.search(question)) if kind in _CHANGING else None
    difference = kind in _CHANGING and _ASKS_DIFFERENCE.search(question) is not None
    part_asked = ASKS_PART.search(question) is not None
    best: tuple[float, int, str] | None = None
    for n, sentence in enumerate(sentences, start=1):
        text = sentence.text
        document_text = (texts or {}).get(sentence.doc, text)
        # A table row's cells are named by its header: "| Student | £25 | £260 |" under "| Membership |
        # Monthly | Annual |" gives the annual fee in the column the question names.
        columns = _columns_asked(question, question_stems, document_text, sentence)
        if kind == "money":
            columns = _money_columns(columns, question_stems, document_text, sentence)
        # A row is named by its first cell, the more surely the rarer the question's words in it are.
        label = row_named(question_stems, document_text, sentence)
        # A table's row is read cell by cell: an answer stays in its cell ("6 Oct 2025   27 Oct 2025"
        # in a plain-text table is two dates), its column is counted by its "|", and a bare figure
        # in the column asked ("in 2024", under "2024 (£)") of the row asked is an amount of money.
        text = table_layout(document_text).read(document_text, sentence.start, text,
                                                currency_in=columns if label and kind == "money" else set())
        spans = _candidates(text, kind, document_text)
        free = [(m.start(), m.end()) for m in FREE.finditer(text)] + _unpaid(text, question_stems) if kind == "money" else []
        spans = spans or free  # "There is no fee" answers "What is the fee?"
        names = spans  # all of them, for the rest of a list ("in London, Manchester and Glasgow")
        if kind == "person" and _SPEECH.search(question):
            # "Who said ...?" asks for the speaker: the name that "said" or "according to" attaches to.
            spans = [(a, b) for a, b in spans if _SPEECH.search(text[max(0, a - 20):a]) or _SAID_AFTER.match(text[b:])]
        if kind == "date":
            dates = spans  # all of them, for a time's day and a day's time (``_whole_when``)
            spans = _when_asked(question, text, spans)  # "every Wednesday" tells no time of day
        if kind == "place":
            # "in Beijing", "at Lowmouth": a place is where a preposition of place points, if anywhere.
            located = [(a, b) for a, b in spans if _LOCATIVE.search(text[max(0, a - 12):a])]
            spans = located or spans
        elif kind == "person":
            # ... and a name that "in" or "at" points to is not a person ("from" may be: "a letter from Ann").
            spans = [(a, b) for a, b in spans if not _WHERE.search(text[max(0, a - 12):a])]
        # Where the question's words are in the sentence (start -> stem).
        anchors = {m.start(): toks[0] for m in _WORD.finditer(text)
                   if (toks := tokenize(m.group())) and toks[0] in question_stems}
        if len(dated := list(DAY_DATE.finditer(text))) == 1 and not DAY_DATE.search(question):
            # A day's date written once dates every figure of the sentence ("raise the rent from £48 to
            # £52 ..., from 1 October 2025"): the figure nearest it is no likelier the answer.
            for a in [a for a in anchors if dated[0].start() <= a < dated[0].end()]:
                del anchors[a]
        ends = {m.start(): m.end() for m in _WORD.finditer(text) if m.start() in anchors}
        several = kind in ("person", "place", "organisation") and _ASKS_SEVERAL.search(question) is not None
        if ages and kind in ("number", "money", "percent"):  # "2 to 5 years' service: 27 days": 27
            taken = band_spans(text, ages)
            spans = [(a, b) for a, b in spans if not any(c <= a < d for c, d in taken)]
        if amounts and kind in ("number", "money", "percent") and table_layout(document_text).in_table(
                document_text, sentence.start):
            # So is the band of money that keys a table's row: "£1 to £24,999 | 3.40%" says which row.
            taken = [(c, d) for c, d in money_band_spans(text) if column_at(text, c) == 0]
            spans = [(a, b) for a, b in spans if not any(c <= a < d for c, d in taken)]
        for_what = _parallel({a: m for a, b in spans if (m := _FOR_WHAT.match(text, b))}) if kind in _CHANGING else {}
        what_for = (_parallel({a: m for a, _ in spans if (m := _WHAT_FOR.search(text, max(0, a - 40), a))})
                    if kind == "money" else {})
        for start, end in spans:
            if kind == "number" and not _counts_what_is_asked(question, text, start, end, question_stems):
                continue
            if several:
                end = _list_end(text, end, names)  # "the EU, Japan and South Korea", not "EU"
            if kind in ("person", "organisation"):
                start = _after_asked(text, _after_titles(text, start, end) if kind == "person" else start, end,
                                     question_stems)
            words = _without_full_stop(text[start:end].strip(" ,;"), text[end:])
            said = set(tokenize(words)) or set(tokenize(words, keep_stopwords=True))
            if not words or (said <= asked and (start, end) not in free and not _other_measure(question, words, text, end, kind)):
                continue  # the question already says it ("Out" of "out of left field")
            own = len(words)  # the answer itself, before a title or unit is added to it
            if _BOUND.match(words) and _NEGATED_BEFORE.search(text, max(0, start - 30), start):
                words = "no " + words  # "must not weigh more than 10 kg": no more than 10 kg
            if kind == "person":
                words = _with_apposition(text, start, end)
                words = _without_full_stop(words, text[start + len(words):])
            elif kind == "number" and (unit := UNIT_OF_TIME_AND_PART.match(text, end) or UNIT.match(text, end)):
                words += unit.group()  # "2.5 litres per minute", not a bare "2.5"
            elif kind == "money" and (start, end) not in free and (rate := RATE.match(text, end)):
                words += rate.group()  # "£40 a day": "£40" alone does not say what a week costs
            elif kind == "date":
                first, last = _whole_when(text, start, end, dates)
                times = [(a, b) for a, b in clock_times(text) if first <= a and b <= last]
                listed = all(_LISTED.fullmatch(text, b, c) for (_, b), (c, _) in zip(times, times[1:]))
                if len(times) > 1 and listed and (which := _FIRST_OR_LAST.search(question)):
                    # "The first ferry": the first of "07:15, 09:30, 12:00"; "the last boat": the last.
                    first, last = times[0] if which.group(1).lower() in ("first", "earliest") else times[-1]
                words = _without_full_stop(text[first:last].strip(" ,;"), text[last:])
            # Near the question's words, not made of them: "Hollis & Crane Home Appliances Ltd" is
            # no answer to "Who is the safety manager at Hollis & Crane?".
            # A word in another clause ("the first leaves at 05:52, and the last at 23:10") is
            # farther than it looks.
            # From word to figure, as a figure is followed by what it counts ("$18 for adults, $12
            # for seniors"); a time, by the gap between them ("opens at 10am and closes at 6pm").
            # A name in another cell of a table's row than the question's words is another's: "Rachel
            # Dunn, CEO, Leeds Digital Skills Trust | Main Hall". (A figure's cell is named by its row.)
            distance = _nearest(text, start, kind, [(max(0, start - ends[a]) if a < start and kind == "date"
                                                      else abs(a - start), a)
                                                     for a in anchors if not start <= a < start + own])
            # ... and the more of the question's words its clause holds, the likelier it answers.
            clause_start = max((m.end() for m in _CLAUSE_BREAK.finditer(text, 0, start)), default=0)
            clause_end = next((m.start() for m in _CLAUSE_BREAK.finditer(text, end)), len(text))
            in_clause = {anchors[a] for a in anchors if clause_start <= a < clause_end and not start <= a < start + own}
            # A word that picks one of several like things ("the first ..., and the last ...") counts
            # for more: it is what the question asks which of them by.
            score = distance - CLAUSE_WORD * (len(in_clause) + 2 * len(in_clause & _SELECTORS))
            if kind == "number" and not re.search(r"\d", words):
                score += 15  # "one of the ..." is more often a phrase than a count: figures first
            if kind == "number" and says_how_long(question, text, end):
                score -= _DURATION_BONUS
            if kind == "number" and _ASKS_AGE.search(question) and (
                    _AGE_BEFORE.search(text, max(0, start - 16), start) or _AGE_AFTER.match(text, end)):
                score -= _AGE_BONUS  # "How old was he when he died?": "aged 39", not "two months later"
            if kind == "person" and _ORGANISATION_END.search(words):
                score += 20  # "who" may be answered by a firm ("Carver & Doyle"), but a person first
            # Read from the figure before it: "The first bus ... at 5:45am and the last bus leaves at 11:30pm".
            if contrary and says_contrary(contrary, text, max([clause_start] + [b for _, b in spans if b <= start]), start):
                score += _CONTRARY_COST
            if kind == "date" and _BORN_BEFORE.search(text, max(0, start - 12), start) and not _ASKS_BIRTH.search(question):
                score += _BIRTH_COST
            if (old_ok is not None and _was_before_change(text, start, end)
                    and not (years and _year_of(text, start, end)) and not (months and _year_of(text, start, end, _MONTH_WORD))):
                score += -_OLD_VALUE_COST if old_ok else _OLD_VALUE_COST
            if difference and _DIFFERENCE_BEFORE.search(text, max(0, start - 40), start):
                score -= _DIFFERENCE_BONUS
            if owned is not None and owned.search(text, 0, start):
                score -= _OWNER_BONUS
            if columns and column_at(text, start) in columns:
                score -= _COLUMN_BONUS
            if label:
                score -= _LABEL_BONUS * label  # the row its label names: "Premises", not "Staff costs"
            if part_asked and kind == "number" and _PART_OF.match(text, end):
                score -= 40  # "How many of the wins were by juniors?": the 15 of "15 of the club's 34 wins"
            if ((role := _ROLE_IN_BRACKETS.match(text, end) or _OWN_BRACKETS.search(text, start, end))
                    and _LABEL.fullmatch(role.group(1)) and set(tokenize(role.group(1))) & question_stems):
                # "Present: Helen Okafor (Chair), Tom Birch (Treasurer)": the chair is Helen Okafor; "Main
                # Service: £329 (petrol), £345 (hybrid)": the hybrid's is £345.
                score -= 40
            # What a figure is for, written after or before it as each of the sentence's figures is
            # (not "a £50 deposit ... and the balance of £300 for the trip"), counts by the question's
            # words in it that the rest of the sentence does not use: "swim" of "under-16s swim for
            # £3" is the adult swim's word too.
            if (what := for_what.get(start)) and _own_words(text, what, question_stems):
                score -= _FOR_WHAT_BONUS
            if item := what_for.get(start):
                score -= _WHAT_FOR_BONUS * len(_own_words(text, item, question_stems))
            # (The part's own words run from "including" on: "£300 including insurance of £25".)
            if (kind in _CHANGING and (included := _INCLUDED.search(text, max(0, start - 30), start))
                    and not (set(tokenize(text[included.start():clause_end])) - set(tokenize(text[:included.start()])))
                    & question_stems):
                score += _INCLUDED_COST
            if (kind == "number" and (others := _OTHERS.match(text, end)) and any(a >= end for a, _ in spans)
                    and not set(tokenize(others.group(1), keep_stopwords=True)) & asked):
                score += _OTHERS_COST
            if kind == "person" and (set(tokenize(words)) <= TITLE_WORDS | question_stems
                                     or words.split()[-1].lower() in ROLE_HEADS):
                score += 60  # "Chief Executive Officer" is what she is, not who: "Rachel Adeyemi"
            if kind == "person" and _describes_a_name(text, start, end, names):
                score += 60  # "Olympic silver medallist Grace Ndlovu": "Olympic" says what she is
            described = _DESCRIBES.match(text, start + len(words)) if kind == "number" else None
            if described and set(tokenize(described.group(1))) & question_stems:
                score -= 20  # the figure of what is asked: "nine depots", "1.8 metres deep"
            for asked_when, written in ((years, _YEAR), (months, _MONTH_WORD)):
                if asked_when and kind != "date" and (when := _year_of(text, start, start + own, written)):
                    # "48,000 visits in 2023 and 51,000 in 2024": the figure written beside the year
                    # asked; or month: "6 crimes during May, compared with 11 in April".
                    score += -25 if when in asked_when else _OTHER_YEAR_COST
            if best is None or score < best[0]:
                best = (score, n, words)
    return (best[1], best[2]) if best else None


_NUMBERED_BY = re.compile(r"\b((?i:No|Nos|Number|Op|Opus|Floors?|Levels?|Rooms?|Gates?|Platforms?|Stairs?|Blocks?|"
                          r"Zones?|Terminals?|Chapters?|Sections?|Clauses?|Pages?|Steps?|Stages?|Routes?|Flats?|"
                          r"Plots?|Units?|Grades?|Bands?|Tables?|Figures?)|Weeks?|Years?|Days?)\.? ?#?$")
"""What a number names when it follows, one space after: "Symphony No. 2", "on floors 1 to 4", "Week
27" (a week, a year or a day with a capital: "this year 92%" is a share); unless the question asks
about that word ("Which week ...?"), it is no answer to "How many ...?" or "How long ...?". A spec
sheet's "Assist Levels    5" is a label and its value, lined up."""

_ASKS_AGE = re.compile(r"\bhow old\b|\b(?:what|which) age\b", re.I)
_AGE_BEFORE = re.compile(r"\b(?:aged|age of|ages?)\s+$", re.I)
_AGE_AFTER = re.compile(r"[\s-]*(?:years?|yrs?|months?)[\s-]*old\b|\s+years of age\b", re.I)
_AGE_BONUS = 40


_BOUND = re.compile(r"(?:more|less|fewer) than\b", re.I)
_NEGATED_BEFORE = re.compile(r"(?:\bnot|\bnever|\bcannot|n['’]t)\s+(?!(?:only|just)\b)(?:[a-z]+\s+){0,2}$", re.I)
"""A negation of the verb before a bound ("must not weigh more than"); "not only" negates nothing."""


def _counts_what_is_asked(question: str, text: str, start: int, end: int, question_stems: set[str]) -> bool:
    """Whether the figure at ``start:end`` may answer a question for a number: of the measure or count
    asked (``answer_kinds.fits``), and no name's number ("Symphony No. 2", "floors 1 to 4") unless
    the question asks about that name's word."""
    named = _NUMBERED_BY.search(text, max(0, start - 12), start)
    return fits(question, text, end) and (named is None or bool(set(tokenize(named.group(1))) & question_stems))


def _parallel(found: dict[int, re.Match[str]]) -> dict[int, re.Match[str]]:
    """``found`` (what each figure is for, by the figure's start) when two figures or more have it, as
    in a parallel list ("£24 for two courses or £29 for three"); else none."""
    return found if len(found) >= 2 else {}


def _own_words(text: str, phrase: re.Match[str], question_stems: set[str]) -> set[str]:
    """The question's words in ``phrase``'s first group that the rest of ``text`` does not use."""
    rest = set(tokenize(text[:phrase.start(1)] + " " + text[phrase.end(1):]))
    return (set(tokenize(phrase.group(1))) - rest) & question_stems


def _nearest(text: str, start: int, kind: AnswerType, gaps: list[tuple[int, int]]) -> int:
    """The least distance from a candidate at ``start`` to a question's word, given each word's
    (gap, position): a word in another clause, or for a name in another cell of a table's row, is
    ``_CLAUSE_GAP`` farther. Words are tried nearest first, and only while one could still be nearer
    than the best so far: a sentence of 500 figures and 500 of the question's words took 76 s
    when every pair was searched for a clause break."""
    if not gaps:
        return len(text)
    best = float("inf")
    for gap, a in sorted(gaps):
        if gap >= best:
            break
        lo, hi = min(a, start), max(a, start)
        apart = _CLAUSE_BREAK.search(text, lo, hi) or kind in _NAMED_KINDS and _OTHER_CELL.search(text, lo, hi)
        best = min(best, gap + (_CLAUSE_GAP if apart else 0))
    return int(best)


_OTHER_YEAR_COST = 60
"""How much farther a figure counts when it is written beside another year or month than the one
asked: "In 2025 we aim to reach 300 members" gives no count for the end of 2024."""
_CONTRARY_COST = 30
"""How much farther (in characters) a figure counts when the words since the figure before it (in
its clause) say the contrary of the question's word ("the last bus" for "the first")."""
_BORN_BEFORE = re.compile(r"\b(?:born|b\.|died|d\.)\s+(?:in\s+|on\s+)?$", re.I)
_ASKS_BIRTH = re.compile(r"\b(?:born|birth|birthday|died|death|die|dies|old|age)\b", re.I)
_BIRTH_COST = 40
"""How much farther (in characters) a date counts when it is a birth or a death ("Oskar, Eurasian
lynx (male, born 2020)") and the question asks when something else happened ("When did Oskar arrive
at Harwood?"): a life's dates stand beside a name, nearer its words than the event asked."""
_CHANGING = frozenset({"money", "number", "percent"})
_CHANGE_VERB = (r"(?:ris(?:e|es|en|ing)|rose|gr[eo]w(?:s|n|ing)?|climb\w*|f[ae]ll(?:s|en|ing)?|reduc\w*|cuts?|"
                r"increas\w*|decreas\w*|chang\w*|drop\w*|rais\w*|lower\w*|jump\w*|doubl\w*|halv\w*|soar\w*|"
                r"surg\w*|plung\w*|slipp?\w*|dipp?\w*|shr[iau]nk\w*|expand\w*|extend\w*|shorten\w*|declin\w*|"
                r"improv\w*|slash\w*|boost\w*|mov(?:e|es|ed|ing)|go|goes|went|gone|going)")
# Between the verb and "from": no sentence's end, but a decimal's point may be ("grew by 4.8%, from ...").
_FROM_BEFORE = re.compile(rf"(?:\b{_CHANGE_VERB}\b(?:[^.;:!?]|(?<=\d)\.(?=\d)){{0,40}}?|\b(?:up|down)\s+)\bfrom\s+$",
                          re.I)
_JUST_FROM = re.compile(r"\bfrom\s+$", re.I)
_CHANGED_BEFORE = re.compile(rf"\b{_CHANGE_VERB}\b[^.;:!?]*\bfrom\s+\S*\d\S*\s+to\s+\S*\d", re.I)
_TO_AFTER = re.compile(r"\s*(?:[^\W\d]+\s+)?(?:up\s+|down\s+)?to\s+\S*\d", re.I)
_ASKS_OLD_VALUE = re.compile(r"(?<!how )\b(?:(?:than )?before(?=\s*[?.!]|\s*$|\s+(?:it|the|this|that)\s+(?:chang|ris|rose|increas|"
                             r"went|go|cut|reduc|fell|fall|drop))|previous(?:ly)?|used to|old|original(?:ly)?|former(?:ly)?|prior|"
                             r"start(?:ed)?\s+(?:at|with|of)|beginning|from what|up from|down from|until now)\b", re.I)
_OLD_VALUE_COST = 30
"""How much farther (in characters) a figure counts when it is the value before a change ("rises from
£3.40 to £3.60", "up from 19 weeks") and the question does not ask what it was; and how much nearer
when it does ("How many homes were originally planned?": "increased from 30")."""
_DURATION_BONUS = 20
"""How much nearer a figure in a unit of time or length counts for "How long ...?"."""
# "How much did the council save?", "By how much did fares rise?": a verb of change, not a noun
# ("How much does a cut and blow-dry cost?").
_ASKS_DIFFERENCE = re.compile(
    r"\bby how much\b|\bhow much (?:did|has|have|had|will|would|does|do|is|was|could|can)\b.*"
    r"(?<!\ba )(?<!\ban )(?<!\bthe )\b(?:sav(?:e|es|ed|ing)|"
    r"cut|reduc(?:e|ed)|lower(?:ed)?|grow|grew|grown|ris(?:e|en)|rose|increas(?:e|ed)|f[ae]ll(?:en)?|drop(?:ped)?|"
    r"declin(?:e|ed)|climb(?:ed)?|jump(?:ed)?|shr[ai]nk|go up|went up|go down|went down)\b", re.I)
_DIFFERENCE_BEFORE = re.compile(
    r"\b(?:by|(?:a|an|the)\s+(?:saving|savings|cut|reduction|increase|rise|fall|drop|decrease|decline)\s+of)\s+"
    r"(?:(?:an?\s+)?(?:estimated|about|around|nearly|almost|roughly|some|over|more than|less than|just)\s+)*$", re.I)
"""What a change is, not what it changed to: "cut the costs by an estimated £312", "a saving of £312"
answer "How much did the council save?", not the "£208" that the costs "fell from £520 to"."""
_DIFFERENCE_BONUS = 30
"""How much nearer a figure counts when it is what a change was and the question asks by how much."""


def _was_before_change(text: str, start: int, end: int) -> bool:
    """Whether the figure at text[start:end] is what something changed from: "rises from £3.40 to
    £3.60", "was increased from 30 after ...", "14 weeks, down from 19". A range ("aged from 4 to
    11") has no verb of change; past a comma ("rose by 4.8%, from ..."), a "to" must follow."""
    before = _FROM_BEFORE.search(text[max(0, start - 60):start])
    if before is None:
        # A second change of the same verb: "raise the rent for a full plot from £48 to £52 and for a
        # half plot from £26 to £28".
        return bool(_JUST_FROM.search(text, max(0, start - 6), start) and _TO_AFTER.match(text, end)
                    and _CHANGED_BEFORE.search(text, 0, start))
    if re.search(r"\b(?:up|down)\s+from\s+$", before.group(), re.I) or "," not in before.group():
        return True
    return bool(_TO_AFTER.match(text, end))


_PRICE_WORDS = frozenset(tokenize("cost costs costing price prices fee fees charge charges pay paid spend spent amount"))
"""Words that ask for money, not which row: "What did insurance cost?" names no "Staff costs" row."""

_LABEL_BONUS = 20
"""How much nearer (in characters) a figure of a table's row counts for each question word its label
(first cell) holds, a word the document uses n times counting 1/n."""
_COLUMN_BONUS = 30
"""How much nearer (in characters) a figure in a table's cell counts when its header names what the
question asks ("Annual" for "the annual fee")."""


def row_named(question_stems: set[str], document_text: str, sentence: Sentence) -> float:
    """How surely a table's row is the one the question names by its first cell: for each question
    word there (a word asking for money aside), 1/n for a word the document uses n times; 0 for a
    row that shares none, or a sentence that is no table's row."""
    layout = table_layout(document_text)
    if layout.header_at(document_text, sentence.start) is None:
        return 0.0
    first = layout.cells(document_text, sentence.start, sentence.text)[:1]
    counts = _counts(document_text)
    return sum(1 / counts[t] for t in set(tokenize(first[0] if first else "")) & question_stems - _PRICE_WORDS
               if counts[t])


def table_cell(question: str, sentences: Sequence[Sentence], texts: dict[str, str]) -> tuple[int, str] | None:
    """For a question answered by a table's row, the cell of the one column its header names ("What is
    the minimum wholesale order for baguettes?": "30 sticks" under "Minimum order"), when the question
    names exactly one and does not already say what that cell says; ``(citation number, cell)``. Not
    for a question asked yes or no: "30 sticks" is no answer to "Is the minimum order 20 sticks?"."""
    if YES_OR_NO.match(question):
        return None
    stems = set(tokenize(question))
    for n, sentence in enumerate(sentences, start=1):
        document_text = texts.get(sentence.doc, sentence.text)
        # One column named, however little: "Which two action items are due on 4 April?" names two.
        columns = _columns_asked(question, stems, document_text, sentence, best_only=False)
        row = table_layout(document_text).cells(document_text, sentence.start, sentence.text)
        if len(columns) != 1 or (column := next(iter(columns))) >= len(row) or not row[column]:
            continue
        said = set(tokenize(row[column]))
        if said and not said <= stems:
            return n, row[column]
    return None


def _money_columns(named: set[int], question_stems: set[str], document_text: str, sentence: Sentence) -> set[int]:
    """For money asked of a table's row, the columns the question names (``_columns_asked``), or,
    when it names them only by the words that pick the row and none holds money, those whose header
    says they are a price: "How much is Band C council tax?" names "Fraction of Band D" by "Band",
    the word of the row's own column, and "8/9" is no money: "Annual charge" is asked, not "Property
    value". ("How much is the annual student plan?" names "Annual" by a word of its own: its "n/a"
    is the answer, not the joining fee.)"""
    layout = table_layout(document_text)
    header = layout.header_at(document_text, sentence.start) or []
    row = layout.cells(document_text, sentence.start, sentence.text)
    if not header or not row or any(n < len(row) and PATTERNS["money"].search(row[n]) for n in named):
        return named
    row_words = set(tokenize(f"{header[0]} {row[0]}"))
    if any(set(tokenize(header[n])) & question_stems - row_words for n in named):
        return named
    return {n for n, name in enumerate(header) if set(tokenize(name)) & _PRICE_WORDS} or named


def _columns_asked(question: str, question_stems: set[str], document_text: str, sentence: Sentence,
                   best_only: bool = True) -> set[int]:
    """For a table row, the columns (0-based) whose header shares a word with the question, and with
    ``best_only`` only those that name it best (below); a column dated from or until a month ("From 1
    April") is not the one asked "before April"."""
    header = table_layout(document_text).header_at(document_text, sentence.start)
    if not header:
        return set()
    asked_side = {m.group(2): _side(m.group(1)) for m in _DATED.finditer(question)}
    contrary = contraries(question)
    # A header that names the day asked ("Fri" for "on a Friday", "Mon–Thu" for "on a Tuesday")
    # names its column as surely as a shared word would, though it shares none; when the header's
    # columns are days, not when one "| Sun |" heads a plant's sunlight.
    days = asked_days(question)
    if days and len(set().union(*(days_named(name) for name in header))) < 2:
        days = frozenset()
    sizes = asked_sizes(question)
    shared = {}
    for n, name in enumerate(header):
        # "a 40in chest" names "Price (chest 36in to 46in)", not "Price (chest 28in to 34in)".
        holds = bool(days) and day_fits(days, name) is True or any(size_fits(size, name) for size in sizes)
        if not set(tokenize(name)) & question_stems and not holds:
            continue
        dated = _DATED.search(name)
        if dated and asked_side.get(dated.group(2), _side(dated.group(1))) != _side(dated.group(1)):
            continue
        if contrary and says_contrary(contrary, name):
            continue  # "Last bus" is not "First bus", though both say "bus"
        shared[n] = sum(1 / _counts(document_text)[t] for t in set(tokenize(name)) & question_stems) + holds
    if not best_only:
        return set(shared)
    if len(shared) > 1:
        # The first column names the row ("| More than 5 years | 30 days | 5 days |"): the question
        # names it to pick the row, and asks for another cell.
        shared.pop(0, None)
    # Of headers that share a word with the question, those that share the most, a word the document
    # seldom uses counting for more: "the last Sunday bus" names "Last bus" more than "Day", and
    # "How many days of leave can be carried over?" names "Carry-over allowed" more than "Annual leave".
    return {n for n, k in shared.items() if k == max(shared.values())}


@lru_cache(maxsize=256)
def _counts(document_text: str) -> Counter[str]:
    """How often the document uses each word (stem); a header's words are in it, so at least once. A
    word in every other line says less of which column is asked than one the document seldom uses."""
    return Counter(tokenize(document_text))


_DATED = re.compile(rf"\b(from|after|since|until|till|to|before|up to|by)\s+(?:the\s+)?(?:\d{{1,2}}(?:st|nd|rd|th)?\s+)?"
                    rf"({MONTH})\b", re.I)
"""A month with the word that says whether a span starts or ends there: "From 1 April", "before April"."""


def _side(word: str) -> str:
    return "start" if word.lower() in ("from", "after", "since") else "end"


_OWNER_ASKED = re.compile(r"\b([a-z]\w+)\s+(?:from|of|in|at)\s+(?:which|what)\s+\w+", re.I)
"""A noun asked about by where or whom it belongs to: "officials from which places", "staff of what firm"."""
_OWNER_BONUS = 30
"""How much nearer (in characters) a name right after that noun and "of"/"from" ("officials of the EU") counts."""
_MONTH_WORD = re.compile(rf"(?<!\d\s)\b{MONTH}\b(?!\s+\d)")
"""A month named as a period ("in April", "during May"), not a day's date ("31 May 2025", "May 16")."""
_FIRST_OR_LAST = re.compile(r"\b(first|earliest|last|latest|final)\b(?![-‐]|\s+(?:year|month|week|time)\b)", re.I)
"""Which of a list of times a question asks for: "the first ferry", "the last bus"."""
_LISTED = re.compile(r",\s*(?:and\s+)?|\s+and\s+|\s*&\s*")
"""What separates the times of a list ("07:15, 09:30 and 12:00"), not the ends of a span ("15:30–16:30")."""
_FIGURE = re.compile(rf"\d[\d,.]*\s*(?:million|billion|m|bn|k|%|percent|per cent)?\b(?!\s+{MONTH}\b)")
"""A figure, not a day's date's day ("3 May")."""
_YEAR = re.compile(rf"(?<![\d.,]){YEAR}(?!\d|[.,]\d)")  # "in 2024, compared with ..." too
_YEAR_REACH = 20
"""How far (in characters) from a figure a year may be and still be the year the figure is of."""
_LONGEST_WHEN = len("September")


def _year_of(text: str, start: int, end: int, written: re.Pattern[str] = _YEAR) -> str:
    """The year (or month, as ``written``) written nearest a figure, within ``_YEAR_REACH`` characters
    and the same clause ("" if none)."""
    # A year that ends within reach counts, though it starts farther ("In 2025 we aim to reach 300"):
    # the search starts a year's (or a month's) length earlier, and the distance is to its end.
    near = [(min(abs(m.start() - end), abs(start - m.end())), m.group())
            for m in written.finditer(text, max(0, start - _YEAR_REACH - _LONGEST_WHEN), end + _YEAR_REACH)
            if not start <= m.start() < end
            and not _CLAUSE_BREAK.search(text, min(m.end(), end), max(m.start(), start))
            # "revenue of $48.7 million for the third quarter of 2024, up 12% from $43.5 million": a
            # year before a comma ends a phrase with a figure of its own, and is not the figure's after
            # it ("In May, 6 incidents" is May's).
            and not (m.end() <= start and "," in text[m.end():start] and _FIGURE.search(text, 0, m.start()))]
    near = [(d, w) for d, w in near if d <= _YEAR_REACH]
    return min(near)[1] if near else ""


_JOINED = re.compile(r"(?:\s+[A-Z]{2,4})?(?:,?\s+(?:on|at)\s+|,\s*|\s+)")
"""What may stand between a time and the day it is on ("09:00 GMT on Wednesday"), or a day and its
time ("Friday 6 March, at 7pm")."""


def _whole_when(text: str, start: int, end: int, dates: list[tuple[int, int]]) -> tuple[int, int]:
    """The date or time at ``start``-``end`` with the times and days written next to it: "09:00 GMT
    on Wednesday 6 November 2024", not "09:00" alone."""
    grown = True
    while grown:
        grown = False
        for a, b in dates:
            if a >= end and _JOINED.fullmatch(text, end, a):
                end, grown = b, True
            elif b <= start and _JOINED.fullmatch(text, b, start):
                start, grown = a, True
    # "between September and October 2024", "from 14 April to 23 May": a span of time, whole, whichever
    # of its ends was found.
    for (a1, b1), (a2, b2) in zip(dates, dates[1:]):
        opening = _SPAN_OPENS.search(text, 0, a1)
        if opening and re.fullmatch(_SPAN_JOINS[opening.group(1).lower()], text[b1:a2]) and a1 <= start < b2:
            return a1, max(b2, end)
    return start, end


_SPAN_OPENS = re.compile(r"\b(between|from)\s+$", re.I)
_SPAN_JOINS = {"between": r"\s+and\s+", "from": r"\s*(?:to|until|till|–|-)\s*"}


def _without_full_stop(words: str, after: str) -> str:
    """The sentence's full stop is not part of a name ("Regulation.", "Nyström.", "the US."), an
    abbreviation's is ("D.C.")."""
    last = re.search(r"(?<![.\w])([^\W\d_]{2,})\.$", words)
    if last and not after.strip(" \"'”’)"):
        return words[:-1]
    return words


def _after_titles(text: str, start: int, end: int) -> int:
    """Where a person's name starts once the titles before it are left out: "Chief Financial Officer
    Tomasz Nowak" answers "who" with "Tomasz Nowak". A title alone ("President") stays."""
    while True:
        match = _TITLE_HEAD.match(text, start, end)
        if not match or not re.match(r"[A-Z]", text[match.end():end]):
            return start
        start = match.end()


def _after_asked(text: str, start: int, end: int, asked: set[str]) -> int:
    """Where a name starts once the words the question already says are left out, like titles:
    "Head of Network Planning Owen Pritchard" answers "Who is the head of network planning?" with
    "Owen Pritchard", and "Hollis & Crane Home Appliances" is not "Hollis & Crane"'s answer. What is
    left must be a name of two words or more, not cut after "of": "Halden Group" stays whole for
    "Who owns Halden Bank?", "Court of Appeal" for "Which court decided?", and "Curator of Maritime
    History" for "Who curated it?"."""
    words = list(re.finditer(r"\S+", text[start:end]))
    said = 0
    while said < len(words) and set(tokenize(words[said].group())) <= asked:
        said += 1
    while said and (len(words) - said < 2 or not words[said].group()[:1].isupper()
                    or not words[said - 1].group()[:1].isupper()):
        said -= 1  # back off until a name of two words or more is left, not cut after "of"
    return start + words[said].start() if said else start


TITLE_WORDS = frozenset(tokenize(
    "mr mrs ms mx dr prof professor president officer director minister secretary senator governor mayor judge "
    "justice chairman chairwoman chair chairperson manager captain colonel reverend head chief deputy vice "
    "assistant acting executive senior junior general treasurer coordinator coach convenor leader lead editor "
    "clerk controller supervisor administrator member financial operating operations technology"))
"""Words of a title or role: "Safety Officer and Social Secretary" names a role, not who holds it.
(Not "king", "lord" or "dame": they are surnames as often as titles, as in "Helen King".)"""
ROLE_HEADS = frozenset(
    "consultant scientist engineer analyst designer developer researcher lecturer founder architect economist "
    "strategist adviser advisor specialist librarian curator historian surgeon teacher tutor accountant "
    "solicitor barrister lawyer officer manager director coordinator editor correspondent reporter journalist".split())
"""The last word, as written, of a role in capitals ("Gareth Pryce, Freelance Consultant", "Data
Protection Officer"): what someone is, not who. Not stemmed: "Kestrel Engineering", "Haworth
Tompkins Architects" and "the Office" are firms and places. (Not "baker", "cooper", "nurse": surnames
as often as trades.)"""


_ROLE_IN_BRACKETS = re.compile(r"\s*\(([^()]{1,40})\)")
"""What a name or figure is, in brackets after it: "Helen Okafor (Chair)", "£345 (hybrid)"."""
_OWN_BRACKETS = re.compile(r"\(([^()]{1,40})\)$")
"""The same, when an amount's pattern takes it in: "£329 (petrol)"."""
_FOR_WHAT = re.compile(r"(?:\s+(?:per|a|an|each)\s+[^\W\d_]+)?\s+for\s+(?:the\s+|a\s+|an\s+|each\s+|all\s+)?"
                       r"([^\W\d_][\w'’-]*(?:\s+[^\W\d_][\w'’-]*)?)")
"""What a figure is for, after it: "$1 per day for DVDs", "£12 for seniors"."""
_WHAT_FOR = re.compile(r"(?:^|[,;:(]\s*|\b(?:and|or)\s+)((?:[^\W\d_][\w'’-]*\s+){1,3})for\s+$")
"""What a price is for, before it, as an item of a list: "Two courses for £24 or three courses for £29"
(not "The company shipped goods for 2,340 customers", nor "swim alone for up to 2 hours")."""
_WHAT_FOR_BONUS = 20
"""How much nearer a figure counts for each word of the question in what it is for, before it, that the
rest of the sentence does not use: the question's "three-course" picks £29 ("courses" is written
before both prices)."""
_FOR_WHAT_BONUS = 40
"""How much nearer a figure counts when what it is for is a word of the question: "The late fee is 25
cents per day for books and $1 per day for DVDs" gives DVDs' fee as $1, though "late fee" is
written nearer to 25 cents."""
_LABEL = re.compile(r"(?i)(?!.*\b(?:incl\w*|inc|excl\w*|plus|extra|only|each|per)\b)[^\W\d_]+(?:[\s-][^\W\d_]+){0,2}")
"""What a label in brackets is: a few words, no figure, no remark ("(cut included)", "(plus VAT)")."""
_INCLUDED = re.compile(r"\b(?:including|among them|of which|of whom|of these|of those)\s+(?:[a-z]+\s+){0,2}$", re.I)
"""Before a figure, that it is a part of the one before it: "handled 215,000 cases ..., including 77,000
cases involving patent infringement"."""
_OTHERS = re.compile(r"\s+(other|more|further|additional|extra)\b", re.I)
"""After a count, that it counts beside others: "the five officers and 33 other members, making 38 in
all" (38 members came)."""
_OTHERS_COST = 15
"""How much farther such a count counts when a figure follows it in the sentence (the whole, most
often), unless the question asks for "other", "more" and the like."""
_INCLUDED_COST = 10
"""How much farther a part counts than the whole it is part of, when the question asks for nothing
that the part's own words add, from "including" on ("How many cases did law enforcement handle?":
215,000)."""
_PART_OF = re.compile(r"\s+of\s+(?:the|its|their|our|his|her|these|those|all)\b", re.I)
"""After a figure, what it is a part of: "15 of the club's 34 wins"."""
_BEFORE_A_NAME = re.compile(r"\s+(?:[a-z][\w-]*\s+){1,3}$")


def _other_measure(question: str, figure: str, text: str, end: int, kind: AnswerType) -> bool:
    """Whether a figure the question also gives is of another measure here: "5 days" answers "How many
    days can staff with more than 5 years carry over?"."""
    unit = UNIT.match(text, end) if kind == "number" else None
    return unit is not None and not re.search(rf"(?<![\d.,]){re.escape(figure + unit.group())}", question, re.I)


def _describes_a_name(text: str, start: int, end: int, names: Sequence[tuple[int, int]]) -> bool:
    """Whether a one-word name only describes the name a few lower-case words after it ("Olympic silver
    medallist Grace Ndlovu", "Labour councillor Ann Lee"): a title of the person, not the person."""
    if " " in text[start:end].strip():
        return False
    return any(a > end and _BEFORE_A_NAME.fullmatch(text, end, a) and " " in text[a:b].strip() for a, b in names)


def _with_apposition(text: str, start: int, end: int) -> str:
    """"Jin Hai, deputy director for general affairs at ..." reads better than "Jin Hai"."""
    match = re.match(r",\s+((?:[a-z-]+\s+){0,3}(?:director|minister|official|spokes\w+|head|chief|president|"
                     r"chairman|secretary|vice-minister|deputy|professor|ceo)[^,.;]*)", text[end:])
    return text[start:end] + (", " + match.group(1) if match else "")


# "Which countries ...?", "Who are the judges?", "What companies ...?": several names, one answer.
# The noun right after "which" is plural ("bus", "process" and "news" are not; "does" is a verb).
_ASKS_SEVERAL = re.compile(r"\b(?:which|what)\s+(?:(?:two|three|four|five|other)\s+)?(?!(?:does|has|was|is|goes|says|news|series|species)\b)"
                           r"(?:[a-z]+[^\Wsu\d_]s\b(?!\s+(?:is|was)\b)|(?:[a-z]+ies|people|men|women)\b)|"
                           r"^\s*(?:and\s+)?who\s+(?:are|were)\b", re.I)
_LIST_AND = re.compile(r"\b(?:and|or)\b|&")
_LIST_JOIN = re.compile(r"\s*(?:,\s*(?:and\s+|or\s+)?|\s+(?:and|or|&)\s+)(?:the\s+)?")


def _list_end(text: str, end: int, spans: Sequence[tuple[int, int]]) -> int:
    """Where a list of names that begins with the one ending at ``end`` ends: at its "and" or "or"
    ("France, Germany and Italy"). Names joined by commas alone are not one list: "France, Germany
    said on Monday", "Ana Ruiz, Companies House records show"."""
    first, grown = end, True
    while grown:
        grown = False
        for a, b in spans:
            if a >= end and _LIST_JOIN.fullmatch(text, end, a):
                end, grown = b, True
    return end if _LIST_AND.search(text, first, end) else first


_ASKS_END = re.compile(r"\b(?:what time|when)\b.*\b(?:finish(?:es)?|end|ends|(?:be )?over|wrap(?:s)? up)\b", re.I)
_SAYS_END = re.compile(r"\b(?:finish\w*|end\w*|clos\w*|conclud\w*|wrap\w*|shut\w*|expir\w*|until|till|to|over|"
                       r"stop\w*|deadline|last|through|later than)\b|"
                       rf"\bby\s+(?:the\s+)?(?:\d|{MONTH}|{DAY})|\d\s*(?:[ap]\.?m\.?)?\s*[-–—]\s*\d", re.I)
"""A question for when something finishes, and a text that says something of an end: a time alone
("| 17:00 | Drinks reception |") is when it starts."""


def _when_asked(question: str, text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Of the points in time in ``text``, those of the sort asked for: "What time does it close?"
    wants hours, not the day names around them; "What is the closing date?" a day, not the "23:59"
    before it. Any of them when the question says neither."""
    if _ASKS_END.search(question) and not _SAYS_END.search(text):
        return []  # "| 17:00 | Drinks reception |" says when it starts, not when it finishes
    clock = {a for a, _ in clock_times(text)}
    if ASKS_TIME_OF_DAY.search(question):
        return [(a, b) for a, b in spans if a in clock]
    if ASKS_DAY.search(question):
        return [(a, b) for a, b in spans if a not in clock]
    return spans


# "20 to 25 minutes", "4-6 people", "£10–£15", "between 3 and 5 days": two figures of one range. Not
# "£30 or £20 for charities" (an alternative), nor "£1.2 million - £200,000 over budget" (an aside).
_RANGE_JOIN = re.compile(r"-|–|—|\s+to\s+|\s+and\s+")
_BETWEEN = re.compile(r"\bbetween\s+$", re.I)
# "rose from 5 to 7", "grown by 30 to 412": a change, whose figure now answers (``_was_before_change``).
_CHANGE_BEFORE = re.compile(rf"\b(?:from|by)\s+$|\b{_CHANGE_VERB}\s+(?:\w+\s+){{0,2}}$", re.I)


def ranges(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """``spans`` with each range's two figures made one: "How long do I simmer it?" is answered
    "20 to 25 minutes", not "20", and "How many calories?" is not answered by a count of minutes. Not a change ("rose from 5 to 7"): there the figure now answers
    (``_was_before_change``)."""
    out: list[tuple[int, int]] = []
    i = 0
    while i < len(spans):
        (a, b), nxt = spans[i], spans[i + 1] if i + 1 < len(spans) else None
        join = _RANGE_JOIN.fullmatch(text, b, nxt[0]) if nxt else None
        between = _BETWEEN.search(text, max(0, a - 9), a)
        if (nxt and join and not _CHANGE_BEFORE.search(text, max(0, a - 40), a) and _ascending(text, (a, b), nxt)
                and (join.group().strip() != "and" or between)):
            out.append((between.start() if between else a, nxt[1]))  # "between $50 million and $53 million"
            i += 2
        else:
            out.append((a, b))
            i += 1
    return out


def _ascending(text: str, first: tuple[int, int], second: tuple[int, int]) -> bool:
    """Whether the second figure is at least the first, as a range's end is ("carried 7 to 2" is a
    vote); True when either is not written in digits."""
    values = []
    for a, b in (first, second):
        digits = re.search(r"\d[\d,]*(?:\.\d+)?", text[a:b])
        if digits is None:
            return True
        values.append(float(digits.group().replace(",", "")))
    return values[1] >= values[0]


def _candidates(text: str, kind: AnswerType, document_text: str) -> list[tuple[int, int]]:
    if kind in ("number", "money"):
        return ranges(text, pattern_spans(text, kind))
    if kind in PATTERNS:
        return pattern_spans(text, kind)
    # Months and days ("November") are no one and nowhere; "May" may be someone.
    calendar = _CALENDAR if kind == "person" else _ANY_CALENDAR
    # ... nor are two of them ("September and October").
    names = [(a, b) for a, b in _name_spans(text, document_text)
             if not all(calendar.fullmatch(w) or w.lower() in _CONNECTORS for w in text[a:b].rstrip(".").split())]
    if kind == "person":
        # People's names are not written in capitals: "IPR" or "US" answers no "who"; and "May"
        # after "for", "in", "since" ... or before a day is the month ("the clerk's salary for May",
        # "On May 16 , Katy Perry was ...").
        names = [(a, b) for a, b in names if not text[a:b].replace(".", "").replace(" ", "").isupper()
                 and not (text[a:b] == "May" and (_BEFORE_MONTH.search(text, 0, a) or re.match(r"\s+\d", text[b:])))]
    return names


def describes_in_full(question: str, text: str) -> bool:
    """Whether ``text`` says what the person "Who is Jin Hai?" asks about is, naming them in full
    ("Jin Hai, deputy director for general affairs at ...")."""
    asked = ASKS_WHO_IS.match(question)
    if asked is None or len((asked.group("name") or asked.group("owner") or asked.group("holder")).split()) < 2:
        return False  # "Who is Jin?" gives no full name: "..., Jin said" may follow any clause
    return _description(asked, text, True) is not None


def _description(asked: re.Match[str], text: str, whole: bool) -> tuple[int, int] | None:
    """For "Who is Jin Hai?" (``asked``), where ``text`` says what he is: the apposition after his
    name ("Jin Hai, deputy director for general affairs at the General Administration of Customs"),
    or before it ("The office manager, Priya Shah, ...")."""
    for found in _mentions(asked, text, whole):
        before = _APPOSITION_BEFORE.search(text, 0, found.start())
        if before:  # "The office manager, Priya Shah, ..."
            return before.start(1), before.end(1)
        if re.search(r"(?:,|\b(?:to|for|by|with|from|of))\s*$", text[:found.start()]):
            continue  # in a list, or after "According to": what follows is not about the name
        apposition = _APPOSITION.match(text, found.end())
        if apposition:
            return apposition.start(1), apposition.end(1)
        # The title's head word is a title's: "Operations Director", "Cabinet Member for ...", not
        # the next name of a list ("Present: Helen Okafor, Tom King, Priya Anand").
        titled = _TITLED_APPOSITION.match(text, found.end())
        if titled and set(tokenize(re.split(r"\s+(?:of|for)\s+", titled.group(1))[0].split()[-1])) & TITLE_WORDS:
            return titled.start(1), titled.end(1)
    return None


_TITLED_APPOSITION = re.compile(r",\s+((?:[A-Z][\w&.-]*(?:['’]s)?\s+(?:(?:of|for|and|the)\s+)*){0,5}[A-Z][\w-]*)\s*,")
"""A title in capitals between commas: "Emma Thornton, Valley Connect's Operations Director, said",
"Councillor Priya Anand, Cabinet Member for Environment and Leisure, said"."""


def _mentions(asked: re.Match[str], text: str, whole: bool | None = None) -> list[re.Match[str]]:
    """Where ``text`` names the person a "Who is ...?" question asks about: in full (``whole``), by
    surname alone ("Jin said"; ``whole=False``), or either (None)."""
    words = (asked.group("name") or asked.group("owner") or asked.group("holder")).split()
    names = {True: [" ".join(words)], False: words[-1:] if len(words) > 1 else []}
    found = []
    for name in (names[whole] if whole is not None else names[True] + names[False]):
        found += re.finditer(rf"\b{re.escape(name)}\b", text)
    return found


_NOT_PAID = re.compile(r"\bnot\s+(?:be\s+)?(?P<verb>reimbursed|refunded|repaid|paid|covered|compensated|funded|charged)\b|"
                       r"\bnon-(?P<able>refundable|reimbursable|chargeable)\b", re.I)


def _unpaid(text: str, question_stems: set[str]) -> list[tuple[int, int]]:
    """Where ``text`` says that what the question asks is paid is not ("Broadband costs are not
    reimbursed" for "How much is reimbursed for broadband?"): nothing is its amount. Only with the
    question's own verb, in a sentence that shares another of its words: "Deposits are not refunded"
    says nothing of how much a deposit is."""
    found = []
    for m in _NOT_PAID.finditer(text):
        verb = set(tokenize(m.group("verb") or m.group("able").removesuffix("able")))
        # ... and what is not paid for is what the question asks about: "Damage caused by a
        # dishwasher is not covered" says nothing of a broken handle.
        if verb & question_stems and (question_stems - verb) & set(tokenize(text)):
            found.append((m.start(), m.end()))
    return found


def has_answer_kind(text: str, kind: AnswerType, question_stems: set[str], document_text: str = "",
                    question: str = "") -> bool:
    """Does ``text`` hold a candidate answer of the kind asked for, one the question does not already say?"""
    if kind == "other":
        return False
    if kind == "reason":
        return bool(_REASON.search(text))
    if kind == "person" and (asked := ASKS_WHO_IS.match(question)):
        return bool(_mentions(asked, text))  # what the text says of the person, in whatever words
    if kind == "money" and (FREE.search(text) or _unpaid(text, question_stems)):
        return True
    candidates = _candidates(text, kind, document_text or text)
    if kind == "date":  # a date answers no "What time does it close?"
        candidates = _when_asked(question, text, candidates)
    for start, end in candidates:
        if kind == "number" and not _counts_what_is_asked(question, text, start, end, question_stems):
            continue
        # "one" is a stop word to BM25, but a count all the same.
        stems = set(tokenize(text[start:end])) or set(tokenize(text[start:end], keep_stopwords=True))
        if stems and not stems <= question_stems:
            return True
    return False
