"""Urgent alerts reach people and say truthfully whom they reached (issue 10).

E-mail goes through a real SMTP server (aiosmtpd) on a loopback port; Slack and Teams
incoming webhooks are answered like the real services (Slack: 200 "ok", Teams: 202).
"""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from datetime import timedelta
from email import message_from_bytes, policy

import httpx
import pytest
import respx
from aiosmtpd.controller import Controller
from sqlmodel import select

from app.models import (
    AlertDelivery,
    AuditEvent,
    Case,
    Escalation,
    Notification,
    OutgoingMessage,
    ShiftState,
)
from app.notify.mail import SmtpMailer
from app.security.outbound import OutboundURLError, check_outbound_url
from app.security.secrets_box import SecretsBox
from app.services import answer_clocks, answer_settings, shifts
from app.services.alerts import AlertContext
from app.services.answer_settings import ClockSettings
from tests.app.portal_support import cast, open_escalation
from tests.conftest import TEST_ENCRYPTION_KEY, csrf_token, login, post
from tests.factories import make_brand, make_user

pytestmark = pytest.mark.db
SLACK = "https://hooks.slack.test/services/T000/B000/XXXX"
TEAMS = "https://rail.webhook.office.test/webhookb2/abc"
HOOK = "https://hooks.rail.test/vigie"


class Inbox:
    """What the SMTP server received: (envelope recipients, parsed message)."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], object]] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(
            (list(envelope.rcpt_tos), message_from_bytes(envelope.content, policy=policy.default))
        )
        return "250 Message accepted for delivery"

    def to(self) -> set[str]:
        return {r for rcpts, _ in self.messages for r in rcpts}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, str]]:
    """A real SMTP server on a loopback port for the duration of one test."""
    inbox = Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, f"smtp://127.0.0.1:{port}"
    finally:
        controller.stop()


@pytest.fixture
def people(session):
    return cast(session)


def _configure(session, brand, actor, **changes) -> None:
    box = SecretsBox(TEST_ENCRYPTION_KEY)
    values = {
        "on_call": ["astreinte@rail.test"],
        "webhook_url": HOOK,
        "webhook_secret_sealed": answer_settings.seal_webhook_secret(box, "secret"),
        "slack_url": SLACK,
        "teams_url": TEAMS,
        **changes,
    }
    answer_settings.save_clock_settings(
        session=session, brand=brand, actor=actor, settings=ClockSettings(**values), box=box
    )
    session.commit()


def _ctx(smtp_url: str) -> AlertContext:
    return AlertContext(
        mailer=SmtpMailer(smtp_url, "vigie@agence.test"),
        box=SecretsBox(TEST_ENCRYPTION_KEY),
        secret_key="test-secret",
        public_url="http://vigie.test",
    )


def _closed_port_url() -> str:
    return f"smtp://127.0.0.1:{_free_port()}"  # nothing listens there: connection refused


def _actions(session, case_id) -> list[str]:
    return [
        e.action
        for e in session.exec(
            select(AuditEvent).where(AuditEvent.case_id == case_id).order_by(AuditEvent.id)
        )
    ]


def test_urgent_alert_reaches_owners_leads_and_cms_on_shift_on_every_channel(
    client, session, people, smtp
):
    inbox, url = smtp
    resting = make_user(session, people.brand, "community_manager", email="repos@agency.test")
    shifts.set_on_shift(session=session, user=people.cm, on_shift=True)
    session.commit()
    _configure(session, people.brand, people.owner)
    escalation = open_escalation(session, people.brand, None, urgency="urgent")
    with respx.mock() as router:
        slack = router.post(SLACK).mock(return_value=httpx.Response(200, text="ok"))
        teams = router.post(TEAMS).mock(return_value=httpx.Response(202))
        hook = router.post(HOOK).mock(return_value=httpx.Response(204))
        answer_clocks.tick(session=session, ctx=_ctx(url))
        session.commit()
    # The mails really arrived at the SMTP server, one per person and the on-call address.
    assert inbox.to() == {
        "owner@rail.test",
        "owner2@rail.test",
        "lead@agency.test",
        "cm@agency.test",
        "astreinte@rail.test",
    }
    assert resting.email not in inbox.to()
    message = inbox.messages[0][1]
    assert "Escalade urgente" in message["Subject"] and "/ack/" in message.get_content()
    # Slack's format is {"text": …}; Teams gets a message carrying an Adaptive Card.
    slack_body = json.loads(slack.calls.last.request.content)
    assert set(slack_body) == {"text"} and f"cas n° {escalation.case_id}" in slack_body["text"]
    card = json.loads(teams.calls.last.request.content)
    assert card["type"] == "message"
    attachment = card["attachments"][0]
    assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
    assert attachment["content"]["type"] == "AdaptiveCard"
    assert any("/ack/" in a["url"] for a in attachment["content"]["actions"])
    assert hook.called
    deliveries = session.exec(select(AlertDelivery)).all()
    by_channel = {(d.channel, d.recipient) for d in deliveries if d.status == "delivered"}
    assert ("console", "cm@agency.test") in by_channel
    assert ("email", "lead@agency.test") in by_channel
    assert {"slack", "teams", "webhook"} <= {c for c, _ in by_channel}
    assert all(d.status == "delivered" for d in deliveries)
    # The timeline says who was reached, by which channel.
    assert "escalation.alerted" in _actions(session, escalation.case_id)
    login(client, "lead@agency.test")
    page = client.get(f"/cases/{escalation.case_id}").get_data(as_text=True)
    assert "e-mail à cm@agency.test délivré" in page and "Slack délivré" in page
    assert "XXXX" not in page  # the Slack URL is a credential: only its host is shown
    # The case is pinned on top of the agency's queue while the brand handles it.
    assert session.get(Case, escalation.case_id).pinned


def test_failing_channels_are_recorded_with_why_and_reported_not_logged_as_alerted(
    app, client, session, people
):
    admin = make_user(session, people.brand, "admin", email="admin@agency.test")
    _configure(session, people.brand, people.owner)
    escalation = open_escalation(session, people.brand, None, urgency="urgent")
    with respx.mock() as router:
        router.post(SLACK).mock(return_value=httpx.Response(404, text="no_service"))
        router.post(TEAMS).mock(side_effect=httpx.ConnectError("refused"))
        router.post(HOOK).mock(return_value=httpx.Response(500))
        answer_clocks.tick(session=session, ctx=_ctx(_closed_port_url()))
        session.commit()
    actions = _actions(session, escalation.case_id)
    assert "escalation.alert_failed" in actions and "escalation.alerted" not in actions
    failed = {
        d.channel: d.error for d in session.exec(select(AlertDelivery)) if d.status == "failed"
    }
    assert failed["slack"] == "HTTP 404" and "Serveur injoignable" in failed["teams"]
    assert failed["webhook"] == "HTTP 500" and "ConnectionRefused" in failed["email"]
    # Admins and leads hear of it at once: in the bell and in the banner of every page.
    for user in (admin, people.lead):
        kinds = [
            n.kind
            for n in session.exec(select(Notification).where(Notification.user_id == user.id))
        ]
        assert "alert_failed" in kinds
    login(client, "admin@agency.test")
    banner = client.get("/alerts/_banner").get_data(as_text=True)
    assert "ÉCHEC de l'alerte urgente" in banner and "Slack échec : HTTP 404" in banner
    page = client.get(f"/cases/{escalation.case_id}").get_data(as_text=True)
    assert "Slack échec : HTTP 404" in page


def test_an_alert_with_nobody_to_reach_is_an_error_for_the_admins(client, session):
    brand = make_brand(session, slug="seule", name="Seule")
    make_user(session, brand, "admin", email="admin@seule.test")
    make_user(session, brand, "community_manager", email="cm@seule.test")  # off shift
    escalation = open_escalation(session, brand, None, urgency="urgent")
    answer_clocks.tick(session=session, ctx=_ctx(_closed_port_url()))
    session.commit()
    rows = session.exec(select(AlertDelivery)).all()
    assert [(r.channel, r.status, r.error) for r in rows] == [
        ("none", "failed", "aucun destinataire")
    ]
    event = session.exec(
        select(AuditEvent).where(AuditEvent.action.like("escalation.%alert%"))  # type: ignore[attr-defined]
    ).one()
    assert event.action == "escalation.alert_failed" and event.after["recipients"] == 0
    login(client, "admin@seule.test")
    banner = client.get("/alerts/_banner").get_data(as_text=True)
    assert f"cas n° {escalation.case_id}" in banner and "aucun destinataire" in banner
    client2 = client.application.test_client()
    login(client2, "cm@seule.test")
    assert "urgent-item" not in client2.get("/alerts/_banner").get_data(as_text=True)


def test_console_banner_on_every_page_and_acknowledging_stops_re_notification(
    app, client, session, people, smtp
):
    inbox, url = smtp
    _configure(session, people.brand, people.owner, slack_url="", teams_url="", webhook_url="")
    escalation = open_escalation(session, people.brand, None, urgency="urgent")
    login(client, "lead@agency.test")
    assert "/alerts/_banner" in client.get("/").get_data(as_text=True)
    assert "/alerts/_banner" in client.get("/queue").get_data(as_text=True)
    banner = client.get("/alerts/_banner").get_data(as_text=True)
    assert f"/cases/{escalation.case_id}" in banner and "J'ai vu, je prends" in banner
    assert 'hx-trigger="every 10s"' in banner
    # Another brand's owner and a CM off shift are not alerted.
    other = app.test_client()
    login(other, "owner@shop.test")
    assert "urgent-item" not in other.get("/alerts/_banner").get_data(as_text=True)
    cm = app.test_client()
    login(cm, "cm@agency.test")
    assert "urgent-item" not in cm.get("/alerts/_banner").get_data(as_text=True)
    post(cm, "/shift", {"action": "start"})
    assert "urgent-item" in cm.get("/alerts/_banner").get_data(as_text=True)
    # The brand owner's banner leads to the portal.
    owner = app.test_client()
    login(owner, "owner@rail.test")
    assert f"#escalation-{escalation.id}" in owner.get("/alerts/_banner").get_data(as_text=True)

    start = escalation.created_at
    ctx = _ctx(url)
    answer_clocks.tick(session=session, ctx=ctx, now=start)
    session.commit()
    later = start + timedelta(minutes=16)
    assert answer_clocks.tick(session=session, ctx=ctx, now=later).alerts > 0  # re-notified
    session.commit()
    before = len(inbox.messages)

    ack = f"/alerts/{escalation.id}/ack"
    assert client.post(ack).status_code == 400  # CSRF
    response = client.post(
        ack, data={"csrf_token": csrf_token(client, "/")}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200 and "urgent-item" not in response.get_data(as_text=True)
    session.expire_all()
    assert session.get(Escalation, escalation.id).acknowledged_at is not None
    event = session.exec(
        select(AuditEvent).where(AuditEvent.action == "escalation.acknowledged")
    ).one()
    assert event.actor_id == people.lead.id
    assert "urgent-item" not in owner.get("/alerts/_banner").get_data(as_text=True)
    # Nobody is re-alerted after that, by any channel.
    for minutes in (22, 40, 90):
        report = answer_clocks.tick(
            session=session, ctx=ctx, now=start + timedelta(minutes=minutes)
        )
        assert report.alerts == 0
    session.commit()
    assert len(inbox.messages) == before
    assert (
        client.post(
            f"/alerts/{escalation.id + 999}/ack", data={"csrf_token": csrf_token(client, "/")}
        ).status_code
        == 404
    )
    assert other.post(ack, data={"csrf_token": csrf_token(other, "/")}).status_code == 404


def test_a_community_manager_takes_and_ends_a_shift_from_the_header(app, client, session, people):
    login(client, "cm@agency.test")
    page = client.get("/").get_data(as_text=True)
    assert "Je prends mon service" in page and 'data-testid="off-shift"' in page
    response = post(client, "/shift", {"action": "start", "next": "/queue"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/queue")
    assert "Je termine mon service" in client.get("/").get_data(as_text=True)
    assert shifts.on_shift_user_ids(session=session, brand_id=people.brand.id) == [people.cm.id]
    post(client, "/shift", {"action": "end", "next": "https://evil.test/"})
    session.expire_all()
    state = session.exec(select(ShiftState)).one()
    assert state.on_shift is False and state.changed_at is not None
    assert [
        e.action
        for e in session.exec(
            select(AuditEvent).where(AuditEvent.action.like("shift.%")).order_by(AuditEvent.id)  # type: ignore[attr-defined]
        )
    ] == ["shift.started", "shift.ended"]
    assert post(client, "/shift", {"action": "dance"}).status_code == 400
    lead = app.test_client()
    login(lead, "lead@agency.test")
    assert "Je prends mon service" not in lead.get("/").get_data(as_text=True)
    assert post(lead, "/shift", {"action": "start"}).status_code == 403


def test_outbound_urls_are_https_only_unless_private_urls_are_allowed():
    assert check_outbound_url(" https://hooks.slack.com/services/x ") == (
        "https://hooks.slack.com/services/x"
    )
    for bad in (
        "http://hooks.slack.com/x",
        "ftp://x.test/",
        "https://user:pw@x.test/",
        "https://127.0.0.1/hook",
        "https://10.0.0.8/hook",
        "http://127.0.0.1:8080/hook",
        "https://",
        "https://x.test:99999/",
    ):
        with pytest.raises(OutboundURLError):
            check_outbound_url(bad)
    assert check_outbound_url("http://127.0.0.1:8080/hook", allow_private=True)
    with pytest.raises(OutboundURLError):
        check_outbound_url("http://10.0.0.8/hook", allow_private=True)


def test_brand_settings_take_slack_and_teams_urls_and_never_show_them(app, client, session, people):
    login(client, "owner@rail.test")
    path = f"/portal/settings?brand={people.brand.id}"
    bad = post(client, path, {"slack_url": "http://hooks.slack.com/services/T/B/secret"})
    assert bad.status_code == 422 and "https://" in bad.get_data(as_text=True)
    ok = post(client, path, {"slack_url": SLACK, "teams_url": TEAMS})
    assert ok.status_code == 302
    session.expire_all()
    from app.models import Brand

    settings = answer_settings.clock_settings(session.get(Brand, people.brand.id))
    assert (settings.slack_url, settings.teams_url) == (SLACK, TEAMS)
    page = client.get(path).get_data(as_text=True)
    assert "XXXX" not in page and "hooks.slack.test" in page
    event = session.exec(
        select(AuditEvent).where(AuditEvent.action == "brand.alert_settings_changed")
    ).one()
    assert "XXXX" not in json.dumps(event.after)
    # Empty keeps the stored URL; the checkbox removes it.
    post(client, path, {"teams_url": ""})
    post(client, path, {"slack_url_clear": "1"})
    session.expire_all()
    settings = answer_settings.clock_settings(session.get(Brand, people.brand.id))
    assert (settings.slack_url, settings.teams_url) == ("", TEAMS)
    # Loopback hooks only where the deployment allows them (tests, a lab).
    assert post(client, path, {"slack_url": "http://127.0.0.1:9/hook"}).status_code == 422
    app.config["VIGIE_ALLOW_PRIVATE_URLS"] = True
    assert post(client, path, {"slack_url": "http://127.0.0.1:9/hook"}).status_code == 302


def _ack_race(app, escalation_id: int, user_id: int, barrier: threading.Barrier, out: list):
    from sqlmodel import Session

    from app.models import User
    from app.services import alerts

    engine = app.extensions["vigie_engine"]
    with Session(engine) as s:
        escalation = s.get(Escalation, escalation_id)
        user = s.get(User, user_id)
        barrier.wait()
        out.append(alerts.acknowledge(session=s, escalation=escalation, actor=user, via="console"))
        s.commit()


def test_two_people_acknowledging_at_once_record_one_acknowledgement(app, session, people):
    escalation = open_escalation(session, people.brand, None, urgency="urgent")
    barrier = threading.Barrier(2)
    out: list[bool] = []
    threads = [
        threading.Thread(target=_ack_race, args=(app, escalation.id, u.id, barrier, out))
        for u in (people.lead, people.owner)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(out) == [False, True]
    events = session.exec(
        select(AuditEvent).where(AuditEvent.action == "escalation.acknowledged")
    ).all()
    assert len(events) == 1


def _shift_race(app, user_id: int, barrier: threading.Barrier, errors: list) -> None:
    from sqlmodel import Session

    from app.models import User

    with Session(app.extensions["vigie_engine"]) as s:
        user = s.get(User, user_id)
        barrier.wait()
        try:
            shifts.set_on_shift(session=s, user=user, on_shift=True)
            s.commit()
        except Exception as exc:  # the test reports any failure
            errors.append(exc)


def test_two_tabs_starting_the_same_shift_at_once_make_one_state(app, session, people):
    barrier = threading.Barrier(2)
    errors: list[Exception] = []
    threads = [
        threading.Thread(target=_shift_race, args=(app, people.cm.id, barrier, errors))
        for _ in range(2)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert errors == []
    states = session.exec(select(ShiftState)).all()
    assert [(s.user_id, s.on_shift) for s in states] == [(people.cm.id, True)]
    assert shifts.on_shift_user_ids(session=session, brand_id=people.brand.id) == [people.cm.id]


def test_the_worker_mails_through_vigie_smtp_url_out_of_the_box(
    app, session, people, smtp, tmp_path
):
    """Only the documented environment variables: the worker's alerts arrive at the server."""
    from app import create_app
    from app.config import Settings
    from app.worker.runner import Worker

    inbox, url = smtp
    settings = Settings.from_env(
        {
            "VIGIE_INSTANCE_PATH": str(tmp_path),
            "VIGIE_DATABASE_URL": app.config["VIGIE_DATABASE_URL"],
            "VIGIE_SECRET_KEY": "test-secret",
            "VIGIE_ENCRYPTION_KEY": TEST_ENCRYPTION_KEY,
            "VIGIE_SMTP_URL": url,
            "VIGIE_MAIL_FROM": "alertes@agence.test",
        }
    )
    configured = create_app({"TESTING": True}, settings=settings)
    configured.extensions["vigie_engine"].dispose()
    configured.extensions["vigie_engine"] = app.extensions["vigie_engine"]
    _configure(session, people.brand, people.owner, slack_url="", teams_url="", webhook_url="")
    escalation = open_escalation(session, people.brand, None, urgency="urgent")
    Worker(configured).answer_clock.tick()
    assert "astreinte@rail.test" in inbox.to() and "owner@rail.test" in inbox.to()
    assert {str(m["From"]) for _, m in inbox.messages} == {"alertes@agence.test"}
    session.expire_all()
    actions = _actions(session, escalation.case_id)
    assert "escalation.alerted" in actions and "escalation.alert_failed" not in actions


def test_the_demo_inbox_counts_as_delivered_but_a_plain_sink_does_not(session, people):
    """`vigie demo` without SMTP mails into /admin/mail, the demo's inbox; an install without
    SMTP reaches nobody by e-mail and says so."""
    from app.notify.mail import DemoInboxMailer, SinkMailer, mailer_from_url

    assert isinstance(mailer_from_url(None, demo=True), DemoInboxMailer)
    assert isinstance(mailer_from_url(None), SinkMailer)
    _configure(session, people.brand, people.owner, webhook_url="", slack_url="", teams_url="")
    first = open_escalation(session, people.brand, None, urgency="urgent")
    ctx = _ctx("smtp://unused:25")
    ctx.mailer = SinkMailer()
    answer_clocks.tick(session=session, ctx=ctx)
    session.commit()
    assert "escalation.alert_failed" in _actions(session, first.case_id)
    second = open_escalation(session, people.brand, None, urgency="urgent")
    ctx.mailer = DemoInboxMailer()
    answer_clocks.tick(session=session, ctx=ctx)
    session.commit()
    actions = _actions(session, second.case_id)
    assert "escalation.alerted" in actions and "escalation.alert_failed" not in actions
    mails = session.exec(
        select(OutgoingMessage).where(OutgoingMessage.escalation_id == second.id)
    ).all()
    assert mails and {m.status for m in mails} == {"sent"}
    assert {m.transport for m in mails} == {"demo-inbox"}
