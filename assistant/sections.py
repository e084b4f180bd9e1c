"""What a sentence sits under: its document's title and its section's heading, and what is embedded for it.

A sentence is cited bare, but embedded (and seen by BM25) led by its title and heading, so that
"DVDs must be returned within 7 days." is read under the FAQ's "How long can I keep an item?". Headings,
titles and FAQ question lines are context, never an answer. A sentence that points back ("She was
succeeded by ...") is embedded a second time, after the sentence before it, and a labelled line
under others ("Start date: ..." under "South Downs area: ..."), after its block's first line
(``context_texts``).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from .sentences import BOM, MARKDOWN_HEADING, Sentence
from .tables import TableLayout, table_layout

__all__ = ["BLOCK_LINES", "LABELLED", "LONG_LEAD", "ListAfter", "bare_texts", "block_leads", "block_starts", "context_texts",
           "document_title", "embedding_texts", "goes_on", "is_heading", "is_list_item", "items_after", "list_after",
           "long_lead", "may_read_after", "points_back", "reads_bare", "section_headings"]

LONG_LEAD = 6
"""A lead (title and heading) of more words than this can drown the sentence it leads: read after
"Brisk Walking and Blood Pressure in Adults Aged 50 to 70: a Randomised Controlled Trial", "The
trial was funded by the Eastbrook Heart Foundation." scores cosine 0.03 with "Who funded the trial?",
against 0.67 alone. Such a sentence is embedded a second time, bare (``bare_texts``)."""


def embedding_texts(document_text: str, sentences: Sequence[Sentence]) -> list[str]:
    """What is embedded for each sentence: the sentence, led by its document's title and its section.

    The cited unit stays the bare sentence; the lead only tells the model what the sentence is
    about. "It was founded in 1820." means little without "Dubuque, Iowa", and "DVDs must be
    returned within 7 days." answers "How long can I keep a DVD?" better read after the FAQ's "How
    long can I keep an item?".
    """
    title = document_title(document_text, sentences)
    tables = table_layout(document_text)
    out = []
    for sentence, heading in zip(sentences, section_headings(document_text, sentences, title)):
        lead = ": ".join(p for p in (title, heading) if p and p != sentence.text)
        # A table's row says what its cells are only with its header: "| E3 | Water does not heat |"
        # is read as "Code: E3; Meaning: Water does not heat".
        text = tables.named(document_text, sentence.start, sentence.text)
        out.append(f"{lead}: {text}" if lead else text)
    return out


def long_lead(title: str, heading: str | None, text: str) -> bool:
    """Whether the lead ``embedding_texts`` puts before ``text`` has more than ``LONG_LEAD`` words."""
    return sum(len(p.split()) for p in (title, heading) if p and p != text) > LONG_LEAD


def reads_bare(title: str, heading: str | None, sentence: Sentence) -> bool:
    """Whether ``sentence`` (under ``heading``, in a document of ``title``) is embedded bare too: it
    is under a long lead, and is no heading and no title line (context, never an answer)."""
    return heading is not None and not (title and sentence.ordinal == 0) and long_lead(title, heading, sentence.text)


def bare_texts(document_text: str, sentences: Sequence[Sentence]) -> list[str | None]:
    """For each sentence under a long lead (``LONG_LEAD``), what is embedded a second time: the
    sentence without it (a table's row still named by its header); None for the others. Retrieval
    takes the better of the two readings, a little less for the bare one: the lead says what the
    sentence is about, and a bare sentence may match a question about another document as well."""
    title = document_title(document_text, sentences)
    tables = table_layout(document_text)
    return [tables.named(document_text, sentence.start, sentence.text) if reads_bare(title, heading, sentence) else None
            for sentence, heading in zip(sentences, section_headings(document_text, sentences, title))]


# "She was succeeded by ...", "Its members are ...", "The second is ...", "Both are printed on the
# rating label" (the model and serial numbers of the sentence before): what such a sentence is about
# is in the sentence before it.
_POINTS_BACK = re.compile(r"\W*(?:They|Their|It|Its|He|His|She|Her|This|These|Those|Such|"
                          r"The (?:first|second|third|other|latter|former)|"
                          r"(?:Both|Neither|Either)(?= (?:are|is|were|was|have|has|had|can|will|must|should|of)\b))\b")


def points_back(text: str) -> bool:
    """Whether a sentence starts with a word that refers to the sentence before it."""
    return bool(_POINTS_BACK.match(text))


# "They will also ...", "In addition, ...", "The second is ...": a sentence that goes on with a list or
# an account the one before it began.
_GOES_ON = re.compile(r"\W*(?:(?:It|Its|They|Their|This|These|He|His|She|Her)\b.*\b(?:also|too)\b|(?:Also|In addition|"
                      r"Besides|Moreover|Furthermore|First|Firstly|Second|Secondly|Third|Thirdly|Finally|They are|"
                      r"These are|One is|The other|The (?:first|second|third|fourth|latter|former))\b)")


def goes_on(text: str) -> bool:
    """Whether a sentence goes on with what the sentence before it began (another item, another step)."""
    return bool(_GOES_ON.match(text))


LIST_ITEMS = 8
"""The most items of a list cited after the line that leads into it (an item may be several
sentences); a longer list is said to go on, and is read in context."""
LIST_SENTENCES = 16
"""... and the most sentences, however few the items."""
_LIST_MARKER = re.compile(r"\s*(?:>\s*)?(?:[-*•+]|\(?\d{1,2}[.)]|\(?[a-z][.)])\s+\S")
_LEADS_IN = re.compile(r":(?:\*\*|__)?\s*$")


@dataclass(frozen=True)
class ListAfter:
    """The items a line leads into, and how many more items follow that were left out."""

    sentences: list[Sentence]
    left_out: int = 0


def list_after(sentence: Sentence, sentences: Sequence[Sentence], document_text: str) -> ListAfter:
    """The items of the list that ``sentence`` leads into ("To reset the camera:" and its numbered
    steps, "The policy does not cover:" and its bullets), at most ``LIST_ITEMS`` items and
    ``LIST_SENTENCES`` sentences; none when it ends without a colon or no list follows.
    ``sentences`` are its document's, in order.

    Such a line says what its list is for, so it is what a question matches best, and alone it
    answers nothing: "How do I reset the camera?" is answered by the steps."""
    if not _LEADS_IN.search(sentence.text):
        return ListAfter([])
    groups = items_after(sentence, sentences, document_text)
    # Whole items only: the first LIST_ITEMS, or fewer if they would run past LIST_SENTENCES.
    kept: list[Sentence] = []
    taken = 0
    for group in groups[:LIST_ITEMS]:
        if kept and len(kept) + len(group) > LIST_SENTENCES:
            break
        kept += group
        taken += 1
    return ListAfter(kept, len(groups) - taken)


def is_list_item(text: str) -> bool:
    """Whether a line is an item of a list ("- 2 hygienist visits", "3. Stir in the flour")."""
    return _LIST_MARKER.match(text) is not None


def items_after(sentence: Sentence, sentences: Sequence[Sentence], document_text: str,
                blank_lines: int = 1) -> list[list[Sentence]]:
    """The items of a list on the lines right after ``sentence``, one list of sentences per item
    (an item's next sentences are on its line); none when no item follows. The list may begin after
    ``blank_lines`` blank lines at most, and ends at other text or a wider gap."""
    groups: list[list[Sentence]] = []
    for following in sentences[sentence.ordinal + 1:]:
        gap = document_text[(groups[-1][-1] if groups else sentence).end:following.start]
        if gap.strip() or gap.count("\n") > blank_lines + 1:
            break  # the list ended: other text, or more blank lines than allowed
        if "\n" in gap or not groups:
            if not _LIST_MARKER.match(following.text):
                break  # a new line that is no item
            groups.append([following])
        else:
            groups[-1].append(following)  # an item's next sentence, on its line
    return groups


def context_texts(document_text: str, sentences: Sequence[Sentence], texts: Sequence[str]) -> list[str | None]:
    """For each sentence that points back, what is embedded a second time: the sentence read after
    the one before it (``texts`` are the sentences' ``embedding_texts``, so that one comes with its
    title and heading); for a labelled line under others, the line read after its block's first line
    (``block_leads``); None for the others.

    "She was succeeded by Marcus Oyelaran." alone is about nobody; read after "The chair of trustees,
    Gwen Hartley, stepped down in January." it answers "Who succeeded Gwen Hartley?". It is kept as
    a second embedding, not instead of the first: read with the sentence before, it is also about
    that sentence, and would compete with it for questions that only the one before answers.
    """
    title = document_title(document_text, sentences)
    headings = section_headings(document_text, sentences, title)
    out: list[str | None] = [None] * len(sentences)
    leads = block_leads(block_starts(document_text, sentences))
    for i in range(1, len(sentences)):
        before = sentences[i - 1]
        # (The block's first line first: the retriever finds what a second reading was read after the
        # same way, ``Snapshot.read_after``.)
        if (lead := leads[i]) is not None:
            out[i] = f"{texts[lead]} {sentences[i].text}"
        elif points_back(sentences[i].text) and headings[i - 1] is not None and not (before.ordinal == 0 and title):
            out[i] = f"{texts[i - 1]} {sentences[i].text}"
    return out


LABELLED = re.compile(r"^[#*>\-\s]*(?P<label>[A-Z][\w'’-]*(?: [\w'’-]+){0,3}?)\s*:\s+\S")
"""A line that opens with a short label and a colon: "Broadcast: Tuesday 8 April", "Policy owner: ..."."""


def may_read_after(text: str) -> bool:
    """Whether a sentence may have a second reading after another (``context_texts``): it points back,
    or is a labelled line, which has one when it stands under others."""
    return points_back(text) or LABELLED.match(text) is not None


BLOCK_LINES = 8
"""The most labelled lines a block may have for its lines to be read after its first: a place's
start date, source and customers, an episode's date and guest."""


def _under_labelled(document_text: str, before: Sentence, sentence: Sentence) -> bool:
    """Whether ``sentence`` starts the line right under ``before``, a labelled line of its own."""
    gap = document_text[before.end:sentence.start]
    line_start = document_text.rfind("\n", 0, before.start) + 1
    return (not gap.strip() and gap.count("\n") == 1 and not document_text[line_start:before.start].strip()
            and bool(LABELLED.match(before.text)))


def block_starts(document_text: str, sentences: Sequence[Sentence]) -> list[int | None]:
    """For each labelled line under other labelled lines, with no blank line between, the index of
    the first line of their block, however long it is; None for the other sentences. A block is one
    record: "Case officer: Priya Raman" under "Application number: 25/01873/FUL" is the application's.
    (One pass: walking back from every line made a block cost its length squared.)"""
    starts: list[int | None] = [None] * len(sentences)
    start = 0  # where the run of lines that ``i`` may join begins
    for i, sentence in enumerate(sentences):
        if i > 0 and not _under_labelled(document_text, sentences[i - 1], sentence):
            start = i  # the line above is no labelled line of its own, or a gap parts them
        if start < i and LABELLED.match(sentence.text):
            starts[i] = start
    return starts


def block_leads(starts: Sequence[int | None]) -> list[int | None]:
    """``block_starts`` for the blocks of at most ``BLOCK_LINES`` lines: the lines whose second
    reading is read after their block's first. "Start date: 00:01 on Friday 8 August" says nothing
    of where, and the block's first line does: "South Downs area: Hallam, Easton Cross and
    villages". A log's or a register's "Event 12: ..." lines are records, not facts about its first."""
    under = Counter(start for start in starts if start is not None)  # the lines under each block's first
    return [None if start is None or under[start] >= BLOCK_LINES else start for start in starts]


def is_heading(document_text: str, sentence: Sentence) -> bool:
    """A line that introduces what follows rather than stating anything: a Markdown heading ("## Fees"),
    a question on a line of its own (an FAQ's), or a plain-text heading (``_plain_heading``). Context
    for the sentences after it, never an answer."""
    line_start = document_text.rfind("\n", 0, sentence.start) + 1 or int(document_text.startswith(BOM))
    line_end = document_text.find("\n", sentence.end)  # a CRLF's "\r" is stripped as a space
    after = document_text[sentence.end:] if line_end == -1 else document_text[sentence.end:line_end]
    alone = not document_text[line_start:sentence.start].strip() and not after.strip()
    text = sentence.text.strip()
    if not alone:
        return False
    bold = _BOLD_HEADING.fullmatch(text) and len(text.split()) <= _PLAIN_HEADING_WORDS and not any(c.isdigit() for c in text)
    return (bool(MARKDOWN_HEADING.match(text) or bold) or text.endswith("?")
            or _plain_heading(text, _lines_before(document_text, line_start), _next_line(document_text, sentence.end)))


# A heading is judged by the lines around it, not by the whole text before and after it: handing
# ``_plain_heading`` those made each sentence cost the document's length (a 2 MB file of short lines
# spent 34 s here, four times the 1 MB file's 8 s).
def _lines_before(text: str, line_start: int) -> str:
    """The text before ``line_start`` from the start of the last line that is not blank (what
    ``_plain_heading`` reads of it: that line, and the blank lines after it)."""
    end = line_start
    while end > 0 and text[end - 1].isspace():
        end -= 1
    return text[text.rfind("\n", 0, end) + 1:line_start]


def _next_line(text: str, end: int) -> str:
    """The rest of the line ``end`` is on, when it holds anything but line breaks (spaces at the end
    of a Markdown line are a line break inside its paragraph: "Free for members and visitors  " over
    "Spaces fill up quickly" is no heading); else the next line that is not empty; stripped."""
    start = end
    while start < len(text) and text[start] in "\r\n":
        start += 1
    stop = text.find("\n", start)
    return (text[start:] if stop == -1 else text[start:stop]).strip()


_BOLD_HEADING = re.compile(r"(\*\*|__)[^*_\n]*[^*_\n.!?:;,][:]?\1")
"""A line in bold and nothing else, without a full stop ("**Driving and using machines**"): Markdown
written without "#" headings, when it is short and holds no figure. A bold sentence ("**Read all of
this leaflet ... for you.**"), a bold warning ("**Do not drink alcohol while taking this medicine**")
or a bold fact ("**Opening hours: 10am to 5pm**") states."""


_NUMBERED_SECTION = re.compile(r"(?:Section|Part|Chapter|Schedule|Appendix|Article|Annex)\s+[\w.]+\s*[:.–—-]\s+\S")
_PLAIN_HEADING_WORDS = 6
_SECTION_NUMBER = re.compile(r"(\d{1,2}\.|\d{1,2}(?:\.\d{1,2})+\.?)\s+(?=[A-Z])")
"""A section's number: "6. ", "6.1 ", "6.1. " (a bare "14 " is an address's or a date's)."""


def _depth(numbered: re.Match[str]) -> int:
    """How deep a section's number is: 0 for "6.", 1 for "6.1"."""
    return numbered.group(1).rstrip(".").count(".")


_LED_WORDS = 6
"""A plain-text heading leads a line of at least this many words (and twice its own): "Closed on
Mondays" above "Open 9 to 5." is a notice, not a section."""


def _plain_heading(line: str, before: str, following: str) -> bool:
    """A heading written as plain text: "Section 3: Excesses", or a short line ("Background", "The
    decision") that follows a blank line, ends with no punctuation, holds no
    figure, and leads a longer line straight after it (``_LED_WORDS``; ``following``, see
    ``_next_line``). A label ("Source: China Daily") and a list item are none: they state something.
    """
    if _NUMBERED_SECTION.match(line):
        return True
    if numbered := _SECTION_NUMBER.match(line):
        # "3. MILESTONES", "6. Finance": a section's number, then a heading, which stands on its own
        # line whether or not a blank line is above it. A line numbered one level deeper right after
        # it ("6.1 ...") says so; without one, it is not a step of a list ("2. Fill the kettle",
        # "2. NO RUNNING"), whose neighbours are numbered as it is.
        number, previous = numbered.group(1).rstrip("."), before.rstrip().rsplit("\n", 1)[-1].strip()
        line, before = line[numbered.end():], before + "\n\n"
        short = len(line.split()) <= _PLAIN_HEADING_WORDS and not re.search(r"[.!?;:,]$", line)
        below = _SECTION_NUMBER.match(following)
        if below and following.startswith(number + ".") and _depth(below) > number.count("."):
            return short
        if any((m := _SECTION_NUMBER.match(n)) and _depth(m) == number.count(".") for n in (previous, following)):
            return False
        if short and line.isupper():
            return True
    words = line.split()
    if not 1 <= len(words) <= _PLAIN_HEADING_WORDS or not line[0].isupper() or line[0] in "-*+>|#":
        return False
    if re.search(r"[\d:]|[.!?;,)\]\"”'’*|]$", line):
        return False
    # After a blank line; a first line is the document's title, if anything (``document_title``).
    opens = bool(before.strip()) and bool(re.search(r"\n[ \t]*\r?\n[ \t]*$", before))
    return opens and len(following.split()) >= max(_LED_WORDS, 2 * len(words))


def section_headings(document_text: str, sentences: Sequence[Sentence], title: str) -> list[str | None]:
    """For each sentence, the heading of the section it is in ("" before the first one), or None
    for a heading itself. ``title`` is the document's (``document_title``): a first line that is
    the title leads every sentence already, and is not a section's heading."""
    out: list[str | None] = []
    current = ""
    tables = table_layout(document_text)
    for sentence in sentences:
        if tables.is_header(document_text, sentence.start):
            out.append(None)  # context for its rows (``embedding_texts``), but no section's heading
        elif is_heading(document_text, sentence) and not (sentence.ordinal == 0 and title):
            # Its words, not its number: "6. Finance" leads the section's sentences as "Finance".
            current = sentence.text.strip().lstrip("#").strip()
            current = current[numbered.end():] if (numbered := _SECTION_NUMBER.match(current)) else current
            out.append(None)
        else:
            out.append(current)
    return out


def document_title(document_text: str, sentences: Sequence[Sentence]) -> str:
    """A heading-like first line (short, no final full stop), else nothing."""
    if not sentences:
        return ""
    first = sentences[0].text.lstrip("# ").strip()
    first_line_end = document_text.find("\n")
    is_whole_line = first_line_end == -1 or sentences[0].end <= first_line_end
    # A table's first row heads the table, not the document.
    if (is_whole_line and len(first) <= 120 and not first.endswith((".", "?", "!", ":")) and len(sentences) > 1
            and TableLayout.line_start(document_text, sentences[0].start) not in table_layout(document_text).rows):
        return first
    return ""
