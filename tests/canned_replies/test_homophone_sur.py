"""sûr/sur decided by the words around them (canned_replies/homophone_sur.py): "sûr" after a
verb or a noun before what only a preposition takes — a number, a name, "plus de", a
determiner even after a capital opening the sentence — is the preposition. Quiet after
"être", "bien", "à coup", before "de"/"des" and before a time.

Sentences written for these tests (customer-service style), not taken from any data set."""

import pytest

from tests.canned_replies.blocking import blocking_fixes

pytestmark = pytest.mark.usefixtures("grammalecte")


@pytest.mark.parametrize(
    "text",
    [
        "Le remboursement est calculé sûr 30 jours.",
        "Vous pouvez commander sûr Internet.",
        "Une enquête portant sûr plus de 2 000 clients.",
        "Avis sûr la livraison : parfait.",
        "Retour sûr trois ans d'abonnement.",
    ],
)
def test_sur_as_preposition_blocks_with_the_fix_first(text):
    assert blocking_fixes(text).get("sûr") == "sur"


@pytest.mark.parametrize(
    "text",
    [
        "Bien sûr le colis arrivera demain.",
        "Je suis sûr Marie viendra.",
        "C'est un quartier sûr la nuit.",
        "À coup sûr les prix vont monter.",
        "Je suis sûr des chiffres que je vous ai donnés.",
        "C'est un paiement sûr pour vos achats.",
    ],
)
def test_sur_as_adjective_is_not_blocked(text):
    assert "sûr" not in blocking_fixes(text)
