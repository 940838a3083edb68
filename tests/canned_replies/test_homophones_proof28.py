"""Homophones read past an adverb, before a place or a half (issue 19, proof28): "son" for
"sont" before a plural attribute, "a" before a city's name, "est" before "demi" or between two
ordinals, and "son" offered where Grammalecte sees "sont" wrong but gives no word; with the
sentences each rule must leave alone. Sentences written for these tests."""

import pytest

from tests.canned_replies.blocking import blocking_fixes

pytestmark = pytest.mark.usefixtures("grammalecte")


@pytest.mark.parametrize(
    ("text", "word", "fix"),
    [
        # "son" before a plural attribute, past an adverb or a complement
        ("Les livreurs son très aimables.", "son", "sont"),
        ("Vos commandes son toutes parties ce matin.", "son", "sont"),
        ("Les frais de port son gratuits ce mois-ci.", "son", "sont"),
        ("Les horaires du magasin son soit affichés soit envoyés par mail.", "son", "sont"),
        # "a" before a city
        ("Votre colis est bloqué a Marseille depuis lundi.", "a", "à"),
        ("Le retour a Nantes se fera demain.", "a", "à"),
        # "est" before "demi", between two ordinals
        ("Comptez une heure est demie de trajet.", "est", "et"),
        ("Les deuxième est troisième colis arriveront demain.", "est", "et"),
        # "est" between two attributes of one "être"
        ("Le livreur a été très poli est rapide.", "est", "et"),
        ("Le service est simple est bien pensé.", "est", "et"),
        # "peut être" right after an auxiliary, a prefix noun after a determiner
        ("Le colis est peut être resté au dépôt.", "peut être", "peut-être"),
        ("Vous avez peut être raison.", "peut être", "peut-être"),
        ("Comptez une demi heure de route.", "demi heure", "demi-heure"),
        ("Le sous chef vous rappellera.", "sous chef", "sous-chef"),
        # -ez after a noun phrase inside a clause, with no "vous"
        ("Le retard vient d'un envoi groupé effectuez par le dépôt.", "effectuez", "effectué"),
        # Grammalecte reads "sur sont" without a word to offer
        ("Nous avons fait une remise sur sont abonnement.", "sont", "son"),
    ],
)
def test_slips_block_with_their_fix(text: str, word: str, fix: str) -> None:
    assert blocking_fixes(text).get(word) == fix


@pytest.mark.parametrize(
    "text",
    [
        # "son" the possessive, after a plural subject or before an adverb and an adjective
        "Les clients ont reçu son très beau cadeau.",
        "Les enfants aiment son plus grand jouet.",
        "Mes collègues lisent son dernier message.",
        # "a" the verb before a name or a place that is a name
        "Marie a Florence au téléphone.",
        "La boutique a Paris pour seule adresse.",
        "Il a un appartement à Lyon.",
        # "est" the verb before a half joined by a hyphen, or an ordinal alone
        "Le verre est à demi plein.",
        "La deuxième est arrivée hier.",
        "Notre troisième boutique est ouverte.",
        # "est" the main verb after a relative or a conjunction
        "Ce qui est fait est fait.",
        "Quand le colis est prêt est venu le moment de payer.",
        "Le magasin est ouvert, est-ce vrai ?",
        # imperatives: after a fronted complement, or in a sentence that speaks to "vous"
        "Pour un retour, dans le formulaire indiquez le motif.",
        "Mélangez dans un bol ajoutez le sucre.",
        # the adverb already hyphenated
        "Il sera peut-être en retard.",
        # "demi" joined, "sous" the preposition
        "Il reste une heure et demie.",
        "Le colis est sous clé.",
        # "sont" the verb before an attribute noun and its complement
        "Les retards sont source de plaintes.",
    ],
)
def test_correct_sentences_are_left_alone(text: str) -> None:
    assert blocking_fixes(text) == {}
