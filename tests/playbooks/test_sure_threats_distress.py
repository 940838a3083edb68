"""Threats and distress the scorer is sure of, without the cue gate (issue 13, wave 35).

`menace_modele` needs a gesture, a weapon or an ambush named, `detresse_modele` a word of
death, an end, a means or a farewell: many real threats and suicidal statements name none
("ça va saigner", "je vais rejoindre mon fils là-haut"). `menace_modele_fort` (threat ≥ 0.95)
and `detresse_modele_fort` (self_harm ≥ 0.9) drop the cue and keep their siblings' exceptions.
The scorer's probabilities are held (its words stay the real ones); every sentence is
written for this test.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from playbooks import MentionInput, Playbook
from playbooks.scorer import runtime
from playbooks.scorer.held import HeldScorer

from .conftest import MONDAY_MORNING

SURE = ("menace_modele_fort", "detresse_modele_fort")


def fired(pb: Playbook, text: str) -> set[str]:
    decision = pb.decide(MentionInput(text, lang="fr"), now=MONDAY_MORNING)
    return set(decision.scenarios) & set(SURE)


@pytest.fixture
def held_at(monkeypatch: pytest.MonkeyPatch) -> Iterator[HeldScorer]:
    held = HeldScorer(runtime.get_scorer(), {}, rest=0.0)
    monkeypatch.setattr(runtime, "_SCORER", held)
    yield held


@pytest.mark.parametrize(
    "text",
    [
        "je ne vois plus à quoi bon continuer, je laisse tout en ordre pour ma sœur",
        "ce soir je rejoins mon père là-haut, j'ai tout préparé",
    ],
)
def test_distress_the_scorer_is_sure_of_is_urgent_without_a_cue(
    shipped: Playbook, held_at: HeldScorer, text: str
) -> None:
    held_at.held = {"self_harm": 0.95}
    assert "detresse_modele_fort" in fired(shipped, text), (shipped.brand, text)


def test_below_its_bound_distress_needs_its_cue(shipped: Playbook, held_at: HeldScorer) -> None:
    held_at.held = {"self_harm": 0.85}
    text = "ce soir je rejoins mon père là-haut, j'ai tout préparé"
    assert not fired(shipped, text), shipped.brand


def test_distress_keeps_its_siblings_exceptions(shipped: Playbook, held_at: HeldScorer) -> None:
    held_at.held = {"self_harm": 0.95}
    text = "ce bouchon me tue, trois heures pour dix kilomètres"  # a thing that "kills"
    assert "detresse_modele_fort" not in fired(shipped, text), shipped.brand


@pytest.mark.parametrize(
    "text",
    [
        "c'est pas vrai que je suis un poids pour eux",
        "non je vais pas me suicider, je suis juste énervé contre votre service",
    ],
)
def test_a_denial_stays_below_the_sure_bound_with_the_real_scorer(
    shipped: Playbook, text: str
) -> None:
    # The tier locates no word (a score alone), so `unless_scope: [denied]` cannot act on it:
    # the denial is the scorer's to read, and the shipped weights keep these below 0.9.
    assert not fired(shipped, text), (shipped.brand, text)


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
