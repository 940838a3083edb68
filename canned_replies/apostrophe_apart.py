"""An elided word typed apart without its apostrophe ("d habitude" → "d'habitude", "j ai" →
"j'ai", "qu il" → "qu'il"; issue 19, apostrophes).

A lone lowercase "c", "d", "j", "l", "m", "n", "s", "t" or "qu" before a word that starts
with a vowel or "h" is the elision whose apostrophe was left out, when that word is what the
elision asks (spelling_candidates.ELISIONS: a verb after "j", "n", "m", "t", "s"; "être"
after "c"; a noun, adjective or verb after "l"; anything after "d", "qu") and the pair is a
common written form. Not after a number ("5 m au-dessus", "2 s après": units), nor after
another lone letter (a spelled-out list: "a b c d e").
"""

from __future__ import annotations

import re

from canned_replies.findings import Finding
from canned_replies.grammalecte_engine import is_valid_word, morphs
from canned_replies.spelling_candidates import ELISIONS, VOWEL_OR_H
from canned_replies.unknown_words import zipf

_APART = re.compile(r"(?<![^\s(«\"“])(qu|[cdjlmnst]) ([A-Za-zÀ-ÖØ-öø-ÿŒœ][a-zà-öø-ÿœ]*)\b")
_BEFORE = re.compile(r"(?:^|\s)(\S*)\s*$")
_ASKS = dict(ELISIONS)
# How often the joined form must be written (Zipf): a pair in use, not a rare coincidence.
COMMON_PAIR = 2.0
# Lone letters that are no French word ("à", "a", "y" are): a spelled-out list.
_LETTERS = frozenset("bcdefghijklmnopqrstuvwxz")
MESSAGE = "Apostrophe : « {apart} » s’écrit « {joined} »."


def check(text: str) -> list[Finding]:
    """Blocking findings over the letter and the word after it, on a masked paragraph."""
    found = []
    for match in _APART.finditer(text):
        letter, rest = match.group(1), match.group(2)
        before = _BEFORE.search(text, max(0, match.start() - 30), match.start())
        previous = before.group(1) if before is not None else ""
        if previous[-1:].isdigit() or (len(previous) == 1 and previous in _LETTERS):
            continue  # a unit after a number, a list of letters
        if len(rest) < 2 or not VOWEL_OR_H.match(rest.lower()) or not is_valid_word(rest):
            continue
        if not any(re.search(_ASKS[letter], m) for m in morphs(rest)):
            continue
        joined = f"{letter}'{rest}"
        if zipf(joined) < COMMON_PAIR:
            continue
        found.append(
            Finding(
                start=match.start(),
                end=match.end(),
                message=MESSAGE.format(apart=match.group(0), joined=joined),
                suggestions=[joined],
                rule="vigie.apostrophe_manquante",
                kind="grammar",
            )
        )
    return found
