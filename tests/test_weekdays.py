"""Days of the week in questions and sentences, and timetable lines for other days."""

from __future__ import annotations

import pytest

from assistant.weekdays import DAY_LINE, WEEK, asked_days, days_named, fits


@pytest.mark.parametrize(("text", "days"), [
    ("On Saturdays the first bus leaves at 06:30.", {5}),
    ("The first departure on Mondays to Fridays will be 05:50.", {0, 1, 2, 3, 4}),
    ("Mon–Fri 9am to 5pm; Sat 10am to 4pm", {0, 1, 2, 3, 4, 5}),
    ("Open between Friday and Monday.", {4, 5, 6, 0}),
    ("SATURDAY 14 JUNE", {5}),
    ("The last weekday departure is at 18:45.", {0, 1, 2, 3, 4}),
    ("Closed at weekends.", {5, 6}),
    ("Open daily from 9am.", set(WEEK)),
    # "sat" and "sun" in lower case are words, not days; short with a capital, only before a list,
    # a span or a time.
    ("We sat in the sun by the harbour.", set()),
    ("Sun loungers can be hired for £3 a day.", set()),
    ("Open Sat 10:00-16:00; Sun: closed", {5, 6}),
    # ... or before a table's next cell: a header names its days short.
    ("| Practice | Mon–Thu | Fri | Sat |", {0, 1, 2, 3, 4, 5}),
    ("Branch      Mon-Fri      Sat", {0, 1, 2, 3, 4, 5}),
    ("| Opening | Weekdays | Sat |", {0, 1, 2, 3, 4, 5}),
    # ... beside another day: alone, "| Sun |" may head a plant's sunlight (a reviewer's case).
    ("| Plant | Sun | Water | Price |", set()),
    # ... or heading a row of hours, one day to a row.
    ("| Sat | 10:00 to 16:00 |", {5}),
    ("| Sun | Closed |", {6}),
    ("Sun      9am-1pm", {6}),
])
def test_the_days_a_text_names(text, days):
    assert days_named(text) == days


def test_the_days_a_question_asks_about():
    assert asked_days("What time does the first 23 leave on a Sunday?") == {6}
    assert asked_days("When is the first bus on weekdays?") == {0, 1, 2, 3, 4}
    assert asked_days("Is it open every day?") == set()  # every day is no day in particular
    assert fits(frozenset({6}), "On Saturdays the first bus leaves at 06:30.") is False
    assert fits(frozenset({6}), "The Saturday and Sunday timetables are unchanged.") is True
    assert fits(frozenset({6}), "The first bus leaves at 06:30.") is None


TIMETABLE = ("Route 12 changes\n\n"
             "The first departure from the bus station on Mondays to Fridays will be 05:50. "
             "On Saturdays the first bus leaves at 06:30. "
             "The last weekday departure from the bus station will be 23:20. "
             "The Sunday timetable is unchanged.")


def test_a_timetable_line_for_the_day_asked_answers(assistant_over):
    assistant = assistant_over({"route12.txt": TIMETABLE})
    # The weekday line, not Saturday's, nor the last bus's.
    answer = assistant.ask("What time is the first number 12 on a weekday?")
    assert answer.text.startswith("05:50 [1]"), answer.text
    assert assistant.ask("What time is the first 12 on a Saturday?").text.startswith("06:30 [1]")
    # No line gives a Sunday time: "unchanged" gives none, and Saturday's is no Sunday's.
    sunday = assistant.ask("What time does the first 12 leave on a Sunday?")
    assert sunday.abstained and "Sunday" in sunday.text, sunday.text
    # A yes-or-no question is answered by the line that leaves the day out.
    assert not assistant.ask("Is there a 12 on Sunday?").abstained


FERRIES = """KERROW ISLAND FERRIES
Winter Timetable Notice 2025/26

This timetable applies from Monday 3 November 2025 on the route between Portskail and Kerrow Island.

Monday to Friday
Departures from Portskail: 07:15, 09:30, 12:00, 15:10, 17:45.
Departures from Kerrow Island: 08:05, 10:20, 13:00, 16:00, 18:35.

Saturday
Departures from Portskail: 08:30, 12:00, 16:30.
Departures from Kerrow Island: 09:20, 13:00, 17:20.

Sunday
Departures from Portskail: 10:00 and 15:30.
Departures from Kerrow Island: 11:00 and 16:20.
"""


def test_a_line_is_about_the_days_its_heading_names(assistant_over):
    assistant = assistant_over({"ferries.txt": FERRIES})
    # The lines name no day: their headings do. The weekday line answers, and of its list the first time.
    weekday = assistant.ask("What time's the first ferry out of Portskail on a weekday?")
    assert weekday.text.startswith("07:15 [1]"), weekday.text
    assert weekday.citations[0].sentence.text.startswith("Departures from Portskail: 07:15")
    saturday = assistant.ask("When does the last boat leave Kerrow Island on a Saturday?")
    assert saturday.text.startswith("17:20 [1]"), saturday.text


@pytest.mark.parametrize(("line", "heads"), [
    ("SATURDAY 14 JUNE", True),
    ("## Day 2 — Thursday 11 September", True),  # a programme's numbered day
    ("Day two: Sunday", True),
    ("Day 1 was busy on Monday", False),  # a sentence, not a day's heading
    ("Sunday service is reduced from 5 May", False),
])
def test_a_line_that_heads_a_day(line, heads):
    assert bool(DAY_LINE.match(line)) == heads
