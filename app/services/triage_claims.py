"""Who triages a mention: the claim on untriaged mentions, and the row triage reads of each.

A mention is triaged once whoever stored it: the transaction that triages it claims it first
(row locks on PostgreSQL, the write lock on SQLite) and keeps the claim until it ends, when the
mention is triaged or, after a rollback, claimable again. A push triages what it has just
stored in the same transaction: nobody else can see those rows yet, so they need no claim.
A triage that raised is counted on the mention (`count_failure`), which stays claimable until
its last allowed attempt.
"""

from __future__ import annotations

import logging
from collections import namedtuple
from collections.abc import Sequence
from typing import Any

from sqlalchemy import update
from sqlmodel import Session, col, select

from app.models import Mention
from app.services import audit, bulk, queue_changes
from app.services.case_locks import hold_write_lock

log = logging.getLogger("vigie.ingest")
# A mention whose triage raised this many times is set aside (state triage_failed, audited).
MAX_TRIAGE_ATTEMPTS = 3

PENDING_COLUMNS = (
    Mention.id,
    Mention.brand_id,
    Mention.author_id,
    Mention.text,
    Mention.lang,
    Mention.channel,
    Mention.thread_id,
    Mention.posted_at,
    Mention.hidden,
    Mention.triage_attempts,
    Mention.rating,  # a review's stars: the playbook's `rating` condition
    Mention.raw,  # what a quote quotes: clustering compares it too
    # Read with the claim, so that thread context needs no second query (triage_context).
    Mention.account_id,
    Mention.external_id,
    Mention.in_reply_to,
)

# A mention as triage reads it: the claim's columns, or the row a request has just inserted.
PENDING_NAMES: tuple[str, ...] = tuple(c.key for c in PENDING_COLUMNS)  # type: ignore[union-attr]
PendingMention = namedtuple("PendingMention", PENDING_NAMES)  # type: ignore[misc]


def pending(row: dict[str, Any]) -> Any:
    """A row as a request inserted it (with its new id), read as the claim reads one."""
    return PendingMention(
        *(row.get(name, 0 if name == "triage_attempts" else None) for name in PENDING_NAMES)
    )


def claim(
    session: Session, limit: int, account_id: int | None, external_ids: Sequence[str] | None
) -> list[Any]:
    """Untriaged mentions that this transaction alone may triage (they stay claimed until it
    ends, when they are triaged or, after a rollback, untriaged again)."""
    if external_ids is not None and account_id is None:
        raise ValueError("external ids are unique per account: pass account_id too")
    if external_ids is not None and not external_ids:
        return []
    postgres = session.connection().dialect.name == "postgresql"
    if not postgres:
        hold_write_lock(session)  # SQLite: no row locks, so nobody else writes meanwhile
    # Plain rows, not ORM objects: the batch reads them and writes one UPDATE each.
    query = select(*PENDING_COLUMNS).where(Mention.state == "new")  # type: ignore[call-overload]
    if account_id is not None:
        query = query.where(Mention.account_id == account_id)
    if external_ids is not None:
        query = query.where(bulk.one_of(session, Mention.external_id, external_ids))
    elif account_id is None:
        oldest = select(Mention.brand_id).where(Mention.state == "new")
        oldest = oldest.order_by(col(Mention.id)).limit(1)
        if postgres:
            oldest = oldest.with_for_update(skip_locked=True)
        brand_id = session.exec(oldest).first()
        if brand_id is None:
            return []
        query = query.where(Mention.brand_id == brand_id)
    query = query.order_by(col(Mention.id)).limit(limit)
    if postgres:
        # A backlog skips rows another transaction is triaging. A request's own mentions wait
        # for it instead: once it commits they are triaged, drop out, and the answer is whole.
        query = query.with_for_update(skip_locked=external_ids is None)
    return list(session.exec(query).all())


def count_failure(session: Session, brand: Any, mention: Any, exc: Exception) -> None:
    """Count a failed triage; the mention stays claimable until the last allowed attempt."""
    log.exception("triage of mention %s failed", mention.id)
    attempts = mention.triage_attempts + 1
    given_up = attempts >= MAX_TRIAGE_ATTEMPTS
    failed = (
        update(Mention)
        .where(col(Mention.id) == mention.id)
        .values(triage_attempts=attempts, state="triage_failed" if given_up else "new")
    )
    session.execute(queue_changes.declare(failed, [brand.id]))
    if given_up:
        audit.record(
            session=session,
            action="mention.triage_failed",
            target_type="mention",
            target_id=mention.id,
            brand_id=brand.id,
            actor_label="playbook",
            after={"attempts": attempts},
            note=f"{type(exc).__name__}: {exc}"[:1000],
        )
