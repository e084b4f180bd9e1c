"""Markdown tables: a row is one sentence, and a header row is context for the rows below it.

pysbd reads a table row as prose: "| E3 | Water does not heat | Restart the cycle. If E3 appears
again, call Customer Service. |" became two sentences and a lone "|". A row is one record, cited
whole; the delimiter row under a header ("|---|---|") says nothing; and the header row ("| Code |
Meaning | What to do |") is not an answer but what makes each row's cells mean something, so a row
is embedded with its cells named ("Code: E3; Meaning: Water does not heat; What to do: ...").

A two-column table is left as written: its rows are labels and values already ("| Pupils | 412 |"),
and its first row is as often data as a header ("| Head teacher | Mrs Helen Carter |" over "|---|").
A table may be written without outer pipes, as GitHub allows ("Plan | Monthly | Annual" over
"--- | --- | ---"): then its delimiter row says it is a table, and it runs until a line without a "|".
Without a delimiter row, only lines that start and end with "|" are read as rows: "Red | Blue" in a
paragraph may be prose.

A plain-text table lines its columns up with spaces instead:

    Service   Date         Mileage   Garage
    1st       14/03/2023   9,870     Kestrel Harrogate (Dealer)

Three or more lines in a row, each of two or more cells parted by two or more spaces, the first of
three or more that read as a header (words; or past the first cell, years, or two or more numbered
names of one series: "AW8  AW12", "Trench 1 (2024)  Trench 2 (2024)"), are such a table when
each cell of the lines below starts in a column of its own (a right-aligned figure a little before
its header's cell; the last cell may run on): the first line is its header.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

__all__ = ["TableLayout", "cells", "column_at", "named_cells", "table_layout"]

_ROW = re.compile(r"^\s*\|.*\|\s*$")  # lines of a text, so "\s" is a space, a tab or a CRLF's "\r"
_DELIMITER = re.compile(r"^\s*\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?\s*$")
_CELL_BREAK = re.compile(r"(?<!\\)\|")
_OUTER_PIPE = re.compile(r"^\s*(?<!\\)\||(?<!\\)\|\s*$")
NAMED_COLUMNS = 3
"""The fewest columns for which a header names a row's cells and is itself no answer."""
_ALIGNED_GAP = re.compile(r"\S(\s{2,})(?=\S)")
_HEADER_CELL = re.compile(r"[^\W\d_][^\d:@]{0,30}(?<![:.!?])")
"""A header's cell: a few words, starting with a letter, with no figure, no address and no "Name:"."""
_QUALIFIED_CELL = re.compile(r"[^\W\d_][^\d:@()]{0,30}\([^():@]{0,30}\d[^():@]{0,30}\)")
"""Or words that figures in brackets qualify: "Price (chest 36in to 46in)", "Band (2024-25)", when no
line below writes a cell of that shape in its column: "Monday (6pm to 7pm)" over "Tuesday (7pm to
8pm)" are a list's lines, while "£95 (£85 Sun-Thu)" under "Price (2 people)" is a value."""
_DATED_CELL = re.compile(r"[^\W\d_][^\d:@()]{0,30}\s(?:19|20)\d\d(?:[/-]\d\d)?")
"""Or, two or more past the first, words with the year they are of: "Band D 2024/25   Band D 2025/26",
when no line below writes a cell of that shape in its column ("Joined 2019" over "Joined 2021")."""
_NUMBERED_CELL = re.compile(r"(?:[^\W\d_][\w'’-]*\s)*[^\W\d_][\w-]*?\s?\d{1,3}[A-Za-z]?(?:\s*\([^()]{1,10}\))?")
"""Or a numbered thing's name, which is no figure: "AW12", "Trench 1 (2024)", "Year 2" (a figure of
four digits or more is not part of a name: "Opened 1934")."""
_YEAR_COLUMN = re.compile(r"(?:19|20)\d\d(?:/\d\d)?(?:\s*\([^()\d]{1,8}\))?")
"""Or, past the first, a year's column: "2024 (£)", "2023/24"."""
_CURRENCY_IN_HEADER = re.compile(r"\(\s*([£$€¥])\s*\)|^([£$€¥])$")
_BARE_FIGURE = re.compile(r"-?\d[\d,]*(?:\.\d+)?")
RIGHT_SLACK = 3
"""How far before its header's cell a right-aligned figure may start ("198,500" under "2024 (£)")."""
ALIGNED_LINES = 3
"""The fewest lines (a header and two rows) read as a plain-text table."""


def cells(line: str) -> list[str]:
    """The cells of a row, stripped ("| E3 | Water does not heat |" or "E3 | Water does not heat" ->
    ["E3", "Water does not heat"])."""
    return [p.strip() for p in _CELL_BREAK.split(_OUTER_PIPE.sub("", line.strip()))]


def column_at(row: str, offset: int) -> int:
    """The (0-based) column of the cell that ``row[offset]`` is in."""
    inner = len(_CELL_BREAK.findall(row, 0, offset))
    return inner - 1 if row.lstrip().startswith("|") else inner


def _pipe_less_rows(lines: list[tuple[int, str]], i: int) -> int:
    """How many lines from ``lines[i]`` on are a table written without outer pipes: a header with a
    "|", a delimiter row with one too ("--- | ---", not a rule "---"), and the lines with a "|"
    below them; 0 when ``lines[i]`` starts none."""
    if i + 1 >= len(lines):
        return 0
    header, delimiter = lines[i][1], lines[i + 1][1]
    if _ROW.match(header):
        return 0  # written with outer pipes: read as such, row by row
    if not (_CELL_BREAK.search(header) and _CELL_BREAK.search(delimiter) and _DELIMITER.match(delimiter)):
        return 0
    if len(cells(header)) != len(cells(delimiter)):
        return 0  # GitHub's rule: the header and the delimiter row have as many cells
    n = 2
    while i + n < len(lines) and lines[i + n][1].strip() and _CELL_BREAK.search(lines[i + n][1]):
        n += 1
    return n


@dataclass
class TableLayout:
    """Where a document's table rows are, by the offset their line starts at."""

    rows: set[int] = field(default_factory=set)
    """Every row: one sentence each (a header row too)."""
    delimiters: set[int] = field(default_factory=set)
    """The row of dashes under a header: no sentence."""
    headers: set[int] = field(default_factory=set)
    """Header rows that name their table's cells (``NAMED_COLUMNS`` or more): context, no answer."""
    header_of: dict[int, list[str]] = field(default_factory=dict)
    """A body row -> the cells of the header that names its cells."""
    aligned: dict[int, tuple[int, ...]] = field(default_factory=dict)
    """A plain-text table's line -> where its header's cells start, counted from the line's start."""

    @staticmethod
    def line_start(text: str, offset: int) -> int:
        return text.rfind("\n", 0, offset) + 1

    def header_at(self, text: str, offset: int) -> list[str] | None:
        """The cells of the header that names the cells of the row at ``offset`` (None for a sentence
        that is no such row)."""
        return self.header_of.get(self.line_start(text, offset))

    def is_aligned(self, text: str, offset: int) -> bool:
        """Whether the line at ``offset`` is a row of a plain-text table."""
        return self.line_start(text, offset) in self.aligned

    def is_header(self, text: str, offset: int) -> bool:
        """Whether the line at ``offset`` is a header row that names its table's cells."""
        return self.line_start(text, offset) in self.headers

    def in_table(self, text: str, offset: int) -> bool:
        """Whether the line at ``offset`` is a table's row or its header: an item of its own."""
        return self.header_at(text, offset) is not None or self.is_header(text, offset)

    def named(self, text: str, offset: int, row: str) -> str:
        """The row at ``offset`` with its cells named by its header, if it has one; else as written."""
        header = self.header_at(text, offset)
        return named_cells(header, self.cells(text, offset, row)) if header else row

    def read(self, text: str, offset: int, row: str, currency_in: set[int] | None = None) -> str:
        """A table's row as its cells read, parted by " | ", with the currency its header gives a bare
        figure ("58,730" under "2024 (£)" reads "£58,730"; only in the columns ``currency_in``, when
        given); any other sentence as written."""
        header = self.header_at(text, offset)
        if header is None and not self.is_aligned(text, offset):
            return row
        cells = self.cells(text, offset, row)
        for n, name in enumerate(header or []):
            if (n < len(cells) and (currency_in is None or n in currency_in)
                    and (sign := _CURRENCY_IN_HEADER.search(name)) and _BARE_FIGURE.fullmatch(cells[n])):
                cells[n] = (sign.group(1) or sign.group(2)) + cells[n]
        return " | ".join(cells)

    def cells(self, text: str, offset: int, row: str) -> list[str]:
        """The cells of the row ``row`` that starts at ``offset``, however its table is written
        (``is_aligned``: lined up with spaces, each cell in the column of its header it starts in)."""
        line = self.line_start(text, offset)
        starts = self.aligned.get(line)
        if starts is None:
            return cells(row)
        end = text.find("\n", line)
        row_line = text[line:end if end >= 0 else len(text)]
        return _aligned_cells(row_line, starts) or _cut(row_line, starts)


@lru_cache(maxsize=32)  # read again for each short answer taken from a row
def table_layout(text: str) -> TableLayout:
    """The tables of a text: runs of lines that start and end with "|", and tables without outer
    pipes (``_pipe_less_rows``). A run has a header when its second line is a delimiter row; a row of
    dashes further down ("| - | - |", no service) is a row."""
    layout = TableLayout()
    lines: list[tuple[int, str]] = []
    start = 0
    for line in text.split("\n") + [""]:
        lines.append((start, line))
        start += len(line) + 1
    run: list[tuple[int, str]] = []
    i = 0
    while i < len(lines):
        if not run and (n := _aligned_rows(lines, i)):
            _read_aligned(lines[i:i + n], layout)
            i += n
            continue
        if not run and (n := _pipe_less_rows(lines, i)):
            _read_run(lines[i:i + n], layout)
            i += n
            continue
        if _ROW.match(lines[i][1]):
            run.append(lines[i])
        elif run:
            _read_run(run, layout)
            run = []
            continue  # the line that ended the run may start a table without outer pipes
        i += 1
    return layout


def _read_run(run: list[tuple[int, str]], layout: TableLayout) -> None:
    layout.rows.update(start for start, _ in run)
    if len(run) < 2 or not _DELIMITER.match(run[1][1]) or _DELIMITER.match(run[0][1]):
        return
    (header_start, header_line), (delimiter_start, _) = run[0], run[1]
    layout.rows.discard(delimiter_start)
    layout.delimiters.add(delimiter_start)
    header = cells(header_line)
    if len(header) < NAMED_COLUMNS:
        return
    layout.headers.add(header_start)
    for start, _ in run[2:]:
        layout.header_of[start] = header


def _cell_starts(line: str) -> tuple[int, ...]:
    """Where the cells of a line parted by two or more spaces start; () for a line with a "|" or
    one that is indented."""
    if "|" in line or not line.strip() or line[0].isspace():
        return ()
    return (0, *(m.end(1) for m in _ALIGNED_GAP.finditer(line)))


def _aligned_rows(lines: list[tuple[int, str]], i: int) -> int:
    """How many lines from ``lines[i]`` on are a plain-text table (see the module's docstring); 0
    when ``lines[i]`` starts none. Its first line must read as a header: a few words to each cell
    (or a year, past the first), no figure, no "Name:" and no bullet ("Monday  09:00  Yoga with
    Priya" is a row, and a form, a timeline or an address block is no table)."""
    line = lines[i][1]
    header = _cell_starts(line)
    if len(header) < NAMED_COLUMNS:
        return 0
    first, *rest = _cut(line, header)
    # Words (or the names of numbered things: "Parameter  AW8  AW12"), or past the first cell years
    # and nothing else: "Opened  1934  by Mayor Hugh Price" is a row.
    # A cell qualified by figures ("Price (chest 36in to 46in)"), or, past the first, one of two
    # or more that give the year of their column ("Band D 2024/25   Band D 2025/26"), by the shape
    # that reads it so. (A lone "Employee of the Year 2024" or "January 2025" opens a list's line.)
    dated = [k for k, cell in enumerate(rest, 1) if not _names_a_column(cell) and _DATED_CELL.fullmatch(cell)]
    qualified = {k: shape for k, cell in enumerate([first, *rest])
                 if not (_HEADER_CELL.fullmatch(cell) or k and _names_a_column(cell))
                 and (shape := _QUALIFIED_CELL if _QUALIFIED_CELL.fullmatch(cell)
                      else _DATED_CELL if k in dated and len(dated) > 1 else None)}
    if not (_HEADER_CELL.fullmatch(first) or 0 in qualified) or not (
            all(_names_a_column(c) or k in qualified for k, c in enumerate(rest, 1))
            or all(map(_YEAR_COLUMN.fullmatch, rest))):
        return 0
    n = 1
    while i + n < len(lines) and _aligned_cells(lines[i + n][1], header) is not None:
        n += 1
    # A column whose cells are shaped like its first line's is one of a list's ("Monday (6pm to 7pm)"
    # over "Tuesday (7pm to 8pm)", "Tom Hughes (12)" over "Amy Clark (10)", "Joined 2019" over
    # "Joined 2021"): that line is a row.
    if qualified and any(shape.fullmatch(found[k]) for _, row in lines[i + 1:i + n]
                         if (found := _aligned_cells(row, header)) is not None for k, shape in qualified.items()):
        return 0
    # Numbered things' names head columns of values when they are two or more of one series
    # ("AW8  AW12", "Trench 1 (2024)  Trench 2 (2024)"); a line like the ones below it is their
    # first row ("Monday  Bus 12  Route 7" over "Tuesday  Bus 14  Route 9"), and so is one of
    # labelled figures ("Westbury Rovers  Played 38  Won 24  Points 81") or a lone "Room 1".
    named = [k for k, cell in enumerate(rest, 1) if not _HEADER_CELL.fullmatch(cell) and k not in qualified]
    if named and (len(named) < 2 or len({_series(rest[k - 1]) for k in named}) > 1
                  or any(_NUMBERED_CELL.fullmatch(found[k]) for _, row in lines[i + 1:i + n]
                         if (found := _aligned_cells(row, header)) is not None for k in named)):
        return 0
    return n if n >= ALIGNED_LINES else 0


def _series(cell: str) -> str:
    """What a numbered thing's name is before its number: "trench" for "Trench 2 (2024)", "aw" for "AW12"."""
    return re.match(r"\D*", cell).group().strip().lower()  # type: ignore[union-attr]


def _names_a_column(cell: str) -> bool:
    return bool(_HEADER_CELL.fullmatch(cell) or _NUMBERED_CELL.fullmatch(cell))


def _aligned_cells(line: str, header: tuple[int, ...]) -> list[str] | None:
    """The cells of a plain-text table's row under a header whose cells start at ``header``, each in
    the column its start falls in (a right-aligned figure a little before its header's start; the
    last cell may run on: "hot    daily"); None when the line is no row of it."""
    starts = _cell_starts(line)
    if len(starts) < 2:
        return None
    # No more slack than the header's narrowest gap allows: "S  M  L" leaves none to a figure.
    slack = max(0, min(RIGHT_SLACK, min(b - a for a, b in zip(header, header[1:])) - 2))
    overrun = _overrun(line, starts, header, slack)
    return (overrun != starts and _placed(line, overrun, header, slack)) or _placed(line, starts, header, slack)


def _placed(line: str, starts: tuple[int, ...], header: tuple[int, ...], slack: int) -> list[str] | None:
    """The cells of ``line`` that start at ``starts``, each in its header's column; None when two
    fall in one column."""
    out = [""] * len(header)
    last = -1
    for a, cell in zip(starts, _cut(line, starts)):
        column = max(k for k, h in enumerate(header) if h <= a + slack or k == 0)
        if column <= last and column < len(header) - 1:
            return None  # two cells in one column: not lined up with this header
        out[column] = f"{out[column]}    {cell}".strip() if column == last else cell
        last = column
    return out


def _overrun(line: str, starts: tuple[int, ...], header: tuple[int, ...], slack: int) -> tuple[int, ...]:
    """``starts`` with a cell added where a long cell ran up to the next column and left one space
    before its figure: "Group C   Arabic, Chinese, Japanese, Korean, Russian £0.14   £0.18", where
    "£0.14" starts under "Standard rate" (or one past its start). Only a lone figure that starts at (or, right-aligned, just
    before) the start of a column that no cell of the line starts in: a word left there is the end
    of a long cell ("Quiz night at the Red Lion" under "Event", not "Lion" under "Notes")."""
    def column(offset: int) -> int:
        return max(k for k, h in enumerate(header) if h <= offset + slack or k == 0)

    taken = {column(a) for a in starts}
    added = []
    for a, b in zip(starts, (*starts[1:], len(line))):
        for k, h in enumerate(header):
            if not a < h - slack or h >= b or k in taken:
                continue
            # From one past the column's start (the long cell filled it to the start: "Westshire Police
            # and Crime Commissioner £268.90") to a little before it (right-aligned).
            t = next((t for t in range(min(h + 1, b - 1), h - slack - 1, -1) if line[t - 1] == " " and line[t] != " "),
                     None)
            if t is not None and " " not in (cell := line[t:b].strip()) and any(c.isdigit() for c in cell):
                added.append(t)
                break
    return tuple(sorted({*starts, *added}))


def _cut(line: str, starts: tuple[int, ...]) -> list[str]:
    """A line's cells, cut where ``starts`` says its columns start."""
    return [line[a:b].strip() for a, b in zip(starts, (*starts[1:], len(line)))]


def _read_aligned(run: list[tuple[int, str]], layout: TableLayout) -> None:
    starts = _cell_starts(run[0][1])
    header = _cut(run[0][1], starts)
    layout.rows.update(start for start, _ in run)
    layout.headers.add(run[0][0])
    for start, _ in run:
        layout.aligned[start] = starts
    for start, _ in run[1:]:
        layout.header_of[start] = header


def named_cells(header: list[str], row: str | list[str]) -> str:
    """A row as its header names it: "Code: E3; Meaning: Water does not heat; What to do: ...".
    An empty cell is left out; a cell under no header stands alone. ``row`` is the row as written,
    or its cells."""
    out = []
    for n, cell in enumerate(cells(row) if isinstance(row, str) else row):
        if not cell:
            continue
        name = header[n] if n < len(header) else ""
        out.append(f"{name}: {cell}" if name else cell)
    return "; ".join(out)
