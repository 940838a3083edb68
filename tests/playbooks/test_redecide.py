"""A reviewer's correction goes through the same delegation rules as the engine's decision."""

from __future__ import annotations

from datetime import timedelta

from playbooks import AuthorProfile, BrandContext, MentionInput, default_delegation

from .conftest import MONDAY_MORNING, make

SMALL = """
format: 1
scenarios:
  - {id: horaires, label: Horaires, when: {keywords: [horaire]}, severity: S1,
     replies: [r.horaires]}
  - {id: insulte, label: Insulte, when: {keywords: [nul]}, severity: S3, categories: [insulte],
     replies: [r.apaisement]}
  - {id: detresse, label: "Détresse, menace de suicide", when: {keywords: [finir]},
     severity: S4, categories: [detresse], replies: [r.ecoute]}
  - {id: presse, label: Presse, when: {keywords: [journaliste]}, severity: S3,
     action: escalate, approver: brand}
delegation:
  - {id: vip, when: {all: [{vip: true}, {severity: S2}]}, action: reply_with_approval,
     approver: lead}
sla:
  minutes: {S1: 120, S2: 60, S3: 60, S4: 15}
  max_minutes: 240
"""


def _mention(text: str = "quel est l'horaire du train ?", **kw: object) -> MentionInput:
    return MentionInput(text, posted_at=MONDAY_MORNING - timedelta(minutes=10), **kw)  # type: ignore[arg-type]


def test_correction_to_s4_escalates_urgently_with_the_s4_sla_and_replies() -> None:
    pb = make(SMALL)
    first = pb.decide(_mention(), now=MONDAY_MORNING)
    assert (first.severity, first.action) == ("S1", "reply")
    d = pb.redecide(_mention(), severity="S4", scenario="detresse", now=MONDAY_MORNING)
    assert (d.severity, d.scenarios, d.action, d.approver) == (
        "S4",
        ["detresse"],
        "escalate_urgent",
        "brand",
    )
    assert d.due_at == MONDAY_MORNING - timedelta(minutes=10) + timedelta(minutes=15)
    assert d.suggested_replies == ["r.ecoute"] and d.categories == ["detresse"]
    assert d.priority > first.priority
    assert d.evidence[0].kind == "correction" and "Détresse" in d.evidence[0].explanation


def test_correction_runs_the_delegation_rules_on_the_corrected_severity() -> None:
    pb = make(SMALL)
    vip = _mention(author=AuthorProfile(vip=True))
    d = pb.redecide(vip, severity="S2", scenario=None, now=MONDAY_MORNING)
    assert (d.action, d.approver) == ("reply_with_approval", "lead")
    assert any(e.rule == "delegation:vip" for e in d.evidence)
    # The brand's own SLA wins, as in decide().
    brand = BrandContext(sla_minutes={"S2": 30})
    d = pb.redecide(_mention(), severity="S2", scenario=None, context=brand, now=MONDAY_MORNING)
    assert d.due_at == MONDAY_MORNING + timedelta(minutes=20)


def test_a_scenario_keeps_its_own_action_only_at_its_own_severity() -> None:
    pb = make(SMALL)
    at_own = pb.redecide(_mention(), severity="S3", scenario="presse", now=MONDAY_MORNING)
    assert (at_own.action, at_own.approver) == ("escalate", "brand")
    lowered = pb.redecide(_mention(), severity="S2", scenario="presse", now=MONDAY_MORNING)
    assert lowered.action == "reply"


def test_correction_down_from_s4_lifts_the_safety_floor() -> None:
    pb = make(SMALL)
    text = "je vais en finir avec ce retard"
    assert pb.decide(_mention(text), now=MONDAY_MORNING).action == "escalate_urgent"
    d = pb.redecide(_mention(text), severity="S2", scenario=None, now=MONDAY_MORNING)
    assert (d.action, d.scenarios) == ("reply", [])


def test_default_codification_without_a_playbook() -> None:
    assert default_delegation("S1") == ("reply", None)
    assert default_delegation("S3") == ("reply_with_approval", "lead")
    assert default_delegation("S4") == ("escalate_urgent", "brand")
