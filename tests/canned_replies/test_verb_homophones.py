"""Homophones decided by the verb next to them and participles agreeing with a subject opened by
"quel", an inverted subject or an object after "avoir" (canned_replies/homophones_by_verb.py,
participle_agreement.py): each mistake blocks with the right correction first, and the
correct sentence next to it stays quiet.

Sentences written for these tests (customer-service style), not taken from any data set."""

import pytest

from tests.canned_replies.blocking import blocking_fixes

pytestmark = pytest.mark.usefixtures("grammalecte")


@pytest.mark.parametrize(
    ("text", "word", "fix"),
    [
        # on/ont
        ("Mais ont continue à chercher votre colis.", "ont", "on"),
        ("Vous avez raison, ont aurait dû vous prévenir.", "ont", "on"),
        ("Les résultats du contrôle on mis en évidence un défaut.", "on", "ont"),
        ("Nos équipes, après vérification, on été informées.", "on", "ont"),
        # son/sont
        ("Nos conseillers son également joignables le samedi.", "son", "sont"),
        ("Les autres options son le retrait ou l'échange.", "son", "sont"),
        ("Il a bien reçu la facture, mais sont dossier est incomplet.", "sont", "son"),
        ("Plusieurs clients son déçus du délai.", "son", "sont"),
        # et/est
        ("Ma collègue est moi étions en congé.", "est", "et"),
        ("Des formats uniques est multiples sont possibles.", "est", "et"),
        # leur/leurs, ce/se
        ("Le magasin leurs est réservé ce jour-là.", "leurs", "leur"),
        ("Il ce serait trompé d'adresse.", "ce", "se"),
        ("Je vous écris parce que se sont vos commandes.", "se", "ce"),
        ("Les vendeurs ce sont trompés de modèle.", "ce", "se"),
        ("Nos conseillers, ce basant sur votre facture, ont corrigé le montant.", "ce", "se"),
        # a/à before a participle, ou/où
        ("Le magasin à écrit un message à tous les clients.", "à", "a"),
        ("Commandez deux articles où plus.", "où", "ou"),
        # -ez after "été", an infinitive between a noun and its complement
        ("Le colis a été livrez hier.", "livrez", "livré"),
        ("Ce produit utiliser en cuisine est garanti.", "utiliser", "utilisé"),
        # participle agreement
        ("Quelle boutique a vendue cet article ?", "vendue", "vendu"),
        ("Quel produit est vendue ici ?", "vendue", "vendu"),
        ("Aucune trace n'a été trouvé dans nos fichiers.", "trouvé", "trouvée"),
        ("Où est situé la boutique la plus proche ?", "situé", "située"),
    ],
)
def test_mistake_blocks_with_the_fix_first(text, word, fix):
    assert blocking_fixes(text).get(word) == fix


@pytest.mark.parametrize(
    "text",
    [
        "Les clients ont envie de partir tôt.",
        "Ils ont trait à votre commande.",
        "Le tribunal a condamné trois prévenus, dont deux on fait appel.",
        "Nos conseillers sont également joignables le samedi.",
        "Il a perdu son regretté mari.",
        "Il aime son très grand frère.",
        "Monte le son la nuit.",
        "Les leurs sont partis hier.",
        "Ils se sont une fois de plus trompés.",
        "Ce sont des amis.",
        "C'est une salle à manger.",
        "Il est tout à fait content.",
        "Ce faisant, nous avons corrigé le montant.",
        "Le responsable est moi.",
        "On est contents de vous revoir.",
        "J'ai vu un client entrer dans la boutique.",
        "Mon compte est à découvert.",
        "La ville où plus rien ne pousse.",
        "Les pommes qu'il a mangées la veille étaient bonnes.",
        "La lettre que le client a envoyée hier est arrivée.",
        "Comment est calculée mon aide au logement ?",
        "Quelle est la question ?",
        "Où est passée la commande ?",
    ],
)
def test_correct_sentence_stays_quiet(text):
    assert blocking_fixes(text) == {}
