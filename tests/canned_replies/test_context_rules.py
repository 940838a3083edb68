"""Agreement and ces/ses decided by the words around them (canned_replies/context_rules.py):
each rule blocks its mistake with the right correction first, and stays quiet on the correct
sentence next to it.

Sentences written for these tests (customer-service style), not taken from any data set."""

import pytest

from canned_replies import proofread
from tests.canned_replies.blocking import blocking_fixes

pytestmark = pytest.mark.usefixtures("grammalecte")


@pytest.mark.parametrize(
    ("text", "word", "fix"),
    [
        # a participle after a noun agrees with a noun of its phrase
        ("Le détail de vos commissions installés est en ligne.", "installés", "installées"),
        # the subject's head, past its complements and an opening phrase
        ("Le montant des frais de livraison est remboursée.", "remboursée", "remboursé"),
        ("Depuis lundi, la livraison des colis est assuré.", "assuré", "assurée"),
        ("Une nouvelle date de passage est fixé.", "fixé", "fixée"),
        # et/à where the verb of a subject noun phrase belongs
        ("La livraison de la commande et prévue demain.", "et", "est"),
        ("Le conseiller de la boutique à répondu hier.", "à", "a"),
        ("Une rougeur est/ou une douleur peuvent apparaître.", "est", "et"),
        ("Combien de jours entre la commande est la livraison ?", "est", "et"),
        ("Où et situé le magasin le plus proche ?", "et", "est"),
        # leur before a plural-only noun
        ("Les clients ont reçu leur colis et leur factures.", "leur", "leurs"),
        # ces/ses/c'est
        ("Il a parlé de son travail et ces collègues.", "ces", "ses"),
        ("Ses jours-ci, nos délais sont plus longs.", "Ses", "Ces"),
        ("Chaque client garde ces propres identifiants.", "ces", "ses"),
        ("Ces pas grave, nous renvoyons le colis.", "Ces", "C'est"),
        ("Ses vrai que le délai est long.", "Ses", "C'est"),
    ],
)
def test_context_mistake_blocks_with_the_fix_first(text, word, fix):
    assert blocking_fixes(text).get(word) == fix


@pytest.mark.parametrize(
    "text",
    [
        "Le détail de vos commissions installées est en ligne.",
        "Les frais de port offerts sont remboursés.",
        "Une tasse de thé chaude vous attend au comptoir.",
        "Le montant des frais de livraison est remboursé.",
        "Depuis lundi, la livraison des colis est assurée.",
        "La plupart des clients sont satisfaits.",
        "Une partie des colis est arrivée.",
        "Le prix des billets est fixé par la compagnie.",
        "Le service rapide et efficace de la boutique.",
        "Le prix et la qualité sont bons.",
        "Le colis et la facture arrivent demain.",
        "La différence entre les deux offres est faible.",
        "Nous leur avons envoyé un courrier.",
        "Tu leur factures la livraison ?",
        "Il a remercié ces clients pour leur patience.",
        "Ces jours-ci, nos délais sont plus longs.",
        "Chaque client garde ses propres identifiants.",
        "Ces pas de danse sont difficiles.",
        "Ces bons d'achat sont valables un an.",
        "Ses enfants sont venus chercher le colis.",
    ],
)
def test_correct_sentence_is_not_blocked_by_these_rules(text):
    blocked = {f.rule for f in proofread(text) if f.blocking}
    assert not {r for r in blocked if r.startswith("vigie.")}, blocked
