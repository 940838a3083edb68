"""The known word pairs of a batch of texts, found in a few numpy calls (`Scorer.score_many`).

Per text, `Scorer._features` intersects the text's ~50 adjacent pairs (tuples) with the ~100,000
known ones: ~8 µs a text, most of it hash-table misses. Here every word is numbered once (a
dict look-up, as the per-text path's class look-up), each pair of the batch becomes one
integer, a 2 MiB bit filter drops all but the known pairs and a few look-alikes (~0.6 % of
unknown pairs pass), and a binary search over the sorted known codes keeps the exact ones.
The rows found are each text's distinct pair rows in increasing order: what the per-text path
gives, so the sums and every score stay the same.
"""

from __future__ import annotations

from collections.abc import Mapping
from itertools import accumulate, chain, repeat

import numpy as np

_FILTER_BITS = 1 << 24  # 2 MiB: the ~100,000 known codes set ~0.6 % of its bits
_BIT = np.array([1 << i for i in range(8)], np.uint8)


class PairSearch:
    """The rows of the known pairs (`pairs`: (word, word) → feature row) in texts' word lists,
    each word first replaced by its class where `abstract` names one (insults, groups)."""

    def __init__(self, pairs: Mapping[tuple[str, str], int], abstract: Mapping[str, str]) -> None:
        # Read from `pairs` as it is, no copy (~100,000 entries: the scorer's peak at load).
        # A name without a space split to one word is no pair a text can hold: left out.
        names = sorted({word for key in pairs if len(key) == 2 for word in key})
        numbers = {word: i for i, word in enumerate(names)}
        size = self._size = len(names)
        # A text's word → the number of what a pair holds in its place (its class, if any).
        self._numbers = dict(numbers)
        for word, cls in abstract.items():
            if cls in numbers:
                self._numbers[word] = numbers[cls]
            else:  # its class starts no known pair, and neither does the word then
                self._numbers.pop(word, None)
        codes = np.fromiter(
            (numbers[key[0]] * size + numbers[key[1]] for key in pairs if len(key) == 2), np.int64
        )
        rows = np.fromiter((row for key, row in pairs.items() if len(key) == 2), np.int64)
        order = np.argsort(codes)
        self._codes, self._rows = codes[order], rows[order]
        self._span = int(rows.max()) + 1 if len(rows) else 1  # (text, row) as one number
        self._filter = np.zeros(_FILTER_BITS // 8, np.uint8)
        low = self._codes & (_FILTER_BITS - 1)
        np.bitwise_or.at(self._filter, low >> 3, _BIT[low & 7])

    def rows(self, texts: list[list[str]]) -> list[list[int]]:
        """Each text's known pair rows, distinct and in increasing order (`texts`: words)."""
        out: list[list[int]] = [[] for _ in texts]
        # The batch's words numbered in one pass (not one `map` per text).
        flat = list(map(self._numbers.get, chain.from_iterable(texts), repeat(-1)))
        ends = list(accumulate(map(len, texts)))
        if len(flat) < 2 or not len(self._codes):
            return out
        ids = np.array(flat, np.int64)
        first, second = ids[:-1], ids[1:]
        codes = first * self._size + second
        keep = (first >= 0) & (second >= 0)
        # The pair of a text's last word and the next text's first is no pair.
        last = np.array(ends[:-1], np.int64) - 1
        keep[last[(last >= 0) & (last < len(keep))]] = False
        low = codes & (_FILTER_BITS - 1)
        keep &= (self._filter[low >> 3] & _BIT[low & 7]) != 0
        at = np.flatnonzero(keep)
        if not len(at):
            return out
        wanted = codes[at]
        j = np.minimum(np.searchsorted(self._codes, wanted), len(self._codes) - 1)
        exact = self._codes[j] == wanted
        if not exact.any():
            return out
        text_of = np.searchsorted(np.array(ends, np.int64), at[exact], side="right")
        # One sort of (text, row) numbers gives every text's rows in order, then distinct.
        span = self._span
        keys = text_of * span + self._rows[j[exact]]
        keys.sort()  # then the repeats dropped (np.unique does the same, 4× slower here)
        keys = keys[np.r_[True, keys[1:] != keys[:-1]]]
        for text, row in zip((keys // span).tolist(), (keys % span).tolist(), strict=True):
            out[text].append(row)
        return out
