"""SSRF through the console (issue 12, findings 4 and 10): every URL a user types in is checked
when saved and again on connection; the credentials check does not map open ports; platform
links are links only for http(s); the CSP pins base-uri and form-action.

Loopback servers stand for internal services: a refusal is proven by what reached them.
"""

from __future__ import annotations

import json
import socket

import pytest
from sqlmodel import select

from app.models import ConnectorAccount, Mention
from app.notify import deliver_webhook
from app.notify.chat import ChatAlert, deliver_chat
from app.security.secrets_box import SecretsBox
from app.services import answer_settings
from tests.app.portal_support import cast
from tests.conftest import TEST_ENCRYPTION_KEY, login, post
from tests.connectors.loopback import fake_dns, internal_server
from tests.factories import make_brand, make_case, make_user

pytestmark = pytest.mark.db

BOX = SecretsBox(TEST_ENCRYPTION_KEY)


@pytest.fixture(autouse=True)
def _production(monkeypatch):
    """VIGIE_ALLOW_PRIVATE_URLS unset, in the app and the environment."""
    monkeypatch.delenv("VIGIE_ALLOW_PRIVATE_URLS", raising=False)


def _accounts(session) -> list[ConnectorAccount]:
    session.expire_all()
    return list(session.exec(select(ConnectorAccount)))


# -- (a) the brand owner's alert webhook ---------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "http://169.254.169.254/latest/meta-data/iam/",
        "https://169.254.169.254/latest/meta-data/iam/",
        "https://localhost:6379/",
        "https://10.1.2.3/hook",
        "https://metadata.attacker.example/latest",  # resolves to the metadata address
    ],
)
def test_a_brand_owner_cannot_point_alerts_at_an_internal_address(
    client, session, monkeypatch, url
):
    fake_dns(monkeypatch, {"metadata.attacker.example": ["169.254.169.254"]})
    people = cast(session)
    login(client, "owner@rail.test")
    path = f"/portal/settings?brand={people.brand.id}"
    response = post(client, path, {"webhook_url": url, "webhook_secret": "s3cret"})
    assert response.status_code == 422
    session.expire_all()
    assert answer_settings.clock_settings(people.brand).webhook_url == ""


def test_alert_deliveries_check_the_address_they_connect_to(session, monkeypatch):
    """Saved while the name was public; by the time of the alert it points inside."""
    people = cast(session)
    with internal_server() as internal:
        fake_dns(monkeypatch, {"hooks.attacker.example": ["127.0.0.1"]})
        url = f"http://hooks.attacker.example:{internal.port}/hook"
        signed = deliver_webhook(
            session=session, brand_id=people.brand.id, url=url, secret="k", payload={"e": 1}
        )
        chat = deliver_chat(
            session=session,
            brand_id=people.brand.id,
            kind="slack",
            url=url,
            alert=ChatAlert(title="t", lines=(), links=()),
        )
    session.commit()
    assert internal.seen == []
    for row in (signed, chat):
        assert row.status == "failed" and "privée ou locale refusée" in row.error


# -- (b) connector base URLs and the credentials check -------------------------------------


@pytest.fixture
def admin(client, session):
    brand = make_brand(session, slug="acme", name="Acme")
    make_user(session, brand, role="admin", email="admin@example.test")
    login(client, "admin@example.test")
    return brand


def _mastodon_form(brand, base_url: str, **extra) -> dict:
    return {
        "brand_id": brand.id,
        "platform": "mastodon",
        "base_url": base_url,
        "interval_seconds": "60",
        "credentials": json.dumps({"access_token": "the-brand-token"}),
        **extra,
    }


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1", "instance.attacker.example"])
def test_a_connector_base_url_on_an_internal_address_is_refused_and_gets_no_token(
    client, session, admin, monkeypatch, host
):
    fake_dns(monkeypatch, {"instance.attacker.example": ["127.0.0.1"]})
    with internal_server() as internal:
        for skip in ({}, {"skip_verify": "1"}):
            form = _mastodon_form(admin, f"https://{host}:{internal.port}", **skip)
            response = post(client, "/admin/accounts/new", form)
            assert response.status_code == 422
            assert "URL du serveur" in response.get_data(as_text=True)
    assert internal.seen == []
    assert _accounts(session) == []


def test_a_plain_http_base_url_is_refused(client, session, admin):
    response = post(client, "/admin/accounts/new", _mastodon_form(admin, "http://piaille.fr"))
    assert response.status_code == 422 and "https://" in response.get_data(as_text=True)
    assert _accounts(session) == []


def test_the_credentials_check_does_not_tell_an_open_port_from_a_closed_one(
    app, client, session, admin
):
    app.config["VIGIE_ALLOW_PRIVATE_URLS"] = True  # a lab: loopback may be called at all

    def not_mastodon(path):
        return 404, {"Content-Type": "text/plain"}, b"redis_version:7.2.4 internal admin"

    with internal_server(not_mastodon) as open_port:
        closed = socket.socket()
        closed.bind(("127.0.0.1", 0))
        closed_port = closed.getsockname()[1]
        closed.close()  # nothing listens there now
        texts = []
        for port in (open_port.port, closed_port):
            form = _mastodon_form(admin, f"http://127.0.0.1:{port}")
            response = post(client, "/admin/accounts/new", form)
            assert response.status_code == 422
            html = response.get_data(as_text=True)
            texts.append(html.split('class="form-error" role="alert">', 1)[1].split("</p>", 1)[0])
    assert texts[0] == texts[1]
    assert "Impossible de joindre le serveur" in texts[0]
    assert "redis_version" not in texts[0] and "404" not in texts[0]
    assert "ConnectError" not in texts[1]
    assert _accounts(session) == []


def test_checking_a_stored_account_that_now_resolves_inside_sends_nothing(
    client, session, admin, monkeypatch
):
    account = ConnectorAccount(
        brand_id=admin.id,
        platform="mastodon",
        label="Acme",
        base_url="https://instance.attacker.example",
        credentials_encrypted=BOX.seal({"access_token": "the-brand-token"}),
    )
    session.add(account)
    session.commit()
    with internal_server() as internal:
        fake_dns(monkeypatch, {"instance.attacker.example": ["127.0.0.1"]})
        response = post(client, f"/admin/accounts/{account.id}", {"action": "verify"})
    assert response.status_code == 422
    assert "privée ou locale" in response.get_data(as_text=True)
    assert internal.seen == []


def test_the_cli_refuses_an_internal_base_url(app, session):
    from app.cli import main

    make_brand(session, slug="acme", name="Acme")
    result = app.test_cli_runner().invoke(
        main,
        [
            "connectors",
            "add",
            "--brand",
            "acme",
            "--platform",
            "mastodon",
            "--base-url",
            "https://169.254.169.254",
        ],
        input='{"access_token": "t"}',
    )
    assert result.exit_code != 0 and "URL du serveur" in result.output
    assert _accounts(session) == []


# -- (c) the webhook account's reply URL ---------------------------------------------------


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "https://localhost/replies", "http://shop.example/r"]
)
def test_a_webhook_reply_url_must_be_public_https(client, session, admin, url):
    account = ConnectorAccount(brand_id=admin.id, platform="webhook", label="Site")
    session.add(account)
    session.commit()
    response = post(
        client,
        f"/admin/accounts/{account.id}",
        {"action": "reply_url", "reply_url": url, "reply_secret": "s"},
    )
    assert response.status_code == 422
    session.expire_all()
    assert "reply_url" not in (session.get(ConnectorAccount, account.id).options or {})


# -- finding 10: platform links and the CSP ------------------------------------------------


def test_a_platform_url_that_is_not_http_is_shown_as_text(client, session):
    brand = make_brand(session, slug="acme", name="Acme")
    make_user(session, brand, role="community_manager", email="cm@example.test")
    case = make_case(session, brand)
    mention = session.exec(select(Mention).where(Mention.case_id == case.id)).one()
    mention.url = "javascript:fetch('/admin')//https://piaille.fr/@jean/1"
    session.add(mention)
    session.commit()
    login(client, "cm@example.test")
    html = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert 'href="javascript:' not in html
    assert "javascript:fetch(&#39;/admin&#39;)" in html  # readable, not clickable
    mention.url = "https://piaille.fr/@jean/1"
    session.add(mention)
    session.commit()
    html = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert '<a href="https://piaille.fr/@jean/1" rel="noopener noreferrer"' in html


def test_the_csp_pins_base_uri_and_form_action(client):
    csp = client.get("/login").headers["Content-Security-Policy"]
    directives = {d.strip().split(" ", 1)[0]: d.strip() for d in csp.split(";")}
    assert directives["base-uri"] == "base-uri 'none'"
    assert directives["form-action"] == "form-action 'self'"
    assert directives["script-src"] == "script-src 'self'"
