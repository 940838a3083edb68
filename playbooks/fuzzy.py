"""Approximate spellings of lexicon words, corrected before the exact matching pass.

Written insults dodge filters: swapped, doubled or dropped letters ("conanrd", "connnard",
"conard"), glued words ("salegay"), split ones ("con nard"). Rather than lists of
misspellings, a mention word is rewritten to the lexicon word it is one edit away from,
then the one Aho-Corasick pass matches it like any other term (phrases and `near` included,
evidence spans still pointing at what was written):
- one edit (insertion, deletion, substitution, swap of neighbours) for lexicon words of five
  letters or more ("trns" → "trans"), and only a swap for four-letter ones ("mrot" → "mort"),
  found with a deletion-neighbourhood index (SymSpell): every lexicon word and its
  one-letter deletions are keys, so a mention word costs a handful of dict lookups;
- the same skeleton once doubled letters are squeezed ("coonnard" → "conard");
- a glued word split in two when one half is a lexicon word and the other a word;
- two neighbouring fragments joined when together they make a lexicon word and one of them
  is no word (never at a grammar word: "en vie" stays two words);
- when no one-letter edit fits, the same sound (`playbooks.phonetic`: "défonsser" →
  défoncer, "konnar" → connard, "enkulé" → enculé).
Guards against false alarms: short words are matched exactly only; the first letter must
agree (or be swapped with the second, or be a silent h left out: "omos"); a mention word
that is a French word ("salon", "sable") or any term's exact word is never changed
(`french.is_word`, Grammalecte's forms).
Corrections are cached per word and the index per vocabulary (content hash): brands sharing
lexicons share both.
"""

from __future__ import annotations

import hashlib
import threading
import weakref
from collections.abc import Iterable
from dataclasses import dataclass

import ahocorasick

from . import french
from .masks import Unmasker
from .normalize import NormalizedText, squeeze
from .phonetic import sound_key
from .text_shifts import rewrite

_CORRECTORS_LOCK = threading.RLock()
MIN_FUZZY = 5  # letters of a lexicon word: shorter ones are matched exactly (but for swaps)
# Words a process remembers as needing no correction, all brands' correctors together: one
# brand may keep them all, twenty share them (each keeps at least _CACHE_FLOOR). A miss costs
# ~10-20 µs; a word kept ~100 bytes, so the budget is ~20-40 MB whatever the number of brands.
_CACHE_BUDGET = 200_000
_CACHE_FLOOR = 20_000
_MISS = object()
# Two words never joined when one is a grammar word: "en vie" is not "envie".
_GRAMMAR_TEXT = (
    "a au aux c ce ces d de des du elle en et il ils j je l la le les leur lui m ma "
    "me mes n ne nous on ou par pas pour qu que qui s sa se ses si son sur t ta te "
    "tes toi ton tu un une vos votre vous y est es sont suis ai as avez avons ont va "
    "vais vas "
)
_GRAMMAR_WORDS = frozenset(_GRAMMAR_TEXT.split())


def _osa(a: str, b: str) -> int:
    """Optimal-string-alignment distance, capped: 0, 1 or 2 (= more than one edit)."""
    if a == b:
        return 0
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return 2
    i = 0
    while i < min(la, lb) and a[i] == b[i]:
        i += 1
    if la == lb:
        if a[i + 1 :] == b[i + 1 :]:
            return 1  # substitution
        if i + 1 < la and a[i] == b[i + 1] and a[i + 1] == b[i] and a[i + 2 :] == b[i + 2 :]:
            return 1  # two neighbours swapped
        return 2
    if la > lb:
        return 1 if a[i + 1 :] == b[i:] else 2
    return 1 if a[i:] == b[i + 1 :] else 2


def _levenshtein(a: str, b: str) -> int:
    """Edit distance (insertions, deletions, substitutions) of two short words."""
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (ca != cb))
    return row[-1]


class _VocabIndex:
    """The part of a corrector that only depends on its vocabulary (the fuzzy lexicons' words):
    the big one, shared by every corrector of that vocabulary whatever their exact words."""

    __slots__ = (
        "__weakref__",
        "_rare_halves",
        "_splits",
        "deletes",
        "pieces",
        "short",
        "skeletons",
        "sounds",
        "targets",
        "words",
    )

    def __init__(self, vocabulary: Iterable[str]) -> None:
        words = self.words = frozenset(w for w in vocabulary if w.isalpha())
        self.targets = frozenset(w for w in words if len(w) >= MIN_FUZZY)
        self.pieces = frozenset(w for w in words if len(w) >= 3)
        self.short = frozenset(w for w in words if len(w) == MIN_FUZZY - 1)
        self.deletes: dict[str, list[str]] = {}
        self.skeletons: dict[str, list[str]] = {}
        self.sounds: dict[str, list[str]] = {}
        # Split words ("abru ti"): every target cut in two, as a padded key " a b ", in one
        # automaton; never at a grammar word ("en vie" stays two words).
        splits: dict[str, str] = {}
        self._rare_halves: set[str] = set()
        for t in sorted(self.targets):
            for key in {t, *(t[:i] + t[i + 1 :] for i in range(len(t)))}:
                self.deletes.setdefault(key, []).append(t)
            skeleton = squeeze(t)
            if skeleton != t and len(skeleton) >= MIN_FUZZY:
                self.skeletons.setdefault(skeleton, []).append(t)
            sound = sound_key(t)
            if len(sound) >= MIN_FUZZY - 1:
                self.sounds.setdefault(sound, []).append(t)
            for i in range(1, len(t)):
                a, b = t[:i], t[i:]
                if a in _GRAMMAR_WORDS or b in _GRAMMAR_WORDS or b in self.targets:
                    continue
                # one half at least is no word: "con nard" may be two words, "abru ti" not
                rare = [h for h in (a, b) if not french.is_word(h)]
                if rare:
                    splits.setdefault(f" {a} {b} ", t)
                    self._rare_halves.update(rare)
        self._splits: ahocorasick.Automaton | None = None
        if splits:
            self._splits = ahocorasick.Automaton()
            for key, joined in splits.items():
                self._splits.add_word(key, (len(key), joined))
            self._splits.make_automaton()


_INDEXES: weakref.WeakValueDictionary[str, _VocabIndex] = weakref.WeakValueDictionary()


@dataclass(frozen=True, slots=True, weakref_slot=True)
class SharedWords:
    """Exact words and one-word fuzzy terms of a set of lexicon files, one object per content
    (`key` names it): every brand loading those files holds this one copy (see `matcher`)."""

    key: str
    exact: frozenset[str]
    standalone: frozenset[str]


NO_SHARED_WORDS = SharedWords("", frozenset(), frozenset())


class Corrector:
    """Rewrites near-misses of one vocabulary (the words of fuzzy lexicons) in mention text.

    Its exact words (never corrected) and one-word terms are the `shared` ones (the lexicon
    files') plus the playbook's own few: twenty brands hold one copy of the big part."""

    def __init__(
        self,
        vocabulary: Iterable[str],
        exact: Iterable[str],
        standalone: Iterable[str] = (),
        shared: SharedWords = NO_SHARED_WORDS,
    ) -> None:
        vocab = sorted(set(vocabulary))
        digest = hashlib.sha256("\n".join(vocab).encode()).hexdigest()
        with _CORRECTORS_LOCK:
            index = _INDEXES.get(digest)
            if index is None:
                index = _INDEXES[digest] = _VocabIndex(vocab)
            pieces = _PIECES.get((digest, shared.key))
            if pieces is None:  # halves of a glued word: fuzzy words, shared longer words
                pieces = _PIECES[digest, shared.key] = _Pieces(
                    index.pieces | {w for w in shared.exact if len(w) >= 5}, index, shared
                )
        self._index = index  # keeps the shared part alive as long as this corrector lives
        self._shared = shared
        self._shared_pieces = pieces
        self._own_exact = frozenset(exact) - shared.exact
        self._own_standalone = frozenset(standalone) - shared.standalone
        # Halves of a glued word: the fuzzy lexicons' words, and any term's longer words.
        self._own_pieces = frozenset(
            w for w in self._own_exact if len(w) >= 5 and w not in pieces.words
        )
        self.targets = index.targets
        self.short = index.short
        self.deletes = index.deletes
        self.skeletons = index.skeletons
        self.sounds = index.sounds
        self._rare_halves = index._rare_halves
        self._splits = index._splits
        self._cache: dict[str, str | None] = {}
        self._ok: set[str] = set()  # words known to need no correction
        self._lock = threading.Lock()
        self._unmasker: Unmasker | None = None

    @property
    def exact(self) -> frozenset[str]:
        """Every term's words: never corrected."""
        return self._shared.exact | self._own_exact

    @property
    def standalone(self) -> frozenset[str]:
        """The fuzzy lexicons' one-word terms: what a censored word may hide."""
        return self._shared.standalone | self._own_standalone

    def _is_exact(self, w: str) -> bool:
        return w in self._shared.exact or w in self._own_exact

    def _is_piece(self, w: str) -> bool:
        return w in self._shared_pieces.words or w in self._own_pieces

    def unmask(self, token: str) -> str | None:
        """The hostile word a censored token ("c*nnard") stands for, or None (see `masks`)."""
        if self._unmasker is None:  # built on the first censored word: most playbooks never do
            with self._lock:
                if self._unmasker is None:
                    self._unmasker = Unmasker(
                        self.standalone, self._index.words, self.exact - self._index.words
                    )
        return self._unmasker.resolve(token)

    def fix(self, w: str) -> str | None:
        """The lexicon word(s) a mention word stands for, or None; a correction is cached
        (a word needing none is remembered by `correct`, in `_ok`)."""
        fixed = self._cache.get(w, _MISS)
        if fixed is _MISS:
            fixed = self._fix(w)
            if fixed is not None:
                with self._lock:
                    if len(self._cache) >= _cache_limit():
                        self._cache.clear()
                    self._cache[w] = fixed
        return fixed  # type: ignore[return-value]

    def _fix(self, w: str) -> str | None:
        if len(w) < MIN_FUZZY - 1 or self._is_exact(w) or not w.isalpha() or french.is_word(w):
            return None
        if len(w) < MIN_FUZZY:  # four letters: two neighbours swapped ("mrot"), or one dropped
            for i in range(1, len(w) - 1):
                swapped = w[:i] + w[i + 1] + w[i] + w[i + 2 :]
                if swapped in self.short:
                    return swapped
        skeleton = squeeze(w)
        if len(skeleton) >= MIN_FUZZY:
            if skeleton in self.targets:  # every letter doubled ("aabbrruuttii")
                return skeleton
            if skeleton in self.skeletons:
                return min(self.skeletons[skeleton])
        found: set[str] = set()
        for key in (w, *(w[:i] + w[i + 1 :] for i in range(len(w)))):
            for t in self.deletes.get(key, ()):
                if (t[0] == w[0] or t[:2] == w[1::-1] or t == "h" + w) and _osa(w, t) == 1:
                    found.add(t)
        if found:
            # Two letters swapped make another French word ("coneg" → congé): that word was
            # meant, not the lexicon's.
            for i in range(len(w) - 1):
                swapped = w[:i] + w[i + 1] + w[i] + w[i + 2 :]
                if swapped not in found and french.is_word(swapped):
                    return None
            return min(found)
        sound = sound_key(w) if len(w) >= MIN_FUZZY else ""
        if sound in self.sounds:  # spelt as heard ("défonsser", "konnar"): the nearest spelling,
            # two edits at most (a foreign word rarely sounds French: "lake" is no "laquais")
            near = min(self.sounds[sound], key=lambda t: (_levenshtein(w, t), t))
            if _levenshtein(w, near) <= 2:
                return near
        return self._split(w)

    def _split(self, w: str) -> str | None:
        """A glued pair: one half a lexicon word (3+ letters), the other a word or one too."""
        best: tuple[int, str] | None = None
        for i in range(2, len(w) - 1):
            a, b = w[:i], w[i:]
            a_piece, b_piece = self._is_piece(a), self._is_piece(b)
            if not (a_piece or b_piece):
                continue
            # a two-letter half is a grammar word ("dejuif"), not a stray pair ("con eg")
            if (len(a) == 2 and a not in _GRAMMAR_WORDS) or (
                len(b) == 2 and b not in _GRAMMAR_WORDS
            ):
                continue
            if (a_piece or french.is_word(a)) and (b_piece or french.is_word(b)):
                weight = max(len(a) if a_piece else 0, len(b) if b_piece else 0)
                if best is None or weight > best[0]:
                    best = (weight, f"{a} {b}")
        return best[1] if best else self._split3(w)

    def _segment_ok(self, s: str) -> bool:
        """A piece of a glued word: short ones are grammar words, longer ones words."""
        if len(s) <= 3:
            return s in _GRAMMAR_WORDS or self._is_piece(s)
        return self._is_piece(s) or french.is_word(s)

    def _split3(self, w: str) -> str | None:
        """Three glued words ("orduresdefemmes", "emmerdetousles"): one a lexicon word of four
        letters or more, the others words, any of three letters or fewer a grammar word."""
        if len(w) < 8 or len(w) > 30:
            return None
        best: tuple[int, str] | None = None
        n = len(w)
        for i in range(1, n - 1):
            a = w[:i]
            if not self._segment_ok(a):
                continue
            for j in range(i + 1, n):
                m, b = w[i:j], w[j:]
                if not (self._segment_ok(m) and self._segment_ok(b)):
                    continue
                pieces = [len(s) for s in (a, m, b) if len(s) >= 4 and self._is_piece(s)]
                weight = max(pieces, default=0)
                if weight and (best is None or weight > best[0]):
                    best = (weight, f"{a} {m} {b}")
        return best[1] if best else None

    def correct(self, nt: NormalizedText) -> NormalizedText:
        """`nt` with near-misses rewritten (the same object when nothing changes).

        The hot path is two set operations in C: the mention's words against those known to
        need nothing, then against the halves of split words that are no word (an
        Aho-Corasick pass finds the splits only when one occurs).
        """
        words = nt.words()
        edits: list[tuple[int, int, str]] = []
        ok = self._ok
        if not ok.issuperset(words):
            pos = 1  # the text is " w0 w1 … ", single spaces
            for w in words:
                start = pos
                pos += len(w) + 1
                if w in ok:
                    continue
                new = self.fix(w)
                if new is None:
                    if len(ok) >= _cache_limit():
                        ok.clear()
                    ok.add(w)
                else:
                    edits.append((start, start + len(w), new))
        if self._splits is not None and not self._rare_halves.isdisjoint(words):
            for end, (length, joined) in self._splits.iter(nt.text):
                # the key is " a b ": replace "a b", keep the spaces around it
                edits.append((end - length + 2, end, joined))
        if not edits:
            return nt
        edits.sort()
        kept: list[tuple[int, int, str]] = []
        for edit in edits:  # a join wins over fixes of its halves (it starts first or is longer)
            if kept and edit[0] < kept[-1][1]:
                if edit[1] - edit[0] > kept[-1][1] - kept[-1][0]:
                    kept[-1] = edit
                continue
            kept.append(edit)
        text, shift = rewrite(nt.text, kept)
        return NormalizedText(nt.original, text, [*nt.shifts, shift] if shift else nt.shifts)


class _Pieces:
    """The halves a glued word may be made of, for one vocabulary and shared words (it keeps
    both alive: they are its cache key)."""

    __slots__ = ("__weakref__", "index", "shared", "words")

    def __init__(self, words: frozenset[str], index: _VocabIndex, shared: SharedWords) -> None:
        self.words, self.index, self.shared = words, index, shared


_PIECES: weakref.WeakValueDictionary[tuple[str, str], _Pieces] = weakref.WeakValueDictionary()
# Weak values: a corrector lives as long as a playbook uses it (never evicted while in use).
_CORRECTORS: weakref.WeakValueDictionary[str, Corrector] = weakref.WeakValueDictionary()


def _cache_limit() -> int:
    """How many words each corrector may remember: the process's budget shared by the
    correctors alive (one per playbook vocabulary), never below the floor."""
    return max(_CACHE_FLOOR, _CACHE_BUDGET // max(1, len(_CORRECTORS)))


def corrector(
    vocabulary: Iterable[str],
    exact: Iterable[str],
    standalone: Iterable[str] = (),
    shared: SharedWords = NO_SHARED_WORDS,
) -> Corrector:
    """The corrector of this vocabulary, built once per process (keyed by a content hash);
    its exact words and one-word terms are the `shared` ones plus `exact` and `standalone`."""
    vocab, known, alone = sorted(set(vocabulary)), sorted(set(exact)), sorted(set(standalone))
    text = "\n".join(vocab) + "\0" + "\n".join(known) + "\0" + "\n".join(alone)
    digest = hashlib.sha256(f"{text}\0{shared.key}".encode()).hexdigest()
    with _CORRECTORS_LOCK:
        found = _CORRECTORS.get(digest)
        if found is None:
            found = _CORRECTORS[digest] = Corrector(vocab, known, alone, shared)
    return found
