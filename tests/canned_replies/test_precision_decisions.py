"""Blocking decisions of the rules measured under 95 % precision, and chat clippings (proof19r,
issue 19 precision). Sentences written for these tests.

A clipped chat word (`covoit`, `rép`) and a rare term next to a rare word
(`dianétique`) are advice; a title defined as one thing (`Les Misérables est un roman`) and a
borrowed noun's gender (`le wicca`) are advice; `de` + participle after an indefinite
(`quelqu'chose de cassé`) is advice. The slips beside them still block."""

import pytest

from canned_replies import proofread
from tests.canned_replies.blocking import blocking_fixes

pytestmark = pytest.mark.usefixtures("grammalecte")


@pytest.mark.parametrize(
    "text",
    [
        "On prend le covoit ou le train demain ?",
        "Je te fais une rép dès que possible.",
        "Tu es dispo pour un apéro ce soir ?",
        "La dianétique est présentée comme une méthode par ses adeptes.",
        "Les Misérables est un roman de Victor Hugo.",
        "Les Feux de l'amour est une série très longue.",
        "Le wicca est une religion récente.",
        "Il n'y a plus quelqu'chose de cassé dans la boîte.",
    ],
)
def test_clean_sentence_does_not_block(text: str) -> None:
    assert blocking_fixes(text) == {}


def test_clipping_is_shown_as_advice() -> None:
    findings = proofread("On prend le covoit ou le train demain ?")
    assert [(f.blocking, f.rule) for f in findings] == [(False, "grammalecte.spelling.in_use")]


@pytest.mark.parametrize(
    ("text", "word", "fix"),
    [
        ("C'était très impressionant, merci encore.", "impressionant", "impressionnant"),
        ("Ce n'est que mom avis, bien sûr.", "mom", "mon"),
        ("Il a déclanché l'alarme par erreur.", "déclanché", "déclenché"),
        ("Je suis tro content de te voir.", "tro", "trop"),
        ("Je veu bien vous rappeler demain.", "veu", "veux"),
        ("Elle a pris une pillule pour dormir.", "pillule", "pilule"),
    ],
)
def test_slip_still_blocks(text: str, word: str, fix: str) -> None:
    assert blocking_fixes(text).get(word) == fix


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("Les équipes techniques intervient en ce moment sur la voie.", "intervient"),
        ("Les colis de Marseille arrive demain matin.", "arrive"),
        ("Les clients de Paris est mécontent.", "est"),
        ("On a pris le navette de l'aéroport.", "le"),
        ("Les places sont réservées pour le matches de dimanche.", "le"),
        ("Il vous suffit de remplir le formulaire et de nous le renvoyé.", "renvoyé"),
        ("J'aime pas sa façon de exprimé son avis.", "exprimé"),
        ("Il a fait un obsession de ce dossier.", "un"),
    ],
)
def test_grammar_slip_still_blocks(text: str, word: str) -> None:
    assert word in blocking_fixes(text)
