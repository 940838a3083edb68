"""A scope kind's trigger alternatives, searched only among those that can match in a text.

The triggers of a kind (`scope._TRIGGER_PARTS`) are one alternation tried at every space of
the text: ~20 µs for a 280-character mention with the fourteen `reported` ones, ~9 µs with
the ten `negated` ones, nearly always to find nothing. Each alternative needs some words
whole (a copula and a negation, a verb of saying and "que"): one whose words the text lacks
matches nowhere in it. The others are searched each alone and their matches merged as the
alternation's scan takes them (leftmost first, the earlier alternative on a tie, the next
search after the match's end), so the matches are exactly the alternation's, without
compiling an alternation per set of alternatives (~1.7 ms each).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Set


class Triggers:
    """The alternatives `parts` of one kind, and for each the words it needs (`anchors`: one
    string per alternative, sets of words separated by "/", of which the text must hold one
    each; "" when it needs none that it matches whole)."""

    def __init__(self, parts: tuple[str, ...], anchors: tuple[str, ...]) -> None:
        if len(parts) != len(anchors):
            raise ValueError(f"{len(parts)} alternatives, {len(anchors)} anchors")
        self.parts = parts
        self.full = re.compile("|".join(parts))
        self._bits: dict[str, int] = {}  # word → the anchor sets (one bit each) holding it
        self._needs: list[int] = []  # per alternative: the bits of its sets
        bit = 1
        for part, anchor in zip(parts, anchors, strict=True):
            need = 0
            # A typo would leave an alternative untried: each word must be spelt in the
            # pattern (its groups' brackets and marks left out: " n(?:e)? " spells "ne").
            spelt = re.sub(r"\(\?:|[)?]", "", part).replace("|", " ")
            for words in anchor.split("/") if anchor else ():
                for word in words.split():
                    if word not in spelt:
                        raise ValueError(f"anchor {word!r} is not spelt in {part!r}")
                    self._bits[word] = self._bits.get(word, 0) | bit
                need |= bit
                bit <<= 1
            self._needs.append(need)
        self.words = frozenset(self._bits)
        self._alone = [re.compile(part) for part in parts]

    def finditer(self, text: str, present: Set[str]) -> Iterator[re.Match[str]]:
        """`full.finditer(text)`'s matches (the same spans), for a text holding the words
        `present` (at least those of `words` it holds)."""
        seen = 0
        bits = self._bits
        for word in present:
            seen |= bits.get(word, 0)
        active = [
            alone
            for alone, need in zip(self._alone, self._needs, strict=True)
            if seen & need == need
        ]
        if len(active) == len(self._alone):
            yield from self.full.finditer(text)
            return
        # Each alternative's next match at or after `pos`; the alternation takes the leftmost,
        # the earlier alternative on a tie, then searches on from its end (a trigger starts
        # with a space: never empty).
        upcoming = [alone.search(text) for alone in active]
        pos = 0
        while True:
            best: re.Match[str] | None = None
            for i, m in enumerate(upcoming):
                if m is not None and m.start() < pos:
                    m = upcoming[i] = active[i].search(text, pos)
                if m is not None and (best is None or m.start() < best.start()):
                    best = m
            if best is None:
                return
            yield best
            pos = best.end()
