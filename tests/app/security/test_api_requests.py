"""Token API requests skip the console's per-request machinery (cookie session, flask-limiter,
page headers); console pages keep all of it."""

from __future__ import annotations

import json

import pytest

from app.extensions import limiter
from app.security import api_requests
from tests.conftest import login
from tests.factories import make_brand, make_user, make_webhook_account

pytestmark = pytest.mark.db

PAYLOAD = {
    "id": "form-1",
    "text": "Bonjour, mon colis n'est jamais arrivé.",
    "author": {"id": "c-1", "handle": "marie"},
    "created_at": "2026-11-23T10:00:00Z",
}


def test_an_api_call_ignores_the_console_session_and_sets_no_cookie(app, client, session):
    brand = make_brand(session, slug="shop", name="Shop")
    user = make_user(session, brand)
    _, token = make_webhook_account(session, brand)
    login(client, user.email)  # the same client holds a console session cookie

    response = client.post(
        "/api/v1/mentions",
        data=json.dumps(PAYLOAD),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )

    assert response.status_code == 202, response.text
    assert json.loads(response.get_data()) == {
        "id": response.get_json()["id"],
        "case_id": response.get_json()["case_id"],
        "duplicate": False,
    }
    assert "Set-Cookie" not in response.headers
    assert "Cookie" not in response.headers.get("Vary", "")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Security-Policy"].startswith("default-src 'none'")
    # The console session is untouched: its pages still know the user.
    page = client.get("/")
    assert page.status_code == 200
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]


def test_an_api_error_answers_json_without_cookie(client):
    response = client.post("/api/v1/mentions", json=PAYLOAD)
    assert response.status_code == 401 and "error" in response.get_json()
    assert "Set-Cookie" not in response.headers


def test_only_api_paths_are_exempt_from_the_console_limits(app):
    assert is_listed_once()
    with app.test_request_context("/api/v1/mentions", method="POST"):
        assert api_requests.is_api_request()
    with app.test_request_context("/login", method="POST"):
        assert not api_requests.is_api_request()
    with app.test_request_context("/apiary"):
        assert not api_requests.is_api_request()


def is_listed_once() -> bool:
    """One limiter serves every app the tests build: its filter is added once."""
    return limiter._request_filters.count(api_requests.is_api_request) == 1


def test_a_background_htmx_read_does_not_write_the_session_cookie_back(app, client, session):
    """The urgent banner loads with every page; its answer must not bring back an older cookie
    over one a click made meanwhile (an OAuth state in flight)."""
    brand = make_brand(session, slug="shop", name="Shop")
    user = make_user(session, brand)
    login(client, user.email)

    page = client.get("/")
    assert "Set-Cookie" in page.headers  # a page load keeps the session's expiry sliding
    poll = client.get("/alerts/_banner", headers={"HX-Request": "true"})
    assert poll.status_code == 200
    assert "Set-Cookie" not in poll.headers
    assert "Cookie" in poll.headers.get("Vary", "")
    assert client.get("/").status_code == 200  # still logged in
