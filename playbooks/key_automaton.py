"""The Aho-Corasick automaton of a table of keys, stored compactly and shared per content hash.

Lexicon entries written as products of choices ("{je vais|on va} {tuer|buter|…} {le|la|…}
{contrôleur|…}") expand into tens of thousands of keys that differ in a word or two; a
character trie of the shipped lexicons held 2.4 million nodes (~100 MiB plus one allocation
per node), most of them the last words of such keys repeated under every head. So a key of
three words or more that ends at a word boundary is stored as its *head* (every word but the
last) in the trie and its last word in a small table shared by every head with the same last
words. When a head occurs in a text, its key occurs exactly when the next word of the text is
one of the head's last words: one `str.find` and one dict look-up. The trie holds ~5× fewer
nodes, and every key is found exactly where a trie of whole keys finds it, reported in the
same order (by end, the longest first).
"""

from __future__ import annotations

import hashlib
import threading
import weakref
from array import array
from collections.abc import Collection, Iterator
from typing import Any

import ahocorasick

# (group, written term) pairs per key, in the order evidence lists them: one pair alone (most
# keys: a list each cost ~90 bytes at the build's peak, ~40 MB for the shipped lexicons) or a
# list of them.
Pair = tuple[int, str]
Table = dict[str, Pair | list[Pair]]


def pairs_of(payload: Pair | list[Pair]) -> list[Pair]:
    """A key's pairs as a list."""
    return [payload] if isinstance(payload, tuple) else payload


def add_pair(table: Table, key: str, pair: Pair) -> bool:
    """Add `pair` to `key`'s payload unless it is there; True when added."""
    found = table.get(key)
    if found is None:
        table[key] = pair
    elif isinstance(found, tuple):
        if found == pair:
            return False
        table[key] = [found, pair]
    elif pair in found:
        return False
    else:
        found.append(pair)
    return True


# Compiled automata per content hash (keys, groups and what evidence shows); weak values: an
# automaton lives as long as a playbook uses it, and no eviction can drop one still in use (nor
# build a second copy of it).
_AUTOMATA: weakref.WeakValueDictionary[str, KeyAutomaton] = weakref.WeakValueDictionary()
_LOCK = threading.Lock()


SEEN_MAX = 4096  # decoded terms kept per automaton (~0.5 MiB at most)


class Terms:
    """The written terms evidence shows, in one UTF-8 buffer (a `str` each cost ~85 bytes: the
    shipped lexicons show ~280,000 concrete variants)."""

    __slots__ = ("_blob", "_ends", "seen")
    _blob: bytes | bytearray  # built in place, or as the store read it

    def __init__(self, terms: Collection[str]):
        # Allocated once at their size (a first pass measures it): grown term by term, the
        # 13 MB buffer was copied as it grew, each copy left in the heap at the build's peak.
        size = sum(len(t) if t.isascii() else len(_utf8(t)) for t in terms)
        self._blob = bytearray(size)  # kept as built: a copy to `bytes` would double the peak
        self._ends = array("I", [0]) * len(terms)
        end = 0
        for i, term in enumerate(terms):
            encoded = _utf8(term)
            self._blob[end : end + len(encoded)] = encoded
            end += len(encoded)
            self._ends[i] = end
        # The terms found so far, decoded: a few thousand common ones are most of the hits,
        # which the scan then reads with one dict look-up (`decoded` fills it, bounded).
        self.seen: dict[int, str] = {}

    @classmethod
    def restored(cls, blob: bytes | bytearray, ends: array[int]) -> Terms:
        """Terms from the buffer and ends `export` wrote (see `KeyAutomaton.export`)."""
        terms = cls.__new__(cls)
        terms._blob, terms._ends, terms.seen = blob, ends, {}
        return terms

    def __getitem__(self, i: int) -> str:
        start = self._ends[i - 1] if i else 0
        return self._blob[start : self._ends[i]].decode("utf-8", "surrogatepass")

    def decoded(self, i: int) -> str:
        """Term `i`, kept in `seen` while it holds fewer than `SEEN_MAX` terms."""
        term = self[i]
        if len(self.seen) < SEEN_MAX:
            self.seen[i] = term
        return term

    def __len__(self) -> int:
        return len(self._ends)

    def __iter__(self) -> Iterator[str]:
        return (self[i] for i in range(len(self)))


def _utf8(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


def _cut(key: str) -> int:
    """Where a key's last word starts (the space before it), or -1 when the key stays whole:
    it has fewer than three words or does not end at a word boundary (a prefix, an emoji)."""
    if not key.endswith(" "):
        return -1
    cut = key.rfind(" ", 0, len(key) - 1)
    last = key[cut + 1 : -1]
    if cut <= 0 or not last or " " not in key[:cut].strip():
        return -1
    return cut


class KeyAutomaton:
    """One automaton with, per key, its groups, its length and its (group, term) payload.

    Keys are numbered: key `v`'s payload is the pairs `starts[v]:starts[v + 1]` of `pair_groups`
    and `pair_terms` (indices into `terms`). The trie's values below `first_head` are whole
    keys; value `first_head + h` is head `h`, whose keys are `head_base[h] + i` for its last
    words `tails[head_tails[h]]` (word → i) and which may be a whole key itself (`head_key[h]`,
    else -1)."""

    __slots__ = (
        "__weakref__",
        "automaton",
        "first_head",
        "head_base",
        "head_key",
        "head_tails",
        "key_groups",
        "lengths",
        "located",
        "pair_groups",
        "pair_terms",
        "starts",
        "tails",
        "terms",
    )

    def __init__(self, table: Table):
        """Build from `table`, which is consumed (emptied) as keys are numbered."""
        whole: list[str] = []
        heads: dict[str, list[str]] = {}  # head → its keys' last words (" word ")
        words: dict[str, str] = {}  # one string per distinct last word
        for key in table:
            cut = _cut(key)
            if cut < 0:
                whole.append(key)
            else:
                tail = key[cut:]
                heads.setdefault(key[:cut], []).append(words.setdefault(tail, tail))
        del words
        self.key_groups: list[frozenset[int]] = []
        self.lengths = array("I")
        self.starts = array("I", [0])
        self.pair_groups = array("i")
        self.pair_terms = array("I")
        self.head_base = array("I")
        self.head_key = array("i")
        self.head_tails = array("I")
        self.tails: list[dict[str, int]] = []
        # Per key found so far: (1 - its length, its (group, written term) pairs), what
        # `TermIndex.scan` reads per hit (one look-up instead of four arrays and `terms`).
        self.located: dict[int, tuple[int, tuple[tuple[int, str], ...]]] = {}
        groups: dict[frozenset[int], frozenset[int]] = {}
        term_ids: dict[str, int] = {}

        def number(key: str) -> int:
            payload = pairs_of(table.pop(key))  # consumed: the peak holds one copy of the keys
            found = frozenset(g for g, _ in payload)
            self.key_groups.append(groups.setdefault(found, found))
            self.lengths.append(len(key))
            for group, term in payload:
                self.pair_groups.append(group)
                self.pair_terms.append(term_ids.setdefault(term, len(term_ids)))
            self.starts.append(len(self.pair_groups))
            return len(self.lengths) - 1

        # The automaton's value is a key's (or a head's) number, stored as a C int: the hot
        # loop only collects ints, and terms and positions are looked up for evidence.
        numbers = {key: number(key) for key in whole}
        added = [*numbers]  # what the trie holds, in order: whole keys, then heads
        self.first_head = len(self.lengths)
        shared: dict[tuple[str, ...], int] = {}  # last-word tables, one per distinct set
        for head, lasts in heads.items():
            ordered = tuple(sorted(lasts))
            index = shared.get(ordered)
            if index is None:
                index = shared[ordered] = len(self.tails)
                self.tails.append({tail: i for i, tail in enumerate(ordered)})
            self.head_tails.append(index)
            self.head_key.append(numbers.get(head, -1))
            self.head_base.append(len(self.lengths))
            for tail in ordered:
                number(head + tail)
            added.append(head)
        # Freed before the terms' buffer is built, at the build's peak: the emptied table's
        # slots (`pop` leaves them: ~15 MB, which the caller would hold until the automaton is
        # built) and each head's list of last words (~20 MB; the trie takes heads from `added`).
        table.clear()
        heads.clear()
        shared.clear()
        groups.clear()
        self.terms = Terms(term_ids)
        term_ids.clear()  # the terms' strings (~500,000 for the shipped lexicons)
        # The trie is built once every key's strings, lists and pairs are freed, from one
        # buffer: its million small nodes fill the heap the keys left instead of being strewn
        # among them (a process kept ~10 MB more of a heap it could not give back). The
        # buffer is UTF-8: one emoji among the keys made a joined `str` four bytes a
        # character (20 MB at the build's peak instead of 5).
        buffer = bytearray()
        ends = array("I")
        for key in added:
            buffer += _utf8(key)
            ends.append(len(buffer))
        first = len(numbers)
        del added, numbers, heads, shared, whole
        self.automaton = ahocorasick.Automaton(ahocorasick.STORE_INTS)
        start = 0
        for i, end in enumerate(ends):
            # a whole key's number, or a head's (which replaces a whole key's value)
            value = i if i < first else self.first_head + i - first
            self.automaton.add_word(buffer[start:end].decode("utf-8", "surrogatepass"), value)
            start = end
        del buffer, ends
        self.automaton.make_automaton()

    # The arrays `export` hands over, by name (their type codes are their own).
    ARRAYS = (
        "head_base",
        "head_key",
        "head_tails",
        "lengths",
        "pair_groups",
        "pair_terms",
        "starts",
    )

    def export(self) -> tuple[dict[str, Any], dict[str, array[int] | bytes | bytearray]]:
        """What rebuilds this automaton without its table (`restored`): JSON-ready facts and
        named binary sections (`automaton_store` writes them to disk)."""
        sets = list(dict.fromkeys(self.key_groups))  # a few hundred distinct group sets
        index = {s: i for i, s in enumerate(sets)}
        sections: dict[str, array[int] | bytes | bytearray] = {
            name: getattr(self, name) for name in self.ARRAYS
        }
        sections["key_sets"] = array("I", (index[s] for s in self.key_groups))
        sections["term_blob"] = self.terms._blob
        sections["term_ends"] = self.terms._ends
        # pyahocorasick's own pickling state: its node buffers and the sizes that read them
        _, (chunks, *sizes) = self.automaton.__reduce__()
        for i, chunk in enumerate(chunks):
            sections[f"automaton.{i}"] = chunk
        facts = {
            "first_head": self.first_head,
            "group_sets": [sorted(s) for s in sets],
            "tails": [list(words) for words in self.tails],  # each word's index is its place
            "automaton_chunks": len(chunks),
            "automaton_sizes": sizes,
        }
        return facts, sections

    @classmethod
    def restored(
        cls, facts: dict[str, Any], sections: dict[str, array[int] | bytes | bytearray]
    ) -> KeyAutomaton:
        """The automaton `export` described (its sections are taken, not copied)."""
        built = cls.__new__(cls)
        for name in cls.ARRAYS:
            setattr(built, name, sections[name])
        built.first_head = facts["first_head"]
        sets = [frozenset(s) for s in facts["group_sets"]]
        built.key_groups = [sets[i] for i in sections["key_sets"]]
        built.tails = [{w: i for i, w in enumerate(words)} for words in facts["tails"]]
        blob, ends = sections["term_blob"], sections["term_ends"]
        assert isinstance(blob, bytes | bytearray) and isinstance(ends, array)
        built.terms = Terms.restored(blob, ends)
        built.located = {}
        chunks = [sections.pop(f"automaton.{i}") for i in range(facts["automaton_chunks"])]
        built.automaton = ahocorasick.Automaton(chunks, *facts["automaton_sizes"])
        return built

    def locate(self, value: int) -> tuple[int, tuple[tuple[int, str], ...]]:
        """Key `value`'s (1 - length, (group, written term) pairs), kept in `located` while
        it holds fewer than `SEEN_MAX` keys."""
        terms = self.terms
        pairs = tuple(
            (self.pair_groups[k], terms.decoded(self.pair_terms[k]))
            for k in range(self.starts[value], self.starts[value + 1])
        )
        entry = (1 - self.lengths[value], pairs)
        if len(self.located) < SEEN_MAX:
            self.located[value] = entry
        return entry

    def iter(self, text: str) -> list[tuple[int, int]]:
        """(end, key) for every occurrence of a key in `text`: by end, the longest first."""
        found: list[tuple[int, int]] = []
        first_head, late = self.first_head, False
        for hit in self.automaton.iter(text):
            end, value = hit
            if value < first_head:
                found.append(hit)  # the automaton's own (end, value) tuple
                continue
            head = value - first_head
            if self.head_key[head] >= 0:
                found.append((end, self.head_key[head]))
            stop = text.find(" ", end + 2)
            if stop > 0:
                i = self.tails[self.head_tails[head]].get(text[end + 1 : stop + 1])
                if i is not None:
                    found.append((stop, self.head_base[head] + i))
                    late = True
        if late:  # a key found through its head ends after hits the automaton reports later
            lengths = self.lengths
            found.sort(key=lambda hit: (hit[0], -lengths[hit[1]]))
        return found

    def values(self, text: str) -> set[int]:
        """The keys occurring in `text` (the fast path: no positions, no order)."""
        found: set[int] = set()
        first_head = self.first_head
        for end, value in self.automaton.iter(text):
            if value < first_head:
                found.add(value)
                continue
            head = value - first_head
            if self.head_key[head] >= 0:
                found.add(self.head_key[head])
            stop = text.find(" ", end + 2)
            if stop > 0:
                i = self.tails[self.head_tails[head]].get(text[end + 1 : stop + 1])
                if i is not None:
                    found.add(self.head_base[head] + i)
        return found


def compiled(table: Table) -> KeyAutomaton:
    """The shared automaton of a table of keys (built once per content hash; a table that
    is built from is consumed)."""
    digest = hashlib.sha256()
    for key, payload in table.items():  # piece by piece: no copy of the whole table as text
        digest.update(f"{key}\t{payload}\n".encode("utf-8", "surrogatepass"))
    name = digest.hexdigest()
    with _LOCK:
        found = _AUTOMATA.get(name)
    if found is not None:  # the same terms (another brand, a re-publication)
        return found
    built = KeyAutomaton(table)
    with _LOCK:  # another thread may have built it meanwhile: keep one
        return _AUTOMATA.setdefault(name, built)
