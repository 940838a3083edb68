"""ou/où between listed items (canned_replies/ou_alternative.py, homophone_ou.py): "où" between
two noun phrases with no verb for a relative clause, or after a quantity before "plus"/"moins",
is "ou"; a word that is also a noun after a determiner or a preposition ("sous forme") is no
verb. A relative's subject "quelqu'un", "où d'autre" and "t'es où" + a noun stay quiet.

Sentences written for these tests (customer-service style), not taken from any data set."""

import pytest

from tests.canned_replies.blocking import blocking_fixes

pytestmark = pytest.mark.usefixtures("grammalecte")


@pytest.mark.parametrize(
    "text",
    [
        "Le geste est fait par notre service où votre conseiller sous forme d'un avoir.",
        "Vous pouvez nous écrire par courrier où d'autres moyens de contact.",
        "Comptez 3 jours où plus après l'expédition.",
        "Le retour est possible 30 jours où moins selon l'article.",
    ],
)
def test_where_between_items_blocks_as_or(text):
    assert blocking_fixes(text) == {"où": "ou"}


@pytest.mark.parametrize(
    "text",
    [
        "J'ai lu l'avis où quelqu'un dit que le colis est perdu.",
        "Je ne sais pas où d'autre vous écrire.",
        "Je ne sais pas où le dire.",
        "T'es où Paul, le train part dans deux minutes !",
        "C'est une boutique où plus personne ne répond.",
        "Le magasin où votre commande vous attend ferme à 19h.",
        "La ville où d'autres clients habitent est loin.",
    ],
)
def test_relative_or_question_where_is_not_blocked(text):
    assert blocking_fixes(text) == {}
