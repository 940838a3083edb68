"""Lexicon files compiled once per process and shared by the playbooks that load them (issue 11
§4): brands with their own terms beside the same files decide as if each had its own copy."""

from __future__ import annotations

import gc
import weakref
from datetime import UTC, datetime
from pathlib import Path

from playbooks import BrandContext, MentionInput, load_playbook, shipped_playbook_path
from playbooks.key_automaton import _AUTOMATA

PLAYBOOK = """format: 1
name: Test
languages: [fr]
lexicons:
  insultes:
    {source}
scenarios:
  - id: insulte
    label: Insulte
    severity: S2
    when: {{lexicon: insultes}}
"""
FILE = "crétin\nespèce de crétin\n!crétin des alpes\nbouffon\n"
NOW = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)
INLINE = ["abruti", "gros bouffon", "!abruti fini"]


def _split(tmp_path: Path, extra: list[str] = INLINE):
    (tmp_path / "insultes.txt").write_text(FILE, encoding="utf-8")
    source = f"{{files: {{fr: insultes.txt}}, terms: {extra!r}}}"
    return load_playbook(PLAYBOOK.format(source=source), base_dir=tmp_path)


def _inline():
    terms = [t for t in FILE.splitlines() if t] + INLINE
    return load_playbook(PLAYBOOK.format(source=f"{{terms: {terms!r}}}"))


def _seen(book, text: str) -> tuple[list[str], list[str]]:
    d = book.decide(MentionInput(text=text, lang="fr"), BrandContext(), NOW)
    return d.scenarios, [str(e) for e in d.evidence]


def test_a_lexicon_split_between_a_file_and_terms_decides_like_one_list(tmp_path):
    split, inline = _split(tmp_path), _inline()
    for text in [
        "espèce de crétin, gros bouffon et abruti",
        "abruti fini mais pas crétin des alpes",
        "crétin des alpes",
        "abruti fini",
        "un bouffon, un crétin",
        "rien à signaler",
    ]:
        assert _seen(split, text) == _seen(inline, text), text


def test_brands_with_their_own_terms_share_the_automata_of_the_same_files():
    text = shipped_playbook_path("demo-shop").read_text(encoding="utf-8")
    mine = text.replace("  spam: {files:", "  marque: {terms: [gamme42]}\n  spam: {files:", 1)
    assert mine != text
    gc.collect()
    before = len(_AUTOMATA)
    first = load_playbook(text)
    shared = len(_AUTOMATA) - before
    second = load_playbook(mine)
    # the second brand adds its own small automaton, not a copy of the files'
    assert len(_AUTOMATA) - before <= shared + len(second.languages)
    ids = {id(c) for scanners in first.index._scanners.values() for c, _ in scanners}
    again = {id(c) for scanners in second.index._scanners.values() for c, _ in scanners}
    assert len(ids & again) >= shared - len(first.languages)
    assert second.decide(MentionInput(text="ma gamme42 est top", lang="fr")).scenarios


def test_compiled_payloads_stored_flat_read_back_as_built():
    """Keys' lengths and (group, term) pairs, stored in arrays, come back in their order."""
    from playbooks.key_automaton import compiled as compile_keys

    table = {
        " crétin ": [(0, "crétin")],
        " espèce de crétin ": [(0, "espèce de crétin"), (3, "crétin"), (1, "espèce de crétin")],
        "con ": [(2, "con*")],
        " 🤡": [(70000, "🤡")],
    }
    compiled = compile_keys({key: list(pairs) for key, pairs in table.items()})  # consumed
    text = " une espèce de crétin 🤡 con "
    found = {}
    for end, value in compiled.iter(text):
        first, last = compiled.starts[value], compiled.starts[value + 1]
        pairs = [
            (compiled.pair_groups[k], compiled.terms[compiled.pair_terms[k]])
            for k in range(first, last)
        ]
        found[text[end - compiled.lengths[value] + 1 : end + 1]] = pairs
    assert found == table


def _state(book) -> tuple:
    """What a compiled playbook's index holds: automata contents, ids, counts, correctors."""
    index = book.index
    scanners = {
        lang: [(list(c.terms), list(c.pair_groups), ids) for c, ids in found]
        for lang, found in index._scanners.items()
    }
    correctors = {lang: sorted(c.exact) for lang, c in index._correctors.items()}
    return (
        scanners,
        dict(index._groups),
        index._merge_always,
        index._exception_groups,
        index.term_count,
        index.uses_morphology,
        correctors,
        book.version,
    )


def test_known_lexicon_files_are_not_read_again_and_compile_the_same(monkeypatch):
    """A file indexed once is known by its key: a second playbook re-applies what it added and
    finds the files' automaton by their keys; once that automaton is gone, it reads them again.
    Either way the compiled playbook is the one a first reading gives."""
    from playbooks import lexicon_units, matcher

    monkeypatch.setenv("VIGIE_CACHE_DIR", "off")  # no earlier process's automata: see below

    text = shipped_playbook_path("demo-shop").read_text(encoding="utf-8")
    lexicon_units.forget()
    gc.collect()
    first = load_playbook(text)
    reference = _state(first)
    texts = ["espèce de connard", "je vais porter plainte", "colis jamais arrivé, arnaque"]
    texts.append("t'es qu'un c*nnard")  # what a censored word hides is re-applied too
    seen = [_seen(first, t) for t in texts]
    filled = []
    original = lexicon_units.Unit.__init__

    second = load_playbook(text)  # known files, their automaton alive
    assert _state(second) == reference
    fuzzy_words = first.index._correctors["fr"].standalone  # what censored words may hide
    assert fuzzy_words and second.index._correctors["fr"].standalone == fuzzy_words
    assert [_seen(second, t) for t in texts] == seen
    assert second.index._scanners["fr"][-1][0] is first.index._scanners["fr"][-1][0]
    # The automaton goes with the last playbook using it (others of this test session may
    # hold it): as if it were gone, the facts staying.
    monkeypatch.setattr(matcher, "_LAYOUTS", weakref.WeakValueDictionary())

    def spy(self, group, key, fill, **kwargs):
        original(self, group, key, fill, **kwargs)
        filled.append(key)

    monkeypatch.setattr(lexicon_units.Unit, "__init__", spy)
    third = load_playbook(text)
    assert None in filled  # files read again into fresh tables
    assert _state(third) == reference
    assert [_seen(third, t) for t in texts] == seen
