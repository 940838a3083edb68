"""Lexicon files indexed apart by a playbook's term index, and what the process knows of them.

Twenty brands on variations of the shipped playbooks load the same big lexicon files. Reading,
inflecting and keying them again cost ~2 s of CPU and ~80 MB of short-lived tables per
compilation: the peak of a process, and a heap left fragmented. A file indexed once is known by
its unit key (its content, language and options, the playbook's languages and SMS tables):
what it adds besides its keys (`UnitFacts`, a few kB) is re-applied, and the shared automaton
of a playbook's files is found by their keys (`matcher.TermIndex.known_unit`).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field

from .key_automaton import Table


@dataclass(frozen=True)
class UnitFacts:
    """What indexing a lexicon file adds besides its keys, re-applied when it is not read."""

    exception: bool  # it holds exceptions (its lexicon's exception group is created)
    langs: frozenset[str]  # languages it has keys for
    exact: dict[str, frozenset[str]]  # every term's words, per language
    vocab: dict[str, frozenset[str]]  # the words fuzzy matching corrects to, per language
    standalone: dict[str, frozenset[str]]  # one-word fuzzy terms (what a censored word hides)
    term_count: int
    morphology: bool  # French forms were asked for


@dataclass
class Unit:
    """A lexicon file being or already indexed apart (local ids: 0 its lexicon, 1 exceptions)."""

    group: int
    key: str | None  # None: never known again (a file with problems)
    fill: Callable[[], None] | None  # adds its entries again (when its automaton is gone)
    exception: int = -1
    tables: dict[str, Table] | None = None  # None: not read
    facts: UnitFacts | None = None  # known: what was re-applied
    exact: dict[str, set[str]] = field(default_factory=dict)
    vocab: dict[str, set[str]] = field(default_factory=dict)
    standalone: dict[str, set[str]] = field(default_factory=dict)
    term_count: int = 0
    morphology: bool = False


_FACTS: OrderedDict[str, UnitFacts] = OrderedDict()
_FACTS_SIZE = 256  # files with distinct keys: bounded, the oldest forgotten
_LOCK = threading.Lock()


def remember(unit: Unit) -> UnitFacts:
    """Record what a file just read added, under its key."""
    assert unit.key is not None
    facts = UnitFacts(
        exception=unit.exception >= 0,
        langs=frozenset(lang for lang, t in (unit.tables or {}).items() if t),
        exact={lang: frozenset(w) for lang, w in unit.exact.items()},
        vocab={lang: frozenset(w) for lang, w in unit.vocab.items()},
        standalone={lang: frozenset(w) for lang, w in unit.standalone.items()},
        term_count=unit.term_count,
        morphology=unit.morphology,
    )
    keep(unit.key, facts)
    return facts


def keep(key: str, facts: UnitFacts) -> None:
    """Know a file's facts under its key (read here, or found in `automaton_store`)."""
    with _LOCK:
        _FACTS[key] = facts
        _FACTS.move_to_end(key)
        while len(_FACTS) > _FACTS_SIZE:
            _FACTS.popitem(last=False)


def recall(key: str) -> UnitFacts | None:
    """What the file of this key added when it was read, if the process still knows."""
    with _LOCK:
        found = _FACTS.get(key)
        if found is not None:
            _FACTS.move_to_end(key)
        return found


def forget() -> None:
    """Forget every file (tests)."""
    with _LOCK:
        _FACTS.clear()
