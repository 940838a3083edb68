"""et/est between coordinated words and after an elided pronoun (canned_replies/
et_est_missing_verb.py, context_rules.py, homophones.py, homophones_by_verb.py, list_items.py):
"est" joining two numbers after "entre" or two nouns is "et"; a subject and an attribute
with no verb for them take "est"; and "est" or "ont" after "c'", "n'", "m'" is the verb,
never a slip, whatever follows.

Sentences written for these tests (customer-service style), not taken from any data set."""

import pytest

from tests.canned_replies.blocking import blocking_fixes

pytestmark = pytest.mark.usefixtures("grammalecte")


@pytest.mark.parametrize(
    ("text", "word", "fix"),
    [
        # "entre" and a number, then "est" and another number (a time is masked)
        ("Nos conseillers répondent entre 9h est 18h.", "est", "et"),
        ("À conserver au frais (entre 2 °C est 8 °C).", "est", "et"),
        ("La livraison prend entre 3 est 5 jours ouvrés.", "est", "et"),
        # a noun, "est", then a plural noun without a determiner
        ("Consultez nos pages livraisons est retours sur le site.", "est", "et"),
        # a subject opening the sentence, "et", an attribute that is also a noun, no verb
        ("Mon conseiller et absent jusqu'à lundi.", "et", "est"),
        ("Votre forfait et inférieur à 20 euros, je vérifie pourquoi.", "et", "est"),
        ("Le colis et absent depuis lundi et je ne sais pas pourquoi.", "et", "est"),
        # the subject with a complement of its own before "et"
        ("Le service dans votre magasin et vraiment lent.", "et", "est"),
        ("Le colis pour votre fils et arrivé hier.", "et", "est"),
        # the subject's reference (a number, "n°", a masked code) before "et"
        ("Votre commande n°4521 et bien partie.", "et", "est"),
        ("Votre commande CMD-482 et partie hier.", "et", "est"),
        ("La table 8 et prête.", "et", "est"),
        # a determiner and a noun, "et", adverbs, then a participle
        ("Quelle offre et actuellement proposée en boutique ?", "et", "est"),
        # a question's "qui" opening its clause, "et", then a noun phrase
        ("Mais qui et le responsable de ce retard ?", "et", "est"),
        # "est", then a relative "qui" and its verb: a second relative joined
        ("Notre conseiller a appelé le dépôt, est qui nous a confirmé l'envoi.", "est", "et"),
        ("C'est un service qui existe depuis dix ans est qui vous rembourse vite.", "est", "et"),
    ],
)
def test_mistake_blocks_with_the_fix_first(text, word, fix):
    assert blocking_fixes(text).get(word) == fix


def test_the_noun_after_est_made_et_is_not_agreed_with_est():
    # once "est" reads "et", agreeing "retours" with "est" would be a second, wrong fix
    fixes = blocking_fixes("Consultez nos pages livraisons est retours sur le site.")
    assert fixes == {"est": "et"}


@pytest.mark.parametrize(
    "text",
    [
        # the verb after an elided pronoun
        "Vous m'avez écrit hier, c'est une erreur de notre part.",
        "Mon collègue 😊 ma responsable est une personne très disponible.",
        "Ils m'ont répondu tout de suite.",
        "Les agents m'ont aidé au guichet.",
        # a number that names a train, a seat or a bus, then "est un…"
        "Le bus 12 est un bus de nuit.",
        "Le siège 42 est une place côté fenêtre.",
        "Le train 6789 est une liaison directe.",
        # the cardinal point
        "Le TGV Est partira à l'heure demain.",
        # an "entre" group that already has its "et"
        "Le car entre Lisieux et Caen est un service régional.",
        "Le choix entre les deux est difficile.",
        # two nouns joined as the subject of a verb that follows
        "Mon collègue et ami depuis dix ans vous rappellera.",
        "Le directeur et fondateur de la marque vous répondra.",
        # an attribute noun with its determiner
        "Le problème est les délais de livraison.",
        # after a singular noun, a plural that is a misspelt adverb ("près")
        "Votre colis est prés de chez vous.",
        # two references joined
        "Les articles 3 et 4 sont offerts.",
        "Le colis 2 et le colis 3 sont partis.",
        # a complement's noun and another subject joined before the verb
        "Le client dans la boutique et la vendeuse discutent.",
        "Le colis pour votre fils et celui pour votre fille arrivent demain.",
        # two questions joined; a noun and an adverb joined, then a verb
        "Qui et pourquoi ?",
        "Le conseiller et surtout son responsable vous rappelleront.",
        # "est qui" in a question, after "c'" or between two "qui"
        "Votre conseiller attitré est qui ?",
        "C'est qui qui s'occupe de mon dossier ?",
        "Je ne sais plus qui est qui dans votre service.",
    ],
)
def test_correct_sentence_is_not_blocked(text):
    assert blocking_fixes(text) == {}


def test_ez_after_est_is_the_participle_not_a_second_verb():
    # "est validez" is "validé" misspelt, not "et" + an imperative
    fixes = blocking_fixes("Votre remboursement est validez depuis hier.")
    assert fixes == {"validez": "validé"}
