"""A self-contained HTML page for an eval run: metrics, the risk-coverage curve, every question."""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from .metrics import RiskPoint
from .runner import METRICS, EvalRun

__all__ = ["render_report", "write_report", "curve_svg"]

_STYLE = """
body{font:14px/1.45 system-ui,sans-serif;margin:24px;color:#222;max-width:1200px}
table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ddd;padding:4px 8px;vertical-align:top;text-align:left}
th{background:#f4f4f4}.fail{background:#fff1f0}.ok{background:#f6ffed}.num{text-align:right;font-variant-numeric:tabular-nums}
.q{font-weight:600}.small{color:#666;font-size:12px}ul{margin:0;padding-left:18px}
.warn{background:#fffbe6;border:1px solid #ffe58f;padding:8px 12px}
"""


def curve_svg(points: list[RiskPoint], threshold: float, width: int = 420, height: int = 300) -> str:
    """Answered share of answerable questions (x) against refused share of unanswerable (y)."""
    pad = 40
    sx = lambda v: pad + v * (width - 2 * pad)  # noqa: E731
    sy = lambda v: height - pad - v * (height - 2 * pad)  # noqa: E731
    ordered = sorted(points, key=lambda p: (p.answered, -p.abstained_unanswerable))
    path = " ".join(f"{sx(p.answered):.1f},{sy(p.abstained_unanswerable):.1f}" for p in ordered)
    chosen = min(points, key=lambda p: abs(p.threshold - threshold)) if points else None
    marker = (f'<circle cx="{sx(chosen.answered):.1f}" cy="{sy(chosen.abstained_unanswerable):.1f}" r="5" fill="#d4380d">'
              f'<title>threshold {chosen.threshold:.3f}</title></circle>') if chosen else ""
    ticks = "".join(
        f'<text x="{sx(t):.0f}" y="{height - pad + 16}" font-size="11" text-anchor="middle">{t:.1f}</text>'
        f'<text x="{pad - 6}" y="{sy(t) + 4:.0f}" font-size="11" text-anchor="end">{t:.1f}</text>'
        for t in (0, 0.25, 0.5, 0.75, 1.0))
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" '
            f'aria-label="risk-coverage curve">'
            f'<rect x="{pad}" y="{pad}" width="{width - 2 * pad}" height="{height - 2 * pad}" fill="none" stroke="#999"/>'
            f'<polyline points="{path}" fill="none" stroke="#1677ff" stroke-width="2"/>{marker}{ticks}'
            f'<text x="{width / 2}" y="{height - 6}" font-size="12" text-anchor="middle">answerable questions answered</text>'
            f'<text x="12" y="{height / 2}" font-size="12" text-anchor="middle" transform="rotate(-90 12 {height / 2})">'
            f'unanswerable questions refused</text></svg>')


def _failed(row: dict[str, Any]) -> bool:
    metrics = row["metrics"]
    if not row["answerable"]:
        return not row["abstained"]
    return bool(row["abstained"]) or metrics.get("citation_f1", 1.0) < 1.0 or metrics.get("hit@1", 1.0) < 1.0


def _sentences(texts: list[str]) -> str:
    return "<ul>" + "".join(f"<li>{html.escape(t)}</li>" for t in texts) + "</ul>" if texts else "<i>none</i>"


def render_report(run: EvalRun, title: str = "Evaluation") -> str:
    e = html.escape
    metric_rows = "".join(
        f"<tr><td>{e(name)}</td><td class=num>{run.summary.get(name, float('nan')):.4f}</td><td>{e(meaning)}</td></tr>"
        for name, (meaning, _) in METRICS.items())
    rows = sorted(run.rows, key=lambda r: not _failed(r))
    question_rows = []
    for r in rows:
        cited = [f"[{c['n']}] {c['text']}" for c in r["citations"]]
        status = "fail" if _failed(r) else "ok"
        kind = "answerable" if r["answerable"] else "unanswerable"
        if r["abstained"]:
            kind += f"; refused ({r.get('abstain_reason') or 'low_confidence'})"
        metrics = ", ".join(f"{k}={v:.2f}" for k, v in r["metrics"].items()
                            if k in {"hit@1", "citation_f1", "answer_f1", "confidence"})
        question_rows.append(
            f"<tr class={status}><td>{e(str(r['id']))}</td><td><div class=q>{e(r['question'])}</div>"
            f"<div class=small>{kind}; {e(metrics)}</div></td><td>{e(r['answer'])}</td>"
            f"<td>{_sentences(r['reference_contexts'])}</td><td>{_sentences(cited)}</td></tr>")
    c = run.counts
    # An eval set written for other documents scores nothing: say why rather than show a column of nan.
    missing = c.get("gold_not_found", 0)
    warning = (f"<p class=warn><b>{missing} gold sentences were not found in the indexed documents.</b> Retrieval "
               "and citation metrics need them: is this the eval set for these documents?</p>") if missing else ""
    return f"""<!doctype html><html lang=en><head><meta charset=utf-8><title>{e(title)}</title>
<style>{_STYLE}</style></head><body><h1>{e(title)}</h1>{warning}
<p>{c.get('questions', 0)} questions: {c.get('answerable', 0)} answerable, {c.get('unanswerable', 0)} unanswerable.
Abstention threshold chosen on the curve (most unanswerable refused while answering at least 95% of answerable):
<b>{run.threshold:.3f}</b>.</p>
<div style="display:flex;gap:32px;flex-wrap:wrap"><table><tr><th>metric</th><th>value</th><th>meaning</th></tr>{metric_rows}</table>
<div><h3>Risk-coverage curve</h3>{curve_svg(run.curve, run.threshold)}
<p class=small>Refusals that no threshold lifts (a figure or date the text lacks, a name it never uses)<br>
count as refused at every point.</p></div></div>
<h2>Questions (failures first)</h2>
<table><tr><th>id</th><th>question</th><th>answer</th><th>gold sentences</th><th>cited sentences</th></tr>
{''.join(question_rows)}</table></body></html>
"""


def write_report(run: EvalRun, path: Path, title: str = "Evaluation") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_report(run, title), encoding="utf-8")
