"""et/est read from what the clause lacks (canned_replies/homophone_et.py, coordinated_et.py):
"et" where the subject still needs its verb ("Le client et très satisfait"), "est" where a
plural verb needs two subjects, where a sentence opens or after a verb of seeming; each rule
blocks its mistake with the right correction first, and stays quiet on the correct sentence
or the look-alike next to it.

Sentences written for these tests (customer-service style), not taken from any data set."""

import pytest

from tests.canned_replies.blocking import blocking_fixes

pytestmark = pytest.mark.usefixtures("grammalecte")


@pytest.mark.parametrize(
    ("text", "word", "fix"),
    [
        # a subject noun phrase, "et", then its attribute (an adverb, a complement after it)
        ("La livraison et rapidement traitée par notre équipe.", "et", "est"),
        ("Le client et très satisfait de la réparation.", "et", "est"),
        ("L'offre et plus intéressante après le premier mois.", "et", "est"),
        # after "leur", or a name opening the sentence
        ("Le remboursement leur et accordé par le service client.", "et", "est"),
        ("Paul et très content de sa commande.", "et", "est"),
        # a definite subject, "et", an indefinite noun graded by an adjective, no verb
        ("La garantie et un service très complet.", "et", "est"),
        ("Notre boutique et une adresse vraiment connue du quartier.", "et", "est"),
        # "et" before an adverb then "de" and an infinitive
        ("Le but et surtout de vous aider à choisir.", "et", "est"),
        # a plural verb whose subjects "est" separated
        ("En cas de retard, le montant est la date doivent figurer sur la facture.", "est", "et"),
        # "est" cannot open a sentence
        ("Je vérifie votre dossier... est quand j'ai la réponse je vous écris.", "est", "et"),
        # a second attribute after a verb of seeming
        ("Le produit semble abîmé est incomplet.", "est", "et"),
        ("Il a l'air propre est rangé.", "est", "et"),
    ],
)
def test_mistake_blocks_with_the_fix_first(text, word, fix):
    assert blocking_fixes(text).get(word) == fix


@pytest.mark.parametrize(
    "text",
    [
        # two nouns joined, the second one a person
        "Le directeur et fondateur de la marque vous répondra.",
        "Mon collègue et aussi ami de longue date vous rappellera.",
        "Mon collègue et ami depuis dix ans vous rappellera.",
        # two adjectives joined after an adjective; a greeting
        "Un service rapide et très efficace.",
        "Merci et bonne journée !",
        # two noun phrases joined as the subject of a verb, or listed without grading
        "Le vendeur et un collègue très aimable vous ont aidé.",
        "Le modèle et une housse très pratique sont offerts.",
        "Le lien et un code promo ci-dessous.",
        "Le colis et la facture sont partis hier.",
        "L'équipe et moi restons disponibles.",
        # "est" and a singular attribute, or a subject of its own before the plural verb
        "Le problème est la batterie des appareils reçus.",
        "La solution est le remboursement des frais engagés.",
        "Le plus simple est la boutique du centre, ouverte tard.",
        # "Est" as a question or a cardinal point
        "Est-ce que le colis est arrivé ?",
        "Le vent d'Est souffle fort.",
    ],
)
def test_correct_sentence_is_not_blocked(text):
    assert blocking_fixes(text) == {}
