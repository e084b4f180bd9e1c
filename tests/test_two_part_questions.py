"""Questions that ask two things at once: each part is searched for, and each part's sentence cited."""

from __future__ import annotations

import pytest

from assistant.questions import parts

COUNCIL = (
    "The council met on Tuesday to discuss the Riverside Flood Wall. "
    "Members heard that the wall will protect 340 homes on the east bank. "
    "The contract for the flood wall was awarded to Halden Civil Works for $4.1 million. "
    "The mayor thanked residents for their patience during the consultation. "
    "Construction is scheduled to begin in April 2025 and to last about ten months."
)
LIBRARY = (
    "The central library opens at 9 a.m. on weekdays. "
    "Work on the library's new reading room will start in September."
)


@pytest.mark.parametrize(("question", "expected"), [
    ("Who won the contract, and when will work start?", ["Who won the contract", "when will work start?"]),
    ("Who said so, and when?", ["Who said so", "when?"]),
    ("What does it cost and what do you get for it?", ["What does it cost", "what do you get for it?"]),
    ("Who is retiring and on what day does he leave?", ["Who is retiring", "on what day does he leave?"]),
    ("How many homes and businesses are protected?", ["How many homes and businesses are protected?"]),
    ("And when?", ["And when?"]),
    # A bare wh-word asks about what the next part asks about.
    ("Where and when was the study published?", ["Where was the study published?", "when was the study published?"]),
])
def test_a_question_is_split_where_a_second_question_begins(question, expected):
    assert parts(question) == expected


def test_each_part_of_a_two_part_question_is_cited_from_the_same_document(assistant_over):
    bot = assistant_over({"council.txt": COUNCIL, "library.txt": LIBRARY})
    answer = bot.ask("Which firm got the flood wall contract, and when will the work start?")
    cited = [c.sentence.text for c in answer.citations]
    assert not answer.abstained
    assert any("Halden Civil Works" in text for text in cited)
    # The start date comes from the council's minutes, not from the library's building work.
    assert any("April 2025" in text for text in cited)
    assert {c.sentence.doc for c in answer.citations} == {"council.txt"}


def test_a_one_part_question_cites_one_sentence(assistant_over):
    answer = assistant_over({"council.txt": COUNCIL, "library.txt": LIBRARY}).ask("Which firm got the flood wall contract?")
    assert [c.sentence.text for c in answer.citations] == [
        "The contract for the flood wall was awarded to Halden Civil Works for $4.1 million."]


def test_each_part_gets_its_own_short_answer(assistant_over):
    answer = assistant_over({"council.txt": COUNCIL, "library.txt": LIBRARY}).ask(
        "Which firm got the flood wall contract, and when will the work start?")
    lead = answer.text.split("\n\n")[0]
    assert "Halden Civil Works [" in lead and "April 2025 [" in lead


def test_three_parts_each_take_the_question_after_a_bare_wh_word():
    assert parts("Where and when and why did it happen?") == [
        "Where did it happen?", "when did it happen?", "why did it happen?"]


LEASE = (
    "Carver & Doyle Construction was hired to refit the unit before the tenant moves in. "
    "The tenant is Greenleaf Foods, a wholesale grocer. "
    "The rent review date is 1 July 2026. "
    "The deposit is equal to three months of rent. "
    "Requests are approved by your line manager. "
    "Approval usually takes 10 working days."
)


def test_a_part_the_first_sentence_matches_only_through_the_other_part_is_still_cited(assistant_over):
    answer = assistant_over({"lease.txt": LEASE}).ask("Who is the tenant, and what is the rent review date?")
    cited = [c.sentence.text for c in answer.citations]
    assert "The tenant is Greenleaf Foods, a wholesale grocer." in cited
    assert "The rent review date is 1 July 2026." in cited
    assert answer.text.startswith("Greenleaf Foods [")


def test_no_short_answer_when_a_part_has_none(assistant_over):
    answer = assistant_over({"lease.txt": LEASE}).ask("Who approves the request, and how long does it take?")
    # "line manager" is no name: "10 working days" alone would read as the answer to "who".
    assert not answer.text.startswith("10")
