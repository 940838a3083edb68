"""Threats the scorer is sure of, without the cue gate (issue 13, wave 35).

`menace_modele` needs a gesture, a weapon or an ambush named: many real threats name none
("ça va saigner"). `menace_modele_fort` (threat ≥ 0.95) drops the cue and keeps its
sibling's exceptions. (Its distress twin, withheld in wave 35 because the scorer is as sure
of everyday look-alikes such as "je ne serai pas là demain, livrez lundi", is wave 37's
`detresse_modele_fort` with guards for the writer's own plans: `test_sure_distress.py`.) The
scorer's probabilities are held (its words stay the real
ones); every sentence is written for this test.
"""

from __future__ import annotations

from playbooks import MentionInput, Playbook
from playbooks.scorer.held import HeldScorer

from .conftest import MONDAY_MORNING

SURE = ("menace_modele_fort",)


def fired(pb: Playbook, text: str) -> set[str]:
    decision = pb.decide(MentionInput(text, lang="fr"), now=MONDAY_MORNING)
    return set(decision.scenarios) & set(SURE)


def test_a_threat_the_scorer_is_sure_of_is_urgent_without_a_gesture(
    shipped: Playbook, held_at: HeldScorer
) -> None:
    held_at.held = {"threat": 0.97}
    text = "je vais venir régler ça moi-même lundi et ça va saigner"
    assert "menace_modele_fort" in fired(shipped, text), shipped.brand
    held_at.held = {"threat": 0.93}
    assert "menace_modele_fort" not in fired(shipped, text), shipped.brand


def test_a_threat_with_a_laugh_keeps_its_siblings_exception(
    shipped: Playbook, held_at: HeldScorer
) -> None:
    held_at.held = {"threat": 0.97}
    assert "menace_modele_fort" not in fired(shipped, "je vais te tuer 😂"), shipped.brand
