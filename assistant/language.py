"""Whether a question is written in another language than the documents.

The embedding model (all-MiniLM-L6-v2) and the extractive rules read English. Asked "Qui est le
délégué à la protection des données ?", they match "des" and "protection" and answer from whatever
shares them, or refuse as if "Qui" were a name the documents never use. A question in another
language, most of whose words the documents never use, is told so instead.

py3langid (a maintained fork of langid.py, its model in the wheel) names the language. Its model
loads in about half a second, so it is loaded only for a question with almost no English function
words: every English question of the sixteen eval sets has some ("what", "is", "the", "how"). The
documents' own words decide the rest: "Blaenau Ffestiniog railway" reads as Welsh, and "Qui a
ouvert la piscine ?" is French, but a text that uses their words is about them, whatever its
language.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from .lexical import STOPWORDS, tokenize

__all__ = ["FOREIGN_CONFIDENCE", "language_of", "other_language"]

FOREIGN_CONFIDENCE = 0.7
"""How sure the identifier must be that a question is in another language. Over the 1,708 English
questions of the eval sets, the most it gave another language was 0.47 (a ClapNQ search query quoting
a Spanish song title); French, German, Dutch, Italian and Spanish questions scored 0.76 to 1.0."""
LESS_SURE = 0.5
"""From this sure, a question is in another language if two or more of its words are that language's
function words: "Combien coûte un blazer pour Castlegate ?" is French at only 0.69, the documents'
English names pulling it towards English, while English keywords with a loanword ("Pension
contributions employer percentage", French at 0.57; "Hors d'oeuvres platter price") have none."""
_FUNCTION_WORDS = {code: frozenset(words.split()) for code, words in {
    "fr": "le la les un une des du au aux pour est sont combien quel quelle quels quelles comment où quand qui "
          "que avec dans sur et je vous nous il elle ce cette mon ma mes",
    "de": "der die das ein eine einen dem den des ist sind wie was wer wo wann warum für mit und oder ich sie wir "
          "es im am zum zur von auf kann",
    "es": "el la los las un una unos unas del es son cuánto cuánta cuántos cuál cómo dónde cuándo qué quién para "
          "con y en por mi",
    "it": "il lo la gli le un una del della è sono quanto quanta quanti quale come dove quando che chi per con e "
          "in su mio",
    "nl": "de het een is zijn hoeveel wat wie waar wanneer hoe welke voor met en of op van ik",
    "pt": "o os as um uma do da é são quanto quanta quantos qual como onde quando que quem para com e em",
}.items()}
"""A few function words of the languages questions are most often asked in (``LESS_SURE``)."""
ENGLISH_SHARE = 0.2
"""A question more than this share of whose words are English function words is taken as English
without loading the identifier ("Who is Jin Hai?": two of four)."""
FEWEST_WORDS = 3
"""Fewer words than this are too few to name a language by: "Curriculum vitae", "Plas Newydd"."""
UNKNOWN_SHARE = 0.5
"""More than this share of the question's words must be words the documents never use."""

# Languages a question is told to be in; others ("la", "cy", "zxx", ...) are more often English
# questions about names and phrases from them ("Status quo?", "Cwm Rhondda walks").
_NAMES = {"fr": "French", "de": "German", "es": "Spanish", "it": "Italian", "pt": "Portuguese", "nl": "Dutch",
          "sv": "Swedish", "da": "Danish", "no": "Norwegian", "nb": "Norwegian", "fi": "Finnish", "pl": "Polish",
          "cs": "Czech", "ro": "Romanian", "hu": "Hungarian", "tr": "Turkish", "el": "Greek", "ru": "Russian",
          "uk": "Ukrainian", "ar": "Arabic", "he": "Hebrew", "hi": "Hindi", "zh": "Chinese", "ja": "Japanese",
          "ko": "Korean", "vi": "Vietnamese", "id": "Indonesian"}


@cache
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


_VARIETY_OF = {"wuu": "zh", "yue": "zh"}
"""Varieties the identifier tells apart and a reader would not: "德语翻译每个字多少钱？" is Wu Chinese to it
at 0.70 and Mandarin at 0.30, and Chinese at 1.0."""


def language_of(text: str) -> tuple[str, float]:
    """The language ``text`` is most likely in (an ISO 639-1 code) and how likely, 0..1, its
    varieties counted as one (``_VARIETY_OF``)."""
    totals: dict[str, float] = {}
    for code, probability in _identifier().rank(text):
        language = _VARIETY_OF.get(str(code), str(code))
        totals[language] = totals.get(language, 0.0) + float(probability)
    best = max(totals, key=totals.__getitem__)
    return best, totals[best]


def other_language(question: str, knows: Callable[[str], bool]) -> str:
    """The language ``question`` is surely written in ("French"), when it is not English and the
    documents, whose vocabulary ``knows``, never use most of its words; else ""."""
    words = [w.strip("?!.,;:¿¡\"'()") for w in question.split()]
    words = [w for w in words if w]
    english = sum(w.lower() in STOPWORDS for w in words)
    if english > ENGLISH_SHARE * len(words) or not tokenize(question):
        return ""
    if len(words) < FEWEST_WORDS and not any(len(w) > 8 and not w.isascii() for w in words):
        return ""  # too few words, unless one is a run of Chinese or Japanese characters
    code, probability = language_of(question)
    if code not in _NAMES or probability < LESS_SURE:
        return ""
    if probability < FOREIGN_CONFIDENCE and len({w.lower() for w in words} & _FUNCTION_WORDS.get(code, frozenset())) < 2:
        return ""
    # A model number or a figure is written alike in every language, and the documents use it:
    # "Combien coûte la pompe AW8 ?" is no less French for "AW8" (two of its six terms).
    terms = [t for t in tokenize(question, keep_stopwords=True) if not any(c.isdigit() for c in t)]
    unknown = sum(not knows(t) for t in terms)
    return _NAMES[code] if terms and unknown > UNKNOWN_SHARE * len(terms) else ""
