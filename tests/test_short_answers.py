"""Short answers and refusals found wrong on documents written for docs-dev6: which figure or name of
a cited sentence answers, and when the cited sentences cannot answer at all. Unit cases on
``find_span`` and the question kinds, and end to end on a real index."""

from __future__ import annotations

import pytest

from assistant.answer_kinds import pattern_spans
from assistant.questions import ASKS_MONEY, answer_type, asks_only_for_item, numbered_item
from assistant.sentences import Sentence
from assistant.spans import find_span


def one(text: str, doc: str = "d") -> list[Sentence]:
    return [Sentence("t", doc, 0, 0, len(text), text)]


def line_of(texts: dict[str, str], line: str) -> Sentence:
    """``line`` as a sentence of document "d", at its place in ``texts["d"]`` (a table row has a header above)."""
    start = texts["d"].index(line)
    return Sentence("t", "d", texts["d"][:start].count("\n"), start, start + len(line), line)


def test_a_word_that_describes_a_name_is_not_the_name():
    text = "The building was opened on 15 June by Olympic silver medallist Grace Ndlovu, who learned to row here."
    assert find_span("Who opened the new boathouse?", one(text), "person") == (1, "Grace Ndlovu")
    # A one-word name with no full name after it is still a name.
    assert find_span("Who opened it?", one("It was opened by Olympic in June."), "person") == (1, "Olympic")


def test_a_title_is_not_who_holds_it():
    text = 'Rachel Adeyemi, Chief Executive Officer, said: "This has been another quarter of steady progress."'
    assert find_span("Who is the chief executive of Brightwater?", one(text), "person") == (1, "Rachel Adeyemi")


@pytest.mark.parametrize(("question", "text", "who"), [
    ("Who is speaking in Room 2B at 14:30?", "| 14:30 | Cleaning messy address data | Gareth Pryce, Freelance Consultant | Room 2B |",
     "Gareth Pryce"),
    ("Who is the DPO?", "Our Data Protection Officer (DPO) is Priya Raman.", "Priya Raman"),
    ("Who is the press contact?", "Press contact: Lena Fox, Senior Communications Officer.", "Lena Fox"),
])
def test_a_role_written_in_capitals_is_not_who_holds_it(question, text, who):
    assert find_span(question, one(text), "person") == (1, who)


def test_a_table_cell_opens_like_a_sentence():
    texts = {"d": "| Purpose | Lawful basis |\n| --- | --- |\n| Processing and delivering orders | Performance of a contract |\n"}
    row = line_of(texts, "| Processing and delivering orders | Performance of a contract |")
    assert find_span("Who delivers the orders?", [row], "person", texts) is None  # "Performance" is no one
    texts = {"d": "| Time | Speaker |\n| --- | --- |\n| 09:30 | Madonna |\n\nAt 09:30, Madonna sings.\n"}
    assert find_span("Who is on at 09:30?", [line_of(texts, "| 09:30 | Madonna |")], "person", texts) == (1, "Madonna")


@pytest.mark.parametrize(("name", "text", "description"), [
    ("Emma Thornton", "Emma Thornton, Valley Connect's Operations Director, said: \"Good news.\"",
     "Valley Connect's Operations Director"),
    ("Priya Anand", "Councillor Priya Anand, Cabinet Member for Environment and Leisure, said: \"Yes.\"",
     "Cabinet Member for Environment and Leisure"),
])
def test_who_is_reads_a_title_written_in_capitals(name, text, description):
    assert find_span(f"Who is {name}?", one(text), "person") == (1, description)


def test_a_role_in_brackets_after_a_name_says_whose_it_is():
    text = "Present: Helen Okafor (Chair), Tom Birch (Treasurer), Ayesha Malik (Secretary), Dev Patel"
    assert find_span("Who is the chair of the garden association?", one(text), "person") == (1, "Helen Okafor")
    assert find_span("Who is the secretary?", one(text), "person") == (1, "Ayesha Malik")


def test_of_which_begins_another_clause():
    text = "The jug holds 2.4 litres in total, of which 1.4 litres is filtered water."
    assert find_span("How much filtered water does the jug hold?", one(text), "number") == (1, "1.4 litres")
    assert find_span("How much water does the jug hold in total?", one(text), "number") == (1, "2.4 litres")


def test_months_are_no_place():
    text = "The study ran between September and October 2024 at the University of Leeds."
    assert find_span("Where was the study done?", one(text), "place") == (1, "University of Leeds")


def test_a_count_is_no_percentage_unless_of_what_is_counted():
    assert find_span("How many panels does the farm have?", one("It is about 10 percent more efficient."),
                     "number") is None
    assert find_span("How many of those were fixed on the first visit?",
                     one("98% were completed on the first visit."), "number") == (1, "98%")
    assert find_span("How many students passed the exam?", one("This year 92% of students passed."),
                     "number") == (1, "92%")


def test_i_is_no_one_and_nowhere():
    texts = {"d": "Dear parents,\nI am delighted to confirm the details of this year's Year 6 residential trip.\n"
                  "As I said at the meeting, the children will stay for three nights.\n"}
    text = texts["d"].splitlines()[1]
    sentences = [line_of(texts, text)]
    assert find_span("Where is Year 6 going on the residential?", sentences, "place", texts) is None


def test_which_countries_is_answered_by_the_whole_list_even_when_asked_with_was():
    text = "The trial took place in the United Kingdom, Ireland, the Netherlands and Denmark."
    assert find_span("Which countries was the trial run in?", one(text), "place") == (
        1, "United Kingdom, Ireland, the Netherlands and Denmark")


def test_a_place_or_the_next_name_of_a_list_is_no_title():
    assert find_span("Who is Tom Lee?", one("Tom Lee, Paris, France, won the race."), "person") is None
    assert find_span("Who is Helen Okafor?", one("Present: Helen Okafor, Tom King, Priya Anand."), "person") is None


def test_how_many_of_asks_for_the_part_not_the_whole():
    text = "Juniors won 15 of the club's 34 wins."
    assert find_span("How many of the wins were by juniors?", one(text), "number") == (1, "15")
    assert find_span("How many wins did the club have?", one(text), "number") == (1, "34")


def test_how_long_is_not_answered_by_a_size():
    text = "Exporting the 2.1 GB test dataset takes about 40 seconds on a four-core laptop."
    assert find_span("How long does the export of the test data take?", one(text), "number") == (1, "about 40 seconds")
    assert find_span("How big is the test dataset?", one(text), "number") == (1, "2.1 GB")


def test_an_age_that_names_a_group_counts_nobody():
    row = "| Concession (students, over-65s, disabled visitors) | £12 |"
    assert pattern_spans(row, "number") == []
    text = "Tickets for under 18s cost less, and 40 seats are kept."
    assert pattern_spans(text, "number") == [(text.index("40"), text.index("40") + 2)]


def test_the_column_that_names_more_of_the_question_and_not_its_contrary():
    texts = {"d": "| Day | First bus | Last bus |\n| --- | --- | --- |\n| Sunday | 07:15 | 22:30 |\n"}
    row = texts["d"].splitlines()[2]
    sentences = [line_of(texts, row)]
    assert find_span("When does the last Sunday bus leave?", sentences, "date", texts) == (1, "22:30")
    assert find_span("When does the first Sunday bus leave?", sentences, "date", texts) == (1, "07:15")


def test_the_column_asked_is_not_the_rows_label_and_a_rare_word_names_it_best():
    texts = {"d": "Leave\n\nAll staff get annual leave. Leave is booked online. Ask before you take leave.\n\n"
                  "| Years of service | Annual leave | Carry-over allowed |\n| --- | --- | --- |\n"
                  "| 2 to 5 years | 27 days | 5 days |\n| More than 5 years | 30 days | 5 days |\n"}
    row = "| More than 5 years | 30 days | 5 days |"
    sentences = [line_of(texts, row)]
    question = "How many days of leave can staff with more than 5 years of service carry over?"
    assert find_span(question, sentences, "number", texts) == (1, "5 days")
    assert find_span("How many days of annual leave after more than 5 years of service?", sentences, "number",
                     texts) == (1, "30 days")


@pytest.mark.parametrize(("question", "text", "span"), [
    ("When did the study run?", "The study ran for four weeks between September and October 2024.",
     "September and October 2024"),
    ("When will Station Road be closed?", "From 14 April to 23 May, Station Road will be closed.", "14 April to 23 May"),
    ("When was it signed?", "It was signed on 4 April 2024 and ratified on 5 May 2025.", "4 April 2024"),
])
def test_a_span_of_time_is_given_whole(question, text, span):
    assert find_span(question, one(text), "date") == (1, span)


def test_a_figure_beside_another_year_is_not_the_year_asked():
    sentences = one("Membership reached 287 at the end of December.") + [
        Sentence("u", "d", 1, 0, 40, "In 2025 we aim to reach 300 members, and more.")]
    assert find_span("How many members did the club have at the end of 2024?", sentences, "number") == (1, "287")


@pytest.mark.parametrize("question", ["How much is the recommended dose?", "How much is left in the fund?",
                                      "How much rain fell in March?"])
def test_how_much_of_a_quantity_is_no_price(question):
    assert not ASKS_MONEY.search(question)


def test_staff_turnover_is_a_rate_not_money():
    assert answer_type("What was staff turnover a year earlier?") != "money"
    assert answer_type("What was the company's turnover in 2024?") == "money"


LEASE = """Tenancy agreement

1.1 The tenancy starts on 1 August 2025.
1.2 Either party may end the tenancy after the first 6 months by giving 2 months' written notice.
4.1 The rent is £1,325 per month.
4.2 The Tenant must not smoke inside the property.
6.1 Clause 1.2 does not apply to a tenancy of less than 6 months.

Before first use:
1. Unpack the jug.
2. Take the cartridge out of its foil bag.
3. Soak the cartridge in cold water for 15 minutes.
4. Push the cartridge firmly into the reservoir until it clicks.
"""


@pytest.mark.parametrize(("question", "opens"), [
    ("What does clause 4.2 say?", "4.2 The Tenant must not smoke"),
    ("What does clause 1.2 say?", "1.2 Either party"),
    ("What is step 3?", "3. Soak the cartridge"),
    ("What is the third step?", "3. Soak the cartridge"),
])
def test_a_clause_or_step_asked_by_its_number(assistant_over, question, opens):
    answer = assistant_over({"lease.txt": LEASE}).ask(question)
    assert not answer.abstained and answer.citations[0].sentence.text.startswith(opens), answer.text


@pytest.mark.parametrize(("question", "line"), [
    ("What is step 2?", "- 2 eggs, beaten"),  # a figure, not a step's number
    ("What is step 3?", "3.5 litres of water."),
    ("What does clause 4.2 say?", "4.21 The Tenant must not smoke inside the property."),
    ("What does clause 3 say?", "3 members sent apologies."),
])
def test_a_line_that_opens_with_a_figure_is_no_numbered_item(question, line):
    assert not numbered_item(question).match(line)


def test_only_a_question_for_the_item_alone_is_answered_by_its_number():
    assert asks_only_for_item("What does clause 4.2 say?") and asks_only_for_item("What is step 3?")
    assert not asks_only_for_item("What does clause 2 say about smoking?")
    assert not asks_only_for_item("How many steps are there?")


NEWS = ("The town of Eldermouth switched on its first floating solar farm on Monday, placing 4,200 panels on the lake.\n"
        "The project cost £2.8 million, of which £900,000 came from a government clean energy grant. "
        "The rest was raised through a community share offer that sold out in three weeks.\n"
        "A second site, at Millbrook reservoir, is under consideration but no decision will be made before 2027.\n")


def test_a_refusal_names_no_word_of_an_earlier_turn(assistant_over):
    assistant = assistant_over({"news.txt": NEWS})
    history = []
    for question in ("How much did the solar project cost?", "Who paid for the rest?"):
        answer = assistant.ask(question, history=history)
        history += [{"role": "user", "content": question}, {"role": "assistant", "content": answer.text}]
    answer = assistant.ask("What about Millbrook?", history=history)
    # Refused, as the closest sentences (about what was paid) do not match the turn; not as about "paid".
    assert answer.abstained and answer.text.endswith("does not answer this question."), answer.text


REPORT = """# Harbury Rowing Club Annual Report 2024

## Membership

Membership reached 287 at the end of December, up from 241 a year earlier.

## Officers

Nominations for Membership Secretary, Safety Officer and Social Secretary have been received.

The club captain, Marta Kowalczyk, will stand again.

The club's welfare officer is Helen King, who has held the post since 2021.

The club's accounts are audited by KPMG, the club's auditor since 2018.

Simon Hartley, Chief Financial Officer since 2019, will retire in March.

## Finance

| Category | 2023 | 2024 |
| --- | --- | --- |
| Boats | 12 | 14 |

The club's income for the year was £212,400 and its expenditure was £198,750.
"""

NOTES = """# Tessera 4.2.0 Release Notes

Released 3 June 2025. Tessera is a library for reading and writing tiled map data.

## Performance

| Operation | 4.1.3 | 4.2.0 |
| --- | --- | --- |
| Render a tile | 41 ms | 37 ms |
"""


@pytest.fixture
def club(assistant_over):
    return assistant_over({"club.md": REPORT, "notes.md": NOTES})


def test_a_role_named_but_held_by_nobody_is_refused(club):
    answer = club.ask("Who is the club's Safety Officer?")
    assert answer.abstained and "no name" in answer.text


def test_a_role_held_by_someone_is_answered(club):
    answer = club.ask("Who is the club captain?")
    assert not answer.abstained and answer.text.startswith("Marta Kowalczyk")


@pytest.mark.parametrize(("question", "holder"), [
    ("Who is the club's welfare officer?", "Helen King"),  # "King" is a surname here, not a title
    ("Who is the club's auditor?", "KPMG"),
])
def test_a_holder_whose_name_reads_like_a_title_is_named(club, question, holder):
    answer = club.ask(question)
    assert not answer.abstained and holder in answer.text.split("\n")[0], answer.text


def test_a_figure_in_a_report_of_another_year_is_refused(club):
    answer = club.ask("What was the club's income in 2023?")
    assert answer.abstained and '"2023"' in answer.text
    assert not club.ask("What was the club's income in 2024?").abstained


def test_a_version_the_cited_notes_are_not_about_is_refused(club):
    answer = club.ask("When was Tessera 4.1.3 released?")
    assert answer.abstained and '"4.1.3"' in answer.text
    answer = club.ask("When was Tessera 4.2.0 released?")
    assert not answer.abstained and answer.text.startswith("3 June 2025")


def test_a_figure_of_a_year_written_before_a_comma_is_that_years(assistant_over):
    # "In 2024, adopters raised ..." names 2024 as surely as "in 2024." does.
    park = assistant_over({"park.txt": "Harwood Wildlife Park runs an adoption scheme. In 2024, adopters raised "
                                       "£186,400, which paid for approx. 31% of the animal food bill. Kesi the "
                                       "tiger came from Rotterdam Zoo in 2019 and had two cubs in May 2023."})
    answer = park.ask("How much did adopters raise in 2023?")
    assert answer.abstained and '"2023"' in answer.text, answer.text
    assert park.ask("How much did adopters raise in 2024?").text.startswith("£186,400")


def test_a_date_of_birth_is_no_answer_to_when_something_else_happened(assistant_over):
    park = assistant_over({"animals.txt": "Oskar, Eurasian lynx (male, born 2020).\nOskar arrived from a wildlife "
                                          "park in Sweden in March 2024.\n"})
    assert park.ask("When did Oskar the lynx arrive at the park?").text.startswith("March 2024")
    assert park.ask("When was Oskar born?").text.startswith("2020")


def test_a_column_headed_by_the_day_asked_gives_the_time(assistant_over):
    hours = ("# Opening hours\n\n| Practice | Mon–Thu | Fri | Sat |\n| --- | --- | --- | --- |\n"
             "| Elm Road | 8:30–17:30 | 8:30–16:00 | closed |\n| Quayside | 8:00–19:00 | 8:00–17:00 | 9:00–13:00 |\n")
    practice = assistant_over({"hours.md": hours})
    assert practice.ask("What time does the Quayside practice close on a Friday?").text.startswith("8:00–17:00")
    assert practice.ask("When is Quayside open on Saturday?").text.startswith("9:00–13:00")
    assert practice.ask("When is Quayside open on a Tuesday?").text.startswith("8:00–19:00")
    # A plant table's "Sun" column names no Sunday: the garden centre never says it opens then.
    garden = assistant_over({"garden.md": "We are open Monday to Saturday, 9am to 5pm.\nThe café serves hot food "
                                          "until 3pm.\n\n| Plant | Sun | Water | Price |\n|---|---|---|---|\n"
                                          "| Lavender | Full | Low | £6.99 |\n"})
    assert garden.ask("What time does the café stop serving hot food on Sunday?").abstained
    # ... nor its column, in a document that names Sunday elsewhere.
    sundays = assistant_over({"garden.md": "We are closed on Sundays.\n\n| Plant | Sun | Water | Price |\n"
                                           "|---|---|---|---|\n| Lavender | Full | Low | £6.99 |\n"})
    assert sundays.ask("What watering does lavender need on a Sunday?").text.startswith("Low")


ADVISORY = """# Quillon advisory QSA-2025-07

A request smuggling flaw affects the HTTP parser.

| Branch | Affected versions | Fixed in |
| --- | --- | --- |
| 3.x | 3.0.0 to 3.4.1 | 3.4.2 |

## Timeline

- 2 May 2025: Report received through the security mailbox.
- 18 June 2025: Versions 3.4.2 and 2.9.8 released and advisory published.
"""


def test_a_date_read_from_a_sentence_about_another_version_is_refused(assistant_over):
    # The row that names 3.4.1 is cited beside the timeline's line, but the date is the line's,
    # and that line tells of 3.4.2.
    advisory = assistant_over({"advisory.md": ADVISORY})
    answer = advisory.ask("When was version 3.4.1 released?")
    assert answer.abstained and '"version 3.4.1"' in answer.text, answer.text
    answer = advisory.ask("When was version 3.4.2 released?")
    assert not answer.abstained and answer.text.startswith("18 June 2025"), answer.text


@pytest.mark.parametrize(("question", "text", "kind", "answer"), [
    # A range is answered whole, with its unit or rate: not its first figure alone.
    ("How long do I simmer the lentils?", "4. Simmer for 20 to 25 minutes, stirring now and then.", "number",
     "20 to 25 minutes"),
    ("How long does it take to set?", "It takes 2-3 hours to set.", "number", "2-3 hours"),
    ("How many people can play?", "Tidewatch is for 2 to 5 players, aged 10 and up.", "number", "2 to 5"),
    ("What revenue is expected for the fourth quarter?",
     "For the fourth quarter, management expects revenue between $50 million and $53 million.", "money",
     "between $50 million and $53 million"),
    # A change is no range: the figure now answers.
    ("How much is a single fare?", "A single fare rises from £3.40 to £3.60 in May.", "money", "£3.60"),
    # Two figures joined by "and" without "between" are two things.
    ("How many adults came?", "We welcomed 40 adults and 12 children.", "number", "40"),


    # A change by an amount is no range either (a code reviewer's counterexamples).
    ("How many pupils are on the roll?", "The roll has grown by 30 to 412 pupils this year.", "number", "412"),
    ("How many staff were there in 2021?", "Staff numbers increased by 12 to 140 in 2021.", "number", "140"),
    # An alternative, an aside and a vote are no ranges.
    ("How much is hall hire?", "Hall hire is £30 or £20 for charities.", "money", "£30"),
    ("How much did the hall project cost?", "The hall project cost £1.2 million - £200,000 over budget.", "money",
     "£1.2 million"),
    ("How many voted for the motion?", "The motion was carried 7 to 2.", "number", "7"),
    # A day's date the question gives still picks its figure; a month before a comma is its figure's.
    ("How many people came to the open day on 12 June?",
     "Attendance at the open days was 300 on Saturday and 450 on 12 June.", "number", "450"),
    ("How many incidents were reported in June?", "In May, 6 incidents were reported in the playground; in June, 9.",
     "number", "9"),
    # "The first" of a span of time is not its start; "first-aid" asks for no first.
    ("When does the first session run?", "The first session of the homework club runs 15:30–16:30 on Tuesdays.",
     "date", "15:30–16:30 on Tuesdays"),
    ("When is the first-aid room open?", "The first-aid room is open 08:00-18:00.", "date", "08:00-18:00"),
])
def test_a_range_is_answered_whole_and_what_is_no_range(question, text, kind, answer):
    assert find_span(question, one(text), kind) == (1, answer)


def test_the_figure_now_of_each_change_in_a_sentence():
    text = ("The council agreed to raise the annual rent for a full plot from £48 to £52 and for a half plot "
            "from £26 to £28, from 1 October 2025.")
    # "October" is when every change applies: the figure nearest it ("£28") is no likelier the answer,
    # and "£26" is what the half plot's rent changed from, as "£48" is.
    assert find_span("How much will a full allotment plot cost a year from October?", one(text), "money") == (1, "£52")
    assert find_span("How much was a full plot before?", one(text), "money") == (1, "£48")


@pytest.mark.parametrize(("question", "text", "answer"), [
    # By how much, not to what: the change is said after "by" or "a saving of".
    ("How much did the council save per kilometre?",
     "Mowing costs fell from £520 to £208 per kilometre per year on the two-cut sections, a saving of £312.", "£312"),
    ("By how much did the fare go up?", "The fare went up from £3.40 to £3.60, by 20p.", "20p"),
    ("How much is a single fare?", "A single fare rises from £3.40 to £3.60, by 20p.", "£3.60"),  # what it is now
    # A figure's own label in brackets says whose it is.
    ("What's the price of a main service on the hybrid?", "- Main Service: £329 (petrol), £345 (hybrid)",
     "£345 (hybrid)"),
    ("What's the price of a main service?", "- Main Service: £329 (petrol), £345 (hybrid)", "£329 (petrol)"),
    # ... as "for" after it does, though the question's other words are written nearer another figure.
    ("What is the late fee for DVDs?", "The late fee is 25 cents per day for books and $1 per day for DVDs.",
     "$1 per day"),
    ("What is the late fee for books?", "The late fee is 25 cents per day for books and $1 per day for DVDs.",
     "25 cents per day"),
    ("How much does colour printing cost?",
     "Printing costs 10 cents per page for black and white and 50 cents per page for colour.", "50 cents per page"),
    # ... or before it: "three" is the three courses' word alone; "swim" is both prices' word.
    ("How much is the three-course set menu?", "Two courses for £24 or three courses for £29, Tuesday to Thursday.",
     "£29"),
    ("How much is the two-course menu?", "Two courses for £24 or three courses for £29, Tuesday to Thursday.", "£24"),
    ("How much is an adult swim now?", "An adult swim costs £6.50, and under-16s swim for £3.", "£6.50"),
    ("How much is a swim for under-16s?", "An adult swim costs £6.50, and under-16s swim for £3.", "£3"),
    # From a review: "for the trip" is no list's item when one figure alone has it, and a part's own
    # words run from "including" on.
    ("How much is the deposit for the trip?", "The cost is £350 per pupil, with a £50 deposit due by Friday and the "
     "balance of £300 for the trip by March.", "£50"),
    ("How much does the trip cost per pupil?", "The cost is £350 per pupil, with a £50 deposit due by Friday and the "
     "balance of £300 for the trip by March.", "£350"),
    ("How much is the insurance?", "The trip costs £300 including insurance of £25.", "£25"),
    ("How much does the trip cost?", "The trip costs £300 including insurance of £25.", "£300"),
])
def test_a_change_and_a_labelled_figure_answer_what_is_asked(question, text, answer):
    assert find_span(question, one(text), "money") == (1, answer)


@pytest.mark.parametrize(("question", "answer"), [
    # A figure after "including" is a part of the one before: the whole answers, unless the question
    # asks for what the part adds.
    ("How many cases did law enforcement handle?", "215,000"),
    ("How many counterfeit product cases did the authorities handle last year?", "215,000"),
    ("How many patent infringement cases were handled?", "77,000"),
])
def test_a_part_after_including_answers_only_what_it_adds(question, answer):
    text = ("Law enforcement authorities handled 215,000 cases involving counterfeit products last year, including "
            "77,000 cases involving patent infringement, said Gan Lin.")
    assert find_span(question, one(text), "number") == (1, answer)


@pytest.mark.parametrize(("question", "text", "answer"), [
    # "How long ...?" is a time or a length: not a brightness, a temperature or a count of people.
    ("How long does the battery last?", "Battery life was measured at 150 nits brightness until the laptop shut down.",
     None),
    ("How long did the battery last?", "The Arden Book had the longest battery life, according to five of the six testers.",
     None),
    ("How long do I reheat it for?", "Reheat portions at 180°C (160°C fan, gas mark 4) for 20 to 25 minutes.",
     "20 to 25 minutes"),
    ("How long did opening the archive take?", "Opening a 5 GB archive took 3.8 s, down from 9.5 s.", "3.8"),
    ("How long is the course?", "It is a 12-week course.", "12-week"),
])
def test_how_long_is_answered_by_a_time_or_a_length(question, text, answer):
    assert find_span(question, one(text), "number") == (None if answer is None else (1, answer))


def test_a_year_before_a_comma_is_still_the_year_of_its_figure():
    text = "There were six reported incidents in 2024, compared with nine in 2023."
    assert find_span("How many safety incidents were there in 2023?", one(text), "number") == (1, "nine")
    assert find_span("How many safety incidents were there in 2024?", one(text), "number") == (1, "six")
    # ... and a year before a comma is of what it ends, not of the figure after it.
    quarter = ("Northwind Logistics reported revenue of $48.7 million for the third quarter of 2024, up 12% "
               "from $43.5 million in the same quarter last year.")
    assert find_span("What was Northwind's revenue in the third quarter of 2024?", one(quarter), "money") == (
        1, "$48.7 million")


def test_the_first_or_last_of_a_list_of_times():
    text = "Departures from Portskail: 07:15, 09:30, 12:00, 15:10, 17:45."
    assert find_span("What time's the first ferry?", one(text), "date") == (1, "07:15")
    assert find_span("When does the last ferry leave?", one(text), "date") == (1, "17:45")
    # Without asking which, all of them.
    assert find_span("When do ferries leave Portskail?", one(text), "date") == (1, "07:15, 09:30, 12:00, 15:10, 17:45")


@pytest.mark.parametrize(("question", "text", "kind", "answer"), [
    # A code reviewer's counterexamples to this session's rules, each once answered wrong.
    ("How long must a password be?", "Passwords must be at least 12 characters long.", "number", "at least 12"),
    ("How much does a cut and blow-dry cost?", "A cut and blow-dry costs £45, reduced by £10 for students.", "money",
     "£45"),  # "a cut" is no change
    ("How much does a cut cost?", "A cut costs £25; a colour costs £60 (cut included).", "money", "£25"),  # a remark
    ("Who designed the library?", "The library was designed by Haworth Tompkins Architects, with Sarah Kent as "
     "project lead.", "person", "Haworth Tompkins Architects"),  # a firm's name, not a role
])
def test_what_this_session_s_rules_leave_alone(question, text, kind, answer):
    assert find_span(question, one(text), kind) == (1, answer)


def test_a_name_in_a_table_cell_keeps_its_first_word():
    texts = {"d": "| Time | Speaker | Room |\n| --- | --- | --- |\n| 14:00 | Mark Evans | Room 1 |\n\nPlease mark the date.\n"}
    row = line_of(texts, "| 14:00 | Mark Evans | Room 1 |")
    assert find_span("Who is on at 14:00?", [row], "person", texts) == (1, "Mark Evans")


@pytest.mark.parametrize(("question", "text", "answer"), [
    # A time alone in a programme's row says when something starts: no answer to when it finishes.
    ("What time does the drinks reception finish?", "| 17:00 | Drinks reception, sponsored by Datawell | | Atrium |",
     None),
    ("What time does the film start?", "| 17:00 | Film | Room 1 |", "17:00"),
    ("When does the festival end?", "The festival runs 12–14 June.", "14 June"),
    ("What time does the party finish?", "The party runs from 8pm until midnight.", "8pm until midnight"),
    ("When does the consultation end?", "Responses must reach us by 30 June 2025.", "30 June 2025"),
    ("What time does the fair finish?", "The fair is open 10am–4pm on Saturday.", "10am–4pm on Saturday"),
])
def test_when_something_finishes_is_a_time_said_of_an_end(question, text, answer):
    assert find_span(question, one(text), "date") == (None if answer is None else (1, answer))


@pytest.mark.parametrize(("question", "text", "kind", "answer"), [
    # A name's number counts and measures nothing: "2" of "Symphony No. 2" was how long the symphony is.
    ("How many evacuation chairs are there?", "The chairs are kept on floors 1 to 4, and there are 6 of them.",
     "number", "6"),
    ("How long is the Brahms symphony?", "Brahms, Symphony No. 2 (45 minutes).", "number", "45 minutes"),
    ("Which floor is the refuge on?", "The refuge is on floor 3.", "number", "3"),  # unless that is asked
    # A spec sheet's label and value, lined up, are no name's number.
    ("How many assist modes does the bike have?", "Assist Levels    5", "number", "5"),
    # "No more than two" is at most two: the "no" was dropped.
    ("How many spare batteries can I take?", "Power banks must not exceed 160 Wh; no more than two spare "
     "batteries are allowed per passenger.", "number", "no more than two"),
    # A unit of power is a measure: "160 Wh" counts no power banks.
    ("How many power banks can I take?", "Power banks must not exceed 160 Wh, and you may take 2.", "number", "2"),
    # "How old ...?" asks for an age: "aged 39", not "less than two months later".
    ("How old was Weber when he died?", "He died in London less than two months later, aged 39.", "number", "39"),
    ("At what age can children swim alone?", "Children of 8 years old can swim alone for up to 2 hours.",
     "number", "8 years"),
    # "33 other members" are counted beside others: the whole that follows answers how many came. With
    # no figure after it, "other" or "additional" says nothing of a whole.
    ("How many members attended the AGM?", "Present: Imogen Tasker (Chair), Bernadette Loy (Treasurer) and 33 other "
     "members, making 35 in all.", "number", "35"),
    ("How many other members attended?", "Present: Imogen Tasker (Chair), Bernadette Loy (Treasurer) and 33 other "
     "members, making 35 in all.", "number", "33"),
    ("How many volunteers are there?", "The club has 12 coaches and 40 additional volunteers.", "number", "40"),
])
def test_what_a_figure_is_of(question, text, kind, answer):
    assert find_span(question, one(text), kind) == (1, answer)


def test_a_numbered_week_answers_when_with_its_capital():
    assert find_span("When are the plots inspected?", one("Plots are inspected in week 27, usually on 3 July."),
                     "date") == (1, "3 July")
    # "When is it due?" of an assessment table was refused: "Week 27" was no date.
    row = "| Group poster | 20% | A1 poster and 5-minute talk | Week 27 |"
    assert find_span("When is the group poster due?", one(row), "date") == (1, "Week 27")
    assert find_span("How much is the group poster worth?", one(row), "percent") == (1, "20%")


@pytest.mark.parametrize(("question", "text", "answer"), [
    # "not ... more than 10 kg" is at most 10 kg: the short answer said "More than 10 kg".
    ("What is the weight limit for a cabin bag?", "The cabin bag must not weigh more than 10 kg.", "no more than 10 kg"),
    ("How many can come?", "It cannot be more than 30 people.", "no more than 30"),
    ("How many suspects were arrested?", "Police arrested more than 5,600 suspects.", "more than 5,600"),
    ("How many people came?", "Not only did more than 30 people come, they stayed.", "more than 30"),
])
def test_a_bound_under_a_negation_is_its_contrary(question, text, answer):
    assert find_span(question, one(text), "number") == (1, answer)


@pytest.mark.parametrize(("question", "kind"), [
    # "charge" is no fee here: these ask for a time, a distance, a weight.
    ("How long does it take to charge the battery from empty?", "number"),
    ("How far can it go on a full charge?", "number"),
    ("What's the weight limit for a cabin bag?", "number"),
    ("How much do they charge for a late return?", "money"),
    ("How long do they charge for parking?", "other"),
])
def test_a_battery_charge_is_no_fee(question, kind):
    assert answer_type(question) == kind


def test_the_nearest_question_word_is_found_without_searching_every_pair():
    # A sentence of 500 figures and 500 of the question's words took 76 s to answer when a clause
    # break was searched between every figure and every word; the nearest-first search gives the
    # same distances.
    import random

    from assistant.spans import _CLAUSE_BREAK, _CLAUSE_GAP, _nearest

    text = "The first leaves at 05:52, and the last at 23:10; a fare is £3 and a day ticket £5, while tours cost £20."
    rng = random.Random(7)
    for _ in range(200):
        start = rng.randrange(len(text))
        gaps = [(abs(a - start), a) for a in rng.sample(range(len(text)), rng.randrange(0, 6))]
        brute = min((g + (_CLAUSE_GAP if _CLAUSE_BREAK.search(text, min(a, start), max(a, start)) else 0)
                     for g, a in gaps), default=len(text))
        assert _nearest(text, start, "number", gaps) == brute



# -- found on docs-dev17 ------------------------------------------------------------------------------
@pytest.mark.parametrize(("text", "answer"), [
    ("The basic loaf takes 2 hours 30 minutes from start to finish.", "2 hours 30 minutes"),
    ("The rapid loaf takes 1 hr 20 mins.", "1 hr 20 mins"),
    ("The Eco programme takes 3 h 35 min.", "3 h 35 min"),
    ("The building was cleared in 4 minutes and 40 seconds.", "4 minutes and 40 seconds"),
    ("The quick wash takes 30 min.", "30 min"),  # one unit, as before
])
def test_a_time_in_two_units_is_one_answer(text, answer):
    assert find_span("How long does it take?", one(text), "number") == (1, answer)


DISHWASHER = """# Programme times

| Programme | Temperature | DW600 time | DW650 time |
| --- | --- | --- | --- |
| Eco 50 | 50°C | 3 h 35 min | 3 h 50 min |
| Intensive | 70°C | 2 h 45 min | 2 h 55 min |
"""


def test_a_time_in_two_units_from_the_column_asked():
    texts = {"d": DISHWASHER}
    row = line_of(texts, "| Eco 50 | 50°C | 3 h 35 min | 3 h 50 min |")
    assert find_span("How long does Eco 50 take on the DW650?", [row], "number", texts) == (1, "3 h 50 min")


COUNCIL_TAX = """Your Council Tax Explained 2025/26

HOW MUCH EACH BAND PAYS

Band    Property value (1 April 1991)       Fraction of Band D    Annual charge
A       up to £40,000                       6/9                   £1,514.15
B       £40,001 to £52,000                  7/9                   £1,766.51
C       £52,001 to £68,000                  8/9                   £2,018.87
D       £68,001 to £88,000                  9/9                   £2,271.23

Most homes in the district are in Band B.
"""


def test_money_asked_of_a_row_comes_from_the_column_headed_as_a_price():
    texts = {"d": COUNCIL_TAX}
    row = line_of(texts, "C       £52,001 to £68,000                  8/9                   £2,018.87")
    # "Band" names the "Fraction of Band D" column, which holds no money: the "Annual charge" is asked.
    assert find_span("How much is Band C council tax?", [row], "money", texts) == (1, "£2,018.87")
    # A column the question names that holds money is still the one asked.
    assert find_span("What is the property value range for Band C?", [row], "money", texts) == (1, "£52,001 to £68,000")


def test_a_row_named_by_its_cell_under_a_one_word_header_is_about_it(assistant_over):
    assistant = assistant_over({"council-tax.txt": COUNCIL_TAX})
    answer = assistant.ask("How much is Band C council tax this year?")
    assert not answer.abstained and "£2,018.87" in answer.text.split("\n")[0], answer.text
    # A band the table does not list is still no band it lists.
    assert assistant.ask("How much is Band H council tax this year?").abstained


CONTACTS = """# Contacting Kelvin Service

Kelvin Service engineers visit within 3 working days in England, Scotland and Wales. Call 0344 815 6060, Monday to Friday 08:00 to 20:00, or book online.

# Our kitchen

Our kitchen in Peterborough handles all 14 allergens, so we cannot guarantee that any recipe is free of traces. Harvest Crate Ltd, Unit 9 Fengate Park, Peterborough PE1 5XG.

The Airport branch is open every day from 05:30 to 23:30.
"""


def test_a_phone_number_from_the_next_sentence_that_says_to_call(assistant_over):
    assistant = assistant_over({"contacts.md": CONTACTS})
    answer = assistant.ask("What's the phone number for Kelvin Service?")
    assert not answer.abstained and answer.text.startswith("0344 815 6060"), answer.text
    # An address's or a time's digits are no phone number.
    for question in ("What's the phone number for the kitchen in Peterborough?",
                     "What is the phone number for the Airport branch?"):
        answer = assistant.ask(question)
        assert answer.abstained and "no phone number" in answer.text, answer.text


def test_per_says_what_a_price_is_counted_by_not_which_row():
    texts = {"d": "| Feature | Essential | Plus | Complete |\n| --- | --- | --- | --- |\n"
                  "| Monthly price | £14.50 | £21.00 | £29.75 |\n| Excess per claim | £95 | £60 | £0 |\n"}
    rows = [line_of(texts, "| Monthly price | £14.50 | £21.00 | £29.75 |"), line_of(texts, "| Excess per claim | £95 | £60 | £0 |")]
    assert find_span("How much is the Plus plan per month?", rows, "money", texts) == (1, "£21.00")
    assert find_span("How much is the excess per claim on Plus?", rows, "money", texts) == (2, "£60")


CAR_HIRE = """SWIFTDRIVE CAR HIRE

Item                                   Airport branch      City Centre branch
Daily rate, group C                    £48.00              £41.50
Weekly rate, group C (7 days)          £289.00             £252.00
One-way return fee                     £35.00              £35.00

The damage excess for group C is £1,250.
"""


def test_a_group_is_one_of_a_series(assistant_over):
    # "Group B" is one of a series, as "Band C" and "Year 6" are: group C's rates are no answer for it.
    assistant = assistant_over({"hire.txt": CAR_HIRE})
    for question in ("How much is the weekly rate for a group B car at the airport?",
                     "What is the damage excess for a group D vehicle?"):
        answer = assistant.ask(question)
        assert answer.abstained and "are not about \"Group" in answer.text, answer.text
    assert assistant.ask("What is the damage excess for group C?").text.startswith("£1,250 [1]")


PARISHES = """PARISH CHARGES

For Band D in 2025/26 the parish precepts are:

Parish                  Band D precept 2025/26
Ashby St Mary           £42.18
Long Stratton Town      £118.55
Wenham Magna            £64.02

President Xi did not set these. The Airport parish is new.
"""


@pytest.mark.parametrize(("question", "refused"), [
    ("What is the Band D precept for Wenham Parva?", True),  # "Wenham" is only ever Wenham Magna
    ("What is the Band D precept for Wenham Magna?", False),
    ("Did President Xi Jinping set them?", False),  # the "President Xi" written, with more of his name
    ("What is the precept for Airport Express?", False),  # "The Airport parish": "Airport" alone
])
def test_a_name_whose_known_words_are_only_in_other_names_is_unknown(assistant_over, question, refused):
    answer = assistant_over({"parishes.txt": PARISHES}).ask(question)
    assert (answer.abstain_reason == "unknown_name") is refused, answer.text


RECIPE_BOX = """# Prices

| Plan | 3 recipes a week | 4 recipes a week | 5 recipes a week |
| --- | --- | --- | --- |
| Two people | £39.99 | £49.99 | £57.49 |
| Four people | £64.99 | £79.99 | £92.49 |

# Cottages

| Cottage | Up to 4 people | Up to 8 people |
| --- | --- | --- |
| Mill House | £450 | £720 |
"""


def test_a_count_the_columns_give_in_other_numbers_only_is_not_answered(assistant_over):
    assistant = assistant_over({"prices.md": RECIPE_BOX})
    answer = assistant.ask("How much is the two-person box with 6 recipes a week?")
    assert answer.abstained and 'not about "6 recipes"' in answer.text, answer.text
    assert assistant.ask("What does a 5-recipe box for four people cost?").text.startswith("£92.49 [1]")
    # A column that is a bound holds the count: no refusal for 6 people at Mill House.
    assert not assistant.ask("How much is Mill House for 6 people?").abstained


# -- a code review's cases against the changes above -------------------------------------------------
HELPLINES = """# Useful numbers

For non-emergencies, such as reporting a stolen bike, use 101.

Samaritans (free, any time, day or night): 116 123.

IT support: extension 4410, or email it@example.org.

Out-of-hours caretaker: ext. 214 from the entry phone.

Headteacher: Mrs Ann Clarke, tel. 5678.
"""


@pytest.mark.parametrize(("question", "number"), [
    ("What number do I phone for non-emergencies?", "101"),
    ("What number can I ring for the Samaritans?", "116 123"),
    ("What number do I call for IT support?", "4410"),
    ("What number do I dial for the caretaker out of hours?", "214"),
    ("What is the headteacher's phone number?", "5678"),
])
def test_a_short_number_or_an_extension_is_a_phone_number(assistant_over, question, number):
    answer = assistant_over({"numbers.md": HELPLINES}).ask(question)
    assert not answer.abstained and number in answer.text, answer.text


PEOPLE_AND_PLACES = """# Clinic and travel

Dr Jane Smith runs a diabetes clinic every Tuesday morning.

St Mary's Church is open every day from 9am to 5pm.

The venue is a ten-minute walk from London King's Cross.
"""


@pytest.mark.parametrize("question", [
    "When does Doctor Smith run her clinic?",  # a title the text writes short
    "When is Saint Mary's Church open?",
    "How far is the venue from King's Cross Station?",  # a common word added to a name it writes
])
def test_a_common_word_added_to_a_name_is_no_other_name(assistant_over, question):
    answer = assistant_over({"clinic.md": PEOPLE_AND_PLACES}).ask(question)
    assert not answer.abstained, answer.text


SEATS = """# Tickets

Category 1 seats are on the halfway line and cost £120.
Categories 2 and 3 are behind the goals and cost £80 and £50.

Cannabis is a Class B drug.

| Plan | Monthly | Annual | Joining fee |
| --- | --- | --- | --- |
| Adult | £30 | £300 | £10 |
| Student | £22 | n/a | £10 |
"""


def test_series_words_in_the_plural_and_yes_or_no_questions(assistant_over):
    assistant = assistant_over({"seats.md": SEATS})
    assert not assistant.ask("How much are Category 2 seats?").abstained  # "Categories 2 and 3"
    # Asked yes or no, the sentence that names another of the series is the answer.
    answer = assistant.ask("Is cannabis a Class A drug?")
    assert not answer.abstained and "Class B" in answer.text, answer.text
    # The column asked by a word of its own holds "n/a": not the joining fee.
    assert "£10" not in assistant.ask("How much is the annual student plan?").text.split("\n")[0]


HIRE_RATES = """# Hire rates

| Bike | 1 day | 2 to 6 days | 7 days |
| --- | --- | --- | --- |
| Electric cargo bike | £55 | £45 a day | £250 |

| Van | 1 or 2 days | 3 or 4 days | 5 or more days |
| --- | --- | --- | --- |
| Small van | £60 a day | £52 a day | £45 a day |

| Data | 12 months | 24 months |
| --- | --- | --- |
| Unlimited | £20 a month | £18 a month |
"""


@pytest.mark.parametrize(("question", "answer"), [
    ("How much is it to hire an electric cargo bike for 3 days?", "£45 a day"),  # "2 to 6 days" holds 3
    ("How much is a small van for 3 days?", "£52 a day"),  # "3 or 4 days"
    ("How much is unlimited data on a 24 month plan for the first 6 months?", "£18 a month"),
])
def test_a_count_held_by_a_range_or_a_list_of_columns_is_answered(assistant_over, question, answer):
    # A second code review's cases: the count column rule refused them.
    assert assistant_over({"hire.md": HIRE_RATES}).ask(question).text.startswith(answer)


PHONES = """# Phone numbers

For council tax questions, call 0300-123-4567, Monday to Friday.

The housing team is on 0300.123.4570.

To hear your voicemail messages, call 1571 from your home phone.

The Priority Services team is on 0800 1900 123.
"""


@pytest.mark.parametrize(("question", "number"), [
    ("What number do I call about council tax?", "0300-123-4567"),
    ("What is the housing team's phone number?", "0300.123.4570"),
    ("What number do I call to hear my voicemail?", "1571"),
])
def test_a_phone_number_with_dots_or_dashes_or_shaped_like_a_year(assistant_over, question, number):
    answer = assistant_over({"phones.md": PHONES}).ask(question)
    assert not answer.abstained and number in answer.text.split("\n")[0], answer.text
