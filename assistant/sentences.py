"""Sentences with exact character offsets: the unit of citation.

Lines are segmented one at a time, so headings, list items and other short lines never merge into
the sentence that follows; within a line, pysbd finds the boundaries (it knows decimals, figures,
abbreviations and quoted speech). Offsets are then located in the original text, so that
``document.text[start:end] == sentence.text`` holds by construction.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from .documents import Document
from .tables import table_layout

__all__ = ["MARKDOWN_HEADING", "SEGMENTER_VERSION", "Sentence", "segment", "sentence_id", "split"]

# Part of the manifest: when this changes, sentence boundaries (and so ids) may change, and the
# index is rebuilt.
SEGMENTER_VERSION = "pysbd-0.3.4+lines-12"  # 2: a Markdown heading line is one sentence; 3-4: "**" is no sentence;
# 5: a table row is one sentence, its delimiter row none; 6: so too in a table without outer pipes;
# 7: and in a plain-text table, its columns lined up with spaces; 8: with years for columns and figures
# aligned right; 9: a UTF-8 byte-order mark is of no sentence; 10: nor is one longer than
# MAX_SENTENCE_CHARS, nor an HTML comment; 11: a short form pysbd does not know ("approx.") ends none;
# 12: nor is a long line cut into blocks after one

_LINE = re.compile(r"[^\n]+")
_FIGURE_FORMS = "approx|incl|excl|avg|est|temp|tel|no|nos|nr|vs|ca|cf|fig|vol|ref|dept|pp|qty|dia|ext"
_UNIT_FORMS = "max|min|mins|hrs|yrs|wks|sq"
_BEFORE_FIGURE = re.compile(rf"(?<![\w.])(?i:{_FIGURE_FORMS})\.$")
"""A short form that ends a piece of pysbd's without ending the sentence when what follows goes on
in lower case, or with a figure, "(" or a currency sign ("approx. 6 weeks", "No. 12")."""
_UNIT = re.compile(rf"(?<![\w.])(?i:{_UNIT_FORMS})\.$")
"""A short form of a unit or a limit, which often ends a sentence after a figure ("about 2 hrs. 3
coaches run", "seats 200 max. 150 more"): the sentence goes on only in lower case ("Max. flow
temperature", "54 sq. m")."""

BOM = "\ufeff"
_HAS_WORD = re.compile(r"[^\W_]")
"""A piece of text with a letter or digit in it; one without ("**", "\u201d)") ends the sentence before it."""
_CLOSING = re.compile(r"([*_\u201d\u2019\"')\]]+)\s+")
"""Closing markup or quotes that open a piece, then a space: they end the sentence before it."""
MARKDOWN_HEADING = re.compile(r"\s*#{1,6}\s")
"""A Markdown heading line ("## Fees"): one sentence, and context, never an answer (``sections.is_heading``)."""


@dataclass(frozen=True)
class Sentence:
    """One sentence of a document, located by character offsets."""

    id: str
    """Stable id: the document's content hash and the offsets, so it survives rebuilds."""
    doc: str
    """Name of the document it belongs to."""
    ordinal: int
    """Position in the document, from 0."""
    start: int
    end: int
    text: str
    """Exactly ``document.text[start:end]``."""


def sentence_id(doc_sha256: str, start: int, end: int) -> str:
    return f"{doc_sha256[:16]}-{start}-{end}"


@lru_cache(maxsize=1)
def _segmenter():  # pysbd compiles many regexes: build it once, on first use
    import pysbd

    return pysbd.Segmenter(language="en", clean=False)


def split(text: str) -> list[str]:
    """The sentences of a short text, such as a message ("Dr. Tanaka" is not two), without offsets."""
    return [piece.strip() for piece in _segmenter().segment(text) if piece.strip()]


_PAIRS = {")": "(", "]": "[", "\u201d": "\u201c", "\u2019": "\u2018"}


def _closes(sentence: str, markup: str) -> bool:
    """Whether ``markup`` ("**", '"', ")") closes what ``sentence`` left open ("**Read all of this.");
    a "* " that opens a list item after it does not ("The options are: * red. * blue.")."""
    for mark in dict.fromkeys(re.findall(r"\*\*|__|.", markup)):
        opener = _PAIRS.get(mark)
        if opener is not None:
            if sentence.count(opener) <= sentence.count(mark):
                return False
        else:  # opened before a word ("**Read"), not yet closed after one ("this.**")
            mark = re.escape(mark)
            if len(re.findall(rf"(?:^|(?<=[\s(]))(?:{mark})(?=[^\s*_])", sentence)) <= len(
                    re.findall(rf"(?<=[^\s*_])(?:{mark})", sentence)):
                return False
    return True


def _goes_on_after_short_form(sentence: str, piece: str) -> bool:
    """Whether ``piece`` goes on the sentence that pysbd ended at a short form it does not know."""
    return bool(_BEFORE_FIGURE.search(sentence) and re.match(r"[a-z\d(£$€]", piece)
                or _UNIT.search(sentence) and piece[:1].islower())


SEGMENTER_BLOCK = 10_000
"""The most characters of a line handed to pysbd at once. Its time grows with the square of what
it is given (a 500 KB line written without a line break took six minutes to index); a longer line
is handed over in blocks cut after a sentence's end, so that no sentence is cut in two."""
# A sentence's end: a full stop after a word of three letters or more that is no short form, or after
# a number, before a capital ("percent. The", "in 2024. It"; not "Dr.", "Prof.", "U.S." or "Art. 5"),
# or a CJK full stop. A block is cut before the space after it, which opens the next block: pysbd
# knows "Dr." is no sentence's end only after a space.
_SENTENCE_END = re.compile(r"\b(?:(?!(?i:prof|sept|capt|corp|govt|assn|bros|gen|rev|sgt|col|mrs|inc|ltd|etc|art|sec|jan|"
                           rf"feb|mar|apr|jun|jul|aug|oct|nov|dec|ave|gov|para|{_FIGURE_FORMS})\.)"
                           r"[^\W\d_]{3,}|\d{2,})[.!?][\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z])|[。！？]")
_CLAUSE_END = re.compile(r"[;,]\s+")
_SPACE = re.compile(r"\s+")


def _blocks(line: str) -> Iterator[str]:
    """``line`` in consecutive blocks of at most ``SEGMENTER_BLOCK`` characters, each cut after the last
    sentence's end in its second half, else after its last clause (";", ","), else at its last space."""
    start = 0
    while len(line) - start > SEGMENTER_BLOCK:
        window = line[start + SEGMENTER_BLOCK // 2:start + SEGMENTER_BLOCK]
        found = [*_SENTENCE_END.finditer(window)] or [*_CLAUSE_END.finditer(window)] or [*_SPACE.finditer(window)]
        last = found[-1] if found else None
        cut = start + SEGMENTER_BLOCK // 2 + (last.start() + len(last.group().rstrip()) if last else len(window))
        yield line[start:cut]
        start = cut
    yield line[start:]


def _spans(text: str) -> Iterator[tuple[int, int]]:
    segmenter = _segmenter()
    tables = table_layout(text)
    # A UTF-8 byte-order mark is character 0 of the text, but of no sentence: editors hide it.
    for line in _LINE.finditer(text, 1 if text.startswith(BOM) else 0):
        if not line.group().strip():
            continue
        cursor, line_end = line.start(), line.end()
        if line.start() in tables.delimiters:
            continue  # "|---|---|" says nothing
        if MARKDOWN_HEADING.match(line.group()) or line.start() in tables.rows:
            # One heading, however it is punctuated: pysbd splits "## 2. Finance report" after "2.".
            # One table row, a record cited whole: "| E3 | Water does not heat | Restart the cycle. If
            # E3 appears again, call Customer Service. |" is not two sentences and a lone "|".
            rest = line.group()
            yield cursor + len(rest) - len(rest.lstrip()), cursor + len(rest.rstrip())
            continue
        pending: tuple[int, int] | None = None  # the last sentence, until we know it is not continued
        for piece in (p for block in _blocks(line.group()) for p in segmenter.segment(block)):
            piece = piece.strip()
            if not piece:
                continue
            found = text.find(piece, cursor, line_end)
            if found < 0:  # pysbd changed the text: keep the rest of the line whole rather than guess
                break
            closing = _CLOSING.match(piece) if pending is not None else None
            if closing and _HAS_WORD.search(piece) and _closes(text[pending[0]:pending[1]], closing.group(1)):  # type: ignore[index]
                # "** Next one.": the "**" closes the sentence before.
                pending = pending[0], found + len(closing.group(1))  # type: ignore[index]
                found, piece = found + closing.end(), piece[closing.end():]
            if (pending is not None and not _HAS_WORD.search(piece)
                    and _closes(text[pending[0]:pending[1]], piece)):
                # Closing markup or quotes that pysbd cut off ("... for you.**"): the sentence's own.
                pending = pending[0], found + len(piece)
            elif pending is not None and _goes_on_after_short_form(text[pending[0]:pending[1]], piece):
                # A short form pysbd does not know, the sentence going on after it: "over approx. a
                # third of the area", "Max. flow temperature  70 °C".
                pending = pending[0], found + len(piece)
            else:
                if pending is not None:
                    yield pending
                pending = found, found + len(piece)
            cursor = found + len(piece)
        rest = text[cursor:line_end]
        if rest.strip() and pending is not None and not _HAS_WORD.search(rest) and _closes(
                text[pending[0]:pending[1]], rest.strip()):
            pending, rest = (pending[0], cursor + len(rest.rstrip())), ""
        if pending is not None:
            yield pending
        if rest.strip():
            lead = len(rest) - len(rest.lstrip())
            yield cursor + lead, cursor + len(rest.rstrip())


MAX_SENTENCE_CHARS = 3000
"""A run of text longer than this without a sentence's end (a document written as one line, with no
full stops) is cut into pieces at a clause or a space: read whole, each question about it took
minutes, and the embedding model reads only its first 256 word pieces anyway. No sentence of the
eval sets is this long (ClapNQ's longest, a flattened table, has 2,966 characters)."""
_CUT_AFTER = re.compile(r"[;,]\s|\s")


def _pieces(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """(start, end) of a sentence, cut into pieces of at most ``MAX_SENTENCE_CHARS`` characters, each
    ending at the last clause break (";", ",") or else the last space in its second half."""
    while end - start > MAX_SENTENCE_CHARS:
        window = text[start + MAX_SENTENCE_CHARS // 2:start + MAX_SENTENCE_CHARS]
        breaks = list(_CUT_AFTER.finditer(window))
        clause = [m for m in breaks if m.group()[0] in ";,"]
        cut = start + MAX_SENTENCE_CHARS // 2 + ((clause or breaks)[-1].start() + 1 if breaks else len(window))
        yield start, start + len(text[start:cut].rstrip())
        start = cut + len(text[cut:end]) - len(text[cut:end].lstrip())  # the next piece's first character
    yield start, end


_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)
"""An HTML comment, which a Markdown reader never sees: no sentence is made of it ("<!-- the secret
price is £999 -->" was cited as a price)."""


def _without_comments(text: str) -> str:
    """``text`` with each HTML comment's characters blanked (its line breaks kept): split as if the
    comment were not there, at the same offsets. A sentence around a comment on its line still
    holds it, as written; a comment alone is no sentence."""
    if "<!--" not in text:
        return text
    return _COMMENT.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), text)


def segment(document: Document) -> list[Sentence]:
    """Split a document into sentences; whitespace between sentences belongs to none."""
    sentences = []
    read = _without_comments(document.text)
    spans = (piece for start, end in _spans(read) for piece in _pieces(read, start, end))
    for ordinal, (start, end) in enumerate(spans):
        sentences.append(
            Sentence(
                id=sentence_id(document.sha256, start, end),
                doc=document.name,
                ordinal=ordinal,
                start=start,
                end=end,
                text=document.text[start:end],
            )
        )
    return sentences
