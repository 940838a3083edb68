"""The outbox's steps after an attempt: each moves the reply's outbox state (as
``services/outbox_states.py`` allows), audits it and commits; the worker in ``outbox.py`` decides
which step an outcome calls for.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from app.models import Reply
from app.services import audit, outbox_states, replies, worker_errors
from connectors import (
    ConnectorError,
    PostResult,
    RateLimited,
)

MAX_ATTEMPTS = 8
# A send that started this long ago and never finished was interrupted (worker died).
STALE_SENDING = timedelta(minutes=5)
# The first check waits a little: a platform that stalled may still be storing the post.
FIRST_CHECK_DELAY = timedelta(seconds=20)


@dataclass
class OutboxOutcome:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    unknown: int = 0  # sends whose outcome is unknown, left for a check on the platform
    reconciled: int = 0  # unknown outcomes found published on the platform
    paced: int = 0  # wave replies left for their account's next slot (send_pace)


def _backoff(n: int) -> timedelta:
    return timedelta(seconds=min(3600, 15 * 2**n))


def _audit(
    session: Session,
    reply: Reply,
    *,
    action: str,
    note: str | None = None,
    after: dict[str, object] | None = None,
) -> None:
    audit.case_event(
        session=session,
        case=audit.case_of(reply),
        action=action,
        target_type="reply",
        target_id=reply.id,
        actor_label="worker",
        after=after,
        note=note,
    )


def _mark_sent(
    session: Session,
    reply: Reply,
    posted: PostResult,
    now: datetime,
    note: str | None = None,
    action: str = "reply.sent",
) -> None:
    replies.mark_sent(
        session=session, reply=reply, external_id=posted.external_id, url=posted.url, now=now
    )
    _audit(
        session,
        reply,
        action=action,
        note=note,
        after={"external_id": posted.external_id, "url": posted.url, "attempt": reply.attempts},
    )
    session.commit()


def _unknown(
    session: Session, reply: Reply, message: str, now: datetime, outcome: OutboxOutcome
) -> None:
    """The platform may have published it: no retry before a check on the platform."""
    outbox_states.move(reply, "unknown")
    reply.checks = 0
    reply.next_attempt_at = now + FIRST_CHECK_DELAY
    reply.sending_owner = None
    note = worker_errors.set_error(reply, "unknown", message)
    session.add(reply)
    _audit(session, reply, action="reply.outcome_unknown", note=note)
    session.commit()
    outcome.unknown += 1


def _to_manual(session: Session, reply: Reply, message: str) -> None:
    """The channel cannot post (no reply URL any more): a person copies it, no retry loop."""
    outbox_states.move(reply, "manual")
    reply.next_attempt_at = None
    reply.sending_owner = None
    worker_errors.clear_error(reply)
    session.add(reply)
    _audit(session, reply, action="reply.to_copy_by_hand", note=message)
    session.commit()


def _retry(
    session: Session, reply: Reply, exc: ConnectorError, now: datetime, outcome: OutboxOutcome
) -> None:
    """A failure that surely left nothing on the platform: queue it again with back-off.

    A rate limit (the platform's refusal, or ours before sending when its usage headers said
    the limit was near) is no failed attempt: the reply waits for the time the platform gives.
    """
    if isinstance(exc, RateLimited) and exc.retry_at:
        reply.attempts = max(reply.attempts - 1, 0)
        _requeue(
            session,
            reply,
            exc.retry_at,
            "rate_limited",
            "reply.send_deferred",
            outcome,
            detail=f"{type(exc).__name__}: {exc.message}",
        )
        return
    if reply.attempts >= MAX_ATTEMPTS:
        _fail(session, reply, "gave_up", now, outcome, detail=exc.message)
        return
    _requeue(
        session,
        reply,
        now + _backoff(reply.attempts),
        "retry",
        "reply.send_retry",
        outcome,
        detail=f"{type(exc).__name__}: {exc.message}",
    )


def _requeue(
    session: Session,
    reply: Reply,
    at: datetime,
    code: str,
    action: str,
    outcome: OutboxOutcome,
    detail: str | None = None,
) -> None:
    """Back to the queue for another attempt at `at`, with the reason shown and audited."""
    outbox_states.move(reply, "queued")
    reply.next_attempt_at = at
    note = worker_errors.set_error(reply, code, detail)
    reply.sending_owner = None
    session.add(reply)
    _audit(
        session,
        reply,
        action=action,
        note=note,
        after={"attempt": reply.attempts, "next_attempt_at": at.isoformat()},
    )
    session.commit()
    outcome.retried += 1


def _fail(
    session: Session,
    reply: Reply,
    code: str,
    now: datetime,
    outcome: OutboxOutcome,
    detail: str | None = None,
) -> None:
    """sending → failed, with the error's code (app.services.worker_errors) and raw detail."""
    outbox_states.move(reply, "failed")
    note = worker_errors.set_error(reply, code, detail)
    reply.next_attempt_at = None
    session.add(reply)
    _audit(session, reply, action="reply.send_failed", note=note)
    session.commit()
    outcome.failed += 1


def _recover_interrupted(session: Session, now: datetime) -> None:
    """A send cut off mid-way may or may not have reached the platform: check it there."""
    stale = session.exec(
        select(Reply).where(
            Reply.outbox_state == "sending", col(Reply.sending_started_at) < now - STALE_SENDING
        )
    ).all()
    for reply in stale:
        outbox_states.move(reply, "unknown")
        reply.checks = 0
        reply.next_attempt_at = now
        reply.sending_owner = None
        note = worker_errors.set_error(reply, "interrupted")
        session.add(reply)
        _audit(session, reply, action="reply.send_interrupted", note=note)
    if stale:
        session.commit()
