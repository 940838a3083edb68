"""The lexicon syntax editors write: optional parts, choices, and choices holding optional parts."""

from __future__ import annotations

import pytest

from playbooks.lexicons import LexiconSyntaxError, expand_entry, parse_lexicon_text


def test_optional_parts_and_choices_expand() -> None:
    assert expand_entry("connard(e)(s)") == ["connard", "connards", "connarde", "connardes"]
    assert expand_entry("(pd|pédé)(s)") == ["pd", "pds", "pédé", "pédés"]
    assert expand_entry("fils de (|sa )pute") == ["fils de pute", "fils de sa pute"]


def test_a_brace_choice_may_hold_optional_parts_and_choices() -> None:
    """`{t'es devenu(e)|…}` was kept literally: "t'es devenue" never matched."""
    assert expand_entry("{tu es|t'es devenu(e)} nul") == [
        "tu es nul",
        "t'es devenu nul",
        "t'es devenue nul",
    ]
    assert expand_entry("{en commentaire(s)|sur (x|insta)}") == [
        "en commentaire",
        "en commentaires",
        "sur x",
        "sur insta",
    ]


def test_nested_braces_are_still_refused_with_their_line() -> None:
    with pytest.raises(LexiconSyntaxError):
        expand_entry("{a{b|c}}")
    entries, problems = parse_lexicon_text("connard(e)\n{a(b}\n")
    assert [e.written for e in entries] == ["connard(e)"]
    assert [line for line, _col, _msg in problems] == [2]
