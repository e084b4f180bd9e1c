"""Compare retrieval variants on the report and ClapNQ eval sets, in memory, in one run.

Used to choose the fusion and the embedded unit; prints hit@1 / hit@3 / doc_hit@1 per variant.
Embeddings are cached under build/grid-cache so that re-runs only pay for new variants.

    .venv/bin/python bench/retrieval_grid.py [--clapnq-limit N]
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.documents import load_documents  # noqa: E402
from assistant.evaluation.evalset import gold_sentences, load_evalset  # noqa: E402
from assistant.questions import condense  # noqa: E402
from assistant.retriever import rank  # noqa: E402
from assistant.sentences import segment  # noqa: E402
from assistant.store import FORMAT_VERSION, Manifest, Snapshot  # noqa: E402

CLAPNQ = ROOT.parent / "shared" / "evals" / "clapnq"
CACHE = ROOT / "build" / "grid-cache"


def unit_texts(snapshot: Snapshot, variant: str) -> list[str]:
    out = []
    for i, s in enumerate(snapshot.sentences):
        title = snapshot.titles.get(s.doc, "")
        if variant == "sentence":
            out.append(s.text)
        elif variant == "title":
            out.append(f"{title}: {s.text}" if title else s.text)
        elif variant == "window":
            ns = snapshot.neighbours(i, 1, 1)
            out.append((f"{title}: " if title else "") + " ".join(n.text for n in ns))
        else:
            raise ValueError(variant)
    return out


def embed(texts: list[str], tag: str) -> np.ndarray:
    CACHE.mkdir(parents=True, exist_ok=True)
    key = hashlib.sha256(("\n".join(texts) + tag).encode()).hexdigest()[:16]
    path = CACHE / f"{tag}-{key}.npy"
    if path.exists():
        return np.load(path)
    from assistant.encoder import MiniLMEmbeddings

    vectors = MiniLMEmbeddings().encode_documents(texts, progress=True)
    np.save(path, vectors)
    return vectors


def load(paths: list[Path]) -> Snapshot:
    documents = load_documents(paths)
    sentences = [s for d in documents for s in segment(d)]
    texts = {d.name: d.text for d in documents}
    entries = {d.name: None for d in documents}
    manifest = Manifest(FORMAT_VERSION, "", "", "", 0, entries)  # type: ignore[arg-type]
    return Snapshot.build(manifest, sentences, texts)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clapnq-limit", type=int, default=0)
    parser.add_argument("--units", default="sentence,title")
    args = parser.parse_args()
    from assistant.encoder import NumpyMiniLM

    encoder = NumpyMiniLM()
    sets = {
        "report": (load([ROOT / "index" / "china-ipr-cooperation.txt"]), load_evalset(ROOT / "evals" / "report.jsonl")),
        "clapnq": (load([CLAPNQ / "corpus"]), load_evalset(CLAPNQ / "clapnq_dev.jsonl")),
    }
    for name, (snapshot, items) in sets.items():
        items = [i for i in items if i.answerable]
        if name == "clapnq" and args.clapnq_limit:
            items = items[: args.clapnq_limit]
        golds = [gold_sentences(i, snapshot) for i in items]
        queries = [condense(i.question, list(i.history)).query for i in items]
        qvec = encoder.encode(queries)
        lexical = [snapshot.lexical.scores(q) for q in queries]
        for unit in args.units.split(","):
            started = time.perf_counter()
            vectors = embed(unit_texts(snapshot, unit), f"{name}-{unit}")
            sims = qvec @ vectors.T
            for mode in ("dense", "lexical", "hybrid"):
                hits1 = hits3 = doc1 = 0.0
                for qi, (gold, docs, _) in enumerate(golds):
                    order = np.argsort(-sims[qi])[:50]
                    dense_hits = [(snapshot.sentences[j].id, float(sims[qi, j])) for j in order]
                    ranked = rank(snapshot, dense_hits, lexical[qi], 5, mode)
                    ids = [r.sentence.id for r in ranked]
                    hits1 += bool(ids[:1] and ids[0] in gold)
                    hits3 += any(x in gold for x in ids[:3])
                    doc1 += bool(ranked and ranked[0].sentence.doc in docs)
                n = len(golds)
                print(f"{name:<7} {unit:<9} {mode:<8} hit@1 {hits1 / n:.3f}  hit@3 {hits3 / n:.3f}  "
                      f"doc_hit@1 {doc1 / n:.3f}  ({time.perf_counter() - started:.1f}s)")


if __name__ == "__main__":
    main()
