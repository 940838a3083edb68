"""Account-level refusals: the account is flagged once, its replies wait instead of failing.

When a platform refuses the account's set-up (X: an app without write permission, an app
outside a Project, an app-only token where user context is needed — `AccountMisconfigured`),
every reply would fail the same way. The account is flagged `auth_failed` with the message
that says what to change; the reply goes back to the queue without counting an attempt and is
tried again after `HOLD`, or as soon as an admin's "check credentials" succeeds (`release`).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import update
from sqlmodel import Session, col, select

from app.models import ConnectorAccount, Mention, Reply
from app.services import audit, outbox_states, queue_changes, worker_errors

# A held reply is tried again this often while the account stays flagged.
HOLD = timedelta(hours=1)


def flag(session: Session, account: ConnectorAccount, message: str, now: datetime) -> None:
    """Flag the account (polling stops until an admin checks the credentials); no commit."""
    already = (
        account.status == "auth_failed"
        and account.last_error_code == "misconfigured"
        and account.last_error == message[:2000]
    )
    account.status = "auth_failed"
    account.next_poll_at = None
    note = worker_errors.set_error(account, "misconfigured", message)
    account.last_error_at = now
    session.add(account)
    if not already:
        audit.record(
            session=session,
            action="connector.auth_failed",
            target_type="connector_account",
            target_id=account.id,
            brand_id=account.brand_id,
            actor_label="worker",
            note=note,
        )


def hold(
    session: Session, reply: Reply, account: ConnectorAccount, message: str, now: datetime
) -> None:
    """sending → queued: the account is at fault, not the reply (its attempt is not counted)."""
    flag(session, account, message, now)
    outbox_states.move(reply, "queued")
    reply.attempts = max(reply.attempts - 1, 0)
    reply.next_attempt_at = now + HOLD
    reply.sending_owner = None
    note = worker_errors.set_error(
        reply, "held_for_account", f"{account.label or account.handle} : {message}"
    )
    session.add(reply)
    audit.case_event(
        session=session,
        case=audit.case_of(reply),
        action="reply.held_for_account",
        target_type="reply",
        target_id=reply.id,
        actor_label="worker",
        after={"next_attempt_at": reply.next_attempt_at.isoformat()},
        note=note,
    )
    session.commit()


def release(session: Session, account: ConnectorAccount, now: datetime) -> int:
    """The account works again: its held replies go now instead of at their next try."""
    mention_ids = select(Mention.id).where(Mention.account_id == account.id)
    stmt = (
        update(Reply)
        .where(
            col(Reply.outbox_state) == "queued",
            col(Reply.mention_id).in_(mention_ids),
            col(Reply.next_attempt_at) > now,
        )
        .values(next_attempt_at=now)
        .execution_options(synchronize_session=False)
    )
    # When a queued reply goes out next: no queue row shows it (no brand's poll wakes).
    result = session.exec(queue_changes.declare(stmt, ()))  # type: ignore[call-overload]
    return int(result.rowcount or 0)
