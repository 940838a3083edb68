"""Delegation follows the corrected judgement, and a case's decision is its most serious mention's.

Issue 10: correcting a case to S4 left "agence répond seule" and the CM could still send
alone; a case opened by an S3 insult showed the explanation, suggested replies and approval
card of a later S1 timetable question.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from app.models import AuditEvent, Case, Escalation, Mention, Reply, Triage, utcnow
from app.security.secrets_box import SecretsBox
from app.services import brands, content, ingest, triage
from app.worker.outbox import send_due
from connectors import AuthorInfo, FetchedMention
from tests.conftest import TEST_ENCRYPTION_KEY, login, post
from tests.factories import account_for, make_brand, make_canned, make_case, make_user

pytestmark = pytest.mark.db
CLEAN = "Bonjour Jeanne, nous sommes désolés pour ce retard."

PLAYBOOK = """
format: 1
brand: rail
scenarios:
  - {id: horaires, label: Horaires, when: {keywords: [horaire]}, severity: S1,
     replies: [r.horaires]}
  - {id: insulte, label: Insulte, when: {keywords: [escrocs]}, severity: S3,
     categories: [insulte], replies: [r.apaisement]}
  - {id: detresse, label: "Détresse, menace de suicide", when: {keywords: [en finir]},
     severity: S4, categories: [detresse], replies: [r.ecoute]}
sla:
  minutes: {S1: 120, S2: 60, S3: 60, S4: 15}
  max_minutes: 240
"""


@pytest.fixture
def rail(session):
    return make_brand(session, slug="rail", name="Rail Azur")


@pytest.fixture
def cm(client, session, rail):
    user = make_user(session, rail, role="community_manager", email="cm@example.test")
    login(client, "cm@example.test")
    return user


@pytest.fixture
def lead_client(app, session, rail):
    make_user(session, rail, role="lead", email="lead@example.test")
    other = app.test_client()
    login(other, "lead@example.test")
    return other


def _actions(session, case) -> list[str]:
    return [
        e.action
        for e in session.exec(
            select(AuditEvent).where(AuditEvent.case_id == case.id).order_by(AuditEvent.id)
        )
    ]


def _event(session, case, action) -> AuditEvent:
    return session.exec(
        select(AuditEvent).where(AuditEvent.case_id == case.id, AuditEvent.action == action)
    ).one()


# --- A correction re-runs the delegation -----------------------------------------------------


def test_correction_to_s4_opens_the_urgent_escalation_and_refuses_a_lone_send(
    client, session, rail, cm
):
    case = make_case(session, rail, "Quels sont les horaires ?", severity="S1", scenario=None)
    before_priority = case.priority
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "agence répond seule" in page
    response = post(
        client,
        f"/cases/{case.id}/triage",
        {"severity": "S4", "scenario": "detresse", "reason": "il parle d'en finir"},
    )
    assert response.status_code == 302
    session.refresh(case)
    # Same path as an S4 at ingest: urgent, pinned, escalated, the brand told.
    assert (case.severity, case.action, case.approver) == ("S4", "escalate_urgent", "brand")
    assert case.pinned and case.status == "escalated" and case.involved_brand
    assert case.priority > before_priority
    mention = session.exec(select(Mention).where(Mention.case_id == case.id)).one()
    s4 = brands.deadlines(session=session, brand=rail).targets["S4"].minutes
    assert case.due_at == mention.posted_at + timedelta(minutes=s4)
    escalation = session.exec(select(Escalation).where(Escalation.case_id == case.id)).one()
    assert (escalation.urgency, escalation.state) == ("urgent", "open")
    event = _event(session, case, "triage.overridden")
    assert event.before["action"] == "reply" and event.after["action"] == "escalate_urgent"
    assert event.before["pinned"] is False and event.after["status"] == "escalated"
    assert "escalation.opened" in _actions(session, case)

    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "agence répond seule" not in page and "Escalade urgente" in page
    assert "Soumettre à la marque" in page and "Envoyer la réponse" not in page
    # A page left open before the correction still posts "send": the server refuses it.
    refused = post(client, f"/cases/{case.id}/reply", {"text": CLEAN, "action": "send"})
    assert refused.status_code == 422
    assert "demande une validation" in refused.get_data(as_text=True)
    assert session.exec(select(Reply)).all() == []


def test_correction_applies_the_published_playbook_delegation(client, session, rail, cm):
    content.save_playbook(session=session, brand=rail, source=PLAYBOOK, actor=None, publish=True)
    make_canned(session, rail, key="r.ecoute", title="Écoute et numéro d'aide", scenarios=[])
    make_canned(session, rail, key="r.horaires", title="Horaires en ligne", scenarios=[])
    case = make_case(
        session,
        rail,
        "Quels horaires ?",
        severity="S1",
        scenario="horaires",
        suggested=["r.horaires"],
    )
    post(
        client,
        f"/cases/{case.id}/triage",
        {"severity": "S4", "scenario": "detresse", "reason": "détresse"},
    )
    session.refresh(case)
    assert case.action == "escalate_urgent" and case.pinned
    override = session.exec(select(Triage).where(Triage.source == "override")).one()
    assert override.suggested_replies == ["r.ecoute"]
    assert override.evidence[0]["kind"] == "correction"
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "Écoute et numéro d&#39;aide" in page and "Horaires en ligne" not in page
    assert "corrigé à la main" in page


def test_lowering_an_urgent_case_takes_a_lead_and_a_reason(client, session, rail, cm, lead_client):
    case = make_case(session, rail, "Quels sont les horaires ?", severity="S1", scenario=None)
    post(client, f"/cases/{case.id}/triage", {"severity": "S4", "reason": "inquiétant"})
    session.refresh(case)
    assert case.action == "escalate_urgent"

    refused = post(
        client, f"/cases/{case.id}/triage", {"severity": "S1", "reason": "fausse alerte"}
    )
    assert refused.status_code == 403
    assert "Seul un superviseur" in refused.get_data(as_text=True)
    session.refresh(case)
    assert (case.severity, case.action, case.pinned) == ("S4", "escalate_urgent", True)

    no_reason = post(lead_client, f"/cases/{case.id}/triage", {"severity": "S1", "reason": ""})
    assert no_reason.status_code == 422
    session.refresh(case)
    assert case.severity == "S4"

    done = post(
        lead_client,
        f"/cases/{case.id}/triage",
        {"severity": "S1", "reason": "citation d'une chanson, vérifié"},
    )
    assert done.status_code == 302
    session.refresh(case)
    assert (case.severity, case.action, case.status, case.pinned) == ("S1", "reply", "open", False)
    # The on-call alert stops: the urgent escalation is withdrawn with the lead's reason.
    escalation = session.exec(select(Escalation).where(Escalation.case_id == case.id)).one()
    assert escalation.state == "handled"
    withdrawn = _event(session, case, "escalation.withdrawn")
    assert withdrawn.note == "citation d'une chanson, vérifié"
    assert withdrawn.actor_label == "lead@example.test"


def test_a_queued_reply_the_correction_forbids_goes_back_to_approval(
    app, client, session, rail, cm
):
    case = make_case(session, rail)
    client.get(f"/cases/{case.id}")
    post(client, f"/cases/{case.id}/reply", {"text": CLEAN, "action": "send"})
    reply = session.exec(select(Reply)).one()
    assert reply.outbox_state == "queued"
    client.get(f"/cases/{case.id}")
    post(client, f"/cases/{case.id}/triage", {"severity": "S3", "reason": "insulte cachée"})
    session.refresh(reply)
    session.refresh(case)
    assert (reply.approval_state, reply.approver_role, reply.outbox_state) == (
        "pending",
        "lead",
        "draft",
    )
    assert case.status == "pending_approval"
    assert "reply.held" in _actions(session, case)
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "en attente de validation (superviseur)" in page
    outcome = send_due(_engine(app), _box(), "worker-1")
    assert outcome.sent == 0 and outcome.failed == 0


def _engine(app):
    from app.extensions import get_engine

    with app.app_context():
        return get_engine()


def _box() -> SecretsBox:
    return SecretsBox(TEST_ENCRYPTION_KEY)


def test_the_outbox_holds_a_reply_the_case_no_longer_allows(app, session, rail):
    """A more serious mention arrived after the reply was queued: it goes to approval."""
    case = make_case(session, rail)
    mention = session.exec(select(Mention).where(Mention.case_id == case.id)).one()
    reply = Reply(
        brand_id=rail.id,
        case_id=case.id,
        mention_id=mention.id,
        text=CLEAN,
        outbox_state="queued",
        next_attempt_at=utcnow(),
        idempotency_key="held-by-outbox",
    )
    session.add(reply)
    case.action, case.approver, case.severity = "reply_with_approval", "brand", "S3"
    session.add(case)
    session.commit()
    outcome = send_due(_engine(app), _box(), "worker-1")
    assert (outcome.sent, outcome.failed) == (0, 0)
    session.expire_all()
    reply = session.get(Reply, reply.id)
    assert (reply.approval_state, reply.approver_role, reply.outbox_state) == (
        "pending",
        "brand",
        "draft",
    )
    held = session.exec(select(AuditEvent).where(AuditEvent.action == "reply.held")).one()
    assert held.actor_label == "worker"


def test_a_lead_approval_no_longer_suffices_once_the_case_is_urgent(client, session, rail, cm):
    case = make_case(session, rail, severity="S3", action="reply_with_approval", approver="lead")
    mention = session.exec(select(Mention).where(Mention.case_id == case.id)).one()
    approved = Reply(
        brand_id=rail.id,
        case_id=case.id,
        mention_id=mention.id,
        text=CLEAN,
        approval_state="approved",
        approver_role="lead",
        outbox_state="queued",
        idempotency_key="lead-approved",
    )
    session.add(approved)
    session.commit()
    post(client, f"/cases/{case.id}/triage", {"severity": "S4", "reason": "menace"})
    session.refresh(approved)
    assert (approved.approval_state, approved.approver_role, approved.outbox_state) == (
        "pending",
        "brand",
        "draft",
    )


# --- The most serious mention sets the decision ----------------------------------------------


def _fetched(external_id: str, text: str, minutes: int) -> FetchedMention:
    return FetchedMention(
        external_id=external_id,
        text=text,
        author=AuthorInfo(external_id="a-1", handle="jean"),
        posted_at=datetime(2026, 11, 30, 9, 0, tzinfo=UTC) + timedelta(minutes=minutes),
        url=None,
        lang="fr",
        channel="mastodon",
        thread_id="thread-1",
    )


def _ingest(session, account, *items: FetchedMention) -> None:
    ingest.store_mentions(session=session, account=account, items=list(items))
    session.commit()
    triage.triage_pending(session=session)
    session.commit()


def test_a_later_milder_mention_never_takes_over_the_case(app, client, session, rail, cm):
    content.save_playbook(session=session, brand=rail, source=PLAYBOOK, actor=None, publish=True)
    make_canned(session, rail, key="r.apaisement", title="Apaiser et recadrer", scenarios=[])
    make_canned(session, rail, key="r.horaires", title="Horaires en ligne", scenarios=[])
    account = account_for(session, rail.id, platform="mastodon")
    session.commit()
    _ingest(session, account, _fetched("m-1", "Bande d'escrocs, rendez l'argent", 0))
    _ingest(session, account, _fetched("m-2", "Et au fait, quel horaire demain ?", 5))
    case = session.exec(select(Case)).one()
    insult = session.exec(select(Mention).where(Mention.external_id == "m-1")).one()
    assert case.mention_count == 2
    assert (case.severity, case.scenario, case.action) == ("S3", "insulte", "reply_with_approval")

    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "Scénario « Insulte » (S3)" in page and "Scénario « Horaires »" not in page
    assert "Apaiser et recadrer" in page and "Horaires en ligne" not in page
    assert "Décision fixée par la mention de @jean" in page
    assert f'data-decisive-mention="{insult.id}"' in page

    # The approval card shows the insult, not the newer question.
    post(client, f"/cases/{case.id}/reply", {"text": CLEAN, "action": "submit"})
    make_user(session, rail, role="lead", email="lead@example.test")
    lead = app.test_client()
    login(lead, "lead@example.test")
    card = lead.get("/approvals").get_data(as_text=True)
    assert "Bande d&#39;escrocs" in card and "quel horaire demain" not in card
    session.refresh(case)
    assert case.decision_mention_id == insult.id
    assert case.excerpt.startswith("Bande d'escrocs")


def test_an_equally_serious_later_mention_keeps_the_first_as_decisive(client, session, rail, cm):
    content.save_playbook(session=session, brand=rail, source=PLAYBOOK, actor=None, publish=True)
    account = account_for(session, rail.id, platform="mastodon")
    session.commit()
    _ingest(session, account, _fetched("m-1", "quel horaire ?", 0))
    _ingest(session, account, _fetched("m-2", "un autre horaire ?", 1))
    _ingest(session, account, _fetched("m-3", "je veux en finir", 2))
    case = session.exec(select(Case)).one()
    first, _, distress = session.exec(select(Mention).order_by(Mention.id)).all()
    assert case.action == "escalate_urgent"
    _ingest(session, account, _fetched("m-4", "bande d'escrocs", 3))
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert f'data-decisive-mention="{distress.id}"' in page
    assert "Scénario « Détresse, menace de suicide » (S4)" in page
    session.refresh(case)
    assert case.decision_mention_id == distress.id and case.severity == "S4"
    assert case.scenario == "detresse"
    assert first.id != case.decision_mention_id


def test_merging_an_urgent_case_makes_the_target_urgent(client, session, rail, cm):
    calm = make_case(session, rail, "une question", severity="S1", scenario=None)
    urgent = make_case(
        session,
        rail,
        "je veux en finir",
        severity="S4",
        scenario="detresse",
        action="escalate_urgent",
        approver="brand",
        status="escalated",
        pinned=True,
    )
    session.add(Escalation(brand_id=rail.id, case_id=urgent.id, reason="S4", urgency="urgent"))
    session.commit()
    post(client, f"/cases/{calm.id}/merge", {"other_case_id": str(urgent.id)})
    session.refresh(calm)
    assert (calm.severity, calm.action, calm.status, calm.pinned) == (
        "S4",
        "escalate_urgent",
        "escalated",
        True,
    )
    distress = session.exec(select(Mention).where(Mention.text == "je veux en finir")).one()
    assert calm.decision_mention_id == distress.id
    escalation = session.exec(select(Escalation)).one()
    assert escalation.case_id == calm.id and escalation.state == "open"


def test_a_correction_racing_the_outbox_never_lets_the_held_reply_out(app, engine, session, rail):
    """The correction holds the reply while a worker tries to take it: one of them wins."""
    import threading

    from sqlmodel import Session

    from app.models import User
    from app.services import casework

    lead = make_user(session, rail, role="lead", email="lead@example.test")
    case = make_case(session, rail)
    mention = session.exec(select(Mention).where(Mention.case_id == case.id)).one()
    reply = Reply(
        brand_id=rail.id,
        case_id=case.id,
        mention_id=mention.id,
        text=CLEAN,
        outbox_state="queued",
        next_attempt_at=utcnow() - timedelta(seconds=1),
        idempotency_key="race",
    )
    session.add(reply)
    session.commit()

    first = Session(engine, expire_on_commit=False)
    casework.override_triage(
        session=first,
        case=first.get(Case, case.id),
        actor=first.get(User, lead.id),
        severity="S3",
        scenario=None,
        reason="insulte",
    )  # written, not committed: the reply row is held by this transaction
    outcome = {}

    def worker():
        outcome["result"] = send_due(engine, _box(), "worker-race")

    thread = threading.Thread(target=worker)
    thread.start()
    thread.join(timeout=1)  # the worker now waits on the correction's row or lock
    first.commit()
    first.close()
    thread.join(timeout=30)
    assert not thread.is_alive()
    assert outcome["result"].sent == 0
    session.expire_all()
    held = session.get(Reply, reply.id)
    assert (held.approval_state, held.outbox_state) == ("pending", "draft")


def test_splitting_the_urgent_mention_takes_its_escalation_along(client, session, rail, cm):
    case = make_case(session, rail, "quel horaire ?", severity="S1", scenario=None)
    post(client, f"/cases/{case.id}/triage", {"severity": "S4", "reason": "menace"})
    from tests.factories import add_mention

    calm = add_mention(session, case, "et le train de 8h ?")
    calm_triage = session.exec(select(Triage).where(Triage.mention_id == calm.id)).one()
    calm_triage.severity, calm_triage.action, calm_triage.approver = "S1", "reply", None
    session.add(calm_triage)
    session.commit()
    session.refresh(case)
    urgent_mention = session.get(Mention, case.decision_mention_id)
    response = post(client, f"/cases/{case.id}/mentions/{urgent_mention.id}/split")
    assert response.status_code == 302
    new_case = session.exec(select(Case).where(Case.id != case.id)).one()
    session.refresh(case)
    assert (new_case.action, new_case.status, new_case.pinned) == (
        "escalate_urgent",
        "escalated",
        True,
    )
    assert new_case.decision_mention_id == urgent_mention.id
    escalation = session.exec(select(Escalation)).one()
    assert escalation.case_id == new_case.id and escalation.state == "open"
    # The case keeps the calm mention and its own decision.
    assert case.decision_mention_id == calm.id and not case.pinned
    assert (case.severity, case.action, case.status) == ("S1", "reply", "open")


def test_a_held_reply_that_was_approved_gets_a_new_answer_clock(client, session, rail, cm):
    """The approver of a reply held back by a correction is told again, on a fresh deadline."""
    from app.models import AnswerClock, Notification
    from app.notify.mail import SinkMailer
    from app.services import alerts, answer_clocks

    owner = make_user(session, rail, role="brand_owner", email="owner@example.test")
    case = make_case(session, rail, severity="S3", action="reply_with_approval", approver="lead")
    mention = session.exec(select(Mention).where(Mention.case_id == case.id)).one()
    approved = Reply(
        brand_id=rail.id,
        case_id=case.id,
        mention_id=mention.id,
        text=CLEAN,
        approval_state="approved",
        approver_role="lead",
        outbox_state="queued",
        idempotency_key="approved-with-a-clock",
        created_at=utcnow() - timedelta(days=1),
    )
    session.add(approved)
    session.commit()
    ctx = alerts.AlertContext(
        mailer=SinkMailer(),
        box=SecretsBox(TEST_ENCRYPTION_KEY),
        secret_key="k",
        public_url="http://vigie.test",
    )
    # Its first clock ran while it waited for the lead, and stopped when the lead approved.
    session.add(
        AnswerClock(
            brand_id=rail.id,
            case_id=case.id,
            target_type="reply",
            target_id=approved.id,
            deadline_at=utcnow() - timedelta(hours=20),
            stopped_at=utcnow() - timedelta(hours=20),
        )
    )
    session.commit()

    post(client, f"/cases/{case.id}/triage", {"severity": "S4", "reason": "menace"})
    session.expire_all()  # the worker reads what the correction committed
    now = utcnow()
    answer_clocks.tick(session=session, ctx=ctx, now=now)
    session.commit()

    clock = session.exec(
        select(AnswerClock).where(
            AnswerClock.target_type == "reply", AnswerClock.target_id == approved.id
        )
    ).one()
    assert clock.stopped_at is None and clock.deadline_at > now
    asked = session.exec(
        select(Notification).where(
            Notification.user_id == owner.id, Notification.kind == "approval_requested"
        )
    ).all()
    assert len(asked) == 1
