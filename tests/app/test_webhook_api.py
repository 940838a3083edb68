"""The inbound mentions API: token, validation naming the field, idempotency, 202."""

from __future__ import annotations

import json

import pytest
from sqlmodel import select

from app.models import Case, Mention
from app.security.secrets_box import SecretsBox
from app.services.accounts import create_account
from tests.conftest import TEST_ENCRYPTION_KEY
from tests.factories import make_brand

pytestmark = pytest.mark.db

PAYLOAD = {
    "id": "form-42",
    "text": "Bonjour, mon colis n'est jamais arrivé.",
    "author": {"id": "c-1", "handle": "marie.dupont", "name": "Marie"},
    "created_at": "2026-11-23T10:00:00Z",
    "channel": "web_form",
    "lang": "fr",
}


@pytest.fixture
def token(session):
    brand = make_brand(session, slug="shop", name="Shop")
    _, token = create_account(
        session=session,
        brand=brand,
        platform="webhook",
        credentials={},
        box=SecretsBox(TEST_ENCRYPTION_KEY),
        label="Formulaire",
    )
    session.commit()
    return token


def _push(client, token, payload):
    return client.post(
        "/api/v1/mentions",
        data=json.dumps(payload),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )


def test_a_pushed_mention_is_stored_triaged_and_grouped(client, session, token):
    response = _push(client, token, PAYLOAD)
    assert response.status_code == 202
    body = response.get_json()
    mention = session.get(Mention, body["id"])
    assert mention.channel == "web_form" and mention.state == "triaged"
    assert session.get(Case, body["case_id"]) is not None


def test_pushing_the_same_id_twice_stores_it_once(client, session, token):
    first = _push(client, token, PAYLOAD).get_json()
    second = _push(client, token, PAYLOAD)
    assert second.status_code == 202 and second.get_json()["id"] == first["id"]
    assert second.get_json()["duplicate"] is True
    assert len(session.exec(select(Mention)).all()) == 1


def test_missing_or_unknown_token_is_401(client, token):
    assert client.post("/api/v1/mentions", json=PAYLOAD).status_code == 401
    assert _push(client, "not-the-token", PAYLOAD).status_code == 401


def test_invalid_field_is_named(client, token):
    response = _push(client, token, {**PAYLOAD, "author": {"id": "c-1"}})
    assert response.status_code == 422
    assert "handle" in (response.get_json().get("field") or "")


def test_oversized_body_is_refused(client, token):
    response = _push(client, token, {**PAYLOAD, "text": "x" * 70_000})
    assert response.status_code in (413, 422)


def test_openapi_document_is_served(client):
    doc = client.get("/api/v1/openapi.json").get_json()
    assert "/mentions" in doc["paths"]
    # The way back: replies POSTed to the account's reply URL, signed, deduped on the key.
    delivery = doc["webhooks"]["reply"]["post"]
    headers = {p["name"] for p in delivery["parameters"]}
    assert {"X-Vigie-Signature", "Idempotency-Key"} <= headers
    assert "Dedupe on `Idempotency-Key`" in delivery["description"]


def test_the_same_person_on_two_channels_lands_in_one_case(client, session, token):
    first = _push(client, token, PAYLOAD).get_json()
    second = _push(
        client,
        token,
        {
            **PAYLOAD,
            "id": "mail-7",
            "channel": "email",
            "author": {"id": "marie@example.test", "handle": "Marie.Dupont@example.test"},
            "text": "Je relance : toujours pas de colis.",
        },
    ).get_json()
    assert second["case_id"] == first["case_id"]
    case = session.get(Case, first["case_id"])
    assert case.mention_count == 2


def test_a_flood_on_one_token_gets_json_429(app, session, token):
    from app import create_app
    from app.extensions import limiter

    limited = create_app(
        {"TESTING": True, "RATELIMIT_ENABLED": True, "VIGIE_WEBHOOK_RATE_LIMIT": "5 per minute"},
        settings=app.config["VIGIE_SETTINGS"],
    )
    limited.extensions["vigie_engine"] = app.extensions["vigie_engine"]
    client = limited.test_client()
    try:
        statuses = [
            _push(client, token, {**PAYLOAD, "id": f"flood-{n}"}).status_code for n in range(5)
        ]
        # A small limit: 600 pushes on a loaded PostgreSQL machine outlast the minute window.
        assert statuses.count(202) == 5
        last = _push(client, token, {**PAYLOAD, "id": "flood-last"})
        assert last.status_code == 429 and "rate limit" in last.get_json()["error"]
    finally:
        limiter.reset()
