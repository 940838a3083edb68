"""Wave 13 (issue 13, judge13t): the grammar of threats in the shipped French playbooks.

Every sentence is written for these tests. They check forms, not sentences: a norm (falloir,
devoir, mériter, "bons à", "il serait juste de", a verdict after the gesture) then a gesture of
violence in any inflection near a group or a designated person; a death wish or a threat
addressed in a teenager's spelling; and their look-alikes (games, idioms, a denied norm, a
relative clause that reports someone else's intent, a threat said with a laugh).
"""

from __future__ import annotations

import pytest

from playbooks import Playbook, load_playbook_file, shipped_playbook_path

from .conftest import make, severity

GROUPS = ("femmes", "trans", "homos", "musulmans", "réfugiés", "juifs", "migrants")


# One form per line, tried with every group: the grammar, not a template.
NORMS = [
    "Les {g} comme toi méritent d'être abattus.",
    "Ces {g} sont tous bons à fusiller.",
    "Les {g} de ce genre sont à pendre.",
    "Il serait préférable d'éliminer les {g}.",
    "Le mieux serait d'égorger les {g}.",
    "On devrait ouvrir le feu sur les {g}.",
    "Quelqu'un devrait tirer sur ces {g}.",
    "Ces {g} devraient être rayés de la surface de la terre.",
    "Il faudrait que les {g} meurent tous.",
    "Mieux vaudrait noyer les {g} à la naissance.",
    "Vous les {g}, vous devriez tous être pendus.",
    "Il faudrait vous gazer, les {g}.",
    "Les {g} ne méritent qu'une balle.",
    "Tuer les {g} serait un service rendu.",
    "Massacrer les {g}, voilà la solution.",
    "Finissons-en avec les {g}.",
    "Les {g} peuvent tous crever.",
]


@pytest.mark.parametrize("form", NORMS)
def test_normative_threats_reach_s4_for_every_group(rail: Playbook, form: str) -> None:
    missed = [g for g in GROUPS if severity(rail, form.format(g=g)) != "S4"]
    assert not missed, (form, missed)


@pytest.mark.parametrize(
    "text",
    [
        "ce mec mérite de crever",
        "quelqu'un devrait buter ce type",
        "j'espère que tu vas crever",
        "j'espère que tu crèves sale pute",
        "je te souhaite de mourir",
        "tu mérites la mort",
        "mes frères vont te défoncer",
        "mon grand frère va te tuer",
        "je vais cramer ta baraque",
        "demain je ramène un couteau au collège",
        "je vais tirer sur tout le monde au lycée",
        "je vais tuer le prof de maths",
        "je vais t'ouvrir en deux",
        "jte jure jvais te défoncer",
        "si tu reviens t'es mort",
        # a word slipped before the pronoun: the same threat
        "je vais tous vous tuer",
        "on va toutes vous défoncer à la sortie",
        "je vais bien te défoncer ta gueule",
    ],
)
def test_addressed_threats_and_death_wishes_reach_s4(rail: Playbook, text: str) -> None:
    assert severity(rail, text) == "S4", text


@pytest.mark.parametrize(
    "text",
    [
        # a norm denied, withheld or turned into an outcry
        "Les migrants ne devraient pas mourir en mer.",
        "Aucun migrant ne devrait mourir en mer.",
        "Personne ne devrait être tué pour sa religion, ni les juifs ni les musulmans.",
        "Il faut arrêter de tuer les migrants en mer.",
        "Combien de femmes doivent encore mourir sous les coups avant qu'on agisse ?",
        "Les musulmans doivent être protégés, pas tués.",
        "Tuer des femmes devrait être puni de prison à vie.",
        # someone else's intent, a story, a place where it happens
        "Les réfugiés méritent d'être protégés de ceux qui veulent les tuer.",
        "Les homosexuels étaient pendus en Iran, il faut que ça cesse.",
        "Les migrants doivent fuir la guerre où on les tue.",
        "Quand les femmes se font tuer, il faut réagir.",
        # a norm before an ordinary object, a noun, an idiom
        "Les juifs doivent affronter la mort chaque jour en Ukraine.",
        "Les femmes doivent tuer le temps en attendant le train.",
        "Les femmes devraient frapper à la porte du commissariat.",
        "Il faut brûler les étapes pour aider les réfugiés.",
        "Les gays devraient pendre la crémaillère ensemble.",
        "Les musulmans doivent exécuter la prière du vendredi.",
        "Les arabes devraient abattre les murs de la méfiance.",
        "Accueillir les migrants, voilà la solution.",
        "il faut exterminer les cafards",
        "les frelons devraient être exterminés",
        # a threat denied or said with a laugh, games, wishes that are kind
        "personne va te tuer calme toi",
        "je vais pas te tuer t'inquiète",
        "je vais te tuer mdr t'es trop drôle",
        "mdr je vais te tuer si tu spoiles la série",
        "jte tue à fortnite ce soir",
        "tu tues le game",
        "je vais me faire tuer par ma mère",
        "j'espère que tu vas bien",
        "j'espère que tu meurs pas de froid dehors",
        "je te souhaite de réussir",
        "mon frère va te chercher à la gare",
        "je vais brûler un CD pour toi",
        # "tuer de rire", the idiom of laughter, to anyone and in any tense (wave 40's look-alikes)
        "je vais te tuer de rire avec cette blague",
        "Les Belges, on les tue de rire avec nos blagues sur les frites.",
        "ça va vous tuer de rire ce sketch",
        # strangled or smothered "de remerciements", "sous les compliments": affection in an image
        "je vais vous étrangler de remerciements, livraison parfaite",
        "je vais vous étouffer sous les compliments, merci pour tout",
        # a tag, a graffiti, a banner quoted: someone's words written on a wall, reported
        "Quelqu'un a tagué « mort aux flics » sur l'abribus, effacez-le svp",
        'un graffiti "mort aux Arabes" est sur le mur de la gare depuis un mois',
        "ils avaient une banderole « mort aux cheminots » devant la gare, honteux",
        # a message received or posted, quoted: someone else's words
        "on a reçu sur notre page « on va tous vous égorger », j'ai transmis à la direction",
        'notre standardiste a reçu un texto "on va tous vous égorger", la police est prévenue',
        # insects are no one; a word slipped in keeps a game a game
        "je vais tuer toutes ces mouches, vous vendez des tapettes à mouches ?",
        "il faut exterminer les punaises de lit de cet hôtel",
        "je vais tous vous défoncer à mario kart ce soir",
        "je vais tous vous tuer de rire avec ce sketch",
    ],
)
def test_look_alikes_stay_below_s4(rail: Playbook, text: str) -> None:
    assert severity(rail, text) != "S4", text


@pytest.mark.parametrize("slug", ["demo-shop", "sector-bank", "sector-public", "sector-telecom"])
def test_every_shipped_playbook_reads_the_norm_grammar(slug: str) -> None:
    pb = load_playbook_file(shipped_playbook_path(slug))
    assert severity(pb, "Les réfugiés comme toi méritent d'être abattus.") == "S4"
    assert severity(pb, "Les réfugiés méritent d'être protégés.") != "S4"
    assert severity(pb, "je vais te tuer mdr") != "S4"


NEAR_ORDERED = """
format: 1
lexicons:
  normes: {terms: ["il faut"]}
  gestes: {terms: ["tuer"]}
scenarios:
  - id: appel
    label: Appel
    when: {near: {lexicons: [normes, gestes], within: 0, within_clause: 2, ordered: true}}
    severity: S4
"""


def test_near_ordered_keeps_the_first_lexicon_first() -> None:
    pb = make(NEAR_ORDERED)
    assert severity(pb, "il faut les tuer") == "S4"
    assert severity(pb, "il faut tuer") == "S4"
    # adjacent but in the other order: "… se font tuer, il faut réagir"
    assert severity(pb, "ils se font tuer il faut réagir") != "S4"
