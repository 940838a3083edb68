"""One way to hold an OAuth authorization in flight in the admin's session (Facebook, Google).

`start` remembers a fresh `state` (CSRF: the way back must carry it) with the brand the admin
chose, when it started and anything the flow needs back (Google: the PKCE `code_verifier`,
which never leaves the server); `check` takes it out again — once: a second callback with the
same state, a code replayed, or a stale one (older than `MAX_AGE`) is refused with a message the
admin can act on. `pkce_pair` makes the verifier and its S256 challenge (RFC 7636).
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from collections.abc import MutableMapping
from datetime import datetime, timedelta
from typing import Any

MAX_AGE = timedelta(minutes=15)


class ConnectError(Exception):
    """The connection cannot go on; the message says why (shown to the admin)."""


def start(
    store: MutableMapping[str, Any],
    key: str,
    brand_id: int,
    now: datetime,
    extra: dict[str, Any] | None = None,
) -> str:
    """A fresh `state` for the consent screen, remembered under `key` with the brand."""
    state = secrets.token_urlsafe(24)
    store[key] = {"state": state, "brand_id": brand_id, "at": now.isoformat(), **(extra or {})}
    return state


def check(
    store: MutableMapping[str, Any], key: str, state: str, now: datetime, *, provider: str
) -> dict[str, Any]:
    """What `start` remembered, when `state` is the one sent and recent; taken out either way
    (a state is good for one way back)."""
    pending = store.pop(key, None) or {}
    expected = str(pending.get("state") or "") if isinstance(pending, dict) else ""
    if not expected or not secrets.compare_digest(expected, state or ""):
        raise ConnectError(f"Réponse de {provider} inattendue (state) : recommencez la connexion.")
    try:
        opened = datetime.fromisoformat(str(pending.get("at")))
    except ValueError:
        opened = now - MAX_AGE * 2
    if now - opened > MAX_AGE:
        raise ConnectError("La connexion a pris trop de temps : recommencez.")
    return dict(pending)


def pkce_pair() -> tuple[str, str]:
    """(code_verifier, code_challenge) for PKCE with the S256 method."""
    verifier = secrets.token_urlsafe(64)[:96]
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")
