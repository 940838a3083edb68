"""Threats to a person, suicidal statements and their idioms in the shipped playbooks (issue 13).

Every sentence is written for these tests. They check grammar, not a list: threats in any
tense or person of a violence verb (`~lemma` forms), the victim in the passive, relatives and
home named; first-person suicidal statements without "ne"; idioms of the same words that stay
out of S4; negation, quotation and reporting; glued words split by the fuzzy step.
"""

from __future__ import annotations

import pytest

from playbooks import MentionInput, Playbook

from .conftest import MONDAY_MORNING, severity

THREATS = [
    "jvais te defoncer a la sortie",
    "je t'éclaterais si tu reviens ici",
    "on vous retrouvera et on vous massacrera",
    "je te fracasse dès que je te vois",
    "on va te trouver et te tabasser",
    "je vais venir chez toi pour te buter",
    "tu vas te faire démonter à la récré",
    "vous allez tous crever",
    "t'es un homme mort",
    "tes mort ce soir",
    "jsais ou t'habites",
    "on sait très bien où ta famille habite",
    "je vais buter toute ta famille",
    "ta daronne va payer",
    "je t'attends à la sortie du collège",
    "attends que je te chope",
    "tu vas voir ce qui va t'arriver",
    "tu vas finir dans un fossé",
    "il faut buter ce livreur",
    "je vais assassiner ce contrôleur",
    "ce type va mourir entre mes mains",
]


@pytest.mark.parametrize("text", THREATS)
def test_threats_to_a_person_in_any_form_are_urgent(rail: Playbook, text: str) -> None:
    assert severity(rail, text) == "S4"


@pytest.mark.parametrize(
    "text",
    [
        "je vais vous noyer sous les réclamations",
        "je vais vous démonter en avis si ça continue",
        "je te tue à la belote quand tu veux",
        "t'es mort de rire devant la vidéo",
        "ta mère va te tuer quand elle verra la facture",
        "tu vas te tuer à la tâche pour ce boulot",
        "je vais massacrer ce gâteau au chocolat",
        "je passe te retrouver ce soir au café",
        "personne ne va te frapper, calme-toi",
        "un client m'a écrit « je vais te défoncer », que dois-je faire ?",
        "il ne faut pas dire je vais te tuer, même pour rire",
    ],
)
def test_idioms_denials_and_reports_of_threats_are_not_urgent(rail: Playbook, text: str) -> None:
    assert severity(rail, text) != "S4"


@pytest.mark.parametrize(
    "text",
    [
        "personne remarquera si je me tue",
        "personne me regrettera de toute façon",
        "tout le monde serait mieux sans moi",
        "je veux plus vivre",
        "je suis fatiguée de vivre",
        "je mérite pas de vivre",
        "ce soir j'en finis",
        "je me coupe encore les bras",
        "je pense à me foutre en l'air",
        "jvais me tirer une balle ce soir",
    ],
)
def test_suicidal_statements_without_ne_are_urgent(rail: Playbook, text: str) -> None:
    assert severity(rail, text) == "S4"


@pytest.mark.parametrize(
    "text",
    [
        "je vais me pendre au téléphone avec votre service client",
        "je vais me jeter sur les soldes",
        "ce retard me tue",
        "je suis mort de rire",
        "vous m'avez tué avec cette pub",
        "je vais mourir d'ennui dans ce train",
        "je me suis tué à la tâche pour rien",
    ],
)
def test_hyperbole_stays_out_of_s4(rail: Playbook, text: str) -> None:
    assert severity(rail, text) != "S4"


@pytest.mark.parametrize(
    "text",
    [
        "dire que les juifs sont des rats, c'est de la haine",
        "arrêtez de dire que les femmes sont inférieures",
        "c'est faux de dire que les noirs sont des voleurs",
    ],
)
def test_counter_speech_is_not_hate(rail: Playbook, text: str) -> None:
    assert severity(rail, text) not in ("S3", "S4")


@pytest.mark.parametrize(
    "text",
    [
        "vous n'êtes que des orduresdemigrants",
        "j'emmerdetousles musulmans",
    ],
)
def test_three_glued_words_are_split(rail: Playbook, text: str) -> None:
    assert severity(rail, text) in ("S3", "S4")


@pytest.mark.parametrize(
    ("text", "urgent"),
    [
        ("I'm coming for you after work", True),
        ("wait till i catch you", True),
        ("nobody would notice if I died", True),
        ("everyone would be better off without me", True),
        ("I'm going to end it with your company, cancelling today", False),
        ("this delay is killing me", False),
        ("I died laughing at your ad", False),
    ],
)
def test_english_threats_and_distress(rail: Playbook, text: str, urgent: bool) -> None:
    got = rail.decide(MentionInput(text, lang="en"), now=MONDAY_MORNING).severity
    assert (got == "S4") is urgent


GLUED = """
format: 1
default_language: fr
lexicons:
  insultes: {lang: fr, fuzzy: true, terms: ["ordure(s)", abruti]}
scenarios:
  - {id: insulte, label: Insulte, when: {lexicon: insultes}, severity: S3}
"""


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("vous êtes des orduresdechauffeurs", True),  # word + grammar word + word
        ("quel abrutidechauffeur franchement", True),
        ("lesordures sont sorties ce matin", True),  # two words, as before
        ("rendez-vous rue delacroix demain", False),  # no lexicon word inside
        ("bonjouratous, une question", False),
    ],
)
def test_fuzzy_splits_up_to_three_glued_words(text: str, flagged: bool) -> None:
    from .conftest import make

    got = make(GLUED).decide(MentionInput(text, lang="fr"), now=MONDAY_MORNING).severity
    assert (got == "S3") is flagged


# Issue 13 (judge13t): teen-chat threats, more suicidal means, and their look-alikes. Written
# for these tests, not taken from playbooks/eval/threats_distress.jsonl.
@pytest.mark.parametrize(
    "text",
    [
        "t mor ce soir a la recre",
        "si je te croise au stade t'es morte",
        "fais gaffe à ta tronche lundi",
        "tu vas voir après les cours",
        "je vais t'attendre derrière le gymnase",
        "je vais lui exploser la mâchoire à ce mytho",
        "on va te choper à la sortie",
        "il va se faire tabasser ce bouffon",
        "ferme-la ou je t'en colle une",
        "prépare-toi à morfler",
    ],
)
def test_teen_chat_threats_are_urgent(rail: Playbook, text: str) -> None:
    assert severity(rail, text) == "S4"


@pytest.mark.parametrize(
    "text",
    [
        "je vais m'allonger sous le train de 18h",
        "mon frère menace de se jeter du pont depuis hier",
        "j'ai peur de faire une grosse bêtise cette nuit",
        "je vais avaler toutes mes pilules d'un coup",
    ],
)
def test_more_suicidal_means_are_urgent(rail: Playbook, text: str) -> None:
    assert severity(rail, text) == "S4"


@pytest.mark.parametrize(
    "text",
    [
        "je vais te démonter sur fifa ce soir",
        "t'es mort de fatigue toi",
        "fais gaffe à toi sur la route, ça glisse",
        "je ne vais pas me tuer pour un colis en retard hein",
        "un documentaire sur le suicide des agriculteurs passe ce soir",
        "baisser les prix maintenant serait un suicide commercial",
        "je me tue au boulot pour payer vos tarifs",
    ],
)
def test_games_denials_and_idioms_are_not_urgent(rail: Playbook, text: str) -> None:
    assert severity(rail, text) != "S4"
