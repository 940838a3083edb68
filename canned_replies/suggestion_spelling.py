"""The spelling a suggestion is offered in: Grammalecte writes its fixes in the 1990 reform's
spelling and lists accent variants in no particular order; writers (and annotators) expect the
form written most often. Split from french.py."""

from __future__ import annotations

import re

from canned_replies import unknown_words
from canned_replies.grammalecte_engine import morphs

_REFORMED = re.compile(r"[iu]")
_CIRCUMFLEX = {"i": "î", "u": "û"}
_SUGGESTION_WORD = re.compile(r"[^\W\d_]+")


def _circumflex_by_use(word: str) -> str:
    """The classical spelling of a form the dictionary marks as the 1990 reform's only ("plait"
    → "plaît", "gout" → "goût", tag "/R"), with the same morphology ("/M"); a word that is
    also another word keeps its spelling ("boite", from "boiter"; "du", "sur")."""
    if len(word) < 3 or not word.isalpha():
        return word
    own = morphs(word)
    if not own or not all(m.endswith("/R") for m in own):
        return word
    tags = {m.split("/")[1] for m in own}
    for match in _REFORMED.finditer(word):
        i = match.start()
        other = word[:i] + _CIRCUMFLEX[match.group()] + word[i + 1 :]
        if any(m.endswith("/M") and m.split("/")[1] in tags for m in morphs(other)):
            return other
    return word


def _traditional_spelling(suggestions: list[str]) -> list[str]:
    """Grammalecte writes its fixes in the reformed spelling ("s'il te plait", "il
    connait"), which writers and annotators rarely use: each word takes the spelling written
    more often."""
    result: list[str] = []
    for suggestion in suggestions:
        fixed = _SUGGESTION_WORD.sub(lambda m: _circumflex_by_use(m.group()), suggestion)
        if fixed not in result:
            result.append(fixed)
    return result


def accent_variants_by_use(suggestions: list[str]) -> list[str]:
    """Grammalecte lists spelling variants of one form in no particular order ("connait",
    "connaît"): the one written most often goes first, the others keep their place."""
    suggestions = _traditional_spelling(suggestions)
    if len(suggestions) < 2:
        return suggestions
    first = unknown_words.strip_accents(suggestions[0].lower())
    variants = [s for s in suggestions if unknown_words.strip_accents(s.lower()) == first]
    if len(variants) < 2:
        return suggestions
    best = max(variants, key=lambda s: unknown_words.zipf(s.lower()))
    return [best, *[s for s in suggestions if s != best]]
