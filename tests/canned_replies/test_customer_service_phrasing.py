"""Customer-service French that proofreading must not block: a role noun set after another
noun ("la relation client"), a time at the start of a sentence whose subject comes after the
verb, a "quel" phrase that is the object of "avoir" (its number is not the verb's). The
mistakes next to them still block.

Sentences written for these tests, not taken from any data set."""

import pytest

from tests.canned_replies.blocking import blocking_fixes

pytestmark = pytest.mark.usefixtures("grammalecte")


@pytest.mark.parametrize(
    "text",
    [
        "Nous travaillons chaque jour à améliorer la relation client.",
        "Merci pour votre retour sur l'expérience client.",
        "Votre satisfaction client compte beaucoup pour nous.",
        "L'expérience utilisateur de l'application a été revue.",
        "Quelles lettres a reçues le client ?",
        "Quelles pièces a fournies votre conseiller ?",
        "Le lendemain nous sont parvenues vos pièces justificatives.",
        "La veille nous est arrivée une nouvelle commande.",
    ],
)
def test_customer_service_phrasing_is_not_blocked(text: str) -> None:
    assert blocking_fixes(text) == {}


@pytest.mark.parametrize(
    ("text", "word", "fix"),
    [
        ("Nous menons une politique français de qualité.", "français", "française"),
        ("Votre demande est important pour nous.", "important", "importante"),
        ("Les colis sont arrivé hier soir.", "arrivé", "arrivés"),
        ("Quelle boutique a vendue cet article ?", "vendue", "vendu"),
        ("Quels clients ont reçus ce courriel ?", "reçus", "reçu"),
    ],
)
def test_mistakes_beside_them_still_block(text: str, word: str, fix: str) -> None:
    assert blocking_fixes(text).get(word) == fix
