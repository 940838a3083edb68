"""A threat that names where someone lives, works or when they leave stays S4 under a laugh.

Every sentence is written for these tests. A laugh after a plain threat in its clause says it
for fun ("je vais te tuer mdr"); knowing an address, a car or the hour someone leaves is no
joke (issue 13: credible threats stay S4), whatever follows it.
"""

from __future__ import annotations

import pytest

from playbooks import Playbook

from .conftest import severity


@pytest.mark.parametrize(
    "text",
    [
        "je sais où tu habites mdr",
        "je connais ta voiture 😂",
        "je vais te tuer mdr je sais où vous habitez",
        "je vais te tuer. je sais où tu bosses ptdr",
        "je sais à quelle heure finit ton service lol",
        "je vais te retrouver et te tuer mdr",
    ],
)
def test_a_laugh_does_not_cancel_a_threat_that_targets_a_place_or_relatives(
    rail: Playbook, shop: Playbook, text: str
) -> None:
    assert severity(rail, text) == "S4"
    assert severity(shop, text) == "S4"


@pytest.mark.parametrize(
    "text", ["je vais te tuer mdr", "je vais vous tuer avec vos questions de quiz ptdr"]
)
def test_a_plain_threat_said_for_fun_still_steps_back(rail: Playbook, text: str) -> None:
    assert severity(rail, text) != "S4"


def test_a_reported_targeting_threat_is_a_report(rail: Playbook) -> None:
    text = "mon voisin m'a dit « je sais où tu habites », j'ai porté plainte"
    assert severity(rail, text) != "S4"
