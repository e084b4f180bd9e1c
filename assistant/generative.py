"""Generative answers whose citations are checked, not trusted.

    retrieved sentences ─ number ─> prompt (system + answer) ─ chat model ─> tokens (streamed)
        ─ parse [n] markers ─> claims ─ verify against the cited sentences ─> Answer

- The model sees the retrieved sentences in a delimited, numbered block, one per line. Anything in
  a document that looks like a marker (``[3]``) or like the block's delimiter is defused in what the
  model is shown; markers are parsed only from the model's output, and verification reads only the
  original sentence text. A document cannot make a citation verify by asking.
- A marker resolves only to a sentence that was shown: ``[0]``, numbers past the last source and
  malformed markers (``[1-3]``, ``[source 2]``, ``[]``) are dropped and counted, never mapped to
  something else (``[0]`` must not quietly mean the last source, as negative indexing would have it).
- Each answer sentence is a claim; a claim is supported when its cited sentences carry its facts
  and content (``verify.Verifier``). Unsupported claims are marked in the text and listed; only
  supported claims' citations are listed, and each is re-checked against ``document[start:end]``.
- When no claim is supported, when the question asks for a number and no supported claim gives
  one (``asks_for_quantity``), or when the backend fails, the extractive answer is returned with a
  notice saying why; when the extractive answerer abstains (the documents do not cover the
  question), the model is not asked at all.
"""

from __future__ import annotations

import queue
import re
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.output_parsers import StrOutputParser
from langchain_core.prompts import ChatPromptTemplate
from langchain_core.runnables import Runnable

from .answers import Answer, Citation, Claim
from .encoder import NumpyMiniLM
from .lexical import content_terms
from .llm import LocalChatModel, backend_error
from .prompts import Prompt, load_prompts
from .questions import Condensed, Turn, condense
from .retriever import Retrieved
from .sentences import Sentence
from .snapshot import Snapshot
from .verify import SentenceVectors, Verdict, Verifier, facts

__all__ = ["GenerativeAnswerer", "Markers", "ParsedClaim", "asks_for_quantity", "number_sources", "parse_answer",
           "states_quantity"]

MAX_SOURCES = 8
LOCAL_MAX_SOURCES = 4
"""In-process models prefill on the CPU, ~5 ms a prompt token for SmolLM2 on one core, and a source
is ~35 tokens. Past the cached system turn, the report eval set's prompts are 248 tokens (median)
and 322 (longest) with five sources, 216 and 289 with four: ~0.15 s less to the first token, and
the longest stays under 1.5 s. The fifth source rarely helps: a gold sentence is ranked first for
81% of the questions and in the top three for 90% (bench_generative.py --compare-sources 5)."""

# A bracket holding something marker-like: digits, "n", or nothing. Bracketed words ("[sic]") are prose.
_BRACKET = re.compile(r"\[([^\[\]\n]{0,24})\]|\[\s*\d[\d\s,;]*$")
_MARKER_LIKE = re.compile(r"^\s*$|\d|^\s*n\s*$", re.IGNORECASE)
_VALID = re.compile(r"^\s*\d+(?:\s*[,;]\s*\d+)*\s*$")
_BOUNDARY = re.compile(r"(?<=[.!?])[\"'”’)]*\s+(?=[\"“(\[]?[A-Z0-9])|\n+")
_ABBREVIATION = re.compile(r"(?:\b[A-Z]|\b(?:Mr|Mrs|Ms|Dr|Prof|St|No|vs|etc|e\.g|i\.e|U\.S|U\.K))\.$")
_MARKERS = re.compile(r"\[[\d,; ]*\]")
_BULLET = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+")
_MAY_END = re.compile(r"[.!?\]\n]")
"""A streamed piece with one of these may have finished a claim (or given it its marker)."""
_ASKS_QUANTITY = re.compile(
    r"\bhow\s+(?:many|much|big|large)\b|\bby\s+how\s+much\b"
    r"|\bwhat\s+(?:(?:is|was|were|are)\s+)?(?:the\s+)?(?:percentage|percent|proportion|number|amount|total)\b",
    re.IGNORECASE)
_ENDED = re.compile(r"[.!?][\"'”’)]*$")


@dataclass(frozen=True)
class Markers:
    """Citation markers the model wrote that were dropped, by why."""

    zero: int = 0
    out_of_range: int = 0
    malformed: int = 0

    @property
    def dropped(self) -> int:
        return self.zero + self.out_of_range + self.malformed

    def to_json(self) -> dict[str, int]:
        return {"zero": self.zero, "out_of_range": self.out_of_range, "malformed": self.malformed}


@dataclass(frozen=True)
class ParsedClaim:
    """One sentence of the model's answer."""

    text: str
    """The sentence without its markers (what is verified)."""
    citations: tuple[int, ...]
    """Valid source numbers it cites, in order, each once."""
    separator: str = " "
    """What followed it in the answer (a space or a line break)."""


@dataclass
class _Counter:
    zero: int = 0
    out_of_range: int = 0
    malformed: int = 0


def number_sources(hits: Sequence[Retrieved]) -> str:
    """The block of sources the model sees: ``[n] sentence`` lines, document text defused.

    Newlines are flattened (one source, one line), marker-like brackets become parentheses and
    angle brackets are dropped, so a sentence can neither forge a source number nor close the block.
    """
    lines = []
    for n, hit in enumerate(hits, start=1):
        text = " ".join(hit.sentence.text.split())
        text = re.sub(r"\[([^\[\]]{0,24})\]", r"(\1)", text).replace("<", "").replace(">", "")
        lines.append(f"[{n}] {text}")
    return "\n".join(lines)


def _resolve(inside: str, shown: int, counter: _Counter) -> list[int]:
    if not _VALID.match(inside):
        counter.malformed += 1
        return []
    kept = []
    for part in re.split(r"[,;]", inside):
        n = int(part)
        if n == 0:
            counter.zero += 1
        elif n > shown:
            counter.out_of_range += 1
        else:
            kept.append(n)
    return kept


def _split(text: str) -> list[tuple[str, str]]:
    """(sentence, separator after it), breaking at sentence ends and line breaks."""
    pieces: list[tuple[str, str]] = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        chunk = text[start:m.start()]
        if _ABBREVIATION.search(chunk) and "\n" not in m.group():
            continue
        pieces.append((chunk, "\n" if "\n" in m.group() else " "))
        start = m.end()
    pieces.append((text[start:], ""))
    # A marker written after the full stop ("... last year. [2] Next ...") belongs to the sentence before.
    merged: list[tuple[str, str]] = []
    for chunk, sep in pieces:
        lead = re.match(r"^(\s*\[[^\[\]\n]{0,24}\])+", chunk)
        if lead and merged:
            previous, previous_sep = merged[-1]
            merged[-1] = (previous + lead.group(), previous_sep)
            chunk = chunk[lead.end():]
        merged.append((chunk, sep))
    return merged


def _take_markers(chunk: str, shown: int, counter: _Counter) -> tuple[str, list[int]]:
    """``chunk`` without its markers, and the valid source numbers they held."""
    cited: list[int] = []

    def strip(m: re.Match[str]) -> str:
        if m.group(1) is None:  # "[3" cut off at the end of the answer
            counter.malformed += 1
            return ""
        if not _MARKER_LIKE.search(m.group(1)):
            return m.group()  # "[sic]": prose, not a marker
        cited.extend(_resolve(m.group(1), shown, counter))
        return ""

    return _BRACKET.sub(strip, chunk), cited


def parse_answer(text: str, shown: int) -> tuple[list[ParsedClaim], Markers]:
    """Claims of a generated answer, with their valid citations, and the count of dropped markers."""
    counter = _Counter()
    claims: list[ParsedClaim] = []
    for chunk, sep in _split(text):
        bare, cited = _take_markers(chunk, shown, counter)
        bare = _BULLET.sub("", bare)
        bare = re.sub(r"\s+([.,;:!?])", r"\1", " ".join(bare.split()))
        if not re.search(r"\w", bare):
            if cited and claims:  # markers alone on a line: they cite the sentence before
                last = claims[-1]
                claims[-1] = replace(last, citations=tuple(dict.fromkeys(last.citations + tuple(cited))))
            continue
        claims.append(ParsedClaim(bare, tuple(dict.fromkeys(cited)), "\n" if sep == "\n" else " "))
    return claims, Markers(counter.zero, counter.out_of_range, counter.malformed)


class _VerifyAhead:
    """Verification work done while the model is still writing, on a thread of its own.

    First the shown sentences' vectors (``Verifier.prepare``), then each claim as soon as the model
    has finished it (``Verifier.prepare_claims``: the embedding, when the cheap checks leave the
    claim open). A claim is finished when a later sentence has started, or, for the last one, when
    it ends with a full stop; if more text changes it (a marker after the full stop), it is simply
    prepared again. The final ``verify`` redoes the cheap checks and finds the vectors ready, so
    what is left after the last token is a few lookups, or one claim's embedding at worst.
    """

    def __init__(self, verifier: Verifier, shown: Sequence[Retrieved], texts: Mapping[str, str]) -> None:
        self.verifier = verifier
        self.shown = shown
        self.texts = texts
        self.busy_ms = 0.0
        """Time the thread spent working (during generation, so not added to the answer's latency)."""
        self.embedded = 0
        """Claims embedded ahead of ``verify``."""
        self._jobs: queue.SimpleQueue[tuple[str, tuple[int, ...]] | None] = queue.SimpleQueue()
        self._seen: set[tuple[str, tuple[int, ...]]] = set()
        self._thread = threading.Thread(target=self._work, name="verify-ahead", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def feed(self, pieces: Sequence[str]) -> None:
        """Queue the claims finished so far (cheap: a parse of a few hundred characters, only when
        the newest piece may have ended a sentence or closed a marker)."""
        if not _MAY_END.search(pieces[-1]):
            return
        claims, _ = parse_answer("".join(pieces), len(self.shown))
        if claims and not _ENDED.search(claims[-1].text):
            claims = claims[:-1]
        for claim in claims:
            key = (claim.text, claim.citations)
            if key not in self._seen:
                self._seen.add(key)
                self._jobs.put(key)

    def finish(self) -> None:
        """Wait for the queued work (the caller counts this wait as verification time)."""
        if self._thread.is_alive():
            self._jobs.put(None)
            self._thread.join()

    def _work(self) -> None:
        began = time.perf_counter()
        try:
            self.verifier.prepare([h.sentence for h in self.shown])
            self.busy_ms += (time.perf_counter() - began) * 1000
            while (job := self._jobs.get()) is not None:
                began = time.perf_counter()
                text, numbers = job
                self.embedded += self.verifier.prepare_claims(
                    [(text, [self.shown[n - 1].sentence for n in numbers])], self.texts)
                self.busy_ms += (time.perf_counter() - began) * 1000
        except Exception:  # noqa: S110 - an optimisation only: verify() computes whatever is missing
            while self._jobs.get() is not None:  # let finish() return
                pass


def asks_for_quantity(question: str) -> bool:
    """Does the question ask for a number ("how many ...", "what percentage ...")?

    A claim can be true to the sentence it cites and still not answer: "How many agreements has
    China signed?" answered with a sentence about expanding cooperation, copied from a source. Its
    citation verifies, yet it is not evidence for the answer. For questions whose answer is a
    quantity, a generated answer without one is not shown (the extractive answer quotes the
    sentence that has it, or abstains).
    """
    return _ASKS_QUANTITY.search(question) is not None


def states_quantity(text: str) -> bool:
    """Does the text state a number, amount or percentage (by ``verify.facts``)?"""
    return any(f.kind != "name" for f in facts(text))


def _tagged(text: str, tag: str) -> str:
    """Put ``tag`` (markers, or "(unverified)") before a sentence's final punctuation."""
    if not tag:
        return text
    match = re.search(r"([.!?]+[\"'”’)]*)$", text)
    if match:
        return f"{text[:match.start()]} {tag}{match.group()}"
    return f"{text} {tag}"


def _recheck(sentence: Sentence, snapshot: Snapshot) -> bool:
    document = snapshot.texts.get(sentence.doc)
    return document is not None and document[sentence.start:sentence.end] == sentence.text


class GenerativeAnswerer:
    """Answers with a chat model, then verifies every claim against the sentences it cites.

    ``chat_model`` is any LangChain chat model (``llm.build_chat_model`` makes one from ``--llm``);
    ``encoder`` is the store's query encoder, reused for verification.
    """

    def __init__(self, chat_model: BaseChatModel, encoder: NumpyMiniLM, *, name: str = "llm",
                 prompts: Mapping[str, Prompt] | None = None, max_sources: int | None = None,
                 sentence_vectors: SentenceVectors | None = None, verifier: Verifier | None = None) -> None:
        self.chat_model = chat_model
        self.name = name
        self.prompts = dict(prompts) if prompts is not None else load_prompts()
        if max_sources is None:
            max_sources = LOCAL_MAX_SOURCES if isinstance(chat_model, LocalChatModel) else MAX_SOURCES
        self.max_sources = max_sources
        self.verifier = verifier or Verifier(encoder, sentence_vectors)
        system = self.prompts["system"].template
        self.answer_chain: Runnable[dict[str, str], str] = (
            ChatPromptTemplate.from_messages([("system", system), ("human", self.prompts["answer"].template)])
            | chat_model | StrOutputParser()).with_config(run_name=f"generate:{name}")
        self.condense_chain: Runnable[dict[str, str], str] = (
            ChatPromptTemplate.from_messages([("system", system), ("human", self.prompts["condense"].template)])
            | chat_model.bind(stop=["\n"]) | StrOutputParser()).with_config(run_name=f"condense:{name}")

    # -- follow-ups -------------------------------------------------------------------------
    def condense(self, question: str, history: Sequence[Turn]) -> Condensed:
        """A follow-up made searchable: the model's standalone rewrite when it is usable, else the
        rule-based context (``questions.condense``)."""
        base = condense(question, history)
        if not base.follow_up:
            return base
        transcript = "\n".join(f"{turn['role']}: {_MARKERS.sub('', turn['content']).strip()[:400]}"
                               for turn in history[-4:])
        try:
            raw = self.condense_chain.invoke({"history": transcript, "question": question})
        except Exception:  # a rewrite is a nicety: without one the rule-based context still works
            return base
        rewritten = raw.strip().strip("\"'“”").strip()
        # Accept a rewrite only if it is a question about the conversation, not a ramble.
        about = set(content_terms(base.context))
        if not rewritten or len(rewritten) > 300 or rewritten.lower() == question.lower() or not (
                set(content_terms(rewritten)) & about):
            return base
        return Condensed(question, rewritten, True, base.said)

    # -- answering --------------------------------------------------------------------------
    def answer(self, condensed: Condensed, hits: Sequence[Retrieved], snapshot: Snapshot,
               extractive_fallback: Answer) -> Answer:
        """The verified generative answer (or the fallback, with a notice saying why)."""
        final: Answer | None = None
        for item in self.stream(condensed, hits, snapshot, extractive_fallback):
            if isinstance(item, Answer):
                final = item
        assert final is not None
        return final

    def stream(self, condensed: Condensed, hits: Sequence[Retrieved], snapshot: Snapshot,
               extractive_fallback: Answer) -> Iterator[str | Answer]:
        """The model's text as it is generated, then the final, verified ``Answer``."""
        if extractive_fallback.abstained or not hits:
            yield self._fallback(extractive_fallback, "", {"skipped": "the documents do not cover the question"})
            return
        shown = list(hits[: self.max_sources])
        inputs = {"sources": number_sources(shown), "question": self._question(condensed)}
        # Verification starts with the model's first token (not before: it would slow the prompt's
        # prefill) and keeps up with it, leaving little for after the last one.
        ahead = _VerifyAhead(self.verifier, shown, snapshot.texts)
        started = time.perf_counter()
        first_token_ms = last_token_ms = 0.0
        pieces: list[str] = []
        try:
            for piece in self.answer_chain.stream(inputs):
                if not piece:
                    continue
                last_token_ms = (time.perf_counter() - started) * 1000
                if not pieces:
                    first_token_ms = last_token_ms
                    ahead.start()
                pieces.append(piece)
                ahead.feed(pieces)
                yield piece
            generated = time.perf_counter()
        except Exception as exc:
            error = backend_error(exc, self.name)
            if error is None:
                raise
            ahead.finish()
            yield self._fallback(extractive_fallback, f"{error}; showing the extractive answer instead.",
                                 {"error": str(error)})
            return
        finally:
            # Waits for the claims still being embedded (counted in verify_ms: ``generated`` is
            # earlier); also ends the worker when the caller stops reading mid-answer.
            ahead.finish()
        timing = {"first_token_ms": round(first_token_ms, 3), "last_token_ms": round(last_token_ms, 3),
                  "tokens": len(pieces), "generation_ms": round((generated - started) * 1000, 3),
                  "verify_ahead_ms": round(ahead.busy_ms, 3), "claims_embedded_ahead": ahead.embedded}
        yield self._verified("".join(pieces), hits, shown, snapshot, extractive_fallback, timing, generated,
                             condensed.question)

    def _question(self, condensed: Condensed) -> str:
        if condensed.follow_up and condensed.context:
            return f"{condensed.question} (a follow-up; it refers to: {condensed.context})"
        return condensed.question

    def _verified(self, raw: str, hits: Sequence[Retrieved], shown: Sequence[Retrieved], snapshot: Snapshot,
                  fallback: Answer, timing: dict[str, Any], started: float, question: str = "") -> Answer:
        """The answer from the model's text; ``started`` is when generation ended (what verification adds)."""
        parsed, markers = parse_answer(raw, len(shown))
        # Only sentences that still read the same in their document can support anything.
        current = [[n for n in claim.citations if _recheck(shown[n - 1].sentence, snapshot)] for claim in parsed]
        verdicts = self.verifier.verify(
            [(claim.text, [shown[n - 1].sentence for n in numbers]) for claim, numbers in zip(parsed, current)],
            snapshot.texts)
        for i, (claim, numbers) in enumerate(zip(parsed, current)):
            if claim.citations and not numbers:
                verdicts[i] = Verdict(False, "the cited sentences no longer match their documents")
        verify_ms = (time.perf_counter() - started) * 1000

        claims: list[Claim] = []
        citations: dict[int, Citation] = {}
        text_parts: list[str] = []
        for claim, verdict, numbers in zip(parsed, verdicts, current):
            claims.append(Claim(claim.text, claim.citations, verdict.supported, verdict.reason))
            if verdict.supported:
                used = [numbers[j] for j in verdict.used]
                for n in used:
                    hit = shown[n - 1]
                    citations.setdefault(n, Citation(n, hit.sentence, hit.score, verified=True))
                text_parts.append(_tagged(claim.text, "".join(f"[{n}]" for n in used)) + claim.separator)
            else:
                text_parts.append(_tagged(claim.text, "(unverified)") + claim.separator)
        generation = {"backend": self.name, "raw": raw, "dropped_markers": markers.to_json(), **timing,
                      "verify_ms": round(verify_ms, 3)}
        supported = sum(c.supported for c in claims)
        unanswered = bool(supported) and asks_for_quantity(question) and not any(
            c.supported and states_quantity(c.text) for c in claims)
        if not supported or unanswered:
            why = "it cited no sentences" if not any(c.citations for c in claims) else "its cited sentences do not support it"
            if not claims:
                why = "it was empty"
            if unanswered:
                why = "the question asks for a number and its supported sentences give none"
            notice = (f"The {self.name} answer was not used: {why}. "
                      "Showing the extractive answer, which quotes the sources.")
            return self._fallback(fallback, notice, generation, tuple(claims))
        notice = ""
        if supported < len(claims):
            unsupported = len(claims) - supported
            notice = (f"{unsupported} of {len(claims)} sentences of the answer {'is' if unsupported == 1 else 'are'} "
                      "not supported by the sentences cited and marked (unverified).")
        ordered = tuple(sorted(citations.values(), key=lambda c: c.n))
        return replace(fallback, text="".join(text_parts).strip(), citations=ordered, retrieved=tuple(hits),
                       notice=notice, mode=self.name, claims=tuple(claims),
                       extra={**fallback.extra, "generation": generation})

    def _fallback(self, fallback: Answer, notice: str, generation: dict[str, Any],
                  claims: tuple[Claim, ...] = ()) -> Answer:
        return replace(fallback, notice=" ".join(p for p in (fallback.notice, notice) if p), claims=claims,
                       extra={**fallback.extra, "generation": {"backend": self.name, **generation}})
