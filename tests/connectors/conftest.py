"""Connector tests talk to fake platforms on 127.0.0.1: private addresses are allowed here,
as VIGIE_ALLOW_PRIVATE_URLS allows them on a lab deployment (refusals unset it)."""

from __future__ import annotations

import pytest

from connectors.net_policy import ENV_ALLOW_PRIVATE


@pytest.fixture(autouse=True)
def _loopback_fakes_allowed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_ALLOW_PRIVATE, "1")
