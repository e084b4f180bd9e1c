#!/usr/bin/env python3
"""Standalone check of a blind eval set against its corpus (standard library only).

    python3 evals/check_set.py evals/heldout-fresh --lines 25-40
    python3 evals/check_set.py evals/heldout-varied

Reads DIR/<name of DIR>.jsonl and DIR/corpus/. Checks ids (one letter and two digits, in order),
required fields (`id`, `question`, `answerable`, `kind`, and `doc`, the file of corpus/ a question
is about, for all but off-topic ones), `answerable` against `kind` (a follow-up may be either),
references (an unanswerable item's are absent or empty), two gold sentences for multi-sentence
items, one-turn histories where there is one (required on follow-ups), and every gold sentence
verbatim in its document as a whole sentence; with --lines, each document's line count. Written
for heldout-varied, shared since."""
import argparse
import collections
import json
import os
import sys

parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
parser.add_argument("set_dir")
parser.add_argument("--lines", help="MIN-MAX lines each document must have")
args = parser.parse_args()
HERE = os.path.abspath(args.set_dir)
NAME = os.path.basename(HERE)
KINDS = {"factoid", "paraphrase", "multi_sentence", "followup",
         "unanswerable_near_miss", "unanswerable_off_topic"}
problems = []
docs = {}
for name in sorted(os.listdir(os.path.join(HERE, "corpus"))):
    with open(os.path.join(HERE, "corpus", name), encoding="utf-8") as f:
        docs[name] = f.read()
    if args.lines:
        low, high = map(int, args.lines.split("-"))
        n_lines = len(docs[name].splitlines())
        if not low <= n_lines <= high:
            problems.append(f"{name}: {n_lines} lines, expected {args.lines}")


def whole_sentence(gold, text):
    """gold must sit in one line, starting the line (after a '- ' bullet marker)
    or following sentence-ending punctuation, and ending the line or followed by a space."""
    for line in text.splitlines():
        body = line[2:] if line.startswith("- ") else line
        start = 0
        while True:
            i = body.find(gold, start)
            if i < 0:
                break
            ok_start = i == 0 or body[i - 2:i] in (". ", "? ", "! ", ": ")
            j = i + len(gold)
            ok_end = j == len(body) or body[j] == " "
            if ok_start and ok_end:
                return True
            start = i + 1
    return False

rows = []
with open(os.path.join(HERE, f"{NAME}.jsonl"), encoding="utf-8") as f:
    for n, line in enumerate(f, 1):
        try:
            rows.append(json.loads(line))
        except json.JSONDecodeError as e:
            problems.append(f"line {n}: bad JSON ({e})")

ids = [r.get("id") for r in rows]
prefix = str(ids[0])[:1] if ids else ""
if ids != [f"{prefix}{i:02d}" for i in range(1, len(rows) + 1)]:
    problems.append(f"ids not {prefix}01.. in order")
if len(set(ids)) != len(ids):
    problems.append("duplicate ids")

for r in rows:
    rid = r.get("id")
    for k in ("id", "question", "answerable", "kind"):
        if k not in r:
            problems.append(f"{rid}: missing {k}")
    kind = r.get("kind")
    if kind not in KINDS:
        problems.append(f"{rid}: unknown kind {kind}")
    if kind == "unanswerable_off_topic":
        if "doc" in r:
            problems.append(f"{rid}: off-topic item has doc")
    elif r.get("doc") not in docs:
        problems.append(f"{rid}: doc missing or not in corpus/: {r.get('doc')}")
    if kind != "followup" and r.get("answerable") != (not str(kind).startswith("unanswerable")):
        problems.append(f"{rid}: answerable flag does not match kind")
    if r.get("answerable"):
        if not r.get("reference"):
            problems.append(f"{rid}: answerable but no reference")
        ctx = r.get("reference_contexts")
        if not ctx or not isinstance(ctx, list):
            problems.append(f"{rid}: answerable but no reference_contexts")
            ctx = []
        if kind == "multi_sentence" and len(ctx) != 2:
            problems.append(f"{rid}: multi_sentence should list 2 gold sentences")
        for g in ctx:
            text = docs.get(r.get("doc"), "")
            if g not in text:
                problems.append(f"{rid}: gold sentence not found verbatim: {g!r}")
            elif not whole_sentence(g, text):
                problems.append(f"{rid}: gold found but not as a whole sentence: {g!r}")
    else:
        for k in ("reference", "reference_contexts"):
            if r.get(k):  # absent, "" or [] (evals/README.md's convention)
                problems.append(f"{rid}: unanswerable item has {k}")
    if kind == "followup" or "history" in r:  # a near miss may follow up on an earlier turn too
        h = r.get("history")
        if not (isinstance(h, list) and len(h) == 2 and h[0].get("role") == "user"
                and h[1].get("role") == "assistant" and all(t.get("content") for t in h)):
            problems.append(f"{rid}: a follow-up needs a one-turn user/assistant history")

by_kind = collections.Counter(r.get("kind") for r in rows)
by_doc = collections.Counter(r.get("doc", "(no document)") for r in rows)
print(f"{len(rows)} items, {sum(r.get('answerable') is True for r in rows)} answerable, "
      f"{sum(r.get('answerable') is False for r in rows)} unanswerable")
print("by kind:")
for k in ["factoid", "paraphrase", "multi_sentence", "followup",
          "unanswerable_near_miss", "unanswerable_off_topic"]:
    print(f"  {k:24} {by_kind[k]}")
print("by doc:")
for d, c in sorted(by_doc.items()):
    print(f"  {d:48} {c}")
kinds = ["factoid", "paraphrase", "multi_sentence", "followup", "unanswerable_near_miss"]
print("by doc and kind (" + ", ".join(kinds) + "):")
for d in sorted(docs):
    c = collections.Counter(r.get("kind") for r in rows if r.get("doc") == d)
    print(f"  {d:48} " + " ".join(f"{c[k]:3}" for k in kinds))
gold = sum(len(r.get("reference_contexts", [])) for r in rows)
print(f"gold sentences checked: {gold}")
if problems:
    print(f"{len(problems)} problem(s):")
    for p in problems:
        print("  " + p)
    sys.exit(1)
print("OK: no problems found")
