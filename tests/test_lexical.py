from assistant.lexical import LexicalIndex, content_terms, tokenize


def test_numbers_are_normalised_and_words_stemmed():
    assert tokenize("215,000 cases, up 41.6% and 50.1 percent") == ["215000", "case", "41.6", "50.1", "percent"]
    assert tokenize("The courts concluded") == ["court", "conclud"]


def test_content_terms_drop_question_words():
    assert content_terms("How many patents did China grant last year?") == ["patent", "china", "grant", "last", "year"]


def test_bm25_prefers_the_sentence_with_rare_terms():
    index = LexicalIndex(["China handled cases.", "Jin Hai is deputy director.", "China and cases again."])
    scores = index.scores("Who is Jin Hai?")
    assert scores.argmax() == 1
    assert index.scores("zzz unknown").max() == 0.0
    assert index.idf("jin") > index.idf("china")
