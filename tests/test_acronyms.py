"""Acronyms the documents spell out ("CFO" for "Chief Financial Officer")."""

from assistant.acronyms import expand, spelled_out
from assistant.chain import Assistant

REPORT = ("Chief Executive Officer Ana Ruiz said sales grew. "
          "Chief Financial Officer Tom Berg will retire at the end of the year. "
          "The company opened an office in the United States and one in the EU.")


def test_initials_of_capitalised_phrases_are_found():
    phrases = spelled_out([REPORT, "The Bank of England raised rates."])
    assert phrases["CFO"] == "Chief Financial Officer"
    assert phrases["CEO"] == "Chief Executive Officer"
    assert phrases["US"] == "United States"
    assert phrases["BE"] == "Bank of England"  # the small words of a name are not initials


def test_only_acronyms_the_documents_do_not_use_are_expanded():
    phrases = spelled_out([REPORT])
    assert expand("Who is the CFO?", phrases, {}) == "Who is the CFO (Chief Financial Officer)?"
    assert expand("Who is the CFO?", phrases, {}, keep=False) == "Who is the Chief Financial Officer?"
    assert expand("Is the EU a market?", phrases, {"eu": 1}) == "Is the EU a market?"  # used as such
    assert expand("What does NASA do?", phrases, {}) == "What does NASA do?"  # nothing spells it out
    assert expand("Who is the Chief Financial Officer (CFO)?", phrases, {}) == "Who is the Chief Financial Officer (CFO)?"


def test_a_question_with_an_acronym_finds_the_spelled_out_name(index_text):
    store = index_text("company.txt", REPORT)
    answer = Assistant(store.settings, store=store).ask("Who is the CFO?")
    assert not answer.abstained
    assert answer.citations[0].sentence.text.startswith("Chief Financial Officer Tom Berg")
    assert answer.text.startswith("Tom Berg [1].")
