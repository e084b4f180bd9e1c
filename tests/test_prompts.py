"""Prompts are files loaded by name; a wrong or missing variable fails at load, naming it."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.prompts import PROMPTS_DIR, PromptError, load_prompt, load_prompts, template_variables

ANSWER = "Sources:\n<sources>\n{sources}\n</sources>\nQuestion: {question}\n"


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    return folder


def test_the_shipped_prompts_load():
    prompts = load_prompts()
    assert sorted(prompts) == ["answer", "condense", "system"]
    assert prompts["answer"].variables == {"sources", "question"}
    assert prompts["condense"].variables == {"history", "question"}
    assert prompts["system"].path == PROMPTS_DIR / "system.txt"
    text = prompts["answer"].format(sources="[1] A sentence.", question="What?")
    assert "<sources>\n[1] A sentence.\n</sources>" in text and "Question: What?" in text


def test_unknown_prompt_names_the_known_ones():
    with pytest.raises(PromptError) as error:
        load_prompt("anwser")
    assert str(error.value) == "unknown prompt 'anwser'; expected one of: answer, condense, system"


def test_missing_file(tmp_path):
    with pytest.raises(PromptError) as error:
        load_prompt("answer", tmp_path)
    assert str(error.value) == f"prompt 'answer' is missing: no file {tmp_path / 'answer.txt'}"


def test_missing_variable_fails_at_load(tmp_path):
    write(tmp_path, "answer", "Question: {question}\n")
    with pytest.raises(PromptError) as error:
        load_prompt("answer", tmp_path)
    assert str(error.value) == (f"prompt 'answer' ({tmp_path / 'answer.txt'}) must use {{question}}, {{sources}}: "
                                "missing {sources}")


def test_unknown_variable_fails_at_load(tmp_path):
    write(tmp_path, "condense", "{history}\n{question}\n{context}\n")
    with pytest.raises(PromptError) as error:
        load_prompt("condense", tmp_path)
    assert str(error.value) == (f"prompt 'condense' ({tmp_path / 'condense.txt'}) must use {{history}}, {{question}}: "
                                "unknown {context}")


def test_malformed_fields(tmp_path):
    with pytest.raises(PromptError, match=r"^prompt 'system' has unbalanced braces"):
        template_variables("Cite like {1", "system")
    with pytest.raises(PromptError, match=r"^prompt 'system' has a field \{0\} that is not a plain \{name\}"):
        template_variables("Cite like {0}", "system")
    assert template_variables("Literal {{braces}} and {question}") == {"question"}


def test_literal_braces_and_values_with_braces(tmp_path):
    prompt = load_prompt("answer", write(tmp_path, "answer", ANSWER + "Reply as JSON: {{\"answer\": ...}}\n"))
    text = prompt.format(sources="[1] A {curly} sentence.", question="What?")
    assert "[1] A {curly} sentence." in text and 'Reply as JSON: {"answer": ...}' in text


def test_format_needs_every_variable():
    with pytest.raises(PromptError) as error:
        load_prompt("answer").format(question="What?")
    assert str(error.value) == "prompt 'answer' needs {question}, {sources}; missing {sources}"
