"""Answers without an LLM: choose the source sentences, lead with the short answer, or abstain.

- The best-ranked sentence is cited; a second one from the same document joins it only when it
  ranks close and covers question terms the first leaves out (questions with two parts), or goes on
  with a list the question asks for ("What two steps ...?").
- When the question asks for a number, amount, percentage, date, name or address, the answer leads
  with that span, taken from the cited sentence nearest the question's own words.
- A question for a kind of answer that the sentences plainly lack (a figure, an amount of money, a
  height, an email address), or about a thing the documents never name, is refused whatever the
  confidence (``questions.required_kind``).
- Confidence is how well the best sentence matches the question (embedding similarity and shared
  rare words, 0..1), lowered when the question wants a kind of answer (a date, a figure) that the
  cited sentences do not hold. Below the threshold chosen on the eval sets' risk-coverage curves, the
  answer is an explicit abstention that names the question's most specific word the best sentence
  lacks, and lists the closest sentences so a person can judge the refusal.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import product

import numpy as np

from .answer_kinds import DAYS, ISO_DATE, MONTH, MONTHS, numbered_in, open_series, pattern_spans
from .answers import Answer, Citation
from .counts import uncounted
from .encoder import whole_words
from .language import other_language
from .lexical import LexicalIndex, relative_key, tokenize, uses_relative
from .questions import (
    ASKS_COUNT,
    ASKS_MONEY,
    ASKS_PART,
    CODE,
    MEASURE,
    NAMED_FIGURE,
    NUMBERED,
    PERIOD,
    PINNED,
    REFERS_BACK,
    REFUSAL,
    SPAN_KINDS,
    YEAR,
    YES_OR_NO,
    AnswerType,
    Condensed,
    answer_type,
    asks_for_source,
    asks_only_for_item,
    numbered_item,
    parts,
    period_key,
    preamble,
    required_kind,
)
from .retriever import Retrieved
from .sections import ListAfter, goes_on, list_after
from .sentences import Sentence
from .snapshot import Snapshot
from .spans import CALENDAR_WORD, TITLE_WORDS, describes_in_full, find_span, has_answer_kind, row_named, table_cell
from .tables import table_layout
from .weekdays import DAY_LINE, asked_days, named_day
from .weekdays import fits as day_fits

__all__ = ["Evidence", "ExtractiveAnswerer", "figure_of_other_month", "figure_of_other_year", "other_period", "unknown_name",
           "role_unsaid", "unmentioned_name", "unmentioned_role", "unwritten_month", "unwritten_year"]

_WORD = re.compile(r"[^\W_]+(?:['’][^\W\d_]+)?", re.UNICODE)

KIND_PENALTY = 0.05
NEAR_TIE = 0.9
"""A sentence scoring at least this share of the best one's score is as good a match."""
NUMERIC: tuple[AnswerType, ...] = ("number", "percent", "money")
"""A question for a figure is answered by any of these ("How big an increase?" by a percentage),
unless it says which: "What percentage of customers ...?" is not answered by a count of them, nor
"How much does it weigh?" by a price."""
_SAYS_PERCENT = re.compile(r"\b(percent|percentage|per cent)\b", re.IGNORECASE)
_NOUNS = {"number": "figure", "percent": "figure", "money": "amount of money", "date": "date", "email": "email address",
          "phone": "phone number", "web": "web address", "person": "name"}
# A capitalised word inside a question, not an acronym ("IP" may stand for what the text calls IPR).
_NAME = re.compile(r"(?<=[\w,;] )[A-Z][a-z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*")
# Function words written with a capital inside a question: it is in Title Case.
_TITLE_CASE = re.compile(r"(?<=\w )(?:Is|Was|Are|Were|Do|Does|Did|The|Of|To|In|On|For|And|With|At|By|An|A)\b")
LEXICAL_SHARE = 0.1
_ASKS_CHANGE = re.compile(r"\bhow much (?:did|has|have|had|will|does|do|is|was)\b.*\b(?:grow|grew|grown|rise|rose|risen|"
                          r"increased?|fall|fell|fallen|drop|dropped|decline|declined|climb|climbed|jump|jumped|"
                          r"shrink|shrank|go up|went up|go down|went down|change|changed)\b", re.I)
_ITEM_COUNTS = {"two": 2, "three": 3, "four": 4, "five": 5}
_COUNT_WORDS = {*_ITEM_COUNTS, "one", "six", "seven", "eight", "nine", "ten", "dozen", "hundred", "thousand",
                "million", "billion"}
# "What two steps ...?", "Who are the three judges?", "Name four problems": asking for the items,
# not "How long is it, three days?".
_ITEMS_ASKED = re.compile(r"^\s*(?:and\s+)?(?:what|which|who|where|name|list|identify|give)\b(?:\s+[\w'’-]+){0,2}?\s+"
                          r"(two|three|four|five)\s+[a-z-]+\b", re.IGNORECASE)
LIST_SHARE = 0.85
"""For a question asking for several things, a sentence of the top one's document is cited too when
it scores at least this share of the top one's score."""
GOES_ON_SHARE = 0.6
LIST_SENTENCES = 3
"""At most this many sentences for "What are the four functions ...?": a longer list is a paragraph."""
COVER_SHARE = 0.85
"""A sentence that adds the question's missing words to the answer is cited too only when it scores
at least this share of the top sentence's score. Chosen on the development sets (report, docs-dev,
ClapNQ): against 0.8, it drops 4 citations of 348 answers, none of them gold (citation F1 0.821 ->
0.827 and 0.924 -> 0.937, ClapNQ unchanged); 0.9 drops gold ones too."""
DESCRIBED_WITHIN = 5
"""For "Who is Jin Hai?", how far down the ranking a sentence that describes him by his full name is
looked for."""
PART_SHARE = 0.7
"""The best sentence for one part of a two-part question is cited when it scores at least this
share of the top sentence's score."""


def evidence_confidence(hit: Retrieved) -> float:
    """How well the best sentence itself matches the question, 0..1.

    Sentence-level evidence only (embedding similarity, plus a little for shared rare words): the
    document-level part of the ranking score depends on how many documents there are, and a
    threshold on it would mean something different for a one-report index and a library.
    """
    return (hit.dense + LEXICAL_SHARE * hit.lexical) / (1.0 + LEXICAL_SHARE)


@dataclass(frozen=True)
class Evidence:
    """How well a set of sentences covers a question."""

    coverage: float
    missing: str
    """The question's most important word not found in the sentences ("" when all are)."""


def _names(question: str) -> list[tuple[str, list[str]]]:
    """The names a question uses, each with the words that must be checked (not acronyms)."""
    if _TITLE_CASE.search(question):
        return []  # "What Was The Total Cost?": capitals say nothing about names
    found = []
    for name in _NAME.findall(question):
        words = [w for w in name.split() if w[1:2].islower() and tokenize(w)]
        if words:
            found.append((name, words))
    return found


def _nearest_above(sentence: Sentence, snapshot: Snapshot, wanted: Callable[[int], bool]) -> Sentence | None:
    """The nearest sentence above ``sentence`` in its document whose position is ``wanted``, if any."""
    first, _ = snapshot.doc_ranges[sentence.doc]
    return next((snapshot.sentences[p] for p in range(snapshot.by_id[sentence.id] - 1, first - 1, -1) if wanted(p)),
                None)


def _dated_heading(sentence: Sentence, snapshot: Snapshot) -> Sentence | None:
    """The nearest heading above ``sentence`` that holds a day's date ("## 3.9.0 — 2024-11-12",
    "## Meeting of 9 June 2025"), if any: the date of what its section says."""
    return _nearest_above(sentence, snapshot, lambda p: bool(snapshot.dated_heading[p]))


def _asked(question: str) -> str:
    """The question itself, without what is said before it: "My wife's expecting in October. How much
    leave do I get?" asks about leave, and October is only when (a month said there is no month asked)."""
    return preamble(question)[1]


def _known(word: str, snapshot: Snapshot) -> bool:
    """Whether the documents use a word of a name: a day of the week when they name it, short or in
    a run too ("Mon–Thu", "daily", a table header's "| Fri | Sat |": ``weekdays.days_named``), a month
    also when they write it short ("Mar")."""
    if word in DAYS:
        return DAYS.index(word) in snapshot.days_written
    return snapshot.lexical.knows(word) or (CALENDAR_WORD.fullmatch(word) is not None and snapshot.lexical.knows(word[:3]))


_CAPITALISED_RUN = r"(?<![\w'’&-])(?:[A-Z][\w'’&-]*[ \t]+)*(?i:{word})(?![\w'’&-])(?:[ \t]+[A-Z][\w'’&-]*)*"
_NOT_A_NAME_WORD = frozenset("The A An This That These Those Our Your Their Its His Her In On At For By To Of And Or".split())


def _only_in_other_names(known: Sequence[str], words: Sequence[str], snapshot: Snapshot) -> bool:
    """Whether the documents write the known words of a name only inside other names: "Wenham Parva"
    is no place they know when "Wenham" is only ever "Wenham Magna" (and "Parva" nowhere), while
    "President Xi Jinping" is the "President Xi" they write, and "Airport Express" may be about the
    "airport" they write in lower case. (Asked only when the words they never write are rare ones,
    no whole word of the model's vocabulary: "Doctor Smith" is their "Dr Jane Smith", and "King's
    Cross Station" their "London King's Cross".)"""
    asked = {w.lower() for w in words}
    for word in known:
        pattern = re.compile(_CAPITALISED_RUN.format(word=re.escape(word)))
        for text in snapshot.texts.values():
            for match in pattern.finditer(text):
                run = [w for w in match.group().split() if w not in _NOT_A_NAME_WORD]
                if not run[0][:1].isupper() or not {w.lower().strip("'’") for w in run} - asked:
                    return False  # written as a word of its own, or as this name
    return True


def unknown_name(question: str, snapshot: Snapshot) -> str:
    """A name the question uses that no indexed sentence uses, nor any relative of it; else ""."""
    asked = _asked(question)
    for name, words in _names(question):
        if name not in asked and (CALENDAR_WORD.fullmatch(name) or not REFERS_BACK.search(asked)):
            # A month or day said before the question only (``_asked``), or a name the question does
            # not point back to: "We're going to Spain in June. Which days does Dr. Patel work?"
            # asks nothing of Spain; "I live in Thornleigh. Will the 14 still come through it?" does.
            continue
        # Every word of a name must be unknown: "President Xi Jinping" is about the "President Xi"
        # of the text, "South Africa" may not be, but nothing tells from here.
        if not any(_known(w, snapshot) for w in words):
            return name
        known = [w for w in words if _known(w, snapshot)]
        unknown = {w.lower() for w in words if w not in known}
        if len(words) > 1 and unknown and not unknown & whole_words() and _only_in_other_names(known, words, snapshot):
            return name
    # A model number is one thing: a text about the KAF-550 says nothing of the KAF-560, though
    # "KAF" is a word it uses.
    codes = [m.group() for m in CODE.finditer(question)]
    codes += [m.group() for m in NUMBERED.finditer(question)
              if tokenize(word := m.group().split()[0]) and not CALENDAR_WORD.fullmatch(word)]
    return next((code for code in codes if snapshot.other_code(code)), "")


def unmentioned_name(question: str, docs: set[str], snapshot: Snapshot) -> str:
    """A name the question uses that the documents of the chosen sentences never use: the answer
    would be about someone or somewhere else ("When did Rosa Klein become head librarian?" answered
    from a biography of another woman, because the library FAQ that names her says nothing of it)."""
    for name, words in _names(question):
        # A person's full name, not one capitalised word: an organisation's own pages seldom repeat
        # its name ("the overdraft fee at Northbank"), and "Sunday" is no name at all.
        if len(words) < 2 or CALENDAR_WORD.search(name):
            continue
        if not any(snapshot.mentions(doc, w) for doc in docs for w in words):
            return name
    return ""


_ASKS_ROLE_HOLDER = re.compile(r"^\s*(?i:who(?:\s+(?:is|was|are|were|will be)|['’]s))\s+"
                               r"(?:(?i:the|its|their|our|your)|(?:[A-Z][\w&-]*\s+){0,3}[A-Z][\w&-]*['’]s)\s+"
                               r"((?:[A-Za-z][\w'’-]*\s+){0,3}?[A-Za-z][\w'’-]*)\s*"
                               r"(?:\s(?i:tonight|today|now|currently|nowadays|these days|at (?:the moment|present)|"
                               r"this (?:year|season|week|month|evening|term)))?\s*(?:\b(?:of|at|for)\b|[?.]|$)")
"""The role is what is held, not when: "Who is the cello soloist tonight?" asks for a cello soloist."""
_NOT_A_ROLE = frozenset(tokenize("current new former acting first last main present previous next interim person"))


_AGENT = re.compile(r"(?:er|or)$")
"""The ending of a noun for who does something: an "owner" owns, a "director" directs."""
_NUMBER_WORDS = {w: str(n) for n, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve".split())}
_ROLE_OF = re.compile(r"\s*\b(?P<by>of|for|at)\s+(?:the\s+)?(?P<of>[\w'’&.-]+(?:\s+[\w'’&.-]+)?)"
                      r"(?:\s+(?:at|in)\s+(?:the\s+)?(?-i:[A-Z][\w'’&.-]*(?:\s+[A-Z][\w'’&.-]*){0,3}))?\s*\??\s*$", re.I)
"""What a role is of, in one or two words, before where ("the head of recruitment at Northmere Water")."""


def _role_asked(question: str, snapshot: Snapshot) -> re.Match[str] | None:
    """"Who is the treasurer?" (or "Who is Valley Connect's managing director?"): the match whose
    group 1 is the role, when its word can be judged. "Current", "new" and the like are no role; an
    acronym the documents never spell out may be said in words they do use ("Apple's chief
    executive" is its CEO). ("Who chairs ...?" is not read as a role: "led by Sam Patel" says who.)"""
    asked = _ASKS_ROLE_HOLDER.match(question)
    if not asked:
        return None
    word = asked.group(1).split()[-1]
    stems = tokenize(word)
    if not stems or stems[0] in _NOT_A_ROLE or (word.isupper() and word not in snapshot.acronyms.phrases):
        return None
    return asked


def _role_forms(word: str, snapshot: Snapshot) -> list[list[str]]:
    """The ways a text may say a word of a role: as it is, by what the one who holds it does ("owner":
    "owned by"), in digits ("Year Six": "Year 6"), or an acronym by the words it stands for in
    these documents ("CFO": "Chief Financial Officer")."""
    forms = [[word], [_AGENT.sub("", word) if len(word) >= 5 else word], [_NUMBER_WORDS.get(word.lower(), word)]]
    spelled = snapshot.acronyms.phrases.get(word) if word.isupper() else None
    return forms + [spelled.split()] if spelled else forms


def holder_named(question: str, chosen: Sequence[Sentence], snapshot: Snapshot) -> bool:
    """For "Who is the Safety Officer?", whether a chosen sentence names someone, not only roles:
    "Nominations for Membership Secretary, Safety Officer and Social Secretary have been received"
    says who may hold it, not who does. A name has a capitalised word that is neither a title's nor
    the question's ("Helen King", "Mr Green", "KPMG", "the Head of Finance"), and is no list that
    ends as a role does ("Officer and Social Secretary")."""
    asked = _role_asked(question, snapshot)
    if asked is None or not chosen:
        return True
    role = asked.group(1).split()[-1].lower().rstrip("s")
    question = snapshot.expand_acronyms(question)  # "Who is the CFO?": "Chief Financial Officer" is no name
    # A firm may hold it ("audited by KPMG, the club's auditor"), written in capitals as no person is.
    found = find_span(question, chosen, "person", snapshot.texts) or find_span(question, chosen, "organisation",
                                                                               snapshot.texts)
    if found is None:
        return False
    span = found[1]
    words = re.findall(r"[\w'’.-]+", span)
    if re.search(r",|\band\b", span) and set(tokenize(words[-1])) & TITLE_WORDS:
        return False
    # "the Chief Fire Warden" ends as the role asked ("Who is the Floor Warden?") does, after a title's
    # word: another role. (The word itself, and a title: "Fresh Catering" is a caterer, "Harper Lane
    # Solicitors" the club's solicitors.)
    if words and words[-1].lower().rstrip("s") == role and any(set(tokenize(w)) & TITLE_WORDS for w in words[:-1]):
        return False
    stems = set(tokenize(question))
    return any(w[:1].isupper() and not set(tokenize(w)) <= (stems | TITLE_WORDS) for w in words)


def unmentioned_role(question: str, docs: set[str], snapshot: Snapshot) -> str:
    """For "Who is the treasurer?", the role, when the documents of the chosen sentences never use
    its word nor a relative of it ("treasury"): they cannot say who holds it, and a sentence naming
    the chair is no answer. Only the role's last word counts ("the club treasurer", "the parish
    council's treasurer"), in any of its forms (``_role_forms``). (``role_unsaid`` asks every word
    of the role of the cited sentences.)"""
    asked = _role_asked(question, snapshot)
    if not asked:
        return ""
    head = asked.group(1).split()[-1]  # "the parish council's treasurer": what is asked is a treasurer
    if not any(all(snapshot.mentions(doc, w) for w in form) for form in _role_forms(head, snapshot) for doc in docs):
        return head
    return ""


def _seen_with(sentence: Sentence, snapshot: Snapshot) -> list[str]:
    """What a reader sees around a sentence: itself, its document's name and title, its table's header
    and the headings above it."""
    text = snapshot.texts.get(sentence.doc, "")
    header = table_layout(text).header_at(text, sentence.start) or []
    return [sentence.text, sentence.doc, snapshot.titles.get(sentence.doc, ""), *header,
            *(h.text for h in _headings_above(sentence, snapshot))]


def _record_lead(sentence: Sentence, snapshot: Snapshot) -> list[str]:
    """The first line of the block of labelled lines ``sentence`` stands in (``Snapshot.block_start``)."""
    start = snapshot.block_start(snapshot.by_id[sentence.id])
    return [] if start is None else [snapshot.sentences[start].text]


def role_unsaid(question: str, chosen: Sequence[Sentence], snapshot: Snapshot) -> str:
    """For "Who is the managing director?", the role, when no chosen sentence says every word of it
    (or a heading above it, its document's title or name, or a table row's header does): a sentence
    that defines the company, or names its Managing Director, does not say who its marketing director
    is. So too for what a role is of, in one or two words: "Who is the Head of IT?" is not answered by
    "the Head of People, Daniel Osei", though the policy names the IT service desk. (``unmentioned_role``
    asks the same of whole documents.)"""
    asked = _role_asked(question, snapshot)
    if not asked or not chosen:
        return ""
    role = asked.group(1)
    word = role.split()[-1]
    of = _ROLE_OF.match(question, asked.end(1))

    def said_in(texts: Sequence[str]) -> Callable[[str], bool]:
        keys = frozenset(relative_key(t) for t in tokenize(" ".join(texts), keep_stopwords=True))
        return lambda w: any(all(uses_relative(part, keys) for part in form) for form in _role_forms(w, snapshot))

    contexts = [_seen_with(sentence, snapshot) for sentence in chosen]
    # Every word of the role: a Managing Director is no marketing director. ("The current
    # treasurer", "the council's clerk": not those.)
    words = [w for w in role.split() if not w.endswith(("'s", "’s")) and tokenize(w) and tokenize(w)[0] not in _NOT_A_ROLE]
    role_said = False
    for sentence, around in zip(chosen, contexts):
        if not all(map(said_in(around), words or [word])):
            continue
        role_said = True
        if of is None:
            return ""
        # The sentence gives the role of something else ("the Head of People" for the Head of IT),
        # or of nothing, when what it is of may be said around it ("Margaret Pellow (Chair)" in the
        # club's minutes).
        given = re.search(rf"\b{re.escape(word)}\s+(?:of|for|at)\s+(?:the\s+)?([\w'’&.-]+(?:\s+[\w'’&.-]+)?)",
                          sentence.text, re.I)
        # A labelled line's block is one record: "Case officer: Priya Raman" among "Application
        # number: 25/01873/FUL", "Applicant: ..." is the application's case officer.
        said = said_in([given.group(1)] if given else [t for texts in contexts for t in texts]
                       + _record_lead(sentence, snapshot))
        if all(map(said, of.group("of").split())):
            return ""
    return f"{role} {of.group('by')} {of.group('of')}" if of and role_said else role


_SUBSET = re.compile(r"^\s*(?:and\s+)?how many of\s+(?:the|those|these|them|their|its|our|your)?\b(.+?)\s*\??\s*$", re.I)
_PARTICIPLE = re.compile(r"(?:ed|en|ing)$", re.I)
_AFTER_VERB = frozenset("out up off away down back over in on during before after since by with at from for to of "
                        "into last this that there".split())


def unnamed_subset(question: str, chosen: Sequence[Sentence]) -> str:
    """For "How many of the volunteers are qualified divers?", a word of the part counted that the
    chosen sentences never use nor a relative of ("qualified"), else "": a sentence that counts
    all the volunteers does not say how many of them are qualified divers; one that answers names
    both ("including 77,000 cases involving patent infringement")."""
    asked = _SUBSET.match(question)
    if not asked:
        return ""
    keys = frozenset(relative_key(t) for s in chosen for t in tokenize(s.text, keep_stopwords=True))
    words = re.findall(r"[^\W\d_][\w'’-]*", asked.group(1))
    for n, word in enumerate(words):
        following = words[n + 1].lower() if n + 1 < len(words) else ""
        # A verb that ends the clause is said in other words as often as not ("have been swapped
        # out" of moorings the text says were "replaced"); "qualified divers" is what is counted.
        if _PARTICIPLE.search(word) and (not following or following in _AFTER_VERB):
            continue
        if tokenize(word) and not uses_relative(word, keys):
            return word
    return ""


def unwritten_year(question: str, docs: set[str], snapshot: Snapshot) -> str:
    """A year or version number the question uses that the documents of the chosen sentences never
    write ("How many visits did the pool have in 2021?" over a text about 2023 and 2024); else ""."""
    for m in PINNED.finditer(question):
        digits = re.search(r"\d[\d.]*", m.group()).group()  # type: ignore[union-attr]
        if not any(_writes(snapshot.texts.get(doc, ""), digits) for doc in docs):
            return m.group()
    return ""


def other_day(question: str, chosen: Sequence[Sentence], snapshot: Snapshot,
              answers: Callable[[Sentence], bool] = lambda sentence: True) -> str:
    """A day of the week the question asks about ("... on Sunday?", "on a weekday") when every chosen
    sentence that ``answers`` (holds the kind of answer asked: "The Saturday and Sunday timetables are
    unchanged" gives no Sunday time) is about other days: it names only others ("On Saturdays the
    first bus leaves at 06:30"), or names none and sits under a line for another day ("SATURDAY 14
    JUNE"). A programme's Saturday market says nothing of Sunday. Else ""."""
    question = _asked(question)
    asked = asked_days(question)
    if not asked or not chosen or YES_OR_NO.match(question):
        return ""  # "Is there a ceilidh on Sunday?" is answered by the Saturday one
    for sentence in [s for s in chosen if answers(s)] or chosen:
        fit = day_fits(asked, sentence.text)
        if fit is None:
            line = _nearest_above(sentence, snapshot, lambda p: bool(DAY_LINE.match(snapshot.sentences[p].text)))
            fit = day_fits(asked, line.text) if line else None
        if fit is None or fit:
            return ""
    return named_day(question) or "that day"


def other_period(question: str, docs: set[str], chosen: Sequence[Sentence], snapshot: Snapshot) -> str:
    """A quarter or half of a year the question names ("the second quarter", "Q2", "H1") where a
    chosen sentence, or its document, names others of its kind and never it: the third quarter's
    revenue is no answer for the second's; else "". (A text that names none may give it another
    way: "the three months to June".)"""
    texts = [snapshot.texts.get(doc, "") for doc in sorted(docs)] + [s.text for s in chosen]
    for m in PERIOD.finditer(question):
        if (asked := period_key(m)) is None:
            continue
        for text in texts:
            named = {key for key in map(period_key, PERIOD.finditer(text)) if key is not None}
            if asked not in named and any(key[0] == asked[0] for key in named):
                return m.group()
    return ""


_A_YEAR = re.compile(rf"(?<![\d.,£$€¥#]){YEAR}(?!\d|[,.]\d)")
"""A year as a text writes it: "In 2024, adopters raised ..." too, but not "2024,5" or "2024.5"."""
_YEAR_NAMES = re.compile(rf"(?<![\d.,£$€¥#])({YEAR})\s+([A-Za-z][\w'’-]+)")
"""A year that names one of a series: "the 2019 Lutoslawski competition", "the 2023 season"."""


_COUNTED = re.compile(r"(?<![\w£$€.,/-])(\d{1,3})[\s-]+([A-Za-z][\w-]*)")
_BOUND_WORDS = re.compile(r"\b(?:up to|to|under|over|or|and|more|less|at least|at most|from|min|max|minimum|maximum)\b|"
                          r"\d\s*[+–-]|[+–<>≤≥-]\s*\d", re.IGNORECASE)


def other_count_column(question: str, chosen: Sequence[Sentence], snapshot: Snapshot) -> str:
    """A count the question gives ("the box with 6 recipes a week") that a cited table row's header
    counts in other numbers only ("| 3 recipes a week | 4 recipes a week | 5 recipes a week |"):
    no column is the one asked, and the row's figures are the other counts'; else "". Not a header
    cell that is a range or a bound ("up to 8 people" holds 6)."""
    asked = [(m.group(1), stems[0], m.group()) for m in _COUNTED.finditer(question) if (stems := tokenize(m.group(2)))]
    if not asked or YES_OR_NO.match(question):
        return ""
    for sentence in chosen:
        text = snapshot.texts.get(sentence.doc, "")
        header = table_layout(text).header_at(text, sentence.start) or []
        # A noun any cell counts as a range, a bound or a list ("2 to 6 days", "1 or 2 days", "3+
        # weeks", "3 and 4-year-olds") may hold the count asked: not judged.
        ranged = {t for cell in header if _BOUND_WORDS.search(cell) for t in tokenize(cell)}
        counted = [(m.group(1), stems[0]) for cell in header if not _BOUND_WORDS.search(cell)
                   for m in _COUNTED.finditer(cell) if (stems := tokenize(m.group(2)))]
        for n, stem, said in asked:
            others = {k for k, s in counted if s == stem}
            # (Not when another count the question gives of it is a column's: "on a 24 month plan
            # for the first 6 months".)
            if (len(others) >= 2 and n not in others and stem not in ranged
                    and not any(s == stem and k in others for k, s, _ in asked)):
                return said
    return ""


def other_edition(question: str, chosen: Sequence[Sentence], snapshot: Snapshot) -> str:
    """For "What prize did she win at the 2019 Lutoslawski competition?", the year, when a chosen
    sentence names the same thing by another year ("the 2022 Lutoslawski International Cello
    Competition") and nothing seen with the chosen sentences (``_seen_with``: a heading "## 2023
    season", the sentence itself "in 2023, against ... the 2022 festival") writes the year asked:
    that sentence is about another edition, whatever is asked of it (a prize, a venue, a winner);
    else "". (``figure_of_other_year`` judges figures by any year written near them.)"""
    seen = [t for s in chosen for t in _seen_with(s, snapshot)]
    for asked in _YEAR_NAMES.finditer(question):
        year, word = asked.group(1), asked.group(2).lower()
        named = [(m.group(1), m.group(2).lower()) for s in chosen for m in _YEAR_NAMES.finditer(s.text)]
        if any(w == word and y != year for y, w in named) and not any(_writes(t, year) for t in seen):
            return year
    return ""


_SHORT_CELL = re.compile(r"[A-Z]{1,2}|\d{1,3}")


def _numbered_cells(sentence: Sentence, snapshot: Snapshot) -> list[str]:
    """A table row's short cells read with their one-word headers: the row "C   £52,001 to £68,000
    ..." under "Band   Property value ..." is Band C's, as "6" under "Year" is Year 6's."""
    text = snapshot.texts.get(sentence.doc, "")
    layout = table_layout(text)
    header = layout.header_at(text, sentence.start)
    if not header:
        return []
    row = layout.cells(text, sentence.start, sentence.text)
    return [f"{name} {cell}" for name, cell in zip(header, row)
            if " " not in name.strip() and _SHORT_CELL.fullmatch(cell.strip())]


def other_numbered(question: str, chosen: Sequence[Sentence], snapshot: Snapshot) -> str:
    """One of a numbered series the question asks about ("How many dams did we install in Year 1?",
    "Stage 3", "Band C") that nothing seen with the chosen sentences writes (``_seen_with``: the
    sentence, its headings, its document's title), where they write another of the series: "In Year 2
    we installed 1,430 peat dams" tells of Year 2; else ""."""
    asked = numbered_in(question)
    if not asked or YES_OR_NO.match(question):
        return ""  # most questions; and "Is cannabis a Class A drug?" is answered by "... a Class B drug"
    seen = [t for s in chosen for t in (*_seen_with(s, snapshot), *_numbered_cells(s, snapshot))]
    written = set().union(*(numbered_in(t) for t in seen))
    # Not of a series written as a bound ("grade 4 or above") or in roman numerals, nor asked as a range.
    bounded = set().union(*map(open_series, seen))
    several = {name for name, _ in asked if sum(n == name for n, _ in asked) > 1}
    series = {name for name, _ in written} - bounded - several
    missing = sorted(pair for pair in asked - written if pair[0] in series)
    return f"{missing[0][0].capitalize()} {missing[0][1]}" if missing else ""


def figure_of_other_year(question: str, kind: AnswerType, chosen: Sequence[Sentence], snapshot: Snapshot) -> str:
    """For a figure asked of a year ("How many visits did the pool have in 2023?"), the year, when no
    chosen sentence writes it and one names another: its figures are that year's ("The pool had
    51,000 visits in 2024"); else "". What is seen with a sentence counts (``_seen_with``): a table
    row under "| Division | Q3 2025 revenue |" writes 2025, and a sentence of the "Annual Report 2024"
    names 2024, whose income is no answer for 2023. A name is left alone:
    "the judges of American Idol 2018" may have been named in 2017."""
    if kind not in NUMERIC:
        return ""
    years = [m.group() for m in PINNED.finditer(question) if m.group().isdigit()]
    if not years:
        return ""
    seen = [t for s in chosen for t in _seen_with(s, snapshot)]
    if not any(_writes(t, y) for t in seen for y in years) and any(map(_A_YEAR.search, seen)):
        return years[0]
    return ""


# A name written among others of its kind: "Millbrook (opened 2016), Kingsgate (opened 2019) and
# Eastwick Central", "The Orbit 360 Plus (model NO-360P) and the Nestling Cocoon ...". The name
# before it is a capitalised word that does not open the sentence: "Today, Brightwell Foods sells
# ..." and "In 2024, Brightwell ..." list nothing.
_AND = r"\s*(?:,|;|&|\band\b|\bor\b)\s*(?:the\s+)?"
_LISTED_AFTER = re.compile(rf"(?:\s+[A-Z0-9][\w'’-]*)*(?:\s*\([^()]{{0,40}}\))?{_AND}[A-Z0-9]")
_LISTED_BEFORE = re.compile(rf"(?<=\S\s)(?:[A-Z][\w'’-]*|\))(?:\s*\([^()]{{0,40}}\))?{_AND}$")
_NOT_KNOWN_YET = re.compile(r"\bnot\s+(?:yet\s+)?(?:been\s+)?(?:decided|confirmed|known|announced|agreed|fixed|"
                            r"finalised|finalized)\b|\bto be (?:confirmed|decided|announced|agreed)\b|\bTB[CAD]\b",
                            re.IGNORECASE)
"""A sentence that says what is asked is not known yet ("The venue is to be confirmed")."""


def _listed_with_others(stem: str, text: str) -> bool:
    """Whether ``text`` writes the word ``stem`` begins with (a name's) in a list of names."""
    word = re.compile(rf"(?<![\w'’-]){re.escape(stem)}[\w'’-]*", re.IGNORECASE)
    return any(_LISTED_AFTER.match(text, m.end()) or _LISTED_BEFORE.search(text, max(0, m.start() - 80), m.start())
               for m in word.finditer(text))


PARAGRAPH_BEFORE = 6
"""How many sentences before a cited one, in its paragraph, may name what it is about."""


def _paragraph_before(sentence: Sentence, snapshot: Snapshot) -> list[str]:
    """The sentences before ``sentence`` in its paragraph: what they name, it may be about ("The Garden
    Room opens onto the terrace. Hire costs £450 a day."). None for a table's row."""
    text = snapshot.texts.get(sentence.doc, "")
    tables = table_layout(text)
    first, _ = snapshot.doc_ranges[sentence.doc]
    found: list[str] = []
    later = sentence
    # (A few: a document written as one paragraph would otherwise be read whole for every figure.)
    for p in range(snapshot.by_id[sentence.id] - 1, max(first, snapshot.by_id[sentence.id] - PARAGRAPH_BEFORE) - 1, -1):
        earlier = snapshot.sentences[p]
        # A table's rows are items of their own: the row above another is no part of it.
        if re.search(r"\n\s*\n", text[earlier.end:later.start]) or any(tables.in_table(text, s.start)
                                                                         for s in (earlier, later)):
            break
        found.append(earlier.text)
        later = earlier
    return found


def _table_lead(sentence: Sentence, snapshot: Snapshot) -> list[str]:
    """The line that leads into a table row's table (or into a sentence, the line above it), if it
    ends as a lead-in does ("Aqua Fit also runs twice a week in the main pool, with these sessions:"):
    the rows are about what it names."""
    text = snapshot.texts.get(sentence.doc, "")
    tables = table_layout(text)
    first, _ = snapshot.doc_ranges[sentence.doc]
    for p in range(snapshot.by_id[sentence.id] - 1, first - 1, -1):
        above = snapshot.sentences[p]
        if tables.in_table(text, above.start) or re.fullmatch(r"[\s|:+-]*", above.text):
            continue
        return [above.text] if above.text.rstrip().endswith(":") else []
    return []


def _seen_keys(chosen: Sequence[Sentence], snapshot: Snapshot) -> frozenset[str]:
    """The ``relative_key``s of the words seen with ``chosen`` (``_seen_with``), of the sentences before
    them in their paragraph, and of the line that leads into a table row's table."""
    def about(sentence: Sentence) -> list[str]:
        return [*_seen_with(sentence, snapshot), *_paragraph_before(sentence, snapshot), *_table_lead(sentence, snapshot)]

    return frozenset(relative_key(t) for s in chosen for text in about(s) for t in tokenize(text))


def named_elsewhere(question: str, chosen: Sequence[Sentence], snapshot: Snapshot,
                    answers: Callable[[Sentence], bool]) -> str:
    """A name the question asks about ("How many meals did the Kingsgate pantry give out?") that no
    chosen sentence uses, nor what is seen with it (``_seen_with``: a heading "## Kingsgate", the
    document's title; the sentences before it in its paragraph; the line that leads into a table),
    while their document names it among others of its kind, in a list ("We run three
    community pantries: Millbrook (opened 2016), Kingsgate (opened 2019) and ...") or a table's row
    or header, in a sentence that ``answers`` (holds the kind of answer asked): the chosen sentences
    give a neighbouring item's figure (the group's meals); else "". A document's subject, named once
    and then called "the company", is named in no list: "Acme Robotics reported revenue of $5.2
    million" leaves "Its order book stands at $14 million" about Acme. A title's word ("the Head of
    Parks") and a day or month are no such name. The other sentence must use the name's own words
    ("King Street" is no "Kingsgate"), though a chosen one may use a relative of them."""
    names = [(name, stems) for name, words in _names(question) if not CALENDAR_WORD.search(name)
             and (stems := [t for w in words for t in tokenize(w) if t not in TITLE_WORDS])]
    if not names:
        return ""  # most questions: nothing to read around the sentences
    seen = _seen_keys(chosen, snapshot)
    docs = {s.doc for s in chosen}
    for name, stems in names:
        if any(relative_key(t) in seen for t in stems):
            continue
        for doc in sorted(docs):
            if not all(snapshot.mentions(doc, t) for t in stems):
                continue
            text = snapshot.texts.get(doc, "")
            tables = table_layout(text)
            first, last = snapshot.doc_ranges[doc]
            for other in snapshot.sentences[first:last]:
                if stems[0] not in other.text.lower():
                    continue  # most sentences, before tokenizing them
                # The cheap tests first: ``answers`` reads every figure of the sentence.
                if ((tables.in_table(text, other.start) or _listed_with_others(stems[0], other.text))
                        and set(stems) <= set(tokenize(other.text)) and answers(other)):
                    return name
    return ""


def answer_apart_from_year(question: str, kind: AnswerType, read_from: int, citations: Sequence[Citation],
                           snapshot: Snapshot) -> str:
    """For a figure or a name asked of a year, the year, when another cited sentence writes it and the
    answer's sentence neither writes it nor goes on from it (later in its paragraph, no other year
    written between): "How many came to the reopening in 2014?" is not answered by "3,200 people came
    on the first day", of the opening in 1934, cited beside "The lido reopened on 14 June 2014."; nor
    "Who was the mayor then?" by the 1934 mayor; else ""."""
    if kind not in (*NUMERIC, "person", "organisation", "place") or len(citations) < 2:
        return ""
    answer = citations[read_from - 1].sentence
    for year in (m.group() for m in PINNED.finditer(question) if m.group().isdigit()):
        # The year itself: a span ("The Holme Cross Lido, 1934–2024") holds every year of its text.
        if any(_writes_itself(t, year) for t in _seen_with(answer, snapshot)):
            continue
        dated = [c.sentence for c in citations if c.n != read_from and _writes(c.sentence.text, year)]
        if dated and not any(_goes_on_from(d, answer, snapshot) for d in dated):
            return year
    return ""


_CALENDAR_STEMS = frozenset(tokenize(" ".join(f"{name} {name}s" for name in (*MONTHS, *DAYS, "weekday", "weekend"))))


def _shares_a_word(question: str, text: str) -> bool:
    """Whether ``text`` uses a word of ``question``, not counting days and months. One word's stem may
    begin the other's: the stemmer gives "bus" and "buse" for "bus" and "buses"."""
    words = set(tokenize(text))
    return any(u.startswith(t) or t.startswith(u) for t in tokenize(question) if t not in _CALENDAR_STEMS
               for u in words if min(len(t), len(u)) >= 3)


PARAGRAPH_AFTER = 2
"""How many sentences after the first one found, in its paragraph, may go on to the day asked."""


def _goes_on_within(first: Sentence, later: Sentence, snapshot: Snapshot, most: int | None = None) -> bool:
    """Whether ``later`` follows ``first`` in its paragraph (and is one of the ``most`` sentences after it)."""
    after = later.ordinal - first.ordinal
    if later.doc != first.doc or after <= 0 or (most is not None and after > most):
        return False
    return not re.search(r"\n\s*\n", snapshot.texts.get(first.doc, "")[first.end:later.start])


def _goes_on_from(first: Sentence, later: Sentence, snapshot: Snapshot) -> bool:
    """Whether ``later`` follows ``first`` in its paragraph, with no year written between them: what
    it says may be of the year ``first`` writes ("The lido reopened in 2014. ... 2,100 came.")."""
    return (_goes_on_within(first, later, snapshot)
            and not _A_YEAR.search(snapshot.texts.get(first.doc, "")[first.end:later.start]))


_VERSION = re.compile(r"(?<![\w.])v?\d+\.\d+\.\d+(?![.\d])")


def other_version(question: str, chosen: Sequence[Sentence], snapshot: Snapshot) -> str:
    """A version the question asks about ("When was 4.1.3 released?") that no chosen sentence writes,
    nor what is seen with it, where they write another: "Released 3 June 2025." in the "Tessera
    4.2.0 Release Notes" tells of 4.2.0, though the notes compare it with 4.1.3 elsewhere; else ""."""
    versions = [(m.group(), digits) for m in PINNED.finditer(question)
                if "." in (digits := re.search(r"\d[\d.]*", m.group()).group())]  # type: ignore[union-attr]
    if not versions:
        return ""  # most questions: nothing to read around the sentences
    seen = [t for s in chosen for t in _seen_with(s, snapshot)]
    if not any(map(_VERSION.search, seen)):
        return ""
    return next((asked for asked, digits in versions if not any(_writes(t, digits) for t in seen)), "")


_MONTH_NAMED = re.compile(rf"(?<!^)\b{MONTH}\b")
"""A month named inside a question ("May" opening one is a verb: "May I bring a dog?")."""
_MONTH_OF = {name[:3]: n for n, name in enumerate(MONTHS)}
"""A month's first three letters, as a text may write it short ("Mar 2025"), -> its number (0..11)."""
_SHORT_FORMS = frozenset(_MONTH_OF) | {"Sept"}
"""A month written short: its first three letters, or "Sept"; not "Jane", "Mark" or "Mayo"."""
_SHORT_MONTH = rf"(?-i:{'|'.join(_MONTH_OF)})"
_MONTH_WORD_WRITTEN = rf"{_SHORT_MONTH}[a-z]*"
_DAY = r"(?:\d{1,2}(?:st|nd|rd|th)?\s+)?"
_MONTH_WRITTEN = re.compile(rf"\b({_MONTH_WORD_WRITTEN})\b")
_MONTH_RANGE = re.compile(rf"\b({_MONTH_WORD_WRITTEN})\.?\s*(?:-|–|—|to|until|till|through)\s*{_DAY}({_MONTH_WORD_WRITTEN})\b|"
                          rf"\b(?i:between)\s+{_DAY}({_MONTH_WORD_WRITTEN})\.?\s+and\s+{_DAY}({_MONTH_WORD_WRITTEN})\b")
_DATED_BEFORE = re.compile(r"\b\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?$")
_DATED_AFTER = re.compile(r"\.?\s+\d{1,2}(?:st|nd|rd|th)?\b(?!\d|[,:.]\d)")
"""A day beside a month makes it a date ("payable by 25 April", "on May 10"), not a period ("in
May", "May 2025"): a deadline for an entry fee says nothing of which month the fee is for."""


def _month_number(word: str) -> int | None:
    """0..11 for a month written in full or short ("Mar", "Sept"); None for "Marketing" or "Jane"."""
    return _MONTH_OF[word[:3]] if word in MONTHS or word.rstrip(".") in _SHORT_FORMS else None


def _months_written(text: str, periods_only: bool = False) -> set[int]:
    """The months a text writes, in full or short ("Mar 2025", "Sept"), and those inside a span of
    them ("June to August", "from 1 July to 30 September", "Apr–Jun"), as 0..11; with
    ``periods_only``, not those of a date ("25 April", "May 10")."""
    months = {n for m in _MONTH_WRITTEN.finditer(text) if (n := _month_number(m.group(1))) is not None
              and not (periods_only and (_DATED_BEFORE.search(text, 0, m.start()) or _DATED_AFTER.match(text, m.end())))}
    for m in _MONTH_RANGE.finditer(text):
        first, last = (_month_number(g) for g in m.groups() if g)
        if first is not None and last is not None:
            months |= {(first + k) % 12 for k in range((last - first) % 12 + 1)}
    return months


def unwritten_month(question: str, kind: AnswerType, docs: set[str], snapshot: Snapshot) -> str:
    """For a figure asked of a month ("How many crimes were reported in March?"), the month, when the
    documents of the chosen sentences write other months (as periods, not only in dates: "payable by
    25 April") and never it, in full, short or inside a span of months: their figures are other
    months' ("6 crimes during May, compared with 11 in April"); else "". As ``unwritten_year``, for
    months; a text that names no month may count by some other period."""
    asked = [m.group() for m in _MONTH_NAMED.finditer(_asked(question))] if kind in NUMERIC else []
    if not asked:
        return ""  # the documents are read only for a question that names a month
    texts = [snapshot.texts.get(doc, "") for doc in docs]
    written = set().union(*map(_months_written, texts))
    others = set().union(*(_months_written(text, periods_only=True) for text in texts))  # not a deadline's
    return next((month for month in asked if others and MONTHS.index(month) not in written), "")


def figure_of_other_month(question: str, kind: AnswerType, chosen: Sequence[Sentence], snapshot: Snapshot) -> str:
    """For a figure asked of a month ("How many crimes were reported in March?"), the month, when a
    chosen sentence names another month as a period ("during May", not a date: "payable by 25
    April"), or names none under a heading that does ("## April"), and none writes the month asked,
    nor the sentence before it ("Footfall was strong in June. The market attracted ..."), nor a
    heading above it ("## March", "### Safety"): its figures are that month's ("6 crimes during May,
    compared with 11 in April"); else "". As ``figure_of_other_year``, for months, where
    ``unwritten_month`` needs the whole document silent."""
    asked = [MONTHS.index(m.group()) for m in _MONTH_NAMED.finditer(_asked(question))] if kind in NUMERIC else []
    if not asked:
        return ""
    other = False
    for sentence in chosen:
        headings = " ".join(h.text for h in _headings_above(sentence, snapshot))
        other = other or bool(_months_written(sentence.text, periods_only=True)
                              or _months_written(headings, periods_only=True))
        position = snapshot.by_id[sentence.id]
        first, _ = snapshot.doc_ranges[sentence.doc]
        before = snapshot.sentences[position - 1].text if position > first else ""
        if any(month in _months_written(f"{sentence.text} {headings} {before}") for month in asked):
            return ""
    return MONTHS[asked[0]] if other else ""


def _headings_above(sentence: Sentence, snapshot: Snapshot) -> list[Sentence]:
    """The headings whose sections hold ``sentence``: the nearest one, and each above it of a higher
    level ("## March" above "### Community safety"); a heading without "#" counts as the highest."""
    first, _ = snapshot.doc_ranges[sentence.doc]
    found: list[Sentence] = []
    # A Markdown heading's own section is below it: "## 3.0.0" is held by "# Changelog", not by the
    # "## 3.3.0" before it.
    own = len(re.match(r"\s*(#*)", sentence.text).group(1)) if snapshot.is_title[snapshot.by_id[sentence.id]] else 0  # type: ignore[union-attr]
    level = own or 7
    text = snapshot.texts.get(sentence.doc, "")
    tables = table_layout(text)
    for p in range(snapshot.by_id[sentence.id] - 1, first - 1, -1):
        # A table's header row heads its table's rows, not what follows the table.
        if snapshot.is_title[p] and not tables.is_header(text, snapshot.sentences[p].start):
            depth = len(re.match(r"\s*(#*)", snapshot.sentences[p].text).group(1))  # type: ignore[union-attr]
            if depth < level:
                found.append(snapshot.sentences[p])
                level = depth
            if level <= 1:
                break
    return found


# "1946-49", "1946 -- 1949", "from 1946 to 1949", "between 1946 and 1949", and decades ("the 1940s").
_YEARS = re.compile(r"(?<!\d)(" + YEAR + r")(?:s\b|\s*(?:-{1,2}|–|—|/|to|and|until)\s*(\d{4}|\d{2})(?!\d|[,.]\d))")


def _writes_itself(text: str, digits: str) -> bool:
    """Whether a text writes this year or version number itself, not inside a longer number."""
    return re.search(rf"(?<![\d.]){re.escape(digits)}(?!\d|\.\d)", text) is not None


def _writes(text: str, digits: str) -> bool:
    """Whether a text writes a year or version number, or a span of years that holds the year."""
    if _writes_itself(text, digits):
        return True
    if "." in digits:
        return False
    year = int(digits)
    for m in _YEARS.finditer(text):
        start = int(m.group(1))
        if m.group(2) is None:
            end = start + 9 if start % 10 == 0 else start  # "the 1940s"
        else:
            end = int(m.group(2)) + (start // 100 * 100 if len(m.group(2)) == 2 else 0)
        if start <= year <= end and end - start < 100:
            return True
    return False


SUBJECT_SHARE = 0.5
_POINTS_BACK = re.compile(r"\W*(It|Its|They|Their|This|These|He|His|She|Her)\b")
_ITS = re.compile(r"\b(?:its|their)\b")


def _continues(first: Sentence, other: Sentence) -> bool:
    """Whether ``other`` follows ``first`` and points back to what it is about ("It ...", "... its")."""
    return (other.doc == first.doc and other.ordinal == first.ordinal + 1
            and bool(_POINTS_BACK.match(other.text) or _ITS.search(other.text)))


_THREE_DIGITS = re.compile(r"(?<![\d£$€])(?<!\d[,.:/-])\d{3,}(?!\d|[,.:/-]\d|%)")
"""Three digits or more in a row, not part of an amount, a time, a date or a figure with separators."""
_CALL_WORDS = r"(?i:call|dial|ring|phone|text|telephone)"
_CALLED = re.compile(rf"\b{_CALL_WORDS}\s+(?i:us\s+)?(?i:on\s+)?\d{{3,}}")
"""Digits called, whatever they look like: "call 1571" is no year."""
_NOT_DIALLED = re.compile(rf"{ISO_DATE}|\b(?:1[5-9]|20)\d\d\b|\d{{1,2}}[:.]\d{{2}}|\d{{1,3}}(?:,\d{{3}})+")


def _gives_digits(sentence: Sentence) -> bool:
    """Whether a sentence may give a phone number: one shaped like one ("0300-123-4567", "call
    1571"), or three digits or more in a row ("use 101", "116 123", "ext. 214", "tel. 5678") that are
    not those of a year, a time, an amount or a count written with separators; an address's or a
    time's digits give none ("Unit 9 Fengate Park, PE1 5XG", "05:30 to 23:30")."""
    return bool(pattern_spans(sentence.text, "phone") or _CALLED.search(sentence.text)
                or _THREE_DIGITS.search(_NOT_DIALLED.sub(" ", sentence.text)))


_CALL = re.compile(rf"\W*{_CALL_WORDS}\b")


def _says_to_call(first: Sentence, other: Sentence) -> bool:
    """Whether ``other`` follows ``first`` and tells the reader to call: the number is that of what
    ``first`` is about ("Kelvin Service engineers visit ... . Call 0344 815 6060, ...")."""
    return other.doc == first.doc and other.ordinal == first.ordinal + 1 and bool(_CALL.match(other.text))


def _same_subject(question: str, first: Sentence, other: Sentence) -> bool:
    """Whether ``other`` may be about what the question names, as ``first`` is: it names it too, or
    follows ``first`` and points back to it ("The Ambleford footbridge ... . It is 40 metres tall.").
    "The Selby tower is 120 metres tall" says nothing of the height of the Ambleford footbridge."""
    if _continues(first, other):
        return True
    # What made ``first`` match, the question's words it uses ("Oakridge", "bookcase"): ``other`` must
    # use its names and most of the rest (the "Oakridge chest of drawers" is another thing).
    said = set(tokenize(other.text))
    shared = set(tokenize(question)) & set(tokenize(first.text))
    names = {t for _, words in _names(question) for w in words for t in tokenize(w)} & shared
    return names <= said and len(shared & said) >= SUBJECT_SHARE * len(shared)


def _surface_terms(text: str) -> list[tuple[str, str]]:
    """(stem, word as written) for each distinct content word of ``text``."""
    out: dict[str, str] = {}
    for match in _WORD.finditer(text):
        word = match.group()
        toks = tokenize(word)
        if toks and toks[0] not in out:
            out[toks[0]] = word
    return list(out.items())


_QUOTED_CHARS = 40
"""A refusal quotes at most this much of the word it names."""
_LIGHT_VERBS = frozenset("come comes came coming take takes took taken taking go goes went gone going do does did done "
                         "doing make makes made making get gets got getting happen happens happened put puts give gives gave given".split())
"""Verbs that say little of what a question is about: a refusal names "Millbrook", not "come"."""
_HOW_WORD = re.compile(r"\bhow\s+(\w+)", re.I)
_CONTRACTION = re.compile(r"[A-Za-z]+['’](?:m|re|ve|ll|d|t)", re.I)


class ExtractiveAnswerer:
    def __init__(self, threshold: float, max_sentences: int = 2,
                 encode: Callable[[Sequence[str]], np.ndarray] | None = None) -> None:
        """``encode`` embeds short texts (the query encoder), to judge whether a figure counts what
        "How many ...?" asks (``counts.uncounted``); without it, that is not judged."""
        self.threshold = threshold
        self.max_sentences = max_sentences
        self.encode = encode

    # -- evidence ---------------------------------------------------------------------------
    def coverage(self, question: str, sentences: Sequence[Sentence], snapshot: Snapshot) -> Evidence:
        """IDF-weighted share of the question's content terms present in the sentences (or their titles)."""
        terms = _surface_terms(question)
        if not terms:
            return Evidence(1.0, "")
        lexical: LexicalIndex = snapshot.lexical
        titles = " ".join(snapshot.titles.get(s.doc, "") for s in sentences)
        present = set(tokenize(" ".join(s.text for s in sentences) + " " + titles))
        weights = np.array([lexical.idf(t) for t, _ in terms])
        matched = np.array([t in present for t, _ in terms])
        coverage = float(weights[matched].sum() / weights.sum())
        # A count the question asks for ("Which two officials ...?") is no topic a text could lack, nor
        # is a contraction ("I'm a student - what's my ticket price?").
        # Nor is the word after "how" ("How long do they have ...?": the refusal named "long").
        how = {m.group(1).lower() for m in _HOW_WORD.finditer(question)}
        topical = np.array([not (w.isdigit() or w.lower() in _COUNT_WORDS or w.lower() in _LIGHT_VERBS
                                 or w.lower() in how or _CONTRACTION.fullmatch(w)) for _, w in terms])
        gaps = np.where(matched | ~topical, 0.0, weights)
        missing = terms[int(gaps.argmax())][1] if gaps.max() > 0 else ""
        return Evidence(coverage, missing)

    def choose(self, question: str, hits: Sequence[Retrieved], snapshot: Snapshot) -> tuple[list[Retrieved], Evidence]:
        """The top sentence, plus the next ones that cover what it leaves out."""
        # "Who is Jin Hai?": a sentence that names him in full and says what he is answers it, though
        # "Jin made the comments ..." shares more of the question's few words.
        described = next((h for h in hits[:DESCRIBED_WITHIN] if describes_in_full(question, h.sentence.text)), None)
        if described is not None and not describes_in_full(question, hits[0].sentence.text):
            hits = [described, *(h for h in hits if h is not described)]
        chosen = [hits[0]]
        # A question asking two things ("Who won, and when?"): the best sentence for each part
        # answers it, though it may share few words with the whole question.
        for hit in hits[1:]:
            if hit.part and hit.sentence.doc == hits[0].sentence.doc and hit.score >= PART_SHARE * hits[0].score:
                chosen.append(hit)
        chosen = chosen[: self.max_sentences]
        # "What two steps will customs take?": a list the text may give one item per sentence.
        if (items := _ITEMS_ASKED.search(question)) and len(chosen) == 1:
            wanted = min(_ITEM_COUNTS[items.group(1).lower()], LIST_SENTENCES)
            top = hits[0].sentence
            # A list goes on in the next sentence ("They will also ..."), which shares few of the
            # question's words: it is cited first, and at a lower score.
            going_on = [h for h in hits[1:] if h.sentence.doc == top.doc and h.sentence.ordinal == top.ordinal + 1
                        and goes_on(h.sentence.text) and h.score >= GOES_ON_SHARE * hits[0].score]
            close = going_on + [h for h in hits[1:4] if h.score >= LIST_SHARE * hits[0].score
                                and h.sentence.doc == top.doc and h not in going_on]
            chosen += close[: wanted - 1]
        evidence = self.coverage(question, [h.sentence for h in chosen], snapshot)
        for hit in hits[1:4]:
            if hit in chosen:
                continue
            if len(chosen) >= self.max_sentences or evidence.coverage >= 0.999:
                break
            if hit.score < COVER_SHARE * hits[0].score:
                break
            if hit.sentence.doc != hits[0].sentence.doc:
                continue  # two documents' sentences stitched into one answer are rarely about one thing
            trial = self.coverage(question, [h.sentence for h in chosen] + [hit.sentence], snapshot)
            if trial.coverage - evidence.coverage >= 0.15:
                chosen.append(hit)
                evidence = trial
        chosen.sort(key=lambda h: (h.sentence.doc, h.sentence.ordinal))
        return chosen, evidence

    # -- answering --------------------------------------------------------------------------
    def answer(self, condensed: Condensed, hits: Sequence[Retrieved], snapshot: Snapshot) -> Answer:
        question = condensed.question
        if foreign := other_language(question, snapshot.lexical.knows):
            return self._abstain(condensed, hits, 0.0, "", snapshot, "other_language", language=foreign)
        if not hits:
            return self._abstain(condensed, hits, 0.0, "", snapshot, "low_confidence")
        # A follow-up's own words may be all pronouns ("Who said that?"): judge it with its context.
        judged = question if len(_surface_terms(question)) >= 2 or not condensed.follow_up else condensed.query
        chosen, evidence = self.choose(judged, hits, snapshot)
        own_kind = answer_type(question)
        kind = own_kind if condensed.kind is None else condensed.kind  # "And for DVDs?": the last question's
        required = required_kind(question)  # the question's own kind, when it is required
        listed = self._listed(hits[0].sentence, snapshot) if kind not in SPAN_KINDS and hits[0] in chosen else None
        if listed and listed.sentences:
            # "How do I reset it?" matches "To reset the camera:" best, and its steps answer.
            ranked = {h.sentence: h for h in hits}
            chosen = [hits[0], *(ranked.get(s) or Retrieved(s, 0.0, 0.0, 0.0) for s in listed.sentences)]
        # Only a missing span counts against confidence: a reason may be given without "because".
        # (A measure may be given in words: "It lasts a year" answers "How long?".)
        # (A kind asked again is not required: "Closed on Sundays" answers "And what about Sundays?".)
        holds_kind = own_kind not in SPAN_KINDS or self._holds(question, own_kind, [h.sentence for h in chosen], snapshot) or (
            required is None and bool(MEASURE.search(question)))
        confidence = evidence_confidence(hits[0]) - (0.0 if holds_kind else KIND_PENALTY)
        # However close the words, a sentence without a figure cannot say how many, and documents
        # that never name what the question names cannot be about it. Checked before the threshold,
        # so that the reason given is the one no threshold would change.
        if required is not None and not holds_kind:
            # A sentence ranked nearly as high that holds a figure (or date) answers better than
            # the first, which cannot; with none, the question is refused.
            holder = self._near_holder(question, required, hits, snapshot)
            # ... or the next sentence, when it goes on about the same thing: "The Gull Tower ... is
            # 64 metres tall. Visitors can climb its 311 steps."
            holder = holder or next((h for h in hits[1:] if _continues(hits[0].sentence, h.sentence)
                                     and self._holds(question, required, [h.sentence], snapshot)), None)
            # ... or, for "When ...?", the heading that dates the first sentence's section: a changelog's
            # "- Added an `export` command" was added in the release its heading dates.
            dated = _dated_heading(hits[0].sentence, snapshot) if required == "date" and holder is None else None
            if dated is not None:
                chosen = [Retrieved(dated, hits[0].score, hits[0].dense, hits[0].lexical), hits[0]]
            elif holder is None:
                # "no amount of money" only when nothing but money would do ("How much did it cost?").
                lacking = required if required != "money" or _figures(question, required) == ("money",) else "number"
                return self._abstain(condensed, hits, confidence, "", snapshot, "no_answer_kind", lacking=lacking)
            else:
                chosen = [holder]
        elif (required is None and own_kind in SPAN_KINDS and not holds_kind and hits[0] in chosen
              and not _NOT_KNOWN_YET.search(hits[0].sentence.text)):
            # "Which doctor is doing it?": a line that names no one ranks first, and one nearly as close
            # names someone; that one is the evidence. (Not when the first says it is not known yet:
            # "The location of the summer barbecue has not yet been decided.")
            holder = self._near_holder(question, own_kind, hits, snapshot)
            if holder is not None:
                chosen = [holder]
        if kind == "phone" and not any(_gives_digits(h.sentence) for h in chosen):
            # Written in many ways ("call 101", "0161 496 2020"), so not required as a figure is;
            # but a sentence of fewer than three digits gives none (an address: "CB4 9TX"). One
            # ranked nearly as high may ("Kelvin Service engineers visit within 3 working days.
            # Call 0344 815 6060, ..."): the next sentence, when it says to call, is about the same.
            holder = next((h for h in hits[1:3] if h.score >= NEAR_TIE * hits[0].score and _gives_digits(h.sentence)
                           and (_same_subject(question, hits[0].sentence, h.sentence)
                                or _says_to_call(hits[0].sentence, h.sentence))), None)
            if holder is None:
                return self._abstain(condensed, hits, confidence, "", snapshot, "no_answer_kind", lacking="phone")
            chosen = [holder]
        unknown = unknown_name(question, snapshot)
        if unknown:
            return self._abstain(condensed, hits, confidence, unknown, snapshot, "unknown_name")
        docs, sentences = {h.sentence.doc for h in chosen}, [h.sentence for h in chosen]
        elsewhere = (unmentioned_name(question, docs, snapshot) or unmentioned_role(question, docs, snapshot)
                     or role_unsaid(question, sentences, snapshot)
                     or unnamed_subset(question, sentences))
        if elsewhere:
            return self._abstain(condensed, hits, confidence, elsewhere, snapshot, "unknown_name", elsewhere=True)
        if kind == "person" and not holder_named(question, sentences, snapshot):
            return self._abstain(condensed, hits, confidence, "", snapshot, "no_answer_kind", lacking="person")
        if kind == "number" and self.encode is not None and len(parts(question)) == 1:
            # "How many patents ...?" from "215,000 cases involving counterfeit products": a count of
            # something else.
            thing = uncounted(question, [s.text for s in sentences], self.encode)
            if thing:
                return self._abstain(condensed, hits, confidence, thing, snapshot, "no_answer_kind", counted=True)
        # "What were sales in July?" asks for a figure too, though not for a short one.
        figure = "number" if kind not in NUMERIC and NAMED_FIGURE.search(_asked(question)) else kind
        pinned = self._pinned(question, kind, figure, docs, sentences, snapshot)
        if pinned:
            # A heading ranked nearly as high, of the same document, that writes the year or version
            # asked answers instead: "When was 3.4.0 released?" by "## 3.4.0 (2025-10-27)", not by
            # "This is a major release" under "## 3.0.0". (Not a day or a month: "On Sundays buses
            # run hourly" is as often about another route than the one asked. Nor one ranked lower
            # that writes the version asked: that lost a blind set's refusal.)
            instead = next((h for h in hits[1:4] if h.score >= NEAR_TIE * hits[0].score and h.sentence.doc in docs
                            and h not in chosen and snapshot.is_title[snapshot.by_id[h.sentence.id]]
                            and (digits := re.search(r"\d[\d.]*\d|\d", pinned)) is not None
                            and _writes(h.sentence.text, digits.group())
                            and (kind not in SPAN_KINDS or self._holds(question, kind, [h.sentence], snapshot))
                            and not self._pinned(question, kind, figure, docs, [h.sentence], snapshot)), None)
            if instead is None and (days := asked_days(question)):
                # ... but a sentence that goes on from the first, in its paragraph, about the day asked
                # does: "The number 47 bus runs ... every two hours, Monday to Saturday. The first bus
                # leaves at 8.10 am ... On Sundays there are only two buses, at 10.25 am and 3.25 pm."
                instead = next((h for h in hits[1:4]
                                if _goes_on_within(chosen[0].sentence, h.sentence, snapshot, PARAGRAPH_AFTER)
                                and day_fits(days, h.sentence.text)
                                # of what is asked ("buses"), not of the gym beside the pool asked
                                and _shares_a_word(question, h.sentence.text)
                                and (kind not in SPAN_KINDS or self._holds(question, kind, [h.sentence], snapshot))
                                and not self._pinned(question, kind, figure, docs, [h.sentence], snapshot)), None)
            if instead is None:
                return self._abstain(condensed, hits, confidence, pinned, snapshot, "unknown_name", elsewhere=True)
            chosen, sentences = [instead], [instead.sentence]
        # Only in place of a refusal: when the text itself answers ("The report was written by ..."),
        # that answer stands.
        byline = _source_line(question, hits[0].sentence.doc, snapshot) if confidence < self.threshold else None
        # "What does clause 4.2 say?": the clause its number names answers, though few of its words match.
        numbered = numbered_item(question) if asks_only_for_item(question) else None
        by_number = numbered is not None and numbered.match(chosen[0].sentence.text) is not None
        if byline is not None:
            source, _ = byline
            chosen = [next((h for h in hits if h.sentence == source), Retrieved(source, 0.0, 0.0, 0.0))]
        elif confidence < self.threshold and not by_number:
            # The word named is one the person asked, not one of an earlier turn ("What about Millbrook?"
            # is not refused as about "came").
            own = evidence.missing and re.search(rf"(?<!\w){re.escape(evidence.missing)}(?!\w)", question, re.I)
            return self._abstain(condensed, hits, confidence, evidence.missing if own else "", snapshot, "low_confidence")
        citations = tuple(Citation(n, h.sentence, h.score, verified=_recheck(h.sentence, snapshot))
                          for n, h in enumerate(chosen, start=1))
        # A list's items stay one to a line, as written.
        as_list = bool(listed and listed.sentences) and [c.sentence for c in citations[1:]] == listed.sentences
        body = ("\n" if as_list else " ").join(_with_marker(c.sentence.text, c.n) for c in citations)
        lead, read_from = self._lead(question, citations, [h.part for h in chosen], snapshot, condensed.kind)
        if byline is not None:
            lead, read_from = f"{byline[1]} [1]", 1  # "China Daily", not "Source: China Daily"
        elif (read_from is not None and len(parts(question)) == 1
              and (year := answer_apart_from_year(question, figure, read_from, citations, snapshot))):
            return self._abstain(condensed, hits, confidence, year, snapshot, "unknown_name", elsewhere=True)
        elif (read_from is not None and len(parts(question)) == 1
              and (numbered := other_numbered(question, [citations[read_from - 1].sentence], snapshot)
                   or other_version(question, [citations[read_from - 1].sentence], snapshot))):
            # "In Year 2 we installed 1,430 peat dams", cited beside "... the 28,000 planted in Year 1",
            # gives no count for Year 1; "Versions 3.4.2 and 2.9.8 released" on 18 June, cited beside
            # the table row that names 3.4.1, gives no date for 3.4.1.
            return self._abstain(condensed, hits, confidence, numbered, snapshot, "unknown_name", elsewhere=True)
        elif len(parts(question)) == 1 and (name := self._named_elsewhere(question, kind, citations, read_from, snapshot)):
            # (Not the sentence ranked close that names it and holds a figure instead: most often it
            # is the very line that names it among others, "We run three community pantries: ...",
            # whose figure is no answer; that gave wrong answers to four refused questions.)
            return self._abstain(condensed, hits, confidence, name, snapshot, "unknown_name", elsewhere=True)
        if read_from is not None:
            # The sentence the short answer is read from ranks first: of the sentences retrieval ranked
            # close, the one that holds the kind of answer asked for ("Who ...?": a name) is the
            # evidence, as a reader's rerank of the retriever's list.
            first = citations[read_from - 1].sentence
            hits = [h for h in hits if h.sentence == first] + [h for h in hits if h.sentence != first]
        # A sentence's first letter is a capital; an address's is as written ("www.", "help@").
        address = re.match(r"\S*[@/]|www\.|[\w-]+(?:\.[\w-]+)+\s*\[", lead)
        text = f"{lead if address else lead[0].upper() + lead[1:]}.\n\n{body}" if lead else body
        # Said, since the answer stands below the threshold: its confidence does not vouch for it.
        notice = ("Answered from the document's source line." if byline is not None else
                  "Found by the number the question gives." if by_number and confidence < self.threshold else "")
        if as_list and listed and listed.left_out:
            more = f"{listed.left_out} more item{'s' if listed.left_out > 1 else ''}"
            notice = f"{notice} The list goes on: {more} in {citations[0].sentence.doc}.".strip()
        return Answer(question, text, False, citations, tuple(hits), confidence, query=condensed.query, notice=notice)

    @staticmethod
    def _listed(sentence: Sentence, snapshot: Snapshot) -> ListAfter:
        """The items of the list ``sentence`` leads into (``sections.list_after``)."""
        first, last = snapshot.doc_ranges[sentence.doc]
        return list_after(sentence, snapshot.sentences[first:last], snapshot.texts[sentence.doc])

    @staticmethod
    def _lead(question: str, citations: Sequence[Citation], part_of: Sequence[int],
              snapshot: Snapshot, asked_again: AnswerType | None = None) -> tuple[str, int | None]:
        """The short answer: "Nearly 320,000 [1]", or one per part of a two-part question ("Tomasz
        Nowak [1]; January 1, 2025 [2]"), each looked for first in the sentence found for its part;
        and the number of the citation its first part is read from (None when there is no short answer)."""
        asked = parts(question)
        leads = []
        read_from = None
        for i, part in enumerate(asked, start=1):
            kind = asked_again if asked_again is not None and len(asked) == 1 else answer_type(part)
            own = [c for c, p in zip(citations, part_of) if p == i] or [c for c, p in zip(citations, part_of) if p == 0]
            span = None
            # "How much did it grow?": by how much, so a percentage first ("an increase of 50.1
            # percent"), else the amount ("rose by $4 million"), not the total it grew to.
            kinds = ("percent", kind) if kind in ("money", "number") and _ASKS_CHANGE.search(part) else (kind,)
            spelled = snapshot.expand_acronyms(part)  # "Who is the CFO?": "Chief Financial Officer" is no answer
            for group, wanted in product([own, citations] if len(asked) > 1 else [citations], kinds):
                found = find_span(spelled, [c.sentence for c in group], wanted, snapshot.texts)
                if found is not None:
                    span = (group[found[0] - 1].n, found[1])
                    break
            if span is None and kind not in SPAN_KINDS and len(asked) == 1:
                # "What is the minimum order for baguettes?" of a table's row: the cell its header names.
                found = table_cell(part, [c.sentence for c in citations], snapshot.texts)
                span = (citations[found[0] - 1].n, found[1]) if found is not None else None
            if span is None and kind in SPAN_KINDS and len(asked) > 1:
                return "", None  # the other part's answer alone would read as the answer to this one
            if span is not None:
                leads.append(f"{span[1]} [{span[0]}]")
                read_from = span[0] if read_from is None else read_from
        return "; ".join(dict.fromkeys(leads)), read_from

    def _near_holder(self, question: str, kind: AnswerType, hits: Sequence[Retrieved],
                     snapshot: Snapshot) -> Retrieved | None:
        """Of the sentences ranked just below the first, nearly as high (``NEAR_TIE``), the first that
        holds an answer of ``kind`` and may be about what the question names, as the first is
        (``_same_subject``), or goes on from the one ranked between them, itself about it ("It is
        expected to ... supply about 600 homes" after the solar farm's sentence, ranked below the
        share offer's title), if any."""
        return next((h for i, h in enumerate(hits[1:3], start=1) if h.score >= NEAR_TIE * hits[0].score
                     and self._holds(question, kind, [h.sentence], snapshot)
                     and (_same_subject(question, hits[0].sentence, h.sentence)
                          or any(_continues(above.sentence, h.sentence)
                                 and _same_subject(question, hits[0].sentence, above.sentence) for above in hits[1:i]))),
                    None)

    def _pinned(self, question: str, kind: AnswerType, figure: AnswerType, docs: set[str],
                sentences: Sequence[Sentence], snapshot: Snapshot) -> str:
        """The year, month, version, edition, quarter, numbered part ("Year 2") or day the question asks
        about that ``sentences`` are not about (each check's docstring says how), else "". (Not the year
        check of ``unwritten_year`` alone: a report's year is as often only in its title, "Festival 2023
        Review".)"""
        return (unwritten_year(question, docs, snapshot) or figure_of_other_year(question, kind, sentences, snapshot)
                or unwritten_month(question, figure, docs, snapshot)
                or figure_of_other_month(question, figure, sentences, snapshot)
                or other_version(question, sentences, snapshot) or other_edition(question, sentences, snapshot)
                or other_count_column(question, sentences, snapshot)
                or other_period(question, docs, sentences, snapshot) or other_numbered(question, sentences, snapshot)
                or other_day(question, sentences, snapshot,
                             lambda s: kind not in SPAN_KINDS or self._holds(question, kind, [s], snapshot)))

    def _named_elsewhere(self, question: str, kind: AnswerType, citations: Sequence[Citation], read_from: int | None,
                         snapshot: Snapshot) -> str:
        """A name the answer is not about (``named_elsewhere``), judged of the sentence the short
        answer is read from when it gives a figure or is a table's row ("Thursday 18:30 Spin
        Endurance" gives no time for Aqua Fit, though the Monday row cited beside it names Aqua Fit),
        and of every cited sentence for a figure without a short answer. (Not of other sentences:
        a name is often said only before the sentence that answers who or where, "Dr Mabuza ...
        Office hours are ...".)"""
        read = citations[read_from - 1].sentence if read_from is not None else None
        text = snapshot.texts.get(read.doc, "") if read is not None else ""
        if read is not None and (kind in NUMERIC or table_layout(text).header_at(text, read.start) is not None):
            chosen = [read]
        elif kind in NUMERIC:
            chosen = [c.sentence for c in citations]
        else:
            return ""
        return named_elsewhere(question, chosen, snapshot, lambda s: self._holds(question, kind, [s], snapshot))

    @staticmethod
    def _holds(question: str, kind: AnswerType, chosen: Sequence[Sentence], snapshot: Snapshot) -> bool:
        """Whether a chosen sentence holds an answer of ``kind`` (any figure, for a figure)."""
        kinds = _figures(question, kind) if kind in NUMERIC else (kind,)
        stems = set(tokenize(question))
        # A table's row read by its cells; a bare figure is money by its column's header only when
        # money is asked of the row the question names ("| Volunteers | 85 |" under "2024 (£)" still
        # counts 85 volunteers, and "What did insurance cost?" is no "Staff costs" row's).
        return any(has_answer_kind(table_layout(text := snapshot.texts.get(s.doc, "")).read(
                                       text, s.start, s.text,
                                       currency_in=None if k == "money" and row_named(stems, text, s) else set()),
                                   k, stems, text, question)
                   for s in chosen for k in kinds)

    def _abstain(self, condensed: Condensed, hits: Sequence[Retrieved], confidence: float, missing: str,
                 snapshot: Snapshot, reason: str, lacking: AnswerType | None = None,
                 elsewhere: bool = False, counted: bool = False, language: str = "") -> Answer:
        one = len(snapshot.manifest.documents) == 1  # a user's one file may be no report: "the document"
        what = "the document does" if one else "the documents do"
        text = f"{REFUSAL} {what} not answer this question."
        if len(missing) > _QUOTED_CHARS:  # a question of one 50,000-letter "word"
            missing = missing[:_QUOTED_CHARS - 1] + "…"
        if language:
            where = "the document" if one else "the documents"
            text = (f"{REFUSAL} the question looks like {language}, and most of its words are not in {where}; "
                    f"ask it in the language {'it is' if one else 'they are'} written in.")
        elif lacking is not None:
            text = f"{REFUSAL} {what} not answer this question (the closest passages give no {_NOUNS[lacking]})."
        elif counted:
            text = f'{REFUSAL} {what} not answer this question (the closest passages give no count of "{missing}").'
        elif elsewhere:
            text = f'{REFUSAL} {what} not answer this question (the closest passages are not about "{missing}").'
        elif missing:
            text = f'{REFUSAL} {what} not answer this question (nothing in {"it" if one else "them"} is about "{missing}").'
        return Answer(condensed.question, text, True, (), tuple(hits), confidence, query=condensed.query,
                      abstain_reason=reason)


# A byline or a credit line: "Source: China Daily", "(Source: Reuters)", "By Ana Ruiz", "By Dr. J. Doe,
# Staff Reporter". "By" needs a short name after it: "By December the wall will be done" is no byline.
_SOURCE_LINE = re.compile(
    r"^\s*\(?(?:(?:Source|Sources|Author|Authors|Reporter|Credit|Publisher)\s*:\s*(?P<source>\S[^!?]{0,60}?)|"
    r"(?:By|Written by|Published by|Reported by)\s+(?P<name>(?:(?:Dr|Mr|Mrs|Ms|Prof)\.?\s+)?(?:[A-Z][\w'’.-]*"
    r"(?:\s+(?:and|&|de|van|von)\s+|\s+)?){1,5}(?:,\s+[A-Z][\w ]{0,30})?))\s*[.)]?\s*$")
EDGE = 3
"""A byline is among the first or the last few sentences of a document; a chart's "Source:" in the
middle is not the document's."""


def _source_line(question: str, doc: str, snapshot: Snapshot) -> tuple[Sentence, str] | None:
    """For "Who ran this story?", the document's source line and the source it names, if it has one."""
    if not asks_for_source(question):
        return None
    first, last = snapshot.doc_ranges[doc]
    for p in sorted(set(range(first, min(first + EDGE, last))) | set(range(max(last - EDGE, first), last))):
        if line := _SOURCE_LINE.match(snapshot.sentences[p].text):
            return snapshot.sentences[p], (line.group("source") or line.group("name")).rstrip(" .")
    return None


def _figures(question: str, kind: AnswerType) -> tuple[AnswerType, ...]:
    """The kinds of figure that answer a question for one of ``kind`` (its ``answer_type``)."""
    # Asked for, not mentioned: "How many staff accepted the 10 percent pay cut?" wants a count.
    if kind == "percent" and _SAYS_PERCENT.search(question):
        return ("percent",)
    if MEASURE.search(question):
        return ("number",)  # a weight is not "€24.90"
    if kind == "money" and ASKS_MONEY.search(question):
        return ("money",)  # a cost is not "24 beds" or "2027"
    if kind == "number" and ASKS_COUNT.search(question):
        # "How many books?" is not "$35", nor "10 percent"; "How many of those ...?" may be "98%".
        return ("number", "percent") if ASKS_PART.search(question) else ("number",)
    return NUMERIC


def _recheck(sentence: Sentence, snapshot: Snapshot) -> bool:
    text = snapshot.texts.get(sentence.doc)
    return text is not None and text[sentence.start:sentence.end] == sentence.text


def _with_marker(text: str, n: int) -> str:
    """Put ``[n]`` before a sentence's final punctuation: "... last year [1]."."""
    match = re.search(r"([.!?]+[\"'”’)]*)$", text)
    if match:
        return f"{text[:match.start()]} [{n}]{match.group()}"
    return f"{text} [{n}]"
