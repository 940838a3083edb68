"""Lexicon files compiled once per process and shared by the playbooks that load them (issue 11
§4): brands with their own terms beside the same files decide as if each had its own copy."""

from __future__ import annotations

import gc
from datetime import UTC, datetime
from pathlib import Path

from playbooks import BrandContext, MentionInput, load_playbook, shipped_playbook_path
from playbooks.matcher import _AUTOMATA

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
    from playbooks.matcher import _compiled

    table = {
        " crétin ": [(0, "crétin")],
        " espèce de crétin ": [(0, "espèce de crétin"), (3, "crétin"), (1, "espèce de crétin")],
        "con ": [(2, "con*")],
        " 🤡": [(70000, "🤡")],
    }
    compiled = _compiled(table)
    for value, (key, payload) in enumerate(table.items()):
        first, last = compiled.starts[value], compiled.starts[value + 1]
        pairs = [
            (compiled.pair_groups[k], compiled.terms[compiled.pair_terms[k]])
            for k in range(first, last)
        ]
        assert (compiled.lengths[value], pairs) == (len(key), payload)
    ends = {value: end for end, value in compiled.automaton.iter(" une espèce de crétin ")}
    assert set(ends) == {0, 1}
