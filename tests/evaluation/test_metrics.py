"""Each metric against a case computed by hand, including the empty and degenerate ones."""

import math

import pytest

from assistant.evaluation import metrics as m

RANKED = ["a", "b", "c", "d", "e"]


def test_hit_recall_rr():
    assert m.hit_at(RANKED, {"c"}, 1) == 0.0
    assert m.hit_at(RANKED, {"c"}, 3) == 1.0
    assert m.hit_at(RANKED, set(), 5) == 0.0
    assert m.recall_at(RANKED, {"a", "e", "z"}, 5) == pytest.approx(2 / 3)
    assert m.recall_at(RANKED, set(), 5) == 0.0
    assert m.reciprocal_rank(RANKED, {"c", "d"}) == pytest.approx(1 / 3)
    assert m.reciprocal_rank(RANKED, {"z"}) == 0.0
    assert m.reciprocal_rank([], {"a"}) == 0.0


def test_ndcg_by_hand():
    # gold at ranks 2 and 4; ideal puts them at 1 and 2
    dcg = 1 / math.log2(3) + 1 / math.log2(5)
    ideal = 1 / math.log2(2) + 1 / math.log2(3)
    assert m.ndcg_at(RANKED, {"b", "d"}, 5) == pytest.approx(dcg / ideal)
    assert m.ndcg_at(RANKED, {"a"}, 5) == 1.0
    assert m.ndcg_at(RANKED, {"z"}, 5) == 0.0
    assert m.ndcg_at(RANKED, set(), 5) == 0.0


def test_citation_prf():
    assert m.set_prf({"a", "b"}, {"b", "c", "d"}) == pytest.approx((0.5, 1 / 3, 0.4))
    assert m.set_prf(set(), set()) == (1.0, 1.0, 1.0)
    assert m.set_prf(set(), {"a"}) == (0.0, 0.0, 0.0)
    assert m.set_prf({"a"}, set()) == (0.0, 0.0, 0.0)
    assert m.set_prf({"x"}, {"y"}) == (0.0, 0.0, 0.0)


def test_squad_normalisation_f1_and_em():
    assert m.normalize_answer("The  Nearly 320,000 cases!") == "nearly 320000 cases"
    assert m.exact_match("the Cases.", "cases") == 1.0
    assert m.token_f1("nearly 320,000 IPR cases", "Nearly 320,000.") == pytest.approx(2 * 0.5 * 1 / 1.5)
    assert m.token_f1("", "") == 1.0
    assert m.token_f1("", "something") == 0.0
    assert m.token_f1("alpha", "beta") == 0.0


def test_percentile_like_numpy():
    assert m.percentile([], 50) == 0.0
    assert m.percentile([5.0], 95) == 5.0
    assert m.percentile([1, 2, 3, 4], 50) == 2.5
    assert m.percentile([10, 20, 30, 40, 50], 95) == pytest.approx(48.0)


def test_risk_coverage_and_threshold_choice():
    confidences = [0.9, 0.8, 0.3, 0.6, 0.2]
    answerable = [True, True, True, False, False]
    correct = [True, False, True, False, False]
    points = {p.threshold: p for p in m.risk_coverage(confidences, answerable, correct, thresholds=[0.0, 0.5, 0.7])}
    assert points[0.0].answered == 1.0 and points[0.0].abstained_unanswerable == 0.0
    assert points[0.0].coverage == 1.0 and points[0.0].risk == pytest.approx(3 / 5)
    # at 0.5: answers 0.9, 0.8 and 0.6 -> two answerable of three, refuses one unanswerable of two
    assert points[0.5].answered == pytest.approx(2 / 3) and points[0.5].abstained_unanswerable == 0.5
    assert points[0.5].risk == pytest.approx(2 / 3)
    assert points[0.7].abstained_unanswerable == 1.0
    chosen = m.choose_threshold(list(points.values()), min_answered=0.6)
    assert chosen.threshold == 0.7
    assert m.choose_threshold(list(points.values()), min_answered=1.01) is None
    assert m.risk_coverage([], [], []) != []


def test_the_thresholds_that_do_as_well_as_the_chosen_one():
    # Two unanswerable questions refused by rules at every threshold (-1), three answerable ones.
    confidences = [-1.0, -1.0, 0.4, 0.5, 0.9]
    answerable = [False, False, True, True, True]
    points = m.risk_coverage(confidences, answerable, [False, False, True, True, True], thresholds=[0.0, 0.2, 0.45, 0.6])
    # 0.0 and 0.2 answer all three and refuse both; 0.45 answers 2 of 3 (below 0.95); so does 0.6
    assert m.choose_threshold(points, 0.95).threshold == 0.0
    assert m.threshold_range(points, 0.95) == (0.0, 0.2)
    assert m.threshold_range(points, 1.01) is None


def test_precision_of_what_is_shown_as_verified():
    assert m.precision_if_any({"a", "b", "c", "d"}, {"b", "d", "z"}) == 0.5
    assert m.precision_if_any({"a"}, {"a"}) == 1.0
    assert m.precision_if_any({"x"}, {"y"}) == 0.0
    assert m.precision_if_any({"x"}, set()) == 0.0  # vouching for a sentence when none answers is wrong
    # nothing shown as verified is no claim to be wrong about: undefined, not 0 (set_prf says 0)
    assert m.precision_if_any(set(), {"a"}) is None
    assert m.precision_if_any(set(), set()) is None


def test_share_of_flags():
    assert m.share([True, False, False, True, True]) == 0.6
    assert m.share([False]) == 0.0
    assert m.share([1, 0, 0, 0]) == 0.25  # type: ignore[list-item]
    assert math.isnan(m.share([]))  # nothing to count is not 0%


def test_counts_are_summed_by_key():
    assert m.sum_counts([{"zero": 1, "malformed": 0}, {"zero": 2, "out_of_range": 3}, {}]) == {
        "zero": 3, "malformed": 0, "out_of_range": 3}
    assert m.sum_counts([]) == {}
    assert m.sum_counts([{}, {}]) == {}
