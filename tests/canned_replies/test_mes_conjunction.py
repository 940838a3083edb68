""" "mes" that can only be "mais" (canned_replies/homophones_short_words.py): a determiner is
never followed by a verb, "c'est" or "n'"; and Grammalecte's fix of the next word, agreeing it
with "mes", is dropped beside ours (canned_replies/contradicting_findings.py), as is its
"Quand" on a right "Quant" once "a" is made "à".

Sentences written for these tests (customer-service style), not taken from any data set."""

import pytest

from canned_replies import proofread
from tests.canned_replies.blocking import blocking_fixes

pytestmark = pytest.mark.usefixtures("grammalecte")


@pytest.mark.parametrize(
    "text",
    [
        "Le colis est arrivé mes a été abîmé.",
        "Les billets sont remboursés mes sont soumis à des frais.",
        "Le club reste en ligue 1, mes perd sa deuxième place.",
        "Oh non, mes c'est horrible ce retard.",
        "Il a appelé mes n'a pas eu de réponse.",
    ],
)
def test_mes_before_a_verb_blocks_with_mais_first(text):
    assert blocking_fixes(text).get("mes") == "mais"


def test_the_word_after_is_left_as_it_is():
    text = "Le conseiller a vérifié mes a refusé le remboursement."
    assert {text[f.start : f.end] for f in proofread(text) if f.blocking} == {"mes"}


@pytest.mark.parametrize(
    "text",
    [
        "J'ai perdu mes clés dans le train.",
        "Voici mes coordonnées pour le remboursement.",
        "Mes parents sont partis hier.",
        "Merci pour mes très beaux cadeaux.",
    ],
)
def test_mes_as_determiner_is_not_blocked(text):
    assert "mes" not in blocking_fixes(text)


def test_quant_before_a_made_the_preposition_is_left_as_it_is():
    """ "Quant a" → "Quant à": Grammalecte's "Quand" on the right word is dropped."""
    assert blocking_fixes("Quant a la livraison, elle arrive demain.") == {"a": "à"}
