"""Press outlets whose name is also an everyday phrase count only when named as press."""

from __future__ import annotations

import pytest

from playbooks import MentionInput, Playbook

from .conftest import MONDAY_MORNING


def scenarios(pb: Playbook, text: str) -> list[str]:
    return list(pb.decide(MentionInput(text, lang="fr"), now=MONDAY_MORNING).scenarios)


@pytest.mark.parametrize(
    "text",
    [
        "Encore 20 minutes de retard ce matin",
        "J'attends depuis 20 minutes sur le quai",
        "Le train a mis 20 minutes à repartir",
    ],
)
def test_a_duration_is_not_the_newspaper(rail: Playbook, text: str) -> None:
    assert "presse" not in scenarios(rail, text)


@pytest.mark.parametrize(
    "text",
    [
        "Je vais contacter 20 minutes avec mes photos",
        "Le journal 20 minutes va en entendre parler",
        "J'envoie tout à #20minutes",
        "Je vais prévenir la presse",
    ],
)
def test_the_newspaper_named_as_press(rail: Playbook, text: str) -> None:
    assert "presse" in scenarios(rail, text)
