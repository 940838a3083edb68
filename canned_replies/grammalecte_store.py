"""Grammalecte's French dictionary and per-word store held in less memory, same answers.

Loaded once per web and worker process (grammalecte_engine), Grammalecte holds its dictionary's
graph as a list of 542,570 int objects read from JSON (~18 MB) and keeps the morphologies and
lemmas of every word it was ever asked about (~530 B a word: 5,148 words for the 1,686 texts
of the project's sets), a store that only grows in a long-lived process.

- The graph has 144,771 distinct values: one object per value makes it ~9 MB and reads as fast
  (an `array` would be 2 MB but makes the graph walks ~12 % slower).
- The store is bounded (STORED_WORDS, oldest first out), so that it answers as Grammalecte's
  own: a rule may extend a word's stored morphologies in place (`g_addmorph`: "Concorde",
  "Mustang"), and later parses see them. A word is dropped only when its stored list is still
  what the dictionary gives and nothing else holds it (a token of the parse under way); a word
  so changed stays. Its lemmas, computed once from the dictionary's answer, are computed again
  the same way when dropped.
"""

from __future__ import annotations

import sys
from contextlib import suppress
from typing import Any

# ~10 MB at most; a word dropped is looked up again (~20 µs).
STORED_WORDS = 20_000
# References to a list held only by the store, seen from _MorphStore._drop_oldest: the dict's,
# the local name's and getrefcount's argument.
_ONLY_STORED = 3


def fresh_morphs(speller: Any, word: str) -> list[str]:
    """What the spell checker's getMorph gives for a word it has not stored."""
    found: list[str] = speller.oMainDic.getMorph(word)
    if speller.bCommunityDic:
        found.extend(speller.oCommunityDic.getMorph(word))
    if speller.bPersonalDic:
        found.extend(speller.oPersonalDic.getMorph(word))
    return found


class _BoundedStore(dict[str, Any]):
    """A word store of at most `limit` words (the dict keeps insertion order: the oldest word
    is the first, dropped to make room)."""

    def __init__(self, limit: int, items: dict[str, Any], speller: Any) -> None:
        super().__init__(items)
        self.limit = limit
        self.speller = speller

    def __setitem__(self, key: str, value: Any) -> None:
        if len(self) >= self.limit and key not in self:
            self._drop_oldest()
        super().__setitem__(key, value)

    def _drop_oldest(self) -> None:
        with suppress(KeyError, RuntimeError, StopIteration):  # another thread was first
            del self[next(iter(self))]


class _MorphStore(_BoundedStore):
    """The spell checker's word → morphologies store: a word changed in place or in use is
    kept (moved to the newest) and the next oldest dropped instead."""

    def _drop_oldest(self) -> None:
        for _ in range(len(self)):
            with suppress(KeyError, RuntimeError, StopIteration):  # another thread was first
                word = next(iter(self))
                stored = dict.__getitem__(self, word)
                droppable = sys.getrefcount(stored) <= _ONLY_STORED and stored == fresh_morphs(
                    self.speller, word
                )
                del self[word]
                if droppable:
                    return
                dict.__setitem__(self, word, stored)  # changed or in use: kept, now the newest


def ordered_lemmas(morphs: list[str]) -> tuple[str, ...]:
    """A word's lemmas in the order of its morphologies, each once."""
    return tuple(dict.fromkeys(m[1 : m.find("/")] for m in morphs))


class _LemmaStore(_BoundedStore):
    """The word → lemmas store; `getLemma` reads a word's lemmas right after getMorph stores
    them, and a word dropped here but still in the morphologies' store gets them from the
    dictionary's answer, as getMorph computed them.

    Grammalecte stores a set: with string hashing salted per process, callers that walk it
    (`suggVerbPpas` and its kin build their suggestions lemma by lemma) gave the suggestions of
    a word with two lemmas in another order from one process to the next ("été" / "étayé").
    The lemmas are kept in the order of the word's morphologies instead: the same everywhere.
    """

    def __setitem__(self, key: str, value: Any) -> None:
        morphs = self.speller._dMorphologies.get(key)
        ordered = ordered_lemmas(morphs) if morphs is not None else ()
        # not what getMorph just stored: keep the values, in a fixed order
        super().__setitem__(key, ordered if set(ordered) == set(value) else tuple(sorted(value)))

    def __missing__(self, word: str) -> tuple[str, ...]:
        return ordered_lemmas(fresh_morphs(self.speller, word))


def compact(speller: Any, limit: int | None = None) -> None:
    """Share the graph's equal integers and bound the per-word store (see the module)."""
    limit = STORED_WORDS if limit is None else limit
    graph = speller.oMainDic.lByDic
    shared: dict[int, int] = {}
    for i, value in enumerate(graph):
        graph[i] = shared.setdefault(value, value)
    del shared
    speller._dMorphologies = _MorphStore(limit, speller._dMorphologies, speller)
    speller._dLemmas = _LemmaStore(limit, speller._dLemmas, speller)
