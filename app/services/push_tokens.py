"""Webhook push tokens resolved once every few seconds per process, not on every push.

A webhook client in a storm pushes hundreds of times a second with one token; reading its
account on each push was one statement (and ~1 ms of CPU) per request that the group commit
(``coalesce``) cannot share. The account is kept, detached from any session, for
``TTL_SECONDS``; unknown tokens are remembered as well (a client with a wrong token retrying
does not read the table each time); the cache is emptied when it holds more than
``MAX_ENTRIES`` tokens.

Revocation stays immediate in every process: what the kept account says (active, this token,
this signing secret) is checked again by each batch that stores (`still_current`, one small
statement in the batch's own transaction, shared by the pushes the group commit gathered), so
a token rotated or an account disabled anywhere refuses the next batch, here or in another
process; the process that made the change also forgets at once (the ``accounts`` service calls
`forget`). Only the account's rate limit may lag, by ``TTL_SECONDS`` at most.

Only the account is kept: its brand (settings triage reads) is read with each batch.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from sqlalchemy import bindparam
from sqlmodel import Session, col, select

from app.models import ConnectorAccount
from app.security.secrets_box import token_digest

TTL_SECONDS = 5.0
MAX_ENTRIES = 1024


class PushTokens:
    """Token digest → the webhook account it opens (or None), each for `ttl` seconds."""

    def __init__(
        self, ttl: float = TTL_SECONDS, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.ttl, self._clock = ttl, clock
        self._lock = threading.Lock()
        self._known: dict[str, tuple[float, ConnectorAccount | None]] = {}
        self.reads = 0  # statements made (tests)

    def account(self, *, session: Session, token: str) -> ConnectorAccount | None:
        """The webhook account of `token` (active or not), or None for an unknown token."""
        digest = token_digest(token)
        now = self._clock()
        with self._lock:
            held = self._known.get(digest)
        if held is not None and held[0] > now:
            return held[1]
        found = session.exec(
            select(ConnectorAccount).where(
                ConnectorAccount.webhook_token_hash == digest,
                ConnectorAccount.platform == "webhook",
            )
        ).first()
        self.reads += 1
        if found is not None:
            # Shared by the requests of the next seconds: it must belong to no session.
            session.expunge(found)
        with self._lock:
            if len(self._known) >= MAX_ENTRIES:
                self._known.clear()
            self._known[digest] = (now + self.ttl, found)
        return found

    def still_current(self, *, session: Session, account: ConnectorAccount) -> bool:
        """Whether the stored account still has what the kept `account` was accepted with
        (active, the same token and signing secret), read in `session`'s transaction; if not,
        this process forgets every kept token."""
        current = session.connection().execute(_CURRENT, {"id": account.id}).first()
        self.reads += 1
        if current is not None and tuple(current) == (
            True,
            account.webhook_token_hash,
            account.credentials_encrypted,
        ):
            return True
        self.forget()
        return False

    def forget(self) -> None:
        """Read every token afresh (an account of this process changed)."""
        with self._lock:
            self._known.clear()


# Built once: every batch runs it (building a select and its cache key cost more).
_CURRENT = select(
    ConnectorAccount.is_active,
    ConnectorAccount.webhook_token_hash,
    ConnectorAccount.credentials_encrypted,
).where(col(ConnectorAccount.id) == bindparam("id"))

TOKENS = PushTokens()


def forget() -> None:
    """An account's token, state, limit or secret changed: this process reads them afresh."""
    TOKENS.forget()
