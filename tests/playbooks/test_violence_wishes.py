"""Calls for violence and group hate (issue 13, judge13w): a wish, a group, then a gesture or
death ("je veux que tous les … meurent"); the death wish as a maxim; desert and refused life
with an adverb; an impersonal duty of violence aimed at things ("il faut brûler les étapes")
or at an idea ("tuer les clichés sur les …") is no threat; refused qualities, importing ills,
exclusion. Every sentence is written here."""

from __future__ import annotations

import pytest

from playbooks import Playbook

from .conftest import severity


@pytest.mark.parametrize(
    "text",
    [
        "Je veux que tous les noirs meurent.",
        "J'espère que tous les trans vont crever.",
        "J'aimerais voir tous les homos pendus.",
        "Je rêve de voir tous les juifs brûler.",
        "Ce serait une bonne chose que les trans meurent.",
        "Le monde irait mieux si on tuait tous les noirs.",
        "Un bon musulman est un musulman mort.",
        "Les homosexuels méritent tous de mourir.",
        "Ils méritent tous la mort, ces réfugiés.",
        "Personne ne devrait laisser vivre un homosexuel.",
        "Il faut brûler les mosquées.",
        "Il faudrait tous les pendre, ces migrants.",
        "On devrait tirer sur les migrants à la frontière.",
    ],
)
def test_calls_for_violence_against_a_group_reach_s4(rail: Playbook, text: str) -> None:
    assert severity(rail, text) == "S4"


@pytest.mark.parametrize(
    "text",
    [
        "Il faut brûler les étapes pour finir le chantier.",
        "Il faut frapper les esprits avec cette campagne.",
        "Faut cramer les calories après Noël.",
        "Il faut tuer les bactéries avec de l'eau bouillante.",
        "Il faudrait abattre les arbres malades du parc.",
        "Il faut pendre les rideaux avant samedi.",
        "Faut buter les boss du niveau 3 pour passer.",
        "Il faut abattre les barrières entre les peuples.",
        "Il faudrait fusiller les idées reçues sur les migrants.",
        "Il faut éliminer la pauvreté chez les réfugiés.",
        "Il faut tuer les clichés sur les femmes.",
        "Je veux voir les juifs vivre en paix.",
        "Je ne veux pas que les réfugiés meurent en mer.",
        "On va se tuer à la tâche pour finir à temps.",
        "je vais mettre le feu au dancefloor",
        "tu vas prendre cher au contrôle de maths",
    ],
)
def test_gestures_aimed_at_things_and_ideas_stay_below_s4(rail: Playbook, text: str) -> None:
    assert severity(rail, text) != "S4"


@pytest.mark.parametrize(
    "text",
    [
        "dors avec un oeil ouvert, je te préviens",
        "je vais te ravager la tête à la sortie",
    ],
)
def test_threat_images_reach_s4(rail: Playbook, text: str) -> None:
    assert severity(rail, text) == "S4"


@pytest.mark.parametrize(
    "text",
    [
        "Les trans sont des monstres.",
        "Les femmes sont des objets.",
        "Les homosexuels sont des malades.",
        "On ne peut pas faire confiance aux arabes.",
        "Les trans ne sont pas de vraies femmes.",
        "Un migrant ne sera jamais français.",
        "Aucun arabe n'est honnête.",
        "Les femmes sont trop émotives pour diriger.",
        "Pourquoi les femmes sont-elles si bêtes ?",
        "Les migrants ramènent des maladies.",
        "Les noirs n'ont jamais rien inventé.",
        "Les femmes n'ont rien à faire en politique.",
        "Les musulmans vivent encore au Moyen Âge.",
        "Les handicapés coûtent trop cher à la société.",
        "Vous ne trouvez pas que les migrants puent ?",
        "Je ne veux pas de trans dans mon équipe.",
    ],
)
def test_group_hate_without_an_insult_is_flagged(rail: Playbook, text: str) -> None:
    assert severity(rail, text) in ("S3", "S4")


@pytest.mark.parametrize(
    "text",
    [
        "Les femmes ne sont pas des objets.",
        "Les arabes ne sont pas des animaux.",
        "Je ne veux pas de racisme envers les noirs dans ce forum.",
        "Pourquoi les femmes sont-elles si mal payées ?",
        "Les musulmans apportent leur culture, et c'est très bien.",
        "Les trans sont des personnes comme les autres.",
        "Les arabes que je connais sont des gens honnêtes.",
        "Il ne faut pas dire que les noirs n'ont jamais rien inventé, c'est faux.",
        "Arrêtez de dire que les musulmans puent, c'est raciste.",
        "Les homosexuels, ce sont des êtres humains comme toi.",
        "Les migrants vivent dans des conditions indignes.",
    ],
)
def test_groups_named_warmly_denied_or_defended_stay_below_s3(rail: Playbook, text: str) -> None:
    assert severity(rail, text) not in ("S3", "S4")


@pytest.mark.parametrize(
    "text",
    [
        "si je perds mon logement je me jette sous un train",
        "vous allez avoir ma mort sur la conscience",
        "je mets fin à tout ce soir",
        "vaut mieux que je crève",
        "dites à ma mère que je l'aime, c'est la fin",
    ],
)
def test_suicidal_statements_without_a_future_reach_s4(rail: Playbook, text: str) -> None:
    assert severity(rail, text) == "S4"


@pytest.mark.parametrize(
    "text",
    [
        "j'ai plus envie de me réveiller tôt le dimanche",
        "j'ai préparé la corde à sauter pour le sport",
        "je mets fin à mon abonnement ce soir",
        "ma décision est prise, je pars chez la concurrence",
    ],
)
def test_everyday_ends_stay_below_s4(rail: Playbook, text: str) -> None:
    assert severity(rail, text) != "S4"
