import json

import pytest

from assistant.errors import InputError
from assistant.evaluation.evalset import gold_sentences, likely_typos, load_evalset, parse_evalset


def test_ragas_names_defaults_and_unknown_keys_kept():
    text = "\n".join([
        json.dumps({"user_input": "Q one?", "ground_truth": "A", "extra": 1}),
        "",
        json.dumps({"id": "x", "question": "Q two?", "answerable": False, "history": [{"role": "user", "content": "hi"}]}),
    ])
    first, second = parse_evalset(text)
    assert (first.id, first.question, first.reference, first.answerable, first.extra) == ("1", "Q one?", "A", True, {"extra": 1})
    assert second.id == "x" and not second.answerable and second.history[0]["content"] == "hi"


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{not json", "line 2: not valid JSON"),
        ('{"reference": "no question"}', 'line 2: missing "question"'),
        ('{"question": "  ", "reference": "x"}', 'line 2: "question" is empty or not text'),
        ('{"question": 42}', 'line 2: "question" is empty or not text'),
        ('{"question": "q", "reference_contexts": "one string"}', '"reference_contexts" must be a list'),
        ('{"question": "q", "history": [{"role": "bot", "content": "x"}]}', '"history" must be a list'),
        ('{"question": "q", "answerable": "yes"}', '"answerable" must be true or false'),
    ],
)
def test_malformed_line_names_its_number(line, message):
    with pytest.raises(InputError, match=message):
        parse_evalset('{"question": "fine"}\n' + line, "set.jsonl")


def test_empty_set_is_refused_with_what_to_write():
    with pytest.raises(InputError, match=r'has no questions; write one \{"question": \.\.\.\} object per line'):
        parse_evalset("\n\n", "empty.jsonl")


@pytest.mark.parametrize("text", ['[{"question": "a?"}, {"question": "b?"}]', '[\n  {"question": "a?"}\n]'])
def test_one_json_document_is_told_to_be_json_lines(text):
    with pytest.raises(InputError, match=r"set.json line 1: .*JSON Lines.*: write one"):
        parse_evalset(text, "set.json")


def test_gold_matched_by_overlap_not_boundaries(assistant):
    snapshot = assistant.store.snapshot()
    # ClapNQ-style: the gold spans two of our sentences (most of the second), with different spacing
    gold = ("Courts across China concluded nearly 320,000 IPR cases of various types last year, an increase "
            "of 41.6 percent over the previous year.   More than 5,600 criminal suspects involved in IPR infringement were")
    item = parse_evalset(json.dumps({"question": "q", "reference_contexts": [gold, "not in the report at all"]}))[0]
    ids, docs, missing = gold_sentences(item, snapshot)
    texts = sorted(snapshot.sentences[snapshot.by_id[i]].text[:20] for i in ids)
    assert texts == ["Courts across China ", "More than 5,600 crim"]
    assert docs == {"china-ipr-cooperation.txt"} and missing == 1


def test_a_misspelt_field_is_pointed_out_and_other_unknown_ones_are_not():
    items = parse_evalset('{"question": "Q?", "referance": "A", "source": "p. 3"}\n')
    assert likely_typos(items) == ['unknown field "referance" is ignored; did you mean "reference"?']
    assert items[0].reference == ""  # still ignored, as DESIGN.md says


def test_an_eval_set_is_named_by_its_label(tmp_path):
    path = tmp_path / "upload-8f3a" / "mine.jsonl"
    path.parent.mkdir()
    path.write_text('{"question": "Q?"}\nnot json\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"^mine.jsonl line 2: not valid JSON"):
        load_evalset(path, label=path.name)
    path.write_bytes("café".encode("latin-1"))
    with pytest.raises(InputError, match=r"^mine.jsonl: is not UTF-8 text"):
        load_evalset(path, label=path.name)
