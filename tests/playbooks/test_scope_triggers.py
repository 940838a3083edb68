"""Scope triggers searched among the alternatives a text's words allow (`scope_triggers`):
exactly the whole alternation's matches."""

from __future__ import annotations

import pytest

from playbooks.normalize import normalize
from playbooks.scope import _TESTED_WORDS, _TRIGGERS
from playbooks.scope_triggers import Triggers

TEXTS = [
    "il m'a traité de connard devant tout le monde",
    "je me suis fait traiter de menteur, on m'a dit que c'était faux",
    "ne dites pas qu'ils sont nuls, il ne faut pas les insulter",
    "arrêtez de traiter les gens de cons",
    "ce n'est pas vrai que je suis un fardeau",
    "je ne suis pas un poids, t'es pas une charge",
    "vous nous prenez pour des imbéciles",
    "des gens qui disent que les contrôleurs sont des incapables",
    "j'ai entendu dire que vous êtes des voleurs",
    "je suis vraiment un peu con, j'ai conduit comme un abruti",
    "j'aime bien faire le con avec mes potes",
    "personne ne va te frapper, c'est faux de dire ça",
    "un type a dit sale arabe dans le train",
    "mon train est encore en retard, merci pour rien",
    "",
]


@pytest.mark.parametrize("text", TEXTS)
def test_the_matches_are_the_whole_alternations(text: str) -> None:
    nt = normalize(text)
    present = _TESTED_WORDS.intersection(nt.words())
    for triggers in _TRIGGERS.values():
        expected = [m.span() for m in triggers.full.finditer(nt.text)]
        assert [m.span() for m in triggers.finditer(nt.text, present)] == expected


def test_a_match_inside_an_earlier_one_is_skipped_as_the_alternation_skips_it() -> None:
    triggers = Triggers((" a b", " b c d", " c d", " x"), ("a / b", "b / c / d", "c / d", "x"))
    text = " a b c d x "
    expected = [m.span() for m in triggers.full.finditer(text)]
    assert expected == [(0, 4), (4, 8), (8, 10)]  # " b c d" starts inside " a b": skipped
    assert [m.span() for m in triggers.finditer(text, {"a", "b", "c", "d", "x"})] == expected
    text = " b c d x "  # without "a": its alternative is not tried, the others are
    expected = [m.span() for m in triggers.full.finditer(text)]
    assert expected == [(0, 6), (6, 8)]
    assert [m.span() for m in triggers.finditer(text, {"b", "c", "d", "x"})] == expected
    assert list(triggers.finditer(" y z ", set())) == []


def test_an_anchor_the_pattern_does_not_spell_is_refused() -> None:
    with pytest.raises(ValueError, match="not spelt"):
        Triggers((" ne (?:dites|dis) pas ",), ("dites ecrit / pas",))
