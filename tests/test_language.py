"""A question in another language than the documents is told so, not answered from the words it
happens to share with them; English questions never pay for loading the language model, and names
from other languages in an English question are no other language."""

from __future__ import annotations

import pytest

from assistant import language
from assistant.language import other_language
from assistant.lexical import LexicalIndex

ENGLISH = ("The AW8 pump and the lido on Mill Lane have been part of life in Holme Cross for ninety years. It was opened in 1934 "
           "by the Mayor, and 3,200 people came on the first day. Admission was 4d for adults. The Blaenau "
           "Ffestiniog railway runs daily, and Plas Newydd tickets cost £12.")
FRENCH = ("La piscine de la rue du Moulin fait partie de la vie du quartier depuis quatre-vingt-dix ans. Elle a "
          "été ouverte en 1934 par le maire, et 3 200 personnes sont venues le premier jour.")


def knows(text: str):
    return LexicalIndex.from_texts([text]).knows


@pytest.mark.parametrize(("question", "said"), [
    ("Qui a ouvert la piscine ?", "French"),
    ("Wer hat das Freibad eröffnet?", "German"),
    ("¿Cuánto cuesta la entrada para un niño?", "Spanish"),
    ("Hoeveel mensen kwamen op de eerste dag?", "Dutch"),
    # A model number is written alike in every language, and the documents use it.
    ("Combien coûte la pompe AW8 ?", "French"),
    # Written without spaces, a question keeps its words beside a year (a review's case).
    ("2024年公司的总收入是多少？", "Chinese"),
    # The identifier splits this one between Wu Chinese (0.70) and Mandarin (0.30): Chinese either way.
    ("德语翻译每个字多少钱？", "Chinese"),
])
def test_a_question_in_another_language_is_named(question, said):
    assert other_language(question, knows(ENGLISH)) == said
    assert other_language(question, lambda word: False) == said  # an empty index too


@pytest.mark.parametrize("question", [
    "Who opened the lido?", "How many people came on the first day?", "Admission price?",
    "Jin Hai job title", "When did Hélène Dubois-Ångström die?", "And for DVDs?",
    "luis fonsi demi lovato - échame la culpa wikipedia",  # a search for a Spanish song, in English
    "Blaenau Ffestiniog railway", "Plas Newydd tickets", "Curriculum vitae", "Status quo?", "A4 A3 A5",
])
def test_an_english_question_is_english(question):
    assert other_language(question, knows(ENGLISH)) == ""


def test_a_question_in_another_language_with_the_documents_names_in_it_is_named():
    # The English names pull the identifier towards English (French at 0.69).
    uniform = "Castlegate blazers cost £32.00. The blazer and tie are compulsory for all years at Castlegate."
    assert other_language("Combien coûte un blazer pour Castlegate ?", knows(uniform)) == "French"
    assert other_language("How much is a blazer for Castlegate?", knows(uniform)) == ""
    # English keywords with a loanword or two have no French function words (a review's cases).
    pension = "We pay 5% of your qualifying earnings into the workplace pension, and you pay 3% from your salary."
    for question in ("Pension contributions employer percentage", "Pension contributions deduction",
                     "Hors d'oeuvres platter price", "Weihnachtsmarkt stall price?", "Pâtissier job requirements"):
        assert other_language(question, knows(pension)) == "", question


def test_documents_in_the_question_s_language_are_asked_in_it():
    assert other_language("Qui a ouvert la piscine ?", knows(FRENCH)) == ""


def test_an_english_question_does_not_load_the_identifier(monkeypatch):
    def refuse() -> None:
        raise AssertionError("the language model was loaded")

    monkeypatch.setattr(language, "_identifier", refuse)
    assert other_language("How many people came on the first day?", knows(ENGLISH)) == ""


def test_the_assistant_says_which_language_it_reads(assistant_over):
    assistant = assistant_over({"lido.txt": ENGLISH})
    answer = assistant.ask("Combien de personnes sont venues le premier jour ?")
    assert answer.abstained and answer.abstain_reason == "other_language" and not answer.citations
    assert answer.text == ("Not covered: the question looks like French, and most of its words are not in the "
                           "document; ask it in the language it is written in.")
    assert not assistant.ask("How many people came on the first day?").abstained
