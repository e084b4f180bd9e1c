"""Whether a question is written in another language than the documents.

The embedding model (all-MiniLM-L6-v2) and the extractive rules read English. Asked "Qui est le
délégué à la protection des données ?", they match "des" and "protection" and answer from whatever
shares them, or refuse as if "Qui" were a name the documents never use. A question in another
language than the documents is told so instead, and asked again in theirs.

py3langid (a maintained fork of langid.py, its model in the wheel) names the language. Its model
loads in about half a second, so it is loaded only for a question with almost no English function
words: every English question of the sixteen eval sets has some ("what", "is", "the", "how").
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache, lru_cache
from typing import Any

from .lexical import STOPWORDS, tokenize

__all__ = ["FOREIGN_CONFIDENCE", "language_of", "other_language"]

FOREIGN_CONFIDENCE = 0.7
"""How sure the identifier must be that a question is in another language. Over the 1,468 English
questions of the eval sets, the most it gave another language was 0.47 (a ClapNQ search query quoting
a Spanish song title); French, German, Dutch, Italian and Spanish questions scored 0.76 to 1.0."""
ENGLISH_SHARE = 0.2
"""A question at least this share of whose words are English function words is taken as English
without loading the identifier ("Who is Jin Hai?": two of four)."""
DOCUMENT_SAMPLE = 5000
"""Characters of each document read to name its language."""

_NAMES = {"en": "English", "fr": "French", "de": "German", "es": "Spanish", "it": "Italian", "pt": "Portuguese",
          "nl": "Dutch", "sv": "Swedish", "da": "Danish", "no": "Norwegian", "nb": "Norwegian", "fi": "Finnish",
          "pl": "Polish", "cs": "Czech", "ro": "Romanian", "hu": "Hungarian", "tr": "Turkish", "el": "Greek",
          "ru": "Russian", "uk": "Ukrainian", "ar": "Arabic", "he": "Hebrew", "hi": "Hindi", "zh": "Chinese",
          "ja": "Japanese", "ko": "Korean", "vi": "Vietnamese", "id": "Indonesian", "cy": "Welsh", "ga": "Irish"}


@cache
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def language_of(text: str) -> tuple[str, float]:
    """The language ``text`` is most likely in (an ISO 639-1 code) and how likely, 0..1."""
    code, probability = _identifier().classify(text)
    return str(code), float(probability)


@lru_cache(maxsize=4096)  # the same documents for every question
def _document_language(sample: str) -> str:
    return language_of(sample)[0]


def name(code: str) -> str:
    return _NAMES.get(code, code)


def other_language(question: str, documents: Iterable[str]) -> tuple[str, str]:
    """(the question's language, the documents' languages) by name, when the question is surely in
    another language than every document ("French", "English"); else ("", "")."""
    words = question.split()
    english = sum(w.strip("?!.,;:¿¡\"'").lower() in STOPWORDS for w in words)
    if not words or english >= ENGLISH_SHARE * len(words) or not tokenize(question):
        return "", ""
    code, probability = language_of(question)
    if probability < FOREIGN_CONFIDENCE:
        return "", ""
    theirs = sorted({_document_language(text[:DOCUMENT_SAMPLE]) for text in documents})
    if code in theirs:
        return "", ""  # French documents may be asked about in French
    return name(code), " and ".join(name(c) for c in theirs)
