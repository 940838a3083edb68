"""Wave 43c (issue 13): a person belittled by a comparison with any noun — a quality "of" a
thing ("a le charisme d'une chips molle"), a beast or a thing with more brains ("une mule
aurait plus de conversation"), warmer ("un glaçon serait plus chaleureux") or as kind ("aussi
aimable qu'une porte de prison"). Praise in the same frame (an angel, an elephant, a person of
a trade), the writer's own self and family, and things compared with things stay harmless.
Every sentence was written here (none is a probe row)."""

from __future__ import annotations

import pytest

from playbooks import Playbook

from .conftest import severity

BELITTLING = [
    "La conseillère du guichet a la vivacité d'un paresseux en hiver.",
    "Le responsable du drive a l'amabilité d'une grille de parking fermée.",
    "Votre agent d'accueil avait le tact d'une pelleteuse dans un magasin de porcelaine.",
    "Le chef d'équipe a le sens du service d'une machine à café en panne.",
    "Votre community manager a l'empathie d'un répondeur téléphonique.",
    "Le vendeur du rayon télé : une brique aurait plus de conversation.",
    "Même un pot de yaourt a plus de jugeote que votre conseiller.",
    "La caissière de ce matin, franchement, un frigo serait plus chaleureux.",
    "Le contrôleur du 7h40 : un parcmètre serait plus aimable que lui.",
    "Votre standardiste est aussi chaleureuse qu'une banquise en janvier.",
    "Le contrôleur était aussi poli qu'un portail rouillé ce matin.",
    # a brain as much as a thing's, switched off, slow
    "Le guichetier a autant de jugeote qu'un parcmètre en panne.",
    "La conseillère a le QI moyen d'une huître.",
    "Ton cerveau est en veille depuis ce matin ?",
    "T'es lent du bulbe ou quoi ?",
]

HARMLESS = [
    # praise in the same frame: a praised beast, a person of a trade
    "Votre conseillère a la patience d'un ange, merci pour tout.",
    "Le contrôleur avait la gentillesse d'un grand-père avec ma fille.",
    "La vendeuse avait l'élocution d'une présentatrice télé, très professionnelle.",
    "L'agent a le sens du service d'un hôtelier de palace, merci.",
    "Le technicien a la patience d'un saint avec ma mère.",
    "Ma grand-mère a la mémoire d'un éléphant pour vos anciens tarifs.",
    # the writer, the writer's family, things compared with things
    "Mon fils a l'humour d'un ado de 14 ans, il adore vos pubs.",
    "Mon chat a plus de bon sens que moi le matin.",
    "Le robot aspirateur a plus de cerveau que prévu, il évite tout.",
    "Ce chien guide a plus de jugeote que bien des humains, bravo à l'association.",
    "Le wifi du train a la vitesse d'un escargot, c'est pénible.",
    "Ce vin a la finesse d'un grand cru, parfait avec le repas.",
    "Un geste commercial serait plus poli que ce silence.",
    "Un petit mot serait plus chaleureux que ce mail automatique.",
    "Il n'a plus de cerveau depuis sa chute, mon ordinateur : il faut le réparer.",
    # "aussi … qu'un(e)": praise of a person, the writer and the writer's own, things
    "La caissière est aussi souriante qu'une fleuriste un jour de printemps.",
    "Le chauffeur du bus était aussi courtois qu'un chevalier, un régal.",
    "Votre conseillère est aussi aimable qu'une maman, merci beaucoup.",
    "Je suis aussi vive qu'une marmotte le lundi matin.",
    "Ma fille est aussi bavarde qu'une pie, désolée pour le bruit.",
    "Ce téléphone est aussi malin qu'un ordinateur, je l'adore.",
    "Le nouveau stagiaire a autant de bon sens qu'un vieux routier, bravo.",
    "J'ai le cerveau en mode avion ce matin, désolé pour la faute.",
    "Je suis lent du cerveau le lundi, pardon.",
]


@pytest.mark.parametrize("text", BELITTLING)
def test_a_person_belittled_by_a_comparison_is_an_insult(shipped: Playbook, text: str) -> None:
    assert severity(shipped, text) == "S3"


@pytest.mark.parametrize("text", HARMLESS)
def test_praise_self_and_things_in_the_same_frame_stay_below_s3(
    shipped: Playbook, text: str
) -> None:
    assert severity(shipped, text) in ("S0", "S1", "S2")
