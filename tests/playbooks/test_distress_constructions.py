"""Wave 24 (issue 13, wp/distress24): threats and distress as other writers say them — rules only.

Every sentence is written for these tests (none is a probe row). They check constructions: the
absence announced ("je ne serai plus là pour …", "là où je vais …", the letter read after
leaving), belongings put in order or given, the body on the tracks without "me jeter", self-harm
repeated; the outcome promised to a third person ("il repart en ambulance"), counted time,
knowledge used to stalk, arson and explosions on a place, the author volunteering for the
gesture just called, a denied joke that affirms the threat. On the other side, the look-alikes
each rule must leave alone: a holiday absence, a removal, a cooking burn, shop hours, a sale to
rush at, a pullover to die in, a qualified "suicide".
"""

from __future__ import annotations

import pytest

from playbooks import Playbook

from .conftest import severity


@pytest.mark.parametrize(
    "text",
    [
        "gardez le bon d'achat, là où je vais je n'en aurai pas besoin",
        "ne m'envoyez plus rien, je ne serai plus là pour le recevoir",
        "je n'en aurai plus besoin après ce soir, merci pour tout",
        "quand vous lirez ce message je serai parti",
        "j'ai mis mes affaires en ordre, les lettres sont écrites",
        "j'ai confié mon chien à ma voisine, c'est mieux comme ça, je suis fatiguée",
        "ma famille se portera mieux sans moi",
        "bientôt je ne serai plus un poids pour personne",
        "personne ne remarquera que je n'existe plus",
        "si je disparais demain personne s'en apercevra",
        "ce serait plus simple de mourir que de continuer comme ça",
        "je pense souvent à mourir sous un train",
        "ce soir je descends sur les voies à Juvisy",
        "demain je me coucherai devant le prochain",
        "j'ai envie de faire un pas en avant sur le quai",
        "le TER de 7h ne freinera pas pour moi",
        "je me suis encore scarifiée hier, personne le sait",
        "je me brûle avec des cigarettes le soir",
        "j'ai fini de me battre, bonne nuit à tous",
        "j'ai décidé de partir pour de bon, merci à ceux qui m'ont aimé",
        "mon fils m'a dit qu'il voulait mourir, aidez moi",
        "jveux mourir je rigole pas",
    ],
)
def test_distress_constructions_are_s4(rail: Playbook, text: str) -> None:
    assert severity(rail, text) == "S4"


@pytest.mark.parametrize(
    "text",
    [
        "le vendeur de Lille, s'il revient dans mon quartier il repart en ambulance",
        "dites à votre agent qu'il ne rentrera pas entier ce soir",
        "le guichetier va pas finir sa semaine entier, crois moi",
        "votre conseiller finira dans un fossé",
        "vous allez compter vos blessés samedi",
        "profite de tes enfants tant que tu peux",
        "le directeur ferait bien de regarder derrière lui en sortant",
        "le livreur a intérêt à ne plus remettre les pieds ici",
        "ce serait dommage qu'il lui arrive un accident en rentrant",
        "je mets le feu à votre agence de Lyon demain",
        "je vais faire exploser votre entrepôt",
        "demain je passe avec de l'essence à l'agence",
        "le prochain agent je le balance du train en marche",
        "si je le croise je lui roule dessus",
        "demain je reviens armé à la gare",
        "faut les ligoter sur les rails ces grévistes",
        "il faudrait pendre ce patron, je suis prêt à le faire",
        "un jour quelqu'un va tuer un agent, ça pourrait être moi",
        "je sais où elle vit maintenant",
        "on sait quand tu sors du dépôt",
        "je connais maintenant ses horaires et son trajet",
        "je l'attendrai à la fin de son service, la caissière",
        "je vais brûler votre agence, je rigole pas",
        "je vais te défoncer, c'est pas une blague",
    ],
)
def test_threat_constructions_are_s4(rail: Playbook, text: str) -> None:
    assert severity(rail, text) == "S4"


@pytest.mark.parametrize(
    "text",
    [
        "je ne serai pas là demain, livrez lundi",
        "je n'en aurai plus besoin après ce week-end, je déménage à Lyon",
        "quand vous lirez ce message je serai parti en vacances",
        "je me suis encore coupé le doigt en cuisinant",
        "je me suis brûlée avec le four en sortant le gâteau",
        "je vais me coucher devant la télé ce soir",
        "j'arrête de me battre pour ce remboursement",
        "j'ai envie de faire un pas en avant dans ma carrière",
        "ce serait plus simple de prendre le bus",
        "les soldes commencent demain, je vais me jeter dessus",
        "ce plaid est tellement doux que je veux mourir dedans",
        "ce canapé, j'ai cru mourir de bonheur",
        "votre nouvelle pub, c'est un suicide commercial",
        "il est mort de rire en disant qu'il voulait mourir de rire",
        "je suis armé de patience pour ce remboursement",
        "je vais mettre le feu au dancefloor samedi",
        "je connais vos horaires, vous fermez à 19h",
        "je vous attends samedi à la boutique",
        "profite bien de tes vacances",
        "je m'en occupe demain, merci pour le lien",
        "je suis prêt à le faire moi-même si vous m'envoyez la pièce",
        "je vais te défoncer au prochain match, je rigole",
        "ça crève les yeux que vous vous moquez de nous",
        "le colis a claqué si fort que j'ai cru à un attentat",
        "je connais ses horaires, la boulangerie ouvre à 7h",
        "j'ai donné mes affaires à la Croix-Rouge en déménageant",
        "il ferait bien de regarder derrière lui avant de reculer avec le camion",
        "on vous attend nombreux samedi au magasin pour l'inauguration",
        "ce sera moi qui viendrai chercher le colis",
        "ma mère va finir à l'hosto avec ce stress",
        "je ne serai plus là pour la réunion de lundi, voyez avec ma collègue",
        "je ne serai plus là à partir de lundi, je change de poste",
        "le black friday m'a tuer",
    ],
)
def test_look_alikes_stay_below_s4(rail: Playbook, text: str) -> None:
    assert severity(rail, text) != "S4"
