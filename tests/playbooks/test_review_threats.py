"""'Je vais vous démonter' on a review site is a bad review announced, not violence (S4)."""

from __future__ import annotations

import pytest

from playbooks import Playbook

from .conftest import severity


@pytest.mark.parametrize(
    "text",
    [
        "je vais vous démonter sur trustpilot",
        "on va vous défoncer sur google",
        "je vais vous démonter en vidéo",
    ],
)
def test_a_review_announced_is_not_a_threat(rail: Playbook, text: str) -> None:
    assert severity(rail, text) != "S4"


def test_the_same_verb_at_the_exit_still_is(rail: Playbook) -> None:
    assert severity(rail, "je vais vous démonter à la sortie") == "S4"
