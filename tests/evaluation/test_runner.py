"""The generative figures of an eval run (citation precision of what is shown as verified, claims
verified, fallbacks, dropped markers) from answers written by hand, so each figure can be checked."""

import json
import math
from typing import Any

import pytest

from assistant.errors import InputError
from assistant.evaluation.evalset import EvalItem
from assistant.evaluation.runner import check_gates, format_summary, parse_gates, score_item, summarize, write_results

TEXTS = {"doc": "Alpha one. Beta two. Gamma three. Delta four."}
SPANS = {"s1": (0, 10), "s2": (11, 20), "s3": (21, 33), "s4": (34, 45)}


def citation(sentence_id: str, verified: bool = True) -> dict[str, Any]:
    start, end = SPANS[sentence_id]
    return {"sentence_id": sentence_id, "doc": "doc", "start": start, "end": end, "text": TEXTS["doc"][start:end],
            "verified": verified}


def answer(mode: str, cited: list[str], claims: list[bool] | None = None, *, abstained: bool = False,
           generation: dict[str, Any] | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "answer": "text", "abstained": abstained, "citations": [citation(c) for c in cited],
        "retrieved": [{"sentence_id": s, "doc": "doc"} for s in SPANS], "confidence": 0.5, "latency_ms": 1.0,
        "mode": mode, "claims": [{"text": "c", "citations": [1], "supported": ok, "reason": ""} for ok in claims or []],
    }
    if generation is not None:
        out["generation"] = generation
    return out


def row(item: EvalItem, answer_json: dict[str, Any], gold: set[str]) -> dict[str, Any]:
    return {**answer_json, "answerable": item.answerable,
            "metrics": score_item(item, answer_json, gold, {"doc"}, TEXTS)}


ASKED = {"backend": "smollm2", "dropped_markers": {"zero": 0, "out_of_range": 0, "malformed": 0}}


def test_generative_figures_by_hand():
    q = EvalItem("q", "question?", answerable=True)
    never = EvalItem("u", "unanswerable?", answerable=False)
    rows = [
        # generated, two claims verified, citing s1 (gold) and s2 (not): precision 1/2
        row(q, answer("smollm2", ["s1", "s2"], [True, True, False],
                      generation={**ASKED, "dropped_markers": {"zero": 1, "out_of_range": 0, "malformed": 2}}), {"s1"}),
        # generated, one claim verified citing the gold sentence: precision 1
        row(q, answer("smollm2", ["s3"], [True], generation=ASKED), {"s3"}),
        # fell back: the extractive quote (s4, gold) is shown as verified, the model's claims are not
        row(q, answer("extractive", ["s4"], [False, False],
                      generation={**ASKED, "dropped_markers": {"zero": 0, "out_of_range": 3, "malformed": 0}}), {"s4"}),
        # extractive abstained, the model was not asked: nothing shown, no precision, not a fallback
        row(q, answer("extractive", [], abstained=True, generation={"backend": "smollm2", "skipped": "..."}), {"s1"}),
        # unanswerable, generated and verified: no gold to score precision against
        row(never, answer("smollm2", ["s2"], [True], generation=ASKED), set()),
    ]
    metrics = [r["metrics"] for r in rows]
    assert [x.get("verified_citation_precision") for x in metrics] == [0.5, 1.0, 1.0, None, None]
    assert [x.get("generated_citation_precision") for x in metrics] == [0.5, 1.0, None, None, None]
    assert [x.get("fallback") for x in metrics] == [0.0, 0.0, 1.0, None, 0.0]

    run = summarize(rows)
    assert run.summary["verified_citation_precision"] == pytest.approx(2.5 / 3)
    assert run.summary["generated_citation_precision"] == pytest.approx(0.75)
    assert run.summary["claims_verified"] == pytest.approx(4 / 7)  # over all claims, not per answer
    assert run.summary["fallback_rate"] == pytest.approx(1 / 4)  # of the four questions the model was asked
    assert {k: v for k, v in run.counts.items() if k not in {"questions", "answerable", "unanswerable",
                                                             "gold_not_found"}} == {
        "llm_asked": 4, "fallbacks": 1, "claims": 7, "claims_supported": 4, "dropped_markers": 6,
        "dropped_markers_zero": 1, "dropped_markers_out_of_range": 3, "dropped_markers_malformed": 2}
    assert ("model asked 4 times (1 fell back to extractive); 4 of 7 claims verified; dropped citation markers: "
            "6 (1 [0], 3 out of range, 2 malformed)") in format_summary(run)


def test_an_extractive_run_has_no_generative_figures():
    q = EvalItem("q", "question?", answerable=True)
    rows = [row(q, answer("extractive", ["s1", "s2"]), {"s1"}), row(q, answer("extractive", [], abstained=True), {"s1"})]
    run = summarize(rows)
    # what is shown as verified: the cited quotes of the one answer that shows any
    assert run.summary["verified_citation_precision"] == 0.5
    assert run.summary["citation_precision"] == 0.25  # the abstention counts 0 here
    for name in ("generated_citation_precision", "claims_verified", "fallback_rate"):
        assert math.isnan(run.summary[name])
    assert "llm_asked" not in run.counts and "model asked" not in format_summary(run)


def test_json_output_has_null_where_there_is_nothing_to_count(tmp_path):
    """JSON has no NaN: the summary and the result lines must parse in strict readers (jq, browsers)."""
    q = EvalItem("q", "question?", answerable=True)
    run = summarize([row(q, answer("extractive", ["s1"]), {"s1"})])
    summary = json.loads(json.dumps(run.to_json(), allow_nan=False))["summary"]
    assert summary["claims_verified"] is None and summary["citation_precision"] == 1.0
    run.rows[0]["metrics"]["odd"] = float("nan")
    write_results(run, tmp_path / "out" / "results.jsonl")
    line = json.loads((tmp_path / "out" / "results.jsonl").read_text(), parse_constant=lambda c: pytest.fail(c))
    assert line["metrics"]["odd"] is None and line["citations"][0]["sentence_id"] == "s1"


def test_a_refusal_that_holds_at_any_threshold_is_a_refusal_all_along_the_curve():
    """A question for a figure the text lacks is refused at confidence 0.7: lowering the threshold
    would not answer it, so the risk-coverage curve must not count it as answered anywhere."""
    never = EvalItem("u", "unanswerable?", answerable=False)
    low = {**answer("extractive", [], abstained=True), "confidence": 0.2, "abstain_reason": "low_confidence"}
    kind = {**answer("extractive", [], abstained=True), "confidence": 0.7, "abstain_reason": "no_answer_kind"}
    rows = [row(never, low, set()), row(never, kind, set())]
    assert "refused_at_any_threshold" not in rows[0]["metrics"]
    assert rows[1]["metrics"]["refused_at_any_threshold"] == 1.0
    by_threshold = {p.threshold: p.abstained_unanswerable for p in summarize(rows).curve}
    # The low-confidence one is answered up to its confidence; the other is refused at every threshold.
    assert by_threshold == {0.0: 0.5, 0.2: 0.5, 1.01: 1.0}


def test_answer_f1_scores_the_short_answer_not_the_quote_under_it():
    q = EvalItem("q", "How many?", answerable=True, reference="Nearly 320,000.")
    quoted = {**answer("extractive", ["s1"]), "answer": "Nearly 320,000 [1].\n\nCourts concluded nearly 320,000 cases [1]."}
    metrics = row(q, quoted, {"s1"})["metrics"]
    assert metrics["answer_em"] == 1.0 and metrics["answer_f1"] == 1.0
    # A generated answer is prose: all of it is the answer, paragraphs and all.
    prose = {**answer("smollm2", ["s1"]), "answer": "Nearly 320,000 [1].\n\nThat is a record [1]."}
    metrics = row(q, prose, {"s1"})["metrics"]
    assert metrics["answer_em"] == 0.0 and metrics["answer_f1"] == pytest.approx(2 * (2 / 5) / (2 / 5 + 1))  # 2 of 5 words, both of the 2


def test_a_gate_on_a_metric_no_question_measured_says_so():
    summary = {"hit@1": 0.9, "claims_verified": math.nan, "answer_f1": math.nan}
    assert check_gates(summary, [("hit@1", 0.8)]) == []
    assert check_gates(summary, [("hit@1", 0.95)]) == ["gate failed: hit@1 = 0.9000 is below 0.95"]
    assert check_gates(summary, [("claims_verified", 0.5), ("answer_f1", 0.1)]) == [
        "gate failed: claims_verified has no value in this run (no question measured it; it needs --llm)",
        "gate failed: answer_f1 has no value in this run (no question measured it; check the eval set)"]


def test_the_summary_names_the_questions_whose_gold_was_not_found():
    q = EvalItem("q", "question?", answerable=True)
    rows = []
    for n in range(7):
        r = row(q, answer("extractive", ["s1"]), {"s1"})
        r["id"], r["metrics"]["gold_missing"] = f"q{n}", n % 2  # q1, q3, q5 lack one each
        rows.append(r)
    assert "3 gold sentences not found in the documents (of q1, q3, q5)" in format_summary(summarize(rows))
    for r in rows:
        r["metrics"]["gold_missing"] = 1
    assert "(of q0, q1, q2, q3, q4 and 2 more)" in format_summary(summarize(rows))
    for r in rows:
        r["metrics"]["gold_missing"] = 0
    assert "0 gold sentences not found in the documents\n" in format_summary(summarize(rows)) + "\n"


def test_the_summary_says_which_answerable_questions_have_no_gold_sentences():
    # They were left out of hit@1 and citation F1 without a word: 5 answerable, 2 with gold, hit@1 1.0.
    rows = []
    for n in range(7):
        r = row(EvalItem("q", "question?", answerable=True), answer("extractive", ["s1"]), {"s1"})
        r["id"], r["answerable"], r["reference_contexts"] = f"q{n}", n != 6, ["Alpha one."] if n < 2 else []
        rows.append(r)
    assert ("4 answerable questions without reference_contexts (q2, q3, q4, q5): left out of the retrieval and "
            "citation metrics") in format_summary(summarize(rows))
    for r in rows:
        r["reference_contexts"] = ["Alpha one."]
    assert "without reference_contexts" not in format_summary(summarize(rows))


def test_a_set_run_against_another_index_is_told_so():
    q = EvalItem("q", "question?", answerable=True)
    rows = []
    for n in range(4):
        refused = {**answer("extractive", [], abstained=True), "abstain_reason": "unknown_name"}  # whatever the threshold
        r = row(q, refused, {"s1"})
        r["reference_contexts"], r["metrics"]["gold_missing"] = ["Alpha one."], int(n > 0)
        rows.append(r)
    summary = format_summary(summarize(rows))
    assert "most gold sentences are not in the indexed documents: is --index-dir the index of this set's" in summary
    # No threshold answers 95% of questions that are all refused: said, not printed as "nan".
    threshold = next(line for line in summary.splitlines() if line.startswith("threshold"))
    assert threshold.startswith("threshold: none answers >= 95% of the answerable questions")
    rows[1]["metrics"]["gold_missing"] = 0
    assert "most gold sentences" not in format_summary(summarize(rows))  # two of four found


@pytest.mark.parametrize(("spec", "said"), [
    ("hit@1", "--min hit@1: no value; write METRIC=VALUE, e.g. hit@1=0.9"),
    ("hit@1=abc", "--min hit@1=abc: 'abc' is not a number; write METRIC=VALUE, e.g. hit@1=0.9"),
    ("hitat1=0.5", "--min hitat1=0.5: unknown metric 'hitat1'; choose from"),
    # A gate no run passes, or every run passes, is refused before the run.
    ("hit@1=1.5", "--min hit@1=1.5: hit@1 is a share from 0 to 1; write e.g. hit@1=0.9"),
    ("false_abstention=-1", "--min false_abstention=-1: false_abstention is a share from 0 to 1"),
    ("hit@1=nan", "--min hit@1=nan: hit@1 is a share from 0 to 1"),
    ("latency_p50_ms=0", "--min latency_p50_ms=0: a latency gate is a number of milliseconds above 0"),
])
def test_a_gate_written_wrong_says_how_to_write_it(spec, said):
    with pytest.raises(InputError) as raised:
        parse_gates([spec])
    assert str(raised.value).startswith(said)


def test_a_set_without_unanswerable_questions_chooses_no_threshold():
    # "0.0000 (any from 0.0000 to 0.4125 does as well)" said nothing: there was nothing to refuse.
    rows = [row(EvalItem("q", "question?", answerable=True), answer("extractive", ["s1"]), {"s1"})]
    summary = format_summary(summarize(rows))
    assert "threshold: not chosen, the set has no unanswerable question" in summary
    assert "threshold refusing" not in summary
    rows.append(row(EvalItem("u", "question?", answerable=False), answer("extractive", [], abstained=True), set()))
    assert "threshold refusing most unanswerable" in format_summary(summarize(rows))
