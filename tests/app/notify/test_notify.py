"""Alerts leaving Vigie: SMTP, the local sink, webhook signatures; and the bell."""

from __future__ import annotations

import smtplib

import httpx
import pytest
import respx
from sqlmodel import select

from app.models import OutgoingMessage
from app.notify import Mail, SinkMailer, SmtpMailer, deliver_mail, deliver_webhook, sign, verify
from app.notify.mail import mailer_from_url
from app.services import notifications
from tests.app.portal_support import cast
from tests.conftest import login, post


class FakeSMTP:
    sent: list = []

    def __init__(self, host, port, timeout):
        self.host, self.port, self.calls = host, port, []

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def starttls(self):
        self.calls.append("starttls")

    def login(self, user, password):
        self.calls.append(("login", user, password))

    def send_message(self, message):
        FakeSMTP.sent.append((self.host, self.port, self.calls, message))


def test_smtp_url_is_parsed_and_the_mail_sent():
    FakeSMTP.sent = []
    mailer = SmtpMailer(
        "smtp://alerts:p%40ss@mail.test:2525?starttls=1", "vigie@agence.test", smtp_factory=FakeSMTP
    )
    mailer.send(Mail(to="garde@rail.test", subject="Urgent", body="Corps"))
    host, port, calls, message = FakeSMTP.sent[0]
    assert (host, port) == ("mail.test", 2525)
    assert calls == ["starttls", ("login", "alerts", "p@ss")]
    assert message["To"] == "garde@rail.test" and message["From"] == "vigie@agence.test"


def test_no_smtp_url_means_the_sink():
    assert isinstance(mailer_from_url(None), SinkMailer)
    assert isinstance(mailer_from_url("smtp://localhost:25"), SmtpMailer)
    with pytest.raises(ValueError):
        SmtpMailer("http://nope", "x@y")


@pytest.mark.db
def test_a_failing_smtp_server_is_recorded_not_raised(session):
    people = cast(session)

    class Down:
        transport = "smtp"

        def send(self, mail):
            raise smtplib.SMTPServerDisconnected("gone")

    row = deliver_mail(
        session=session, mailer=Down(), brand_id=people.brand.id, mail=Mail("a@b.test", "s", "b")
    )
    session.commit()
    assert row.status == "failed" and "gone" in row.error


def test_signature_is_hmac_sha256_of_the_body():
    body = b'{"event": "escalation.urgent"}'
    header = sign("k", body)
    assert header.startswith("sha256=") and len(header) == 7 + 64
    assert verify("k", body, header)
    assert not verify("k", body + b" ", header) and not verify("k", body, None)


@pytest.mark.db
def test_webhook_failure_is_stored(session):
    people = cast(session)
    with respx.mock() as router:
        router.post("https://hook.test/x").mock(return_value=httpx.Response(500))
        router.post("https://hook.test/down").mock(side_effect=httpx.ConnectError("refused"))
        bad = deliver_webhook(
            session=session,
            brand_id=people.brand.id,
            url="https://hook.test/x",
            secret="k",
            payload={"event": "e"},
        )
        down = deliver_webhook(
            session=session,
            brand_id=people.brand.id,
            url="https://hook.test/down",
            secret="k",
            payload={"event": "e"},
        )
    session.commit()
    assert (bad.status, bad.error) == ("failed", "HTTP 500")
    assert down.status == "failed" and "Serveur injoignable" in down.error


@pytest.mark.db
def test_bell_counts_unread_of_my_brands_and_mark_read(client, session):
    people = cast(session)
    notifications.notify(
        session=session,
        user_ids=[people.cm.id, people.cm.id],
        brand_id=people.brand.id,
        kind="approval_answered",
        text="Validée",
        link="/cases/1",
    )
    session.commit()
    assert client.get("/notifications/_badge").get_data(as_text=True) == ""
    login(client, "cm@agency.test")
    badge = client.get("/notifications/_badge").get_data(as_text=True)
    assert 'class="bell-count">1<' in badge and 'hx-trigger="every 30s' in badge
    assert "Validée" in client.get("/notifications").get_data(as_text=True)
    assert "notifications/_badge" in client.get("/").get_data(as_text=True)
    post(client, "/notifications/read")
    assert "bell-count" not in client.get("/notifications/_badge").get_data(as_text=True)


@pytest.mark.db
def test_mail_sink_page_is_for_admins_of_the_brand(app, client, session):
    from tests.factories import make_user

    people = cast(session)
    make_user(session, people.brand, "admin", email="admin@agency.test")
    session.add(
        OutgoingMessage(
            brand_id=people.brand.id,
            channel="email",
            transport="sink",
            recipient="garde@rail.test",
            subject="Escalade urgente",
            body="Lien /ack/xyz",
            status="stored",
        )
    )
    session.add(
        OutgoingMessage(
            brand_id=people.other.id,
            channel="email",
            transport="sink",
            recipient="x@shop.test",
            subject="Autre marque",
            body="",
            status="stored",
        )
    )
    session.commit()
    login(client, "owner@rail.test")
    assert client.get("/admin/mail").status_code == 403
    client = app.test_client()
    login(client, "admin@agency.test")
    html = client.get("/admin/mail").get_data(as_text=True)
    assert "Escalade urgente" in html and "Autre marque" not in html
    assert session.exec(select(OutgoingMessage)).all()
