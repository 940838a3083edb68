"""Wave 40 (issue 13): normative threats against a group in the constructions wave 13's grammar
did not read — pleasure promised at the sight, a wish that someone else does it, the awaited
day, a service to the country, a weapon for each one, a death in an image, a gesture promised
in the future with the group taken up by "les" — and their look-alikes (the same words about
trains, games, idioms, the present tense that tells what happens to victims).

Every sentence is written for these tests, one construction a line, tried with every group.
"""

from __future__ import annotations

import pytest

from playbooks import Playbook, load_playbook_file, shipped_playbook_path

from .conftest import severity

GROUPS = ("Arabes", "gays", "Roms", "juifs", "migrants", "handicapés", "femmes voilées")

FORMS = [
    "Je serais content de voir tous les {g} crever.",
    "On serait tellement soulagés de voir les {g} mourir.",
    "Il serait temps que quelqu'un tire dans le tas de ces {g}.",
    "J'espère que quelqu'un finira par abattre ces {g}.",
    "Ce serait rendre service à la France que d'éliminer les {g}.",
    "Ces {g} devraient finir six pieds sous terre.",
    "Rien de tel qu'une corde pour chaque {g}.",
    "Un bon coup de kalach dans ces {g} et on n'en parle plus.",
    "Vivement le jour où on pendra tous les {g}.",
    "À quand l'extermination des {g} ?",
    "Un jour on les fusillera tous, ces {g}.",
    "Les {g}, je les abattrais tous sans hésiter.",
    "Ces {g} devraient être jetés d'une falaise.",
    "L'idéal ce serait que tous les {g} meurent.",
    "Je suis pour qu'on massacre les {g}.",
]

LOOK_ALIKES = [
    "Je serais content de voir les trains arriver à l'heure pour une fois.",
    "Je serais tellement heureux de voir les femmes plus nombreuses aux commandes des TGV.",
    "J'aimerais bien voir les handicapés accéder enfin aux quais sans galère.",
    "Il serait temps que quelqu'un tire la sonnette d'alarme sur l'accueil des migrants en gare.",
    "Ce serait rendre service à la France que d'embaucher plus de réfugiés dans le ferroviaire.",
    "Mon grand-père musulman est six pieds sous terre depuis 2010 et vos trains sont en retard.",
    "Une balle pour chaque enfant dans le kit de plage, c'est génial merci.",
    "Vivement le jour où on pourra voyager avec les enfants sans trois heures de retard.",
    "À quand la fin des retards pour les femmes enceintes qui attendent debout ?",
    "J'approuve qu'on élimine les bouchons en gare pour les personnes handicapées.",
    "Les Bretons, on les bat toujours au foot.",
    "Mes collègues musulmans, on les abat de travail pendant le ramadan, c'est honteux.",
    "Les Roms, on les exécute du regard dans le métro, c'est triste.",
    "Les migrants doivent fuir la guerre où on les tue.",
    "L'idéal ce serait que les trains pour les handicapés partent à l'heure.",
    "J'attends le jour où les juifs et les Arabes voyageront ensemble en paix.",
    "Il faut régler son compte au retard chronique de la ligne P.",
    "Les nazis voulaient exterminer les juifs, n'oublions jamais.",
]


@pytest.fixture(scope="module")
def books() -> dict[str, Playbook]:
    return {s: load_playbook_file(shipped_playbook_path(s)) for s in ("demo-rail", "demo-shop")}


@pytest.mark.parametrize("form", FORMS)
def test_normative_threats_reach_s4_for_every_group(books: dict[str, Playbook], form: str) -> None:
    missed = [
        (slug, g)
        for slug, pb in books.items()
        for g in GROUPS
        if severity(pb, form.format(g=g)) != "S4"
    ]
    assert not missed, (form, missed)


@pytest.mark.parametrize("text", LOOK_ALIKES)
def test_look_alikes_stay_below_s4(books: dict[str, Playbook], text: str) -> None:
    assert [slug for slug, pb in books.items() if severity(pb, text) == "S4"] == [], text
