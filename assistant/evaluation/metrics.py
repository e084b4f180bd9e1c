"""Metrics that need no LLM and no download: retrieval, citations, answers, abstention, latency.

Each function takes plain values (ids, strings, numbers) so it can be checked by hand.
"""

from __future__ import annotations

import math
import re
import string
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = [
    "hit_at", "recall_at", "reciprocal_rank", "ndcg_at", "set_prf", "normalize_answer", "token_f1",
    "exact_match", "percentile", "RiskPoint", "risk_coverage", "choose_threshold", "overlaps",
    "precision_if_any", "share", "sum_counts",
]


# -- retrieval --------------------------------------------------------------------------------
def hit_at(ranked: Sequence[str], gold: set[str], k: int) -> float:
    """1.0 when any gold id is among the first ``k`` ranked ids."""
    return 1.0 if gold and any(r in gold for r in ranked[:k]) else 0.0


def recall_at(ranked: Sequence[str], gold: set[str], k: int) -> float:
    """Share of the gold ids found among the first ``k``."""
    if not gold:
        return 0.0
    return len(gold & set(ranked[:k])) / len(gold)


def reciprocal_rank(ranked: Sequence[str], gold: set[str]) -> float:
    for i, r in enumerate(ranked, start=1):
        if r in gold:
            return 1.0 / i
    return 0.0


def ndcg_at(ranked: Sequence[str], gold: set[str], k: int) -> float:
    """Binary-relevance nDCG: gains discounted by log2(rank + 1), divided by the ideal ordering's."""
    if not gold:
        return 0.0
    dcg = sum(1.0 / math.log2(i + 1) for i, r in enumerate(ranked[:k], start=1) if r in gold)
    ideal = sum(1.0 / math.log2(i + 1) for i in range(1, min(len(gold), k) + 1))
    return dcg / ideal


# -- citations (HotpotQA supporting-fact scoring) -----------------------------------------------
def set_prf(predicted: set[str], gold: set[str]) -> tuple[float, float, float]:
    """Precision, recall and F1 of a predicted set against a gold set.

    Nothing predicted and nothing expected is perfect agreement (1, 1, 1); nothing predicted
    against a non-empty gold, or predictions against an empty gold, score 0.
    """
    if not predicted and not gold:
        return 1.0, 1.0, 1.0
    tp = len(predicted & gold)
    precision = tp / len(predicted) if predicted else 0.0
    recall = tp / len(gold) if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def precision_if_any(predicted: set[str], gold: set[str]) -> float | None:
    """Precision of the citations an answer vouches for; None when it vouches for none.

    ``set_prf`` scores an empty prediction 0, which is right for recall-style questions ("did it
    cite the evidence?") but not for "is what it shows as verified right?": an answer that shows
    nothing as verified has made no such claim. Its cost shows up elsewhere (the fallback rate,
    the share of claims verified, ``citation_recall``).
    """
    if not predicted:
        return None
    return len(predicted & gold) / len(predicted)


def overlaps(a_start: int, a_end: int, b_start: int, b_end: int) -> int:
    """Number of characters two half-open spans share."""
    return max(0, min(a_end, b_end) - max(a_start, b_start))


# -- answers (SQuAD) --------------------------------------------------------------------------
_ARTICLES = re.compile(r"\b(a|an|the)\b")
_PUNCTUATION = set(string.punctuation)


def normalize_answer(text: str) -> str:
    """SQuAD's normalisation: lower case, no punctuation, no articles, single spaces."""
    text = "".join(ch for ch in text.lower() if ch not in _PUNCTUATION)
    return " ".join(_ARTICLES.sub(" ", text).split())


def token_f1(prediction: str, reference: str) -> float:
    pred, ref = normalize_answer(prediction).split(), normalize_answer(reference).split()
    if not pred or not ref:
        return float(pred == ref)
    common = Counter(pred) & Counter(ref)
    same = sum(common.values())
    if same == 0:
        return 0.0
    precision, recall = same / len(pred), same / len(ref)
    return 2 * precision * recall / (precision + recall)


def exact_match(prediction: str, reference: str) -> float:
    return float(normalize_answer(prediction) == normalize_answer(reference))


# -- generated answers ------------------------------------------------------------------------
def share(flags: Sequence[bool]) -> float:
    """The share of true flags (claims verified, fallbacks among the questions sent to the model).

    NaN when there is nothing to count: no claims is not "0% verified", and an extractive run
    has no fallback rate at all.
    """
    return sum(map(bool, flags)) / len(flags) if flags else float("nan")


def sum_counts(counts: Sequence[dict[str, int]]) -> dict[str, int]:
    """Per-answer counts (e.g. dropped citation markers by reason) added up; keys missing from an
    answer count 0, and every key seen in any answer is in the result."""
    total: dict[str, int] = {}
    for one in counts:
        for key, value in one.items():
            total[key] = total.get(key, 0) + int(value)
    return total


# -- latency ----------------------------------------------------------------------------------
def percentile(values: Sequence[float], q: float) -> float:
    """Linear-interpolated percentile (numpy's default), ``q`` in 0..100; 0.0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q / 100.0
    lo, hi = math.floor(pos), math.ceil(pos)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


# -- abstention -------------------------------------------------------------------------------
@dataclass(frozen=True)
class RiskPoint:
    threshold: float
    answered: float
    """Share of answerable questions answered (1 - false-abstention rate)."""
    abstained_unanswerable: float
    """Share of unanswerable questions refused (abstention accuracy)."""
    coverage: float
    """Share of all questions answered."""
    risk: float
    """Share of answered questions answered wrongly: unanswerable ones, or answerable ones whose
    evidence missed the gold sentences."""


def risk_coverage(confidences: Sequence[float], answerable: Sequence[bool], correct: Sequence[bool],
                  thresholds: Sequence[float] | None = None) -> list[RiskPoint]:
    """The curve traced by answering exactly the questions whose confidence reaches a threshold.

    A negative confidence marks a question refused at every threshold (0 and up).
    """
    if thresholds is None:
        thresholds = sorted({0.0, *(round(c, 4) for c in confidences if c >= 0), 1.01})
    n_ans = sum(answerable) or 1
    n_un = (len(answerable) - sum(answerable)) or 1
    points = []
    for t in thresholds:
        answered = [c >= t for c in confidences]
        ans_ok = sum(1 for a, y in zip(answered, answerable) if a and y)
        un_refused = sum(1 for a, y in zip(answered, answerable) if not a and not y)
        n_answered = sum(answered)
        wrong = sum(1 for a, y, ok in zip(answered, answerable, correct) if a and (not y or not ok))
        points.append(RiskPoint(
            threshold=float(t),
            answered=ans_ok / n_ans,
            abstained_unanswerable=un_refused / n_un,
            coverage=n_answered / len(confidences) if confidences else 0.0,
            risk=wrong / n_answered if n_answered else 0.0,
        ))
    return points


def choose_threshold(points: Sequence[RiskPoint], min_answered: float) -> RiskPoint | None:
    """The point refusing most unanswerable questions while answering at least ``min_answered``."""
    eligible = [p for p in points if p.answered >= min_answered]
    if not eligible:
        return None
    return max(eligible, key=lambda p: (p.abstained_unanswerable, -p.threshold))


def threshold_range(points: Sequence[RiskPoint], min_answered: float) -> tuple[float, float] | None:
    """The lowest and highest thresholds that refuse as many unanswerable questions as the chosen one
    (``choose_threshold``) while answering at least ``min_answered``: the lowest alone reads as
    "turn the threshold off" when the rules refuse all that any threshold could."""
    best = choose_threshold(points, min_answered)
    if best is None:
        return None
    same = [p.threshold for p in points
            if p.answered >= min_answered and p.abstained_unanswerable == best.abstained_unanswerable]
    return min(same), max(same)
