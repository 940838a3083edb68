"""Clipped words of chat: "covoit" (covoiturage), "rép" (réponse), "dispo", "muscu". A
writer cuts a common word after a syllable or two, sometimes adding "-o" ("apéro", "resto");
dictionaries list few of them, and the word one edit away ("convoi", "ré") is not what was
meant. A clipping is told from a slip by what a slip lacks: it is itself written in French
text, and far more than in English (a slip of a word is a few percent of the word's uses; a
clipping is the usual form in chat), and it starts a common word at least three letters
longer. Such a word is advice ("in_use"), never a block. Not told apart: a clipping that is
also a word missing its last letter ("déj" / "déjà", "visio" / "vision") or one letter from
a grammatical word ("devs" / "des") still blocks.
"""

from __future__ import annotations

import threading
from bisect import bisect_left

import numpy as np

from canned_replies import unknown_words

# The clipping is written in French text (Zipf 2: once per hundred million words); the word
# it cuts is common (Zipf 3: once per million words) and this many letters longer.
CLIPPING_ZIPF = 2.0
FULL_WORD_ZIPF = 3.0
LETTERS_CUT = 3
MIN_STEM = 3
# Chat clippings are French: written ten times more in French text than in English
# ("covoit" 2.3 / 0, "rép" 3.0 / 0). A short string seen in both ("prat", "tox", "fons":
# names, codes, English words) is a slip when a common French word is one edit away.
FRENCH_ONLY = 1.0

_lock = threading.Lock()
_starts: list[str] | None = None


def load() -> None:
    """Build the list now (a third of a second): the first request should not pay."""
    _common_words()


def _common_words() -> list[str]:
    """Common French words (Zipf ≥ 3), lowercase without accents, sorted."""
    global _starts
    if _starts is None:
        with _lock:
            if _starts is None:
                from canned_replies.word_frequencies import table

                words = table("fr")
                # Bucket b holds the words of Zipf 9 - b / 100 (the table is in hash order).
                common = np.flatnonzero(words.buckets <= int((9 - FULL_WORD_ZIPF) * 100))
                found = set()
                for i in common.tolist():
                    word = bytes(words.blob[words.starts[i] : words.starts[i + 1]]).decode()
                    if word.isalpha() and len(word) > MIN_STEM + LETTERS_CUT - 1:
                        found.add(unknown_words.strip_accents(word.lower()))
                _starts = sorted(found)
    return _starts


def _starts_a_longer_word(stem: str) -> bool:
    key = unknown_words.strip_accents(stem)
    if len(key) < MIN_STEM:
        return False
    words = _common_words()
    at = bisect_left(words, key)
    while at < len(words) and words[at].startswith(key):
        if len(words[at]) >= len(key) + LETTERS_CUT:
            return True
        at += 1
    return False


def _final_letter_dropped(lowered: str, own: float) -> bool:
    """A far more written word is this one plus a letter ("veu" → "veux", "poin" → "point"):
    a slip that dropped the last letter, not a clipping."""
    return any(
        unknown_words.zipf(lowered + letter) >= own + unknown_words.TYPO_MARGIN
        for letter in "abcdefghijklmnopqrstuvwxyzàéèùê"
    )


def is_clipping(word: str) -> bool:
    """True for a word written in French text that is the start of a common longer word,
    maybe with a plural "s" or a clipping "-o" ("covoit", "dispo"); "tro" (for "trop", cut
    to "tr" once its "o" goes), "veu" (for "veux") and "tox" (English too) are not."""
    lowered = word.lower()
    if not lowered.isalpha():
        return False
    own = unknown_words.zipf(lowered)
    if (
        own < CLIPPING_ZIPF
        or unknown_words.zipf(lowered, "en") > own - FRENCH_ONLY
        or _final_letter_dropped(lowered, own)
    ):
        return False
    stem = lowered[:-1] if lowered.endswith("s") and len(lowered) > MIN_STEM else lowered
    if stem.endswith("o"):
        stem = stem[:-1]
    return _starts_a_longer_word(stem)
