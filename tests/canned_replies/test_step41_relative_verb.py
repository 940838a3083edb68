"""Step 41 (issue 19, agreement): the verb after a relative "qui" read where the antecedent's
number is known without choosing it — every noun of the chain before "qui" of one number
(canned_replies/relative_chain.py), a name of one person with no comma before "qui"
(canned_replies/qui_after_name.py), a plural "des" phrase listed after "et"/"ou", "qui" +
"avoir été" + a participle agreeing with the noun before it, "qu'est-ce qui"
(canned_replies/relative_verb.py); words with an aspirated "h" ("housse", "hauteur"), whose
gender and number the rules did not read (french_words._genders_numbers); and a noun that is
also a verb after its determiner no longer read as a verb before "du" ("Les photos de la fête
du village qui circulent" was blocked).

Sentences written for these tests (customer-service and chat style), not taken from any data
set."""

import pytest

from tests.canned_replies.blocking import blocking_fixes

pytestmark = pytest.mark.usefixtures("grammalecte")


@pytest.mark.parametrize(
    ("text", "word", "fix"),
    [
        # every noun of the chain singular, or every one plural
        ("Le responsable de la boutique qui nous ont répondu est absent.", "ont", "a"),
        ("J'ai appelé le gérant de l'agence qui m'ont rappelé hier.", "ont", "a"),
        (
            "Quelle est la hauteur de la tour de la ville qui mesurent cent mètres ?",
            "mesurent",
            "mesure",
        ),
        ("Je connais les clients des magasins qui attend une réponse.", "attend", "attendent"),
        ("C'est le numéro du conseiller qui s'occupent de votre dossier.", "occupent", "occupe"),
        # a person's name without a comma before "qui"
        ("Nous avons appelé Sophie Martin qui nous ont répondu tout de suite.", "ont", "a"),
        (
            "Le technicien Marc Petit qui passeront demain changera la pièce.",
            "passeront",
            "passera",
        ),
        # a plural "des" phrase listed after "et" / "ou"
        (
            "Nous avons des clients et des fournisseurs qui attend une réponse.",
            "attend",
            "attendent",
        ),
        ("Il reste des rayures ou des taches qui ne part pas au lavage.", "part", "partent"),
        # "qui" + "avoir été" + a participle agreeing with the noun before "qui"
        ("Les suites de décisions qui a été prises trop vite sont lourdes.", "a", "ont"),
        ("La liste des commandes qui avait été annulées est en ligne.", "avait", "avaient"),
        # "qu'est-ce qui" is a singular subject
        ("Qu'est-ce qui vous intéressent dans cette offre ?", "intéressent", "intéresse"),
        ("Qu'est-ce qui se passent avec ma commande ?", "passent", "passe"),
        # an aspirated "h": its gender and number are read
        ("La housse du canapé qui sont abîmées sera remplacée.", "sont", "est"),
    ],
)
def test_mistake_is_blocked_with_its_fix(text: str, word: str, fix: str) -> None:
    found = blocking_fixes(text)
    assert found.get(word) == fix, found


@pytest.mark.parametrize(
    "text",
    [
        # numbers mixed in the chain: "qui" may take up either noun
        "Le prix des billets qui sont en vente a baissé.",
        "Les colis de la semaine qui est passée sont arrivés.",
        "La liste des documents qui sont nécessaires est en ligne.",
        # a word with both numbers, a collective, a quantity
        "Le prix du gaz qui augmentent chaque mois nous inquiète.",
        "Une partie des colis qui sont partis hier est arrivée.",
        "La plupart des clients de la boutique qui ont répondu sont satisfaits.",
        # the chain is a complement of a noun further back
        "Les voyageurs dans le train de nuit qui dorment ne seront pas réveillés.",
        "Les photos de la fête du village qui circulent sont floues.",
        # two items joined before the chain
        "Le vendeur et la responsable du magasin qui nous ont reçus étaient aimables.",
        # an indirect question
        "Demandez aux agents de la gare qui est de service ce soir.",
        # names: several persons, a complement, a question
        "Paul et Marie Martin qui sont venus hier ont tout réglé.",
        "Les amis de Julie Petit qui sont passés ont laissé un mot.",
        "Voici Paul qui sont ces gens ?",
        "Merci à Sophie qui nous a répondu si vite.",
        # "des" as a complement after "et"
        "Le prix du pain et des fruits qui est affiché en vitrine a changé.",
        "Des rayures et des taches qui ne partent pas au lavage.",
        # "avoir été" agreeing already
        "Les suites de décisions qui ont été prises trop vite sont lourdes.",
        "La liste de questions qui a été posée hier est longue.",
        # "qu'est-ce qui" with a singular verb, "ce qui" with a plural attribute
        "Qu'est-ce qui vous intéresse dans ces offres ?",
        "Ce qui compte, ce sont les délais.",
        # a noun that is also a verb, after its determiner, before "du" ("fêter", "housser")
        "La fête du village qui a lieu dimanche est annulée.",
        # the aspirated "h" agreeing
        "La housse du canapé qui est abîmée sera remplacée.",
        "Une hausse des prix a été constatée ce mois-ci.",
    ],
)
def test_look_alike_stays_quiet(text: str) -> None:
    assert blocking_fixes(text) == {}
