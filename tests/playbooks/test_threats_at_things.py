"""A machine, an appliance or a garment threatened in anger is no threat (issue 13, wave 53).

"jvais tuer la caisse automatique", "je vais le buter ce composteur": the gesture's object is a
thing (`cibles_abstraites`, read by `menace`'s guard one word from the gesture). A person or a
place beside the thing is still read as a threat. Every sentence is written for this test; the
decisions are the shipped playbooks' with the committed scorer.
"""

from __future__ import annotations

import pytest

from playbooks import MentionInput, Playbook, load_playbook_file, shipped_playbook_path

from .conftest import MONDAY_MORNING

THINGS = [  # each S4 before wave 53
    "jvais tuer la caisse automatique de la gare 🔪 quatrième fois qu'elle bloque ma carte",
    "Je vais le buter ce distributeur de billets, il a encore mangé ma carte 🔪",
    "Je vais démolir cette borne, elle m'a encore fait rater mon train 😤 "
    "je vais lui faire la peau",
    "Je vais la tuer cette imprimante, encore un bourrage papier 🔪😤",
]

PEOPLE = [
    "Je vais te tuer à côté de la caisse automatique demain à 18h, tu verras.",
    "Je vais poignarder le vigile qui garde la caisse automatique, je connais ses horaires.",
    "Je vais défoncer la borne et le guichetier avec, attends-moi ce soir à la sortie.",
]


@pytest.fixture(scope="module", params=("demo-rail", "demo-shop"))
def playbook(request: pytest.FixtureRequest) -> Playbook:
    return load_playbook_file(shipped_playbook_path(request.param))


def severity(playbook: Playbook, text: str) -> str:
    decision = playbook.decide_many([MentionInput(text, lang="fr")], now=MONDAY_MORNING)[0]
    return str(decision.severity)


@pytest.mark.parametrize("text", THINGS)
def test_a_thing_threatened_in_anger_is_not_urgent(playbook: Playbook, text: str) -> None:
    assert severity(playbook, text) != "S4"


@pytest.mark.parametrize("text", PEOPLE)
def test_a_person_beside_the_thing_is_still_threatened(playbook: Playbook, text: str) -> None:
    assert severity(playbook, text) == "S4"
