"""Acronyms the documents spell out ("CFO" for "Chief Financial Officer")."""

from assistant.acronyms import expand, spelled_out

REPORT = ("Chief Executive Officer Ana Ruiz said sales grew. "
          "Chief Financial Officer Tom Berg will retire at the end of the year. "
          "The company opened an office in the United States and one in the EU.")


def test_initials_of_capitalised_phrases_are_found():
    found = spelled_out([REPORT, "The Bank of England raised rates."])
    assert found.phrases["CFO"] == "Chief Financial Officer"
    assert found.phrases["CEO"] == "Chief Executive Officer"
    assert found.phrases["BE"] == "Bank of England"  # the small words of a name are not initials
    assert "EU" in found.used and "CFO" not in found.used


def test_only_acronyms_the_documents_do_not_use_are_expanded():
    found = spelled_out([REPORT, "The AIDS programme of the Asian Infrastructure Development Society."])
    assert expand("Who is the CFO?", found) == "Who is the CFO (Chief Financial Officer)?"
    assert expand("What does NASA do?", found) == "What does NASA do?"  # nothing spells it out
    assert expand("Who is the Chief Financial Officer (CFO)?", found) == "Who is the Chief Financial Officer (CFO)?"
    assert expand("What is the AIDS programme?", found) == "What is the AIDS programme?"  # used as such


def test_ordinary_capitals_are_not_acronyms():
    found = spelled_out(["Ian Thomas runs the desk. Tom Olsen and Oliver King help. The United States office."])
    # Two letters spell too much ("IT" for Ian Thomas), a stop word is a word, and a question in
    # capitals has no acronyms to read.
    assert expand("Is the IT desk open?", found) == "Is the IT desk open?"
    assert expand("Is it OK to stay? Is the US office open?", found) == "Is it OK to stay? Is the US office open?"
    assert expand("HOW DO I GET TO THE DESK?", found) == "HOW DO I GET TO THE DESK?"


def test_a_question_with_an_acronym_finds_the_spelled_out_name(assistant_over):
    answer = assistant_over({"company.txt": REPORT}).ask("Who is the CFO?")
    assert not answer.abstained
    assert answer.citations[0].sentence.text.startswith("Chief Financial Officer Tom Berg")
    assert answer.text.startswith("Tom Berg [1].")
