"""Veiled threats at the brand's staff, read by the scorer below its sure bound (issue 13, wave 39).

A threat at a named agent ("le contrôleur de Vierzon, je l'attends sur le parking jeudi")
often names no gesture or weapon, and the scorer reads it between 0.6 and 0.9.
`menace_modele_visee` sends it to S4 when the brand or its staff is named
(`&marque_ou_personnel`, as for the model's aimed hate and insult), with `menace_modele`'s
exceptions and one more: a legal recourse said ("plainte", "avocat") is no threat. The
scorer's probabilities are held (its words stay the real ones); every sentence is written
for this test.
"""

from __future__ import annotations

from playbooks import MentionInput, Playbook
from playbooks.scorer.held import HeldScorer

from .conftest import MONDAY_MORNING

AIMED = "menace_modele_visee"


def fired(pb: Playbook, text: str) -> bool:
    decision = pb.decide(MentionInput(text, lang="fr"), now=MONDAY_MORNING)
    return AIMED in decision.scenarios


def test_a_veiled_threat_at_named_staff_is_urgent(shipped: Playbook, held_at: HeldScorer) -> None:
    text = "le contrôleur de jeudi soir, je l'attendrai sur le parking, il sait pourquoi"
    held_at.held = {"threat": 0.65}
    assert fired(shipped, text), shipped.brand
    assert shipped.decide(MentionInput(text, lang="fr"), now=MONDAY_MORNING).severity == "S4"
    held_at.held = {"threat": 0.55}
    assert not fired(shipped, text), shipped.brand


def test_no_one_named_no_aimed_threat(shipped: Playbook, held_at: HeldScorer) -> None:
    held_at.held = {"threat": 0.8}
    assert not fired(shipped, "jeudi soir je serai sur le parking, on verra bien"), shipped.brand


def test_a_legal_recourse_is_no_threat(shipped: Playbook, held_at: HeldScorer) -> None:
    held_at.held = {"threat": 0.8}
    text = "le contrôleur de jeudi m'a humilié, je porte plainte et mon avocat s'en occupe"
    assert not fired(shipped, text), shipped.brand


def test_a_laughed_or_admitted_image_keeps_its_siblings_exceptions(
    shipped: Playbook, held_at: HeldScorer
) -> None:
    held_at.held = {"threat": 0.8}
    assert not fired(shipped, "le contrôleur je vais le tuer mdr il m'a fait rire"), shipped.brand
    text = "le conducteur va me tuer avec ses annonces, façon de parler"
    assert not fired(shipped, text), shipped.brand


def test_quoted_threats_are_reports(shipped: Playbook, held_at: HeldScorer) -> None:
    held_at.held = {"threat": 0.8}
    text = 'un voyageur a crié au contrôleur « je vais t\'attendre à la sortie », j\'ai eu peur pour lui'
    assert not fired(shipped, text), shipped.brand
