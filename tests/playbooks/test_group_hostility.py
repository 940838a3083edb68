"""Hostility said by construction, in other writers' words (issue 13, wave 24).

Every sentence is written for these tests (none is a probe row). The shipped playbooks read how
contempt of a group is built — the vice said innate ("c'est dans leurs gènes"), the group called
"ça" and given a vice, an animal attribute, an exclusion call, an incapacity, a pronoun that
takes the group up a sentence later, a slogan that names no group — and an insult to a person
designated by their role ("le chef de gare c'est un cafard"). Counter-speech, denials, warm or
neutral mentions and a role followed by a verb stay below S3.
"""

from __future__ import annotations

import pytest

from playbooks import Playbook

from .conftest import severity

FLAGGED = ("S3", "S4")

HOSTILE = [
    # the vice said innate, cultural or religious
    "Ces Tunisiens, c'est dans leurs gènes de tricher",
    "les Sénégalais ont ça dans le sang, la fraude",
    "les Turcs du marché sont des menteurs de naissance",
    # the group called « ça » and given a vice
    "Les Kurdes dans ce quartier ça vole et ça ment, tout le monde le sait",
    # an animal attribute or a thing said of the group
    "ces gens sont des macaques",
    "les Albanais c des cafards",
    # exclusion calls
    "les Maliens du foyer, qu'ils rentrent chez eux",
    "Retournez à la cuisine mesdames",
    # incapacity given to all
    "les femmes au volant elles savent pas se garer",
    "les bonnes femmes c'est bon pour le ménage",
    # the group taken up by a pronoun a sentence later
    "Les Roumains du parking, franchement une plaie. Faudrait les expulser tous.",
    "Les Kurdes, j'en ai vu assez : ils savent pas vivre en société.",
    "les gays qui se marient, c'est contre nature",
    # a slogan that names no group
    "on est plus chez nous dans ce train",
    # service refused for a person's belonging
    "Je refuse d'être soigné par un médecin arabe",
    # a person designated by their role, then a contempt noun
    "le chef de gare c'est un cafard",
    "votre agente, une vraie vipère",
    "votre CM est vraiment une gourde",
    # contempt that stands alone: a judging determiner, stupidity in an image
    "Un vrai sagouin ce livreur, mon colis est écrasé",
    "le technicien a deux neurones",
    "le chef de gare de Lille c'est un cafard",
    "Vos agents du guichet sont des ânes bâtés",
    "Pauvre limace, trois jours pour répondre à un mail",
    "la standardiste de ce matin, une pimbêche qui raccroche au nez",
    # one for all, ordinary humanity refused, « ça » taken up later, sarcasm
    "les trans c'est pas des gens normaux",
    "Les tziganes de la place, ça squatte et ça glande, faut pas s'étonner",
    "Des Pakistanais à chaque coin de rue, merci l'immigration",
]

BELOW_S3 = [
    "les migrants dorment dehors dans le froid, c'est une honte",
    "les Syriens que j'ai rencontrés sont adorables",
    "ma voisine marocaine m'a aidé avec mes valises",
    "la théorie du grand remplacement est raciste",
    "les réfugiés vivent dans des conditions terribles, il faut les aider",
    "les Congolais ont gagné le match hier",
    "dire que c'est dans leurs gènes c'est raciste",
    "ma sœur est revenue, je retourne à la cuisine",
    "les gays se marient enfin, c'est une victoire",
    "la vendeuse a vu un cafard dans la réserve",
    "le livreur a des légumes abîmés dans son camion",
    "le contrôleur est un ange, merci à lui",
    "quelle gourde choisir pour la rando ?",
    "un vrai rat de bibliothèque ma fille",
    "Mon cousin est une vraie limace le matin 😂",
    "j'ai deux neurones ce matin mdr",
    "je ne veux pas que les migrants meurent en mer",
    "le multiculturalisme est une richesse",
    "le livreur de ce matin est venu avec un rat dans sa cage",
    "la conseillère était absente, c'est lamentable",
    # quoted, reported, denied, forbidden: the existing scopes and guards hold
    "« les Roms c'est dans leurs gènes », voilà ce qu'on lit encore en 2026",
    "Il m'a dit que les Maliens ça vole, j'ai signalé le compte",
    "les Kurdes ne sont pas tous des voleurs",
    "Les jeunes de cité sont pas tous des voleurs",
    "Arrêtez de dire que les femmes sont pas faites pour conduire",
    "le contrôleur m'a traitée de mégère devant tout le monde",
    "le black friday m'a tuer, plus un rond",  # a sales day, not people
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_constructions_are_flagged(shipped: Playbook, text: str) -> None:
    assert severity(shipped, text) in FLAGGED


@pytest.mark.parametrize("text", BELOW_S3)
def test_look_alikes_stay_below_s3(shipped: Playbook, text: str) -> None:
    assert severity(shipped, text) not in FLAGGED


# A group named in a quotation and again outside it, beside its attribute: the second naming is
# said (the `near` pair in the quotation used to hide it). Quoted whole, it stays cited.
QUOTED_THEN_SAID = [
    ("une pub pour « les femmes cheffes » 🙄 les femmes c'est bon pour le ménage", True),
    ('encore un slogan "les Roumains bienvenus" pfff les Roumains ça vole', True),
    ("une pub qui dit « les femmes c'est bon pour le ménage » 🙄 quelle honte", False),
]


@pytest.mark.parametrize(("text", "flagged"), QUOTED_THEN_SAID)
def test_a_group_quoted_then_named_again_is_read_outside_the_quotation(
    shipped: Playbook, text: str, flagged: bool
) -> None:
    assert (severity(shipped, text) in FLAGGED) is flagged
