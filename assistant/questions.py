"""Reading a question: what kind of answer it wants, and what a follow-up refers back to."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal, TypedDict

from .sentences import split

__all__ = ["YES_OR_NO", "YEAR", "PINNED", "PERIOD", "period_key", "preamble", "REFERS_BACK", "ASKS_COUNT", "ASKS_LENGTH", "ASKS_MONEY", "ASKS_WEIGHT", "CODE", "MEASURE", "NUMBERED", "NAMED_FIGURE", "SPAN_KINDS", "AnswerType",
           "Turn", "answer_type", "asks_for_source", "condense", "is_follow_up", "parts", "previous_user_turn",
           "ASKS_PART", "asks_only_for_item", "numbered_item", "required_kind"]

AnswerType = Literal["number", "percent", "money", "person", "place", "organisation", "date", "email", "phone", "web",
                     "reason", "other"]

SPAN_KINDS: frozenset[str] = frozenset({"number", "percent", "money", "person", "place", "organisation", "date",
                                        "email", "phone", "web"})
"""Kinds answered by a short span in the sentence; a "reason" is a clause, so the sentence is the answer."""


class Turn(TypedDict):
    role: str
    content: str


ASKS_WEIGHT = r"\bhow much (?:(?:more|less|extra) )?(?:does|do|did|will|would|can)\b.*\bweigh(?:s|ed)?\b|\bhow heavy\b"
"""A question for a weight (what unit a figure must be in: see ``spans``)."""
ASKS_LENGTH = r"\bhow (tall|wide|deep)\b"
"""A question for a height, a width or a depth (the group): a figure in a unit of length answers it."""
_FEE_WORDS = r"\b(cost|costs|price|prices|fee|fees|pay|paid|salary|worth|spend|spent|budget)\b"
_CHARGES_A_FEE = (r"\b(?:they|we|you|I|do|does|will|would|be|is there a|what|the|any|extra|no)\s+charged?\b"
                  r"(?!\s+(?:the|a|my|your|its|it|up|level|time)\b)")
""""How long do they charge for?" asks of a fee; "How long does it take to charge the battery?" and
"How far can it go on a full charge?" do not."""
MEASURE = re.compile(
    rf"^(?!.*{_FEE_WORDS})(?!.*{_CHARGES_A_FEE}).*(?:{ASKS_WEIGHT}|\bweight (?:limit|allowance)\b|\bmaximum weight\b|"
    r"\bhow (long|fast|far|tall|old|wide|deep|high|warm|hot|cold|soon)\b)", re.IGNORECASE)
"""A question for a measure (a weight, a length, a duration), not for an amount of money."""

# "What is her salary?", "What was the firm's revenue in 2023?": an amount of money, unless the money
# word only qualifies what is asked ("the rent review date", "the salary band" are no amounts).
_AMOUNT_NOUNS = (r"(salary|salaries|budget|revenue|revenues|income|profit|profits|wage|wages|(?<!staff )(?<!employee )(?<!labour )turnover|rent|fee|fees|"
                 r"price|cost|premium|premiums|excess|pay|fare|fares|deposit|fine|fines|tuition)")
_AMOUNT_PATTERN = (
    r"^\s*(and\s+)?what(['’]s| is| was| are| were| will be) (the |its |their |his |her |([\w.-]+ ){0,3}[\w.-]+['’]s? )?"
    rf"([\w-]+ ){{0,2}}{_AMOUNT_NOUNS}\b(?!\s+(review|band|bands|date|dates|structure|increase|increases|growth|rise|"
    r"decrease|drop|fall|change|changes|breakdown|model|policy|driver|drivers|cut|cuts|waiver|rate|rates|margin|margins|"
    r"bracket|level|levels|scale|grade|cap|freeze|target|forecast|scheme|schemes|protection|account|period|terms|"
    r"rules|options|method|methods|zone|zones|class|type|types|print|slip|slips|day|cycle)\b)"
    # "What salary will the analyst be paid?", "What does Skylark Air charge for ...?", "What do I pay if ...?"
    rf"|^\s*(and\s+)?what {_AMOUNT_NOUNS} (will|would|does|do|did|is|was|are|were|can|could)\b"
    r"|^\s*(and\s+)?what (does|do|did|will|would) ([\w'’&.-]+ ){1,4}(charge|charges|pay|earn|cost)"
    r"(\s*\??\s*$|\s+(for|to|per|a|an|each|if|when|on|in|at|after|before)\b)")
_PRICE_RATE = (r"(?:per|a|an|each|every) (?:month|week|year|day|night|hour|minute|person|head|adult|child|lesson|"
               r"session|class|visit|term|word|page|item|copy)")
"""What a price is paid per: "How much a night does a room cost?"."""
_PRICED_BY = rf"(?:{_PRICE_RATE}|(?:extra|more|less)(?=\s.*\b(?:cost|costs|charge|charges|charged)\b))"
"""What may stand between "how much" and the verb of a question for a price: a rate, or "extra" when
the question asks what something costs ("How much extra does the hike cost?"); "How much extra do
staff earn on bank holidays?" asks for a difference, which the text may only imply."""
_MONEY_VERBS = (r"(?:cost|costs|costing|charge|charges|charged|pay|pays|paid|spend|spends|spent|earn|earns|earned|raise|"
                r"raised|fetch|fetched|sell|sold|worth|owe|owes|owed|bill|billed)")
"""The verbs of a question for an amount of money ("How much does it cost?", "How much did they raise?")."""
# (Not "discount", "interest", "tax", "bonus": a percentage may say how much.)
_MONEY_NOUNS = (r"(money|cash|rent|revenue|income|profit|funding|tuition|deposit|compensation|excess|salary|pay|wages?|"
                r"premium|fees?|fares?|prize|damages|grants?|budget|costs?|price|charges?|fines?|subsidy|pension|"
                r"donations?|refund|tolls?|bail|debt|loan)")
ASKS_MONEY = re.compile(
    # A change or a share may be a percentage: "How much did the cost of fuel rise?"
    r"^(?!.*\b(rise|rises|rose|risen|fall|falls|fell|fallen|increase|increased|decrease|decreased|grow|grew|grown|"
    r"drop|dropped|decline|declined|change|changed|go up|went up|go down|went down|cheaper|dearer|per ?cent|"
    r"percentage|share|proportion)\b)(?:"
    # "How much will the ward cost to build?", "How much did they pay?", "How much rent does she pay?"
    # "How much extra does the hike cost?", "How much a month does the plan cost?"
    rf"\s*(and\s+)?(roughly\s+|about\s+)?how much\s+({_PRICED_BY}\s+)?({_MONEY_NOUNS}\s+)?(does|do|did|will|would|is|was|are|were|can|"
    rf"could|should|has|have|had)\b.*\b{_MONEY_VERBS}\b|"
    # "How much was the ferry fare?", "How much is a ticket?"
    r"\s*(and\s+)?how much (is|was|are|were|will be|would be)\b.*\b(fares?|fees?|prices?|costs?|rent|tickets?|tolls?|"
    r"fines?|salary|salaries|charges?|bills?|wages?|tuition|membership|subscription|deposit|pass|passes)\b|"
    # "How much money ...?", "What is the fee to join?", "What was the cost of the new wing?"
    rf"\s*(and\s+)?how much {_MONEY_NOUNS}\b|{_AMOUNT_PATTERN})",
    re.IGNORECASE)
"""A question for an amount of money, which a count or a year does not answer. Only when the money
is what is asked: "How much time do I have to pay?" and "How many hours does the price include?"
are not, nor "How much paid leave is there?"."""
ASKS_COUNT = re.compile(r"\bhow many\b(?!.*\b(dollars?|euros?|pounds?|yuan|yen|cents?|pence|francs?|rupees?)\b)",
                        re.IGNORECASE)
"""A question for a count ("How many vans ...?"), not for an amount ("How many dollars ...?")."""
_ASKS_SIZE = re.compile(rf"{ASKS_WEIGHT}|{ASKS_LENGTH}", re.IGNORECASE)
# "What's the ...", "Which ...", "What is their ...": the start of a question for the thing named next.
_ASKS_FOR = (r"^\s*(and\s+)?(what|which)(['’]s|\s+is|\s+was|\s+are|\s+were)?\s+(the\s+|their\s+|its\s+|your\s+|"
             r"his\s+|her\s+|our\s+|an?\s+)?([\w'’&-]+\s+){0,3}?")
_RULES: list[tuple[str, AnswerType]] = [
    # Why and who first: "Why did the price rise?" wants a cause, "Who paid the cost?" a name.
    (r"^\s*(and\s+)?why\b|\bfor what reason\b|\bhow come\b|\bwhat (caused|led to|is behind|was behind)\b", "reason"),
    # Contact details, when they are what is asked: "What email address can I use?", "What's the
    # helpline number?", not "What should I put in the subject line when I email them?" nor "Which
    # browsers does the website support?". Before "what number" and "which ... office".
    (rf"{_ASKS_FOR}e-?mail(\s+address(es)?)?\b(?!\s+(subject|policy|policies|newsletter|list|account|system|"
     r"server|signature)\b)|\be-?mail address(es)? (for|of|to)\b", "email"),
    (rf"{_ASKS_FOR}(phone|telephone|helpline|hotline|contact|enquiry|enquiries|booking|bookings|emergency|box office|"
     r"ticket office|reception|switchboard|appointments?|support|customer services?)\s+(number|no\.?)s?\b|"
     r"\bwhat number (do|should|can|could|would) (i|you|we|they|people|customers) (call|ring|phone|dial)\b", "phone"),
    (rf"{_ASKS_FOR}(web ?site|web address|web page|webpage|url|online address)\b(?!['’]s?\s|\s+(support|supports|"
     r"work|works|say|says|show|shows|list|lists|offer|offers|use|uses)\b)", "web"),
    (r"^\s*(and\s+)?who\b|\bwhose\b|['’]s? (job )?(title|role|position)\s*\??\s*$|\bwhich (official|person|people|minister|man|woman)\b|\bwhat is the name of\b", "person"),
    (r"\b(what|which|by what) (percentage|percent|share|proportion|rate)\b|\bwhat(['’]s| is| was| are| were)? (the |its |their )?(annual |monthly |current )?(interest|vat|tax|inflation|unemployment|vacancy|occupancy|turnout|churn|growth|response|pass|success|recycling|employment|attendance|completion|retention|participation|uptake|take-up|default|error|failure|approval|acceptance|conversion|arrears|collection|vaccination|survival|mortality|literacy|obesity|poverty|dropout|drop-out|absence|sickness|attrition|turnover|utili[sz]ation|satisfaction|return|recovery|repeat|click-through|bounce) rates?\b|\bwhat (is|was|are|were) the (percentage|percent|share|proportion)\b|^\s*(the\s+)?(percentage|percent|share) of\b|\bby how much\b|\bhow (big|large|much) (an? )?(increase|rise|growth|decrease|drop|jump|gain)\b|\bwhat (was|is) the (increase|growth|rise|decrease)\b|\bwhat(['’]s| is| was| are| were)? (the |its |their )?([\w-]+ )?margins?\s*(\?|$|\b(in|for|of|last|this)\b)", "percent"),
    # "What's the most they will pay if ...?": a limit of money.
    (r"\bwhat(['’]s| is| was)? the (most|maximum|least|minimum)\b.*\b(pay|pays|paid|payout|refund|refunds|charge|"
     r"charges|compensation|compensate|cover|covers)\b", "money"),
    # A measure, not an amount of money: "How much does it weigh?", "How long does it take?"
    (MEASURE.pattern, "number"),
    # "How much data does the plan include?", "How much rain is expected?": a quantity of something
    # other than money.
    # (Not "How much extra does ... cost?" nor "How much a month does ... charge?": a price. "How much
    # per month is ...?" may ask for data or for money.)
    (rf"\bhow much (?!([a-z-]+ ){{0,2}}{_MONEY_NOUNS}\b|{_PRICED_BY}\s+(does|do|did|will|would)\b.*\b{_MONEY_VERBS}\b)"
     rf"([a-z-]+ ){{1,3}}(does|do|did|is|was|are|were|will|would|can|could|should|must|"
     r"has|have|had)\b", "number"),
    # "How many points is each stamp worth?" asks for a count.
    (rf"^\s*(and\s+)?{ASKS_COUNT.pattern}", "number"),
    (r"\bhow much (money|did .* cost|was .* worth)\b|\b(total )?(value|worth|cost|price|amount of money|sum)\b"
     r"(?!.*\b(include|includes|included|cover|covers|covered)\b).*\?*$|\bhow much\b", "money"),
    (_AMOUNT_PATTERN, "money"),
    (r"\bhow many\b|\bwhat (number|count|total)\b|\bhow (large|big)\b", "number"),
    # "What is the number of staff?": a count. ("The office number", "the ticket number" name none.)
    (r"^\s*(and\s+)?what(['’]s|\s+is|\s+was|\s+are|\s+were)\s+(the\s+|their\s+|its\s+|our\s+|your\s+)?"
     r"((total|overall|average|combined|approximate|exact|estimated|current)\s+)?(number|count)\s+of\b", "number"),
    (r"^\s*(and\s+)?when\b|\bwhat(['’]s| is)? the (latest|earliest)\b|\b(what|which) (year|day|date|month|time|hours)\b|\bwhat (is|was|are|were) the ([\w-]+ ){0,3}(date|deadline)\b|\bwhich (year|day|date|month)\b|\bon what (day|date)\b", "date"),
    (r"^\s*(and\s+)?where\b|\bwhich (country|countries|city|cities|place|places|region|regions|nation|nations|state|town)\b|\bin what (country|city|place)\b", "place"),
    # "Which firm ...?", but not "What company car allowance ...?": there the firm only qualifies what is asked.
    (r"\b(which|what) ((?!is\b|was\b|are\b|were\b|does\b|did\b|do\b)[\w-]+ )?(agency|organi[sz]ation|office|body|department|ministry|administration|institution|company|firm|business|contractor|bank|newspaper|paper|outlet|publication|journal|team|government|court)\b"
     r"(?!\s+(car|cars|vehicle|pension|policy|policies|rules|handbook|account|card|phone|laptop|benefits?|shares|name|logo|hours|address|opening|holiday|holidays|statement|details|balance|transfer)\b)", "organisation"),
]

NAMED_FIGURE = re.compile(
    r"^\s*(?:and\s+)?what(?:['’]s|\s+is|\s+was|\s+are|\s+were)\s+(?:the\s+|their\s+|its\s+|our\s+|your\s+)?"
    r"(?:[\w'’-]+\s+)?(?:population|attendance|turnout|headcount|head count|footfall|sales|revenue|turnover|income|"
    r"profit|spending|spend|budget|total|average|rate)\b(?!\s+(?:line|team|manager|office|tax|pitch|page|assistant|reps?|"
    r"people|staff|department|director|officer|policy|report)\b)", re.IGNORECASE)
"""A question for a figure by the name of what it measures ("What were sales in July?", "What was the
attendance on Saturday?"), which ``answer_type`` leaves a sentence's answer: "a crowd of 4,218" and
"3-2" are both figures, and the text says which is the attendance better than a short answer could.
Such a question is still asked of its month or year (``extractive.figure_of_other_month``)."""


_PRONOUNS = re.compile(
    r"\b(that|this|it|its|they|them|their|those|these|he|she|his|her|him|there|then|such|same|the latter|the former)\b",
    re.IGNORECASE,
)
_CONTINUATION = re.compile(r"^\s*(and|also|so|but|what about|how about|and what|what else|why|how come)\b", re.IGNORECASE)


YES_OR_NO = re.compile(r"^\s*(?:and\s+)?(?:can|could|may|might|is|are|was|were|do|does|did|should|will|would|has|have|"
                       r"must)\b", re.I)
"""A question answered yes or no: "Can my 14-year-old use the sauna?", "Is there a ceilidh on Sunday?"."""


REFUSAL = "Not covered:"
"""How a refusal begins (``extractive.ExtractiveAnswerer._abstain``)."""

_NAMED = r"[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,3}"
_FULL_NAME = r"[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){1,3}"
ASKS_WHO_IS = re.compile(rf"^\s*(?:(?i:who (?:is|was)) (?P<name>{_NAMED})|"
                         rf"(?i:what (?:is|was)) (?P<owner>{_NAMED})['’]s? (?i:(?:job )?(?:title|role|position|job))|"
                         rf"(?i:what|which) (?i:job|position|post|role|title) (?i:does|did) (?P<holder>{_FULL_NAME})"
                         rf" (?i:hold|have|occupy))\s*\??\s*$")
"""What a named person is: "Who is Jin Hai?", "What is Jin Hai's job title?", "What position does
Gan Lin hold?" (the description the text gives after or before the name). The last form only with a
full name: "What position does Britain hold?" asks for a stance."""


def answer_type(question: str) -> AnswerType:
    """The kind of short answer a question asks for ("other" when a sentence is the answer)."""
    if ASKS_WHO_IS.match(question):
        return "person"
    q = question.lower().strip()
    for pattern, kind in _RULES:
        if re.search(pattern, q):
            return kind
    return "other"


# A model, route or part number: "KAF-560", "X14", "A320", "COVID-19", "T3" (letters, then digits).
# "Q3", "H1" and "FY24" are left out: a text may say them in words ("the third quarter", "the 2024
# financial year"). One is looked up only among codes of its own series (``Snapshot.other_code``), so
# "CO2" is no other model in a text that says "carbon dioxide".
CODE = re.compile(r"(?<![\w-])(?!FY\d|[QH][1-4]\b)[A-Z][A-Za-z]{0,5}(?:-\d+|\d+)[A-Za-z]?(?:-\d+)?(?![\w-])")

NUMBERED = re.compile(r"(?<![\w-])(?-i:[A-Z][a-z]{1,12}) \d{1,3}(?![\w.,:/%-]|\s*(?:am|pm|a\.m|p\.m)\b)")
"""A thing numbered after its name: "Air 15", "Room 3", "Day 2", "Route 14" (a word with a capital,
a space, a number). Looked up as a code is, among the documents' numbers of the same name: a text
about the Corvex Air 14 says nothing of the Air 15. (Not a month's day, "May 5", nor a function
word's: "At 15, ..." is an age; see ``extractive.unknown_name``.)"""

# A year or a software version: "in 2021", "the 2019/20 season", "version 0.9.2", "v2.1". A text that
# never writes it is about another year or release, however close its words ("the 2024 regatta"
# against the 2025 one). Decades ("the 1920s"), amounts ("£2000") and parts of decimals are none.
YEAR = r"(?:1[5-9]\d\d|20\d\d)"
"""A year as written: 1500 to 2099."""
PINNED = re.compile(rf"(?<![\d.,£$€¥#]){YEAR}(?!\d|[,.]\d|s\b|['’]s\b)"
                    r"|(?<![\w.])(?:v|version\s+)?\d+\.\d+\.\d+(?![.\d])|\b(?:v|version\s+)\d+(?:\.\d+)?(?![.\d])",
                    re.IGNORECASE)

# A part of a year: "the second quarter", "Q2", "the first half", "H1". A text that gives the third
# quarter's revenue and never names the second gives no answer for it, however close its words.
_ORDINALS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4}
PERIOD = re.compile(r"\b(first|1st|second|2nd|third|3rd|fourth|4th)[\s-]+(quarter|half)\b|\b([QH])([1-4])\b",
                    re.IGNORECASE)


def period_key(match: re.Match[str]) -> tuple[str, int] | None:
    """("quarter", 2) for "second quarter" or "Q2", ("half", 1) for "first half" or "H1"; None for
    what is no part of a year ("the fourth half", "H3")."""
    if match.group(3):
        kind, n = ("quarter" if match.group(3).upper() == "Q" else "half"), int(match.group(4))
    else:
        kind, n = match.group(2).lower(), _ORDINALS[match.group(1).lower()]
    return (kind, n) if kind == "quarter" or n <= 2 else None


# "When was/did/will ...": a point in time. "When do you need to ...?" asks for a condition instead,
# and so may "When does the bar open?" ("an hour before curtain up", "after 30 days").
_POINT_IN_TIME = re.compile(
    r"^\s*(and\s+)?when (was|were|did|will|is .* (held|due|expected)|has|had)\b|\b(what|which|in what|on what) "
    r"(year|day|date|month)\b", re.IGNORECASE)
_ASKS_QUANTITY = re.compile(
    r"^\s*(and\s+)?(roughly\s+|about\s+|approximately\s+)?(how (many|much)|by how much|what (percentage|percent|share|"
    r"proportion|number|amount|sum)|by what (percentage|percent)|how (big|large|small) (an? )?(increase|rise|growth|"
    r"decrease|drop|share|number|amount)|what (is|was|are|were) the (total |exact |approximate |overall )?(number|"
    r"amount|cost|price|value|sum|percentage|share|size|increase|growth|rise|decrease))\b"
    rf"|^\s*(the\s+)?(number|percentage|amount|share) of\b|^\s*(in|on|of|for) how many\b|{_AMOUNT_PATTERN}",
    re.IGNORECASE)
# A second question asked in the same breath (", and on what day ...?"): its kind is not the whole's.
_WH_WORD = re.compile(r"(?i:who|whom|what|when|where|which|why|how)\b")
_COMPOUND = re.compile(r",?\s+and\s+(who|whom|what|when|where|which|why|how|(on|in|at|for|by) (what|which))\b",
                       re.IGNORECASE)


def parts(question: str) -> list[str]:
    """The questions asked in one breath, or just the question.

    "Who got the contract, and what was the price?" asks two things that two sentences may answer;
    each part is searched for on its own as well (see ``HybridRetriever``). The second part keeps
    its wh-word ("and when?" becomes "when?"); what its pronouns point to is in the first.
    """
    found = [m for m in _COMPOUND.finditer(question) if m.start() > 0]
    if not found:
        return [question]
    cuts = [0] + [m.start() for m in found] + [len(question)]
    pieces = [question[a:b] for a, b in zip(cuts, cuts[1:])]
    out = [re.sub(r"^[\s,;]*(?i:and)\s+", "", piece).strip(" ,;") for piece in pieces]
    if not all(out):
        return [question]
    for i in reversed(range(len(out) - 1)):  # from the end: "Where and when and why ...?"
        # "Where and when was it published?": the bare "Where" asks about what "when" asks about.
        if _WH_WORD.fullmatch(out[i]) and (rest := _WH_WORD.match(out[i + 1])):
            out[i] += out[i + 1][rest.end():]
    return out


_ASKING = (r"(?:what|when|where|who|whom|whose|which|why|how|can|could|is|are|am|was|were|do|does|did|will|would|"
           r"should|shall|may|might|must|has|have|had)")
"""The words a question opens with: a wh-word or an auxiliary."""
_QUESTION_WORD = re.compile(rf"^\s*{_ASKING}\b", re.IGNORECASE)


REFERS_BACK = re.compile(r"\b(?:it|its|that|this|they|them|their|those|these|ones?|he|she|him|her|his)\b", re.I)
"""A word by which a question points back to what was said before it: the last answer's subject,
or what its own message said first."""


@lru_cache(maxsize=256)  # read by the retriever and by several of the answer's checks
def preamble(question: str) -> tuple[str, str]:
    """What a message says besides what it asks, and what it asks: ("I've forgotten my work
    password.", "Where do I go to reset it?"); ("", question) when it only asks. A sentence asks when
    it ends in "?", or, last, opens as a question does ("... in October. How much leave do I get");
    a greeting of one word ("Hi.", "Thanks!") says nothing."""
    if not re.search(r"[.!?]\s+\S", question):
        return "", question  # one sentence, without running the segmenter
    pieces = split(question)
    asked = [p for n, p in enumerate(pieces) if p.endswith("?") or n == len(pieces) - 1 and _QUESTION_WORD.match(p)]
    said = [p for p in pieces if p not in asked and len(p.split()) > 1]
    if not asked or len(asked) == len(pieces):
        return "", question
    return " ".join(said), " ".join(asked)


def required_kind(question: str) -> AnswerType | None:
    """The kind of answer without which a sentence cannot answer the question, if any.

    A figure, an amount, a percentage or a point in time is either in the text or not: a sentence
    about patent cases cannot say how many patents were granted, however close its words are.
    Names are left out (finding them in lower-case or foreign text is unreliable), as are compound
    questions, whose kind belongs to one part only.
    """
    kind = answer_type(question)
    if _COMPOUND.search(question):
        return None
    # Only a question that plainly asks for a quantity: "Why did the price rise?" mentions one.
    if kind in ("number", "money", "percent") and _ASKS_QUANTITY.search(question):
        return kind
    # "How tall is the tower?": a figure in metres or feet, which a text either gives or not. ("How
    # long" and "how far" may be answered in words: "a year", "next door".)
    if kind == "number" and _ASKS_SIZE.search(question):
        return kind
    # An address is written in few ways; a phone number in many ("call 101", "0161 496 2020").
    if kind in ("email", "web"):
        return kind
    if kind == "date" and _POINT_IN_TIME.search(question):
        return kind
    return None


# ("it" is left out: in "Where is it from?" it is more often the thing the text is about.)
_DOCUMENT = r"(this|the|that)( story| article| report| piece| text| document| news| item| post| release| page)?"
_ASKS_FOR_SOURCE = re.compile(
    rf"^\s*(who|which (newspaper|paper|outlet|publication|agency|website|site|magazine))\s+(wrote|ran|published|"
    rf"reported|authored|produced|carried|put out|released)\s+{_DOCUMENT}\s*\??\s*$|"
    rf"^\s*(what|who)('s| is| was) the (source|author|writer|reporter|publisher)( of {_DOCUMENT})?\s*\??\s*$|"
    rf"^\s*where (is|does|did) {_DOCUMENT} (come )?from\s*\??\s*$", re.IGNORECASE)


def asks_for_source(question: str) -> bool:
    """Does the question ask where the document itself comes from ("Who ran this story?", "What is
    the source?")? A byline or a "Source:" line answers it, however little its words match."""
    return bool(_ASKS_FOR_SOURCE.match(question))


def previous_user_turn(history: Sequence[Turn]) -> str:
    for turn in reversed(history):
        if turn.get("role") == "user" and turn.get("content", "").strip():
            return turn["content"].strip()
    return ""


def _previous_answer(history: Sequence[Turn]) -> str:
    for turn in reversed(history):
        if turn.get("role") == "assistant":
            return re.sub(r"\[\d+\]", "", turn.get("content", "")).strip()
    return ""


def is_follow_up(question: str, history: Sequence[Turn]) -> bool:
    """Does the question lean on the conversation (pronouns, "and ...", "what about ...")?"""
    if not history:
        return False
    from .lexical import content_terms

    return bool(_PRONOUNS.search(question) or _CONTINUATION.search(question) or len(content_terms(question)) <= 2)


@dataclass(frozen=True)
class Condensed:
    question: str
    """The question as asked."""
    context: str
    """For a follow-up, the turn it refers to (searched too, at a lower weight); else empty."""
    follow_up: bool
    said: str = ""
    """For a follow-up, what the last answer said: the sentence it rests on uses its words."""
    kind: AnswerType | None = None
    """For a follow-up that asks the last question again of something else ("And for DVDs?" after
    "What is the late fee for books?"), the kind of answer that question asked for."""

    @property
    def query(self) -> str:
        """The question with its context, as one text (what a reader needs to understand it)."""
        return f"{self.question} {self.context}".strip()


def condense(question: str, history: Sequence[Turn]) -> Condensed:
    """Make a follow-up searchable on its own by adding the turn it refers to.

    No LLM: the previous user question (and the gist of the answer to it) carries the subject that
    "that" or "what about ..." points back to. The retriever searches for the question and its
    context separately and weighs the question higher, so that its own words dominate.
    """
    if not is_follow_up(question, history):
        return Condensed(question, "", False)
    said = _previous_answer(history)[:300]
    previous = previous_user_turn(history)
    context = " ".join(p for p in (previous, said) if p)
    # A refusal rests on no sentence: its words ("the document does not answer ...") would pick one.
    return Condensed(question, context, True, "" if said.startswith(REFUSAL) else said,
                     kind=_kind_asked_again(question, previous))


_ASKS_AGAIN = re.compile(rf"^\s*(?:(?:and|but|so|or)\b[\s,]*)?(?:(?:what|how)\s+about\b|(?!(?:and|but|so|or|{_ASKING})\b)\w)",
                         re.IGNORECASE)
"""A follow-up without a question of its own: "And for DVDs?", "What about a pack of two?", "And if
I've only been here a year?"; not "How often does it meet?" nor "Did she measure it herself?"."""


def _kind_asked_again(question: str, previous: str) -> AnswerType | None:
    """The kind of answer the previous question asked for, when the follow-up asks it again of
    something else; None when the follow-up asks its own question, or the previous one a yes or a no
    ("Does it have to be a fair price?" asks for no amount)."""
    if answer_type(question) != "other" or not _ASKS_AGAIN.match(question) or YES_OR_NO.match(previous):
        return None
    kind = answer_type(previous)
    # Not a name: "What about the EU, Japan and South Korea?" after "Which countries ...?" names the
    # places itself, and asks something else of them.
    return kind if kind in SPAN_KINDS and kind not in ("person", "place", "organisation") else None


_PAIRS = (
    (r"\b(?:first|earliest)\b", r"\b(?:last|latest)\b(?!\s+(?:year|month|week|night|time|season|summer|winter|autumn|spring|quarter|"
                   r"century|decade|weekend|few|two|three|four|five)\b)"),
    (r"\bopen(?:s|ing)?\b", r"\bclos(?:e|es|ing)\b"),
    (r"\b(?:minimum|min)\b", r"\b(?:maximum|max)\b"),
    (r"\b(?:lowest|least)\b", r"\b(?:highest|most)\b"),
)
_CONTRARIES: tuple[tuple[re.Pattern[str], re.Pattern[str]], ...] = tuple((re.compile(a, re.I), re.compile(b, re.I)) for a, b in _PAIRS) + tuple(
    (re.compile(b, re.I), re.compile(a, re.I)) for a, b in _PAIRS)
"""Words whose contrary a sentence may say instead: "the first bus" and "the last bus"."""


def contraries(question: str) -> list[tuple[re.Pattern[str], re.Pattern[str]]]:
    """The question's words that have a contrary it does not say too, each with that contrary."""
    return [(own, other) for own, other in _CONTRARIES if own.search(question) and not other.search(question)]


def says_contrary(asked: Sequence[tuple[re.Pattern[str], re.Pattern[str]]], text: str, start: int = 0,
                  end: int | None = None) -> bool:
    """Whether ``text`` (or its part from ``start`` to ``end``) says the contrary of a word asked and not the word."""
    end = len(text) if end is None else end
    return any(other.search(text, start, end) and not own.search(text, start, end) for own, other in asked)


ASKS_PART = re.compile(r"\bhow many of\b", re.IGNORECASE)
"""A question for a part of a whole ("How many of the wins ...?", "How many of those ...?"): the part,
not the whole ("15 of the club's 34 wins"), and a share may give it ("98% were fixed")."""

_ITEM_NOUNS = ("clause", "section", "step", "paragraph", "rule", "article")
_NUMBERED_ITEM = re.compile(rf"\b({'|'.join(_ITEM_NOUNS)})\s+(\d{{1,3}}(?:\.\d{{1,3}}){{0,3}})(?![\d.]*\d)",
                            re.IGNORECASE)
_ORDINAL_NUMBERS = {w: str(n) for n, w in enumerate(
    "first second third fourth fifth sixth seventh eighth ninth tenth".split(), start=1)}
_ORDINAL_ITEM = re.compile(rf"\bthe\s+({'|'.join(_ORDINAL_NUMBERS)})\s+(step|clause|rule|paragraph)\b", re.IGNORECASE)


def numbered_item(question: str) -> re.Pattern[str] | None:
    """For a question that names a clause, a step or a rule by its number ("What does clause 4.2
    say?", "What is step 3?", "the third step"), how a sentence that is it opens: with the number as
    a list or a clause numbers its lines ("4.2 The tenant ...", "3. Fill the jug ...", "3) ...") or
    with the noun ("Step 3: ..."); else None. "2 eggs" and "3 members sent apologies" open with
    figures, not numbers of steps."""
    if found := _NUMBERED_ITEM.search(question):
        noun, number = found.group(1), found.group(2)
    elif found := _ORDINAL_ITEM.search(question):
        noun, number = found.group(2), _ORDINAL_NUMBERS[found.group(1).lower()]
    else:
        return None
    marked = rf"{re.escape(number)}[.):](?!\d)" if "." not in number else rf"{re.escape(number)}\.?"
    return re.compile(rf"\s*(?:{noun}\s+{re.escape(number)}\b[.):]?|{marked})\s+\S", re.IGNORECASE)


_QUESTION_FRAME = frozenset("what whats what's is are was does do did the a an in of tell me about please show".split())
_ITEM_ONLY = frozenset(_ITEM_NOUNS) | frozenset("say says state states mean means contain contains cover covers read reads"
                                                .split())
"""Besides the question's frame, the words of a question that asks for a numbered item and nothing else."""


def asks_only_for_item(question: str) -> bool:
    """Whether a question names a numbered item and asks nothing else of it ("What does clause 4.2
    say?", "What is step 3?"), so that the item answers however few of its words match; "What does
    clause 2 say about smoking?" asks about smoking too."""
    return numbered_item(question) is not None and all(
        re.fullmatch(r"[\d.]+", w) or w in _ITEM_ONLY or w in _ORDINAL_NUMBERS
        for w in (m.group().lower() for m in re.finditer(r"[\w.]+", question))
        if w not in _QUESTION_FRAME)
