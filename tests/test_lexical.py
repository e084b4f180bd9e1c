import bm25s
import numpy as np
import pytest

from assistant.lexical import LexicalIndex, content_terms, term_ids, tokenize

from .conftest import REPORT


def test_numbers_are_normalised_and_words_stemmed():
    assert tokenize("215,000 cases, up 41.6% and 50.1 percent") == ["215000", "case", "41.6", "50.1", "percent"]
    assert tokenize("The courts concluded") == ["court", "conclud"]


def test_an_acronym_s_plural_is_the_acronym():
    # The stemmer keeps the "s" of a word without vowels: "DVDs" did not match "DVD".
    assert tokenize("DVDs, CVs and GPs") == tokenize("a DVD, a CV and a GP") == ["dvd", "cv", "gp"]
    assert tokenize("BUS Bus bus") == ["bus", "bus", "bus"]  # capitals without a lower-case "s" stay


def test_content_terms_drop_question_words():
    assert content_terms("How many patents did China grant last year?") == ["patent", "china", "grant", "last", "year"]


def test_bm25_prefers_the_sentence_with_rare_terms():
    index = LexicalIndex.from_texts(["China handled cases.", "Jin Hai is deputy director.", "China and cases again."])
    scores = index.scores("Who is Jin Hai?")
    assert scores.argmax() == 1
    assert index.scores("zzz unknown").max() == 0.0
    assert index.idf("jin") > index.idf("china")
    assert index.document_frequency("china") == 2 and index.document_frequency("zzz") == 0


@pytest.mark.parametrize("query", ["How many IPR cases did Chinese courts conclude?",
                                   "customs customs cooperation with the European Union",
                                   "Who is Jin Hai?", "zzz nothing here"])
def test_scores_equal_bm25s_on_the_report(query):
    """The matrix is built here, but the scores must be bm25s's (Lucene BM25), empty rows included."""
    lines = REPORT.read_text(encoding="utf-8").splitlines() + ["", "the of and"]
    rows = [tokenize(line) for line in lines]
    reference = bm25s.BM25()
    reference.index([r or ["_empty_"] for r in rows], show_progress=False)
    terms = [t for t in tokenize(query) if t in reference.vocab_dict]
    expected = reference.get_scores(terms) if terms else np.zeros(len(rows))
    got = LexicalIndex.from_tokens(rows).scores(query)
    assert got.shape == (len(rows),)
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-6)
    assert (got > 0).any() == bool(terms)


def test_an_index_over_ids_from_a_shared_vocabulary_equals_one_built_from_tokens():
    """What a reload does: ids made for an earlier snapshot, in a vocabulary with extra terms."""
    vocabulary: dict[str, int] = {}
    term_ids(tokenize("obsolete words nobody uses now"), vocabulary)  # terms of a removed document
    texts = ["Alpha beta gamma.", "Beta again, beta.", "Delta."]
    ids = [term_ids(tokenize(t), vocabulary) for t in texts]
    rows = np.repeat(np.arange(3), [len(a) for a in ids])
    shared = LexicalIndex(rows, np.concatenate(ids), 3, vocabulary)
    fresh = LexicalIndex.from_texts(texts)
    for query in ("beta", "alpha delta", "obsolete"):
        assert list(shared.scores(query)) == list(fresh.scores(query))
    assert shared.document_frequency("obsolet") == 0
