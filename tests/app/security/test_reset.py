"""Password reset by e-mail (through a real SMTP server on loopback) and the password rules."""

from __future__ import annotations

import re
import socket
import threading
from collections.abc import Iterator
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from sqlmodel import select

from app.models import AuditEvent, User
from app.security import reset
from app.security.passwords import common_passwords, password_problem
from tests.conftest import csrf_token, login, post
from tests.factories import make_brand, make_user

pytestmark = pytest.mark.db

NEW_PASSWORD = "vélo rouge sur le quai"


class Inbox:
    def __init__(self) -> None:
        self.messages: list = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"


@pytest.fixture
def smtp(app) -> Iterator[Inbox]:
    """A real SMTP server on a loopback port, set as the app's VIGIE_SMTP_URL."""
    inbox = Inbox()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    app.config["VIGIE_SMTP_URL"] = f"smtp://127.0.0.1:{port}"
    try:
        yield inbox
    finally:
        controller.stop()


def _forgot(client, email: str):
    return client.post(
        "/password/forgot",
        data={"email": email, "csrf_token": csrf_token(client, "/password/forgot")},
        follow_redirects=True,
    )


def _link(message) -> str:
    body = message.get_body(preferencelist=("plain",)).get_content()
    match = re.search(r"http://[^\s]+/password/reset/([^\s]+)", body)
    assert match, body
    return "/password/reset/" + match.group(1)


def _set(client, path: str, password: str, confirm: str | None = None):
    return client.post(
        path,
        data={
            "password": password,
            "confirm": password if confirm is None else confirm,
            "csrf_token": csrf_token(client, path),
        },
    )


def test_login_page_links_to_password_reset(client):
    assert "/password/forgot" in client.get("/login").get_data(as_text=True)


def test_reset_by_email_sets_a_new_password_once_and_ends_other_sessions(
    app, client, session, smtp
):
    user = make_user(session, make_brand(session), email="cm@example.test")
    other_device = app.test_client()
    login(other_device, "cm@example.test")

    page = _forgot(client, "CM@example.test ").get_data(as_text=True)
    assert "Si un compte existe pour cette adresse" in page
    assert len(smtp.messages) == 1
    message = smtp.messages[0]
    assert message["To"] == "cm@example.test"
    assert "30 minutes" in message.get_body(preferencelist=("plain",)).get_content()
    link = _link(message)

    assert client.get(link).status_code == 200
    response = _set(client, link, NEW_PASSWORD)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/login")

    # The new password works, the old one does not, the other device is logged out.
    login(client, "cm@example.test", NEW_PASSWORD)
    assert other_device.get("/queue").status_code == 302
    # Single use: the same link is dead now, for reading and for writing.
    assert client.get(link).status_code == 410
    assert _set(client, link, "encore un autre mot de passe").status_code == 410
    session.expire_all()
    assert session.get(User, user.id).session_version == 2  # bumped once, by the reset
    actions = set(session.exec(select(AuditEvent.action)).all())
    assert {"auth.password_reset_requested", "auth.password_reset"} <= actions


def test_unknown_address_gets_the_same_answer_and_no_mail(client, session, smtp):
    make_user(session, make_brand(session), email="cm@example.test")
    known = _forgot(client, "cm@example.test")
    unknown = _forgot(client, "nobody@example.test")
    assert known.status_code == unknown.status_code == 200

    def message(response) -> str:
        return re.search(r'class="flash[^"]*">([^<]+)<', response.get_data(as_text=True)).group(1)

    assert message(known) == message(unknown)
    assert [m["To"] for m in smtp.messages] == ["cm@example.test"]


def test_deactivated_user_gets_no_link(client, session, smtp):
    from app.services import users

    user = make_user(session, make_brand(session), email="gone@example.test")
    users.set_active(session=session, user=user, active=False, actor=None)
    session.commit()
    _forgot(client, "gone@example.test")
    assert smtp.messages == []


def test_link_expires_after_30_minutes(app, session):
    user = make_user(session, make_brand(session), email="cm@example.test")
    token = reset.make_token(user, secret_key="test-secret")
    assert reset.user_for_token(session=session, token=token, secret_key="test-secret") == user
    assert (
        reset.user_for_token(session=session, token=token, secret_key="test-secret", max_age=-1)
        is None
    )
    assert reset.RESET_MAX_AGE_SECONDS == 30 * 60


def test_link_dies_when_the_password_changes_another_way(client, session, smtp):
    from app.services import users

    user = make_user(session, make_brand(session), email="cm@example.test")
    _forgot(client, "cm@example.test")
    link = _link(smtp.messages[0])
    users.set_password(session=session, user=user, password="changé par un admin", actor=None)
    session.commit()
    page = client.get(link)
    assert page.status_code == 410
    assert "plus valable" in page.get_data(as_text=True)


def test_tampered_or_garbage_token_is_refused(client, session, smtp):
    make_user(session, make_brand(session), email="cm@example.test")
    _forgot(client, "cm@example.test")
    link = _link(smtp.messages[0])
    assert client.get(link[:-3] + "abc").status_code == 410
    assert client.get("/password/reset/%C2%B2").status_code == 410
    assert client.get("/password/reset/" + "a" * 5000).status_code == 410


def test_reset_refuses_a_common_password_and_keeps_the_link_usable(client, session, smtp):
    make_user(session, make_brand(session), email="cm@example.test")
    _forgot(client, "cm@example.test")
    link = _link(smtp.messages[0])
    refused = _set(client, link, "azertyuiop")
    assert refused.status_code == 422
    assert "les plus courants" in refused.get_data(as_text=True)
    short = _set(client, link, "court")
    assert "au moins 8 caractères" in short.get_data(as_text=True)
    mismatch = _set(client, link, NEW_PASSWORD, confirm="autre chose encore")
    assert "pas identiques" in mismatch.get_data(as_text=True)
    assert _set(client, link, NEW_PASSWORD).status_code == 302


def test_two_uses_of_one_link_at_once_change_the_password_once(app, session, smtp, client):
    make_user(session, make_brand(session), email="cm@example.test")
    _forgot(client, "cm@example.test")
    link = _link(smtp.messages[0])
    clients = [app.test_client() for _ in range(4)]
    tokens = [csrf_token(c, link) for c in clients]
    barrier = threading.Barrier(len(clients))
    statuses: list[int] = []

    def use(c, token: str, n: int) -> None:
        barrier.wait()
        response = c.post(
            link,
            data={
                "password": f"{NEW_PASSWORD} {n}",
                "confirm": f"{NEW_PASSWORD} {n}",
                "csrf_token": token,
            },
        )
        statuses.append(response.status_code)

    threads = [
        threading.Thread(target=use, args=(c, t, n))
        for n, (c, t) in enumerate(zip(clients, tokens, strict=True))
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(statuses).count(302) == 1, statuses


def test_reset_requests_are_rate_limited_per_address(app, session, smtp):
    from app import create_app
    from app.extensions import limiter

    limited = create_app(
        {"TESTING": True, "RATELIMIT_ENABLED": True}, settings=app.config["VIGIE_SETTINGS"]
    )
    limited.extensions["vigie_engine"] = app.extensions["vigie_engine"]
    limited.config["VIGIE_SMTP_URL"] = app.config["VIGIE_SMTP_URL"]
    client = limited.test_client()
    make_user(session, make_brand(session), email="cm@example.test")
    try:
        statuses = [_forgot(client, "cm@example.test").status_code for _ in range(5)]
        assert statuses[:3] == [200] * 3
        assert statuses[-1] == 429
        assert len(smtp.messages) == 3
    finally:
        limiter.reset()


def test_password_rules():
    assert password_problem("court") is not None
    assert password_problem("password1") is not None  # in the shipped list
    assert password_problem("PASSWORD1") is not None  # case does not help
    assert password_problem("jeanne.martin", "jeanne.martin@agence.fr") is not None
    assert password_problem("x" * 129) is not None
    assert password_problem("vélo rouge sur le quai") is None
    assert len(common_passwords()) > 10_000


def test_own_password_change_on_my_account_page(app, client, session):
    make_user(session, make_brand(session), email="cm@example.test")
    login(client, "cm@example.test")
    other_device = app.test_client()
    login(other_device, "cm@example.test")
    page = client.get("/account").get_data(as_text=True)
    assert "Mon compte" in page and "Changer de mot de passe" in page

    wrong = post(
        client, "/account", {"current": "nope", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    )
    assert wrong.status_code == 422
    common = post(
        client,
        "/account",
        {"current": "pw-test", "password": "motdepasse", "confirm": "motdepasse"},
    )
    assert "les plus courants" in common.get_data(as_text=True)
    ok = post(
        client,
        "/account",
        {"current": "pw-test", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert ok.status_code == 302
    assert client.get("/account").status_code == 200  # this session goes on
    assert other_device.get("/queue").status_code == 302  # the other one ended
