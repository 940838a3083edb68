"""Connect with Facebook (Facebook Login for Business) against the fake Graph API: the dialog,
the code exchanged for a long-lived user token, Page tokens stored encrypted, the token's
expiry shown with a renewal prompt, and connecting again renewing the same accounts."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
import respx
from sqlmodel import select

from app.models import AuditEvent, ConnectorAccount, utcnow
from app.security.secrets_box import SecretsBox
from tests.conftest import TEST_ENCRYPTION_KEY, login, post
from tests.connectors.fake_core import FakeRequest
from tests.connectors.fake_graph import FakeGraph
from tests.factories import make_brand, make_user

pytestmark = pytest.mark.db


@pytest.fixture
def graph(app):
    fake = FakeGraph()
    app.config.update(
        VIGIE_META_APP_ID=fake.app_id,
        VIGIE_META_APP_SECRET=fake.app_secret,
        VIGIE_META_GRAPH_URL=fake.base_url,
        VIGIE_META_DIALOG_URL=fake.base_url,
        VIGIE_META_VERIFY_TOKEN=fake.verify_token,
    )
    with respx.mock(assert_all_called=False) as router:
        fake.install_respx(router)
        yield fake


@pytest.fixture
def admin(client, session):
    brand = make_brand(session, slug="acme", name="Acme")
    make_user(session, brand, role="admin", email="admin@example.test")
    login(client, "admin@example.test")
    return brand


def _through_dialog(client, graph: FakeGraph, brand, **query) -> object:
    """The admin clicks the button, Facebook's dialog (the fake accepts) sends them back."""
    start = client.get(f"/admin/accounts/meta/connect?brand_id={brand.id}")
    assert start.status_code == 302
    dialog = start.headers["Location"]
    assert dialog.startswith(f"{graph.base_url}/v26.0/dialog/oauth?")
    params = parse_qs(urlsplit(dialog).query)
    assert "pages_manage_engagement" in params["scope"][0]
    assert "pages_messaging" in params["scope"][0]
    answer = graph.dispatch(FakeRequest("GET", dialog, {}))
    back = urlsplit(answer.headers["Location"])
    args = {**{k: v[0] for k, v in parse_qs(back.query).items()}, **query}
    return client.get(back.path, query_string=args)


def test_connect_with_facebook_stores_page_tokens_encrypted_and_shows_the_expiry(
    client, session, admin, graph
):
    assert "Se connecter avec Facebook" in client.get("/admin/accounts/new").get_data(as_text=True)
    picked = _through_dialog(client, graph, admin)
    assert picked.status_code == 302 and picked.headers["Location"].endswith(
        "/admin/accounts/meta/pick"
    )
    page = client.get("/admin/accounts/meta/pick").get_data(as_text=True)
    assert "Acme France" in page and "@acme.fr" in page and graph.token not in page
    done = post(
        client,
        "/admin/accounts/meta/pick",
        {"target": [f"facebook:{graph.page_id}", f"instagram:{graph.ig_user_id}"]},
    )
    assert done.status_code == 302
    accounts = {a.platform: a for a in session.exec(select(ConnectorAccount))}
    assert set(accounts) == {"facebook", "instagram"}
    box = SecretsBox(TEST_ENCRYPTION_KEY)
    creds = box.open(accounts["instagram"].credentials_encrypted)
    assert creds["access_token"] == graph.token and creds["page_id"] == graph.page_id
    assert graph.token not in accounts["facebook"].credentials_encrypted
    assert accounts["facebook"].options["direct_messages"] is True
    detail = client.get(f"/admin/accounts/{accounts['facebook'].id}").get_data(as_text=True)
    assert 'data-token="ok"' in detail and graph.token not in detail
    # Connecting again renews the same accounts (a new token), nothing doubled.
    graph.token = "page-token-2"
    graph.data_access_days = 10
    _through_dialog(client, graph, admin)
    post(client, "/admin/accounts/meta/pick", {"target": [f"facebook:{graph.page_id}"]})
    session.expire_all()
    rows = session.exec(
        select(ConnectorAccount).where(ConnectorAccount.platform == "facebook")
    ).all()
    assert len(rows) == 1
    assert box.open(rows[0].credentials_encrypted)["access_token"] == "page-token-2"
    detail = client.get(f"/admin/accounts/{rows[0].id}").get_data(as_text=True)
    assert 'data-token="renew"' in detail and "Renouveler avec Facebook" in detail
    actions = [e.action for e in session.exec(select(AuditEvent))]
    assert "connector.meta_connected" in actions and "connector.meta_renewed" in actions


def test_a_forged_state_or_a_refused_dialog_connects_nothing(client, session, admin, graph):
    response = _through_dialog(client, graph, admin, state="forged")
    assert response.status_code == 302
    assert "state" in client.get("/admin/accounts").get_data(as_text=True)
    denied = client.get(
        "/admin/accounts/meta/callback",
        query_string={"error": "access_denied", "error_description": "Permissions error"},
    )
    assert denied.status_code == 302
    assert session.exec(select(ConnectorAccount)).all() == []


def test_without_a_meta_app_there_is_no_button_and_no_route(client, session, admin, app):
    assert "Se connecter avec Facebook" not in client.get("/admin/accounts/new").get_data(
        as_text=True
    )
    assert client.get(f"/admin/accounts/meta/connect?brand_id={admin.id}").status_code == 404


def test_token_state_thresholds():
    from app.services.meta_connect import token_state

    now = utcnow()
    account = ConnectorAccount(brand_id=1, platform="facebook")
    assert token_state(account, now)[0] == "unknown"
    for days, state in ((40, "ok"), (5, "renew"), (-1, "expired")):
        account.options = {"token_expires_at": (now + timedelta(days=days)).isoformat()}
        assert token_state(account, now)[0] == state
