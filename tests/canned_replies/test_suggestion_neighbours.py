"""A typo's correction takes the gender and number of the word beside it
(canned_replies/suggestion_neighbours.py): the adjective after it, or the noun before it when
the typo ends the phrase. A verb or preposition candidate is not ruled out by the neighbour.

Sentences written for these tests (customer-service style), not taken from any data set."""

import pytest

from canned_replies import proofread

pytestmark = pytest.mark.usefixtures("grammalecte")


def first_fix(text: str, word: str) -> str:
    found = [f for f in proofread(text) if text[f.start : f.end] == word and f.suggestions]
    assert found, f"no finding on {word!r}"
    return found[0].suggestions[0]


@pytest.mark.parametrize(
    ("text", "word", "fix"),
    [
        ("Nos clientss âgées ont droit à une remise.", "clientss", "clientes"),
        ("Tarifs préférentiells : voir en agence.", "préférentiells", "préférentiels"),
        ("Délais supplémentairs : deux jours.", "supplémentairs", "supplémentaires"),
        ("Attention : affluence importane ce week-end.", "importane", "importante"),
        ("Remise exceptionnelle et réduction importane en magasin.", "importane", "importante"),
    ],
)
def test_the_form_agreeing_with_the_neighbour_comes_first(text, word, fix):
    assert first_fix(text, word) == fix


def test_a_verb_reading_is_not_pushed_back():
    assert first_fix("Ce forfait comprenz les appels.", "comprenz") != "compris"
