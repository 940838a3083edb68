"""Homophones decided by context (canned_replies/homophones.py): each rule catches its mistake
with the right first suggestion, and stays quiet on the correct sentence next to it.

Sentences written for these tests (customer-service style), not taken from any data set."""

import pytest

from canned_replies import proofread
from tests.canned_replies.blocking import blocking_fixes

pytestmark = pytest.mark.usefixtures("grammalecte")


@pytest.mark.parametrize(
    ("text", "word", "fix"),
    [
        # on/ont
        ("Vos billets on été envoyés hier soir.", "on", "ont"),
        ("Les prix on augmenté cette année.", "on", "ont"),
        ("Si vous voulez, ont se rappelle demain matin.", "ont", "on"),
        ("Désolé, ont ne peut pas modifier la commande.", "ont", "on"),
        # a/à
        ("Nous avons mis fin a votre abonnement.", "a", "à"),
        ("Comptez de 3 a 5 jours ouvrés.", "a", "à"),
        ("Le remboursement est lié a votre commande initiale.", "a", "à"),
        ("Qui à validé cette commande ?", "à", "a"),
        # et/est
        ("Quelle et la référence de votre colis ?", "et", "est"),
        ("Bonne nouvelle, votre colis et arrivé au dépôt.", "et", "est"),
        ("La commande et disponible depuis ce matin.", "et", "est"),
        ("Notre conseiller vérifie est a transmis votre dossier.", "est", "et"),
        # son/sont
        ("Ce son des frais de port, pas des frais de dossier.", "son", "sont"),
        ("Vos colis son désormais disponibles en magasin.", "son", "sont"),
        ("Votre fils peut venir avec sont père.", "sont", "son"),
        # ou/où
        ("Vous pouvez payer par carte où par virement si vous préférez.", "où", "ou"),
        ("Merci de nous dire si vous êtes d'accord où non.", "où", "ou"),
    ],
)
def test_homophone_in_context_blocks_with_the_fix_first(text, word, fix):
    assert blocking_fixes(text).get(word) == fix


@pytest.mark.parametrize(
    "text",
    [
        "Vos billets ont été envoyés hier soir.",
        "On lui a envoyé un nouveau code.",
        "Nous avons mis fin à votre abonnement.",
        "Le client mécontent a appelé ce matin.",
        "Le document signé a une valeur légale.",
        "Votre colis a l'air abîmé, nous en sommes désolés.",
        "Je pense que Marie a raison.",
        "Elle et moi vous répondrons demain.",
        "Le prix et la qualité comptent pour nous.",
        "Le son des haut-parleurs est trop faible.",
        "Le jour où vous recevrez le colis, gardez le carton.",
        "Vous ne savez pas où aller ? Nous vous guidons.",
        "Là où vous êtes, le service est disponible.",
        "Ou voulez-vous plutôt un avoir ?",
        "COMMENT VOTRE COLIS EST LIVRE",
        "Etude de votre dossier en cours.",
        # "a" after a relative clause inside the subject is the main verb
        "Tout ce qu'il a acheté a un défaut.",
        "Le colis qui a été livré hier a un défaut.",
        "Le client qui pense à Noël a un cadeau.",
        "Le conseiller que vous avez eu au téléphone a noté votre demande.",
    ],
)
def test_correct_sentences_are_not_blocked(text):
    assert blocking_fixes(text) == {}


def test_first_name_before_surname_is_not_a_typo_but_a_slip_before_a_name_is():
    assert blocking_fixes("Sepp Blatter a démissionné hier.") == {}
    assert blocking_fixes("Bonjuor Camille, merci pour votre message.") == {"Bonjuor": "Bonjour"}


def test_capital_without_accent_is_advice_with_the_accented_form():
    findings = [f for f in proofread("Etude de votre dossier en cours.") if f.start == 0]
    assert findings and not findings[0].blocking
    assert findings[0].suggestions[0] == "Étude"
    assert blocking_fixes("Ca arrive parfois.") == {"Ca": "Ça"}


@pytest.mark.parametrize(
    ("text", "words", "fix"),
    [
        ("Quand Paul est il passé en boutique ?", "est il", "est-il"),
        ("Que propose elle comme solution ?", "propose elle", "propose-t-elle"),
        ("Dois je rappeler demain ?", "Dois je", "Dois-je"),
    ],
)
def test_inverted_subject_in_a_question_needs_a_hyphen(text, words, fix):
    assert blocking_fixes(text).get(words) == fix


def test_verb_then_pronoun_outside_a_question_is_not_an_inversion():
    assert blocking_fixes("Ce que tu fais, il le sait.") == {}
    assert blocking_fixes("Vous pouvez nous aider ?") == {}


@pytest.mark.parametrize(
    ("text", "word", "fix"),
    [
        ("Nous organisons une granfe fête.", "granfe", "grande"),
        ("Votre réopnse nous aide beaucoup.", "réopnse", "réponse"),
        ("La perssion est trop forte.", "perssion", "pression"),
    ],
)
def test_wrong_key_or_swapped_letters_suggest_the_common_word(text, word, fix):
    assert blocking_fixes(text).get(word) == fix
