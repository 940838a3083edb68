"""The outbound-URL policy: checked when a URL is saved AND on every connection.

Real servers on 127.0.0.1 stand for an internal service (cloud metadata, an admin port): a
refusal is proven by the server having received nothing. DNS rebinding is played by a resolver
that answers a public address first and a loopback one afterwards.
"""

from __future__ import annotations

import json
import socket

import httpx
import pytest

from connectors import PermanentError
from connectors.base import OutgoingReply
from connectors.http_support import AddressNotAllowed
from connectors.mastodon import MastodonConnector
from connectors.net_policy import (
    ENV_ALLOW_PRIVATE,
    AddressRefused,
    NetPolicy,
    URLRefused,
    same_origin,
)
from connectors.webhook import WebhookConnector
from tests.connectors.loopback import fake_dns, internal_server


@pytest.fixture
def no_private(monkeypatch):
    """A production deployment: VIGIE_ALLOW_PRIVATE_URLS unset."""
    monkeypatch.delenv(ENV_ALLOW_PRIVATE, raising=False)


# -- saving a URL --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "http://hooks.example.com/x",  # plain http
        "file:///etc/passwd",
        "gopher://127.0.0.1:6379/_FLUSHALL",
        "https://169.254.169.254/latest/meta-data/",
        "https://[::ffff:169.254.169.254]/",
        "https://127.0.0.1/hook",
        "https://localhost/hook",
        "https://10.0.0.8/hook",
        "https://192.168.1.1/",
        "https://100.64.0.1/",  # carrier-grade NAT: not public
        "https://224.0.0.1/",
        "https://user:pw@hooks.example.com/",
    ],
)
def test_saving_an_internal_or_unsafe_url_is_refused(no_private, url):
    with pytest.raises(URLRefused):
        NetPolicy.from_env().check_url(url)


def test_a_name_that_resolves_to_an_internal_address_is_refused_at_save(no_private, monkeypatch):
    fake_dns(monkeypatch, {"metadata.attacker.example": ["169.254.169.254"]})
    with pytest.raises(URLRefused) as refused:
        NetPolicy.from_env().check_url("https://metadata.attacker.example/latest")
    assert refused.value.reason == "private"


def test_a_lab_deployment_may_use_its_lan_but_never_plain_http_off_loopback(monkeypatch):
    monkeypatch.setenv(ENV_ALLOW_PRIVATE, "1")
    lab = NetPolicy.from_env()
    assert lab.allow_private
    assert lab.check_url("https://10.0.0.8/hook") == "https://10.0.0.8/hook"
    assert lab.check_url(" http://127.0.0.1:8080/h ") == "http://127.0.0.1:8080/h"
    with pytest.raises(URLRefused):
        lab.check_url("http://10.0.0.8/hook")


# -- connecting ----------------------------------------------------------------------------


def test_the_client_refuses_loopback_at_connect_time_and_sends_nothing(no_private):
    with internal_server() as internal, NetPolicy.from_env().client(timeout=5) as client:
        for url in (internal.url, f"http://localhost:{internal.port}/"):
            with pytest.raises(AddressRefused):
                client.get(url)
    assert internal.seen == []


def test_dns_rebinding_after_the_save_check_is_refused_on_connect(no_private, monkeypatch):
    with internal_server() as internal:
        # First answer public (the save check passes), then loopback (where the service is).
        asked = fake_dns(monkeypatch, {"rebind.attacker.example": ["93.184.216.34", "127.0.0.1"]})
        policy = NetPolicy.from_env()
        url = f"https://rebind.attacker.example:{internal.port}/hook"
        assert policy.check_url(url) == url
        with policy.client(timeout=5) as client, pytest.raises(AddressRefused):
            client.post(url.replace("https:", "http:"), content=b"{}")
    assert asked == ["rebind.attacker.example", "rebind.attacker.example"]
    assert internal.seen == []


def test_a_name_with_one_internal_address_among_public_ones_is_refused(no_private, monkeypatch):
    def getaddrinfo(host, port, *args, **kwargs):
        return [
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.216.34", port)),
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port)),
        ]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    with NetPolicy.from_env().client(timeout=5) as client, pytest.raises(AddressRefused):
        client.get("http://mixed.attacker.example/")


def test_the_lab_setting_lets_the_client_reach_loopback(monkeypatch):
    monkeypatch.setenv(ENV_ALLOW_PRIVATE, "1")
    with internal_server() as internal, NetPolicy.from_env().client(timeout=5) as client:
        assert client.get(f"http://localhost:{internal.port}/x").status_code == 200
    assert [path for _, path, _ in internal.seen] == ["/x"]


def test_redirects_are_not_followed(monkeypatch):
    monkeypatch.setenv(ENV_ALLOW_PRIVATE, "1")
    with internal_server() as target:

        def redirect(path):
            return 302, {"Location": f"{target.url}/elsewhere"}, b""

        with internal_server(redirect) as first, NetPolicy.from_env().client(timeout=5) as c:
            assert c.get(first.url).status_code == 302
    assert target.seen == []


# -- connectors ----------------------------------------------------------------------------


def _notification(nid: str) -> dict:
    status = {
        "id": f"1{nid}",
        "content": "<p>@acme ma commande ?</p>",
        "created_at": "2026-01-05T10:00:00.000Z",
        "visibility": "public",
        "account": {"id": "7", "acct": "jean@piaille.fr", "username": "jean"},
    }
    return {"id": nid, "type": "mention", "created_at": status["created_at"], "status": status}


def test_mastodon_never_follows_a_page_link_to_another_host(monkeypatch):
    monkeypatch.setenv(ENV_ALLOW_PRIVATE, "1")
    with internal_server() as other:
        link = f'<{other.url}/api/v1/notifications?min_id=5>; rel="prev"'

        def instance(path):
            return 200, {"Link": link}, json.dumps([_notification("5")]).encode()

        with internal_server(instance) as home:
            connector = MastodonConnector(
                credentials={"access_token": "secret-token"}, base_url=home.url
            )
            with connector:
                result = connector.fetch("4")
    assert other.seen == []  # the bearer token never left for the other host
    assert [m.external_id for m in result.mentions] == ["15"]
    assert result.complete is False and "leaves the instance" in (result.error or "")
    assert result.cursor == "5"  # the page read is kept


def test_mastodon_on_a_refused_address_sends_no_token(no_private):
    with internal_server() as internal:
        connector = MastodonConnector(
            credentials={"access_token": "secret-token"},
            base_url=f"https://localhost:{internal.port}",
        )
        with connector, pytest.raises(AddressNotAllowed):
            connector.verify()
    assert internal.seen == []


def _reply() -> OutgoingReply:
    return OutgoingReply(
        in_reply_to_external_id="m1",
        in_reply_to_raw={},
        text="Bonjour, nous regardons.",
        idempotency_key="k-1",
        author_handle="jean",
    )


def test_a_stored_reply_url_is_checked_again_when_the_reply_is_sent(no_private):
    with internal_server() as internal:
        for reply_url in (f"https://localhost:{internal.port}/r", "file:///etc/passwd"):
            connector = WebhookConnector(
                credentials={"secret": "s"}, options={"reply_url": reply_url}
            )
            with pytest.raises(PermanentError):
                connector.post_reply(_reply())
    assert internal.seen == []


def test_same_origin_compares_scheme_host_and_port():
    base = "https://piaille.fr"
    assert same_origin("https://piaille.fr:443/api/v1/notifications?min_id=1", base)
    assert not same_origin("https://evil.example/api/v1/notifications", base)
    assert not same_origin("http://piaille.fr/api", base)
    assert not same_origin("https://piaille.fr:8443/api", base)
    assert not same_origin("javascript:alert(1)", base)


def test_transport_errors_stay_httpx_errors():
    assert issubclass(AddressRefused, httpx.ConnectError)
