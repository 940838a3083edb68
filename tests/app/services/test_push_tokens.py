"""Push tokens read once every few seconds per process; a revocation (account disabled, token
rotated, signing secret replaced) applies at once wherever it was made: each storing batch
checks the account again in its own transaction."""

from __future__ import annotations

import json

import pytest
from sqlmodel import select

from app.models import ConnectorAccount, Mention
from app.services import accounts, push_tokens
from tests.factories import make_brand, make_webhook_account

pytestmark = pytest.mark.db

PAYLOAD = {
    "id": "form-1",
    "text": "Bonjour, mon colis n'est jamais arrivé.",
    "author": {"id": "c-1", "handle": "marie.dupont"},
    "created_at": "2026-11-23T10:00:00Z",
    "channel": "web_form",
    "lang": "fr",
}


@pytest.fixture
def account_token(session):
    return make_webhook_account(session, make_brand(session, slug="shop", name="Shop"))


def _push(client, token, payload):
    return client.post(
        "/api/v1/mentions",
        data=json.dumps(payload),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )


def test_a_token_is_read_once_within_its_ttl_and_afresh_after(session, account_token):
    clock = [100.0]
    tokens = push_tokens.PushTokens(ttl=5, clock=lambda: clock[0])
    account, token = account_token
    first = tokens.account(session=session, token=token)
    assert first is not None and first.id == account.id
    assert tokens.account(session=session, token=token) is first
    assert tokens.account(session=session, token="not-a-token") is None
    assert tokens.reads == 2  # the token once, the unknown one once
    assert tokens.account(session=session, token="not-a-token") is None and tokens.reads == 2
    clock[0] += 5.1
    again = tokens.account(session=session, token=token)
    assert again is not None and again is not first and tokens.reads == 3
    # Kept objects belong to no session: the next requests share them safely.
    assert first not in session and again not in session


def test_disabling_or_rotating_through_the_service_applies_at_once(client, session, account_token):
    account, token = account_token
    assert _push(client, token, PAYLOAD).status_code == 202  # now held by this process
    held = session.exec(select(ConnectorAccount).where(ConnectorAccount.id == account.id)).one()
    accounts.set_active(session=session, account=held, active=False, actor=None)
    session.commit()
    assert _push(client, token, {**PAYLOAD, "id": "form-2"}).status_code == 401
    accounts.set_active(session=session, account=held, active=True, actor=None)
    session.commit()
    assert _push(client, token, {**PAYLOAD, "id": "form-3"}).status_code == 202
    new_token = accounts.rotate_webhook_token(session=session, account=held, actor=None)
    session.commit()
    assert _push(client, token, {**PAYLOAD, "id": "form-4"}).status_code == 401
    assert _push(client, new_token, {**PAYLOAD, "id": "form-5"}).status_code == 202


def test_a_revocation_made_elsewhere_applies_at_once(client, session, account_token, monkeypatch):
    account, token = account_token
    clock = [1000.0]
    tokens = push_tokens.PushTokens(clock=lambda: clock[0])
    monkeypatch.setattr(push_tokens, "TOKENS", tokens)
    assert _push(client, token, PAYLOAD).status_code == 202
    # Another process disables the account (its cache, not ours, is forgotten).
    held = session.exec(select(ConnectorAccount).where(ConnectorAccount.id == account.id)).one()
    held.is_active = False
    session.add(held)
    session.commit()
    refused = _push(client, token, {**PAYLOAD, "id": "form-2"})
    assert refused.status_code == 401 and refused.get_json()["error"] == "unknown or disabled token"
    held.is_active = True
    session.add(held)
    session.commit()
    assert _push(client, token, {**PAYLOAD, "id": "form-3"}).status_code == 202
    # …rotates its token, or replaces its signing secret: the kept account no longer matches.
    held.webhook_token_hash = "0" * 64
    session.add(held)
    session.commit()
    assert _push(client, token, {**PAYLOAD, "id": "form-4"}).status_code == 401
    assert session.exec(select(Mention).where(Mention.external_id == "form-2")).first() is None
    assert session.exec(select(Mention).where(Mention.external_id == "form-4")).first() is None


def test_a_kept_token_is_checked_by_one_statement_a_batch(session, account_token):
    account, token = account_token
    tokens = push_tokens.PushTokens()
    kept = tokens.account(session=session, token=token)
    assert kept is not None and tokens.still_current(session=session, account=kept)
    held = session.exec(select(ConnectorAccount).where(ConnectorAccount.id == account.id)).one()
    held.credentials_encrypted = "other"
    session.add(held)
    session.commit()
    assert not tokens.still_current(session=session, account=kept)
    assert tokens.reads == 3
    # Forgotten: the next push reads the account afresh.
    assert tokens.account(session=session, token=token) is not kept and tokens.reads == 4
