"""The brand's CRM on the case page (issue 20, part 3): the brand owner sets an endpoint, the
person panel shows what it says about the customer — signed requests, cached answers, failures
and hostile answers shown safely, other brands' cases out of reach."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from sqlmodel import func, select

from app.models import AuditEvent, Brand, CrmProfile, Mention, Person
from app.notify.webhook import verify
from app.security.secrets_box import SecretsBox
from app.services import crm_lookup
from tests.conftest import TEST_ENCRYPTION_KEY, login, post
from tests.factories import make_brand, make_case, make_user
from tests.races import race

pytestmark = pytest.mark.db

SECRET = "s3cret-for-the-crm-1234"
ANSWER = {
    "customer_id": "C-1029",
    "name": "Jeanne M.",
    "tier": "gold",
    "note": "Cliente depuis 2014",
    "open_orders": [
        {
            "reference": "CMD-123456",
            "status": "en livraison",
            "label": "Lave-linge",
            "url": "https://crm.example/orders/123456",
        },
        {
            "reference": "CMD-999999",
            "status": "<script>alert(1)</script>",
            "url": "javascript:alert(1)",
        },
    ],
}


class FakeCrm:
    """A brand's CRM on loopback: records what it was sent, answers what the test says."""

    def __init__(self) -> None:
        self.requests: list[tuple[dict[str, str], bytes]] = []
        self.status = 200
        self.answer: Any = ANSWER
        self.url = ""


@contextmanager
def serve(crm: FakeCrm) -> Iterator[FakeCrm]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            crm.requests.append(({k.lower(): v for k, v in self.headers.items()}, body))
            raw = json.dumps(crm.answer).encode() if crm.status == 200 else b"{}"
            self.send_response(crm.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    crm.url = f"http://127.0.0.1:{server.server_address[1]}/lookup"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield crm
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def crm(app) -> Iterator[FakeCrm]:
    app.config["VIGIE_ALLOW_PRIVATE_URLS"] = True  # the fake CRM listens on loopback
    with serve(FakeCrm()) as fake:
        yield fake


@pytest.fixture
def shop(session) -> Brand:
    return make_brand(session, slug="shop", name="Cabasso")


def _configure(session, brand: Brand, url: str) -> None:
    crm_lookup._store(
        brand,
        {"url": url, "secret_sealed": SecretsBox(TEST_ENCRYPTION_KEY).seal({"secret": SECRET})},
    )
    session.add(brand)
    session.commit()


def _case_with_order(session, brand):
    case = make_case(session, brand, "Commande CMD-123456 jamais reçue", handle="jeanne")
    for mention in session.exec(select(Mention).where(Mention.case_id == case.id)):
        mention.customer_refs = [{"kind": "order", "value": "CMD-123456"}]
        session.add(mention)
    session.commit()
    return case


def test_brand_owner_sets_the_crm_and_the_secret_is_never_shown_again(client, session, shop, crm):
    make_user(session, shop, role="brand_owner", email="owner@shop.test")
    login(client, "owner@shop.test")
    page = client.get(f"/portal/crm?brand={shop.id}")
    assert page.status_code == 200
    no_secret = post(client, f"/portal/crm?brand={shop.id}", {"url": crm.url, "secret": ""})
    assert no_secret.status_code == 422
    short = post(client, f"/portal/crm?brand={shop.id}", {"url": crm.url, "secret": "court"})
    assert short.status_code == 422
    bad = post(client, f"/portal/crm?brand={shop.id}", {"url": "ftp://crm", "secret": SECRET})
    assert bad.status_code == 422
    ok = post(client, f"/portal/crm?brand={shop.id}", {"url": crm.url, "secret": SECRET})
    assert ok.status_code == 302
    html = client.get(f"/portal/crm?brand={shop.id}").get_data(as_text=True)
    assert SECRET not in html and crm.url in html
    session.expire_all()
    settings = crm_lookup.crm_settings(session.get(Brand, shop.id))
    assert settings is not None and SECRET not in settings.secret_sealed
    events = session.exec(
        select(AuditEvent).where(AuditEvent.action == "brand.crm_configured")
    ).all()
    assert len(events) == 1 and SECRET not in json.dumps(events[0].after)
    removed = post(client, f"/portal/crm?brand={shop.id}", {"remove": "1"})
    assert removed.status_code == 302
    session.expire_all()
    assert crm_lookup.crm_settings(session.get(Brand, shop.id)) is None


def test_private_addresses_are_refused_unless_the_deployment_allows_them(
    app, client, session, shop
):
    app.config["VIGIE_ALLOW_PRIVATE_URLS"] = False
    make_user(session, shop, role="brand_owner", email="owner@shop.test")
    login(client, "owner@shop.test")
    refused = post(
        client, f"/portal/crm?brand={shop.id}", {"url": "https://127.0.0.1/x", "secret": SECRET}
    )
    assert refused.status_code == 422
    assert crm_lookup.crm_settings(shop) is None


def test_the_person_panel_shows_the_crm_card_signed_cached_and_escaped(client, session, shop, crm):
    _configure(session, shop, crm.url)
    make_user(session, shop, email="cm@shop.test")
    login(client, "cm@shop.test")
    case = _case_with_order(session, shop)
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert f"/cases/{case.id}/crm" in page  # loaded after the page (htmx), never blocking it
    assert crm.requests == []
    card = client.get(f"/cases/{case.id}/crm")
    assert card.status_code == 200
    html = card.get_data(as_text=True)
    assert "Jeanne M." in html and "gold" in html and "Lave-linge" in html
    assert "https://crm.example/orders/123456" in html
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html
    assert "javascript:" not in html  # only https links are kept
    headers, body = crm.requests[0]
    assert verify(SECRET, body, headers["x-vigie-signature"])
    sent = json.loads(body)
    assert sent["brand"] == "shop"
    assert sent["references"] == [{"kind": "order", "value": "CMD-123456"}]
    assert sent["identities"][0]["handle"] == "jeanne"
    assert "jamais reçue" not in body.decode()  # the customer's words stay in Vigie
    # Cached: opening the case again does not call the CRM; "Actualiser" does.
    client.get(f"/cases/{case.id}/crm")
    assert len(crm.requests) == 1
    client.get(f"/cases/{case.id}/crm?refresh=1")
    assert len(crm.requests) == 2


def test_crm_failures_and_unknown_customers_are_said_plainly(client, session, shop, crm):
    _configure(session, shop, crm.url)
    make_user(session, shop, email="cm@shop.test")
    login(client, "cm@shop.test")
    case = _case_with_order(session, shop)
    crm.status = 500
    html = client.get(f"/cases/{case.id}/crm").get_data(as_text=True)
    assert 'data-testid="crm-error"' in html and "500" in html
    crm.status = 404
    html = client.get(f"/cases/{case.id}/crm?refresh=1").get_data(as_text=True)
    assert "Client inconnu du CRM" in html
    crm.status, crm.answer = 200, ["not", "an", "object"]
    html = client.get(f"/cases/{case.id}/crm?refresh=1").get_data(as_text=True)
    assert "illisible" in html
    # A CRM that is down: a clear line, never a 500.
    _configure(session, shop, "http://127.0.0.1:9/closed")
    response = client.get(f"/cases/{case.id}/crm?refresh=1")
    assert response.status_code == 200
    assert "injoignable" in response.get_data(as_text=True)


def test_another_brands_case_and_brands_without_crm_are_out_of_reach(client, session, shop, crm):
    _configure(session, shop, crm.url)
    other = make_brand(session, slug="other", name="Autre")
    make_user(session, other, email="cm@other.test")
    login(client, "cm@other.test")
    case = _case_with_order(session, shop)
    assert client.get(f"/cases/{case.id}/crm").status_code == 404
    theirs = _case_with_order(session, other)
    assert client.get(f"/cases/{theirs.id}/crm").status_code == 404  # no CRM set
    assert (
        "crm"
        not in client.get(f"/cases/{theirs.id}")
        .get_data(as_text=True)
        .split('id="person-title"')[1]
        .split("</section>")[0]
        .lower()
    )
    assert crm.requests == []


def test_two_cms_opening_the_same_case_at_once_keep_one_cached_card(engine, session, shop, crm):
    _configure(session, shop, crm.url)
    case = _case_with_order(session, shop)

    def open_card(s, go):
        brand = s.get(Brand, shop.id)
        person = s.get(Person, case.person_id)
        go()
        return crm_lookup.lookup(
            session=s,
            brand=brand,
            person=person,
            authors=[],
            references=[],
            box=SecretsBox(TEST_ENCRYPTION_KEY),
            allow_private=True,
        )

    outcomes = race(engine, *[open_card for _ in range(4)])
    assert all(isinstance(o, crm_lookup.CrmCard) for o in outcomes), outcomes
    session.expire_all()
    rows = session.exec(select(func.count()).select_from(CrmProfile)).one()
    assert rows == 1
