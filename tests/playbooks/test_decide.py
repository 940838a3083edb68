"""Decisions on the shipped playbooks: what a reviewer sees in the queue."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from playbooks import SEVERITIES, AuthorProfile, BrandContext, MentionInput, Playbook

from .conftest import MONDAY_MORNING, make


def decide(pb: Playbook, text: str, **kw: object):  # type: ignore[no-untyped-def]
    return pb.decide(MentionInput(text, **kw), now=MONDAY_MORNING)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "severity"),
    [
        ("Ce retard me tue", "S2"),
        ("c'est une tuerie ce nouveau train", "S1"),
        ("Le contrôleur était adorable, merci", "S1"),
        ("Le conseil régional finance la ligne ?", "S1"),
        ("c'est con ce retard", "S2"),
        ("Je meurs de rire avec vos annonces", "S1"),
        ("Vous êtes des c0nn4rds", "S3"),
        ("Bande de cooonnnards", "S3"),
        ("f d p", "S3"),
        ("Mon avocat va vous contacter", "S3"),
        ("J'envoie tout ça au 60 millions de consommateurs", "S3"),
        ("Je suis journaliste au Parisien", "S3"),
        ("je vais te buter sale contrôleur", "S4"),
        ("Je vais me jeter sous le train ce soir", "S4"),
        ("Malaise dans le train, personne ne vient", "S4"),
        ("Gagnez de l'argent facile avec le bitcoin, lien en bio", "S0"),
    ],
)
def test_rail_severities(rail: Playbook, text: str, severity: str) -> None:
    assert decide(rail, text).severity == severity


def test_default_codification(rail: Playbook) -> None:
    assert decide(rail, "Bravo pour la ponctualité").action == "reply"
    insult = decide(rail, "Bande de cons")
    assert (insult.action, insult.approver) == ("reply_with_approval", "lead")
    legal = decide(rail, "Mon avocat va porter plainte")
    assert (legal.action, legal.approver) == ("reply_with_approval", "brand")
    threat = decide(rail, "je vais vous buter")
    assert (threat.action, threat.approver) == ("escalate_urgent", "brand")
    spam = decide(rail, "bitcoin gratuit lien en bio")
    assert (spam.action, spam.due_at, spam.suggested_replies) == ("hide", None, [])


def test_evidence_shows_the_rule_and_the_original_words(rail: Playbook) -> None:
    text = "Espèce de C0NNNARD, mon train est supprimé"
    d = decide(rail, text)
    lexicon = next(e for e in d.evidence if e.kind == "lexicon" and e.rule == "scenario:insulte")
    assert [text[a:b] for a, b in lexicon.spans] == ["Espèce de C0NNNARD", "C0NNNARD"]
    assert "espèce de connard" in lexicon.terms
    assert d.scenarios == ["insulte", "annulation"]  # flags accumulate
    assert d.severity == "S3" and d.categories[0] == "insulte"
    assert d.suggested_replies[0] == "rail.insulte.apaisement"


def test_s4_safety_floor_beats_delegation() -> None:
    pb = make(
        """
format: 1
scenarios: [{id: t, label: T, severity: S4, when: {keywords: [bombe]}}]
delegation: [{id: r, when: {vip: true}, action: reply}]
"""
    )
    d = pb.decide(MentionInput("une bombe", author=AuthorProfile(vip=True)), now=MONDAY_MORNING)
    assert d.action == "escalate_urgent"
    assert any(e.kind == "guard" for e in d.evidence)


def test_sla_defaults_and_brand_override(rail: Playbook) -> None:
    posted = MONDAY_MORNING - timedelta(minutes=10)
    mention = MentionInput("mon train est en retard", posted_at=posted)
    assert rail.decide(mention, now=MONDAY_MORNING).due_at == posted + timedelta(minutes=60)
    brand = BrandContext(sla_minutes={"S2": 30})
    assert rail.decide(mention, brand, MONDAY_MORNING).due_at == posted + timedelta(minutes=30)


def test_sla_counts_opening_hours_only_when_asked(shop: Playbook) -> None:
    sunday_evening = datetime(2026, 1, 4, 21, 0, tzinfo=UTC)  # shop closed on Sunday
    d = shop.decide(
        MentionInput("Mon colis est en retard", posted_at=sunday_evening), now=sunday_evening
    )
    assert d.severity == "S2"
    assert d.due_at == datetime(2026, 1, 5, 10, 0, tzinfo=UTC)  # Monday 09:00 Paris + 120 min
    urgent = shop.decide(
        MentionInput("la batterie a pris feu", posted_at=sunday_evening), now=sunday_evening
    )
    assert urgent.due_at == sunday_evening + timedelta(minutes=15)  # S4 never waits


def test_priority_orders_the_queue(rail: Playbook) -> None:
    plain = decide(rail, "mon train est en retard")
    platine = decide(rail, "mon train est en retard", author=AuthorProfile(tier="Platine"))
    whatsapp = decide(rail, "mon train est en retard", channel="whatsapp")
    threat = decide(rail, "je vais vous buter")
    assert plain.priority < platine.priority and plain.priority < whatsapp.priority
    assert threat.priority > platine.priority
    waited = rail.decide(
        MentionInput("mon train est en retard", posted_at=MONDAY_MORNING - timedelta(hours=2)),
        now=MONDAY_MORNING,
    )
    assert waited.priority > plain.priority
    assert all(0 <= d.priority <= 1000 for d in (plain, platine, whatsapp, threat, waited))


def test_vip_complaint_goes_through_a_lead(rail: Playbook) -> None:
    d = decide(rail, "mon train est en retard", author=AuthorProfile(vip=True))
    assert (d.action, d.approver) == ("reply_with_approval", "lead")


def test_insult_at_night_is_escalated(rail: Playbook) -> None:
    night = datetime(2026, 1, 5, 2, 0, tzinfo=UTC)
    d = rail.decide(MentionInput("bande de cons", posted_at=night), now=night)
    assert d.action == "escalate"


def test_influencer_complaint_needs_the_brand(rail: Playbook) -> None:
    d = decide(rail, "train supprimé, scandale", author=AuthorProfile(followers=120000))
    assert d.severity == "S3" and d.approver == "brand" and "influenceur" in d.scenarios


def test_language_detection_and_english_lexicons(rail: Playbook) -> None:
    d = decide(rail, "You are useless idiots, my train is late again")
    assert d.language == "en" and d.severity == "S3"
    assert decide(rail, "ok").language == "fr"  # too short: the default language


def test_decisions_are_deterministic_and_serialisable(rail: Playbook) -> None:
    a = decide(rail, "Bande de cons, remboursez-moi !").to_dict()
    b = decide(rail, "Bande de cons, remboursez-moi !").to_dict()
    assert a == b
    assert json.loads(json.dumps(a)) == a
    assert set(a) == {
        "severity",
        "scenarios",
        "categories",
        "action",
        "approver",
        "priority",
        "due_at",
        "suggested_replies",
        "language",
        "evidence",
        "playbook_version",
    }
    assert a["playbook_version"] == rail.version and a["severity"] in SEVERITIES


def test_version_changes_with_content_not_with_comments() -> None:
    base = "format: 1\nscenarios: [{id: a, label: A, severity: S1, when: {keywords: [x]}}]\n"
    assert make(base).version == make("# comment\n" + base).version
    assert make(base).version != make(base.replace("S1", "S2")).version


def test_reply_keys_are_the_documented_ones(rail: Playbook, shop: Playbook) -> None:
    from playbooks.loader import SHIPPED_DIR

    documented = (SHIPPED_DIR / "REPLY_KEYS.md").read_text(encoding="utf-8")
    for pb in (rail, shop):
        assert pb.reply_keys, pb.brand
        for key in pb.reply_keys:
            assert f"`{key}`" in documented, key
        assert 15 <= len(pb.reply_keys) <= 25


def test_a_scenario_can_override_lower_severities() -> None:
    pb = make(
        """
format: 1
scenarios:
  - {id: retard, label: Retard, when: {keywords: [retard]}, severity: S2}
  - {id: question, label: Question, when: {raw_pattern: '\\?'}, severity: S1}
  - id: spam
    label: Spam
    when: {keywords: [bitcoin]}
    severity: S0
    overrides: [S1, S2]
"""
    )
    spam = decide(pb, "un retard ? investissez en bitcoin")
    assert (spam.severity, spam.scenarios, spam.action) == ("S0", ["spam"], "ignore")
    assert decide(pb, "encore un retard ?").scenarios == ["retard", "question"]


def test_evidence_is_written_on_demand_and_agrees_with_the_decision(rail: Playbook) -> None:
    mention = MentionInput(
        "Encore 40 min de retard, bande de nazes",
        channel="whatsapp",
        author=AuthorProfile(tier="Or", vip=True, followers=12_000, verified=True),
        posted_at=MONDAY_MORNING - timedelta(minutes=17),
    )
    d = rail.decide(mention, now=MONDAY_MORNING)
    priority = next(e for e in d.evidence if e.kind == "priority")
    assert priority.explanation.startswith(f"Priorité {d.priority} = ")
    assert d.evidence is d.evidence  # built once
    assert d == rail.decide(mention, now=MONDAY_MORNING)


def test_a_scenario_with_several_findings_highlights_each_word_once() -> None:
    # A raw pattern (original offsets) and a keyword (mapped back) on the same words: the
    # scenario's line shows them once, each finding's line its own words, as triage stores it.
    pb = make(
        """
format: 1
scenarios:
  - id: urgent
    label: Urgent
    severity: S2
    when: {all: [{raw_pattern: 'URGENT'}, {keywords: [urgent, remboursement]}]}
"""
    )
    text = "C'est URGENT,   remboursement   svp"
    evidence = [e for e in pb.decide(MentionInput(text), now=MONDAY_MORNING, explain=True).evidence]
    scenario, pattern, keywords = (e for e in evidence if e.rule == "scenario:urgent")
    assert scenario.kind == "scenario"
    assert [text[a:b] for a, b in scenario.spans] == ["URGENT", "remboursement"]
    assert [text[a:b] for a, b in pattern.spans] == ["URGENT"]
    assert [text[a:b] for a, b in keywords.spans] == ["URGENT", "remboursement"]
    assert keywords.terms == ("urgent", "remboursement")
    stored = [e.to_dict() for e in evidence]
    assert stored[0]["spans"] == [list(s) for s in scenario.spans]
