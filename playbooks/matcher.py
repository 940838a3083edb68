"""One Aho-Corasick pass per mention over every term of a playbook, per language."""

from __future__ import annotations

import hashlib
import threading
import weakref
from array import array
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import ahocorasick

from . import french, fuzzy
from .normalize import NormalizedText, SmsExpander, normalize_term, squeeze

# Compiled automata per content hash (terms, groups and what evidence shows). Each lexicon
# file is compiled apart with local group ids, so playbooks that load the same files (twenty
# brands on variations of the shipped playbooks, a re-publication) share one automaton per file
# whatever else they hold; weak values: an automaton lives as long as a playbook uses it, and
# no eviction can drop one still in use (nor build a second copy of it).
_AUTOMATA: weakref.WeakValueDictionary[str, _Compiled] = weakref.WeakValueDictionary()
_AUTOMATA_LOCK = threading.Lock()


class _Compiled:
    """One automaton with, per value, the groups of that key and its length and payload.

    Stored flat in arrays (the shipped lexicons hold ~140,000 keys: a tuple per key and per
    (group, term) pair cost ~25 MB per process): key `v`'s payload is the pairs
    `starts[v]:starts[v + 1]` of `pair_groups` and `pair_terms` (indices into `terms`)."""

    __slots__ = (
        "__weakref__",
        "automaton",
        "key_groups",
        "lengths",
        "pair_groups",
        "pair_terms",
        "starts",
        "terms",
    )

    def __init__(self, automaton: ahocorasick.Automaton, table: dict[str, list[tuple[int, str]]]):
        self.automaton = automaton
        self.key_groups: list[frozenset[int]] = []
        self.lengths = array("I")
        self.starts = array("I", [0])
        self.pair_groups = array("i")
        self.pair_terms = array("I")
        interned: dict[frozenset[int], frozenset[int]] = {}
        term_ids: dict[str, int] = {}
        for key, payload in table.items():
            groups = frozenset(g for g, _ in payload)
            self.key_groups.append(interned.setdefault(groups, groups))
            self.lengths.append(len(key))
            for group, term in payload:
                self.pair_groups.append(group)
                self.pair_terms.append(term_ids.setdefault(term, len(term_ids)))
            self.starts.append(len(self.pair_groups))
        self.terms: list[str] = list(term_ids)


def _compiled(table: dict[str, list[tuple[int, str]]]) -> _Compiled:
    """The shared automaton of a table of keys (built once per content hash)."""
    digest = hashlib.sha256("\n".join(f"{k}\t{p}" for k, p in table.items()).encode()).hexdigest()
    with _AUTOMATA_LOCK:
        found = _AUTOMATA.get(digest)
    if found is not None:  # the same terms (another brand, a re-publication)
        return found
    # The automaton's value is a key's index, stored as a C int (no Python object per key):
    # the hot loop only collects ints, and terms and positions are looked up when someone asks
    # for evidence.
    automaton = ahocorasick.Automaton(ahocorasick.STORE_INTS)
    for i, key in enumerate(table):
        automaton.add_word(key, i)
    automaton.make_automaton()
    compiled = _Compiled(automaton, table)
    with _AUTOMATA_LOCK:  # another thread may have built it meanwhile: keep one
        return _AUTOMATA.setdefault(digest, compiled)


# A hit: (written term, start, end) in the normalised text.
Hit = tuple[str, int, int]
ANY_LANGUAGE = "*"


@dataclass
class TermIndex:
    """Collects (group, term) pairs at load time and builds one automaton per language.

    A group is anything a condition asks about: a lexicon, or one condition's keyword list.
    """

    languages: list[str]
    sms: dict[str, SmsExpander] = field(default_factory=dict)
    _entries: dict[str, dict[str, list[tuple[int, str]]]] = field(default_factory=dict)
    _groups: dict[str, int] = field(default_factory=dict)
    # Per language: the automata to run, each with its local-to-playbook group ids (None: the
    # playbook's own automaton, already in playbook ids).
    _scanners: dict[str, list[tuple[_Compiled, tuple[int, ...] | None]]] = field(
        default_factory=dict
    )
    # Lexicon files being or already indexed apart: (group, its exception group or -1, tables).
    _units: list[list[Any]] = field(default_factory=list)
    _unit: list[Any] | None = None
    _mapped: dict[str, dict[frozenset[int], frozenset[int]]] = field(default_factory=dict)
    _merge_always: set[int] = field(default_factory=set)  # groups of several files
    _exception_of: dict[int, int] = field(default_factory=dict)
    _exception_groups: frozenset[int] = frozenset()
    # Per language: words of the lexicons asking for fuzzy matching, and every term's words.
    _vocab: dict[str, set[str]] = field(default_factory=dict)
    _exact_words: dict[str, set[str]] = field(default_factory=dict)
    _standalone: dict[str, set[str]] = field(default_factory=dict)  # one-word fuzzy terms
    _correctors: dict[str, fuzzy.Corrector] = field(default_factory=dict)
    uses_morphology: bool = False
    term_count: int = 0

    def group(self, name: str) -> int:
        """Numeric id of a named group, created on first use."""
        if name not in self._groups:
            self._groups[name] = len(self._groups)
        return self._groups[name]

    def exception_group(self, group: int) -> int:
        """Id of the group whose hits cancel the hits of `group` they contain."""
        for exc, parent in self._exception_of.items():
            if parent == group:
                return exc
        exc = len(self._groups)
        self._groups[f"!{group}"] = exc
        self._exception_of[exc] = group
        return exc

    def begin_unit(self, group: int) -> None:
        """Index what follows (one lexicon file of `group`) apart, to share its automaton with
        the playbooks that load the same file; `end_unit` closes it."""
        self._unit = [group, -1, {}]

    def end_unit(self) -> None:
        if self._unit is not None and self._unit[2]:
            self._units.append(self._unit)
        self._unit = None

    def add(
        self,
        group: int,
        written: str,
        terms: Iterable[str],
        lang: str = ANY_LANGUAGE,
        *,
        fuzzy: bool = False,
        forms: bool = False,
    ) -> None:
        """Index the concrete `terms` of entry `written` for `lang` (or all languages).

        `~lemma` in a term stands for every form of that French lemma ("je (te|vous) ~tuer");
        `forms`: a one-word term that is a lemma also matches its forms (connard → connards,
        connarde); `fuzzy`: its words of five letters or more also match near-misses.
        """
        terms = list(terms)  # read twice (its length decides what evidence shows)
        targets = self.languages if lang == ANY_LANGUAGE else [lang]
        for target in targets:
            if target not in self.languages:
                continue
            if self._unit is None:
                table = self._entries.setdefault(target, {})
            else:  # local ids: 0 the lexicon, 1 its exceptions
                table = self._unit[2].setdefault(target, {})
                if group != self._unit[0]:
                    self._unit[1] = group
            concrete = self._inflect(terms, target, forms)
            for term in concrete:
                # Evidence shows the concrete variant ("espèce de connard"), not the pattern.
                shown = term.strip("*") if len(concrete) > 1 else written
                keys = self._keys(term, self.sms.get(target))
                local = group if self._unit is None else int(group != self._unit[0])
                for key in keys:
                    payload = table.setdefault(key, [])
                    if (local, shown) not in payload:
                        payload.append((local, shown))
                        self.term_count += 1
                    self._exact_words.setdefault(target, set()).update(key.split())
                if fuzzy and target == "fr" and keys:  # the real-word guard knows French only
                    # the words as written (the longest key), not their squeezed twins
                    self._vocab.setdefault(target, set()).update(max(keys, key=len).split())
                    if " " not in max(keys, key=len).strip():
                        self._standalone.setdefault(target, set()).update(k.strip() for k in keys)

    def _inflect(self, terms: list[str], lang: str, forms: bool) -> list[str]:
        """Terms with `~lemma` expanded, plus the forms of one-word lemmas when asked."""
        if not forms and not any("~" in t for t in terms):
            return terms
        french_forms = lang == "fr"
        self.uses_morphology = self.uses_morphology or french_forms
        out: list[str] = []
        for term in terms:
            if "~" in term:
                pieces: list[list[str]] = []
                for word in term.split(" "):
                    if word.startswith("~") and len(word) > 1:
                        lemma = normalize_term(word[1:]).strip()
                        found = french.forms_of(lemma) if french_forms else ()
                        pieces.append(list(found) or [word[1:]])
                    else:
                        pieces.append([word])
                variants = [""]
                for options in pieces:
                    variants = [f"{v} {o}".strip() for v in variants for o in options]
                out.extend(variants[:5000])
                continue
            out.append(term)
            core = term.strip()
            if forms and french_forms and " " not in core and "*" not in core:
                out.extend(french.forms_of(normalize_term(core).strip()))
        return list(dict.fromkeys(out))

    @staticmethod
    def _keys(term: str, expand: SmsExpander | None) -> list[str]:
        prefix = term.endswith("*")
        suffix = term.startswith("*")
        core = normalize_term(term.strip("*"), expand).strip()
        if not core:
            return []
        variants = {core}
        # Elongations collapse to one letter, so doubled letters need a squeezed twin; short
        # words are left alone ("conne" must not also match "cone").
        squeezed = squeeze(core)
        if squeezed != core and len(squeezed.replace(" ", "")) > 4:
            variants.add(squeezed)
        if not core.isascii() and not any(c.isalnum() for c in core):
            return sorted(variants)  # emoji: no word boundaries
        keys = []
        for v in sorted(variants):
            keys.append(("" if suffix else " ") + v + ("" if prefix else " "))
        return keys

    def build(self) -> None:
        """Freeze the automata; call once after every term was added."""
        for lang in self.languages:
            scanners: list[tuple[_Compiled, tuple[int, ...] | None]] = []
            table = self._entries.get(lang)
            if table:
                scanners.append((_compiled(table), None))
            # The lexicon files in one automaton (one pass per mention), in ids local to it:
            # 2·file (+1 for its exceptions). Brands loading the same files share it whatever
            # their other lexicons and terms.
            files: dict[str, list[tuple[int, str]]] = {}
            ids: list[int] = []
            for group, exception, tables in self._units:
                if tables.get(lang):
                    base = len(ids)
                    ids += [group, exception]
                    for key, payload in tables[lang].items():
                        files.setdefault(key, []).extend((base + g, w) for g, w in payload)
            if files:
                compiled = _compiled(files)
                scanners.append((compiled, tuple(ids)))
                # the few distinct group sets in this playbook's ids, for the fast path
                self._mapped[lang] = {
                    fs: frozenset(ids[g] for g in fs) for fs in set(compiled.key_groups)
                }
                seen = [g for g in ids if g >= 0]
                self._merge_always |= {g for g in seen if seen.count(g) > 1}
            self._scanners[lang] = scanners
        self._units.clear()  # the automata hold everything now
        self._exception_groups = frozenset(self._exception_of)
        self._entries.clear()  # the automata hold everything now
        for lang, vocab in self._vocab.items():
            self._correctors[lang] = fuzzy.corrector(
                vocab, self._exact_words.get(lang, ()), self._standalone.get(lang, ())
            )
        self._vocab.clear()
        self._exact_words.clear()
        self._standalone.clear()

    @property
    def unmask(self) -> Callable[[str], str | None] | None:
        """Reads censored words ("c*nnard") as the French hostile word they hide (see `masks`);
        None without French fuzzy lexicons. Used before the language is known: masks are no
        language's words."""
        corrector = self._correctors.get("fr")
        return None if corrector is None else corrector.unmask

    def correct(self, nt: NormalizedText, lang: str) -> NormalizedText:
        """Near-misses of fuzzy lexicons' words rewritten to them (see `fuzzy`)."""
        corrector = self._correctors.get(lang)
        return nt if corrector is None else corrector.correct(nt)

    def scan_groups(self, text: str, lang: str) -> set[int]:
        """The groups with at least one term in a normalised, padded text (the fast path)."""
        groups: set[int] = set()
        for compiled, ids in self._scanners.get(lang, ()):
            values = {v for _, v in compiled.automaton.iter(text)}
            key_groups = compiled.key_groups
            if ids is None:
                for v in values:
                    groups.update(key_groups[v])
            else:
                mapped = self._mapped[lang]
                for v in values:
                    groups.update(mapped[key_groups[v]])
        if not self._exception_groups.isdisjoint(groups):
            return set(self.scan(text, lang))  # exceptions need positions
        return groups

    def scan(self, text: str, lang: str) -> dict[int, list[Hit]]:
        """All hits in a normalised, padded text, grouped by group id."""
        hits: dict[int, list[Hit]] = {}
        merged: set[int] = set()  # groups with hits from more than one automaton
        for compiled, ids in self._scanners.get(lang, ()):
            before = set(hits)
            lengths, starts, terms = compiled.lengths, compiled.starts, compiled.terms
            pair_groups, pair_terms = compiled.pair_groups, compiled.pair_terms
            for end, value in compiled.automaton.iter(text):
                start = end - lengths[value] + 1
                for k in range(starts[value], starts[value + 1]):
                    local, written = pair_groups[k], terms[pair_terms[k]]
                    group = local if ids is None else ids[local]
                    bucket = hits.get(group)
                    if bucket is None:
                        hits[group] = [(written, start, end + 1)]
                    else:
                        if group in before:
                            merged.add(group)
                        bucket.append((written, start, end + 1))
        merged |= self._merge_always.intersection(hits)
        for group in merged:  # one automaton's order: by end, the longest first
            hits[group] = sorted(dict.fromkeys(hits[group]), key=lambda h: (h[2], h[1]))
        if self._exception_of:
            self._apply_exceptions(hits)
        return hits

    def _apply_exceptions(self, hits: dict[int, list[Hit]]) -> None:
        for exc, parent in self._exception_of.items():
            spans = hits.pop(exc, None)
            if spans is None or parent not in hits:
                continue
            kept = [
                h for h in hits[parent] if not any(s <= h[1] and h[2] <= e for _, s, e in spans)
            ]
            if kept:
                hits[parent] = kept
            else:
                del hits[parent]
