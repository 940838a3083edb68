"""Inbound pushes to an account with a secret must be signed and fresh (issue 12, finding 7)."""

from __future__ import annotations

import json
import time

import pytest
from sqlmodel import select

from app.models import Mention
from app.security.secrets_box import SecretsBox
from app.services.accounts import create_account
from connectors.webhook import push_signature
from tests.conftest import TEST_ENCRYPTION_KEY
from tests.factories import make_brand

pytestmark = pytest.mark.db

SECRET = "push-secret-42"
PAYLOAD = {
    "id": "form-7",
    "text": "Ma commande est bloquée depuis une semaine.",
    "author": {"id": "c-9", "handle": "paul", "name": "Paul"},
    "created_at": "2026-11-23T10:00:00Z",
}


def _account(session, credentials):
    brand = make_brand(session, slug="shop", name="Shop")
    _, token = create_account(
        session=session,
        brand=brand,
        platform="webhook",
        credentials=credentials,
        box=SecretsBox(TEST_ENCRYPTION_KEY),
        label="Formulaire",
    )
    session.commit()
    return token


def _push(client, token, body: bytes, **headers):
    return client.post(
        "/api/v1/mentions",
        data=body,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json", **headers},
    )


def _signed(body: bytes, secret: str = SECRET, stamp: int | None = None) -> dict[str, str]:
    stamp = int(time.time()) if stamp is None else stamp
    return {
        "X-Vigie-Timestamp": str(stamp),
        "X-Vigie-Signature": push_signature(body, secret, stamp),
    }


def _stored(session) -> int:
    return len(session.exec(select(Mention)).all())


def test_a_correctly_signed_push_is_stored(client, session):
    token = _account(session, {"secret": SECRET})
    body = json.dumps(PAYLOAD).encode()
    response = _push(client, token, body, **_signed(body))
    assert response.status_code == 202, response.get_json()
    assert _stored(session) == 1


def test_an_unsigned_push_is_refused_when_the_account_has_a_secret(client, session):
    token = _account(session, {"secret": SECRET})
    response = _push(client, token, json.dumps(PAYLOAD).encode())
    assert response.status_code == 401
    assert "X-Vigie-Signature" in response.get_json()["error"]
    assert _stored(session) == 0


def test_a_push_signed_with_another_secret_or_altered_is_refused(client, session):
    token = _account(session, {"secret": SECRET})
    body = json.dumps(PAYLOAD).encode()
    assert _push(client, token, body, **_signed(body, "wrong")).status_code == 401
    tampered = json.dumps({**PAYLOAD, "text": "Autre texte"}).encode()
    assert _push(client, token, tampered, **_signed(body)).status_code == 401
    # The body-only signature of the old documentation does not cover the timestamp.
    from connectors.webhook import sign_body

    old_style = {
        "X-Vigie-Timestamp": str(int(time.time())),
        "X-Vigie-Signature": sign_body(body, SECRET),
    }
    assert _push(client, token, body, **old_style).status_code == 401
    assert _stored(session) == 0


def test_a_replayed_old_push_is_refused(client, session):
    token = _account(session, {"secret": SECRET})
    body = json.dumps(PAYLOAD).encode()
    old = int(time.time()) - 10 * 60
    response = _push(client, token, body, **_signed(body, stamp=old))
    assert response.status_code == 401
    assert "replay" in response.get_json()["error"]
    # Re-stamping a captured push breaks its signature.
    replayed = {**_signed(body, stamp=old), "X-Vigie-Timestamp": str(int(time.time()))}
    assert _push(client, token, body, **replayed).status_code == 401
    for garbage in ("soon", "²", "9" * 40, "999999999999", "-5"):
        headers = {**_signed(body), "X-Vigie-Timestamp": garbage}
        assert _push(client, token, body, **headers).status_code == 401
    assert _stored(session) == 0


def test_an_account_without_a_secret_still_takes_unsigned_pushes(client, session):
    token = _account(session, {})
    assert _push(client, token, json.dumps(PAYLOAD).encode()).status_code == 202


def test_the_openapi_document_describes_the_push_signature(client):
    document = client.get("/api/v1/openapi.json").get_json()
    post = document["paths"]["/mentions"]["post"]
    names = {parameter["name"] for parameter in post["parameters"]}
    assert {"X-Vigie-Signature", "X-Vigie-Timestamp"} <= names
    assert "<timestamp>." in post["description"]
