"""Number agreement decided by the whole subject or a word of quantity, mais/mes/ma, and an
infinitive after an object pronoun (canned_replies/subject_verb.py, quantity_agreement.py,
homophone_mais.py, verb_endings.py): each rule blocks its mistake with the right correction
first, and stays quiet on the correct sentence next to it.

Sentences written for these tests (customer-service style), not taken from any data set."""

import pytest

from tests.canned_replies.blocking import blocking_fixes

pytestmark = pytest.mark.usefixtures("grammalecte")


@pytest.mark.parametrize(
    ("text", "word", "fix"),
    [
        # a singular head with a plural complement, two singular subjects joined by "et"
        ("Le prix des billets ont augmenté cette année.", "ont", "a"),
        ("La liste des magasins sont en ligne.", "sont", "est"),
        ("Le vendeur et le livreur vient demain.", "vient", "viennent"),
        # c'est nous / vous / eux qui
        ("C'est nous qui a fait l'erreur, désolés.", "a", "avons"),
        ("C'est vous qui a gagné le concours !", "a", "avez"),
        # a second attribute joined by "et", an inversion with "puis"
        ("Cette boutique est spacieuse et très fréquenté.", "fréquenté", "fréquentée"),
        ("Puis je vous aider ?", "Puis je", "Puis-je"),
        ("Colis reçu, livraison effectué hier.", "effectué", "effectuée"),
        # a word of quantity, "de" and a plural noun
        ("Trop de clients attend une réponse.", "attend", "attendent"),
        ("Beaucoup de clients sont satisfait du service.", "satisfait", "satisfaits"),
        ("La plupart des commandes sont expédié le jour même.", "expédié", "expédiées"),
        # determiners that are only plural
        ("Certaines commande sont encore en préparation.", "commande", "commandes"),
        ("De nombreux client nous ont écrit.", "client", "clients"),
        ("Vous trouverez ces deux modèle en magasin.", "modèle", "modèles"),
        # mais / mes / ma
        ("Je voulais passer, mais voiture est en panne.", "mais", "ma"),
        ("Mais cartons sont toujours bloqués au dépôt.", "Mais", "Mes"),
        # an infinitive after "aller" or a preposition and an object pronoun
        ("Je vais le contacté dès demain.", "contacté", "contacter"),
        ("Merci de nous le renvoyé signé.", "renvoyé", "renvoyer"),
    ],
)
def test_mistake_blocks_with_the_fix_first(text, word, fix):
    assert blocking_fixes(text).get(word) == fix


@pytest.mark.parametrize(
    "text",
    [
        "Le prix des billets a augmenté cette année.",
        "Le nombre de clients a augmenté, le nombre de clients ont doublé.",
        "La plupart des clients pensent que oui.",
        "Le vendeur et le livreur viennent demain.",
        "La qualité du produit et du service a été saluée.",
        "C'est nous qui avons fait l'erreur.",
        "Ceux d'entre vous qui ont commandé seront remboursés.",
        "Beaucoup de clients attendent une réponse.",
        "Combien de colis contient la palette ?",
        "Des résultats certains ont été obtenus.",
        "Mais merci vous avez raison.",
        "Mais maman dit que non.",
        "Mais rien ne presse.",
        "Mais putain respecte le travail des autres.",
        "Je vais le contacter dès demain.",
        "Il est parti à la dérobée.",
        "Un cadeau pour les invités de la soirée.",
        "Il est parti hier soir.",
        "Cette boutique est spacieuse et très fréquentée.",
        "Et puis je fais quoi ?",
        "Colis reçu, livraison effectuée hier.",
        "Merci pour votre retour, page consultée hier.",
        "Puis je pars ?",
    ],
)
def test_correct_sentence_is_not_blocked(text):
    assert blocking_fixes(text) == {}


def test_est_before_a_misspelt_participle_is_not_read_as_et():
    assert blocking_fixes("Il est partit hier soir.") == {"partit": "parti"}


def test_verb_forms_come_in_one_order_the_most_written_first():
    # Grammalecte's suggVerb joins its forms from a set: "apparait|apparaît" in one process,
    # "apparaît|apparait" in another; every agreement rule reads them through verb_forms.
    from canned_replies.french_words import verb_forms

    assert verb_forms("apparaissent", ":3s") == ["apparaît", "apparait"]
    assert verb_forms("Connaissent", ":3s") == ["Connaît", "Connait"]
    assert verb_forms("envoie", ":1p") == ["envoyons", "envoyions"]
    assert "sont" not in verb_forms("sont", ":3p")
