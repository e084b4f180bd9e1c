"""Errors meant for the person using the assistant.

Every error raised on purpose derives from ``AssistantError`` and carries a one-line message that
says what went wrong and what to do; the CLI and UI print it as is, without a traceback.

    AssistantError
    ├── InputError          bad input from the user: a question, an option, an eval-set line
    ├── DocumentError       a file that cannot be indexed (missing, binary, not UTF-8, empty)
    ├── IndexMissingError   no index where one was expected
    ├── StoreError          the vector store (a folder or a Chroma server) cannot be used
    └── BackendError        an optional LLM backend is missing or unreachable
"""

from __future__ import annotations

__all__ = [
    "AssistantError",
    "BackendError",
    "DocumentError",
    "IndexMissingError",
    "InputError",
    "StoreError",
]


class AssistantError(Exception):
    """Base class: ``str(error)`` is a single line fit to show a user."""

    exit_code = 1


class InputError(AssistantError):
    exit_code = 2


class DocumentError(AssistantError):
    exit_code = 2


class IndexMissingError(AssistantError):
    exit_code = 2


class StoreError(AssistantError):
    exit_code = 1


class BackendError(AssistantError):
    exit_code = 1
