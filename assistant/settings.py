"""One settings object, built once from ``ASSISTANT_*`` environment variables and defaults.

No other module reads ``os.environ``; everything that can be configured is a field here and is
passed down explicitly.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any, Literal, get_args

__all__ = ["PROJECT_ROOT", "BUNDLED_INDEX_DIR", "MODES", "Mode", "Settings"]

PROJECT_ROOT = Path(__file__).resolve().parent.parent
BUNDLED_INDEX_DIR = PROJECT_ROOT / "index"
Mode = Literal["hybrid", "dense", "lexical"]
"""How sentences are found: both retrievers fused, or one alone (to measure what fusion adds)."""
MODES: tuple[str, ...] = get_args(Mode)


@dataclass(frozen=True)
class Settings:
    """Everything the assistant can be told. Field ``foo`` is read from ``ASSISTANT_FOO``."""

    index_dir: Path = BUNDLED_INDEX_DIR
    """Folder of the persisted index (Chroma database, lexical index, manifest)."""
    chroma_url: str = ""
    """When set (``http://host:port``), use a Chroma server instead of the local folder."""
    collection_prefix: str = "assistant"
    """Names of the Chroma collections start with this, so one server can hold several indexes."""
    top_k: int = 8
    """How many ranked sentences an answer is chosen from (and reported as ``retrieved``)."""
    candidates: int = 50
    """How many sentences each retriever (dense and lexical) contributes before fusion."""
    retrieval_mode: str = "hybrid"
    """``hybrid`` (default), or ``dense`` / ``lexical`` alone, to measure what fusion adds."""
    abstain_threshold: float = 0.30
    """Answers whose confidence falls below this are abstentions (chosen on the risk-coverage curve)."""
    max_question_chars: int = 2000
    """Longer questions are truncated for retrieval, with a notice in the answer."""
    max_upload_bytes: int = 10 * 1024 * 1024
    """Largest document the UI accepts."""
    llm: str = "extractive"
    """Answer backend: ``extractive`` (default, no LLM), ``smollm2``, ``ollama:MODEL``, ``openai:MODEL``, ``gguf:PATH``."""
    ollama_url: str = "http://127.0.0.1:11434"
    openai_base_url: str = ""
    openai_api_key: str = ""
    host: str = "127.0.0.1"
    port: int = 7860
    auth: str = ""
    """``user:password`` to require a login in the UI."""

    def __post_init__(self) -> None:
        # A value that parses but cannot work (``ASSISTANT_TOP_K=0`` would refuse every question
        # without a word) is refused here, once, with what would work.
        from .errors import InputError

        problem = (
            "top_k must be at least 1" if self.top_k < 1 else
            "candidates must be at least 1" if self.candidates < 1 else
            "retrieval_mode must be hybrid, dense or lexical" if self.retrieval_mode not in MODES else
            "abstain_threshold must be between 0 and 1" if not 0.0 <= self.abstain_threshold <= 1.0 else
            "max_question_chars must be at least 1" if self.max_question_chars < 1 else
            "max_upload_bytes must be at least 1" if self.max_upload_bytes < 1 else
            "port must be between 0 and 65535" if not 0 <= self.port <= 65535 else "")
        if problem:
            name = problem.split()[0]
            where = f"--port or ASSISTANT_{name.upper()}" if name == "port" else f"ASSISTANT_{name.upper()}"
            raise InputError(f"{problem}, not {getattr(self, name)!r}: fix {where}")

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        """Defaults, then ``ASSISTANT_*`` variables, then explicit overrides (``None`` ignored)."""
        env = os.environ if env is None else env
        values: dict[str, Any] = {}
        for field in fields(cls):
            raw = env.get(f"ASSISTANT_{field.name.upper()}")
            if raw is not None and raw != "":
                values[field.name] = _coerce(field.name, raw, type(getattr(cls(), field.name)))
        values.update({k: v for k, v in overrides.items() if v is not None})
        if "index_dir" in values:
            values["index_dir"] = Path(values["index_dir"]).expanduser()
        return cls(**values)

    def with_(self, **changes: Any) -> Settings:
        return replace(self, **{k: v for k, v in changes.items() if v is not None})


def _coerce(name: str, raw: str, kind: type) -> Any:
    from .errors import InputError

    try:
        if kind is bool:
            return raw.lower() in {"1", "true", "yes", "on"}
        if kind is Path:
            return Path(raw)
        return kind(raw)
    except ValueError:
        raise InputError(
            f"ASSISTANT_{name.upper()}={raw!r} is not a valid {kind.__name__}; fix or unset it"
        ) from None
