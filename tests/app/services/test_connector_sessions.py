"""Rotated credentials are kept whatever the call's outcome (polling, outbox, verify, hiding)."""

from __future__ import annotations

from typing import Any

import pytest

from app.models import ConnectorAccount
from app.security.secrets_box import SecretsBox
from app.services import connector_sessions
from connectors import ConnectorError
from connectors.base import RateLimitState
from tests.conftest import TEST_ENCRYPTION_KEY


class _Rotating:
    """A connector whose platform hands back new tokens during the call."""

    updated_credentials: dict[str, Any] | None = None
    rate_limit = RateLimitState()  # every connector reports its platform's usage

    def __enter__(self) -> _Rotating:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def hide(self) -> None:
        self.updated_credentials = {"refresh": "new"}
        raise ConnectorError("the platform refused the hide")


class _Session:
    def __init__(self) -> None:
        self.added: list[object] = []

    def add(self, row: object) -> None:
        self.added.append(row)


def test_rotated_tokens_are_sealed_even_when_the_call_fails(monkeypatch):
    box = SecretsBox(TEST_ENCRYPTION_KEY)
    account = ConnectorAccount(
        brand_id=1, platform="x", credentials_encrypted=box.seal({"refresh": "old"})
    )
    monkeypatch.setattr(connector_sessions, "build_connector", lambda *a, **k: _Rotating())
    session = _Session()
    with (
        pytest.raises(ConnectorError),
        connector_sessions.connector_session(session, account, box) as connector,  # type: ignore[arg-type]
    ):
        connector.hide()  # type: ignore[attr-defined]
    assert box.open(account.credentials_encrypted) == {"refresh": "new"}
    assert session.added == [account]


def test_nothing_is_written_without_new_tokens(monkeypatch):
    box = SecretsBox(TEST_ENCRYPTION_KEY)
    sealed = box.seal({"refresh": "old"})
    account = ConnectorAccount(brand_id=1, platform="x", credentials_encrypted=sealed)
    monkeypatch.setattr(connector_sessions, "build_connector", lambda *a, **k: _Rotating())
    session = _Session()
    with connector_sessions.connector_session(session, account, box):  # type: ignore[arg-type]
        pass
    assert account.credentials_encrypted == sealed and session.added == []
