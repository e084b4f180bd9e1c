"""The question-answering chain: a LangChain Runnable from ``{question, history}`` to an ``Answer``.

    {question, history} ─ check ─> condense follow-up ─ retrieve (hybrid) ─> answer ─> Answer

The CLI, the UI and the evaluation harness all call ``Assistant.ask`` (or ``Assistant.chain``), so
what is measured is what users get.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from langchain_core.runnables import Runnable, RunnableLambda

from .answers import Answer
from .errors import InputError
from .extractive import ExtractiveAnswerer
from .questions import Condensed, Turn, condense
from .retriever import HybridRetriever, Retrieved, from_langchain
from .settings import Settings
from .store import Store

__all__ = ["Assistant", "check_question"]


def check_question(question: Any, limit: int) -> tuple[str, str]:
    """The question to use and a notice (when it had to be shortened); rejects empty ones."""
    if not isinstance(question, str) or not question.strip():
        raise InputError("the question is empty; type a question about the documents")
    question = " ".join(question.split())
    if len(question) > limit:
        return question[:limit], f"The question was {len(question):,} characters; only the first {limit:,} were used."
    return question, ""


def check_history(history: Any) -> list[Turn]:
    if history is None:
        return []
    if not isinstance(history, (list, tuple)):
        raise InputError('history must be a list of {"role": "user"|"assistant", "content": "..."} turns')
    turns: list[Turn] = []
    for i, turn in enumerate(history):
        if (not isinstance(turn, dict) or turn.get("role") not in {"user", "assistant"}
                or not isinstance(turn.get("content"), str)):
            raise InputError(f'history turn {i + 1} must look like {{"role": "user"|"assistant", "content": "..."}}')
        turns.append({"role": turn["role"], "content": turn["content"]})
    return turns


class Assistant:
    """Everything needed to answer questions about one index; heavy parts load on first use."""

    def __init__(self, settings: Settings, store: Store | None = None) -> None:
        self.settings = settings
        self.store = store or Store(settings)
        self.retriever = HybridRetriever(store=self.store, k=settings.top_k, candidates=settings.candidates,
                                         mode=settings.retrieval_mode)
        self.extractive = ExtractiveAnswerer(settings.abstain_threshold)
        self.chain: Runnable[dict[str, Any], Answer] = self._build_chain()

    def _build_chain(self) -> Runnable[dict[str, Any], Answer]:
        def prepare(inputs: dict[str, Any]) -> dict[str, Any]:
            question, notice = check_question(inputs.get("question"), self.settings.max_question_chars)
            history = check_history(inputs.get("history"))
            return {"condensed": condense(question, history), "notice": notice, "started": inputs["_started"]}

        def retrieve(state: dict[str, Any]) -> dict[str, Any]:
            condensed: Condensed = state["condensed"]
            retriever = self.retriever.with_context(condensed.context) if condensed.context else self.retriever
            documents = retriever.invoke(condensed.question)
            snapshot = self.store.snapshot(refresh=False)  # the one the retriever just used
            return {**state, "hits": [from_langchain(d, snapshot) for d in documents], "snapshot": snapshot}

        def answer(state: dict[str, Any]) -> Answer:
            hits: list[Retrieved] = state["hits"]
            result = self.extractive.answer(state["condensed"], hits, state["snapshot"])
            return replace(result, notice=state["notice"],
                           latency_ms=(time.perf_counter() - state["started"]) * 1000)

        stamp = RunnableLambda(lambda inputs: {**inputs, "_started": time.perf_counter()})
        return (stamp | RunnableLambda(prepare) | RunnableLambda(retrieve) | RunnableLambda(answer)).with_config(
            run_name="report_assistant")

    def warm_up(self) -> None:
        """Load the model, the index snapshot and the lexical index before the first question."""
        self.store.snapshot()
        self.store.embeddings.query_encoder.warm_up()
        self.store.vectorstore()

    def ask(self, question: str, history: Sequence[Turn] | None = None) -> Answer:
        return self.chain.invoke({"question": question, "history": list(history or [])})
