"""Grammar slips of chat writers (canned_replies/homophone_et.py, infinitive_after_verb.py,
participle_avoir.py, the inversion hyphen and a/à in homophones.py, lowercase compound nouns in
french.py): each rule blocks its mistake with the right correction first, and stays quiet on
the correct sentence next to it.

Sentences written for these tests (customer-service style), not taken from any data set."""

import pytest

from tests.canned_replies.blocking import blocking_fixes

pytestmark = pytest.mark.usefixtures("grammalecte")


@pytest.mark.parametrize(
    ("text", "word", "fix"),
    [
        # et/est across the clause
        ("Pensez à vérifier le colis est nous renvoyer le bon.", "est", "et"),
        ("Je reste en ligne est tu me rappelles après.", "est", "et"),
        ("J'ai un collègue qui et dans votre ville.", "et", "est"),
        # a form in -ez where the infinitive is due (no "vous" subject)
        ("Il va falloir changez la pièce.", "changez", "changer"),
        ("Je n'ai pas osé lui demandez son numéro.", "demandez", "demander"),
        ("Si vous commandez ce soir, il faudra patientez un peu.", "patientez", "patienter"),
        # Grammalecte's finding on -é/-ez after a preposition or pronouns: infinitive first
        ("Nous essayons de trouvez une solution.", "trouvez", "trouver"),
        ("Le rendez-vous va bien se passé.", "passé", "passer"),
        # a participle after "avoir" with no object before it
        ("Tu en as commandée combien ?", "commandée", "commandé"),
        ("Et sur quoi tu as cliquée ?", "cliquée", "cliqué"),
        # the inversion hyphen after a question word or a question's subject
        ("Comment puis je modifier ma commande ?", "puis je", "puis-je"),
        ("Quand la boutique fut elle ouverte ?", "fut elle", "fut-elle"),
        ("Pourquoi la livraison gratuite fut elle supprimée ?", "fut elle", "fut-elle"),
        ("Quand le Pass Navigo fut il lancé ?", "fut il", "fut-il"),
        ("Le colis est arrivé abîmé, puis je le renvoyer ?", "puis je", "puis-je"),
        # a/à after a verb that already has its subject
        ("Vous serez mieux a la caisse du fond.", "a", "à"),
        ("Tu es a la boutique ?", "a", "à"),
        # "est-ce" after a question word, "peut-être que" with no subject
        ("Mais pourquoi est ce que la commande est bloquée ?", "est ce", "est-ce"),
        ("D'accord, mais est ce qu'il reste du stock ?", "est ce", "est-ce"),
        ("Je ne sais pas, mais peut être qu'il arrivera demain.", "peut être", "peut-être"),
        # a missing elision before a lowercase word, a missing euphonic t
        ("Je ai bien reçu votre message.", "Je ", "J’"),
        ("Avant que il parte, appelez-moi.", "que ", "qu’"),
        # compound nouns in lowercase after a determiner
        ("Le magasin ferme le week end.", "week end", "week-end"),
        ("Je passe cet après midi.", "après midi", "après-midi"),
    ],
)
def test_mistake_blocks_with_the_fix_first(text, word, fix):
    assert blocking_fixes(text).get(word) == fix


@pytest.mark.parametrize(
    "text",
    [
        "Pensez à vérifier le colis et nous renvoyer le bon.",
        "Le plus simple, c'est partir tôt.",
        "Le but est de trouver une solution.",
        "Je reste en ligne et tu me rappelles après.",
        "Quand le colis fut livré, il était abîmé ?",
        "J'ai payé, et puis je fais quoi ?",
        "Il va falloir changer la pièce.",
        "Partez tôt, évitez les bouchons.",
        "Quand il arrive appelez-moi.",
        "Si vous voulez, passez nous voir.",
        "Vous pouvez nous contacter et commandez en ligne.",
        "La lettre que tu as reçue est partie.",
        "Je les ai reçues hier.",
        "Il nous a invitées à la soirée.",
        "Quelles pièces as-tu commandées ?",
        "Ce que je dis a du sens.",
        "Le problème que vous avez a une solution.",
        "Tout ce que tu fais a un impact.",
        "On a tous déjà vu ce film.",
        "Il habite à Sud Ouest.",
        "Et puis je fais quoi ?",
        "L'important est ce que vous en pensez.",
        "Je ne sais pas qui et avec qui il a commandé.",
        "La solution peut être que vous passiez en boutique.",
        "Le onze novembre, la boutique est fermée.",
        "Nous livrons de Orléans à Tours.",
    ],
)
def test_correct_sentence_is_not_blocked(text):
    assert blocking_fixes(text) == {}
