"""Bounded spelling candidates: pyspellchecker's words one or two edits away, without its blow-up.

pyspellchecker finds distance-2 words by building every string two edits away (45 letters: about
800,000 strings for a 10-letter word, 100-700 ms). Here the second edit is looked up instead:
a "wildcard" index holds the hash of each dictionary word with one letter replaced by a
placeholder, so "one letter replaced in, or inserted into, this string gives a word" is a single
lookup; only on a hit are the letters tried. The result is the same set of words; words longer
than _MAX_DISTANCE_2 letters get distance-1 candidates only.
"""

from __future__ import annotations

import threading
from collections.abc import Collection

import numpy as np
from numpy.typing import NDArray

from canned_replies.english_words import EnglishWords

# Beyond this length, a typo has its word one edit away or is not a typo worth a guess.
_MAX_DISTANCE_2 = 16
_WILDCARD = "\x00"
# Hashes cut to 32 bits (half the memory): a pattern whose cut hash is in the index by chance
# only costs the letter lookups, which find no word; the candidates are the same.
_LOW32 = 0xFFFFFFFF

_lock = threading.Lock()
_index: NDArray[np.uint32] | None = None


def _wildcard_index(spell: EnglishWords) -> NDArray[np.uint32]:
    """Sorted hashes of every dictionary word with one letter made a wildcard (built once)."""
    global _index
    if _index is None:
        with _lock:
            if _index is None:
                _index = wildcard_hashes(spell.word_frequency.dictionary)
    return _index


def wildcard_hashes(words: Collection[str]) -> NDArray[np.uint32]:
    """Sorted, distinct hashes of the words with one letter made a wildcard. Straight into one
    array, sorted and deduplicated in place: a set of 1.4 million Python ints first would peak
    at 140 MB (and leave the heap 17 MB bigger)."""
    hashes = np.fromiter(
        (hash(w[:i] + _WILDCARD + w[i + 1 :]) & _LOW32 for w in words for i in range(len(w))),
        dtype=np.uint32,
        count=sum(len(w) for w in words),
    )
    hashes.sort()
    return hashes[np.concatenate(([True], hashes[1:] != hashes[:-1]))]


def warm(spell: EnglishWords) -> None:
    """Build the wildcard index now rather than on the first far-off word."""
    _wildcard_index(spell)


def candidates(spell: EnglishWords, word: str) -> set[str]:
    """Known words nearest to `word` (one edit, else two), like SpellChecker.candidates."""
    word = word.lower()
    if word in spell:
        return {word}
    first = spell.edit_distance_1(word)
    near = spell.known(first)
    if near or len(word) > _MAX_DISTANCE_2:
        return near
    return _two_edits(spell, word, first)


def _two_edits(spell: EnglishWords, word: str, first: set[str]) -> set[str]:
    dictionary = spell.word_frequency.dictionary
    cut = {word[:i] + word[i + 1 :] for i in range(len(word))} | {
        word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(len(word) - 1)
    }
    found: set[str] = set()
    patterns: set[str] = set()
    for e in cut:
        for i in range(len(e)):
            deleted = e[:i] + e[i + 1 :]
            if deleted in dictionary:
                found.add(deleted)
            if i + 1 < len(e):
                swapped = e[:i] + e[i + 1] + e[i] + e[i + 2 :]
                if swapped in dictionary:
                    found.add(swapped)
    # A letter replaced or inserted, then a letter deleted or two swapped, is the same word as
    # the deletion or swap first, then the letter (or a word one edit away, and there is none):
    # the strings with a letter put in (nine tenths of them) need only the letter lookups.
    for e in first | cut:
        for i in range(len(e)):
            patterns.add(e[:i] + _WILDCARD + e[i + 1 :])  # a letter replaced
            patterns.add(e[:i] + _WILDCARD + e[i:])  # a letter inserted
        patterns.add(e + _WILDCARD)
    index = _wildcard_index(spell)
    unique = list(patterns)
    hashes = np.fromiter((hash(p) & _LOW32 for p in unique), dtype=np.uint32, count=len(unique))
    order = np.argsort(hashes)  # sorted queries walk the index in order: several times faster
    at = np.minimum(np.searchsorted(index, hashes[order]), len(index) - 1)
    letters = spell.word_frequency.letters
    for k in order[index[at] == hashes[order]]:
        head, _, tail = unique[k].partition(_WILDCARD)
        found.update(w for c in letters if (w := head + c + tail) in dictionary)
    return {w for w in found if spell.known([w])}
