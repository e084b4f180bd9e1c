"""Indexing as users start it: from paths, with a progress bar, and the bundled report on first run."""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

from .documents import load_documents, passed_over
from .settings import BUNDLED_INDEX_DIR
from .store import IndexReport, Store

__all__ = ["ANNOUNCE_CHARS", "BUNDLED_REPORT", "index_paths", "ensure_index", "list_documents"]

BUNDLED_REPORT = BUNDLED_INDEX_DIR / "china-ipr-cooperation.txt"
ANNOUNCE_CHARS = 1_000_000
"""From this many characters read, the progress bar is preceded by a line saying what is being done:
sentence splitting comes before embedding and takes about 4 s a megabyte, silent otherwise."""


def _progress_bar() -> tuple[Callable[[int, int], None], Callable[[], None]]:
    from tqdm import tqdm

    bar: list[tqdm] = []

    def update(done: int, total: int) -> None:
        if not bar:
            # Small jobs finish before a bar is worth drawing.
            bar.append(tqdm(total=total, unit="sentence", desc="embedding", file=sys.stderr,
                            disable=total < 200, leave=False))
        bar[0].n = done
        bar[0].refresh()

    return update, lambda: bar[0].close() if bar else None


def index_paths(store: Store, paths: Sequence[Path], rebuild: bool = False, show_progress: bool = False,
                progress: Callable[[int, int], None] | None = None, uploads: bool = False) -> IndexReport:
    """Read every document first (a bad one stops the run before anything is written), then index.

    ``uploads``: the paths are a server's copies of uploaded files, whose folders say nothing of
    where the files came from, so an upload may replace a document of its name (``Document.source``).
    """
    documents = load_documents(paths)
    if uploads:
        documents = [replace(d, source="") for d in documents]
    close = None
    if show_progress and progress is None:
        progress, close = _progress_bar()
        chars = sum(len(d.text) for d in documents)
        if chars >= ANNOUNCE_CHARS:
            print(f"splitting {len(documents)} document{'' if len(documents) == 1 else 's'} ({chars / 1e6:.1f} million "
                  "characters) into sentences before embedding them", file=sys.stderr, flush=True)
    try:
        report = store.index(documents, rebuild=rebuild, replace_all=rebuild, progress=progress)
        return replace(report, passed_over=[p.name for p in passed_over(paths, store.files_dir())])
    finally:
        if close:
            close()


def ensure_index(store: Store, show_progress: bool = True) -> IndexReport | None:
    """Build the index from the bundled report when there is none yet."""
    if store.exists():
        return None
    return index_paths(store, [BUNDLED_REPORT], show_progress=show_progress)


def list_documents(store: Store) -> str:
    manifest = store.require_manifest()
    rows = [f"{e.name}\t{e.sentences} sentence{'' if e.sentences == 1 else 's'}\t{e.chars} chars\t{e.sha256[:12]}\t{e.indexed_at}"
            for e in sorted(manifest.documents.values(), key=lambda e: e.name)]
    return "\n".join(rows) or "(no documents)"
