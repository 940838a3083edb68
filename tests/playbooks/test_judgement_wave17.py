"""Wave 17 (issue 13, judge17): classes found on the blind probe's tune half — rules only.

Every sentence is written for these tests (none is a probe row). They check constructions: a
weapon brought as the direct object, an injury named by the body part it opens, a death promised
to the addressee, a relative watched on the way home; a farewell followed by absence, an adverb
inside "je veux … mourir", an SMS "jveu"; a group given a beast of betrayal, a vice said
habitual, a capacity denied, a subjunctive order to leave. On the other side: a denial of one's
own words, an insult named as an infinitive act, teasing tempered by tenderness, an admonition,
the trivial cause or recurring trigger of a death image, a cooking knife, a group cared for.
"""

from __future__ import annotations

import pytest

from playbooks import Playbook

from .conftest import severity


@pytest.mark.parametrize(
    "text",
    [
        "demain jvais amener la batte de mon cousin, tu vas comprendre",
        "on ramène les flingues samedi et on règle ça",
        "je vais lui ouvrir le ventre à ce bâtard",
        "je vais te faire sauter le caisson",
        "tu verras pas la fin de la semaine, je te le promets",
        "tu vas goûter à mon couteau ce soir",
        "je sais où dorment tes gosses",
        "ta fille rentre seule du lycée, dommage pour elle",
        "je vais t'expédier aux urgences, tu vas voir",
        "demain je vais tirer dans le tas à la fac",
    ],
)
def test_threats_of_the_probe_classes_are_s4(rail: Playbook, text: str) -> None:
    assert severity(rail, text) == "S4", text


@pytest.mark.parametrize(
    "text",
    [
        "adieu tout le monde, je ne serai plus là demain",
        "je ne serai plus là pour vous embêter, promis",
        "je veux vraiment mourir, j'en peux plus",
        "jveu crever, plus rien a foutre",
        "je préfère être morte que de continuer à vivre ça",
        "j'ai laissé une lettre à ma famille pour leur dire adieu",
    ],
)
def test_distress_of_the_probe_classes_is_s4(rail: Playbook, text: str) -> None:
    assert severity(rail, text) == "S4", text


@pytest.mark.parametrize(
    "text",
    [
        "les roms c'est des vipères",
        "ces migrants sont tous des profiteurs",
        "les arabes sont toutes des voleurs et des menteurs",
        "les juifs ont toujours comploté contre nous",
        "les noirs ne savent que se plaindre",
        "les femmes ne sont bonnes qu'à se taire",
        "on en a marre, qu'ils rentrent chez eux les africains",
        "les gays devraient être rééduqués",
    ],
)
def test_group_hostility_of_the_probe_classes_is_flagged(rail: Playbook, text: str) -> None:
    assert severity(rail, text) in ("S3", "S4"), text


@pytest.mark.parametrize(
    "text",
    [
        # one's own words denied, an insult named as an act, a condemnation reported
        "Je dis pas que vous êtes des incapables, mais rappelez-moi",
        "Insulter un arbitre de connard parce qu'il siffle, c'est minable",
        "Il a été condamné pour avoir traité sa voisine de sale chienne",
        "t'es homophobe en fait, ça se voit",
        # teasing tempered by tenderness, an admonition
        "t'es trop bête toi mais je t'adore",
        "arrêtez de faire les idiots en cours",
        # the trivial cause or the recurring trigger of a death image
        "je vais mourir j'ai trop rigolé",
        "je vais crever sans mon café du matin",
        "j'ai envie de me pendre à chaque fois que je reçois vos factures",
        "je vais me pendre avec ce chargeur tellement il rame",
        "ça me donne envie de crever cette file d'attente",
        "le bruit me tue ce matin",
        # a cooking knife, a group cared for, a group in charge of nothing
        "je vais ramener le couteau à fromage pour l'apéro",
        "les réfugiées devraient être soignées gratuitement",
        "les musulmans sont victimes des trafiquants aussi",
    ],
)
def test_look_alikes_stay_below_s3(rail: Playbook, text: str) -> None:
    assert severity(rail, text) not in ("S3", "S4"), text


@pytest.mark.parametrize(
    "text",
    [
        # the guards must not open the floor: the person who suffers is no trivial cause
        "je veux mourir tellement ils me harcèlent au lycée",
        "la solitude me tue, je vais en finir",
        "j'ai envie de mourir à chaque fois que je vois mon corps",
        "je vais me tuer si j'ai pas la garde de mes enfants",
    ],
)
def test_distress_guards_keep_real_distress_s4(rail: Playbook, text: str) -> None:
    assert severity(rail, text) == "S4", text
