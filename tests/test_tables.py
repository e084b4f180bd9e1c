"""Markdown tables: a row is one sentence, cited whole; the header row names its cells and is never cited."""

from __future__ import annotations

import pytest

from assistant.documents import document_from_bytes
from assistant.sections import document_title, embedding_texts, section_headings
from assistant.sentences import segment
from assistant.spans import find_span, table_cell
from assistant.tables import cells, column_at, named_cells, table_layout

MANUAL = (
    "# Dishwasher guide\n"
    "\n"
    "## Error codes\n"
    "When the dishwasher detects a fault, it stops and shows a code.\n"
    "\n"
    "| Code | Meaning | What to do |\n"
    "|------|:-------:|------------|\n"
    "| E3 | Water does not heat | Restart the cycle. If E3 appears again, call Customer Service. |\n"
    "| E4 | Leak detected in the base | Turn off the water supply and unplug the dishwasher. |\n"
    "| E5 | Door not closed properly | Open the door and close it firmly until it clicks. |\n"
    "\n"
    "## Cleaning the filter\n"
    "Clean the filter every two weeks.\n"
)


def _segmented(text: str, name: str = "manual.md"):
    return segment(document_from_bytes(name, text.encode()))


def test_a_row_is_one_sentence_and_the_delimiter_row_none():
    texts = [s.text for s in _segmented(MANUAL)]
    assert "| E3 | Water does not heat | Restart the cycle. If E3 appears again, call Customer Service. |" in texts
    assert not any(set(t) <= set("|-: ") for t in texts)
    assert "If E3 appears again, call Customer Service." not in texts  # not cut out of its row


def test_rows_are_embedded_with_their_cells_named_and_the_header_is_no_section_heading():
    sentences = _segmented(MANUAL)
    headings = section_headings(MANUAL, sentences, document_title(MANUAL, sentences))
    texts = embedding_texts(MANUAL, sentences)
    position = {s.text.split(" |")[0]: n for n, s in enumerate(sentences)}
    assert headings[position["| Code"]] is None  # context, like a heading: never an answer
    assert headings[position["| E4"]] == "Error codes"  # the section's heading still leads its rows
    assert texts[position["| E4"]] == ("Dishwasher guide: Error codes: Code: E4; Meaning: Leak detected in the base; "
                                       "What to do: Turn off the water supply and unplug the dishwasher.")
    assert headings[position["Clean the filter every two weeks."]] == "Cleaning the filter"


def test_cells_headers_and_a_table_without_a_header():
    assert cells("| a | b \\| c |  |") == ["a", "b \\| c", ""]
    assert named_cells(["Code", "Meaning"], "| E1 |  | extra |") == "Code: E1; extra"
    plain = "| just | a row | here |\n| and | another | one |\n"
    assert not table_layout(plain).headers and not table_layout(plain).header_of  # no delimiter row: no header
    layout = table_layout(MANUAL)
    assert layout.headers == {MANUAL.index("| Code")} and MANUAL.index("| Code") not in layout.header_of


def test_a_row_of_dashes_below_the_body_is_a_row_and_a_two_column_table_names_nothing():
    clubs = ("| Club | Monday | Wednesday |\n|---|---|---|\n| Chess | 3:15pm | - |\n| - | - | - |\n"
             "| Drama | - | 3:30pm |\n")
    layout = table_layout(clubs)
    assert layout.delimiters == {clubs.index("|---")}
    assert clubs.index("| - | - | - |") in layout.rows  # "no service", not a second delimiter
    assert layout.header_of[clubs.index("| Drama")] == ["Club", "Monday", "Wednesday"]
    facts = "| Head teacher | Mrs Helen Carter |\n|---|---|\n| Pupils | 412 |\n"
    layout = table_layout(facts)
    assert not layout.headers and not layout.header_of  # its first row is as likely data as a header
    texts = [s.text for s in _segmented(facts)]
    assert texts == ["| Head teacher | Mrs Helen Carter |", "| Pupils | 412 |"]
    assert document_title(facts, _segmented(facts)) == ""  # nor is it the document's title


FEES = (
    "# Leisure centre\n"
    "\n"
    "Prices from 1 April:\n"
    "\n"
    "Membership | Monthly | Annual\n"
    ":--- | ---: | ---:\n"
    "Adult | £40 | £400\n"
    "Student | £25 | £260\n"
    "\n"
    "Red | Blue is the club's colours.\n"
    "---\n"
    "Joining is free.\n"
)


def test_a_table_without_outer_pipes_is_read_as_a_table_by_its_delimiter_row():
    layout = table_layout(FEES)
    assert layout.headers == {FEES.index("Membership |")}
    assert layout.delimiters == {FEES.index(":---")}
    assert layout.header_of[FEES.index("Student")] == ["Membership", "Monthly", "Annual"]
    assert FEES.index("Red |") not in layout.rows  # no delimiter row under it ("---" is a rule): prose
    assert cells("Student | £25 | £260") == ["Student", "£25", "£260"]
    assert column_at("Student | £25 | £260", len("Student | £25 | £")) == 2
    assert column_at("| Student | £25 | £260 |", len("| Student | £")) == 1
    sentences = _segmented(FEES)
    texts = [s.text for s in sentences]
    assert "Student | £25 | £260" in texts and not any(t.startswith(":---") for t in texts)
    assert embedding_texts(FEES, sentences)[texts.index("Adult | £40 | £400")] == (
        "Leisure centre: Membership: Adult; Monthly: £40; Annual: £400")
    table = FEES[FEES.index("Membership"):]
    assert document_title(table, _segmented(table)) == ""  # its header row heads the table, not the document


def test_a_question_about_a_table_without_outer_pipes_reads_the_column_it_names(assistant_over):
    answer = assistant_over({"fees.md": FEES}).ask("What is the annual fee for a student?")
    assert answer.text.startswith("£260 [1]")
    assert answer.citations[0].sentence.text == "Student | £25 | £260" and answer.citations[0].verified


WHOLESALE = (
    "## Wholesale\n\n"
    "Product | Minimum order | Delivery day\n"
    "--- | --- | ---\n"
    "Sourdough loaf | 20 loaves | Tuesday\n"
    "Baguette | 30 sticks | Thursday\n"
)


def _row(text: str, starts: str) -> list:
    return [s for s in _segmented(text, "bakery.md") if s.text.startswith(starts)]


def test_the_cell_of_the_one_column_a_question_names_is_its_short_answer():
    texts = {"bakery.md": WHOLESALE}
    assert table_cell("What is the minimum order for baguettes?", _row(WHOLESALE, "Baguette"), texts) == (1, "30 sticks")
    assert table_cell("What is the delivery day for a sourdough loaf?", _row(WHOLESALE, "Sourdough"), texts) == (
        1, "Tuesday")
    # Two columns named, or none: the row is the answer.
    assert table_cell("What is the minimum order and delivery day for baguettes?", _row(WHOLESALE, "Baguette"),
                      texts) is None
    assert table_cell("Do you sell baguettes?", _row(WHOLESALE, "Baguette"), texts) is None
    assert table_cell("Which product comes on Thursday?", _row(WHOLESALE, "Baguette"), texts) == (1, "Baguette")
    # A yes-or-no question is not answered by a cell ("30 sticks" is no "No").
    assert table_cell("Is the minimum order for baguettes 20 sticks?", _row(WHOLESALE, "Baguette"), texts) is None
    # The cell the question already says is no answer.
    assert table_cell("Is the delivery day for baguettes Thursday?", _row(WHOLESALE, "Baguette"), texts) is None
    assert table_cell("What does E4 mean?", [s for s in _segmented(MANUAL) if s.text.startswith("| E4")],
                      {"manual.md": MANUAL}) == (1, "Leak detected in the base")


def test_a_question_about_one_column_of_a_row_is_answered_by_its_cell(assistant_over):
    answer = assistant_over({"bakery.md": WHOLESALE}).ask("What is the minimum wholesale order for baguettes?")
    assert answer.text.startswith("30 sticks [1].")
    assert answer.citations[0].sentence.text == "Baguette | 30 sticks | Thursday"


def test_finding_the_tables_of_a_long_table_takes_one_pass():
    big = "| A | B | C |\n|---|---|---|\n" + "".join(f"| r{n} | {n} | x |\n" for n in range(20000))
    layout = table_layout(big)
    assert len(layout.header_of) == 20000 and len(layout.rows) == 20001


def test_a_question_about_a_row_cites_the_row_not_the_header(assistant_over):
    assistant = assistant_over({"manual.md": MANUAL})
    answer = assistant.ask("What should I do if the dishwasher shows E4?")
    assert not answer.abstained
    assert answer.citations[0].sentence.text.startswith("| E4 | Leak detected")
    assert all(c.verified for c in answer.citations)
    for question in ("What does the code mean?", "What to do about a code?"):
        assert not any(h.sentence.text.startswith("| Code") for h in assistant.ask(question).retrieved)


MILESTONES = (
    "3. MILESTONES\n"
    "Milestone                          Planned      Forecast     Status\n"
    "Strip-out complete                 11 Apr 2025  16 Apr 2025  Done\n"
    "Asbestos removal                   n/a          13 Jun 2025  Done\n"
    "Reopening                          6 Oct 2025   27 Oct 2025  At risk\n"
    "Heating works                      15 Aug 2025\n"
    "\n"
    "The contractor  says the reopening is at risk.  Two spaces are no table.\n"
    "Name  Role\n"
    "Ann   Chair\n"
    "Tom   Treasurer\n"
)


def test_a_plain_text_table_lines_its_columns_up_with_spaces():
    layout = table_layout(MILESTONES)
    header, reopening = MILESTONES.index("Milestone  "), MILESTONES.index("Reopening  ")
    assert layout.headers == {header}
    assert layout.header_of[reopening] == ["Milestone", "Planned", "Forecast", "Status"]
    assert layout.cells(MILESTONES, reopening, "Reopening") == ["Reopening", "6 Oct 2025", "27 Oct 2025", "At risk"]
    row = MILESTONES[reopening:MILESTONES.index("\n", reopening)]
    # A short last row is still a row, its missing cells empty; prose with double spaces and a
    # two-column list are no table.
    heating = MILESTONES.index("Heating works")
    assert layout.named(MILESTONES, heating, "Heating works      15 Aug 2025") == "Milestone: Heating works; Planned: 15 Aug 2025"
    assert MILESTONES.index("The contractor") not in layout.rows and MILESTONES.index("Name  Role") not in layout.rows
    texts = [s.text for s in _segmented(MILESTONES, "report.txt")]
    assert row in texts  # one sentence, cited whole
    assert embedding_texts(MILESTONES, _segmented(MILESTONES, "report.txt"))[texts.index(row)] == (
        "3. MILESTONES: Milestone: Reopening; Planned: 6 Oct 2025; Forecast: 27 Oct 2025; Status: At risk")


def test_a_question_about_a_plain_text_table_reads_the_column_it_names(assistant_over):
    answer = assistant_over({"report.txt": MILESTONES}).ask("What is the forecast date for the reopening?")
    assert answer.text.startswith("27 Oct 2025 [1]")
    assert answer.citations[0].sentence.text.startswith("Reopening") and answer.citations[0].verified


@pytest.mark.parametrize("text", [
    # A timetable without a header, a form, a contents page, bullets with two spaces between
    # sentences, a signature block: their first lines are rows, not headers, so no table.
    "Monday     09:00   Yoga with Priya\nTuesday    10:00   Pilates with Tom\nWednesday  18:00   Spin with Ann\n",
    "Name:      John Smith       Age:  42\nAddress:   12 High St, Leeds\nPhone:     01632 960000\n",
    "Chapter 1   Introduction   page 1\nChapter 2   Methods        page 5\nChapter 3   Results        page 9\n",
    "-   Fill the kettle.  Add the descaler.  Wait.\n-   Boil the kettle twice\n-   Rinse it with clean water\n",
    "Priya Raman    Data Protection Officer    dpo@northdata.example\nNorthData Ltd  12 Mill Lane    Leeds\n"
    "Tel            01632 960000\n",
    # A second reviewer's: a timeline's first line, prose typed with two spaces after each full stop.
    "Opened      1934   by Mayor Hugh Price\nReopened    2014   after restoration\nListed      1999   Grade II\n",
    "Welcome aboard.  We row all year.  Beginners are welcome.\nSessions run daily.  Bring water.\n"
    "Coaches are qualified.  Boats are provided.\n",
])
def test_lines_lined_up_under_no_header_are_no_table(text):
    assert not table_layout(text).rows


def test_the_last_cell_of_a_plain_text_row_may_run_on():
    cafe = "Item      Cost    Notes\nTea       £1.20   hot    daily\nCoffee    £1.50   hot\nCake      £2.00   baked\n"
    layout = table_layout(cafe)
    assert layout.named(cafe, cafe.index("Tea"), "") == "Item: Tea; Cost: £1.20; Notes: hot    daily"
    assert cafe.index("Cake") in layout.header_of


FINDS = (
    "5. Finds summary\n"
    "\n"
    "Find type          Trench 1 (2024)   Trench 2 (2024)   Trench 1 (2023)\n"
    "Pottery sherds     1,870             47                1,140\n"
    "Coins              23                2                 9\n"
    "Worked flint       31                64                12\n"
)


def test_numbered_names_head_the_columns_of_a_plain_text_table(assistant_over):
    # "Trench 2 (2024)" and "AW12" name columns: read as figures, the header answered "How many
    # coins ...?" with the "2" of "Trench 2".
    layout = table_layout(FINDS)
    assert layout.headers == {FINDS.index("Find type")}
    assert layout.named(FINDS, FINDS.index("Coins"), "") == (
        "Find type: Coins; Trench 1 (2024): 23; Trench 2 (2024): 2; Trench 1 (2023): 9")
    spec = "Parameter          AW8        AW12\nWeight (empty)     98 kg      134 kg\nSound power        52 dB(A)   55 dB(A)\n"
    assert table_layout(spec).headers == {0}
    answer = assistant_over({"dig.txt": FINDS}).ask("How many pieces of worked flint came out of Trench 2?")
    assert answer.text.startswith("64 [1]") and answer.citations[0].sentence.text.startswith("Worked flint")


def test_a_first_line_shaped_like_the_lines_below_is_a_row_not_a_header():
    # Its numbered names are values, as the lines below it show: no table, so no line is context only.
    buses = "Monday     Bus 12   Route 7\nTuesday    Bus 14   Route 9\nWednesday  Bus 15   Route 2\n"
    assert not table_layout(buses).rows
    # Nor are labelled figures of different names, or one numbered name, a header (a review's cases).
    league = ("Westbury Rovers    Played 38    Won 24    Points 81\nAshmere Town       38           22        74\n"
              "Kestrel United     38           19        66\n")
    rooms = ("Reception          Room 1        Ground floor, by the main doors\nHead teacher       Room 4        "
             "First floor\nBursar             Room 6        First floor\n")
    assert not table_layout(league).rows and not table_layout(rooms).rows


ACCOUNTS = (
    "Income                              2024 (£)      2023 (£)\n"
    "Grants from trusts and foundations   198,500       171,000\n"
    "Local authority contract              96,000        96,000\n"
    "Donations from individuals            87,340        64,250\n"
)


def test_a_plain_text_table_of_years_with_figures_aligned_right():
    layout = table_layout(ACCOUNTS)
    assert layout.headers == {0}
    row = ACCOUNTS.index("Local authority")
    assert layout.named(ACCOUNTS, row, "") == "Income: Local authority contract; 2024 (£): 96,000; 2023 (£): 96,000"
    # A timeline's first line is a row: a year opens it, where a header names its rows' labels.
    assert not table_layout("2019   Founded in a church hall   Leeds\n2021   Second pantry opened   Bradford\n"
                            "2024   Third pantry opened    Eastwick\n").rows


RATES = (
    "Language group   Languages                                  Standard rate   Technical rate\n"
    "Group A          French, German, Spanish, Dutch             £0.09           £0.12\n"
    "Group C          Arabic, Chinese, Japanese, Korean, Russian £0.14           £0.18\n"
    "Group D          Welsh, Irish, Icelandic, Somali            £0.16           £0.20\n"
)


def test_a_cell_that_runs_up_to_the_next_column_leaves_that_columns_figure_in_it():
    # "Russian £0.14": the languages ran up to the "Standard rate" column with one space to spare,
    # so the rate was read as part of the languages and the column left empty.
    layout = table_layout(RATES)
    assert layout.named(RATES, RATES.index("Group C"), "") == (
        "Language group: Group C; Languages: Arabic, Chinese, Japanese, Korean, Russian; Standard rate: £0.14; "
        "Technical rate: £0.18")
    # More than one word run on into the next column is a long cell, not that column's figure.
    notes = ("Item        Notes                     Cost\n"
             "Tea         served hot in a big pot   £1.20\n"
             "Scone       with jam and clotted cream served warm\n"
             "Cake        a slice of the day's bake £2.50\n")
    layout = table_layout(notes)
    assert layout.named(notes, notes.index("Scone"), "") == "Item: Scone; Notes: with jam and clotted cream served warm"
    assert layout.named(notes, notes.index("Cake"), "") == "Item: Cake; Notes: a slice of the day's bake; Cost: £2.50"


UNIFORM = (
    "Item                  Sizes          Price (chest 28in to 34in)  Price (chest 36in to 46in)\n"
    "Blazer with badge     28in to 46in   £32.00                      £38.50\n"
    "Tie                   one size       £6.00                       £6.00\n"
)


def test_a_header_may_qualify_its_columns_with_figures_in_brackets(assistant_over):
    # "Price (chest 28in to 34in)" heads a column: read as a row, the table had no header, and "How
    # much is a blazer in a 40in chest?" got the first price.
    layout = table_layout(UNIFORM)
    assert layout.headers == {0}
    answer = assistant_over({"uniform.txt": UNIFORM}).ask("How much is a blazer for a 40in chest?")
    assert answer.text.startswith("£38.50 [1]")
    assert assistant_over({"uniform.txt": UNIFORM}).ask("How much is a blazer for a 30in chest?").text.startswith("£32.00 [1]")
    # "Up to 15kg" holds 15kg (a review's case: the next column's range starts at 15).
    bags = ("Bag type        Fee (up to 15kg)   Fee (15 to 23kg)   Fee (23 to 32kg)\n"
            "Hold bag        £25                £35                £60\n"
            "Sports bag      £30                £40                £70\n")
    assistant = assistant_over({"bags.txt": bags})
    assert [assistant.ask(f"How much is a {kg}kg hold bag?").text.split(" [")[0] for kg in (10, 15, 20)] == [
        "£25", "£25", "£35"]


def test_lists_lined_up_with_spaces_whose_first_line_has_figures_in_brackets_are_no_tables():
    # A code review's cases: read as headers, their first lines answered for the rows below them.
    classes = ("Monday (6pm to 7pm)        Yoga for beginners      Main hall\n"
               "Tuesday (7pm to 8pm)       Pilates                 Studio\n"
               "Thursday (6pm to 7pm)      Zumba                   Main hall\n")
    squad = ("Tom Hughes (12)      Sara Patel (11)      Ben Ode (12)\n"
             "Amy Clark (10)       Joe Brown (11)       Lily Wu (12)\n"
             "Max Green (11)       Zoe King (10)        Sam Hill (12)\n")
    rota = ("Yoga              Monday (6pm to 7pm)       Main hall\n"
            "Pilates           Tuesday (7pm to 8pm)      Studio\n"
            "Zumba             Thursday (6pm to 7pm)     Main hall\n")
    assert not table_layout(classes).headers and not table_layout(squad).headers and not table_layout(rota).headers
    # A second review's: a value with a bracketed figure under a qualified header is a value, and a
    # first cell may be qualified too.
    rooms = ("Room type      Price (2 people)    Price (1 person)\nDouble         £95 (£85 Sun-Thu)   £80\n"
             "Twin           £90                 £75\n")
    bands = ("Band (2024-25)       Taxable income        Rate\nBasic rate           £12,571 to £50,270    20%\n"
             "Higher rate          £50,271 to £125,140   40%\n")
    assert table_layout(rooms).headers == {0} and table_layout(bands).headers == {0}
    # Nor is a word a long cell runs on to the next column's: only a figure is.
    events = ("Date        Event                 Notes\n12 May      Spring fair           Bring cakes\n"
              "19 May      Quiz night at the Red Lion\n26 May      Bank holiday walk     Meet at church\n")
    assert table_layout(events).named(events, events.index("19 May"), "") == "Date: 19 May; Event: Quiz night at the Red Lion"


COUNCIL_TAX = (
    "Body                                   Band D 2024/25     Band D 2025/26     Change\n"
    "Westshire County Council               £1,612.44          £1,692.90          4.99%\n"
    "Westshire Police and Crime Commissioner £268.90           £282.90            5.21%\n"
    "Westshire Fire Authority               £87.12             £92.12             5.74%\n")


def test_a_header_may_give_the_year_of_its_columns(assistant_over):
    # "Band D 2025/26" heads a column: read as a row, the table had no header, and its rows no cells.
    layout = table_layout(COUNCIL_TAX)
    assert layout.headers == {0}
    # The police row's name runs up to the first figure's column and one past it: the figure is that
    # column's, not the end of the name.
    police = COUNCIL_TAX.index("Westshire Police")
    assert layout.cells(COUNCIL_TAX, police, "") == [
        "Westshire Police and Crime Commissioner", "£268.90", "£282.90", "5.21%"]
    answer = assistant_over({"council-tax.txt": COUNCIL_TAX}).ask(
        "How much is the police share of a Band D bill for 2025/26?")
    assert answer.text.startswith("£282.90 [1]"), answer.text
    # A list whose lines all write a year in that column is no table under its first line.
    staff = ("Ana Lopez          Joined 2019        Leeds office\n"
             "Tom Reed           Joined 2021        York office\n"
             "Priya Shah         Joined 2023        Leeds office\n")
    assert not table_layout(staff).headers


SPENDING = (
    "Expenditure                         2024 (£)      2023 (£)\n"
    "Staff costs                          171,900       149,300\n"
    "Premises                              58,730        41,200\n"
    "Fundraising costs                     19,800        17,400\n"
)


def test_a_bare_figure_under_a_currency_is_money_in_the_column_asked():
    layout = table_layout(SPENDING)
    premises = SPENDING.index("Premises")
    assert layout.read(SPENDING, premises, "") == "Premises | £58,730 | £41,200"
    assert layout.read(SPENDING, premises, "", currency_in={1}) == "Premises | £58,730 | 41,200"
    rows = _row(SPENDING, "Staff costs") + _row(SPENDING, "Premises")
    # The row its label names, in the column of the year asked; "costs" names another row too.
    assert find_span("What did premises cost in 2024?", rows, "money", {"bakery.md": SPENDING}) == (2, "£58,730")
    assert find_span("What did premises cost in 2023?", rows, "money", {"bakery.md": SPENDING}) == (2, "£41,200")


def test_one_letter_columns_leave_no_slack():
    sizes = "Colour  S  M  L\nRed     4  0  7\nBlue    2  5  1\n"
    layout = table_layout(sizes)
    assert layout.named(sizes, sizes.index("Red"), "") == "Colour: Red; S: 4; M: 0; L: 7"


ACCOUNTS_TEXT = ("Riverside accounts\n\nOur spending rose in 2024.\n\n" + SPENDING +
                 "\n| Key figures | 2024 (£) | 2023 (£) |\n| --- | --- | --- |\n| Volunteers | 85 | 72 |\n| Pantries | 3 | 2 |\n")


def test_a_column_s_currency_is_for_the_row_asked_and_only_for_money(assistant_over):
    accounts = assistant_over({"accounts.txt": ACCOUNTS_TEXT})
    assert accounts.ask("What did premises cost in 2024?").text.startswith("£58,730")
    assert accounts.ask("How many volunteers were there in 2024?").text.startswith("85")  # a count, not £85
    # No row is insurance's: "Staff costs" shares only the word that asks for money.
    assert accounts.ask("What did insurance cost in 2024?").abstain_reason == "no_answer_kind"


def test_a_list_whose_first_line_has_a_year_is_no_table():
    # A code review's cases: read as headers, their first lines answered for the rows below them.
    events = ("January 2025      Committee meeting      Village hall\nFebruary          AGM                    Church room\n"
              "March             Quiz night             The Red Lion\n")
    awards = ("Employee of the Year 2024     Priya Shah     Finance\nRising Star                  Tom Evans      Sales\n"
              "Team Award                   Support Desk   IT\n")
    assert not table_layout(events).headers and not table_layout(awards).headers
