"""Eval sets: JSONL with ragas' field names, and gold sentences matched to indexed ones."""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..sentences import Sentence
from ..snapshot import Snapshot
from .metrics import overlaps

__all__ = ["EvalItem", "load_evalset", "likely_typos", "parse_evalset", "gold_sentences"]


@dataclass(frozen=True)
class EvalItem:
    id: str
    question: str
    reference: str = ""
    reference_contexts: tuple[str, ...] = ()
    answerable: bool = True
    history: tuple[dict[str, str], ...] = ()
    document: str = ""
    """Optional: the document the gold sentences come from (searched first)."""
    extra: dict[str, Any] = field(default_factory=dict)


_KNOWN = {"id", "question", "user_input", "reference", "ground_truth", "reference_contexts", "answerable",
          "history", "document"}


def load_evalset(path: Path, label: str | None = None) -> list[EvalItem]:
    """The eval set in ``path``; errors name it by ``label`` (an upload's own file name, not the
    temporary path it was saved under) or its path."""
    label = label or str(path)
    if not path.exists():
        raise InputError(f"{label}: no such eval set; give a JSONL file (one question per line)")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"{label}: is not UTF-8 text (invalid byte at position {exc.start}); "
                         "save it as UTF-8 and retry") from None
    return parse_evalset(text, label)


def likely_typos(items: list[EvalItem]) -> list[str]:
    """One line for each unknown field that looks like a known one misspelt ("referance"): unknown
    fields are kept and ignored, so a typo would silently leave a metric without its data."""
    unknown = sorted({key for item in items for key in item.extra})
    lines = []
    for key in unknown:
        close = difflib.get_close_matches(key, sorted(_KNOWN), n=1, cutoff=0.8)
        if close:
            lines.append(f'unknown field "{key}" is ignored; did you mean "{close[0]}"?')
    return lines


_ONE_PER_LINE = 'write one {"question": ...} object per line (fields: evals/README.md)'


def parse_evalset(text: str, source: str = "eval set") -> list[EvalItem]:
    """Parse every line; the first malformed one fails the whole run with its line number."""
    items: list[EvalItem] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{source} line {number}"
        try:
            raw = json.loads(line)
        except json.JSONDecodeError as exc:
            if line.strip() in ("[", "{"):  # one JSON document, pretty-printed
                raise InputError(f"{where}: an eval set is JSON Lines, not one JSON document: {_ONE_PER_LINE}") from None
            raise InputError(f"{where}: not valid JSON ({exc.msg}); fix or remove the line") from None
        if isinstance(raw, list):
            raise InputError(f"{where}: is a JSON array; an eval set is JSON Lines: {_ONE_PER_LINE}")
        if not isinstance(raw, dict):
            raise InputError(f"{where}: expected a JSON object with a \"question\"")
        question = raw.get("question", raw.get("user_input"))
        if question is None:
            raise InputError(f"{where}: missing \"question\" (or \"user_input\")")
        if not isinstance(question, str) or not question.strip():
            raise InputError(f"{where}: \"question\" is empty or not text; write the question or remove the line")
        contexts = raw.get("reference_contexts") or []
        if not isinstance(contexts, list) or not all(isinstance(c, str) for c in contexts):
            raise InputError(f"{where}: \"reference_contexts\" must be a list of strings")
        history = raw.get("history") or []
        if not isinstance(history, list) or not all(
                isinstance(t, dict) and t.get("role") in {"user", "assistant"} and isinstance(t.get("content"), str)
                for t in history):
            raise InputError(f'{where}: "history" must be a list of {{"role": "user"|"assistant", "content": "..."}}')
        answerable = raw.get("answerable", True)
        if not isinstance(answerable, bool):
            raise InputError(f"{where}: \"answerable\" must be true or false")
        reference = raw.get("reference", raw.get("ground_truth", "")) or ""
        if isinstance(reference, list):  # some ragas exports keep several ground truths
            reference = " ".join(str(r) for r in reference)
        items.append(EvalItem(
            id=str(raw.get("id", number)), question=question, reference=str(reference),
            reference_contexts=tuple(contexts), answerable=answerable, history=tuple(history),
            document=str(raw.get("document", "") or ""), extra={k: v for k, v in raw.items() if k not in _KNOWN},
        ))
    if not items:
        raise InputError(f"{source}: has no questions; {_ONE_PER_LINE}")
    return items


def _locate(gold: str, text: str) -> tuple[int, int] | None:
    """Where a gold sentence sits in a document: exactly, or with white space folded."""
    at = text.find(gold)
    if at >= 0:
        return at, at + len(gold)
    words = gold.split()
    if not words:
        return None
    pattern = r"\s+".join(re.escape(w) for w in words)
    match = re.search(pattern, text)
    return (match.start(), match.end()) if match else None


def gold_sentences(item: EvalItem, snapshot: Snapshot) -> tuple[set[str], set[str], int]:
    """Indexed sentence ids that overlap the item's gold sentences, their documents, and how many
    gold sentences could not be found in any document.

    Another tool's sentence boundaries differ from ours, so a gold sentence is matched by character
    overlap: an indexed sentence counts when it shares at least half of the shorter of the two.
    """
    ids: set[str] = set()
    docs: set[str] = set()
    missing = 0
    order = sorted(snapshot.texts, key=lambda name: name != item.document)
    for gold in item.reference_contexts:
        found = False
        for name in order:
            span = _locate(gold.strip(), snapshot.texts[name])
            if span is None:
                continue
            first, last = snapshot.doc_ranges[name]
            for sentence in snapshot.sentences[first:last]:
                if _shares_half(sentence, span):
                    ids.add(sentence.id)
                    docs.add(name)
                    found = True
            if found:
                break
        missing += not found
    return ids, docs, missing


def _shares_half(sentence: Sentence, span: tuple[int, int]) -> bool:
    shared = overlaps(sentence.start, sentence.end, *span)
    return shared > 0 and shared >= 0.5 * min(sentence.end - sentence.start, span[1] - span[0])
