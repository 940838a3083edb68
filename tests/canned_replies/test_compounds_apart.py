"""Compounds of the dictionary written as two words are advice with the hyphenated fix; a
phrase of its own (a noun and its adjective, a preposition and its noun) gets nothing.
Sentences written for these tests."""

import pytest

from canned_replies import proofread
from tests.canned_replies.blocking import blocking_fixes

pytestmark = pytest.mark.usefixtures("grammalecte")


def _advice(text: str) -> dict[str, str]:
    return {
        text[f.start : f.end]: (f.suggestions[0] if f.suggestions else "")
        for f in proofread(text)
        if not f.blocking
    }


@pytest.mark.parametrize(
    ("text", "words", "fix"),
    [
        ("Votre beau père peut récupérer le colis à votre place.", "beau père", "beau-père"),
        (
            "Le franc maçon dont parle l'article n'est pas notre client.",
            "franc maçon",
            "franc-maçon",
        ),
    ],
)
def test_compound_written_apart_is_advice_with_the_hyphen(text: str, words: str, fix: str) -> None:
    assert _advice(text).get(words) == fix
    assert words not in blocking_fixes(text)


@pytest.mark.parametrize(
    "text",
    [
        "Vous pouvez suivre votre colis en temps réel sur l'application.",
        "En cas de souci, notre service client reste à votre écoute.",
        "Le remboursement se fait sous forme d'avoir.",
        "Le magasin se trouve à côté de la gare.",
        "Le livreur passera entre quatre heures et six heures.",
    ],
)
def test_phrases_of_their_own_get_no_compound_finding(text: str) -> None:
    assert not [f for f in proofread(text) if f.rule == "vigie.mot_compose_separe"]


@pytest.mark.parametrize(
    ("text", "words", "fix"),
    [
        ("Vous trouverez ci joint la facture.", "ci joint", "ci-joint"),
        ("Les conditions sont rappelées ci après.", "ci après", "ci-après"),
    ],
)
def test_ci_and_its_word_block_with_the_hyphen(text: str, words: str, fix: str) -> None:
    assert blocking_fixes(text).get(words) == fix


def test_comme_ci_comme_ca_is_left() -> None:
    assert blocking_fixes("Le service est comme ci comme ça.") == {}


@pytest.mark.parametrize(
    "text",
    [
        "Le beau père du marié a prononcé un discours remarqué.",
        "Le franc maçon cité dans l'enquête a été entendu par les juges.",
    ],
)
def test_compound_advice_is_left_out_of_impersonal_text(text: str) -> None:
    # News-style text, speaking to nobody: the advice was mostly noise there.
    assert not [f for f in proofread(text) if f.rule == "vigie.mot_compose_separe"]


def test_compound_advice_is_given_when_the_paragraph_speaks_to_someone() -> None:
    text = "Le franc maçon cité dans l'enquête a été entendu. Tu en as entendu parler ?"
    assert _advice(text).get("franc maçon") == "franc-maçon"
