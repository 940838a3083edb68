"""Hostility said by construction, wave 26 (issue 13, wp/hate26).

Every sentence is written for these tests (none is a probe row). Probes 1–7 showed forms the
wave-24 rules missed, each in at least two writers' posts: dehumanisation a sentence away from
the group (vermin, a zoo, disposal, "demi-humains"), stereotypes stated as facts (a vice from
birth, "c'est culturel", a generic vice, money and control), a fault blamed on the group ("ça
explique", "pas étonnant"), exclusion (kept home, kept apart, hidden, of no use, set against
"normal" people), origins insinuated by a place ("on se croirait à …", "au bled", "de souche"),
groups the lists lacked (age, regions, origins stated, garments, staff plurals), and contempt
of staff by an image without an insult word ("une serpillière humaine", "un gland fini", "bête à
manger du foin", "même un hamster ferait mieux"). Their look-alikes — quotation, report,
denial, a warm or neutral mention, an adjective before a thing ("les vieux trains"), the heat
or a crowd ("on se croirait au stade"), food, banter among friends, self-mockery — stay below S3.
"""

from __future__ import annotations

import pytest

from playbooks import Playbook

from .conftest import severity

FLAGGED = ("S3", "S4")

HOSTILE = [
    # dehumanisation a few words or a sentence away from the group
    "les Comoriens du quartier, c'est comme des cafards, il en sort de partout",
    "Les Bulgares au guichet, on se croirait dans une porcherie",
    "ces gens-là c'est des demi-humains, faut dératiser la gare",
    "les vieilles au rayon bio sont périmées, bonnes pour la casse",
    # stereotypes stated as facts: from birth, culture, a generic vice, money
    "les Gitans sur le parking, fraudeurs de naissance",
    "Ces Syriens volent comme ils respirent",
    "Les Marocains qui tiennent l'épicerie, c'est culturel chez eux de gruger",
    "les Juifs ils lâchent jamais un sou ceux-là",
    "Les Algériens du dépôt sont faits pour la délinquance",
    # a fault blamed on the group
    "Le nouveau directeur est un rebeu, ça explique pourquoi tout part en vrille",
    "ma conseillère est musulmane, pas étonnant que mon dossier traîne",
    # incapacity and exclusion: kept home, apart, hidden, useless, a cost, not « normal »
    "les mamies au volant, trop lentes pour conduire un bus",
    "les femmes pilotes, elles devraient rester chez elles à s'occuper des gosses",
    "les handicapés, personne veut voir ça dans une pub, cachez-les",
    "Les autistes dans le TGV faudrait des wagons à part",
    "les boomers ne servent plus à rien à part râler",
    "Ces Sénégalais coûtent une fortune à la société",
    "Mettez quelqu'un de normal à l'accueil au lieu de ces Roms",
    "Les femmes chefs de rayon, c'est des quotas",
    # origins insinuated by a place, a garment, « de souche »
    "le wagon plein d'Africains qui hurlaient, on dirait la brousse",
    "vous embauchez au bled maintenant ? plus un mot de français au guichet",
    "dans ce magasin on se croirait à Kinshasa",
    "les clients de souche ne sont plus servis chez vous",
    "la caissière avec son hijab, on sait tous pour qui ils roulent",
    # contempt of staff by an image, without an insult word
    "le chef d'équipe qui répond au téléphone : un cachalot mal élevé",
    "votre guichetier est une serpillière humaine",
    "le mec du SAV, un bulot intégral",
    "cette vendeuse, bête à manger du foin",
    "votre technicien réfléchit comme une huître",
    "il a eu son permis dans une pochette surprise le chauffeur",
    "le gars de l'accueil c'est un esti de niaiseux",
    "une vraie bécasse cette hôtesse",
    "même un hamster ferait mieux votre travail",
    "on dirait un mollusque derrière son guichet",
    "votre vendeur, une limace avec un badge",
    "votre modérateur a une noix à la place du cerveau",
    "une entreprise de branquignols, voilà ce que vous êtes",
    "Le vigile, un sale petit cloporte qui se prend pour un shérif",
    "votre agente de quai est une gourde finie",
    "le mec du guichet, champion du monde de la bêtise",
    # the author telling the brand is not reported speech
    "je voulais vous dire que votre livreur est un abruti",
]

BELOW_S3 = [
    # quoted, reported, denied, condemned
    "Quelqu'un a écrit « les Roms c'est comme les rats » sous votre post, supprimez ça",
    "il m'a dit que les Algériens sont faits pour la délinquance, je l'ai signalé",
    "les Comoriens ne sont pas tous des voleurs, arrêtez",
    "dire que les vieux ne servent à rien, c'est honteux",
    "le contrôleur a été traité de singe mal élevé par un voyageur, soutien à lui",
    "vous dites que les Bulgares sont faits pour la délinquance ? c'est faux et raciste",
    # a group named warmly or neutrally
    "les personnes âgées devraient avoir des places réservées dans le TER",
    "les mamies du club de tricot ont adoré la boutique",
    "les handicapés devraient pouvoir voyager comme des gens normaux",
    "les femmes au SAV sont super compétentes, merci",
    "mon conseiller est marocain, il parle trois langues, top",
    "les bretons de la boutique de Quimper sont adorables",
    "vous êtes de la Réunion ? j'y ai passé mes vacances, magnifique",
    "les gens du voyage ont le droit de prendre le train comme tout le monde",
    "ils ont mis un mec en fauteuil dans la pub, bravo pour l'inclusion",
    "Les Portugais ont gagné hier soir, bravo à eux",
    "les Bulgares ont une cuisine délicieuse",
    "ma mamie qui sent le parfum de rose, trop mignonne",
    # an adjective before a thing, not people
    "les vieux trains de la ligne sont sales",
    "mes grands-parents sont de vieux clients fidèles",
    "nos vieux meubles sont partis à la déchetterie",
    # a crowd, the heat, a station's decay, its rats: no group
    "le wagon était plein de supporters, on se croirait au stade",
    "Il fait une chaleur à crever, on se croirait au bled avec cette chaleur",
    "la gare c'est la jungle aux heures de pointe",
    "des rats sur les voies à la gare du Nord, c'est dégoûtant",
    "on dirait un four dans ce wagon",
    "cette gare c'est le tiers-monde, aucun ascenseur ne marche",
    "c'est toujours les mêmes qui paient avec ces hausses de prix",
    "ça coûte une fortune ce billet pour les familles",
    "tout le monde le sait, le TER est toujours en retard",
    "les quotas de billets à prix réduit sont épuisés ?",
    "j'aime pas les gens qui fraudent dans le train",
    # food, a film, a child's reading level
    "une quiche lorraine et une salade svp",
    "le film était un vrai navet",
    "Mon fils a le niveau d'un CP en lecture, vous avez des livres adaptés ?",
    # banter among friends, self-mockery
    "t'es une vraie quiche au bowling mdr je t'adore",
    "Je suis une vraie cruche, j'ai oublié mon billet",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_constructions_are_flagged(shipped: Playbook, text: str) -> None:
    assert severity(shipped, text) in FLAGGED


@pytest.mark.parametrize("text", BELOW_S3)
def test_look_alikes_stay_below_s3(shipped: Playbook, text: str) -> None:
    assert severity(shipped, text) not in FLAGGED
