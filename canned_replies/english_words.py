"""pyspellchecker's English dictionary held compactly: the same words and counts in ~5 MB.

`SpellChecker(language="en")` keeps its 160,000 words in a Counter (a str and an int object
per word): about 37 MB in every web and worker process. Here the words are one UTF-8 blob,
sorted, with where each starts, its count, and a sorted key per word (its hash, then its
number) found by binary search; a lookup compares the bytes. `EnglishWords` answers the
questions the English checker asks (`in`, `known`, `edit_distance_1`, `word_usage_frequency`,
`word_frequency.dictionary` and `.letters`) with pyspellchecker's own rules, so the findings are
the same (tests/canned_replies/test_english_words.py compares them with SpellChecker's).
"""

from __future__ import annotations

import gzip
import json
import pkgutil
import string
from array import array
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Iterator

_LOW = 0xFFFFFFFF


def _hash32(word: bytes) -> int:
    """Python's own hash, cut to 32 bits: equal hashes are told apart by comparing the bytes."""
    return hash(word) & _LOW


class WordSet:
    """A read-only set of words: word i is blob[starts[i]:starts[i + 1]] (sorted words)."""

    __slots__ = ("_blob", "_keys", "_starts")

    def __init__(self, words: list[str]) -> None:
        blob = bytearray()
        starts = array("I", [0])
        keys = array("Q")
        for i, word in enumerate(words):
            encoded = word.encode("utf-8", "surrogatepass")
            keys.append(_hash32(encoded) << 32 | i)
            blob += encoded
            starts.append(len(blob))
        self._blob = bytes(blob)
        self._starts = starts
        self._keys = array("Q", sorted(keys))

    def index(self, word: str) -> int:
        """The word's number, or -1."""
        encoded = word.encode("utf-8", "surrogatepass")
        wanted = _hash32(encoded)
        keys, starts, blob = self._keys, self._starts, self._blob
        at = bisect_left(keys, wanted << 32)
        while at < len(keys) and keys[at] >> 32 == wanted:
            i = keys[at] & _LOW
            if blob[starts[i] : starts[i + 1]] == encoded:
                return i
            at += 1
        return -1

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and self.index(word) >= 0

    def __len__(self) -> int:
        return len(self._starts) - 1

    def __iter__(self) -> Iterator[str]:
        blob, starts = self._blob, self._starts
        for i in range(len(starts) - 1):
            yield blob[starts[i] : starts[i + 1]].decode("utf-8", "surrogatepass")


class EnglishWords:
    """pyspellchecker's English word list and the parts of `SpellChecker` that read it."""

    def __init__(self) -> None:
        raw = pkgutil.get_data("spellchecker", "resources/en.json.gz")
        data: dict[str, int] = json.loads(gzip.decompress(raw or b"{}").decode("utf-8"))
        # As WordFrequency.load_json: lower case, counts of words differing in case summed.
        lowered = {key.lower(): val for key, val in data.items()}
        if len(lowered) != len(data):
            lowered = Counter()
            for key, val in data.items():
                lowered[key.lower()] += val
        del data
        words = sorted(lowered)
        self.counts = array("Q", (lowered[w] for w in words))
        del lowered
        self.dictionary = WordSet(words)
        self.longest_word_length = max(map(len, words), default=0)
        self.total_words = sum(self.counts)
        self.letters: set[str] = set().union(*words)
        self.word_frequency = self  # SpellChecker's `spell.word_frequency.dictionary`

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and key.lower() in self.dictionary

    def word_usage_frequency(self, word: str) -> float:
        """The word's share of the corpus (0 for an unknown word, as the Counter's)."""
        i = self.dictionary.index(word.lower())
        return (self.counts[i] if i >= 0 else 0) / self.total_words

    def known(self, words: Iterable[str]) -> set[str]:
        """The words (lower-cased) that are in the dictionary."""
        lowered = [w.lower() for w in words]
        return {w for w in lowered if w in self.dictionary and self._should_check(w)}

    def edit_distance_1(self, word: str) -> set[str]:
        """Every string one edit away from `word` with the corpus's letters."""
        word = word.lower()
        if self._should_check(word) is False:
            return {word}
        letters = self.letters
        splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
        deletes = [left + right[1:] for left, right in splits if right]
        transposes = [
            left + right[1] + right[0] + right[2:] for left, right in splits if len(right) > 1
        ]
        replaces = [left + c + right[1:] for left, right in splits if right for c in letters]
        inserts = [left + c + right for left, right in splits for c in letters]
        return set(deletes + transposes + replaces + inserts)

    def _should_check(self, word: str) -> bool:
        """SpellChecker._check_if_should_check: punctuation, too long a word or a number is not."""
        if len(word) == 1 and word in string.punctuation:
            return False
        if len(word) > self.longest_word_length + 3:
            return False
        if word.lower() in ("nan", "inf", "infinity"):
            return True
        try:
            float(word)
            return False
        except ValueError:
            pass
        return True
