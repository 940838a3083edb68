"""An unknown word that is the first part of a compound written apart ("musculo
squelettiques", "islamo gauchiste"): the dictionary knows the compound, so the fix is the
hyphen, not a word one letter from the first part ("muscle"). Not the two parts glued: on
outside chat text that made other words ("facon de" → "faconde", "pr une" → "prune")."""

from __future__ import annotations

import re

from canned_replies.findings import Finding
from canned_replies.grammalecte_engine import is_valid_word

# One space, then a lowercase word of two letters or more: a capitalised one starts a name
# ("Porto Ricains" is left to the writer) or a new sentence; a lone letter is a slip of its own.
_NEXT_WORD = re.compile(r" ([a-zà-öø-ÿœ]{2,})\b")
MESSAGE = "Mot composé : « {words} » s’écrit « {compound} »."


def compound(text: str, start: int, end: int, offset: int = 0) -> Finding | None:
    """A blocking finding over both words when the unknown word text[start:end] and the word
    after it make one dictionary word with a hyphen (positions + offset)."""
    word = text[start:end]
    if not word.isalpha() or (word[:1].isupper() and not word[1:].islower()):
        return None
    elided = _elided_apart(text, start, end, offset)
    if elided is not None:
        return elided
    after = _NEXT_WORD.match(text, end)
    if after is None:
        return None
    following = after.group(1)
    joined = f"{word}-{following}"
    if not is_valid_word(joined):
        return None
    return Finding(
        start=offset + start,
        end=offset + after.end(),
        message=MESSAGE.format(words=text[start : after.end()], compound=joined),
        suggestions=[joined],
        rule="vigie.mot_compose",
        kind="spelling",
    )


# The word before, and one space: "Aujourd hui" (Grammalecte flags "hui" only).
_PREVIOUS_WORD = re.compile(r"(?<![\w'’-])([^\W\d_]{2,}) $")


def _elided_apart(text: str, start: int, end: int, offset: int) -> Finding | None:
    """An unknown word that, with the word before or after it and an apostrophe, makes one
    dictionary word ("aujourd hui" → "aujourd'hui", proof19n)."""
    word = text[start:end]
    before = _PREVIOUS_WORD.search(text, max(0, start - 30), start)
    after = _NEXT_WORD.match(text, end)
    pairs = []
    if before is not None:
        pairs.append((before.start(1), end, before.group(1), word))
    if after is not None:
        pairs.append((start, after.end(), word, after.group(1)))
    for left, right, first, second in pairs:
        joined = f"{first}'{second}"
        if len(first) > 2 and is_valid_word(joined.lower()):
            return Finding(
                start=offset + left,
                end=offset + right,
                message=MESSAGE.format(words=text[left:right], compound=joined),
                suggestions=[joined],
                rule="vigie.mot_compose",
                kind="spelling",
            )
    return None
