"""Polling one connector account: fetch, store with the cursor, record health, then triage."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from app.models import ConnectorAccount, utcnow
from app.security.secrets_box import SecretsBox
from app.services import audit, ingest, mention_edits, poll_pacing, triage, worker_errors
from app.services.connector_sessions import connector_session
from app.worker import leases
from connectors import (
    AuthError,
    ConnectorError,
    FetchResult,
    RateLimited,
)

MAX_BACKOFF_SECONDS = 15 * 60


@dataclass
class PollOutcome:
    account_id: int
    stored: int = 0
    duplicates: int = 0
    status: str = "ok"
    error: str | None = None
    skipped: bool = False
    failed: bool = False  # nothing fetched: the platform refused, limited or failed
    partial: bool = False  # the pass stopped early: what was fetched is stored
    flagged: bool = False  # this poll flagged the account for its credentials


def due_accounts(session: Session, now: datetime) -> list[int]:
    """Active, healthy-enough accounts whose next poll time has come."""
    ids = session.exec(
        select(ConnectorAccount.id)
        .where(
            ConnectorAccount.is_active,
            ConnectorAccount.status != "auth_failed",
            ConnectorAccount.platform != "webhook",
            (col(ConnectorAccount.next_poll_at).is_(None))
            | (col(ConnectorAccount.next_poll_at) <= now),
        )
        .order_by(col(ConnectorAccount.next_poll_at))
    ).all()
    return [i for i in ids if i is not None]


def backoff_seconds(failures: int, interval: int) -> int:
    """Exponential back-off after consecutive failures, capped at 15 minutes."""
    return min(MAX_BACKOFF_SECONDS, max(interval, 5) * 2 ** min(failures, 10))


def poll_account(
    engine: Engine, account_id: int, box: SecretsBox, owner: str, now: datetime | None = None
) -> PollOutcome:
    """One poll of one account under its lease; a rate limit or outage delays, never drops."""
    outcome = PollOutcome(account_id)
    with Session(engine, expire_on_commit=False) as session:
        if not leases.acquire(session, account_id, owner, now):
            outcome.skipped = True
            return outcome
        try:
            _poll_leased(session, account_id, box, outcome, now)
        finally:
            leases.release(session, account_id, owner)
    if outcome.stored:
        with Session(engine, expire_on_commit=False) as session:
            triage.triage_pending(session=session, account_id=account_id)
            session.commit()
    return outcome


def _poll_leased(
    session: Session, account_id: int, box: SecretsBox, outcome: PollOutcome, now: datetime | None
) -> None:
    account = session.get(ConnectorAccount, account_id)
    assert account is not None
    started = now or utcnow()
    try:
        # Rotated tokens (Bluesky) are kept at once: the old refresh token is already revoked.
        with connector_session(session, account, box) as connector:
            result = connector.fetch(account.cursor)
    except ConnectorError as exc:
        _record_failure(session, account, exc, outcome, started)
        return
    items = mention_edits.apply(session, account, result.mentions)  # X edits: update in place
    stored = ingest.store_mentions(session=session, account=account, items=items)
    outcome.stored, outcome.duplicates = len(stored.new), stored.duplicates
    # Same transaction as the mentions: the cursor can never run ahead of what is stored.
    account.cursor = result.cursor
    _record_success(account, result, started)
    session.add(account)
    session.commit()
    outcome.status = account.status
    outcome.error = result.error
    outcome.partial = not result.complete


def _apply_rate_limit(account: ConnectorAccount, rate_limit: Any) -> None:
    if rate_limit is None:
        return
    if rate_limit.remaining is not None:
        account.rate_limit_remaining = rate_limit.remaining
    if rate_limit.reset_at is not None:
        account.rate_limit_reset_at = rate_limit.reset_at


def _record_success(account: ConnectorAccount, result: FetchResult, now: datetime) -> None:
    account.last_poll_at = now
    _apply_rate_limit(account, result.rate_limit)
    if result.complete:
        account.status = "ok"
        account.consecutive_failures = 0
        account.next_poll_at = now + timedelta(seconds=account.interval_seconds)
        poll_pacing.apply(account, result, now)  # no faster than the API tier allows
        return
    # Partial pass: what was fetched is stored. A rate limit says when to come back; a page
    # cap with progress means more is waiting now; anything else backs off one short step.
    if result.retry_at is not None:
        account.status = "rate_limited"
        account.next_poll_at = result.retry_at
    else:
        account.status = "ok" if result.mentions else "backoff"
        account.next_poll_at = now + timedelta(seconds=min(account.interval_seconds, 5))
    if result.error:
        worker_errors.set_error(account, "partial", result.error)
        account.last_error_at = now
    else:
        worker_errors.clear_error(account)


def _record_failure(
    session: Session,
    account: ConnectorAccount,
    exc: ConnectorError,
    outcome: PollOutcome,
    now: datetime,
) -> None:
    account.last_poll_at = now
    code = (
        "auth_failed"
        if isinstance(exc, AuthError)
        else "rate_limited"
        if isinstance(exc, RateLimited)
        else "unreachable"
    )
    note = worker_errors.set_error(account, code, f"{type(exc).__name__}: {exc.message}")
    account.last_error_at = now
    account.consecutive_failures += 1
    if isinstance(exc, AuthError):
        # A human must fix the credentials: stop polling until an admin replaces them.
        account.status = "auth_failed"
        account.next_poll_at = None
        audit.record(
            session=session,
            action="connector.auth_failed",
            target_type="connector_account",
            target_id=account.id,
            brand_id=account.brand_id,
            actor_label="worker",
            note=note,
        )
    elif isinstance(exc, RateLimited):
        account.status = "rate_limited"
        account.next_poll_at = exc.retry_at
        account.rate_limit_remaining = 0
        account.rate_limit_reset_at = exc.retry_at
    else:
        account.status = "backoff"
        wait = backoff_seconds(account.consecutive_failures, account.interval_seconds)
        account.next_poll_at = max(exc.retry_at or now, now + timedelta(seconds=wait))
    session.add(account)
    session.commit()
    outcome.status, outcome.error = account.status, account.last_error
    outcome.failed, outcome.flagged = True, account.status == "auth_failed"
