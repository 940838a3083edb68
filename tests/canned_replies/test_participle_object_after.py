"""A participle after "avoir" with its object after it stays masculine singular
(canned_replies/participle_agreement.py): the subject may be a name or a noun phrase with
"le"/"la" in it, an adverb may stand between the participle and its object, and an infinitive
may be the object. Quiet when an object comes before: a relative or question word, an object
pronoun right before the verb.

Sentences written for these tests (customer-service style), not taken from any data set."""

import pytest

from tests.canned_replies.blocking import blocking_fixes

pytestmark = pytest.mark.usefixtures("grammalecte")


@pytest.mark.parametrize(
    ("text", "word", "fix"),
    [
        ("Notre service a réduite nettement le délai de livraison.", "réduite", "réduit"),
        ("Marie Dupont a reconnue avoir reçu le colis.", "reconnue", "reconnu"),
        ("Cette mise à jour a faite apparaître un message d'erreur.", "faite", "fait"),
        # a "que" after a verb or an adjective opens a clause: it stands for no object
        ("Il est possible que votre train a eue du retard.", "eue", "eu"),
        ("Je dois dire que votre colis a eue un souci.", "eue", "eu"),
        # a name as the object
        ("Qui a découverte Hawaï ?", "découverte", "découvert"),
        # the participle of the same verb first ("pris", not "prisé")
        ("Mon frère a prise la voiture ce matin.", "prise", "pris"),
    ],
)
def test_participle_before_its_object_blocks_with_the_fix_first(text, word, fix):
    assert blocking_fixes(text).get(word) == fix


@pytest.mark.parametrize(
    "text",
    [
        "La lettre qu'il a reçue la semaine dernière est arrivée.",
        "La commande que le client a passée ce matin est partie.",
        "C'est une erreur que notre service a commise sans le vouloir.",
        "Je sais que la facture que vous avez reçue comporte une erreur.",
        "Il pense que la réponse qu'a donnée Paul est juste.",
        "Ces photos, Marie les a prises le mois dernier.",
        "Nos conseillères, le directeur les a félicitées hier.",
        "Il nous a aidées toute la journée.",
        "Quelles lettres a reçues le client ?",
        "Elle a laissé tomber la tasse.",
        "Combien de commandes a-t-elle passées cette année ?",
    ],
)
def test_object_placed_before_is_not_blocked(text):
    assert blocking_fixes(text) == {}
