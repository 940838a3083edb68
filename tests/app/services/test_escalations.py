"""Answer clocks, urgent alerts (mail sink + signed webhook), acknowledgement links, answers."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import httpx
import pytest
import respx
from sqlmodel import select

from app.models import (
    AnswerClock,
    AuditEvent,
    Brand,
    Case,
    Escalation,
    Notification,
    OutgoingMessage,
    Reply,
    utcnow,
)
from app.notify import SIGNATURE_HEADER, verify
from app.notify.mail import SinkMailer
from app.security.secrets_box import SecretsBox
from app.services import answer_clocks, answer_settings, escalations
from app.services.alerts import AlertContext
from app.services.answer_settings import ClockSettings
from app.services.escalations import AnswerForbidden
from app.worker.runner import Worker
from tests.app.portal_support import cast, open_escalation, pending_reply, scope
from tests.conftest import TEST_ENCRYPTION_KEY, csrf_token, login, post
from tests.factories import make_user

pytestmark = pytest.mark.db
HOOK = "https://hooks.rail.test/vigie"
SECRET = "s3cret-de-la-marque"


@pytest.fixture
def people(session):
    return cast(session)


def _configure(session, brand: Brand, actor, **changes) -> None:
    box = SecretsBox(TEST_ENCRYPTION_KEY)
    settings = ClockSettings(
        on_call=["astreinte@rail.test"],
        webhook_url=HOOK,
        webhook_secret_sealed=answer_settings.seal_webhook_secret(box, SECRET),
        **changes,
    )
    answer_settings.save_clock_settings(
        session=session, brand=brand, actor=actor, settings=settings, box=box
    )
    session.commit()


def _ctx() -> AlertContext:
    return AlertContext(
        mailer=SinkMailer(),
        box=SecretsBox(TEST_ENCRYPTION_KEY),
        secret_key="test-secret",
        public_url="http://vigie.test",
    )


def _notified(session, user) -> list[Notification]:
    return list(session.exec(select(Notification).where(Notification.user_id == user.id)))


def test_urgent_escalation_alerts_on_call_by_mail_and_signed_webhook(session, people):
    _configure(session, people.brand, people.owner)
    escalation = open_escalation(session, people.brand, None, urgency="urgent")
    with respx.mock() as router:
        route = router.post(HOOK).mock(return_value=httpx.Response(204))
        report = answer_clocks.tick(session=session, ctx=_ctx())
        session.commit()
    # E-mails to both owners, the lead and the on-call address, plus the webhook.
    assert report.started == 1 and report.alerts == 5
    request = route.calls.last.request
    assert verify(SECRET, request.content, request.headers[SIGNATURE_HEADER])
    assert not verify("wrong", request.content, request.headers[SIGNATURE_HEADER])
    payload = json.loads(request.content)
    assert payload["event"] == "escalation.urgent" and payload["case_id"] == escalation.case_id
    assert abs(payload["timestamp"] - int(request.headers["X-Vigie-Timestamp"])) <= 1
    mail = session.exec(
        select(OutgoingMessage).where(OutgoingMessage.recipient == "astreinte@rail.test")
    ).one()
    assert mail.status == "stored"
    assert "/ack/" in mail.body
    # Every brand owner is told at once for an urgent case.
    assert _notified(session, people.owner) and _notified(session, people.owner2)
    assert session.get(Escalation, escalation.id).ack_token_hash


def test_unacknowledged_urgent_alert_is_repeated_until_acknowledged(session, people):
    _configure(session, people.brand, people.owner, reminder_minutes={"normal": 60, "urgent": 5})
    escalation = open_escalation(session, people.brand, None, urgency="urgent")
    start = utcnow()
    with respx.mock() as router:
        router.post(HOOK).mock(return_value=httpx.Response(200))
        answer_clocks.tick(session=session, ctx=_ctx(), now=start)
        session.commit()
        # Deadline (15 min) passes: a re-alert, then again 5 minutes later, not before.
        later = escalation.created_at + timedelta(minutes=16)
        assert answer_clocks.tick(session=session, ctx=_ctx(), now=later).alerts == 5
        assert (
            answer_clocks.tick(session=session, ctx=_ctx(), now=later + timedelta(minutes=1)).alerts
            == 0
        )
        answer_clocks.acknowledge(session=session, escalation=escalation, via="test")
        assert (
            answer_clocks.tick(session=session, ctx=_ctx(), now=later + timedelta(minutes=6)).alerts
            == 0
        )
        session.commit()
    subjects = [
        m.subject
        for m in session.exec(
            select(OutgoingMessage).where(OutgoingMessage.recipient == "astreinte@rail.test")
        )
    ]
    assert len(subjects) == 2 and "[RELANCE]" in subjects[1] and "[RELANCE]" not in subjects[0]


def test_ack_link_asks_to_confirm_then_records_it(app, client, session, people):
    _configure(session, people.brand, people.owner)
    escalation = open_escalation(session, people.brand, None, urgency="urgent")
    with respx.mock() as router:
        router.post(HOOK).mock(return_value=httpx.Response(200))
        Worker(app).answer_clock.tick()
    mail = session.exec(
        select(OutgoingMessage).where(OutgoingMessage.recipient == "astreinte@rail.test")
    ).one()
    path = re.search(r"https?://[^/]+(/ack/[0-9a-f]+)", mail.body).group(1)
    page = client.get(path)
    assert page.status_code == 200 and "Je confirme" in page.get_data(as_text=True)
    session.expire_all()
    assert session.get(Escalation, escalation.id).acknowledged_at is None  # a GET does nothing
    assert client.post(path).status_code == 400  # CSRF-protected
    response = client.post(path, data={"csrf_token": csrf_token(client, path)})
    assert response.status_code == 200
    session.expire_all()
    assert session.get(Escalation, escalation.id).acknowledged_at is not None
    assert (
        session.exec(select(AuditEvent).where(AuditEvent.action == "escalation.acknowledged"))
        .one()
        .case_id
        == escalation.case_id
    )
    assert client.get("/ack/" + "0" * 64).status_code == 404


def test_approval_clock_reminds_then_falls_back_along_the_chain(session, people):
    _configure(
        session,
        people.brand,
        people.owner,
        owner_chain=[people.owner.id],
        lead_fallback=True,
        approval_minutes=120,
    )
    reply = pending_reply(session, people.brand, people.cm)
    answer_clocks.tick(session=session, ctx=_ctx())
    session.commit()
    assert [n.kind for n in _notified(session, people.owner)] == ["approval_requested"]
    assert _notified(session, people.owner2) == []
    # The lead may not stand in before the chain reaches him.
    from app.services import approvals

    assert not approvals.can_approve(session, reply, scope(session, people.lead))
    t = reply.created_at + timedelta(minutes=121)
    answer_clocks.tick(session=session, ctx=_ctx(), now=t)  # second owner joins
    assert [n.kind for n in _notified(session, people.owner2)] == ["fallback"]
    answer_clocks.tick(session=session, ctx=_ctx(), now=t + timedelta(minutes=61))  # the leads
    session.commit()
    assert [n.kind for n in _notified(session, people.lead)] == ["fallback"]
    assert approvals.can_approve(session, reply, scope(session, people.lead))
    approvals.approve(
        session=session, reply=reply, actor=people.lead, scope=scope(session, people.lead)
    )
    session.commit()
    clock = session.exec(select(AnswerClock).where(AnswerClock.target_id == reply.id)).one()
    assert clock.stopped_at is not None and clock.stage == 2
    actions = [e.action for e in session.exec(select(AuditEvent).order_by(AuditEvent.id))]
    assert actions.count("clock.fallback") == 2 and "reply.approved" in actions


def test_without_lead_fallback_the_lead_never_approves_a_brand_reply(session, people):
    _configure(session, people.brand, people.owner, lead_fallback=False)
    reply = pending_reply(session, people.brand, people.cm)
    for minutes in (0, 200, 400, 600):
        answer_clocks.tick(
            session=session, ctx=_ctx(), now=reply.created_at + timedelta(minutes=minutes)
        )
    from app.services import approvals

    assert not approvals.can_approve(session, reply, scope(session, people.lead))
    assert _notified(session, people.lead) == []


def test_brand_answers_with_instructions_and_the_cm_is_told(session, people):
    escalation = open_escalation(session, people.brand, people.cm)
    for actor in (people.cm, people.lead, people.other_owner):
        with pytest.raises(AnswerForbidden):
            escalations.answer(
                session=session,
                escalation=escalation,
                actor=actor,
                scope=scope(session, actor),
                text="x",
                kind="instructions",
            )
    escalations.answer(
        session=session,
        escalation=escalation,
        actor=people.owner,
        scope=scope(session, people.owner),
        text="Appelez le client.",
        kind="instructions",
    )
    session.commit()
    case = session.get(Case, escalation.case_id)
    assert escalation.state == "answered" and case.status == "open" and not case.pinned
    assert [n.kind for n in _notified(session, people.cm)] == ["escalation_answered"]
    timeline = [
        e.action for e in session.exec(select(AuditEvent).where(AuditEvent.case_id == case.id))
    ]
    assert "escalation.answered" in timeline


def test_brand_answers_with_a_reply_text_that_is_queued_approved(session, people):
    escalation = open_escalation(session, people.brand, people.cm)
    reply = escalations.answer(
        session=session,
        escalation=escalation,
        actor=people.owner,
        scope=scope(session, people.owner),
        text="Nous vous appelons dans l'heure.",
        kind="reply",
    )
    session.commit()
    stored = session.get(Reply, reply.id)
    assert stored.outbox_state == "queued" and stored.approval_state == "approved"
    assert stored.approved_by_id == people.owner.id


def test_portal_answer_and_handled_over_http(client, session, people):
    first = open_escalation(session, people.brand, people.cm)
    second = open_escalation(session, people.brand, people.cm)
    login(client, "owner@rail.test")
    page = client.get(f"/portal?brand={people.brand.id}").get_data(as_text=True)
    assert f"escalation-{first.id}" in page and "Détresse" in page
    response = post(
        client,
        f"/portal/escalations/{first.id}/answer",
        {"kind": "instructions", "text": "Proposez un rappel."},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200 and 'data-state="answered"' in response.get_data(
        as_text=True
    )
    assert post(client, f"/portal/escalations/{second.id}/handled").status_code == 302
    session.expire_all()
    assert session.get(Escalation, second.id).state == "handled"


def test_escalation_answer_refused_over_http_to_another_brand(client, session, people):
    escalation = open_escalation(session, people.brand, people.cm)
    login(client, "owner@shop.test")
    response = post(client, f"/portal/escalations/{escalation.id}/answer", {"text": "x"})
    assert response.status_code == 404


def test_settings_change_is_audited_and_the_secret_never_shown(client, session, people):
    login(client, "owner@rail.test")
    response = post(
        client,
        f"/portal/settings?brand={people.brand.id}",
        {
            "approval_minutes": "30",
            "escalation_normal": "240",
            "escalation_urgent": "10",
            "reminder_normal": "60",
            "reminder_urgent": "5",
            "on_call": "garde@rail.test",
            "webhook_url": HOOK,
            "webhook_secret": "tres-secret",
            "lead_fallback": "1",
        },
    )
    assert response.status_code == 302
    session.expire_all()
    settings = answer_settings.clock_settings(session.get(Brand, people.brand.id))
    assert settings.approval_minutes == 30 and settings.on_call == ["garde@rail.test"]
    assert settings.lead_fallback and settings.escalation_minutes["urgent"] == 10
    event = session.exec(
        select(AuditEvent).where(AuditEvent.action == "brand.alert_settings_changed")
    ).one()
    assert "tres-secret" not in json.dumps(event.after)
    page = client.get(f"/portal/settings?brand={people.brand.id}").get_data(as_text=True)
    assert "tres-secret" not in page
    bad = post(client, f"/portal/settings?brand={people.brand.id}", {"approval_minutes": "abc"})
    assert bad.status_code == 422


def test_a_brand_reply_with_mistakes_is_refused_until_fixed_or_overridden(client, session, people):
    escalation = open_escalation(session, people.brand, people.cm)
    login(client, "owner@rail.test")
    response = post(
        client,
        f"/portal/escalations/{escalation.id}/answer",
        {"kind": "reply", "text": "Nous somme désolé pour ce retard."},
        headers={"HX-Request": "true"},
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 422 and "Relecture" in body
    assert "Nous somme désolé pour ce retard." in body  # the text is kept for fixing
    session.expire_all()
    assert session.get(Escalation, escalation.id).state == "open"
    response = post(
        client,
        f"/portal/escalations/{escalation.id}/answer",
        {
            "kind": "reply",
            "text": "Nous somme désolé pour ce retard.",
            "override_reason": "citation exacte du client",
        },
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    reply = session.exec(select(Reply).where(Reply.case_id == escalation.case_id)).one()
    assert reply.proofreading_override == "citation exacte du client"


def test_the_author_of_a_reply_is_never_asked_to_approve_it(session, people):
    """A lead who wrote a lead-approved reply is not in its approvers' bell, first or later."""
    other_lead = make_user(session, people.brand, "lead", email="lead2@agency.test")
    reply = pending_reply(session, people.brand, people.lead, approver="lead")
    answer_clocks.tick(session=session, ctx=_ctx())
    answer_clocks.tick(session=session, ctx=_ctx(), now=reply.created_at + timedelta(hours=3))
    session.commit()
    assert _notified(session, people.lead) == []
    kinds = [n.kind for n in _notified(session, other_lead)]
    assert kinds and kinds[0] == "approval_requested"
