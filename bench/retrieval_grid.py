"""Compare retrieval weights on the report, held-out and ClapNQ eval sets, through the whole extractive chain.

Each variant is a set of ``Weights`` overrides; every question of each set runs through the same
chain as ``assistant eval``, so the figures are the ones a user gets. Used to choose the fusion
weights: a change is kept only when it helps (or does not hurt) the report and ClapNQ sets; the
held-out set, written blind, then checks that it generalises (it is never tuned on).

Needs the indexes that ``make eval``, ``make eval-clapnq`` and ``make eval-heldout`` build
(build/eval-index, build/clapnq-index, build/heldout-index); docs-dev needs ``make eval-docs-dev``.

    .venv/bin/python bench/retrieval_grid.py [--sets report,clapnq,heldout,docs-dev] [--variant name:field=value,...]
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.chain import Assistant  # noqa: E402
from assistant.evaluation.evalset import load_evalset  # noqa: E402
from assistant.evaluation.runner import run_eval  # noqa: E402
from assistant.retriever import Weights  # noqa: E402
from assistant.settings import Settings  # noqa: E402

CLAPNQ = ROOT.parent / "shared" / "evals" / "clapnq"
SETS = {
    "report": (ROOT / "build" / "eval-index", ROOT / "evals" / "report.jsonl"),
    "clapnq": (ROOT / "build" / "clapnq-index", CLAPNQ / "clapnq_dev.jsonl"),
    "heldout": (ROOT / "build" / "heldout-index", ROOT / "evals" / "heldout" / "heldout.jsonl"),
    "docs-dev": (ROOT / "build" / "docs-dev-index", ROOT / "evals" / "docs-dev" / "docs-dev.jsonl"),
}
COLUMNS = ["hit@1", "hit@3", "doc_hit@1", "citation_f1", "answer_f1", "abstention_accuracy", "false_abstention"]


def parse_variant(spec: str) -> tuple[str, dict[str, float]]:
    """"name:lexical=0.2,kind=0.1" -> ("name", {"lexical": 0.2, "kind": 0.1})."""
    name, _, fields = spec.partition(":")
    changes = {}
    for field in filter(None, fields.split(",")):
        key, _, value = field.partition("=")
        if key not in Weights.__dataclass_fields__:
            raise SystemExit(f"unknown weight {key!r}; known: {', '.join(Weights.__dataclass_fields__)}")
        changes[key] = float(value)
    return name, changes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sets", default="report,clapnq")
    parser.add_argument("--variant", action="append", default=[],
                        help="name:field=value,... (Weights fields); the defaults always run first")
    args = parser.parse_args()
    variants = [("default", {})] + [parse_variant(v) for v in args.variant]
    print(f"{'set':<7} {'variant':<16} " + " ".join(f"{c:>12}" for c in COLUMNS))
    for name in args.sets.split(","):
        index_dir, evalset = SETS[name]
        if not (index_dir / "chroma").exists() and not any(index_dir.glob("*")):
            raise SystemExit(f"no index at {index_dir}: run `make eval`, `make eval-clapnq` or `make eval-heldout` first")
        assistant = Assistant(Settings.from_env(index_dir=index_dir))
        items = load_evalset(evalset)
        base = assistant.retriever
        for label, changes in variants:
            assistant.retriever = base.model_copy(update={"weights": replace(base.weights, **changes)})
            started = time.perf_counter()
            summary = run_eval(assistant, items).summary
            print(f"{name:<7} {label:<16} " + " ".join(f"{summary[c]:>12.3f}" for c in COLUMNS)
                  + f"   ({time.perf_counter() - started:.1f} s)", flush=True)


if __name__ == "__main__":
    main()
