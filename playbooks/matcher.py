"""One Aho-Corasick pass per mention over every term of a playbook, per language."""

from __future__ import annotations

import hashlib
import threading
import weakref
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from . import automaton_store, french, fuzzy, key_automaton
from .key_automaton import KeyAutomaton, Table, add_pair, pairs_of
from .lexicon_units import Unit, keep, recall, remember
from .normalize import NormalizedText, SmsExpander, normalize_term, squeeze

# The lexicon-file automata per layout (the keys of the files it holds, in order): a playbook
# whose files are all known finds its automaton without reading them again. Each lexicon file
# is compiled apart with local group ids, so playbooks that load the same files (twenty brands
# on variations of the shipped playbooks, a re-publication) share one automaton per file set
# whatever else they hold (see key_automaton: weak values, shared per content hash).
_LAYOUTS: weakref.WeakValueDictionary[str, KeyAutomaton] = weakref.WeakValueDictionary()
_LAYOUTS_LOCK = threading.Lock()


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
    _entries: dict[str, Table] = field(default_factory=dict)
    _groups: dict[str, int] = field(default_factory=dict)
    # Per language: the automata to run, each with its local-to-playbook group ids (None: the
    # playbook's own automaton, already in playbook ids).
    _scanners: dict[str, list[tuple[KeyAutomaton, tuple[int, ...] | None]]] = field(
        default_factory=dict
    )
    # Lexicon files being or already indexed apart.
    _units: list[Unit] = field(default_factory=list)
    _unit: Unit | None = None
    _refilling: bool = False
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

    def begin_unit(
        self, group: int, key: str | None = None, fill: Callable[[], None] | None = None
    ) -> None:
        """Index what follows (one lexicon file of `group`) apart, to share its automaton with
        the playbooks that load the same file; `end_unit` closes it. `key` names what decides
        its keys and `fill` adds its entries again (see `known_unit`)."""
        self._unit = Unit(group, key, fill, tables={})

    def end_unit(self) -> None:
        unit, self._unit = self._unit, None
        if unit is None:
            return
        if unit.key is not None:
            unit.facts = remember(unit)  # its words: in the shared sets `build` gathers
            automaton_store.save_facts(unit.key, unit.facts)
        unit.exact, unit.vocab, unit.standalone = {}, {}, {}
        if unit.tables:
            self._units.append(unit)

    def known_unit(self, group: int, key: str, fill: Callable[[], None]) -> bool:
        """Index a lexicon file of `group` already indexed in this process under `key` without
        reading it: what it adds besides its keys is re-applied, and `build` finds the shared
        automaton of the playbook's files (or calls `fill`, which adds the file's entries
        between `begin_unit` and `end_unit` as a first reading does). False: unknown key."""
        facts = recall(key)
        if facts is None:  # read by an earlier process?
            facts = automaton_store.load_facts(key)
            if facts is None:
                return False
            keep(key, facts)
        unit = Unit(group, key, fill, facts=facts)
        if facts.exception:  # its id, created where the file's first exception would create it
            unit.exception = self.exception_group(group)
        for lang, words in facts.vocab.items():  # its exact and standalone words: `build`
            self._vocab.setdefault(lang, set()).update(words)
        self.term_count += facts.term_count
        self.uses_morphology = self.uses_morphology or facts.morphology
        if facts.langs:
            self._units.append(unit)
        return True

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
            unit = self._unit
            if unit is None:
                table = self._entries.setdefault(target, {})
            else:  # local ids: 0 the lexicon, 1 its exceptions
                assert unit.tables is not None
                table = unit.tables.setdefault(target, {})
                if group != unit.group:
                    unit.exception = group
            concrete = self._inflect(terms, target, forms)
            expand = self.sms.get(target)
            local = group if unit is None else int(group != unit.group)
            words: list[str] = []  # every key's words, noted once per entry (in their order)
            for term in concrete:
                # Evidence shows the concrete variant ("espèce de connard"), not the pattern.
                pair = (local, term.strip("*") if len(concrete) > 1 else written)
                keys = self._keys(term, expand)
                for key in keys:
                    if add_pair(table, key, pair):  # one tuple for the keys of a term
                        self.term_count += 1
                        if unit is not None:
                            unit.term_count += 1
                    words += key.split()
                if fuzzy and target == "fr" and keys:  # the real-word guard knows French only
                    # the words as written (the longest key), not their squeezed twins
                    self._note("vocab", target, max(keys, key=len).split())
                    if " " not in max(keys, key=len).strip():
                        self._note("standalone", target, [k.strip() for k in keys])
            self._note("exact", target, words)

    def _note(self, kind: str, lang: str, words: list[str]) -> None:
        """Every term's words (`exact`), a fuzzy lexicon's (`vocab`) or its one-word terms
        (`standalone`, what a censored word may stand for), for the playbook and for the
        lexicon file being indexed (when refilling one, for the file only)."""
        shared = self._unit is not None and self._unit.key is not None and kind != "vocab"
        if not self._refilling and not shared:  # a known file's words: in `shared_words`
            _words_of(kind, self._exact_words, self._vocab, self._standalone, lang).update(words)
        if self._unit is not None:
            u = self._unit
            _words_of(kind, u.exact, u.vocab, u.standalone, lang).update(words)

    def _inflect(self, terms: list[str], lang: str, forms: bool) -> list[str]:
        """Terms with `~lemma` expanded, plus the forms of one-word lemmas when asked."""
        if not forms and not any("~" in t for t in terms):
            return terms
        french_forms = lang == "fr"
        self.uses_morphology = self.uses_morphology or french_forms
        if self._unit is not None:
            self._unit.morphology = self._unit.morphology or french_forms
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
            scanners: list[tuple[KeyAutomaton, tuple[int, ...] | None]] = []
            table = self._entries.get(lang)
            if table:
                scanners.append((key_automaton.compiled(table), None))
            # The lexicon files in one automaton (one pass per mention), in ids local to it:
            # 2·file (+1 for its exceptions). Brands loading the same files share it whatever
            # their other lexicons and terms.
            units = [u for u in self._units if self._unit_langs(u, lang)]
            ids = [i for u in units for i in (u.group, u.exception)]
            if units:
                compiled = self._files_automaton(units, lang)
                scanners.append((compiled, tuple(ids)))
                # the few distinct group sets in this playbook's ids, for the fast path
                self._mapped[lang] = {
                    fs: frozenset(ids[g] for g in fs) for fs in set(compiled.key_groups)
                }
                seen = [g for g in ids if g >= 0]
                self._merge_always |= {g for g in seen if seen.count(g) > 1}
            self._scanners[lang] = scanners
        shared = {lang: shared_words(self._units, lang) for lang in self._vocab}
        self._units.clear()  # the automata hold everything now
        self._exception_groups = frozenset(self._exception_of)
        self._entries.clear()  # the automata hold everything now
        for lang, vocab in self._vocab.items():
            self._correctors[lang] = fuzzy.corrector(
                vocab, self._exact_words.get(lang, ()), self._standalone.get(lang, ()), shared[lang]
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

    @staticmethod
    def _unit_langs(unit: Unit, lang: str) -> bool:
        if unit.facts is not None:
            return lang in unit.facts.langs
        return bool(unit.tables and unit.tables.get(lang))

    def _files_automaton(self, units: list[Unit], lang: str) -> KeyAutomaton:
        """The one automaton of these lexicon files for `lang`, in ids local to it: 2·file
        (+1 for its exceptions); found by layout when every file is known."""
        layout = None
        if all(u.key is not None for u in units):
            layout = hashlib.sha256(f"{lang}\n{[u.key for u in units]}".encode()).hexdigest()
            with _LAYOUTS_LOCK:
                found = _LAYOUTS.get(layout)
            if found is None:  # compiled by an earlier process?
                found = automaton_store.load_automaton(layout)
                if found is not None:
                    with _LAYOUTS_LOCK:
                        found = _LAYOUTS.setdefault(layout, found)
            if found is not None:
                return found
        for unit in units:
            if unit.tables is None:  # known, but its automaton is gone: read it again
                assert unit.fill is not None
                self._unit = Unit(unit.group, None, None, tables={})
                self._refilling, count = True, self.term_count
                try:
                    unit.fill()
                finally:
                    unit.tables, self._unit = self._unit.tables, None
                    self._refilling, self.term_count = False, count
        files: Table = {}
        for base, unit in enumerate(units):
            assert unit.tables is not None
            # each file's table dropped once merged: the build holds one copy of the keys
            for key, payload in unit.tables.pop(lang).items():
                if base:  # the first file's ids stay as they are
                    if isinstance(payload, tuple):
                        payload = (2 * base + payload[0], payload[1])
                    else:
                        payload = [(2 * base + g, w) for g, w in payload]
                merged = files.setdefault(key, payload)
                if merged is not payload:
                    files[key] = [*pairs_of(merged), *pairs_of(payload)]
        compiled = key_automaton.compiled(files)
        if layout is not None:
            with _LAYOUTS_LOCK:
                known = _LAYOUTS.get(layout)
                compiled = _LAYOUTS.setdefault(layout, compiled)
            if known is None:
                automaton_store.save_automaton(layout, compiled)
        return compiled

    def correct(self, nt: NormalizedText, lang: str) -> NormalizedText:
        """Near-misses of fuzzy lexicons' words rewritten to them (see `fuzzy`)."""
        corrector = self._correctors.get(lang)
        return nt if corrector is None else corrector.correct(nt)

    def scan_groups(self, nt: NormalizedText, lang: str) -> set[int]:
        """The groups with at least one term in a text's normalisation (the fast path)."""
        text = nt.text
        groups: set[int] = set()
        for compiled, ids in self._scanners.get(lang, ()):
            values = compiled.values(text)
            key_groups = compiled.key_groups
            if ids is None:
                for v in values:
                    groups.update(key_groups[v])
            else:
                mapped = self._mapped[lang]
                for v in values:
                    groups.update(mapped[key_groups[v]])
        if not self._exception_groups.isdisjoint(groups):
            return set(self.scan(nt, lang))  # exceptions need positions
        return groups

    def scan(self, nt: NormalizedText, lang: str) -> dict[int, list[Hit]]:
        """All hits in a text's normalisation (`nt.text`, padded), grouped by group id. An
        exception that runs over a sentence's end in the original does not count: it was
        written for one sentence and would hide a cue in the next (wave 31)."""
        text = nt.text
        hits: dict[int, list[Hit]] = {}
        merged: set[int] = set()  # groups with hits from more than one automaton
        before: set[int] | frozenset[int] = frozenset()
        for compiled, ids in self._scanners.get(lang, ()):
            if hits:
                before = set(hits)
            located, locate = compiled.located, compiled.locate
            for end, value in compiled.iter(text):
                entry = located.get(value)
                if entry is None:
                    entry = locate(value)
                start, stop = end + entry[0], end + 1
                for local, written in entry[1]:
                    group = local if ids is None else ids[local]
                    bucket = hits.get(group)
                    if bucket is None:
                        hits[group] = [(written, start, stop)]
                    else:
                        if group in before:
                            merged.add(group)
                        bucket.append((written, start, stop))
        merged |= self._merge_always.intersection(hits)
        for group in merged:  # one automaton's order: by end, the longest first
            hits[group] = sorted(dict.fromkeys(hits[group]), key=lambda h: (h[2], h[1]))
        if not self._exception_groups.isdisjoint(hits):
            self._apply_exceptions(hits, nt)
        return hits

    def _apply_exceptions(self, hits: dict[int, list[Hit]], nt: NormalizedText) -> None:
        for exc, parent in self._exception_of.items():
            spans = hits.pop(exc, None)
            if spans is None or parent not in hits:
                continue
            spans = [h for h in spans if not nt.spans_sentences(h[1], h[2])]
            kept = [
                h for h in hits[parent] if not any(s <= h[1] and h[2] <= e for _, s, e in spans)
            ]
            if kept:
                hits[parent] = kept
            else:
                del hits[parent]


# The exact words and one-word terms of a set of lexicon files per language (weak values):
# one copy for every playbook loading them, whatever their own terms.
_SHARED_WORDS: weakref.WeakValueDictionary[str, fuzzy.SharedWords] = weakref.WeakValueDictionary()


def shared_words(units: list[Unit], lang: str) -> fuzzy.SharedWords:
    """The words the known lexicon files among `units` add for `lang`, one object per content
    (their unit keys name it); the playbook's own words are kept apart (`TermIndex._note`)."""
    facts = [u.facts for u in units if u.key is not None and u.facts is not None]
    keys = sorted({u.key for u in units if u.key is not None and u.facts is not None})
    name = hashlib.sha256(f"{lang}\n{keys}".encode()).hexdigest()
    with _LAYOUTS_LOCK:
        found = _SHARED_WORDS.get(name)
        if found is None:
            found = _SHARED_WORDS[name] = fuzzy.SharedWords(
                name,
                frozenset().union(*(f.exact.get(lang, ()) for f in facts)),
                frozenset().union(*(f.standalone.get(lang, ()) for f in facts)),
            )
    return found


def _words_of(
    kind: str,
    exact: dict[str, set[str]],
    vocab: dict[str, set[str]],
    standalone: dict[str, set[str]],
    lang: str,
) -> set[str]:
    """The set of `kind` ("exact", "vocab" or "standalone") for `lang`, created if need be."""
    into = exact if kind == "exact" else vocab if kind == "vocab" else standalone
    return into.setdefault(lang, set())
