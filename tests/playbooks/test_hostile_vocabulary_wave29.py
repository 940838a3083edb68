"""Hostile vocabulary the lexicons lacked, wave 29 (issue 13, wp/hate29).

Every sentence is written for these tests (none is a probe row). Wave 29 adds words, not
constructions: slurs for peoples, orientations and disabilities with their plurals, feminines and
spellings (harassment.txt), group names (pejorative names, demonyms and regions after a
determiner, disability as a group: groups.txt), the vices said of a group (stinginess, crime,
laziness, dullness, deviance: group_hostility.txt), everyday contempt nouns after an address or a
designated person (contempt.txt) and insults that stand alone (insults.txt). Their look-alikes —
a slur quoted or reported to condemn it, a denial, a demonym in a warm sentence, a homograph in
its ordinary sense (a glass of port, a chimney flue, a wooden acorn, an umbrella handle, a
quiche) — stay below S3.
"""

from __future__ import annotations

import pytest

from playbooks import Playbook

from .conftest import severity

FLAGGED = ("S3", "S4")

HOSTILE = [
    # slurs for a people or an origin, alone
    "Encore un polak au volant du car, on comprend pourquoi on arrive jamais",
    "Ces ritals du dépôt passent leur journée à la pause café",
    "Le vendeur parle comme un boche, on se croirait en 1942",
    "Y a que des bledards au guichet maintenant",
    "Ce négrillon m'a bousculé sur le quai",
    "sales portos de merde",
    # homophobic and ableist slurs
    "Sale tantouze, tu tiens même pas ton rayon",
    "Le caissier est un mongolito, il sait pas compter",
    # a group and a vice the lists lacked
    "Les Belges qui squattent nos parkings, des rapiats et des profiteurs",
    "Les Portugais sont tous des magouilleurs",
    "Les estropiés sont des parasites, qu'on arrête de les aider",
    "Les Corses, une bande de mafieux",
    "les portos du dépôt, des fainéants",
    # a person sent back to a wild place or to the kitchen; a people named by a vice
    "renvoyez-le dans sa jungle ce livreur",
    "retourne à tes fourneaux au lieu de conduire un bus",
    "Cette race de voleurs de poules traîne devant la gare",
    # contempt nouns after an address or a designated person; insults alone
    "T'es vraiment une buse, j'ai dit deux billets",
    "Vous êtes des quiches, le colis est reparti en Chine",
    "Le contrôleur est un gland fini",
    "Le gérant, quelle peau de vache",
    "Espèce de faux-cul, tu m'avais promis un avoir",
    "Ducon, c'est pas ton quai",
    "pov con va, même pas capable de rendre la monnaie",
    "La guichetière est une vraie pisseuse, elle pleure pour un rien",
]

HARMLESS = [
    # the slur reported, quoted or denied to condemn it
    "On m'a traité de polak dans le train, c'est inadmissible, faites quelque chose",
    "Appeler quelqu'un « boche » en 2025, c'est du racisme pur et simple",
    "Le mot « bledard » est une insulte raciste, je le signale à la modération",
    "Ce ne sont pas des sous-hommes, ce sont des travailleurs exploités",
    # a demonym in a warm or neutral sentence
    "Les Corses m'ont accueilli comme un roi à Bastia, merci pour ce voyage",
    "Les Belges de la voiture 12 ont partagé leurs frites avec tout le monde",
    "Les Portugais ont gagné le match hier soir, bravo à eux",
    "Les infirmières du service ont été formidables",
    # homographs in their ordinary sense
    "Il fait froid, j'ai pris une buse pour l'évacuation de la hotte",
    "J'ai acheté un gland en bois pour la décoration de Noël",
    "Le manche du parapluie s'est cassé au premier coup de vent",
    "Deux portos et une bière au wagon-bar svp",
    "La quiche lorraine du wagon-bar était froide",
    "Ma truffe au chocolat a fondu dans le train",
    "J'ai vu une fouine traverser les voies près de la gare",
    "La rentrée des classes : retour aux fourneaux pour le chef du wagon-restaurant",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_vocabulary_is_flagged(shipped: Playbook, text: str) -> None:
    assert severity(shipped, text) in FLAGGED, text


@pytest.mark.parametrize("text", HARMLESS)
def test_look_alikes_stay_below_s3(shipped: Playbook, text: str) -> None:
    assert severity(shipped, text) not in FLAGGED, text
