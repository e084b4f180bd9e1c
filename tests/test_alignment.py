"""The question's worst-matched word, in context: what lowers confidence on near misses."""

import pytest

from assistant.alignment import weakest_word
from assistant.encoder import NumpyMiniLM

SENTENCE = "Law enforcement authorities handled 77,000 cases involving patent infringement last year."


@pytest.fixture(scope="module")
def encoder():
    return NumpyMiniLM()


def test_a_word_the_sentence_has_no_counterpart_for_scores_lower(encoder):
    answered = weakest_word("How many patent infringement cases did authorities handle?", SENTENCE, encoder)
    near_miss = weakest_word("How many patents did authorities grant to foreigners?", SENTENCE, encoder)
    assert answered > 0.6
    assert near_miss < answered - 0.15


def test_the_worst_word_decides_not_the_average(encoder):
    # One unmatched word in a question that otherwise repeats the sentence still pulls it down.
    whole = weakest_word("How many patent infringement cases did law enforcement authorities handle?",
                         SENTENCE, encoder)
    with_gap = weakest_word("How many patent infringement cases did law enforcement authorities handle in Tasmania?",
                            SENTENCE, encoder)
    assert with_gap < whole - 0.15


def test_a_question_of_only_function_words_has_nothing_unmatched(encoder):
    assert weakest_word("Who said that?", SENTENCE, encoder) == 1.0
    assert weakest_word("", SENTENCE, encoder) == 1.0


def test_an_empty_sentence_matches_nothing(encoder):
    assert weakest_word("How many patents?", "", encoder) == 0.0
