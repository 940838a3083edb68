"""One Grammalecte instance per process, loaded on first use and shared by all threads.

Grammalecte keeps its state (options, ignored rules, spell-checker cache) in module globals:
creating a second GrammarChecker resets the options and toggling them per request would leak
between threads. So we load it once under a lock, never change its globals afterwards, and
pass a full options dict on every call instead.

Its dictionary and per-word store are held in less memory, same answers: grammalecte_store.
"""

from __future__ import annotations

import sys
import threading
from functools import lru_cache
from types import ModuleType
from typing import Any

from canned_replies import grammalecte_store

DIST_PACKAGES = "/usr/lib/python3/dist-packages"
DEBIAN_PACKAGE = "python3-grammalecte"

# Typography-only options: a social-media reply typed with straight apostrophes or without
# non-breaking spaces is not a mistake a customer would screenshot.
TYPOGRAPHY_OPTIONS = ("apos", "nbsp", "esp", "tab", "typo", "num", "unit", "eepi", "liga", "latex")


class GrammalecteMissing(RuntimeError):
    """Grammalecte is not installed on this machine."""


class _Engine:
    def __init__(self, checker: Any, modules: dict[str, ModuleType]) -> None:
        self.checker = checker
        self.gc_engine = checker.getGCEngine()
        self.speller = checker.getSpellChecker()
        self.conj = modules["conj"]
        self.functions = modules["gc_functions"]
        defaults = dict(self.gc_engine.getDefaultOptions())
        typography_off = {name: False for name in TYPOGRAPHY_OPTIONS if name in defaults}
        self.options_social = {**defaults, **typography_off}
        self.options_full = defaults


_lock = threading.Lock()
_engine: _Engine | None = None


def _import_grammalecte() -> tuple[ModuleType, dict[str, ModuleType]]:
    # Our virtualenv does not see Debian's dist-packages; add it only for this import.
    if DIST_PACKAGES not in sys.path:
        sys.path.append(DIST_PACKAGES)
    try:
        import grammalecte  # type: ignore[import-not-found]  # Debian package, outside the venv
        from grammalecte.fr import (  # type: ignore[import-not-found]
            conj,
            gc_engine,
            gc_functions,
        )
    except ImportError as exc:
        raise GrammalecteMissing(
            "French proofreading needs Grammalecte: install the Debian package "
            f"{DEBIAN_PACKAGE} (apt-get install {DEBIAN_PACKAGE})"
        ) from exc
    return grammalecte, {"conj": conj, "gc_engine": gc_engine, "gc_functions": gc_functions}


def engine() -> _Engine:
    """Return the process-wide Grammalecte engine, loading it on first call."""
    global _engine
    if _engine is None:
        with _lock:
            if _engine is None:
                grammalecte, modules = _import_grammalecte()
                loaded = _Engine(grammalecte.GrammarChecker("fr"), modules)
                grammalecte_store.compact(loaded.speller)
                _ordered_tails(loaded.speller)
                _remembered_matches(modules["gc_engine"])
                _first_parse(loaded)
                _engine = loaded  # published only once fully loaded
    return _engine


def _ordered_tails(speller: Any) -> None:
    # The suggester gathers word endings in a set and stops once it holds enough candidates:
    # with string hashing salted per process, the same typo got other suggestions after the
    # first ones from one process to the next ("paul" → "Paula" or "Paulo"). Endings in a
    # fixed order make the suggestions the same in every process.
    for dictionary in (speller.oMainDic, speller.oCommunityDic, speller.oPersonalDic):
        if dictionary is None:
            continue
        tails = dictionary._getTails  # a bound method: the recursion finds the wrapper below

        def ordered(i_addr: int, tail: str = "", n: int = 2, _tails: Any = tails) -> list[str]:
            return sorted(_tails(i_addr, tail, n))

        dictionary._getTails = ordered


# Arcs a token takes from one graph node, remembered: ~260 B an entry, so ~26 MB at most
# (85,000 entries after 1,500 sentences of the development set).
MATCHES_REMEMBERED = 100_000


def _remembered_matches(gc_engine: ModuleType) -> None:
    # Most of a parse is TextParser._getMatches: for each token and each node a pointer has
    # reached (the graphs' roots for every token), which arcs the token takes, by its value,
    # type, morphologies, lemmas and tags. Those and the node, which never changes, decide the
    # answer; the same word meets the same nodes in sentence after sentence, so the answer is
    # kept. Morphologies are read as the parse sees them now (a rule may have rewritten the
    # token's or extended the word's stored list: g_define, g_addmorph); lemmas follow from the
    # word; tags are read in their iteration order. Bounded: emptied when full.
    parser = gc_engine.TextParser
    if getattr(parser, "_vigie_remembered", False):
        return
    get_matches = parser._getMatches
    speller = gc_engine._oSpellChecker
    remembered: dict[tuple[Any, ...], tuple[tuple[str | None, str, int], ...]] = {}

    def matches(
        self: Any, dGraph: Any, dToken: dict[str, Any], dNode: Any, bKeep: bool = False
    ) -> tuple[tuple[str | None, str, int], ...]:
        value, kind = dToken["sValue"], dToken["sType"]
        morph = None
        if kind[0:4] == "WORD":
            morph = tuple(dToken["lMorph"] if "lMorph" in dToken else speller.getMorph(value))
        tags = tuple(dToken["aTags"]) if "aTags" in dToken else None
        key = (id(dNode), bKeep, value, kind, morph, tags)
        found = remembered.get(key)
        if found is None:
            found = tuple(get_matches(self, dGraph, dToken, dNode, bKeep))
            if len(remembered) >= MATCHES_REMEMBERED:
                remembered.clear()
            remembered[key] = found
        return found

    parser._getMatches = matches
    parser._vigie_remembered = True


def _first_parse(loaded: _Engine) -> None:
    # Grammalecte compiles its rules and fills module globals on the first parse and the first
    # suggestion; done by concurrent requests that raced (AttributeError/KeyError). Do it here,
    # under the lock, before any other thread can see the engine.
    sample = "Bonjour, nous avons bien recu votre mesage et les colis est en route."
    for options in (loaded.options_social, loaded.options_full):
        loaded.checker.getParagraphErrors(sample, dOptions=options)
    loaded.speller.suggest("mesage", nSuggLimit=3)
    loaded.speller.getMorph("avons")


def available() -> bool:
    """Tell whether Grammalecte can be loaded on this machine."""
    try:
        engine()
    except GrammalecteMissing:
        return False
    return True


# ~4,700 words for the project's 1,686 texts; full, ~200 B a word beside the morphologies.
@lru_cache(maxsize=20_000)
def morphs(word: str) -> tuple[str, ...]:
    """Return Grammalecte's morphologies of a word (e.g. ">être/:V0e…:Ip:1p"), cached."""
    speller = engine().speller
    found = speller.getMorph(word.replace("'", "’"))
    if not found and word[:1].isupper():
        found = speller.getMorph(word.lower())
    if not found and "oe" in word.lower():  # "soeur", "coeur": typed without the ligature
        found = speller.getMorph(word.replace("oe", "œ").replace("Oe", "Œ"))
    return tuple(found)


def is_valid_word(word: str) -> bool:
    """Tell whether the French dictionary knows this word."""
    return bool(engine().speller.isValid(word.replace("'", "’")))


def suggest_spelling(word: str, limit: int = 5) -> list[str]:
    """Return spelling suggestions for a word, best first."""
    return list(_suggestions(word, limit))


# The suggester explores every two-edit path through the dictionary (5 to 60 ms a word) and
# answers from the word alone: an unknown word comes back on every check of a reply being
# typed. ~500 B a word.
@lru_cache(maxsize=2_000)
def _suggestions(word: str, limit: int) -> tuple[str, ...]:
    suggestions: list[str] = []
    for group in engine().speller.suggest(word, nSuggLimit=limit):
        suggestions.extend(s for s in group if s not in suggestions)
    return tuple(suggestions[:limit])


def infinitives(word: str) -> list[str]:
    """The infinitives a verb form may come from, the one sharing the longest start with the
    word first ("tue" → "tuer", "taire"): Grammalecte gathers lemmas in a set, whose order
    changes from one process to the next."""
    found = {s for s in (engine().functions.suggVerbInfi(word) or "").split("|") if s}
    low = word.lower()

    def shared(s: str) -> int:
        return next(
            (k for k, (a, b) in enumerate(zip(low, s, strict=False)) if a != b),
            min(len(low), len(s)),
        )

    return sorted(found, key=lambda s: (-shared(s), len(s), s))
