"""Run an eval set through the same chain as ``assistant ask`` and score every answer."""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..answers import THRESHOLD_FREE_REASONS
from ..chain import Assistant
from ..errors import InputError
from ..settings import Settings
from . import metrics as m
from .evalset import EvalItem, gold_sentences, likely_typos, load_evalset

__all__ = ["EvalRun", "run_eval", "run_cli", "check_gates", "METRICS"]

K = 5  # the cut-off of recall@k and nDCG@k
_GENERATIVE = frozenset({"generated_citation_precision", "claims_verified", "fallback_rate"})
"""Metrics of the model's answers: measured only with an LLM backend (``--llm``)."""

# name -> (description, higher is better)
METRICS: dict[str, tuple[str, bool]] = {
    "hit@1": ("a gold sentence is ranked first", True),
    "hit@3": ("a gold sentence is in the top 3", True),
    "hit@5": ("a gold sentence is in the top 5", True),
    "recall@5": ("share of gold sentences in the top 5", True),
    "mrr": ("mean reciprocal rank of the first gold sentence", True),
    "ndcg@5": ("nDCG@5 with binary relevance", True),
    "doc_hit@1": ("the first sentence is from a gold document", True),
    "citation_precision": ("cited sentences that are gold", True),
    "citation_recall": ("gold sentences that are cited", True),
    "citation_f1": ("F1 of cited vs gold sentences (HotpotQA)", True),
    "citations_verified": ("citations whose text re-checks exactly against the source", True),
    "verified_citation_precision": ("citations shown as verified that are gold (answers showing any)", True),
    "generated_citation_precision": ("citations of the model's supported claims that are gold", True),
    "claims_verified": ("share of the model's sentences that their citations support", True),
    "fallback_rate": ("questions sent to the model answered extractively instead", False),
    "answer_f1": ("token F1 of the short answer vs the reference (SQuAD)", True),
    "answer_em": ("exact match of the short answer vs the reference (SQuAD)", True),
    "abstention_accuracy": ("unanswerable questions refused", True),
    "false_abstention": ("answerable questions refused", False),
    "latency_p50_ms": ("median time per question", False),
    "latency_p95_ms": ("95th percentile time per question", False),
}


@dataclass
class EvalRun:
    rows: list[dict[str, Any]]
    summary: dict[str, float]
    curve: list[m.RiskPoint]
    counts: dict[str, int] = field(default_factory=dict)
    threshold: float = 0.0
    min_answered: float = 0.95
    """The share of answerable questions the chosen threshold must answer."""

    @property
    def threshold_range(self) -> tuple[float, float] | None:
        """The thresholds that do as well as ``threshold`` (``metrics.threshold_range``)."""
        return m.threshold_range(self.curve, self.min_answered)

    def to_json(self) -> dict[str, Any]:
        return json_safe({"summary": self.summary, "counts": self.counts, "threshold": self.threshold,
                          "threshold_range": self.threshold_range, "min_answered": self.min_answered,
                          "risk_coverage": [p.__dict__ for p in self.curve]})


def json_safe(value: Any) -> Any:
    """``value`` with NaN ("nothing to count") as null: JSON has no NaN, and jq or a browser
    rejects the bare ``NaN`` that Python's json module would write."""
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, dict):
        return {k: json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(v) for v in value]
    return value


def _mean(values: Sequence[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def _strip_markers(text: str) -> str:
    return re.sub(r"\s*\[\d+\]", "", text)


def short_answer(answer_json: dict[str, Any]) -> str:
    """What answers the question: an extractive answer's lead ("Nearly 320,000 [1].") when it has
    one, not the sentences quoted under it (they are scored as citations); else the whole text."""
    text = answer_json["answer"]
    lead, _, rest = text.partition("\n\n")
    return lead if rest and answer_json.get("mode", "extractive") == "extractive" else text


def score_item(item: EvalItem, answer_json: dict[str, Any], gold: set[str], gold_docs: set[str],
               texts: dict[str, str]) -> dict[str, float]:
    ranked = [r["sentence_id"] for r in answer_json["retrieved"]]
    cited = {c["sentence_id"] for c in answer_json["citations"]}
    verified = [texts.get(c["doc"], "")[c["start"]:c["end"]] == c["text"] for c in answer_json["citations"]]
    out: dict[str, float] = {"abstained": float(answer_json["abstained"]), "latency_ms": answer_json["latency_ms"],
                             "confidence": answer_json.get("confidence", 0.0)}
    if answer_json.get("abstain_reason") in THRESHOLD_FREE_REASONS:
        out["refused_at_any_threshold"] = 1.0
    if verified:
        out["citations_verified"] = _mean([float(v) for v in verified])
    if item.answerable and gold:
        out.update({
            "hit@1": m.hit_at(ranked, gold, 1), "hit@3": m.hit_at(ranked, gold, 3), "hit@5": m.hit_at(ranked, gold, 5),
            "recall@5": m.recall_at(ranked, gold, K), "mrr": m.reciprocal_rank(ranked, gold),
            "ndcg@5": m.ndcg_at(ranked, gold, K),
            "doc_hit@1": float(bool(answer_json["retrieved"]) and answer_json["retrieved"][0]["doc"] in gold_docs),
        })
        p, r, f = m.set_prf(cited, gold)
        out.update({"citation_precision": p, "citation_recall": r, "citation_f1": f})
    out.update(_generation_scores(item, answer_json, gold))
    if item.answerable and item.reference:
        answer = "" if answer_json["abstained"] else _strip_markers(short_answer(answer_json))
        out.update({"answer_f1": m.token_f1(answer, item.reference), "answer_em": m.exact_match(answer, item.reference)})
    return out


def _generation_scores(item: EvalItem, answer_json: dict[str, Any], gold: set[str]) -> dict[str, float]:
    """What the answer shows as verified, and how the model's attempt went (nothing for extractive runs).

    "Shown as verified": an extractive answer's (or a fallback's) re-checked citations; a generated
    answer lists only the citations of the claims its cited sentences support, so all of them.
    """
    out: dict[str, float] = {}
    shown = {c["sentence_id"] for c in answer_json["citations"] if c.get("verified")}
    precision = m.precision_if_any(shown, gold) if item.answerable and gold else None
    if precision is not None:
        out["verified_citation_precision"] = precision
    generation = answer_json.get("generation")
    if not generation or "skipped" in generation:
        return out  # extractive mode, or the model was not asked (the documents do not cover the question)
    generated = answer_json["mode"] != "extractive"
    if generated and precision is not None:
        out["generated_citation_precision"] = precision
    claims = answer_json.get("claims", [])
    out.update({"llm_asked": 1.0, "fallback": float(not generated), "claims": float(len(claims)),
                "claims_supported": float(sum(bool(c["supported"]) for c in claims))})
    for reason, count in generation.get("dropped_markers", {}).items():
        out[f"dropped_markers_{reason}"] = float(count)
    return out


def run_eval(assistant: Assistant, items: Sequence[EvalItem],
             progress: Callable[[int, int], None] | None = None, min_answered: float = 0.95) -> EvalRun:
    snapshot = assistant.store.snapshot()
    assistant.warm_up()
    rows: list[dict[str, Any]] = []
    for i, item in enumerate(items):
        gold, gold_docs, missing = gold_sentences(item, snapshot)
        answer = assistant.ask(item.question, list(item.history))
        row = answer.to_json(id=item.id)
        row["answerable"] = item.answerable
        row["reference"] = item.reference
        row["reference_contexts"] = list(item.reference_contexts)
        row["gold_sentence_ids"] = sorted(gold)
        row["metrics"] = score_item(item, row, gold, gold_docs, snapshot.texts)
        row["metrics"]["gold_missing"] = missing
        rows.append(row)
        if progress:
            progress(i + 1, len(items))
    return summarize(rows, min_answered)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def summarize(rows: list[dict[str, Any]], min_answered: float = 0.95) -> EvalRun:
    def collect(name: str, where: Callable[[dict[str, Any]], bool] = lambda r: True) -> list[float]:
        return [r["metrics"][name] for r in rows if name in r["metrics"] and where(r)]

    answerable = [r for r in rows if r["answerable"]]
    unanswerable = [r for r in rows if not r["answerable"]]
    summary: dict[str, float] = {}
    for name in METRICS:
        if name.startswith("latency"):
            continue
        if name == "abstention_accuracy":
            summary[name] = _mean([float(r["abstained"]) for r in unanswerable]) if unanswerable else float("nan")
        elif name == "false_abstention":
            summary[name] = _mean([float(r["abstained"]) for r in answerable]) if answerable else float("nan")
        elif name == "claims_verified":
            # Over all claims (not a mean of per-answer shares): a ten-sentence ramble weighs ten times.
            supported = int(sum(r["metrics"].get("claims_supported", 0) for r in rows))
            claims = int(sum(r["metrics"].get("claims", 0) for r in rows))
            summary[name] = m.share([True] * supported + [False] * (claims - supported))
        elif name == "fallback_rate":
            summary[name] = m.share([r["metrics"]["fallback"] == 1.0 for r in rows if "llm_asked" in r["metrics"]])
        elif name == "citations_verified":
            cites = [(r["citations"], r) for r in rows]
            flags = [float(r["metrics"]["citations_verified"]) for _, r in cites if "citations_verified" in r["metrics"]]
            summary[name] = _mean(flags) if flags else float("nan")
        else:
            values = collect(name)
            summary[name] = _mean(values) if values else float("nan")
    latencies = collect("latency_ms")
    summary["latency_p50_ms"] = m.percentile(latencies, 50)
    summary["latency_p95_ms"] = m.percentile(latencies, 95)
    # A refusal that holds whatever the threshold stays a refusal at every point of the curve.
    curve = m.risk_coverage(
        [-1.0 if r["metrics"].get("refused_at_any_threshold") else r["metrics"]["confidence"] for r in rows],
        [r["answerable"] for r in rows],
        [r["metrics"].get("hit@1", 0.0) == 1.0 for r in rows],
    )
    chosen = m.choose_threshold(curve, min_answered)
    counts = {"questions": len(rows), "answerable": len(answerable), "unanswerable": len(unanswerable),
              "gold_not_found": int(sum(r["metrics"].get("gold_missing", 0) for r in rows))}
    asked = [r["metrics"] for r in rows if "llm_asked" in r["metrics"]]
    if asked:
        counts.update({"llm_asked": len(asked), "fallbacks": int(sum(a["fallback"] for a in asked)),
                       "claims": int(sum(a["claims"] for a in asked)),
                       "claims_supported": int(sum(a["claims_supported"] for a in asked))})
        dropped = m.sum_counts([{k.removeprefix("dropped_markers_"): int(v) for k, v in a.items()
                                 if k.startswith("dropped_markers_")} for a in asked])
        counts.update({f"dropped_markers_{k}": v for k, v in dropped.items()})
        counts["dropped_markers"] = sum(dropped.values())
    return EvalRun(rows, summary, curve, counts, chosen.threshold if chosen else float("nan"), min_answered)


def parse_gates(specs: Sequence[str]) -> list[tuple[str, float]]:
    gates = []
    for spec in specs:
        name, equals, value = spec.partition("=")
        if not equals:
            raise InputError(f"--min {spec}: no value; write METRIC=VALUE, e.g. hit@1=0.9")
        if name not in METRICS:
            raise InputError(f"--min {spec}: unknown metric {name!r}; choose from {', '.join(METRICS)}")
        try:
            limit = float(value)
        except ValueError:
            raise InputError(f"--min {spec}: {value!r} is not a number; write METRIC=VALUE, e.g. hit@1=0.9") from None
        # A gate outside what its metric can be is a typo, and no run could pass it: "hit@1=1.5", "=nan".
        latency = name.startswith("latency")
        if latency and not (math.isfinite(limit) and limit > 0):
            raise InputError(f"--min {spec}: a latency gate is a number of milliseconds above 0, e.g. {name}=50")
        if not latency and not 0.0 <= limit <= 1.0:
            raise InputError(f"--min {spec}: {name} is a share from 0 to 1; write e.g. {name}=0.9")
        gates.append((name, limit))
    return gates


def check_gates(summary: dict[str, float], gates: Sequence[tuple[str, float]]) -> list[str]:
    """Failures as lines; a lower-is-better metric (latency, false abstention) must stay at or below."""
    failures = []
    for name, limit in gates:
        value = summary.get(name, float("nan"))
        if math.isnan(value):  # no question gave it a value: generative metrics in extractive mode, say
            failures.append(f"gate failed: {name} has no value in this run (no question measured it; "
                            f"{'it needs --llm' if name in _GENERATIVE else 'check the eval set'})")
            continue
        higher_better = METRICS[name][1]
        ok = value >= limit if higher_better else value <= limit
        if not ok:
            word = "below" if higher_better else "above"
            failures.append(f"gate failed: {name} = {value:.4f} is {word} {limit:g}")
    return failures


def format_summary(run: EvalRun) -> str:
    lines = [f"{'metric':<30}{'value':>10}  meaning"]
    for name, (meaning, _) in METRICS.items():
        value = run.summary.get(name, float("nan"))
        lines.append(f"{name:<30}{value:>10.4f}  {meaning}")
    c = run.counts
    missing = [str(r.get("id", "?")) for r in run.rows if r["metrics"].get("gold_missing")]
    which = f" (of {', '.join(missing[:5])}{f' and {len(missing) - 5} more' if len(missing) > 5 else ''})" if missing else ""
    lines.append(f"{_count(c['questions'], 'question')} ({c['answerable']} answerable, {c['unanswerable']} unanswerable); "
                 f"{_count(c['gold_not_found'], 'gold sentence')} not found in the documents{which}")
    ungolded = [str(r.get("id", "?")) for r in run.rows if r.get("answerable") and not r.get("reference_contexts")]
    if ungolded:
        more = f" and {len(ungolded) - 5} more" if len(ungolded) > 5 else ""
        lines.append(f"{_count(len(ungolded), 'answerable question')} without reference_contexts "
                     f"({', '.join(ungolded[:5])}{more}): left out of the retrieval and citation metrics")
    gold = sum(len(r.get("reference_contexts") or []) for r in run.rows)
    if gold and c["gold_not_found"] * 2 > gold:
        lines.append("most gold sentences are not in the indexed documents: is --index-dir the index of this set's "
                     "documents?")
    if math.isnan(run.threshold):
        lines.append(f"threshold: none answers >= {run.min_answered:.0%} of the answerable questions (too many are "
                     "refused by rules that no threshold lifts, or have no gold sentence found)")
    elif not c["unanswerable"]:
        lines.append("threshold: not chosen, the set has no unanswerable question (mark some \"answerable\": false)")
    else:
        line = (f"threshold refusing most unanswerable while answering >= {run.min_answered:.0%} of answerable: "
                f"{run.threshold:.4f}")
        span = run.threshold_range
        if span is not None and span[1] > span[0]:
            line += f" (any from {span[0]:.4f} to {span[1]:.4f} does as well)"
        lines.append(line)
    if "llm_asked" in c:
        lines.append(_model_line(c))
    return "\n".join(lines)


def _model_line(c: dict[str, int]) -> str:
    return (f"model asked {c['llm_asked']} times ({c['fallbacks']} fell back to extractive); "
            f"{c['claims_supported']} of {c['claims']} claims verified; dropped citation markers: "
            f"{c.get('dropped_markers', 0)} ({c.get('dropped_markers_zero', 0)} [0], "
            f"{c.get('dropped_markers_out_of_range', 0)} out of range, "
            f"{c.get('dropped_markers_malformed', 0)} malformed)")


def write_results(run: EvalRun, path: Path) -> None:
    """One JSON line per question: the answer's JSON shape plus its metric values."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as out:
        for row in run.rows:
            out.write(json.dumps(json_safe(row), ensure_ascii=False, allow_nan=False) + "\n")


def check_output(path: Path, flag: str, example: str) -> None:
    """Raise ``InputError`` now, not after the run, when ``path`` cannot be written: a folder, or a
    parent folder that cannot be made. (The parent folders are made here, as they would be anyway.)"""
    if path.is_dir():
        raise InputError(f"{flag} {path} is a folder; give a file name in it, e.g. {path / example}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        raise InputError(f"{flag} {path}: a file is in the way of its folder; choose another path") from None
    except OSError as exc:
        raise InputError(f"{flag} {path}: cannot make its folder ({exc.strerror or exc}); choose another path") from None
    if not os.access(path.parent, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise InputError(f"{flag} {path}: not writable; choose another path")


def run_cli(args: argparse.Namespace, settings: Settings) -> int:
    gates = parse_gates(args.min)
    items = load_evalset(args.evalset)
    for path, flag, example in ((args.out, "--out", "results.jsonl"), (args.report, "--report", "report.html")):
        if path and path.resolve() == Path(args.evalset).resolve():
            raise InputError(f"{flag} {path} is the eval set itself; writing there would replace its questions, so "
                             f"give another file, e.g. {path.with_name(path.stem + '-' + example)}")
        if path:
            check_output(path, flag, example)
    for line in likely_typos(items):
        print(f"warning: {args.evalset}: {line}", file=sys.stderr)
    assistant = Assistant(settings.with_(retrieval_mode=args.mode))
    started = time.perf_counter()
    from tqdm import tqdm

    with tqdm(total=len(items), unit="question", desc="evaluating", file=sys.stderr, leave=False,
              disable=not sys.stderr.isatty()) as bar:
        run = run_eval(assistant, items, progress=lambda done, total: bar.update(1))
    seconds = time.perf_counter() - started
    if args.out:
        write_results(run, args.out)
    if args.report:
        from .report import write_report

        write_report(run, args.report, title=f"Evaluation of {args.evalset.name}")
    if args.json:
        print(json.dumps({**run.to_json(), "seconds": round(seconds, 3)}, indent=2, allow_nan=False))
    else:
        print(format_summary(run))
        print(f"ran in {seconds:.1f} s")
    failures = check_gates(run.summary, gates)
    for line in failures:
        print(line, file=sys.stderr)
    return 1 if failures else 0
