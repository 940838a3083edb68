"""-er/-é/-ez, a/à after a plural phrase and et/est/ou/où when the clause decides
(canned_replies/verb_endings.py, homophone_a.py, homophones.py): each rule blocks its mistake
with the right correction first, and stays quiet on the correct sentence next to it.

Sentences written for these tests (customer-service style), not taken from any data set."""

import pytest

from tests.canned_replies.blocking import blocking_fixes

pytestmark = pytest.mark.usefixtures("grammalecte")


@pytest.mark.parametrize(
    ("text", "word", "fix"),
    [
        # "vous" as the subject, then an infinitive
        ("Si vous souhaiter annuler, écrivez-nous.", "souhaiter", "souhaitez"),
        ("Vous penser que le colis est perdu ?", "penser", "pensez"),
        ("Quand vous arriver au magasin, demandez Julie.", "arriver", "arrivez"),
        ("Vous êtes inscrit et vous souhaiter changer d'offre ?", "souhaiter", "souhaitez"),
        # a noun phrase, an infinitive, then its agent
        ("Le colis envoyer par notre service est en route.", "envoyer", "envoyé"),
        ("La facture créer par le magasin est jointe.", "créer", "créée"),
        # an infinitive after a determiner, a form in -ez after a noun phrase
        ("Retrouvez-nous au marcher de Noël samedi.", "marcher", "marché"),
        ("Voici le bon de retour envoyez par notre service.", "envoyez", "envoyé"),
        # a → à after a plural phrase that cannot be the subject of "a"
        ("Les frais, facturés a la commande, sont remboursés.", "a", "à"),
        ("Tous les articles a 5 euros sont en promotion.", "a", "à"),
        # est → et: the clause has its verb, or a new clause follows
        ("Vous avez reçu le bon de retour est la facture.", "est", "et"),
        ("Merci pour votre patience, est nous revenons vers vous.", "est", "et"),
        # où → ou
        ("Vous pouvez payer par carte où par chèque.", "où", "ou"),
        ("Si vous avez où avez eu un souci, écrivez-nous.", "où", "ou"),
        ("Remboursement et/où échange sous 30 jours.", "où", "ou"),
    ],
)
def test_mistake_blocks_with_the_fix_first(text, word, fix):
    assert blocking_fixes(text).get(word) == fix


@pytest.mark.parametrize(
    "text",
    [
        "Vous pouvez nous appeler quand vous voulez.",
        "Pour vous aider, nous avons besoin de votre numéro.",
        "Nous allons vous rappeler et vous aider à choisir.",
        "Je préfère vous appeler plutôt que vous envoyer un mail.",
        "Vous remercier est la moindre des choses.",
        "Je regarde les clients passer par la porte.",
        "Le colis livré par la poste est arrivé.",
        "La qualité des produits a un impact sur les avis.",
        "Pour le retour appelez le service client.",
        "Les articles que vous commandez arrivent demain.",
        "J'ai dû appeler le livreur deux fois.",
        "L'un des livreurs a la clé du dépôt.",
        "Les enfants ont la priorité.",
        "Ce que vous demandez est possible.",
        "Le conseiller qui vous a répondu est absent.",
        "C'est la ville où vivent nos clients.",
        "C'est le magasin où nous avons commandé.",
        "La boutique où de nombreux clients viennent est fermée.",
    ],
)
def test_correct_sentences_are_not_blocked(text):
    assert blocking_fixes(text) == {}


@pytest.mark.parametrize(
    ("text", "word"),
    [
        # chat written without punctuation or with spoken questions
        ("Tu vas où ce soir ?", "où"),
        ("Le colis est parti le livreur est en route", "est"),
        ("Merci cher client, votre avoir est prêt.", "cher"),
        ("Ils ont réglé la facture hier.", "ont"),
    ],
)
def test_chat_style_is_not_read_as_a_homophone(text, word):
    assert word not in blocking_fixes(text)


@pytest.mark.parametrize(
    ("text", "fixes"),
    [
        # A participle that is also a noun after "aller" + a pronoun: the infinitive, and no
        # "le" for the pronoun "la" (Grammalecte reads "la traité" as a noun phrase).
        ("Je vais la traité dès demain.", {"traité": "traiter"}),
        ("Nous allons le traité en priorité.", {"traité": "traiter"}),
        ("On va la regardé ensemble.", {"regardé": "regarder"}),
        ("Je vais l'été à Nice.", {}),
        ("Il va les samedis au marché.", {}),
    ],
)
def test_participle_noun_after_aller_and_a_pronoun(text, fixes):
    assert blocking_fixes(text) == fixes


@pytest.mark.parametrize(
    ("text", "fixes"),
    [
        ("Je vous tiendrai informer de la suite.", {"informer": "informé"}),
        ("Tenez-moi informer dès que possible.", {"informer": "informé"}),
        ("Nous vous tenons informés.", {}),
        ("Je tiens à vous informer du retard.", {}),
    ],
)
def test_infinitive_after_tenir_is_the_participle(text, fixes):
    assert blocking_fixes(text) == fixes
