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
