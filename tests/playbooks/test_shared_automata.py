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
