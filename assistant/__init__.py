"""Report Assistant: answers questions about documents, citing the exact source sentences.

The public surface is small; everything else is an implementation detail. Names are imported on
first use, so that ``assistant --help`` does not pay for LangChain and Chroma.
"""

from importlib import import_module
from typing import Any

__all__ = ["Answer", "Assistant", "AssistantError", "Citation", "Claim", "Document", "Sentence", "Settings",
           "Store", "load_documents", "segment"]

_WHERE = {"Answer": "answers", "Citation": "answers", "Claim": "answers", "Assistant": "chain",
          "Document": "documents", "load_documents": "documents", "AssistantError": "errors",
          "Sentence": "sentences", "segment": "sentences", "Settings": "settings", "Store": "store"}


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(import_module(f".{_WHERE[name]}", __name__), name)
    raise AttributeError(f"module 'assistant' has no attribute {name!r}")
