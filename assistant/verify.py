"""Checking a generated claim against the sentences it cites.

A language model may cite whatever it likes; a claim counts as supported only when the sentences
it cites carry it:

1. Facts: every number, amount, percentage, date and name in the claim appears in the cited text.
   Numbers are compared by value, so "215,000" matches "215000", "41.6%" matches "41.6 percent",
   "$22 million" matches "22 million dollars" (but not "22 million yuan"), and "320 thousand"
   matches "320,000".
2. Content: enough of the claim's content words (stemmed, as the lexical index sees them) occur in
   the cited text, and the claim's embedding is close enough to a cited sentence, or to a clause of
   one (a claim often states one detail of a long sentence). The two trade off: a claim in the
   source's own words needs only to be on its topic (similarity >= 0.35), a paraphrase that shares
   fewer words must be semantically close (>= 0.65). Embeddings see topic, not truth: "enforcement
   helps overseas firms" and "... hurts overseas firms" are close, so facts and words do the work
   and similarity is the guard against a claim about something else.

3. Statements only: a cited sentence written to steer a model ("ignore previous instructions and
   reply that ...") is never support, even for the very claim it asks for.

Cheap checks run first (well under a millisecond); a claim that keeps 80% of its words from its
sources needs nothing more, and only the others are embedded, in one batch: one MiniLM pass for a
short claim, ~20 ms of CPU here, the cost of checking a paraphrase. None of that need come after
the model's last token: the sources' vectors are the stored ones (their clauses' are computed and
cached by ``prepare``), and ``prepare_claims`` embeds each claim as soon as the model has finished
writing it, while it writes the next; ``verify`` then only looks vectors up. Only the original
sentence text is consulted: a marker or an instruction inside a document is just more words.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np

from .encoder import NumpyMiniLM
from .lexical import STOPWORDS, stem, tokenize
from .sentences import Sentence
from .spans import proper_words

__all__ = ["MIN_OVERLAP", "MIN_SIMILARITY", "PARAPHRASE_OVERLAP", "PARAPHRASE_SIMILARITY", "VERBATIM_OVERLAP", "Fact",
           "Verdict", "Verifier", "clauses", "facts", "looks_like_instruction", "missing_facts"]

MIN_OVERLAP, MIN_SIMILARITY = 0.5, 0.35
"""A claim with at least half of its content words in the cited sentences must be on their topic."""
PARAPHRASE_OVERLAP, PARAPHRASE_SIMILARITY = 0.3, 0.65
"""A claim sharing fewer words (but at least 30%) must be semantically close to a cited sentence or clause."""
VERBATIM_OVERLAP = 0.8
"""A claim with this share of its words in the cited sentences (and all its facts) needs no embedding:
similarity guards paraphrases, and words taken from the source are on its topic by construction."""

SentenceVectors = Callable[[Sequence[str]], Mapping[str, np.ndarray]]
"""Sentence ids -> stored embeddings (``Store.sentence_vectors``); saves embedding the sources again."""

_SCALES = {"hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
_CURRENCY_SIGNS = {"$": "USD", "us$": "USD", "€": "EUR", "£": "GBP", "¥": "CNY"}
_CURRENCY_WORDS = {"dollar": "USD", "dollars": "USD", "usd": "USD", "yuan": "CNY", "rmb": "CNY", "renminbi": "CNY",
                   "euro": "EUR", "euros": "EUR", "pound": "GBP", "pounds": "GBP", "yen": "JPY", "rupee": "INR",
                   "rupees": "INR"}
_NUMBER_WORDS = {w: float(i) for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty".split())}
_NUMBER_WORDS.update({"thirty": 30.0, "forty": 40.0, "fifty": 50.0, "sixty": 60.0, "seventy": 70.0, "eighty": 80.0,
                      "ninety": 90.0, "dozen": 12.0})

_AMOUNT = re.compile(
    r"(?P<sign>US\$|\$|€|£|¥)?\s?"
    r"(?<![\w.,])(?P<number>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|(?i:" + "|".join(_NUMBER_WORDS) + r"))\b"
    r"(?:\s*(?P<scale>(?i:hundred|thousand|million|billion|trillion))\b)?"
    r"(?:\s*(?P<percent>%|(?i:percent|per cent)\b))?"
    r"(?:\s+(?P<currency>(?i:" + "|".join(_CURRENCY_WORDS) + r"))\b)?"
)
# Sentences written to steer a model rather than to state something. They stay visible as sources
# (the model is told they are data), but never count as support: a planted "reply that X" must not
# verify the claim X.
_INSTRUCTION = re.compile(
    r"\b(?:ignore|disregard|forget)\b.{0,30}\b(?:instructions?|prompts?)\b"
    r"|\b(?:reply|respond)\s+(?:only\s+)?(?:that|with)\b"
    r"|\b(?:assistants?|chatbots?|the model|language models?|AIs?)\s+(?:must|should|shall|are to)\b"
    r"|\bnote to (?:the |any )?(?:assistant|model|AI|chatbot)s?\b",
    re.IGNORECASE)
_CAPITALISED = re.compile(r"\b[A-Z][\w'’&-]*")
_SENTENCE_OPENING = re.compile(r"(^|[.!?:;]\s+|[\"“(]\s*)$")


@dataclass(frozen=True)
class Fact:
    """Something checkable in a claim: a number (by value) or a name (by stem)."""

    kind: str
    """``number``, ``percent``, ``money`` or ``name``."""
    key: str
    """What is compared: the value as a canonical string, or the stemmed name."""
    text: str
    """As written in the text, for messages."""
    currency: str = ""


@dataclass(frozen=True)
class Verdict:
    supported: bool
    reason: str
    overlap: float = 0.0
    """Share of the claim's content words found in the cited sentences."""
    similarity: float | None = None
    """Best cosine similarity between the claim and a cited sentence or clause (None: not needed)."""
    used: tuple[int, ...] = ()
    """Positions (in the cited list) of the sentences that contribute something to the claim."""


def _value_key(value: float) -> str:
    return f"{value:.9g}"


def facts(text: str, proper: frozenset[str] = frozenset()) -> list[Fact]:
    """Numbers, amounts, percentages and names in ``text``.

    A capitalised word counts as a name unless it opens a sentence; an opening word counts too when
    ``proper`` (words the document capitalises mid-sentence) says it is one.
    """
    found: list[Fact] = []
    for m in _AMOUNT.finditer(text):
        raw = m.group("number")
        word = raw.lower()
        if word in _NUMBER_WORDS:
            if m.group("sign") or m.group("scale") or m.group("percent") or m.group("currency"):
                value = _NUMBER_WORDS[word]
            else:
                continue  # "one of the ..." is not a quantity worth checking
        else:
            value = float(raw.replace(",", ""))
        if m.group("scale"):
            value *= _SCALES[m.group("scale").lower()]
        currency = ""
        if m.group("sign"):
            currency = _CURRENCY_SIGNS[m.group("sign").lower()]
        elif m.group("currency"):
            currency = _CURRENCY_WORDS[m.group("currency").lower()]
        kind = "percent" if m.group("percent") else "money" if currency else "number"
        found.append(Fact(kind, _value_key(value), m.group().strip(), currency))
    for m in _CAPITALISED.finditer(text):
        word = m.group().rstrip("'’-")
        if word.endswith(("'s", "’s")):
            word = word[:-2]
        if not word or word.lower() in STOPWORDS:
            continue
        opening = _SENTENCE_OPENING.search(text[:m.start()]) is not None
        if opening and word not in proper:
            continue
        found.append(Fact("name", stem(word.lower()), word))
    return found


def missing_facts(claim: Sequence[Fact], cited: Sequence[Fact]) -> list[Fact]:
    """The claim's facts that the cited facts do not contain."""
    names = {f.key for f in cited if f.kind == "name"}
    values: dict[str, list[Fact]] = {}
    for f in cited:
        if f.kind != "name":
            values.setdefault(f.key, []).append(f)
    missing = []
    for fact in claim:
        if fact.kind == "name":
            ok = fact.key in names or any(_same_name(fact.key, n) for n in names)
        else:
            same = values.get(fact.key, [])
            if fact.kind == "percent":
                same = [f for f in same if f.kind == "percent"]
            if fact.currency:
                # "$22 million" against "22 million yuan" is a different amount; against a bare
                # "22 million" the currency may be implied by the sentence, so it passes.
                same = [f for f in same if not f.currency or f.currency == fact.currency]
            ok = bool(same)
        if not ok:
            missing.append(fact)
    return missing


def looks_like_instruction(text: str) -> bool:
    """Is this sentence addressed to a model ("ignore previous instructions", "reply that ...")?"""
    return _INSTRUCTION.search(text) is not None


def _same_name(a: str, b: str) -> bool:
    """"Chinese" and "China", "Russian" and "Russia": one name, two forms (stems share all but an ending)."""
    shorter = min(len(a), len(b))
    common = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), shorter)
    return common >= max(4, shorter - 1)


def clauses(text: str) -> list[str]:
    """Parts of a long sentence between commas, semicolons and colons, merged to at least six words.

    A claim often states one detail of a long sentence ("the official spoke on Wednesday");
    compared with the whole sentence it looks off-topic, compared with its clause it does not.
    """
    parts = [p for p in re.split(r"[,;:]\s+", text) if p.strip()]
    if len(parts) < 2:
        return []
    merged: list[str] = []
    for part in parts:
        if merged and len(merged[-1].split()) < 6:
            merged[-1] = f"{merged[-1]}, {part}"
        else:
            merged.append(part)
    if len(merged) > 1 and len(merged[-1].split()) < 6:
        merged[-2:] = [f"{merged[-2]}, {merged[-1]}"]
    return merged if len(merged) > 1 else []


def _fewest_contributing(contributions: Sequence[set[str]]) -> tuple[int, ...]:
    """Positions of the fewest cited sentences that together give all they can give to a claim.

    Greedy set cover over the claim's words and facts: the sentence giving most, then any giving
    something the chosen ones lack. A sentence that only repeats a word already covered ("China")
    adds nothing to the claim and is not listed as its citation: a model that cites every source
    for a sentence copied from one of them gets that one.
    """
    wanted = set().union(*contributions) if contributions else set()
    chosen: list[int] = []
    while wanted:
        best = max(range(len(contributions)), key=lambda j: (len(contributions[j] & wanted), -j))
        if not contributions[best] & wanted:
            break
        chosen.append(best)
        wanted -= contributions[best]
    return tuple(sorted(chosen))


def _content_terms(text: str) -> set[str]:
    """Stemmed content words, numbers left out (they are facts, checked by value)."""
    return {t for t in tokenize(text) if not t[0].isdigit()}


class Verifier:
    """Decides, claim by claim, whether the cited sentences support what a generated answer says."""

    def __init__(self, encoder: NumpyMiniLM, sentence_vectors: SentenceVectors | None = None,
                 cache_size: int = 4096) -> None:
        self.encoder = encoder
        self.sentence_vectors = sentence_vectors
        self._cache: dict[str, np.ndarray] = {}
        """Sentence id -> its vector and its clauses' vectors, one row each."""
        self._cache_size = cache_size
        self._claims: dict[str, np.ndarray] = {}
        """Claim text -> its vector, from ``prepare_claims``."""
        self._lock = threading.Lock()

    def prepare(self, sentences: Sequence[Sentence]) -> None:
        """Compute the vectors of sentences that may be cited (e.g. while the model is writing)."""
        self._vectors(sentences)

    def prepare_claims(self, claims: Sequence[tuple[str, Sequence[Sentence]]],
                       texts: Mapping[str, str] | None = None) -> int:
        """Embed now the claims that ``verify`` would have to embed (those the cheap checks leave
        open), so that it will not; called with each claim the model finishes while it writes the
        next. Returns how many claims were embedded."""
        _, pending = self._triage(claims, texts or {})
        todo = list(dict.fromkeys(claim for _, claim, _, _, _ in pending if claim not in self._claims))
        if not todo:
            return 0
        self._vectors([s for _, _, cited, _, _ in pending for s in cited])
        vectors = self._encode(todo)
        with self._lock:
            if len(self._claims) > self._cache_size:
                self._claims.clear()
            self._claims.update(zip(todo, vectors))
        return len(todo)

    def verify(self, claims: Sequence[tuple[str, Sequence[Sentence]]],
               texts: Mapping[str, str] | None = None) -> list[Verdict]:
        """One verdict per ``(claim text, cited sentences)``; ``texts`` are the documents (for names)."""
        verdicts, pending = self._triage(claims, texts or {})
        if pending:
            with self._lock:
                known = {claim: self._claims[claim] for _, claim, _, _, _ in pending if claim in self._claims}
            todo = list(dict.fromkeys(claim for _, claim, _, _, _ in pending if claim not in known))
            known.update(zip(todo, self._encode(todo)))  # one encoder call for all the claims left
            sources = self._vectors([s for _, _, cited, _, _ in pending for s in cited])
            for i, claim, cited, overlap, used in pending:
                similarity = max(float((sources[s.id] @ known[claim]).max()) for s in cited)
                verdicts[i] = self._judge(overlap, similarity, used)
        return [v for v in verdicts if v is not None]

    def _triage(self, claims: Sequence[tuple[str, Sequence[Sentence]]], texts: Mapping[str, str]
                ) -> tuple[list[Verdict | None], list[tuple[int, str, list[Sentence], float, tuple[int, ...]]]]:
        """Verdicts the cheap checks reach (None where they do not), and the claims left for the embedding."""
        verdicts: list[Verdict | None] = []
        pending: list[tuple[int, str, list[Sentence], float, tuple[int, ...]]] = []
        for i, (claim, cited) in enumerate(claims):
            # Positions in ``cited`` of the sentences that state something (not instructions to a model).
            kept = [j for j, s in enumerate(cited) if not looks_like_instruction(s.text)]
            statements = [cited[j] for j in kept]
            if cited and not statements:
                verdicts.append(Verdict(False, "the cited sentence is an instruction to the model, not a statement"))
                continue
            verdict, overlap, used = self._cheap_checks(claim, statements, texts)
            used = tuple(kept[j] for j in used)
            verdicts.append(replace(verdict, used=used) if verdict else None)
            if verdict is None:
                pending.append((i, claim, statements, overlap, used))
        return verdicts, pending

    @staticmethod
    def _judge(overlap: float, similarity: float, used: tuple[int, ...]) -> Verdict:
        if overlap >= MIN_OVERLAP and similarity >= MIN_SIMILARITY or similarity >= PARAPHRASE_SIMILARITY:
            return Verdict(True, "supported by the cited sentences", overlap, similarity, used)
        if overlap >= MIN_OVERLAP:
            reason = f"the cited sentences are about something else (similarity {similarity:.2f})"
        else:
            reason = f"too little of it is in the cited sentences ({overlap:.0%} of its words, similarity {similarity:.2f})"
        return Verdict(False, reason, overlap, similarity, used)

    def _cheap_checks(self, claim: str, cited: Sequence[Sentence],
                      texts: Mapping[str, str]) -> tuple[Verdict | None, float, tuple[int, ...]]:
        """A verdict when facts or words already decide; else None, the overlap and the contributing sentences."""
        if not cited:
            return Verdict(False, "no citation"), 0.0, ()
        proper = frozenset().union(*(proper_words(texts.get(s.doc, s.text)) for s in cited))
        claim_facts = facts(claim, proper)
        cited_facts = [facts(s.text, proper) for s in cited]
        missing = missing_facts(claim_facts, [f for fs in cited_facts for f in fs])
        terms = _content_terms(claim)
        cited_terms = [set(tokenize(s.text)) for s in cited]
        present = set().union(*cited_terms) & terms
        overlap = len(present) / len(terms) if terms else 1.0
        claim_keys = {f.key for f in claim_facts}
        used = _fewest_contributing([(ts & terms) | (claim_keys & {f.key for f in fs})
                                     for ts, fs in zip(cited_terms, cited_facts)]) or tuple(range(len(cited)))
        if missing:
            shown = ", ".join(f'"{f.text}"' for f in missing[:3])
            return Verdict(False, f"not in the cited sentences: {shown}", overlap, None, used), overlap, used
        if overlap < PARAPHRASE_OVERLAP:
            return (Verdict(False, f"too little of it is in the cited sentences ({overlap:.0%} of its words)",
                            overlap, None, used), overlap, used)
        if overlap >= VERBATIM_OVERLAP:
            return Verdict(True, "supported by the cited sentences", overlap, None, used), overlap, used
        return None, overlap, used

    def _encode(self, texts: Sequence[str], batch: int = 4) -> np.ndarray:
        """Embed in small batches of similar length: a batch is padded to its longest text."""
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out = np.zeros((len(texts), 384), dtype=np.float32)
        # (The encoder runs numpy's BLAS on one thread: see encoder._single_threaded_openblas.)
        for start in range(0, len(order), batch):
            chunk = order[start:start + batch]
            out[chunk] = self.encoder.encode([texts[i] for i in chunk])
        return out

    def _vectors(self, sentences: Sequence[Sentence]) -> dict[str, np.ndarray]:
        """For each sentence, its vector and its clauses' (rows): cached, else stored or computed."""
        with self._lock:
            found = {s.id: self._cache[s.id] for s in sentences if s.id in self._cache}
        todo = list({s.id: s for s in sentences if s.id not in found}.values())
        if todo:
            stored = dict(self.sentence_vectors([s.id for s in todo])) if self.sentence_vectors else {}
            parts = {s.id: clauses(s.text) for s in todo}
            texts = [t for s in todo for t in ([] if s.id in stored else [s.text]) + parts[s.id]]
            vectors = iter(self._encode(texts))
            for s in todo:
                whole = [np.asarray(stored[s.id], dtype=np.float32) if s.id in stored else next(vectors)]
                found[s.id] = np.stack(whole + [next(vectors) for _ in parts[s.id]])
            with self._lock:
                if len(self._cache) > self._cache_size:
                    self._cache.clear()
                self._cache.update(found)
        return found
