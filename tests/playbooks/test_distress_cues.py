"""The model's distress scenario needs a distress cue beside its score: a tired complaint is
not sent to the brand as a suicide alert (S4), real distress without a keyword still is."""

from __future__ import annotations

import pytest

from playbooks import MentionInput, Playbook

from .conftest import MONDAY_MORNING


def decide(pb: Playbook, text: str) -> tuple[str, list[str]]:
    d = pb.decide(MentionInput(text, lang="fr"), now=MONDAY_MORNING)
    return d.severity, list(d.scenarios)


@pytest.mark.parametrize(
    "text",
    [
        "je n'en peux plus de vos grèves",
        "j'en ai marre, je suis épuisé, 3e train supprimé cette semaine",
        "Le film à bord était nul, je me suis ennuyé",
        "je suis nul en maths, j'arrive pas à calculer le prix du pass",
        "je suis perdu dans la gare, c'est quel quai ?",
        "je suis fatiguée de vos excuses",
        "je suis triste, le wagon bar est encore fermé",
        "je suis dégoûté, mon colis est encore en retard",
    ],
)
def test_a_tired_complaint_is_not_distress(rail: Playbook, text: str) -> None:
    severity, scenarios = decide(rail, text)
    assert "detresse_modele" not in scenarios
    assert severity != "S4"


@pytest.mark.parametrize(
    "text",
    [
        "je m'endormirais bien pour toujours",
        "j'ai plus personne, je vais rejoindre mon fils là-haut",
        "bientôt vous n'aurez plus à me répondre, je serai plus là",
        "je suis un fardeau pour tout le monde",
    ],
)
def test_distress_without_a_keyword_still_goes_to_the_brand(rail: Playbook, text: str) -> None:
    assert decide(rail, text)[0] == "S4"
