"""The manifest: what an index holds (model, segmenter, generation, each document's hash).

It is the index's commit point (``store.py``): readers trust it and ignore records it does not name.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields

__all__ = ["DocumentEntry", "Manifest"]


@dataclass(frozen=True)
class DocumentEntry:
    name: str
    sha256: str
    sentences: int
    chars: int
    indexed_at: str
    source: str = ""
    """The file it was read from (``Document.source``); "" for an upload or an index built before
    sources were kept."""


@dataclass(frozen=True)
class Manifest:
    format: int
    model: str
    segmenter: str
    generation: str
    revision: int
    documents: dict[str, DocumentEntry] = field(default_factory=dict)

    def to_json(self) -> str:
        # Not dataclasses.asdict: its deep copy of every entry took 80 ms at 3,300 documents.
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        data["documents"] = {name: vars(entry) for name, entry in self.documents.items()}
        return json.dumps(data, sort_keys=True)

    @classmethod
    def from_json(cls, raw: str) -> Manifest:
        data = json.loads(raw)
        data["documents"] = {k: DocumentEntry(**v) for k, v in data.get("documents", {}).items()}
        return cls(**data)
