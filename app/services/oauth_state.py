"""One way to hold an OAuth authorization in flight in the admin's session (Facebook, Google).

`start` remembers a fresh `state` (CSRF: the way back must carry it) with the brand the admin
chose, when it started and anything the flow needs back (Google: the PKCE `code_verifier`,
which never leaves the server); `check` takes it out again — once: a second callback with the
same state, a code replayed, or a stale one (older than `MAX_AGE`) is refused with a message the
admin can act on. The session is a cookie two requests may carry at once, so a state brought
back is also recorded in the database (`OAuthStateUse`): of two callbacks together, one goes
on. `pkce_pair` makes the verifier and its S256 challenge (RFC 7636).
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from collections.abc import MutableMapping
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, delete

from app.models import OAuthStateUse

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
    store: MutableMapping[str, Any],
    key: str,
    state: str,
    now: datetime,
    *,
    provider: str,
    session: Session,
) -> dict[str, Any]:
    """What `start` remembered, when `state` is the one sent and recent; taken out either way
    (a state is good for one way back), and used up in `session` (the caller commits)."""
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
    _use_once(session, f"{key}:{expected}", now, provider)
    return dict(pending)


def _use_once(session: Session, name: str, now: datetime, provider: str) -> None:
    """Record the state as used; a second use, even at the same moment, is refused."""
    # A state older than MAX_AGE is refused by its age already: its record can go.
    session.exec(delete(OAuthStateUse).where(col(OAuthStateUse.used_at) < now - MAX_AGE))
    digest = hashlib.sha256(name.encode("utf-8")).hexdigest()
    try:
        with session.begin_nested():
            session.add(OAuthStateUse(digest=digest, used_at=now))
            session.flush()
    except IntegrityError:
        raise ConnectError(
            f"Réponse de {provider} déjà reçue (state) : la connexion suit son cours "
            "dans l'autre onglet, ou recommencez-la."
        ) from None


def pkce_pair() -> tuple[str, str]:
    """(code_verifier, code_challenge) for PKCE with the S256 method."""
    verifier = secrets.token_urlsafe(64)[:96]
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")
