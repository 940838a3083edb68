"""After a negation or a quantity, "de" and a bare noun (canned_replies/quantity_agreement.py):
the adjective right after can only describe that noun, so it takes its number ("Pas de
précautions particulière" → "particulières"). Quiet when the number agrees, when the word after
"de" is a number, when the adjective opens the next noun, and when the form is a verb with its
object ("Combien de milles fait une course ?").

Sentences written for these tests (customer-service and chat style), not taken from any data
set."""

import pytest

from tests.canned_replies.blocking import blocking_fixes

pytestmark = pytest.mark.usefixtures("grammalecte")


@pytest.mark.parametrize(
    ("text", "word", "fix"),
    [
        ("Pas de précautions particulière à prendre.", "particulière", "particulières"),
        ("Pas de soucis particulier, merci.", "particulier", "particuliers"),
        ("Nous avons beaucoup de clients satisfait.", "satisfait", "satisfaits"),
        ("Il reste peu de places disponible.", "disponible", "disponibles"),
    ],
)
def test_adjective_after_a_bare_noun_blocks_with_the_fix_first(text, word, fix):
    assert blocking_fixes(text).get(word) == fix


@pytest.mark.parametrize(
    "text",
    [
        "Pas de frais cachés chez nous.",
        "Beaucoup de personnes âgées prennent ce train.",
        "Il ne reste plus de places assises.",
        "Pas de colis reçu à ce jour.",
        "Le coffret s'est vendu à plus de mille exemplaires.",
        "Combien de kilomètres fait ce trajet ?",
        "Pas de grande maison dans le quartier.",
        "Pas de problème majeur à signaler.",
    ],
)
def test_correct_sentence_is_not_blocked(text):
    assert blocking_fixes(text) == {}
