"""The question-answering chain: a LangChain Runnable from ``{question, history}`` to an ``Answer``.

    {question, history} ─ check ─> condense follow-up ─ retrieve (hybrid) ─> answer ─> Answer

The answer step is extractive by default; with ``--llm`` (``settings.llm``) a chat model writes the
answer and ``generative.GenerativeAnswerer`` verifies its citations, with the extractive answer as
the fallback. The CLI, the UI and the evaluation harness all call ``Assistant.ask`` (or
``Assistant.chain``, or ``Assistant.stream`` for tokens as they come), so what is measured is what
users get.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from langchain_core.runnables import Runnable, RunnableLambda

from .answers import Answer
from .errors import BackendError, InputError
from .extractive import ExtractiveAnswerer
from .questions import Condensed, Turn, condense
from .retriever import HybridRetriever, Retrieved, from_langchain
from .settings import Settings
from .store import Store

if TYPE_CHECKING:
    from langchain_core.language_models.chat_models import BaseChatModel

    from .generative import GenerativeAnswerer

__all__ = ["Assistant", "check_question"]


def check_question(question: Any, limit: int) -> tuple[str, str]:
    """The question to use and a notice (when it had to be shortened); rejects empty ones."""
    if question is not None and not isinstance(question, str):
        raise InputError(f"the question must be text, not {type(question).__name__}; send a question about the documents")
    if not question or not question.strip():
        raise InputError("the question is empty; type a question about the documents")
    if not any(c.isalnum() for c in question):  # "???", "🦁🐼💷": nothing to look for
        raise InputError("the question has no words; type a question about the documents")
    question = " ".join(question.split())
    if len(question) <= limit:
        return question, ""
    # What is asked may come first ("How many days can I carry over? Here is my situation: ...") or
    # last, after pasted context ("... So how many days can I carry over?"): keep both ends.
    half = limit // 2
    head_end = question.rfind(" ", 0, half) if " " in question[:half] else half
    tail_start = question.find(" ", len(question) - half) + 1 or len(question) - half
    kept = f"{question[:head_end]} … {question[tail_start:]}"
    return kept, (f"The question was {len(question):,} characters; only its first {head_end:,} and last "
                  f"{len(question) - tail_start:,} were used.")


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

    def __init__(self, settings: Settings, store: Store | None = None,
                 chat_model: BaseChatModel | None = None) -> None:
        """``chat_model`` overrides ``settings.llm`` (tests inject a fake; the name then is ``llm``)."""
        self.settings = settings
        self.store = store or Store(settings)
        self.retriever = HybridRetriever(store=self.store, k=settings.top_k, candidates=settings.candidates,
                                         mode=settings.retrieval_mode)
        self.extractive = ExtractiveAnswerer(settings.abstain_threshold,
                                             encode=self.store.embeddings.query_encoder.encode)
        self.backend_notice = ""
        """Why answers are extractive although an LLM was asked for (its one-line ``BackendError``)."""
        self.generative: GenerativeAnswerer | None = None
        try:
            self.generative = self._generative(chat_model)
        except BackendError as error:
            # A missing extra or a server that is down must not stop the assistant: it answers
            # extractively and says why in every answer.
            self.backend_notice = f"{error}. Answered extractively."
        self.chain: Runnable[dict[str, Any], Answer] = self._build_chain()

    def _generative(self, chat_model: BaseChatModel | None) -> GenerativeAnswerer | None:
        from .llm import parse_backend

        backend = parse_backend(self.settings.llm)
        if chat_model is None and backend.kind == "extractive":
            return None
        from .generative import GenerativeAnswerer
        from .llm import build_chat_model

        model = chat_model or build_chat_model(backend, self.settings)
        return GenerativeAnswerer(model, self.store.embeddings.query_encoder,
                                  name=backend.name if chat_model is None else "llm",
                                  sentence_vectors=self.store.sentence_vectors)

    # -- the steps, shared by the chain and by ``stream`` -------------------------------------
    def _prepare(self, inputs: dict[str, Any]) -> dict[str, Any]:
        question, notice = check_question(inputs.get("question"), self.settings.max_question_chars)
        history = check_history(inputs.get("history"))
        condensed = self.generative.condense(question, history) if self.generative else condense(question, history)
        return {"condensed": condensed, "notice": notice, "started": inputs["_started"]}

    def _retrieve(self, state: dict[str, Any]) -> dict[str, Any]:
        condensed: Condensed = state["condensed"]
        retriever = (self.retriever.with_context(condensed.context, condensed.said) if condensed.context
                     else self.retriever)
        documents = retriever.invoke(condensed.question)
        snapshot = self.store.snapshot(refresh=False)  # the one the retriever just used
        return {**state, "hits": [from_langchain(d, snapshot) for d in documents], "snapshot": snapshot}

    def _finish(self, state: dict[str, Any], result: Answer) -> Answer:
        notice = " ".join(n for n in (state["notice"], self.backend_notice, result.notice) if n)
        return replace(result, notice=notice, latency_ms=(time.perf_counter() - state["started"]) * 1000)

    def _answer(self, state: dict[str, Any]) -> Answer:
        hits: list[Retrieved] = state["hits"]
        result = self.extractive.answer(state["condensed"], hits, state["snapshot"])
        if self.generative is not None:
            result = self.generative.answer(state["condensed"], hits, state["snapshot"], result)
        return self._finish(state, result)

    def _build_chain(self) -> Runnable[dict[str, Any], Answer]:
        stamp = RunnableLambda(lambda inputs: {**inputs, "_started": time.perf_counter()})
        return (stamp | RunnableLambda(self._prepare) | RunnableLambda(self._retrieve)
                | RunnableLambda(self._answer)).with_config(run_name="report_assistant")

    def warm_up(self) -> None:
        """Load the models, the index snapshot and the lexical index before the first question."""
        self.store.snapshot()
        self.store.embeddings.query_encoder.warm_up()
        self.store.vectorstore()
        warm = getattr(self.generative.chat_model, "warm_up", None) if self.generative else None
        if warm is not None:
            warm()  # an in-process GGUF model loads here, not on the first question

    def ask(self, question: str, history: Sequence[Turn] | None = None) -> Answer:
        return self.chain.invoke({"question": question, "history": list(history or [])})

    def stream(self, question: str, history: Sequence[Turn] | None = None) -> Iterator[str | Answer]:
        """The generated text as it comes (nothing for extractive answers), then the final ``Answer``.

        The streamed text is the model's, unverified; the ``Answer`` is what to show once it is done.
        """
        inputs = {"question": question, "history": list(history or []), "_started": time.perf_counter()}
        state = self._retrieve(self._prepare(inputs))
        hits: list[Retrieved] = state["hits"]
        result = self.extractive.answer(state["condensed"], hits, state["snapshot"])
        if self.generative is None:
            yield self._finish(state, result)
            return
        for item in self.generative.stream(state["condensed"], hits, state["snapshot"], result):
            yield self._finish(state, item) if isinstance(item, Answer) else item
