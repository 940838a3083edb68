"""News-style sentences (titles, quantities, "puis") that are clean stay unblocked; the slips
next to them still block. Sentences written for these tests."""

import pytest

from tests.canned_replies.blocking import blocking_fixes

pytestmark = pytest.mark.usefixtures("grammalecte")


@pytest.mark.parametrize(
    "text",
    [
        "Les Quatre Cents Coups est le premier film du réalisateur.",
        "Les Misérables est l'œuvre la plus connue de son auteur.",
        "Des milliers de personnes se sont rassemblées devant la mairie.",
        "Des dizaines de lettres sont arrivées au service client.",
        "Le pont, construit en 1890 puis rénové en 1990, est fermé aux camions.",
    ],
)
def test_clean_formal_sentence_is_not_blocked(text: str) -> None:
    assert blocking_fixes(text) == {}


@pytest.mark.parametrize(
    ("text", "word", "fix"),
    [
        ("Les colis de la semaine est le problème.", "est", "sont"),
        ("Les dossiers de mon client sont arrivée hier.", "arrivée", "arrivés"),
        ("Vous pouvez envoyé le formulaire.", "envoyé", "envoyer"),
    ],
)
def test_slips_in_the_same_constructions_still_block(text: str, word: str, fix: str) -> None:
    assert blocking_fixes(text).get(word) == fix


@pytest.mark.parametrize(
    "text",
    [
        "On s'est fait un marathon de séries ce week-end.",
        "On s'est fait avoir par la météo.",
        "J'adore les escape games, on en fait un par mois.",
    ],
)
def test_clean_chat_sentence_is_not_blocked(text: str) -> None:
    assert blocking_fixes(text) == {}


@pytest.mark.parametrize(
    ("text", "word", "fix"),
    [
        ("On s'est trompé de quai hier soir.", "trompé", "trompés"),
        ("Les maison blanches sont au bout de la rue.", "maison", "maisons"),
        ("Quand est né le plus jeune des frère Martin ?", "frère", "frères"),
    ],
)
def test_chat_slips_next_to_them_still_block(text: str, word: str, fix: str) -> None:
    assert blocking_fixes(text).get(word) == fix
