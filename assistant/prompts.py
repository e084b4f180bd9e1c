"""Prompt templates: text files in ``prompts/``, loaded by name.

A template is plain text with ``{variable}`` fields (``{{`` and ``}}`` stand for literal braces).
Each prompt name has a fixed set of variables that the code fills in; a file that lacks one, or uses
one the code does not know, fails when it is loaded, with the names involved, so a typo in a prompt
is caught before any model runs.

    system     the model's standing instructions (no variables)
    answer     the numbered source sentences and the question: {sources} {question}
    condense   a follow-up question and the conversation before it: {history} {question}
"""

from __future__ import annotations

import string
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError
from .settings import PROJECT_ROOT

__all__ = ["PROMPTS_DIR", "VARIABLES", "Prompt", "PromptError", "load_prompt", "load_prompts", "template_variables"]

PROMPTS_DIR = PROJECT_ROOT / "prompts"

VARIABLES: dict[str, frozenset[str]] = {
    "system": frozenset(),
    "answer": frozenset({"sources", "question"}),
    "condense": frozenset({"history", "question"}),
}
"""Every prompt the code uses, and the variables it fills in."""


class PromptError(InputError):
    """A prompt that cannot be used: unknown name, missing file, wrong or missing variables."""


def _names(names: Iterable[str]) -> str:
    listed = sorted(names)
    return ", ".join("{" + n + "}" for n in listed) if listed else "none"


@dataclass(frozen=True)
class Prompt:
    name: str
    template: str
    """The file's text, ``{variable}`` fields included."""
    variables: frozenset[str]
    path: Path

    def format(self, **values: str) -> str:
        """The prompt with its variables filled in; every one of them must be given."""
        missing = self.variables - values.keys()
        if missing:
            raise PromptError(f"prompt {self.name!r} needs {_names(self.variables)}; missing {_names(missing)}")
        return self.template.format(**{k: values[k] for k in self.variables})


def template_variables(template: str, name: str = "template") -> frozenset[str]:
    """The ``{variable}`` names a template uses; malformed braces and ``{0}`` / ``{a.b}`` fields are errors."""
    found: set[str] = set()
    try:
        for _, field, spec, conversion in string.Formatter().parse(template):
            if field is None:
                continue
            if not field.isidentifier() or spec or conversion:
                raise PromptError(f"prompt {name!r} has a field {{{field}}} that is not a plain {{name}}; "
                                  "write {{ and }} for literal braces")
            found.add(field)
    except ValueError as exc:
        raise PromptError(f"prompt {name!r} has unbalanced braces ({exc}); write {{{{ and }}}} for literal braces") from None
    return frozenset(found)


def load_prompt(name: str, directory: Path | None = None) -> Prompt:
    """Read ``<directory>/<name>.txt`` and check that it uses exactly the variables the code fills in."""
    if name not in VARIABLES:
        raise PromptError(f"unknown prompt {name!r}; expected one of: {', '.join(sorted(VARIABLES))}")
    path = (directory or PROMPTS_DIR) / f"{name}.txt"
    try:
        template = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PromptError(f"prompt {name!r} is missing: no file {path}") from None
    used = template_variables(template, name)
    expected = VARIABLES[name]
    if used != expected:
        problems = []
        if expected - used:
            problems.append(f"missing {_names(expected - used)}")
        if used - expected:
            problems.append(f"unknown {_names(used - expected)}")
        raise PromptError(f"prompt {name!r} ({path}) must use {_names(expected)}: {'; '.join(problems)}")
    return Prompt(name, template.strip() + "\n", expected, path)


def load_prompts(directory: Path | None = None) -> dict[str, Prompt]:
    """Every prompt the code uses, checked."""
    return {name: load_prompt(name, directory) for name in VARIABLES}
