"""How-to questions are answered by instructions: a verb first, after a lead-in at most."""

from __future__ import annotations

import dataclasses

import pytest

from assistant.instructions import asks_how_to, gives_instruction


@pytest.mark.parametrize(("text", "instruction"), [
    ("Refill the rinse aid dispenser and turn the dial up to 4.", True),
    ("1. Turn off the dishwasher and wait 20 minutes.", True),
    ("To clear a code after fixing the problem, press and hold Start/Pause for 3 seconds.", True),
    ("> **Warning:** Never run the dishwasher without the filter in place.", True),
    ("Defrost overnight in the fridge, then bake as in step 9.", True),
    ("Bring a towel and a padlock.", True),
    ("Back up your site folder, then run `pip install --upgrade pagewright`.", True),
    # Descriptions, labels and nouns that look like verbs.
    ("If a key symbol is showing, the child lock is on.", False),
    ("Doing this once a month will keep odours away.", False),
    ("Passengers from Thornleigh should use route 41.", False),
    ("Customer notice: timetable and route changes from Sunday", False),
    ("Time off must be approved by your line manager.", False),
    ("Support for Python 3.8 and 3.9 has been dropped.", False),
    ("CONTACT US", False),
    ("Route 14 will run directly along the A614.", False),
    ("Children under 12 need a parent to sign.", False),
])
def test_an_instruction_puts_its_verb_first(text, instruction):
    assert gives_instruction(text) is instruction


@pytest.mark.parametrize(("question", "how_to"), [
    ("How do I turn off the child lock?", True),
    ("My glasses come out cloudy. What should I do?", True),
    ("What's the best way to reheat a slice?", True),
    ("How do I know if the filter is blocked?", False),  # a sign answers it, not a step
    ("What steps did the council take?", False),
    ("How many steps are there?", False),
])
def test_a_how_to_question(question, how_to):
    assert asks_how_to(question) is how_to


MANUAL = (
    "Child lock\n"
    "\n"
    "The child lock stops children from starting or changing a programme.\n"
    "If a key symbol is showing, the child lock is on.\n"
    "To turn the child lock on or off, press and hold the Delay and Half Load buttons together for 3 seconds.\n"
)


def test_a_how_to_question_raises_the_instruction_over_a_description_sharing_its_words(assistant_over):
    assistant = assistant_over({"manual.txt": MANUAL})
    retriever = assistant.retriever
    plain = retriever.model_copy(update={"weights": dataclasses.replace(retriever.weights, instruction=0.0)})

    def lead(ranker, question):  # the instruction's score less the description's
        score = {h.sentence.text[:6]: h.score for h in ranker.search(question)}
        return score["To tur"] - score["If a k"]

    assert lead(retriever, "How do I turn off the child lock?") > lead(plain, "How do I turn off the child lock?") + 0.02
    # ... and only for a how-to question.
    assert lead(retriever, "Is the child lock on?") == pytest.approx(lead(plain, "Is the child lock on?"))
