"""How-to questions and the sentences that answer them: instructions.

"How do I turn off the child lock?" is answered by "To turn the child lock on or off, press and hold
the Delay and Half Load buttons together for 3 seconds.", not by "If a key symbol is showing, the
child lock is on.", though both share its words. An instruction is told by its verb coming first
("Refill the rinse aid dispenser", "1. Turn off the dishwasher"), after a lead-in at most ("To clear a
code, press ...", "If it leaks, turn ...", "Never run ..."). Without a part-of-speech tagger, a verb
first is a word that is no article, pronoun, preposition, auxiliary, day or month, has no ending of
a plural noun, a participle or an adverb, and is followed by what follows a verb: an article, a
pronoun, a particle ("Turn off"), a quotation or code, or "and" and another verb ("press and hold").
"""

from __future__ import annotations

import re

from .answer_kinds import DAYS, MONTHS

__all__ = ["asks_how_to", "gives_instruction"]

_ASKS_HOW_TO = re.compile(
    r"\bhow (?:do|can|should|could|would|must|shall) (?:i|we|you|one)\b(?! (?:know|tell|find|recogni[sz]e)\b)|"
    r"\bhow to\b|\bwhat (?:should|do|must|can|shall) (?:i|we|you) do\b|\bwhat(?:'s| is) the (?:best |right )?way to\b|"
    r"\bwhat steps (?:do|should|must|can|shall) (?:i|we|you)\b", re.I)
"""Not "How do I know if ...?" or "How can I find ...?": a sign or a place answers those."""

# A list marker, a step's number, a bold or plain label ("> **Warning:**", "Step 3:", "Light a lantern:").
_MARKER = re.compile(r"^\s*(?:>\s*)?(?:[-*•+]\s+|\(?\d{1,2}[.)]\s+|\(?[a-z][.)]\s+|step\s+\d+\s*[:.]\s*|"
                     r"\*\*[^*]{1,30}\*\*:?\s*|[A-Z][\w ]{0,20}:\s+)?", re.I)
_ADVERB = re.compile(r"^(?:please|always|never|just|simply|then|first|next|finally|now|also|instead|"
                     r"do not|don't|do|carefully|gently|afterwards),?\s+", re.I)
_LEAD_IN = re.compile(r"^(?:to|if|when|whenever|before|after|once|while|for|in case|unless|until|where|as soon as)"
                      r"\b[^,.;:!?]{2,90},\s+", re.I)
_NOT_A_VERB = frozenset(
    "the a an this that these those it its you your we our they their there he she his her i my all both each every "
    "some any no none one two three many most more much several such what which who whose why how here is are was "
    "were will would can could should may might must has have had be been being not nor and or but so yet also only "
    "even very too than then please at on in of by between after before for from with during within outside under "
    "over until since as like about around into per via welcome nobody somebody someone anyone everyone nothing "
    "something everything anything children people men women staff police".split()) | {
    name.lower() for name in (*DAYS, *MONTHS)}
_AFTER_A_VERB = frozenset("the a an your our their this that these those it them him her me us all any each every "
                          "some both one off on up out down in away back over again together".split())
_AFTER_AN_INTRANSITIVE = frozenset("for with until overnight at to into onto from through under gently well slowly "
                                   "quickly thoroughly carefully immediately briefly lightly".split())
"""... or what follows a verb without an object ("Cook for 8 minutes", "Defrost overnight"), when no
auxiliary follows as a noun's verb would ("Support for Python 3.8 has been dropped")."""
_AUXILIARY = re.compile(r"\b(?:is|are|was|were|has|have|had|will|would|can|could|may|might|must|should)\b", re.I)
_VERBS_LIKE_PARTICIPLES = frozenset("bring ring sing sting string swing wring fling cling spring feed need shed "
                                    "bleed breed speed proceed exceed succeed embed apply reply supply rely".split())
_WORD = re.compile(r"[`'\"“]?[\w'’-]+|\S")


def asks_how_to(question: str) -> bool:
    """Whether a question asks how to do something ("How do I clear a code?", "What should I do if ...?")."""
    return bool(_ASKS_HOW_TO.search(question))


def gives_instruction(text: str) -> bool:
    """Whether a sentence tells the reader to do something: its verb comes first."""
    rest = _MARKER.sub("", text, count=1)
    labelled = rest != text and text[:len(text) - len(rest)].rstrip().endswith(":")
    for _ in range(3):  # "Then, if it leaks, turn ..."
        shorter = _LEAD_IN.sub("", _ADVERB.sub("", rest, count=1), count=1)
        if shorter == rest:
            break
        rest = shorter
    words = _WORD.findall(rest)
    if len(words) < 2:
        return False
    first, second = words[0], words[1]
    verb = first.lower()
    if not re.fullmatch(r"[a-z][a-z'’-]*", verb) or verb in _NOT_A_VERB:
        return False
    if (re.search(r"(?:ing|ed|ly)$", verb) and verb not in _VERBS_LIKE_PARTICIPLES
            or verb.endswith("s") and not verb.endswith("ss")):
        return False  # "Doing this", "Mostly", "Passengers should": no verb of a command
    if _AUXILIARY.search(" ".join(words[1:4])):
        return False  # "Time off must be approved", "Drop off is free": a noun, then its verb
    if first.isupper() and len(first) > 1 or labelled and not first[0].isupper():
        return False  # "CONTACT US" is a heading; "Customer notice: timetable changes" a label's value
    if second.lower() == "and" and len(words) >= 3:
        following = words[2]
        return following.islower() and following not in _NOT_A_VERB and not following.endswith("s")  # "press and hold"
    if second.lower() in _AFTER_AN_INTRANSITIVE:
        return not _AUXILIARY.search(re.split(r"[,;:]", rest, maxsplit=1)[0])
    return second.lower() in _AFTER_A_VERB or second[0] in "`'\"“"
