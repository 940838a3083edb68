"""Two submits of a "Connect with" pick form at the same moment (a double click, two tabs), and
two ways back with one OAuth state: one account per channel or Page, the second submit renews
it and says so, the state serves once (real threads; SQLite and PostgreSQL)."""

from __future__ import annotations

import contextlib
import threading
from urllib.parse import parse_qs, urlsplit

import pytest
import respx
from sqlmodel import select

from app.models import ConnectorAccount, utcnow
from app.services import account_connect, accounts, oauth_state
from app.services.accounts import secrets_box
from tests.conftest import TEST_ENCRYPTION_KEY, csrf_token, login
from tests.connectors.fake_core import FakeRequest
from tests.connectors.fake_google_business import FakeGoogleBusiness
from tests.connectors.fake_google_oauth import FakeGoogleOAuth
from tests.connectors.fake_graph import FakeGraph
from tests.connectors.fake_youtube import FakeYouTube
from tests.factories import make_brand, make_user
from tests.races import race

pytestmark = pytest.mark.db


@pytest.fixture
def fakes(app):
    youtube, business, graph = FakeYouTube(), FakeGoogleBusiness(), FakeGraph()
    oauth = FakeGoogleOAuth(youtube, business)
    app.config.update(
        VIGIE_GOOGLE_CLIENT_ID=oauth.client_id,
        VIGIE_GOOGLE_CLIENT_SECRET=oauth.client_secret,
        VIGIE_GOOGLE_AUTH_URL=oauth.auth_url,
        VIGIE_GOOGLE_TOKEN_URL=oauth.token_url,
        VIGIE_GOOGLE_YOUTUBE_URL=youtube.base_url,
        VIGIE_GOOGLE_BUSINESS_URL=business.base_url,
        VIGIE_META_APP_ID=graph.app_id,
        VIGIE_META_APP_SECRET=graph.app_secret,
        VIGIE_META_GRAPH_URL=graph.base_url,
        VIGIE_META_DIALOG_URL=graph.base_url,
    )
    with respx.mock(assert_all_called=False) as router:
        for fake in (youtube, business, oauth, graph):
            fake.install_respx(router)
        yield oauth, graph


@pytest.fixture
def admin(client, session):
    brand = make_brand(session, slug="acme", name="Acme")
    make_user(session, brand, role="admin", email="admin@example.test")
    session.commit()
    login(client, "admin@example.test")
    return brand


def _twin(app, client):
    """A second browser tab: another client carrying the same session cookie."""
    other = app.test_client()
    name = app.config["SESSION_COOKIE_NAME"]
    cookie = client.get_cookie(name)
    assert cookie is not None
    other.set_cookie(name, cookie.value)
    return other


def _meet_after_the_check(monkeypatch):
    """Both submits pass the "already connected?" look-up before either stores its account."""
    both = threading.Barrier(2, timeout=10)
    checked = accounts.check_credentials

    def check_then_meet(**kwargs):
        found = checked(**kwargs)
        with contextlib.suppress(threading.BrokenBarrierError):  # the other renewed, unchecked
            both.wait()
        return found

    monkeypatch.setattr(accounts, "check_credentials", check_then_meet)


def _submit_together(engine, clients, path, data):
    def submit(browser):
        def racer(_session, wait):
            wait()
            return browser.post(path, data=data)

        return racer

    return race(engine, *(submit(c) for c in clients))


def test_two_picks_of_one_youtube_channel_at_once_make_one_account(
    app, engine, client, session, admin, fakes, monkeypatch
):
    oauth, _ = fakes
    start = client.get(f"/admin/accounts/google/connect?brand_id={admin.id}&product=youtube")
    answer = oauth.dispatch(FakeRequest("GET", start.headers["Location"], {}))
    back = urlsplit(answer.headers["Location"])
    client.get(back.path, query_string={k: v[0] for k, v in parse_qs(back.query).items()})
    token = csrf_token(client, "/admin/accounts/google/pick")
    _meet_after_the_check(monkeypatch)

    responses = _submit_together(
        engine,
        [client, _twin(app, client)],
        "/admin/accounts/google/pick",
        {"target": oauth.youtube.channel_id, "csrf_token": token},
    )

    assert [getattr(r, "status_code", r) for r in responses] == [302, 302]
    rows = session.exec(select(ConnectorAccount)).all()
    assert len(rows) == 1 and rows[0].external_id == oauth.youtube.channel_id
    # Both tabs land on the one account's page, with the message that it is connected.
    assert {r.headers["Location"] for r in responses} == {f"/admin/accounts/{rows[0].id}"}


def test_two_picks_of_one_facebook_page_at_once_make_one_account_each(
    app, engine, client, session, admin, fakes, monkeypatch
):
    _, graph = fakes
    start = client.get(f"/admin/accounts/meta/connect?brand_id={admin.id}")
    answer = graph.dispatch(FakeRequest("GET", start.headers["Location"], {}))
    back = urlsplit(answer.headers["Location"])
    client.get(back.path, query_string={k: v[0] for k, v in parse_qs(back.query).items()})
    token = csrf_token(client, "/admin/accounts/meta/pick")
    _meet_after_the_check(monkeypatch)

    responses = _submit_together(
        engine,
        [client, _twin(app, client)],
        "/admin/accounts/meta/pick",
        {"target": [f"facebook:{graph.page_id}"], "csrf_token": token},
    )

    assert [getattr(r, "status_code", r) for r in responses] == [302, 302]
    rows = session.exec(select(ConnectorAccount)).all()
    assert [(a.platform, a.external_id) for a in rows] == [("facebook", graph.page_id)]


def test_one_google_state_brought_back_twice_at_once_serves_once(
    app, engine, client, session, admin, fakes
):
    oauth, _ = fakes
    start = client.get(f"/admin/accounts/google/connect?brand_id={admin.id}&product=youtube")
    answer = oauth.dispatch(FakeRequest("GET", start.headers["Location"], {}))
    back = urlsplit(answer.headers["Location"])
    query = {k: v[0] for k, v in parse_qs(back.query).items()}
    tabs = [client, _twin(app, client)]

    def come_back(browser):
        def racer(_session, wait):
            wait()
            return browser.get(back.path, query_string=query)

        return racer

    responses = race(engine, *(come_back(t) for t in tabs))

    places = sorted(r.headers["Location"].rsplit("/", 1)[-1] for r in responses)
    assert places == ["accounts", "pick"]
    # The refused tab is told why, in words the admin can act on.
    loser = next(
        t for t, r in zip(tabs, responses, strict=True) if r.headers["Location"].endswith("s")
    )
    assert "déjà reçue" in loser.get("/admin/accounts").get_data(as_text=True)
    assert len(oauth.requests_to("/token$", "POST")) == 1


def test_accounts_connected_before_external_ids_are_found_and_never_doubled(app, session):
    brand = make_brand(session, slug="old", name="Old")
    box = secrets_box(TEST_ENCRYPTION_KEY)
    older = []
    for _ in range(2):  # a duplicate made before the constraint: both kept, the oldest renewed
        account = ConnectorAccount(
            brand_id=brand.id,
            platform="youtube",
            credentials_encrypted=box.seal({"channel_id": "UC1", "refresh_token": "r"}),
        )
        session.add(account)
        session.flush()
        older.append(account.id)
    found = account_connect.find(session, brand, "youtube", "channel_id", "UC1", box)
    assert found is not None and found.id == older[0] and found.external_id == "UC1"
    session.commit()
    again = account_connect.find(session, brand, "youtube", "channel_id", "UC1", box)
    assert again is not None and again.id == older[0]
    assert account_connect.find(session, brand, "youtube", "channel_id", "UC2", box) is None


def test_a_state_used_once_is_refused_the_second_time(session):
    store: dict = {}
    now = utcnow()
    state = oauth_state.start(store, "k", 1, now)
    saved = dict(store)
    oauth_state.check(store, "k", state, now, provider="Google", session=session)
    session.commit()
    with pytest.raises(oauth_state.ConnectError, match="déjà reçue"):
        oauth_state.check(saved, "k", state, now, provider="Google", session=session)
