"""Step 40 (issue 19, agreement): the participle after "être" agrees with the subject's head,
read past adjectives that agree with it, complements in any preposition and a modal before
"être" ("Une erreur dans le calcul des frais a été corrigé" → "corrigée"); and the participle
of an inverted question agrees with the head of the subject after it ("Quand a été livré la
commande de ma voisine ?" → "livrée"). canned_replies/head_participle.py.

Sentences written for these tests (customer-service and chat style), not taken from any data
set."""

import pytest

from canned_replies import proofread
from tests.canned_replies.blocking import blocking_fixes

pytestmark = pytest.mark.usefixtures("grammalecte")


@pytest.mark.parametrize(
    ("text", "word", "fix"),
    [
        # an adjective that is also a noun after the head
        (
            "Une hausse importante du prix des billets a été constaté cette semaine.",
            "constaté",
            "constatée",
        ),
        ("Une baisse nette des retards de livraison a été observé en mai.", "observé", "observée"),
        ("La commande initiale de votre client a été annulé hier.", "annulé", "annulée"),
        # complements opened by another preposition than "de"
        ("Une erreur dans le calcul des frais de port a été corrigé.", "corrigé", "corrigée"),
        (
            "Une réduction sur les frais de livraison sera appliqué à votre panier.",
            "appliqué",
            "appliquée",
        ),
        (
            "La livraison gratuite pour les commandes de plus de 50 euros est proposé à tous.",
            "proposé",
            "proposée",
        ),
        (
            "Votre réclamation auprès du transporteur a été transmis ce matin.",
            "transmis",
            "transmise",
        ),
        ("La remise sur les articles en solde est calculé en caisse.", "calculé", "calculée"),
        # "et" joining two complements, an elided article, a term the dictionary lacks
        (
            "L'utilisation de ce produit chez l'enfant et l'adolescent n'a pas été étudié.",
            "étudié",
            "étudiée",
        ),
        ("Une hausse de la glycémie a été signalé par le patient.", "signalé", "signalée"),
        ("La commission de 15 % sur le montant total est versé au partenaire.", "versé", "versée"),
        # a modal before "être"
        ("La dose du matin doit être pris à jeun.", "pris", "prise"),
        (
            "La pièce détachée pour votre lave-linge va être commandé demain.",
            "commandé",
            "commandée",
        ),
        (
            "La mise à jour des conditions de vente pourra être consulté en ligne.",
            "consulté",
            "consultée",
        ),
        ("Les factures de votre abonnement doivent être réglé avant le 5.", "réglé", "réglées"),
        # determiners the noun reader did not know
        (
            "Aucune demande de remboursement pour ce colis n'a été enregistré.",
            "enregistré",
            "enregistrée",
        ),
        ("Chaque commande de plus de 50 euros est expédié gratuitement.", "expédié", "expédiée"),
        ("Son adresse de livraison a été modifié hier soir.", "modifié", "modifiée"),
        # after an opening phrase and its comma
        (
            "Depuis lundi, une nouvelle adresse de retour pour les colis est indiqué sur le site.",
            "indiqué",
            "indiquée",
        ),
    ],
)
def test_participle_agrees_with_the_subject_head(text, word, fix):
    assert blocking_fixes(text).get(word) == fix


@pytest.mark.parametrize(
    ("text", "word", "fix"),
    [
        ("Quand a été livré la commande de ma voisine ?", "livré", "livrée"),
        ("De quoi est fait la housse du canapé ?", "fait", "faite"),
        ("En quelle année est paru la première version de cette application ?", "paru", "parue"),
        ("Où est passé la facture de mon abonnement ?", "passé", "passée"),
        ("Quand est prévu la livraison de mes colis ?", "prévu", "prévue"),
        ("À quelle date a été envoyé la lettre de relance ?", "envoyé", "envoyée"),
        ("Comment est calculé la remise sur les meubles ?", "calculé", "calculée"),
        ("Quand est arrivé son écharpe ?", "arrivé", "arrivée"),
    ],
)
def test_participle_of_an_inverted_question_agrees_with_the_subject_after(text, word, fix):
    assert blocking_fixes(text).get(word) == fix


@pytest.mark.parametrize(
    "text",
    [
        # the same subjects with the participle agreed
        "Une hausse importante du prix des billets a été constatée cette semaine.",
        "Une erreur dans le calcul des frais de port a été corrigée.",
        "La dose du matin doit être prise à jeun.",
        "L'utilisation de ce produit chez l'enfant et l'adolescent n'a pas été étudiée.",
        "Aucune demande de remboursement pour ce colis n'a été enregistrée.",
        "Quand a été livrée la commande de ma voisine ?",
        "De quoi est faite la housse du canapé ?",
        "Où est passé le colis de ma sœur ?",
        # collectives and quantities: either agreement is French
        "Une partie des colis a été livrée hier.",
        "Une partie du montant est reversé au vendeur.",
        "La plupart des commandes sont expédiées le jour même.",
        "Le nombre de réclamations a été divisé par deux.",
        "Une dizaine de colis ont été retrouvés au dépôt.",
        "Une quinzaine de clientes ont été invitées au lancement.",
        # two subjects joined by "et" with a plural verb
        "La notice du produit et la garantie sont incluses dans la boîte.",
        "Le prix des billets et la date du voyage sont confirmés.",
        "Le livret d'accueil et la carte de l'hôtel sont envoyés par courriel.",
        # a new clause between the head and the verb
        "La commande que vous avez passée a été expédiée.",
        "La facture, que vous trouverez en pièce jointe, est réglée.",
        "Le colis de la cliente qui est arrivée ce matin est abîmé.",
        # the head's own adjective or complement agrees, not the participle's subject
        "La cause de ces retards reste inconnue.",
        "Le responsable de la boutique est passé ce matin.",
        "Le directeur commercial de la société est arrivé.",
        # "est" as the cardinal point inside a complement
        "La région de l'est produit du vin blanc.",
        # "mon" before a vowel tells no gender: the noun does ("aide" is of both)
        "Où est passé mon aide ?",
        "Où est passée mon écharpe ?",
    ],
)
def test_look_alikes_pass(text):
    assert not [f for f in proofread(text) if f.blocking and f.rule == "vigie.accord_sujet_tete"]
