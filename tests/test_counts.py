"""What "How many ...?" counts, what a sentence's figures count, and refusing a count of another thing."""

from __future__ import annotations

import pytest

from assistant.counts import counted_thing, figure_things, uncounted


@pytest.mark.parametrize(("question", "thing"), [
    ("How many foreign companies filed IPR complaints in China last year?", "foreign companies"),
    ("How many patents did China grant last year?", "patents"),
    ("how many people were arrested?", "people"),
    ("How many fish larvae per square metre were counted?", "fish larvae per square metre"),
    # Not a thing counted here: a part of a whole, a number of times, a difference.
    ("How many of the volunteers are divers?", ""),
    ("How many times was it delayed?", ""),
    ("How many more visitors came?", ""),
    ("What did the council decide?", ""),
])
def test_what_a_question_counts(question, thing):
    assert counted_thing(question) == thing


@pytest.mark.parametrize(("text", "things"), [
    ("More than 5,600 criminal suspects involved in IPR infringement were arrested last year.",
     ["criminal suspects"]),
    ("Cooperative mechanisms cover more than 130 countries, with more than 190 agreements signed.",
     ["countries", "agreements"]),
    ("We've had 1,150 registered volunteers since 2021.", ["registered volunteers"]),
    # A figure that does not say what it counts; a year, a percentage and money are no counts.
    ("Visitor numbers rose to 5,210 in June 2025, up 12 percent, and takings to £4,000.", [""]),
    # A range is one count, of what follows its end.
    ("Simmer for 20 to 25 minutes.", ["minutes"]),
    ("It serves 4-6 people, or between 8 and 10 children.", ["people", "children"]),
    # Two figures that are no range keep their own: a change, an alternative.
    ("It rose from 5 to 7, then 9 cases.", ["", "", "cases"]),
    ("Hire costs 30 or 20 pounds.", ["", "pounds"]),
])
def test_what_a_sentences_figures_count(text, things):
    assert figure_things(text) == things


@pytest.fixture(scope="module")
def encode(embeddings):
    return embeddings.query_encoder.encode


def test_a_figure_of_another_thing_does_not_count_what_is_asked(encode):
    courts = "Courts concluded nearly 320,000 IPR cases of various types last year."
    assert uncounted("How many foreign companies filed IPR complaints last year?", [courts], encode) == "foreign companies"
    # Another word for the same thing, or a kind of it, counts it.
    assert uncounted("How many intellectual-property lawsuits were concluded?", [courts], encode) == ""
    arrests = "More than 5,600 criminal suspects involved in IPR infringement were arrested last year."
    assert uncounted("How many people were arrested?", [arrests], encode) == ""
    assert uncounted("How many calories are in a portion?", ["A portion has roughly 540 kcal."], encode) == ""
    # A word shared with what a figure counts is enough; so is a figure that does not say.
    assert uncounted("How many new drivers were hired?", ["It hired 310 drivers."], encode) == ""
    assert uncounted("How many companies filed?", ["The total rose to 5,210 in June."], encode) == ""
    # "20 to 25 minutes" counts minutes, at both ends.
    assert uncounted("How many calories are in a bowl?", ["Simmer for 20 to 25 minutes."], encode) == "calories"


def test_a_count_of_another_thing_is_refused(assistant_over):
    assistant = assistant_over({"courts.txt": "Courts across the country concluded nearly 320,000 IPR cases last "
                                "year, an increase of 41.6 percent. More than 5,600 criminal suspects were "
                                "arrested. Foreign companies praised the courts."})
    refused = assistant.ask("How many foreign companies filed IPR complaints last year?")
    assert refused.abstained and refused.abstain_reason == "no_answer_kind"
    assert 'give no count of "foreign companies"' in refused.text
    assert assistant.ask("How many people were arrested?").text.startswith("More than 5,600 [1]")
